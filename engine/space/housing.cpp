#include "space/housing.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/parallel.h"
#include "core/series_declare.h"
#include "economy/tables.h"
#include "population/city_zones.h"
#include "services/facility_table.h"
#include "space/land_use.h"
#include "space/network.h"
#include "space/space_config.h"

namespace plansim {
namespace {

// The one purpose of the housing process's draws (core/rng.h): each household's stream of the
// year, whose first uniform decides whether it moves and whose next draws, for a mover, its
// choice of zone and its priority in the queue.
enum HousingDraw : std::uint8_t { kMove = 0 };
constexpr RngPurpose kPurposes[] = {{"move", kMove}};
static_assert(rng_tags_distinct(kPurposes));

constexpr std::uint16_t kNoZone = std::numeric_limits<std::uint16_t>::max();
/// Work zone not known yet (before the first step): no job-change trigger.
constexpr std::uint16_t kUnknownZone = kNoZone - 1;
constexpr int kChildAge = 15;
constexpr int kSchoolAgeFrom = 3;  // kindergarten to junior middle school: ages 3-14

// Trigger bits of flag_.
constexpr std::uint8_t kMoves = 1, kNew = 2, kDisplaced = 4;

// Per-zone counters of the household pass.
enum ZoneCounter { kOccupied = 0, kMoversFrom, kChildren, kZoneCounters };
// Per-zone counters of the indicator pass.
enum IndicatorCounter { kPersons = 0, kCommuters, kHouseholds, kIndicatorCounters };

}  // namespace

void HousingProcess::declare_series(SeriesCatalog& c) {
  using K = SeriesKind;
  declare(c, K::Indicator, "population_near_station_share", "%", "地铁站800米范围内人口占比",
          "Population within 800 m of a metro station",
          "Residents of each zone times the share of the zone's area within the station catchment "
          "(station_catchment_m, 800 m) of an open station, over all residents; zones are discs of "
          "their area around the centroid with residents spread evenly. After the year's moves.");
  declare(c, K::Indicator, "jobs_near_station_share", "%", "地铁站800米范围内就业岗位占比",
          "Jobs within 800 m of a metro station",
          "As population_near_station_share for jobs: employees of firms by zone, or, without "
          "firms, job floor space / floor_space_per_job_m2.");
  declare(
      c, K::Indicator, "mean_commute_cost_minutes", "minutes", "平均通勤广义出行成本",
      "Mean generalised travel cost to work",
      "Mean over employed residents of the generalised cost (walk, road or metro, walk and wait "
      "time weighted) from home zone to the employer's zone; without firms, the gravity-model "
      "expectation over job locations (weights exp(-cost/decay)) averaged over residents.");
  declare(c, K::Indicator, "relocation_rate", "%", "住户迁居率", "Household relocation rate",
          "Households that moved into a dwelling this year (new households included) per 100 "
          "households.");
  declare(c, K::Indicator, "dwellings_completed", "dwellings", "新建住房套数",
          "Dwellings completed",
          "Dwellings added by developers this year (within zoning capacity).");
  declare(c, K::Indicator, "households_sharing_dwelling", "households", "合住住户数",
          "Households without a dwelling of their own",
          "Households above the dwelling stock of their zone after the year's moves (0 unless the "
          "whole district runs out of dwellings).");
  declare(c, K::Indicator, "mean_price_index", "index (2020 = 1)", "平均房价指数（实际）",
          "Mean dwelling price index, real",
          "Dwelling price index averaged over zones, weighted by stock. Real: relative to the "
          "general price level (the economy's GDP deflator), moved only by the demand for and "
          "the supply of dwellings.");
  declare(c, K::Indicator, "mean_price_index_nominal", "index (2020 = 1)", "平均房价指数（名义）",
          "Mean dwelling price index, nominal",
          "The real mean price index times the economy's GDP deflator of the year (2020 = 1): "
          "what prices in yuan of the day do. Without an economy process, equal to the real "
          "index.");
  declare(c, K::Event, "relocations", "households", "迁居住户", "Household relocations",
          "Households that moved into a dwelling (new households, life events, base rate, "
          "displacement), including moves within a zone.");
  declare(c, K::Zone, "accessibility", "jobs (cost-weighted)", "就业可达性",
          "Accessibility to jobs",
          "Sum over zones of jobs times exp(-generalised cost / accessibility_decay_minutes).");
  declare(c, K::Zone, "population_density", "persons per km2", "人口密度", "Population density",
          "Residents after the year's moves over the zone's area.");
  declare(
      c, K::Zone, "job_density", "jobs per km2", "就业密度", "Job density",
      "Jobs (firm employees, or job floor space / floor_space_per_job_m2) over the zone's area.");
  declare(c, K::Zone, "dwelling_vacancy", "%", "住房空置率", "Dwelling vacancy",
          "Empty dwellings over the dwelling stock after the year's moves.");
  declare(c, K::Zone, "price_index", "index (2020 = 1)", "房价指数（实际）",
          "Dwelling price index, real",
          "Price relative to the base year and to the general price level (real); adjusts each "
          "year to demand over supply.");
  declare(c, K::Zone, "dwellings", "dwellings", "住房存量", "Dwelling stock",
          "Dwellings at the end of the year (base-year stock plus completions).");
  declare(c, K::Zone, "commute_cost_minutes", "minutes", "居民平均通勤广义出行成本",
          "Mean generalised travel cost to work of residents",
          "As mean_commute_cost_minutes, for the residents of each zone.");
  declare(
      c, K::Zone, "relocations_in", "households", "迁入住户", "Households moving in",
      "Households placed in a dwelling of the zone this year (moves within the zone included).");
  declare(c, K::Zone, "station_area_share", "%", "站点800米覆盖面积占比", "Area near a station",
          "Share of the zone's area within the station catchment of an open metro station.");
}

void HousingProcess::configure(ConfigureContext& ctx) {
  Diagnostics& diags = ctx.diags;
  const CityMetro& metro_network = ctx.city_data<CityMetro>();
  const CityZones& city_zones = ctx.city_data<CityZones>();
  const std::vector<std::string> zone_keys = city_zones.keys();
  // Distances need every zone's centroid and area (install_land_use).
  for (const ZoneSpec& zone : city_zones.zones)
    if (!std::isfinite(zone.x_m) || !std::isfinite(zone.y_m) || !std::isfinite(zone.area_km2) ||
        zone.area_km2 <= 0)
      diags.error(zone.loc, "zone '" + zone.key +
                                "' has no centroid or area: set x_m, y_m and area_km2 in "
                                "zones.yaml (the housing process needs them)");
  const ParamNode* metro = ctx.city.peek("metro");
  const ParamNode* land_use = ctx.city.peek("land_use");
  // The city's values under the scenario's keys (travel: metro.yaml's, market: land_use.yaml's
  // housing_market), for trajectory knots set where the scenario has none.
  ParamNode beneath(ParamNode::Kind::Map, ctx.city.loc(), "housing");
  if (const ParamNode* t = metro && metro->is_map() ? metro->peek("travel") : nullptr)
    beneath.set("travel", t->loc(), *t);
  if (const ParamNode* m =
          land_use && land_use->is_map() ? land_use->peek("housing_market") : nullptr)
    beneath.set("market", m->loc(), *m);
  // Every number may be a trajectory: the configuration of each year.
  by_year_ = read_by_year<SpaceConfig>(
      ctx.run.start_year, ctx.run.end_year, {metro, land_use, &ctx.params}, [&](int year) {
        ParamNode city(ParamNode::Kind::Map, ctx.city.loc(), "");
        city.set_origin(&ctx.city);
        for (const auto& e : ctx.city.entries()) {
          if (e.key == "metro" || e.key == "land_use")
            city.entries().push_back(
                {e.key, e.key_loc,
                 std::make_unique<ParamNode>(evaluated_at(*e.value, year, diags))});
          else if (e.key == "zones")  // looked up, not read
            city.entries().push_back({e.key, e.key_loc, std::make_unique<ParamNode>(*e.value)});
        }
        SpaceConfig c = read_space_config(city, metro_network, zone_keys, diags);
        const ParamNode block = evaluated_at(ctx.params, year, diags, &beneath);
        if (const ParamNode* travel = block.find("travel")) {
          if (travel->is_map())
            read_travel_params(*travel, c.travel, diags);
          else
            diags.error(travel->loc(), travel->path() + ": expected a map of travel parameters");
        }
        if (const ParamNode* market = block.find("market")) {
          if (market->is_map())
            read_market_params(*market, c.market, diags);
          else
            diags.error(market->loc(), market->path() + ": expected a map of market parameters");
        }
        return c;
      });
  config_ = by_year_.first();
  declare_series(ctx.catalog);
}

void HousingProcess::use_year(int year) {
  if (by_year_.empty()) return;
  const SpaceConfig& next = by_year_.at(year);
  if (!(next.travel == config_.travel)) cost_.resize(0, 0);  // travel costs to recompute
  config_ = next;
}

void HousingProcess::update_network(World& world, int year) {
  LandUse& lu = world.get<LandUse>();
  std::vector<std::uint8_t> open = open_stations_mask(lu, year);
  counts_.network_changed = open != open_;
  if (!counts_.network_changed && cost_.rows() == world.zone_count()) return;
  open_ = std::move(open);
  cost_ = zone_travel_costs(world.zones, lu, open_, config_.travel);
  share_near_ =
      zone_share_near_stations(world.zones, lu, open_, config_.travel.station_catchment_m);
  const std::size_t zones = world.zones.size();
  auto& costs = lu.travel_cost_minutes;
  costs.resize(zones * zones);
  for (std::size_t i = 0; i < zones; ++i)
    for (std::size_t j = 0; j < zones; ++j)
      costs[i * zones + j] =
          static_cast<float>(cost_(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
  publish_zone_inputs(world);
}

void HousingProcess::take_snapshot(const World& world, bool with_work_zones) {
  const auto& hh = world.households;
  snapshot_.resize(hh.size());
  for (std::size_t h = 0; h < hh.size(); ++h)
    snapshot_[h] = {hh.id[h],
                    static_cast<std::uint16_t>(std::min<std::uint32_t>(
                        hh.member_count(static_cast<std::uint32_t>(h)), kNoZone)),
                    with_work_zones ? work_zone_[h] : kUnknownZone};
  if (!std::is_sorted(snapshot_.begin(), snapshot_.end(),
                      [](const Snapshot& a, const Snapshot& b) { return a.id < b.id; }))
    std::sort(snapshot_.begin(), snapshot_.end(),
              [](const Snapshot& a, const Snapshot& b) { return a.id < b.id; });
}

void HousingProcess::initialize(StepContext& ctx) {
  World& world = ctx.world;
  if (!by_year_.empty()) config_ = by_year_.at(ctx.year);
  if (world.households.member_offset.size() != world.households.size() + 1) rebuild_members(world);
  install_land_use(world, config_);
  counts_ = {};
  open_.clear();
  cost_.resize(0, 0);
  update_network(world, ctx.year);
  counts_.network_changed = false;
  excess_demand_.assign(world.zones.size(), 0.0);
  vacancy_.assign(world.zones.size(), 0.0);
  for (std::size_t h = 0; h < world.households.size(); ++h)
    if (world.households.zone[h] < world.zones.size())
      vacancy_[world.households.zone[h]] += world.person_weight;
  for (std::size_t z = 0; z < world.zones.size(); ++z)
    vacancy_[z] = world.get<LandUse>().dwellings[z] > 0
                      ? 1.0 - vacancy_[z] / world.get<LandUse>().dwellings[z]
                      : 0.0;
  take_snapshot(world, false);
}

std::vector<double> HousingProcess::jobs_by_zone(const World& world) const {
  const std::size_t zones = world.zones.size();
  const Employment employment(world);
  if (employment.has_firms()) return employment.jobs_by_zone(zones, world.person_weight);
  std::vector<double> jobs(zones, 0.0);
  for (std::size_t z = 0; z < zones; ++z)
    jobs[z] = world.get<LandUse>().job_floor_space_m2[z] / config_.market.floor_space_per_job_m2;
  return jobs;
}

std::vector<double> HousingProcess::school_places_per_child(const World& world, int year) const {
  const std::size_t zones = world.zones.size();
  std::vector<double> places(zones, 0.0);
  bool any = false;
  static const FacilityTable kNoFacilities;  // without service processes
  const FacilityTable* table = world.find<FacilityTable>();
  const FacilityTable& f = table ? *table : kNoFacilities;
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (is_school_kind(f.kind[i]) && facility_open(f, i, year) && f.zone[i] < zones) {
      places[f.zone[i]] += f.capacity[i];
      any = true;
    }
  }
  if (!any) {
    for (std::size_t z = 0; z < zones; ++z) {
      auto it = std::find_if(config_.zones.begin(), config_.zones.end(),
                             [&](const ZoneLandUseSpec& s) { return s.key == world.zones[z].key; });
      if (it == config_.zones.end() || std::isnan(it->school_places))
        return std::vector<double>(zones, 1.0);
      places[z] = it->school_places;
    }
  }
  std::vector<double> ratio(zones);
  for (std::size_t z = 0; z < zones; ++z) {
    const double children = std::max(1.0, static_cast<double>(children_[z]) * world.person_weight);
    ratio[z] = std::clamp(places[z] / children, 0.05, 2.0);  // bounded: a few places or plenty
  }
  return ratio;
}

// One parallel pass over households: members, children, work zone, triggers, and per-zone counts.
void HousingProcess::household_pass(StepContext& ctx) {
  World& world = ctx.world;
  const auto& hh = world.households;
  const auto& persons = world.persons;
  const Employment employment(world);
  const std::size_t n = hh.size(), zones = world.zones.size();
  const std::size_t chunks = chunk_count(n);
  flag_.resize(n);
  work_zone_.resize(n);
  members_.resize(n);
  has_child_.resize(n);
  chunk_zone_.assign(chunks * zones * kZoneCounters, 0);
  chunk_movers_.assign(chunks, 0);
  const MarketParams& m = config_.market;
  for_each_chunk(n, [&](std::size_t begin, std::size_t end, std::size_t chunk) {
    std::int64_t* counts = &chunk_zone_[chunk * zones * kZoneCounters];
    std::int64_t movers = 0;
    for (std::size_t h = begin; h < end; ++h) {
      std::uint16_t work = kNoZone;
      std::uint8_t child = 0;
      int school_children = 0;
      for (std::uint32_t k = hh.member_offset[h]; k < hh.member_offset[h + 1]; ++k) {
        const std::uint32_t p = hh.member_row[k];
        if (persons.age[p] < kChildAge) child = 1;
        if (persons.age[p] >= kSchoolAgeFrom && persons.age[p] < kChildAge) ++school_children;
        if (work == kNoZone) work = employment.work_zone(p);
      }
      const std::uint32_t size = hh.member_count(static_cast<std::uint32_t>(h));
      members_[h] = static_cast<std::uint16_t>(std::min<std::uint32_t>(size, kNoZone));
      work_zone_[h] = work;
      has_child_[h] = child;
      // Probability of looking for a dwelling this year.
      double p_move;
      std::uint8_t flag = 0;
      auto it = std::lower_bound(snapshot_.begin(), snapshot_.end(), hh.id[h],
                                 [](const Snapshot& s, std::uint64_t id) { return s.id < id; });
      if (it == snapshot_.end() || it->id != hh.id[h]) {
        flag |= kNew;
        p_move = m.new_household_move_rate;
      } else {
        double p_stay = 1.0 - m.base_move_rate;
        if (members_[h] > it->members) p_stay *= 1.0 - m.growth_move_rate;
        if (members_[h] < it->members) p_stay *= 1.0 - m.shrink_move_rate;
        if (it->work_zone != kUnknownZone && it->work_zone != work)
          p_stay *= 1.0 - m.job_change_move_rate;
        p_move = 1.0 - p_stay;
      }
      AgentRng rng = ctx.stream(kMove, hh.id[h]);
      if (rng.uniform() < p_move) flag |= kMoves;
      flag_[h] = flag;
      const std::uint16_t z = hh.zone[h];
      if (z >= zones) continue;
      counts[z * kZoneCounters + kOccupied] += 1;
      counts[z * kZoneCounters + kChildren] += school_children;
      if (flag & kMoves) {
        counts[z * kZoneCounters + kMoversFrom] += 1;
        ++movers;
      }
    }
    chunk_movers_[chunk] = movers;
  });
  occupied_.assign(zones, 0);
  stayers_.assign(zones, 0);
  children_.assign(zones, 0);
  for (std::size_t c = 0; c < chunks; ++c)
    for (std::size_t z = 0; z < zones; ++z) {
      const std::int64_t* counts = &chunk_zone_[(c * zones + z) * kZoneCounters];
      occupied_[z] += counts[kOccupied];
      stayers_[z] += counts[kOccupied] - counts[kMoversFrom];
      children_[z] += counts[kChildren];
    }
}

// Zones holding more staying households than dwellings (after in-migration, or a shortage last
// year) push out their most recent households (highest ids) until the stayers fit.
void HousingProcess::evict_over_capacity(World& world) {
  const auto& hh = world.households;
  const std::size_t zones = world.zones.size();
  std::vector<std::int64_t> excess(zones, 0);
  bool any = false;
  for (std::size_t z = 0; z < zones; ++z) {
    excess[z] = std::max<std::int64_t>(0, stayers_[z] - capacity_[z]);
    any |= excess[z] > 0;
  }
  if (!any) return;
  const std::size_t chunk_size = kChunkRows;
  for (std::size_t h = hh.size(); h-- > 0;) {
    const std::uint16_t z = hh.zone[h];
    if (z >= zones || excess[z] == 0 || (flag_[h] & kMoves)) continue;
    flag_[h] |= kMoves | kDisplaced;
    --excess[z];
    --stayers_[z];
    ++chunk_movers_[h / chunk_size];
  }
}

void HousingProcess::collect_movers(StepContext& ctx) {
  const World& world = ctx.world;
  const auto& hh = world.households;
  const std::size_t n = hh.size(), zones = world.zones.size();
  std::vector<std::int64_t>& offset = chunk_movers_;  // counts -> exclusive prefix sums
  std::int64_t total = 0;
  for (auto& c : offset) {
    const std::int64_t count = c;
    c = total;
    total += count;
  }
  movers_.resize(static_cast<std::size_t>(total));
  mover_key_.resize(static_cast<std::size_t>(total));
  for_each_chunk(n, [&](std::size_t begin, std::size_t end, std::size_t chunk) {
    std::size_t k = static_cast<std::size_t>(offset[chunk]);
    for (std::size_t h = begin; h < end; ++h) {
      if (!(flag_[h] & kMoves) || hh.zone[h] >= zones) continue;
      AgentRng rng = ctx.stream(kMove, hh.id[h]);
      rng.uniform();  // the move decision
      Mover& mv = movers_[k];
      mv.u = rng.uniform();
      mv.priority = (static_cast<std::uint64_t>(rng.next32()) << 32) | rng.next32();
      mv.id = hh.id[h];
      mv.row = static_cast<std::uint32_t>(h);
      mv.current_zone = hh.zone[h];
      mv.chosen_zone = hh.zone[h];
      mv.placed = false;
      const std::uint64_t work = work_zone_[h] < zones ? work_zone_[h] : zones;
      mover_key_[k] =
          ((static_cast<std::uint64_t>(hh.zone[h]) * (zones + 1) + work) << 1) | has_child_[h];
      ++k;
    }
  });
  segment_key_ = mover_key_;
  std::sort(segment_key_.begin(), segment_key_.end());
  segment_key_.erase(std::unique(segment_key_.begin(), segment_key_.end()), segment_key_.end());
  for_each_chunk(movers_.size(), [&](std::size_t begin, std::size_t end, std::size_t) {
    for (std::size_t k = begin; k < end; ++k)
      movers_[k].segment = static_cast<std::uint32_t>(
          std::lower_bound(segment_key_.begin(), segment_key_.end(), mover_key_[k]) -
          segment_key_.begin());
  });
}

Eigen::MatrixXd HousingProcess::utilities(const World& world) const {
  const std::size_t zones = world.zones.size();
  const MarketParams& m = config_.market;
  const LandUse& lu = world.get<LandUse>();
  Eigen::VectorXd zone_term(static_cast<Eigen::Index>(zones));
  for (std::size_t j = 0; j < zones; ++j) {
    const std::int64_t free = capacity_[j] - stayers_[j];
    const auto J = static_cast<Eigen::Index>(j);
    zone_term(J) = free <= 0
                       ? -std::numeric_limits<double>::infinity()
                       : m.beta_log_accessibility * std::log1p(accessibility_(J)) +
                             m.beta_log_price * std::log(static_cast<double>(lu.price_index[j])) +
                             m.beta_mixed_use * lu.mixed_use_share[j] +
                             std::log(static_cast<double>(free));  // size: free dwellings
  }
  Eigen::MatrixXd u(static_cast<Eigen::Index>(segment_key_.size()),
                    static_cast<Eigen::Index>(zones));
  for (std::size_t s = 0; s < segment_key_.size(); ++s) {
    const bool child = segment_key_[s] & 1;
    const std::uint64_t pair = segment_key_[s] >> 1;
    const std::size_t home = pair / (zones + 1), work = pair % (zones + 1);
    const auto S = static_cast<Eigen::Index>(s);
    for (std::size_t j = 0; j < zones; ++j) {
      const auto J = static_cast<Eigen::Index>(j);
      double v = zone_term(J);
      if (work < zones) v += m.beta_commute_minutes * cost_(J, static_cast<Eigen::Index>(work));
      if (child) v += m.beta_log_school_places * std::log(school_ratio_[j]);
      if (j == home) v += m.beta_same_zone;
      u(S, J) = v;
    }
  }
  return u;
}

void HousingProcess::develop(World& world, const std::vector<double>& jobs) {
  LandUse& lu = world.get<LandUse>();
  const MarketParams& m = config_.market;
  const bool firms = Employment(world).has_firms();
  counts_.dwellings_completed = 0;
  for (std::size_t z = 0; z < world.zones.size(); ++z) {
    const double share = m.build_share[std::min<int>(lu.zone_type[z], kZoneTypes - 1)];
    const double headroom = lu.dwelling_capacity[z] - lu.dwellings[z];
    // Developers build where prices hold up and the stock is nearly all occupied.
    if (headroom > 0 && lu.price_index[z] >= m.developer_min_price_index &&
        vacancy_[z] < m.natural_vacancy) {
      const double built = std::floor(std::min(headroom, share * headroom + excess_demand_[z]));
      lu.dwellings[z] += built;
      counts_.dwellings_completed += built;
    }
    const double floor_headroom = lu.job_floor_capacity_m2[z] - lu.job_floor_space_m2[z];
    if (floor_headroom <= 0) continue;
    double build = share * floor_headroom;
    if (firms) {  // with firms, build only where the floor is nearly all in use
      const double used = jobs[z] * m.floor_space_per_job_m2;
      const double trigger = m.job_floor_occupancy_trigger * lu.job_floor_space_m2[z];
      build = used > trigger ? build + (used - trigger) : 0.0;
    }
    lu.job_floor_space_m2[z] += std::min(floor_headroom, build);
  }
}

void HousingProcess::update_prices(World& world, const Eigen::VectorXd& unconstrained_demand) {
  LandUse& lu = world.get<LandUse>();
  const MarketParams& m = config_.market;
  const double up = std::log1p(m.max_price_change), down = std::log1p(-m.max_price_change);
  for (std::size_t z = 0; z < world.zones.size(); ++z) {
    const double demand =
        (static_cast<double>(stayers_[z]) + unconstrained_demand(static_cast<Eigen::Index>(z))) *
        world.person_weight;
    const double supply = lu.dwellings[z] * (1.0 - m.natural_vacancy);
    double change = down;
    if (demand > 0 && supply > 0)
      change = std::clamp(m.price_adjustment * std::log(demand / supply), down, up);
    lu.price_index[z] = static_cast<float>(lu.price_index[z] * std::exp(change));
    excess_demand_[z] = std::max(0.0, demand - supply);
  }
}

void HousingProcess::step(StepContext& ctx) {
  World& world = ctx.world;
  const std::size_t zones = world.zones.size();
  const LandUse* land_use = world.find<LandUse>();
  if (!land_use || land_use->dwellings.size() != zones)
    throw std::logic_error("housing: step() before initialize()");
  if (world.households.member_offset.size() != world.households.size() + 1) rebuild_members(world);
  counts_ = {};
  use_year(ctx.year);
  // Each part's wall and CPU time go to the profile (plansim run --profile).
  PhaseTimer timer;
  update_network(world, ctx.year);

  const std::vector<double> jobs = jobs_by_zone(world);
  accessibility_ = plansim::accessibility(
      cost_, Eigen::Map<const Eigen::VectorXd>(jobs.data(), static_cast<Eigen::Index>(zones)),
      config_.travel.accessibility_decay_minutes);
  develop(world, jobs);
  capacity_.resize(zones);
  for (std::size_t z = 0; z < zones; ++z)
    capacity_[z] =
        static_cast<std::int64_t>(std::floor(land_use->dwellings[z] / world.person_weight + 1e-9));
  lap(ctx.parts, "network, accessibility and building", timer);

  household_pass(ctx);
  evict_over_capacity(world);
  collect_movers(ctx);
  school_ratio_ = school_places_per_child(world, ctx.year);
  lap(ctx.parts, "households and movers", timer);

  // Choice with shadow prices, then capacity-respecting draws.
  const Eigen::MatrixXd u = utilities(world);
  Eigen::VectorXd per_segment =
      Eigen::VectorXd::Zero(static_cast<Eigen::Index>(segment_key_.size()));
  for (const Mover& mv : movers_) per_segment(mv.segment) += 1.0;
  Eigen::VectorXd free(static_cast<Eigen::Index>(zones));
  std::vector<std::int64_t> remaining(zones);
  for (std::size_t z = 0; z < zones; ++z) {
    remaining[z] = std::max<std::int64_t>(0, capacity_[z] - stayers_[z]);
    free(static_cast<Eigen::Index>(z)) = static_cast<double>(remaining[z]);
  }
  const ConstrainedLogit choice =
      constrained_logit(u, per_segment, free, config_.market.shadow_price_iterations,
                        config_.market.shadow_price_tolerance);
  counts_.shadow_price_iterations = choice.iterations;
  counts_.shadow_prices_converged = choice.converged;
  counts_.unplaced =
      static_cast<std::int64_t>(assign_movers(movers_, choice.probability, remaining));

  auto& hh = world.households;
  for (const Mover& mv : movers_) {
    ++counts_.movers;
    if (flag_[mv.row] & kNew) ++counts_.new_households;
    if (flag_[mv.row] & kDisplaced) ++counts_.displaced;
    if (!mv.placed) continue;
    ++counts_.placed;
    if (mv.chosen_zone != mv.current_zone) ++counts_.changed_zone;
    hh.zone[mv.row] = mv.chosen_zone;
  }
  update_prices(world, choice.unconstrained_demand);
  lap(ctx.parts, "location choice and prices", timer);
  record(ctx, jobs);
  take_snapshot(world, true);
  lap(ctx.parts, "indicators", timer);
}

void HousingProcess::record(StepContext& ctx, const std::vector<double>& jobs) {
  const World& world = ctx.world;
  const auto& hh = world.households;
  const Employment employment(world);
  const LandUse& lu = world.get<LandUse>();
  const std::size_t n = hh.size(), zones = world.zones.size();
  const std::size_t chunks = chunk_count(n);
  const double w = world.person_weight;
  // Residents by zone, commuters and their summed cost (per chunk, combined in chunk order).
  chunk_zone_.assign(chunks * zones * kIndicatorCounters, 0);
  chunk_cost_.assign(chunks * zones, 0.0);
  for_each_chunk(n, [&](std::size_t begin, std::size_t end, std::size_t chunk) {
    std::int64_t* counts = &chunk_zone_[chunk * zones * kIndicatorCounters];
    double* cost = &chunk_cost_[chunk * zones];
    for (std::size_t h = begin; h < end; ++h) {
      const std::uint16_t home = hh.zone[h];
      if (home >= zones) continue;
      counts[home * kIndicatorCounters + kHouseholds] += 1;
      for (std::uint32_t k = hh.member_offset[h]; k < hh.member_offset[h + 1]; ++k) {
        const std::uint32_t p = hh.member_row[k];
        counts[home * kIndicatorCounters + kPersons] += 1;
        const std::uint16_t work = employment.work_zone(p);
        if (work >= zones) continue;
        counts[home * kIndicatorCounters + kCommuters] += 1;
        cost[home] += cost_(home, work);
      }
    }
  });
  std::vector<double> residents(zones, 0.0);
  std::vector<std::int64_t> households_in(zones, 0);
  std::vector<double> zone_commuters(zones, 0.0), zone_commute_cost(zones, 0.0);
  double commuters = 0, commute_cost = 0;
  for (std::size_t c = 0; c < chunks; ++c) {
    const std::int64_t* counts = &chunk_zone_[c * zones * kIndicatorCounters];
    for (std::size_t z = 0; z < zones; ++z) {
      residents[z] += static_cast<double>(counts[z * kIndicatorCounters + kPersons]) * w;
      households_in[z] += counts[z * kIndicatorCounters + kHouseholds];
      zone_commuters[z] += static_cast<double>(counts[z * kIndicatorCounters + kCommuters]);
      zone_commute_cost[z] += chunk_cost_[c * zones + z];
    }
  }
  for (std::size_t z = 0; z < zones; ++z) {
    commuters += zone_commuters[z];
    commute_cost += zone_commute_cost[z];
  }
  std::vector<float> moved_in(zones, 0.0f);
  for (const Mover& mv : movers_)
    if (mv.placed) moved_in[mv.chosen_zone] += static_cast<float>(w);

  double population = 0, population_near = 0, all_jobs = 0, jobs_near = 0;
  double stock = 0, weighted_price = 0, sharing = 0;
  std::int64_t households = 0;
  std::vector<float> acc(zones), pop_density(zones), job_density(zones), vacancy(zones),
      price(zones), dwellings(zones), near(zones);
  for (std::size_t z = 0; z < zones; ++z) {
    population += residents[z];
    population_near += residents[z] * share_near_[z];
    all_jobs += jobs[z];
    jobs_near += jobs[z] * share_near_[z];
    households += households_in[z];
    const double occupied = static_cast<double>(households_in[z]) * w;
    sharing += std::max(0.0, occupied - lu.dwellings[z]);
    stock += lu.dwellings[z];
    weighted_price += lu.dwellings[z] * lu.price_index[z];
    const double area = world.zones[z].area_km2;
    acc[z] = static_cast<float>(accessibility_(static_cast<Eigen::Index>(z)));
    pop_density[z] = static_cast<float>(residents[z] / area);
    job_density[z] = static_cast<float>(jobs[z] / area);
    vacancy_[z] = lu.dwellings[z] > 0 ? std::max(0.0, 1.0 - occupied / lu.dwellings[z]) : 0.0;
    vacancy[z] = static_cast<float>(100.0 * vacancy_[z]);
    price[z] = lu.price_index[z];
    dwellings[z] = static_cast<float>(lu.dwellings[z]);
    near[z] = static_cast<float>(100.0 * share_near_[z]);
  }
  double mean_commute = commuters > 0 ? commute_cost / commuters : 0.0;
  std::vector<float> zone_commute(zones, 0.0f);
  if (commuters > 0) {
    for (std::size_t z = 0; z < zones; ++z)
      zone_commute[z] = static_cast<float>(
          zone_commuters[z] > 0 ? zone_commute_cost[z] / zone_commuters[z] : 0.0);
  } else if (population > 0) {  // no firms: gravity expectation over job locations
    const Eigen::VectorXd expected = gravity_mean_cost(
        cost_, Eigen::Map<const Eigen::VectorXd>(jobs.data(), static_cast<Eigen::Index>(zones)),
        config_.travel.accessibility_decay_minutes);
    for (std::size_t z = 0; z < zones; ++z) {
      zone_commute[z] = static_cast<float>(expected(static_cast<Eigen::Index>(z)));
      mean_commute += residents[z] * expected(static_cast<Eigen::Index>(z));
    }
    mean_commute /= population;
  }
  Recorder& out = ctx.out;
  out.indicator("population_near_station_share",
                population > 0 ? 100.0 * population_near / population : 0.0);
  out.indicator("jobs_near_station_share", all_jobs > 0 ? 100.0 * jobs_near / all_jobs : 0.0);
  out.indicator("mean_commute_cost_minutes", mean_commute);
  out.indicator("relocation_rate", households > 0 ? 100.0 * static_cast<double>(counts_.placed) /
                                                        static_cast<double>(households)
                                                  : 0.0);
  out.indicator("dwellings_completed", counts_.dwellings_completed);
  out.indicator("households_sharing_dwelling", sharing);
  const double real_price = stock > 0 ? weighted_price / stock : 1.0;
  const PriceLevel* level = world.find<PriceLevel>();
  out.indicator("mean_price_index", real_price);
  out.indicator("mean_price_index_nominal", real_price * (level ? level->gdp_deflator : 1.0));
  out.event("relocations", counts_.placed);
  out.zone("accessibility", acc);
  out.zone("population_density", pop_density);
  out.zone("job_density", job_density);
  out.zone("dwelling_vacancy", vacancy);
  out.zone("price_index", price);
  out.zone("dwellings", dwellings);
  out.zone("commute_cost_minutes", zone_commute);
  out.zone("relocations_in", moved_in);
  out.zone("station_area_share", near);
}

}  // namespace plansim

// The housing process on a hand-made four-zone city: invariants (capacity, one dwelling per
// household, households conserved), the base relocation rate (binomial), determinism across thread
// counts, and the response to a new station with and without upzoning.
#include "space/housing.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <numbers>
#include <random>

#include "space/firm_location.h"
#include "space/network.h"
#include "space/tod.h"

namespace plansim {
namespace {

constexpr ProcessId kHousingId = 9;

// Four zones 3 km apart on the x axis (4 km² each); line A serves zones 0 and 1 since 2010, line
// B's station at zone 3 is planned and opens only through open_stations.
SpaceConfig four_zone_config() {
  SpaceConfig c;
  const char* keys[] = {"z0", "z1", "z2", "z3"};
  for (int z = 0; z < 4; ++z) {
    ZoneLandUseSpec spec;
    spec.key = keys[z];
    spec.type = z < 2 ? ZoneType::kOldTown : ZoneType::kNewDistrict;
    spec.vacancy_2020 = 0.08;
    spec.dwelling_capacity_ratio = z < 2 ? 1.02 : 1.3;
    spec.job_floor_space_m2 = z == 0 ? 600000 : 200000;
    spec.job_floor_capacity_m2 = spec.job_floor_space_m2 * 1.5;
    c.zones.push_back(spec);
  }
  MetroLineSpec a;
  a.line = "A";
  a.sections = {"core"};
  a.stations = {{"s0", "core", 0, 0, 2010, 0, {}}, {"s1", "core", 3000, 0, 2010, 0, {}}};
  MetroLineSpec b;
  b.line = "B";
  b.sections = {"east"};
  b.stations = {{"s1", "east", 3000, 0, 0, 2022, {}}, {"s3", "east", 9000, 0, 0, 2022, {}}};
  c.lines = {a, b};
  return c;
}

World four_zone_world(std::size_t households, std::uint32_t seed = 5) {
  World w;
  w.year = 2020;
  for (int z = 0; z < 4; ++z) {
    ZoneLabel label;
    label.key = "z" + std::to_string(z);
    label.x_m = 3000.0 * z;
    label.y_m = 0;
    label.area_km2 = 4.0;
    w.zones.push_back(label);
  }
  std::mt19937 gen(seed);
  std::uniform_int_distribution<int> size(1, 4), age(0, 80), zone(0, 3);
  for (std::size_t h = 0; h < households; ++h) {
    const std::uint32_t row =
        w.households.append(w.new_household_id(), static_cast<std::uint16_t>(zone(gen)));
    const int members = size(gen);
    for (int k = 0; k < members; ++k)
      w.persons.append(w.new_person_id(), static_cast<std::uint8_t>(k == 0 ? 35 : age(gen)), kMale,
                       kPrimary, row);
  }
  rebuild_members(w);
  return w;
}

/// Adds `n` one-person households in zone 0 (as in-migration would), keeping rows sorted by id.
void add_households(World& w, int n) {
  for (int i = 0; i < n; ++i) {
    const std::uint32_t row = w.households.append(w.new_household_id(), 0);
    w.persons.append(w.new_person_id(), 28, kFemale, kCollege, row);
  }
  rebuild_members(w);
}

struct HousingRun {
  World world;
  HousingProcess housing;
  SeriesCatalog catalog;
  ReplicateResults results;
  RunSettings settings;
  RngStreams rng{20211116, 0};

  explicit HousingRun(World w, SpaceConfig config = four_zone_config())
      : world(std::move(w)), housing(std::move(config)) {
    HousingProcess::declare_series(catalog);
    Recorder init(results, catalog, 0, world.person_weight);
    StepContext ctx{world, rng, init, kHousingId, 2020, settings};
    housing.initialize(ctx);
  }
  void step(int year) {
    world.year = year;
    Recorder out(results, catalog, world.zones.size(), world.person_weight);
    out.begin_year(year);
    StepContext ctx{world, rng, out, kHousingId, year, settings};
    housing.step(ctx);
  }
  std::vector<std::int64_t> households_by_zone() const {
    std::vector<std::int64_t> n(world.zones.size(), 0);
    for (auto z : world.households.zone) ++n[z];
    return n;
  }
  double last(const char* key) const { return results.indicators.at(key).back(); }
};

TodIntervention open_line_b(int year) {
  TodIntervention t;
  t.kind = TodKind::kOpenStations;
  t.year = year;
  t.line = "B";
  t.stations = {"s1", "s3"};
  t.path = "interventions[0].open_stations";
  return t;
}

TEST(Housing, InvariantsHoldWhileHouseholdsArrive) {
  HousingRun run(four_zone_world(4000));
  for (int year = 2020; year <= 2029; ++year) {
    add_households(run.world, 60);  // zone 0 has almost no room: arrivals must go elsewhere
    const std::size_t before = run.world.households.size();
    run.step(year);
    ASSERT_EQ(run.world.households.size(), before);  // moves conserve households
    ASSERT_EQ(check_invariants(run.world), "");
    const auto occupied = run.households_by_zone();
    for (std::size_t z = 0; z < 4; ++z) {
      // Every household holds exactly one dwelling: no zone above its stock, none above zoning.
      EXPECT_LE(occupied[z], run.world.get<LandUse>().dwellings[z])
          << "zone " << z << " in " << year;
      EXPECT_LE(run.world.get<LandUse>().dwellings[z],
                run.world.get<LandUse>().dwelling_capacity[z]);
    }
    EXPECT_EQ(run.last("households_sharing_dwelling"), 0.0);
    EXPECT_EQ(run.housing.last_year().unplaced, 0);
    EXPECT_EQ(run.housing.last_year().new_households, 60);
  }
  // Developers built for the arrivals (4000 households at 8% vacancy had ~350 empty dwellings
  // for 600 arrivals), and prices responded.
  double stock = 0;
  for (double d : run.world.get<LandUse>().dwellings) stock += d;
  EXPECT_GE(stock, static_cast<double>(run.world.households.size()));
  EXPECT_NE(run.world.get<LandUse>().price_index[0], 1.0f);
}

TEST(Housing, BaseRateMovesFollowTheBinomial) {
  SpaceConfig config = four_zone_config();
  config.market.base_move_rate = 0.04;
  HousingRun run(four_zone_world(20000), config);
  run.step(2020);
  const double n = 20000, p = 0.04;
  const double movers = static_cast<double>(run.housing.last_year().movers);
  EXPECT_NEAR(movers, n * p, 4 * std::sqrt(n * p * (1 - p)));
  EXPECT_EQ(run.housing.last_year().new_households, 0);
  EXPECT_EQ(run.housing.last_year().placed, run.housing.last_year().movers);
  EXPECT_EQ(run.results.events.at("relocations").back(), run.housing.last_year().placed);
  double moved_in = 0;
  for (std::size_t z = 0; z < 4; ++z) moved_in += run.results.zones.at("relocations_in")[z];
  EXPECT_EQ(moved_in, static_cast<double>(run.housing.last_year().placed));
}

TEST(Housing, NoTriggersNoMoves) {
  SpaceConfig config = four_zone_config();
  config.market.base_move_rate = 0;
  config.market.growth_move_rate = 1;
  HousingRun run(four_zone_world(3000), config);
  const auto zones_before = run.world.households.zone;
  run.step(2020);
  run.step(2021);
  EXPECT_EQ(run.world.households.zone, zones_before);
  EXPECT_EQ(run.housing.last_year().movers, 0);
  // A birth in household 0 is a growth trigger: that household alone looks for a dwelling.
  run.world.persons.append(run.world.new_person_id(), 0, kFemale, kNoSchooling, 0);
  rebuild_members(run.world);
  run.step(2022);
  EXPECT_EQ(run.housing.last_year().movers, 1);
  EXPECT_EQ(run.housing.last_year().placed, 1);
}

TEST(Housing, SameResultsOnOneAndTwoThreads) {
  auto run_with = [](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(threads));
    HousingRun run(four_zone_world(40000));  // more than two chunks of households
    for (int year = 2020; year <= 2023; ++year) {
      add_households(run.world, 500);
      if (year == 2022) apply_tod_intervention(run.world, open_line_b(2022));
      run.step(year);
    }
    return std::make_pair(run.world.households.zone, run.results);
  };
  const auto [zones1, results1] = run_with(1);
  const auto [zones2, results2] = run_with(2);
  EXPECT_EQ(zones1, zones2);
  EXPECT_EQ(results1.indicators, results2.indicators);
  EXPECT_EQ(results1.zones, results2.zones);
  EXPECT_EQ(results1.events, results2.events);
}

// Station at zone 3 opening in 2022, with or without upzoning around it, against no opening.
struct Scenario {
  bool open = false;
  bool upzone = false;
};

HousingRun run_scenario(Scenario s) {
  HousingRun run(four_zone_world(8000));
  for (int year = 2020; year <= 2027; ++year) {
    if (s.open && year == 2022) apply_tod_intervention(run.world, open_line_b(2022));
    if (s.upzone && year == 2022) {
      TodIntervention t;
      t.kind = TodKind::kUpzone;
      t.year = 2022;
      t.zones = {"z3"};
      t.residential_capacity = CapacityChange{true, 0.3};
      t.path = "interventions[1].upzone";
      apply_tod_intervention(run.world, t);
    }
    run.step(year);
    const auto occupied = run.households_by_zone();
    for (std::size_t z = 0; z < 4; ++z)
      EXPECT_LE(occupied[z], run.world.get<LandUse>().dwelling_capacity[z])
          << "zone " << z << " in " << year;
  }
  return run;
}

TEST(Housing, NewStationRaisesAccessibilityAndPopulationNearby) {
  HousingRun base = run_scenario({});
  HousingRun tod = run_scenario({true, true});
  const std::size_t zones = 4;
  const auto& acc_base = base.results.zones.at("accessibility");
  const auto& acc_tod = tod.results.zones.at("accessibility");
  const std::size_t last = acc_base.size() / zones - 1;
  // Before the opening the runs are the same; after it zone 3 is better connected.
  EXPECT_EQ(acc_base[1 * zones + 3], acc_tod[1 * zones + 3]);
  EXPECT_GT(acc_tod[last * zones + 3], acc_base[last * zones + 3] * 1.05);
  EXPECT_GT(tod.housing.station_area_share()[3], 0.1);
  EXPECT_EQ(base.housing.station_area_share()[3], 0.0);
  EXPECT_GT(tod.households_by_zone()[3], base.households_by_zone()[3]);
  EXPECT_GT(tod.last("population_near_station_share"),
            base.last("population_near_station_share") + 5.0);
  EXPECT_LT(tod.last("mean_commute_cost_minutes"), base.last("mean_commute_cost_minutes"));
}

TEST(Housing, WithoutUpzoningTheShiftIsBoundedByCapacity) {
  HousingRun base = run_scenario({});
  HousingRun open_only = run_scenario({true, false});
  const double capacity = open_only.world.get<LandUse>().dwelling_capacity[3];
  EXPECT_EQ(capacity, base.world.get<LandUse>().dwelling_capacity[3]);  // no upzoning: same limit
  EXPECT_LE(static_cast<double>(open_only.households_by_zone()[3]), capacity);
  EXPECT_GE(open_only.households_by_zone()[3], base.households_by_zone()[3]);
}

TEST(Housing, SeriesAreRecordedForEveryYear) {
  HousingRun run(four_zone_world(1000));
  run.step(2020);
  run.step(2021);
  for (const char* key : {"population_near_station_share", "jobs_near_station_share",
                          "mean_commute_cost_minutes", "relocation_rate", "dwellings_completed",
                          "households_sharing_dwelling", "mean_price_index"})
    EXPECT_EQ(run.results.indicators.at(key).size(), 2u) << key;
  for (const char* key :
       {"accessibility", "population_density", "job_density", "dwelling_vacancy", "price_index",
        "dwellings", "station_area_share", "commute_cost_minutes", "relocations_in"})
    EXPECT_EQ(run.results.zones.at(key).size(), 8u) << key;
  // Zones 0 and 1 hold stations of line A: catchment discs of 800 m in 4 km² zones.
  EXPECT_NEAR(run.results.zones.at("station_area_share")[0], 100.0 * 0.64 * std::numbers::pi / 4.0,
              1.0);
}

TEST(Housing, WorkersWeighTheirCommute) {
  World w = four_zone_world(6000);
  // One firm in zone 3 employs the first member of every household.
  w.modules.ensure<FirmTable>().id = {1};
  w.modules.ensure<FirmTable>().zone = {3};
  w.modules.ensure<FirmTable>().removed = {0};
  w.modules.ensure<FirmTable>().employees = {0};
  for (std::size_t h = 0; h < w.households.size(); ++h) {
    add_person_jobs(w.persons).employer[w.households.member_row[w.households.member_offset[h]]] = 0;
    ++w.modules.ensure<FirmTable>().employees[0];
  }
  SpaceConfig config = four_zone_config();
  config.market.base_move_rate = 0.3;
  config.market.beta_commute_minutes = -0.1;
  HousingRun run(std::move(w), config);
  const auto before = run.households_by_zone();
  run.step(2020);
  run.step(2021);
  const auto after = run.households_by_zone();
  EXPECT_GT(after[3], before[3]);  // movers approach their work place as far as capacity allows
  EXPECT_GT(run.last("mean_commute_cost_minutes"), 0.0);
  const std::vector<double> weight = zone_attractiveness_for_firms(run.world);
  ASSERT_EQ(weight.size(), 4u);
  // Zone 3 holds every job: its floor is the most used, so it has the least room left.
  EXPECT_LT(weight[3], weight[0]);
}

TEST(FirmLocation, WeightsWithoutLandUseAreUniform) {
  World w = four_zone_world(10);
  EXPECT_EQ(zone_attractiveness_for_firms(w), std::vector<double>(4, 1.0));
}

}  // namespace
}  // namespace plansim

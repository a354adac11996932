// The economy process: configuration by year, the yearly hooks (start-of-year stocks, the order of
// the year's steps) and the zones' geography. The steps live by concern in economy_base_year.cpp,
// economy_labour.cpp, economy_firms.cpp, economy_accounts.cpp and economy_series.cpp.
#include "economy/economy.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "core/parallel.h"
#include "economy/detail/common.h"
#include "economy/detail/draws.h"
#include "economy/economy_interventions.h"
#include "population/city_zones.h"

namespace plansim {

using namespace economy;
using namespace economy::detail;

namespace {

// The city's values at the paths of the scenario's keys (the scenario block is not laid out like
// economy.yaml): what a trajectory knot set by --set where the scenario has no value is laid over.
ParamNode city_values_under_scenario_keys(const ParamNode& file) {
  ParamNode out(ParamNode::Kind::Map, file.loc(), "economy");
  for (const char* key : {"retirement", "labour_market", "pensions"})
    if (const ParamNode* n = file.peek(key)) out.set(key, n->loc(), *n);
  if (const ParamNode* p = file.peek("projection"); p && p->is_map())
    if (const ParamNode* n = p->peek("deflator_growth")) out.set("deflator_growth", n->loc(), *n);
  const ParamNode* sectors = file.peek("sectors");
  for (const char* key : {"external_demand_growth", "productivity_growth", "rd_intensity_growth"}) {
    ParamNode by_sector(ParamNode::Kind::Map, file.loc(), key);
    for (const ParamNode& row :
         sectors && sectors->is_sequence() ? sectors->items() : std::vector<ParamNode>{}) {
      const ParamNode* k = row.is_map() ? row.peek("key") : nullptr;
      const ParamNode* v = row.is_map() ? row.peek(key) : nullptr;
      if (k && v && k->is_scalar()) by_sector.set(k->text(), v->loc(), *v);
    }
    out.set(key, file.loc(), std::move(by_sector));
  }
  return out;
}
struct PersonCounts {
  std::int64_t employed = 0, unemployed = 0, eligible = 0, covered = 0, persons = 0;
  std::array<std::array<std::int64_t, kMaxAge + 1>, 2> employed_by_sex_age{};
};

}  // namespace

void EconomyProcess::configure(ConfigureContext& ctx) {
  const ParamNode* file = ctx.city.find("economy");
  if (!file) {
    ctx.diags.error(ctx.city.loc(),
                    "economy: the city config has no economy.yaml (needed by the "
                    "economy process)");
    ctx.params.mark_all_used();
    return;
  }
  // Zone keys of the city (the catalogue's zones.yaml).
  const std::vector<std::string> city_zones = ctx.city_data<CityZones>().keys();
  Diagnostics& diags = ctx.diags;
  const int start = ctx.run.start_year;
  // The base year is the calibration year: the city's own values, so that it reproduces the
  // published figures whatever the scenario says.
  const ParamNode no_scenario(ParamNode::Kind::Map, SourceLoc{}, "economy");
  EconomyConfig base = read_economy_config(evaluated_at(*file, start, diags), no_scenario, ctx.run,
                                           city_zones, diags);
  // Demand shocks and R&D subsidies were once keys of this block; they are interventions now.
  for (const char* old_key : {"demand_shocks", "rd_subsidies"})
    if (const ParamNode* n = ctx.params.peek(old_key)) {
      const bool shock = old_key[0] == 'd';
      SourceLoc at = n->loc();
      for (const ParamNode::Entry& e : ctx.params.entries())
        if (e.key == old_key) at = e.key_loc;
      diags.error(at,
                  n->path() + ": " + (shock ? "demand shocks" : "R&D subsidies") +
                      " are interventions: write each under policy.interventions, e.g. " +
                      (shock ? "{years: 2022-2023, demand_shock: {sector: modern_commerce, level: "
                               "{2022: -0.10, 2023: -0.06}, recovery_years: 3}}"
                             : "{years: 2022-2025, rd_subsidy: {sector: tech_services, rate: "
                               "0.3}}") +
                      " (engine/economy/economy_interventions.h)");
      n->mark_all_used();
    }
  // Every number may be a trajectory: the configuration of each year, scenario over city.
  const ParamNode beneath = city_values_under_scenario_keys(*file);
  ByYear<EconomyConfig> years =
      read_by_year<EconomyConfig>(start, ctx.run.end_year, {file, &ctx.params}, [&](int year) {
        EconomyConfig c = read_economy_config(evaluated_at(*file, year, diags),
                                              evaluated_at(ctx.params, year, diags, &beneath),
                                              ctx.run, city_zones, diags);
        return c;
      });
  configure(base, std::move(years), ctx.catalog);
}

void EconomyProcess::configure(const EconomyConfig& config, SeriesCatalog& catalog) {
  configure(config, ByYear<EconomyConfig>(config.base_year, {config}), catalog);
}

void EconomyProcess::configure(const EconomyConfig& base, ByYear<EconomyConfig> years,
                               SeriesCatalog& catalog) {
  base_ = base;
  by_year_ = std::move(years);
  config_ = base_;
  current_year_ = std::numeric_limits<int>::min();
  matching_rules_.efficiency = 0;  // calibrated in the base year
  matching_rules_.fit.clear();
  for (const SectorSpec& s : base_.sectors) matching_rules_.fit.push_back(s.education_fit);
  use_year(base_.base_year);
  declare_series(catalog);
}

const EconomyConfig& EconomyProcess::config(int year) const {
  return year <= base_.base_year || by_year_.empty() ? base_ : by_year_.at(year);
}

void EconomyProcess::use_year(int year) {
  if (year == current_year_) return;
  current_year_ = year;
  config_ = config(year);
  matching_rules_.rounds = config_.labour.matching_rounds;
  matching_rules_.search_intensity = config_.labour.search_intensity;
  matching_rules_.elasticity = config_.labour.matching_elasticity;
  participation_.assign(2 * kEducationLevels * (kMaxAge + 1), 0.0);
  for (int female = 0; female < 2; ++female)
    for (int e = 0; e < kEducationLevels; ++e)
      for (int age = 0; age <= kMaxAge; ++age)
        participation_[(female * kEducationLevels + e) * (kMaxAge + 1) + age] = std::clamp(
            config_.participation_rate(age, female == 1) * config_.participation_factor[e], 0.0,
            1.0);
}

int EconomyProcess::retirement_age(int year, std::uint64_t person_id, bool female,
                                   const RngStreams& rng, ProcessId process) const {
  const RetirementRules& r = config_.retirement;
  const bool worker =
      female &&
      stream(rng, kLifetimeYear, process, Purpose::kRetirementGroup, person_id).uniform() <
          r.female_worker_share;
  return r.age(year, female, worker);
}

void EconomyProcess::refresh_geography(const World& world) {
  const ZoneInputs* inputs = world.find<ZoneInputs>();
  const std::size_t zones = state_.zones;
  if (world.zone_count() != zones) return;  // a World without zones: one zone, nothing to refresh
  static const ZoneInputs kNoLandUseModel;
  const ZoneInputs& land = inputs ? *inputs : kNoLandUseModel;
  // Travel costs of a land-use model (they change when stations open) replace centroid distances.
  if (land.travel_cost_minutes.size() != zones * zones &&
      config_.labour.commute_decay_m != state_.access_decay_m) {
    state_.access = commuting_access(world.zones, config_.labour.commute_decay_m);
    state_.access_decay_m = config_.labour.commute_decay_m;
  }
  if (land.travel_cost_minutes.size() == zones * zones) {
    for (std::size_t k = 0; k < zones * zones; ++k)
      state_.access.weight[k] =
          std::exp(-land.travel_cost_minutes[k] / config_.labour.commute_decay_minutes);
  }
  // Zoned job floor space (upzoning raises it) replaces the config's land for jobs.
  if (land.job_floor_capacity_m2.size() == zones) {
    for (std::size_t z = 0; z < zones; ++z)
      state_.zone_capacity[z] =
          land.job_floor_capacity_m2[z] / config_.location.floor_space_per_job_m2 * state_.scale;
  }
}

void EconomyProcess::begin_year(StepContext& ctx) {
  use_year(ctx.year);
  const World& world = ctx.world;
  const PersonTable& p = world.persons;
  ConstPersonJobs labour(p);
  const FirmTable& firms = world.get<FirmTable>();
  const std::size_t zones = state_.zones;
  const std::size_t chunks = chunk_count(p.size());
  zone_partial_.assign(chunks * 2 * zones, 0);
  const PensionRules& pension = config_.pensions;
  const PersonCounts counts = reduce_chunks<PersonCounts>(
      p.size(),
      [&](std::size_t begin, std::size_t end) {
        PersonCounts c;
        std::int64_t* jobs = &zone_partial_[(begin / kChunkRows) * 2 * zones];
        std::int64_t* residents = jobs + zones;
        for (std::size_t i = begin; i < end; ++i) {
          if (p.removed[i]) continue;
          ++c.persons;
          ++residents[home_zone(world, static_cast<std::uint32_t>(i), zones)];
          const std::uint8_t status = labour.labour_status[i];
          const bool employed = status == kEmployed && labour.employer[i] < firms.size();
          if (employed) {
            ++c.employed;
            ++c.employed_by_sex_age[p.sex[i] == kFemale][p.age[i]];
            const std::size_t z = firms.zone[labour.employer[i]];
            ++jobs[z < zones ? z : 0];
          }
          c.unemployed += status == kUnemployed;
          const bool student =
              status == kNotInLabourForce && p.age[i] <= config_.labour.student_max_age;
          if (p.age[i] < config_.labour.min_working_age || student) continue;
          ++c.eligible;
          const double rate = employed             ? pension.coverage_employed
                              : status == kRetired ? pension.coverage_retired
                                                   : pension.coverage_other;
          c.covered += ctx.lifetime_stream(Purpose::kPensionCoverage, p.id[i]).uniform() < rate;
        }
        return c;
      },
      [](PersonCounts& acc, const PersonCounts& x) {
        for (int s = 0; s < 2; ++s)
          for (int a = 0; a <= kMaxAge; ++a)
            acc.employed_by_sex_age[s][a] += x.employed_by_sex_age[s][a];
        acc.employed += x.employed;
        acc.unemployed += x.unemployed;
        acc.eligible += x.eligible;
        acc.covered += x.covered;
        acc.persons += x.persons;
      });
  std::vector<float> jobs(world.zone_count(), 0.0f);
  residents_by_zone_.assign(zones, 0);
  std::vector<std::int64_t> jobs_total(zones, 0);
  for (std::size_t c = 0; c < chunks; ++c)
    for (std::size_t z = 0; z < zones; ++z) {
      jobs_total[z] += zone_partial_[c * 2 * zones + z];
      residents_by_zone_[z] += zone_partial_[c * 2 * zones + zones + z];
    }
  const double w = world.person_weight;
  for (std::size_t z = 0; z < jobs.size(); ++z)
    jobs[z] = static_cast<float>(static_cast<double>(jobs_total[z]) * w);
  state_.employed = counts.employed;
  state_.unemployed = counts.unemployed;
  state_.employed_by_sex_age = counts.employed_by_sex_age;
  Recorder& out = ctx.out;
  const double labour_force = static_cast<double>(counts.employed + counts.unemployed);
  out.indicator("employment", static_cast<double>(counts.employed) * w);
  out.indicator("labour_force", labour_force * w);
  const double unemployment =
      labour_force > 0 ? 100.0 * static_cast<double>(counts.unemployed) / labour_force : 0.0;
  out.indicator("unemployment_rate", unemployment);
  // The registered rate in the base year's proportion to the surveyed one: registration (mostly
  // of local hukou holders entitled to benefits) is not simulated person by person.
  const double surveyed_2020 = config_.surveyed_unemployment_rate_2020;
  out.indicator("registered_unemployment_rate",
                surveyed_2020 > 0
                    ? unemployment * config_.registered_unemployment_rate_2020 / surveyed_2020
                    : 0.0);
  out.indicator("pension_coverage", counts.eligible > 0
                                        ? 100.0 * static_cast<double>(counts.covered) /
                                              static_cast<double>(counts.eligible)
                                        : 0.0);
  out.indicator("firms", static_cast<double>(firms.size()) * w);
  if (world.zone_count() > 0) out.zone("jobs", jobs);
}

void EconomyProcess::step(StepContext& ctx) {
  use_year(ctx.year);
  const bool base = ctx.year == config_.base_year;
  refresh_geography(ctx.world);
  if (!base) {
    for (std::size_t s = 0; s < state_.sectors.size(); ++s)
      state_.sectors[s].rd_trend *= 1 + config_.sectors[s].rd_intensity_growth;
    advance_prices_and_productivity(ctx);
  }
  // This year's demand (base-year prices) and R&D intensity.
  for (std::size_t s = 0; s < state_.sectors.size(); ++s) {
    SectorState& st = state_.sectors[s];
    const double household =
        state_.consumption_real_base > 0
            ? st.household_base_real * state_.consumption_real_last / state_.consumption_real_base
            : st.household_base_real;
    st.demand_real = st.external_real + household;
    st.rd_intensity = st.rd_intensity_base * st.rd_trend *
                      std::pow(1 - economy_policies(ctx.world).rd_subsidy_rate(s, ctx.year),
                               -config_.innovation.subsidy_response);
  }
  // Separations as a stock-flow residual: jobs held at the end of last year minus jobs still held
  // before this year's hiring. This also counts workers who died or moved away, whom the
  // demography process may already have removed from the person table.
  std::int64_t employed_last_year = 0;
  for (std::uint32_t e : ctx.world.get<FirmTable>().employees) employed_last_year += e;
  // Each part's wall and CPU time go to the profile (plansim run --profile).
  PhaseTimer timer;
  labour_force_transitions(ctx);
  lap(ctx.parts, "labour force", timer);
  std::int64_t separations = employed_last_year, entries = 0, exits = 0;
  firm_dynamics(ctx, separations, entries, exits);
  lap(ctx.parts, "firms", timer);
  std::int64_t newly_employed = 0;
  const std::int64_t hires = run_matching(ctx, false, newly_employed);
  lap(ctx.parts, "matching", timer);
  ctx.out.event("hires", hires);
  ctx.out.event("separations", separations);
  ctx.out.event("firm_entries", entries);
  ctx.out.event("firm_exits", exits);
  account_and_record(ctx, newly_employed);
  lap(ctx.parts, "accounts", timer);
}

}  // namespace plansim

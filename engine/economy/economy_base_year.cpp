// The economy's base year: labour status, the unemployed, firms (heavy-tailed sizes by sector) and
// the first job assignment, built to reproduce the city's published figures.
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "core/parallel.h"
#include "core/rounding.h"
#include "economy/detail/common.h"
#include "economy/detail/draws.h"
#include "economy/economy.h"

namespace plansim {

using namespace economy;
using namespace economy::detail;

void EconomyProcess::initialize(StepContext& ctx) {
  World& world = ctx.world;
  use_year(ctx.year);
  state_ = EconomyState{};
  matching_rules_.efficiency = 0;
  state_.scale = 1.0 / world.person_weight;
  state_.zones = std::max<std::size_t>(1, world.zone_count());
  state_.access = commuting_access(world.zones, config_.labour.commute_decay_m);
  state_.access_decay_m = config_.labour.commute_decay_m;

  // Zones: economy_zones.csv rows matched to the World's zones by key.
  Diagnostics zone_errors;
  std::vector<double> share(state_.zones, 0.0), land(state_.zones, 0.0);
  std::vector<char> known(state_.zones, 0);
  double mean_share = 0, mean_land = 0;
  for (const ZoneEconomySpec& z : config_.zones) {
    mean_share += z.jobs_share_2020 / static_cast<double>(config_.zones.size());
    mean_land += z.land_for_jobs_ha / static_cast<double>(config_.zones.size());
  }
  std::vector<std::string> world_keys;
  for (const ZoneLabel& z : world.zones) world_keys.push_back(z.key);
  for (const ZoneEconomySpec& z : config_.zones) {
    const auto it = std::find(world_keys.begin(), world_keys.end(), z.key);
    if (it == world_keys.end()) {
      if (world.zone_count() == 0) continue;
      std::string message = "zones: '" + z.key + "' is not a zone of the city";
      const std::string hint = closest_match(z.key, world_keys);
      if (!hint.empty()) message += " (did you mean '" + hint + "'?)";
      zone_errors.error(z.loc, message);
      continue;
    }
    const std::size_t row = static_cast<std::size_t>(it - world_keys.begin());
    share[row] = z.jobs_share_2020;
    land[row] = z.land_for_jobs_ha;
    known[row] = 1;
  }
  zone_errors.throw_if_any();
  for (std::size_t z = 0; z < state_.zones; ++z)
    if (!known[z]) {  // a zone the config does not describe: an average zone
      share[z] = world.zone_count() == 0 ? 1.0 : mean_share;
      land[z] = world.zone_count() == 0 ? mean_land * static_cast<double>(config_.zones.size())
                                        : mean_land;
    }
  const double share_sum = std::accumulate(share.begin(), share.end(), 0.0);
  state_.zone_jobs_share.resize(state_.zones);
  state_.zone_capacity.resize(state_.zones);
  for (std::size_t z = 0; z < state_.zones; ++z) {
    state_.zone_jobs_share[z] =
        share_sum > 0 ? share[z] / share_sum : 1.0 / static_cast<double>(state_.zones);
    state_.zone_capacity[z] = land[z] * config_.location.jobs_per_ha * state_.scale;
  }
  residents_by_zone_.assign(state_.zones, 0);
  refresh_geography(world);

  // Money levels of the base year.
  state_.sectors.assign(config_.sectors.size(), SectorState{});
  for (std::size_t s = 0; s < config_.sectors.size(); ++s)
    state_.sectors[s].wage_index = config_.sectors[s].wage_2020_yuan;
  state_.employee_pension = config_.pensions.employee_pension_2020_yuan;
  state_.resident_pension = config_.pensions.resident_pension_2020_yuan;
  state_.other_income = config_.income.other_income_per_capita_2020_yuan;
  state_.unemployment_benefit = config_.income.unemployment_benefit_2020_yuan;

  // Fresh economy columns.
  PersonTable& p = world.persons;
  world.modules.emplace<FirmTable>();
  PersonJobs labour = add_person_jobs(p);
  std::fill(labour.employer.begin(), labour.employer.end(), kNoRow);
  std::fill(labour.wage_yuan.begin(), labour.wage_yuan.end(), 0.0f);
  std::fill(labour.labour_status.begin(), labour.labour_status.end(), kNotInLabourForce);

  assign_base_labour_status(ctx);  // leaves the persons to employ in seekers_
  // Jobs by sector: the persons to employ times the sector's share of the employment weights,
  // integerised by largest remainder (the weights' sum is positive: the reader checks it).
  const auto to_employ = static_cast<std::int64_t>(seekers_.size());
  double weight_sum = 0;
  for (const SectorSpec& s : config_.sectors) weight_sum += s.employment_weight;
  std::vector<double> quotas;
  for (const SectorSpec& s : config_.sectors)
    quotas.push_back(
        weight_sum > 0 ? static_cast<double>(to_employ) * s.employment_weight / weight_sum : 0.0);
  const std::vector<std::int64_t> jobs = round_to_total(quotas, weight_sum > 0 ? to_employ : 0);
  create_base_firms(ctx, std::vector<std::uint64_t>(jobs.begin(), jobs.end()));
  std::int64_t newly_employed = 0;
  run_matching(ctx, true, newly_employed);

  // R&D intensities: relative weights scaled so that the city's R&D / GDP is the published one.
  double weighted = 0;
  for (const SectorSpec& s : config_.sectors) weighted += s.value_added_2020_yuan * s.rd_weight;
  const double rd_scale =
      weighted > 0 ? config_.innovation.rd_intensity_2020 * config_.gdp_2020_yuan / weighted : 0.0;
  for (std::size_t s = 0; s < config_.sectors.size(); ++s) {
    SectorState& st = state_.sectors[s];
    const SectorSpec& spec = config_.sectors[s];
    const double output = spec.value_added_2020_yuan * state_.scale;
    st.external_trend_real = st.external_real = (1 - spec.household_demand_share) * output;
    st.household_base_real = spec.household_demand_share * output;
    st.demand_real = output;
    st.rd_intensity_base = st.rd_intensity = rd_scale * spec.rd_weight;
  }
  pay_wages(world);
  std::int64_t persons = 0;
  for (std::size_t i = 0; i < p.size(); ++i) persons += !p.removed[i];
  state_.patent_stock =
      config_.innovation.patents_per_10k_2020 * static_cast<double>(persons) / 1e4;
  ctx.out.scalar("economy_base_firms",
                 static_cast<double>(world.get<FirmTable>().size()) * world.person_weight);
}

void EconomyProcess::assign_base_labour_status(StepContext& ctx) {
  World& world = ctx.world;
  PersonTable& p = world.persons;
  PersonJobs labour(p);
  const int year = ctx.year, min_age = config_.labour.min_working_age;
  // Retired, inactive, or in the labour force (marked unemployed for now).
  for_each_chunk(p.size(), [&](std::size_t begin, std::size_t end, std::size_t) {
    for (std::size_t i = begin; i < end; ++i) {
      if (p.removed[i]) continue;
      const bool female = p.sex[i] == kFemale;
      const int age = p.age[i];
      if (age >= retirement_age(year, p.id[i], female, ctx.rng, ctx.process_id)) {
        labour.labour_status[i] = kRetired;
      } else if (age < min_age) {
        labour.labour_status[i] = kNotInLabourForce;
      } else {
        const double prob =
            participation_[(female * kEducationLevels + p.education[i]) * (kMaxAge + 1) + age];
        const double u = ctx.lifetime_stream(Purpose::kParticipation, p.id[i]).uniform();
        labour.labour_status[i] = u < prob ? kUnemployed : kNotInLabourForce;
      }
    }
  });
  // The unemployed: a weighted sample without replacement of exactly round(rate x labour force),
  // weights by education (exponential keys -ln(u) / weight, the smallest win).
  std::vector<std::pair<double, std::uint32_t>> keyed;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (!p.removed[i] && labour.labour_status[i] == kUnemployed)
      keyed.emplace_back(0.0, static_cast<std::uint32_t>(i));
  tbb::parallel_for(std::size_t{0}, keyed.size(), [&](std::size_t k) {
    const std::uint32_t i = keyed[k].second;
    const double risk = config_.unemployment_risk[p.education[i]];
    const double u = ctx.stream(Purpose::kInitialUnemployment, p.id[i]).uniform_open();
    keyed[k].first = risk > 0 ? -std::log(u) / risk : std::numeric_limits<double>::infinity();
  });
  const std::size_t unemployed = std::min<std::size_t>(
      keyed.size(), static_cast<std::size_t>(std::llround(config_.surveyed_unemployment_rate_2020 *
                                                          static_cast<double>(keyed.size()))));
  std::nth_element(keyed.begin(), keyed.begin() + static_cast<std::ptrdiff_t>(unemployed),
                   keyed.end());
  seekers_.clear();
  for (std::size_t k = unemployed; k < keyed.size(); ++k) seekers_.push_back(keyed[k].second);
  std::sort(seekers_.begin(), seekers_.end());
}

void EconomyProcess::create_base_firms(StepContext& ctx, const std::vector<std::uint64_t>& jobs) {
  FirmTable& firm_table = ctx.world.get<FirmTable>();
  const FirmRules& rules = config_.firms;
  std::vector<double> zone_cumulative(state_.zones);
  std::partial_sum(state_.zone_jobs_share.begin(), state_.zone_jobs_share.end(),
                   zone_cumulative.begin());
  const double sigma = rules.productivity_dispersion;
  std::vector<double> weights, phi;
  std::vector<std::uint16_t> zone;
  std::vector<std::uint8_t> age;
  std::vector<std::uint32_t> size;
  for (std::size_t s = 0; s < config_.sectors.size(); ++s) {
    const SectorSpec& spec = config_.sectors[s];
    SectorState& st = state_.sectors[s];
    const auto firms = static_cast<std::uint64_t>(
        std::clamp<double>(std::llround(spec.firms_2020 * state_.scale), jobs[s] > 0 ? 1.0 : 0.0,
                           static_cast<double>(jobs[s])));
    weights.assign(firms, 0.0);
    phi.assign(firms, 1.0);
    zone.assign(firms, 0);
    age.assign(firms, 0);
    const std::uint64_t first_id = state_.next_firm_id;
    state_.next_firm_id += firms;
    for (std::uint64_t k = 0; k < firms; ++k) {
      AgentRng r = ctx.stream(Purpose::kFirmCreation, first_id + k);
      zone[k] = static_cast<std::uint16_t>(pick(zone_cumulative, r.uniform()));
      phi[k] = std::exp(sigma * r.normal() - 0.5 * sigma * sigma);
      weights[k] = pareto_weight(r, rules.size_tail_exponent);
      // Ages of a population of firms with a constant exit hazard (geometric), capped.
      const double hazard = std::max(spec.exit_hazard, 1e-3);
      age[k] = static_cast<std::uint8_t>(std::min<double>(
          rules.max_initial_age, std::floor(-std::log(r.uniform_open()) / hazard)));
    }
    allocate_positions(jobs[s], weights, size);
    double capacity = 0;  // positions x relative productivity
    for (std::uint64_t k = 0; k < firms; ++k) capacity += size[k] * phi[k];
    st.productivity_real =
        capacity > 0 ? spec.value_added_2020_yuan * state_.scale / capacity : 0.0;
    for (std::uint64_t k = 0; k < firms; ++k) {
      const std::uint32_t row = append_firm(
          firm_table, first_id + k, static_cast<std::uint8_t>(s), zone[k],
          static_cast<float>(st.productivity_real * phi[k]),
          static_cast<float>(st.wage_index * std::pow(phi[k], rules.wage_productivity_elasticity)),
          age[k]);
      firm_table.vacancies[row] = size[k];
    }
  }
  created_.assign(firm_table.size(), 0);
  for (std::size_t f = 0; f < firm_table.size(); ++f) created_[f] = firm_table.vacancies[f];
}

}  // namespace plansim

// Firms in a year: prices and productivity, exits, growth, entry and location, labour demand and
// layoffs.
#include <algorithm>
#include <array>
#include <cmath>

#include "core/parallel.h"
#include "economy/detail/common.h"
#include "economy/detail/draws.h"
#include "economy/economy.h"
#include "economy/economy_interventions.h"

namespace plansim {

using namespace economy;
using namespace economy::detail;

namespace {

std::uint32_t stochastic_round(double x, double u) {
  if (!(x > 0)) return 0;
  return static_cast<std::uint32_t>(std::min(std::floor(x + u), 4.0e9));
}

}  // namespace

void EconomyProcess::advance_prices_and_productivity(StepContext& ctx) {
  const double inflation = config_.deflator_growth;
  state_.price_level *= 1 + inflation;
  ctx.world.modules.ensure<PriceLevel>().gdp_deflator = state_.price_level;
  const EconomyPolicies& policies = economy_policies(ctx.world);
  std::array<double, kMaxSectors> factor{};
  double positions = 0, weighted_factor = 0;
  for (std::size_t s = 0; s < state_.sectors.size(); ++s) {
    SectorState& st = state_.sectors[s];
    const SectorSpec& spec = config_.sectors[s];
    // Shocks are levels relative to the baseline path, so demand returns to it when they end.
    st.external_trend_real *= 1 + spec.external_demand_growth;
    st.external_real = st.external_trend_real * policies.demand_level(s, ctx.year);
    // R&D above its base-year level adds to productivity growth.
    const double rd =
        st.rd_intensity_base * st.rd_trend *
        std::pow(1 - policies.rd_subsidy_rate(s, ctx.year), -config_.innovation.subsidy_response);
    const double growth = spec.productivity_growth +
                          config_.innovation.productivity_effect * (rd - st.rd_intensity_base);
    st.productivity_real *= 1 + growth;
    factor[s] = (1 + growth) * (1 + inflation);
    st.wage_index *= factor[s];
    positions += static_cast<double>(st.positions);
    weighted_factor += static_cast<double>(st.positions) * factor[s];
  }
  FirmTable& firms = ctx.world.get<FirmTable>();
  for_each_chunk(
      firms.size(),
      [&](std::size_t begin, std::size_t end, std::size_t) {
        for (std::size_t f = begin; f < end; ++f) {
          firms.productivity_yuan[f] =
              static_cast<float>(firms.productivity_yuan[f] * factor[firms.sector[f]]);
          firms.wage_level_yuan[f] =
              static_cast<float>(firms.wage_level_yuan[f] * factor[firms.sector[f]]);
        }
      },
      kFirmChunk);
  const double wage_growth = positions > 0 ? weighted_factor / positions : 1 + inflation;
  state_.employee_pension *= 1 + config_.pensions.indexation;
  state_.resident_pension *= 1 + config_.pensions.indexation;
  state_.other_income *= wage_growth;
  state_.unemployment_benefit *= wage_growth;
  const std::size_t retail = retail_sector();
  state_.non_resident_retail_trend *=
      (1 + config_.sectors[retail].external_demand_growth) * (1 + inflation);
  state_.non_resident_retail =
      state_.non_resident_retail_trend * policies.demand_level(retail, ctx.year);
}

std::size_t EconomyProcess::retail_sector() const {
  for (std::size_t s = 0; s < config_.sectors.size(); ++s)
    if (config_.sectors[s].key == "modern_commerce") return s;
  return config_.tech_sector;
}

void EconomyProcess::firm_dynamics(StepContext& ctx, std::int64_t& separations,
                                   std::int64_t& entries, std::int64_t& exits) {
  World& world = ctx.world;
  FirmTable& firms = world.get<FirmTable>();
  PersonTable& p = world.persons;
  PersonJobs labour(p);
  const FirmRules& rules = config_.firms;
  const std::size_t n = firms.size(), sectors = state_.sectors.size(), zones = state_.zones;
  const double price = state_.price_level;

  // Positions of last year (filled or not), then this year's workforce after departures.
  previous_positions_.resize(n);
  for (std::size_t f = 0; f < n; ++f)
    previous_positions_[f] = firms.employees[f] + firms.vacancies[f];
  employees_.build(world);

  // Exits (hazard by age and relative productivity) and desired sizes (Gibrat growth shocks).
  desired_.resize(n);
  relative_productivity_.resize(n);
  rounding_.resize(n);
  const double sd = rules.growth_shock_sd;
  const SectorTotals before = reduce_chunks<SectorTotals>(
      n,
      [&](std::size_t begin, std::size_t end) {
        SectorTotals t;
        for (std::size_t f = begin; f < end; ++f) {
          const std::size_t s = firms.sector[f];
          const SectorState& st = state_.sectors[s];
          const double phi = st.productivity_real > 0
                                 ? firms.productivity_yuan[f] / (st.productivity_real * price)
                                 : 1.0;
          relative_productivity_[f] = phi;
          AgentRng r = ctx.stream(Purpose::kFirmYear, firms.id[f]);
          const double u_exit = r.uniform();
          const double shock = r.normal();
          rounding_[f] = r.uniform();
          ++t.firms[s];
          double hazard = config_.sectors[s].exit_hazard *
                          std::pow(std::max(phi, 1e-6), -rules.exit_productivity_elasticity);
          if (firms.age[f] < rules.young_firm_years) hazard *= rules.young_exit_multiplier;
          hazard *= std::pow(std::max(1.0, static_cast<double>(previous_positions_[f])),
                             -rules.exit_size_elasticity);
          if (u_exit < hazard) {
            firms.removed[f] = 1;
            desired_[f] = 0;
            ++t.exits;
            continue;
          }
          desired_[f] = previous_positions_[f] * std::exp(sd * shock - 0.5 * sd * sd);
          t.weighted_desire[s] += desired_[f] * phi;
        }
        return t;
      },
      [&](SectorTotals& acc, const SectorTotals& x) { add(acc, x, sectors); }, kFirmChunk);
  exits = before.exits;

  // Entrants: a Poisson number per sector; each picks a zone by attractiveness.
  entrants_.clear();
  std::vector<double> positions_by_bucket(zones * sectors, 0.0), positions_by_zone(zones, 0.0);
  std::vector<double> positions_by_sector(sectors, 0.0);
  for (std::size_t f = 0; f < n; ++f) {
    const std::size_t z = firms.zone[f] < zones ? firms.zone[f] : 0;
    positions_by_bucket[z * sectors + firms.sector[f]] += previous_positions_[f];
    positions_by_zone[z] += previous_positions_[f];
    positions_by_sector[firms.sector[f]] += previous_positions_[f];
  }
  // Labour-market access of each workplace zone: residents weighted by commuting weight.
  std::vector<double> access(zones, 1.0);
  double residents = 0;
  for (std::size_t h = 0; h < zones; ++h) residents += static_cast<double>(residents_by_zone_[h]);
  if (residents > 0)
    for (std::size_t z = 0; z < zones; ++z) {
      double a = 0;
      for (std::size_t h = 0; h < zones; ++h)
        a += static_cast<double>(residents_by_zone_[h]) * state_.access(h, z);
      access[z] = a / residents;
    }
  const LocationRules& loc = config_.location;
  std::vector<double> cumulative(zones);
  const double sigma = rules.productivity_dispersion;
  for (std::size_t s = 0; s < sectors; ++s) {
    const double mean_in_zone = positions_by_sector[s] / static_cast<double>(zones);
    double max_u = -1e300;
    for (std::size_t z = 0; z < zones; ++z) {
      const double free = state_.zone_capacity[z] > 0
                              ? std::max(0.0, 1.0 - positions_by_zone[z] / state_.zone_capacity[z])
                              : 0.0;
      const double agglomeration =
          mean_in_zone > 0 ? std::log1p(positions_by_bucket[z * sectors + s] / mean_in_zone) : 0.0;
      cumulative[z] = loc.access_weight * access[z] + loc.land_weight * free +
                      loc.agglomeration_weight * agglomeration;
      max_u = std::max(max_u, cumulative[z]);
    }
    double sum = 0;
    for (std::size_t z = 0; z < zones; ++z) cumulative[z] = sum += std::exp(cumulative[z] - max_u);
    AgentRng sector_rng = ctx.stream(Purpose::kSectorEntry, s);
    const std::uint32_t count =
        sector_rng.poisson(config_.sectors[s].entry_rate * static_cast<double>(before.firms[s]));
    for (std::uint32_t k = 0; k < count; ++k) {
      Entrant e{state_.next_firm_id++, static_cast<std::uint8_t>(s), 0, 1.0, 1.0, 0.0};
      AgentRng r = ctx.stream(Purpose::kFirmCreation, e.id);
      e.zone = static_cast<std::uint16_t>(pick(cumulative, r.uniform()));
      e.phi = std::exp(sigma * r.normal() - 0.5 * sigma * sigma);
      e.desired = std::min<double>(rules.entrant_max_positions,
                                   std::floor(pareto_weight(r, rules.size_tail_exponent)));
      e.rounding = r.uniform();
      entrants_.push_back(e);
    }
  }
  entries = static_cast<std::int64_t>(entrants_.size());

  // Labour demand: positions such that sum(positions x productivity) meets the sector's demand.
  std::array<double, kMaxSectors> weighted = before.weighted_desire;
  for (const Entrant& e : entrants_) weighted[e.sector] += e.desired * e.phi;
  std::array<double, kMaxSectors> scale{};
  for (std::size_t s = 0; s < sectors; ++s) {
    const SectorState& st = state_.sectors[s];
    scale[s] = weighted[s] > 0 && st.productivity_real > 0
                   ? st.demand_real / (st.productivity_real * weighted[s])
                   : 0.0;
  }

  // Targets and layoffs (the workers with the smallest layoff keys leave a shrinking firm).
  target_.resize(n);
  created_.resize(n);
  layoff_key_.resize(p.size());
  for_each_chunk(
      n,
      [&](std::size_t begin, std::size_t end, std::size_t) {
        for (std::size_t f = begin; f < end; ++f) {
          const std::uint32_t target =
              firms.removed[f] ? 0u
                               : std::max(1u, stochastic_round(scale[firms.sector[f]] * desired_[f],
                                                               rounding_[f]));
          target_[f] = target;
          created_[f] = target > previous_positions_[f] ? target - previous_positions_[f] : 0u;
          const std::uint32_t have = employees_.count(f);
          if (have <= target) continue;
          std::uint32_t* first = &employees_.person[employees_.offset[f]];
          std::uint32_t* last = first + have;
          const std::uint32_t leave = have - target;
          if (target > 0) {
            for (std::uint32_t* q = first; q != last; ++q)
              layoff_key_[*q] = ctx.stream(Purpose::kLayoff, p.id[*q]).uniform();
            std::nth_element(first, first + leave, last, [&](std::uint32_t a, std::uint32_t b) {
              return layoff_key_[a] < layoff_key_[b] || (layoff_key_[a] == layoff_key_[b] && a < b);
            });
          }
          for (std::uint32_t* q = first; q != first + leave; ++q) {
            labour.employer[*q] = kNoRow;
            labour.labour_status[*q] = kUnemployed;
            labour.wage_yuan[*q] = 0.0f;
          }
          firms.employees[f] = target;
        }
      },
      kFirmChunk);
  for (std::size_t f = 0; f < n; ++f) separations -= firms.employees[f];

  // Drop exited firms (keeping the scratch columns aligned), age the rest, append entrants.
  std::size_t kept = 0;
  for (std::size_t f = 0; f < n; ++f) {
    if (firms.removed[f]) continue;
    target_[kept] = target_[f];
    created_[kept] = created_[f];
    ++kept;
  }
  target_.resize(kept);
  created_.resize(kept);
  compact_firms(world);
  for (std::size_t f = 0; f < firms.size(); ++f)
    firms.age[f] = static_cast<std::uint8_t>(std::min(255, firms.age[f] + 1));
  for (const Entrant& e : entrants_) {
    const SectorState& st = state_.sectors[e.sector];
    append_firm(
        firms, e.id, e.sector, e.zone, static_cast<float>(st.productivity_real * price * e.phi),
        static_cast<float>(st.wage_index * std::pow(e.phi, rules.wage_productivity_elasticity)), 0);
    const std::uint32_t target =
        std::max(1u, stochastic_round(scale[e.sector] * e.desired, e.rounding));
    target_.push_back(target);
    created_.push_back(target);
  }
  for (std::size_t f = 0; f < firms.size(); ++f)
    firms.vacancies[f] = target_[f] > firms.employees[f] ? target_[f] - firms.employees[f] : 0u;
}

}  // namespace plansim

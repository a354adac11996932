#include "population/demography_calibration.h"

#include <algorithm>
#include <cmath>

#include "core/parallel.h"

namespace plansim {
namespace {

double total(const SexAgeSchedule& counts) {
  double n = 0;
  for (const auto& by_age : counts)
    for (double c : by_age) n += c;
  return n;
}

}  // namespace

AgeSchedule out_migration_probability(const DemographyRates& rates, const SexAgeSchedule& counts) {
  AgeSchedule p{};
  const double persons = total(counts);
  double weighted = 0;
  for (int a = 0; a < kAges; ++a)
    weighted += (counts[kMale][a] + counts[kFemale][a]) * rates.migration_age_profile[a];
  // Mean profile over the population; over a uniform age structure when there is none.
  double mean = persons > 0 ? weighted / persons : 0.0;
  if (mean <= 0) {
    for (double v : rates.migration_age_profile) mean += v;
    mean /= kAges;
  }
  if (mean <= 0) return p;
  for (int a = 0; a < kAges; ++a)
    p[a] =
        std::min(1.0, rates.out_migrants_per_1000 / 1000.0 * rates.migration_age_profile[a] / mean);
  return p;
}

YearProbabilities year_probabilities(const DemographyRates& rates, const LevelFactors& levels,
                                     const AgeSchedule& out_migration, int year) {
  YearProbabilities y;
  const double trend = mortality_factor(rates, year);
  for (int s = 0; s < 2; ++s)
    for (int a = 0; a < kAges; ++a)
      y.death[s][a] = -std::expm1(-levels.mortality * rates.death_rate[s][a] * trend);
  for (int a = 0; a < kAges; ++a)
    y.birth[a] = std::min(1.0, levels.fertility * rates.fertility_rate[a]);
  y.out_migration = out_migration;
  return y;
}

SexAgeSchedule count_by_sex_age(const World& world) {
  const auto& p = world.persons;
  struct Partial {
    std::array<std::array<std::uint32_t, kAges>, 2> n{};
  };
  const Partial sum = reduce_chunks<Partial>(
      p.size(),
      [&](std::size_t b, std::size_t e) {
        Partial part;
        for (std::size_t i = b; i < e; ++i)
          if (!p.removed[i]) ++part.n[p.sex[i] & 1][p.age[i]];
        return part;
      },
      [](Partial& acc, const Partial& x) {
        for (int s = 0; s < 2; ++s)
          for (int a = 0; a < kAges; ++a) acc.n[s][a] += x.n[s][a];
      });
  SexAgeSchedule counts{};
  for (int s = 0; s < 2; ++s)
    for (int a = 0; a < kAges; ++a) counts[s][a] = sum.n[s][a];
  return counts;
}

ExpectedYear expected_year(const SexAgeSchedule& counts, const YearProbabilities& y,
                           double in_migrants_per_1000) {
  ExpectedYear e;
  for (int s = 0; s < 2; ++s) {
    for (int a = 0; a < kAges; ++a) {
      const double n = counts[s][a];
      e.start_population += n;
      e.deaths += n * y.death[s][a];
      e.out_migrants += n * y.out_migration[a];
      if (s == kFemale) e.births += n * (1.0 - y.death[s][a]) * y.birth[a];
    }
  }
  e.in_migrants = in_migrants_per_1000 / 1000.0 * e.start_population;
  return e;
}

Calibration calibrate_levels(const SexAgeSchedule& counts, const DemographyRates& rates,
                             const AgeSchedule& out_migration, int year) {
  Calibration c;
  const double persons = total(counts);
  if (rates.calibrate && persons > 0) {
    const double trend = mortality_factor(rates, year);
    LevelFactors levels;
    double mid_year = persons;
    for (int iteration = 0; iteration < 200; ++iteration) {
      // Mortality: Newton from 0 on g(L) = Σ N·(1 − e^{−L·m}) − D*, concave and increasing, so
      // the iterates rise monotonically to the root.
      const double target_deaths = rates.target_crude_death_rate_per_1000 / 1000.0 * mid_year;
      double level = 0;
      for (int k = 0; k < 200; ++k) {
        double g = -target_deaths, slope = 0;
        for (int s = 0; s < 2; ++s)
          for (int a = 0; a < kAges; ++a) {
            const double m = rates.death_rate[s][a] * trend;
            g += counts[s][a] * -std::expm1(-level * m);
            slope += counts[s][a] * m * std::exp(-level * m);
          }
        if (slope <= 0) break;
        const double next = level - g / slope;
        const bool converged = std::abs(next - level) <= 1e-15 * std::max(1.0, next);
        level = next;
        if (converged) break;
      }
      levels.mortality = level > 0 ? level : 1.0;
      // Fertility: births are linear in the level.
      const double target_births = rates.target_crude_birth_rate_per_1000 / 1000.0 * mid_year;
      double births_at_level_1 = 0;
      for (int a = 0; a < kAges; ++a) {
        const double q = -std::expm1(-levels.mortality * rates.death_rate[kFemale][a] * trend);
        births_at_level_1 += counts[kFemale][a] * (1.0 - q) * rates.fertility_rate[a];
      }
      levels.fertility = births_at_level_1 > 0 ? target_births / births_at_level_1 : 1.0;
      const double next_mid_year =
          expected_year(counts, year_probabilities(rates, levels, out_migration, year),
                        rates.in_migrants_per_1000)
              .mid_year_population();
      const bool stable = std::abs(next_mid_year - mid_year) <= 1e-14 * mid_year;
      mid_year = next_mid_year;
      if (stable) break;
    }
    c.levels = levels;
  }
  c.tfr = rates.tfr * c.levels.fertility;
  const double trend = mortality_factor(rates, year);
  AgeSchedule m{};
  for (int s = 0; s < 2; ++s) {
    for (int a = 0; a < kAges; ++a) m[a] = c.levels.mortality * rates.death_rate[s][a] * trend;
    (s == kMale ? c.life_expectancy_male : c.life_expectancy_female) = period_life_expectancy(m);
  }
  c.expected = expected_year(counts, year_probabilities(rates, c.levels, out_migration, year),
                             rates.in_migrants_per_1000);
  return c;
}

}  // namespace plansim

// Yearly event probabilities, expected base-year events, and the calibration of the levels of
// mortality and fertility so that the expected base-year crude rates equal local targets.
//
// Everything here works on expected values over an age-sex count (no random draws), so the
// calibration is deterministic and free of sampling noise.
#pragma once

#include "core/world.h"
#include "population/demography_rates.h"

namespace plansim {

/// Multipliers of the whole mortality schedule (every m) and of the whole fertility schedule.
struct LevelFactors {
  double mortality = 1.0;
  double fertility = 1.0;
};

/// Annual probabilities of one simulated year.
struct YearProbabilities {
  /// q = 1 − exp(−L_m · m · mortality_factor(rates, year)), for persons alive at the start of the
  /// year.
  SexAgeSchedule death{};
  /// Births per woman alive at the start of the year who survives it: min(1, L_f · f).
  AgeSchedule birth{};
  /// Per person; a household leaves with the mean probability of its members.
  AgeSchedule out_migration{};
};

/// Out-migration probability by age: the migration age profile scaled so that, over the
/// population `counts`, the expected out-migrants are out_migrants_per_1000 per 1,000 persons.
/// Probabilities are capped at 1.
AgeSchedule out_migration_probability(const DemographyRates& rates, const SexAgeSchedule& counts);

/// The probabilities of `year` after level factors and the mortality trend.
YearProbabilities year_probabilities(const DemographyRates& rates, const LevelFactors& levels,
                                     const AgeSchedule& out_migration, int year);

/// Persons by sex and single year of age (not removed ones), as doubles. Parallel, deterministic.
SexAgeSchedule count_by_sex_age(const World& world);

/// Expected events of one year for a population of `counts` persons at its start.
struct ExpectedYear {
  double start_population = 0;
  double births = 0, deaths = 0, in_migrants = 0, out_migrants = 0;
  /// The mean of the start and end populations.
  double mid_year_population() const {
    return start_population + 0.5 * (births - deaths + in_migrants - out_migrants);
  }
  double crude_birth_rate_per_1000() const { return 1000.0 * births / mid_year_population(); }
  double crude_death_rate_per_1000() const { return 1000.0 * deaths / mid_year_population(); }
};
ExpectedYear expected_year(const SexAgeSchedule& counts, const YearProbabilities& probabilities,
                           double in_migrants_per_1000);

struct Calibration {
  LevelFactors levels;
  double tfr = 0;                   // rates.tfr × fertility level
  double life_expectancy_male = 0;  // period e0 of the calibrated rates of `year`
  double life_expectancy_female = 0;
  ExpectedYear expected;  // with the calibrated levels
};

/// Level factors so that the expected crude birth and death rates of `year` (per 1,000 mid-year
/// residents) equal the targets of `rates`; factors 1 when rates.calibrate is false or the
/// population is empty. Newton steps for mortality (the expected deaths are concave in the
/// factor), closed form for fertility, iterated on the mid-year population until it is stable.
Calibration calibrate_levels(const SexAgeSchedule& counts, const DemographyRates& rates,
                             const AgeSchedule& out_migration, int year);

}  // namespace plansim

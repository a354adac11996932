// Demographic rates of a city: what the demography process needs, read from the city file
// configs/<city>/demography.yaml (with its CSV tables) and the scenario's `demography:` block.
//
// Rates are stored as single-year schedules over ages 0..kMaxAge. The reader is pure: it only
// reads ParamNode trees and records every problem in a Diagnostics at its location.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/diagnostics.h"
#include "core/params.h"
#include "core/world.h"

namespace plansim {

inline constexpr int kAges = kMaxAge + 1;
/// A value for each single year of age 0..kMaxAge.
using AgeSchedule = std::array<double, kAges>;
/// [sex][age], sex as in Sex (kMale = 0, kFemale = 1).
using SexAgeSchedule = std::array<AgeSchedule, 2>;

/// Parameters of a Rogers-Castro model migration schedule (without the retirement component):
/// M(x) = a1·exp(−α1·x) + a2·exp(−α2·(x−μ2) − exp(−λ2·(x−μ2))) + c.
struct RogersCastroProfile {
  double childhood_level = 0.02;    // a1
  double childhood_decline = 0.1;   // α1, per year of age
  double labour_level = 0.06;       // a2
  double labour_location_age = 20;  // μ2, years
  double labour_rise = 0.4;         // λ2, per year of age
  double labour_decline = 0.1;      // α2, per year of age
  double constant = 0.003;          // c
  /// M(x) at every single year of age (relative intensity, not normalised).
  AgeSchedule schedule() const;
};

/// How in-migrant households choose their zone.
enum class ZoneChoice : std::uint8_t {
  kPopulation = 0,  // proportional to the zone's population at the start of the year
  kEqual = 1,       // every zone equally likely
};

/// A whole-city target of one year (already validated against the run when read by the process).
struct AlignmentTarget {
  int year = 0;
  double value = 0;  // whole-city persons (not divided by the person weight)
  SourceLoc loc;     // of the year key, for "year outside the run"
};

struct DemographyRates {
  /// The year the rates describe; the mortality trend is applied from here.
  int base_year = 2020;

  // ---- mortality ----
  /// Central death rates m (deaths per person-year) by sex and single year of age.
  SexAgeSchedule death_rate{};
  /// Annual relative decline of every m (0.015 = 1.5% a year) during this year.
  double mortality_improvement_per_year = 0;
  /// Multiplier of every m on top of the calibration (1 = the city's level; 0.9 = 10% lower).
  double mortality_level = 1.0;
  /// Π (1 − r(y)) over the years after base_year up to this year, for rates read year by year
  /// (DemographyProcess); when empty, (1 − r)^(year − base_year) with this r.
  std::optional<double> mortality_trend;

  // ---- fertility ----
  /// Births per woman-year by single year of the mother's age, already scaled to `tfr`.
  AgeSchedule fertility_rate{};
  double tfr = 1.3;
  /// Boys per 100 girls.
  double sex_ratio_at_birth = 110.58;

  // ---- calibration of the level of mortality and fertility to local crude rates ----
  bool calibrate = true;
  double target_crude_birth_rate_per_1000 = 9.5;
  double target_crude_death_rate_per_1000 = 4.8;

  // ---- migration ----
  double in_migrants_per_1000 = 0;   // persons arriving per 1,000 residents at the start of a year
  double out_migrants_per_1000 = 0;  // persons leaving per 1,000 residents (base-year level)
  RogersCastroProfile migration_profile;
  AgeSchedule migration_age_profile{};  // migration_profile.schedule()
  /// Shares of in-migrant households arriving as a single adult, a couple, a couple with children.
  double in_household_single_share = 0.55;
  double in_household_couple_share = 0.15;
  double in_household_family_share = 0.30;
  /// Share of in-migrant families with two children (the others have one).
  double in_family_two_children_share = 0.3;
  ZoneChoice zone_choice = ZoneChoice::kPopulation;
  /// Highest level completed by in-migrants old enough to have finished college, by Education.
  std::array<double, kEducationLevels> in_migrant_education_shares{0.025, 0.065, 0.21, 0.25, 0.45};

  // ---- unions and households ----
  /// Annual probability that an unpartnered person enters the marriage market, [sex][age].
  SexAgeSchedule union_rate{};
  /// Preferred age of the man minus the age of the woman, years.
  int partner_age_gap_years = 2;
  /// Largest distance (years) from the preferred partner age that the matching accepts.
  int max_partner_age_deviation_years = 8;
  /// Annual probability that an unpartnered adult living with an older generation leaves home.
  AgeSchedule leaving_home_rate{};
  /// A household member this many years older counts as an older generation (a parent).
  int older_generation_gap_years = 15;
  /// Annual probability that a couple separates.
  double divorce_rate_per_couple = 0;

  // ---- alignment (scenario only) ----
  std::vector<AlignmentTarget> births_alignment;         // whole-city births in a year
  std::vector<AlignmentTarget> net_migration_alignment;  // whole-city in − out in a year
};

/// Whether read_demography_rates() reads the scenario's `alignment` targets.
enum class Alignment { kRead, kSkip };

/// Reads the city file `demography` (a map, CSV tables already loaded as sequences of maps) and
/// the scenario's `demography:` block (overrides of scalar parameters, plus `alignment`). Every
/// key it accepts is read; every problem is recorded in `diags` at its location. Trajectories
/// must already be evaluated for a year (core/trajectory.h evaluated_at(); the process does
/// that), except in the alignment targets, which are maps of years by nature: read them from the
/// tree as written, and skip them when reading evaluated trees.
DemographyRates read_demography_rates(const ParamNode& city_file, const ParamNode& scenario_block,
                                      Diagnostics& diags,
                                      Alignment alignment_targets = Alignment::kRead);

/// The scenario's `alignment` targets (births, net migration), from its block as written.
void read_demography_alignment(const ParamNode& scenario_block, DemographyRates& rates,
                               Diagnostics& diags);

/// The factor of every m in `year`: mortality_level × the trend (see DemographyRates).
double mortality_factor(const DemographyRates& rates, int year);

/// Records an error for every alignment year outside [start_year, end_year].
void check_alignment_years(const DemographyRates& rates, int start_year, int end_year,
                           Diagnostics& diags);

/// Period life expectancy at birth (years) of single-year central death rates m (per person-year):
/// constant hazard within each year of age, the last age an open interval.
double period_life_expectancy(const AgeSchedule& death_rate);

}  // namespace plansim

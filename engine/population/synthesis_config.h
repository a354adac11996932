// The city data the synthesis reads: zones (zones.yaml) and base-year population marginals and
// household assumptions (population.yaml), as plain values.
//
// read_population_config() is a pure reader: it takes the two city files as located ParamNode
// trees, reads every key it accepts, and records every problem in Diagnostics at its location.
// Tests build PopulationConfig values directly.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/params.h"
#include "core/world.h"
#include "population/ipf.h"

namespace plansim {

struct ZoneSpec {
  std::string key;      // ASCII pinyin, e.g. "linshanzhai"
  std::string name_zh;  // e.g. "林山寨"
  std::string name_en;  // e.g. "Linshanzhai"
  ZoneType type = ZoneType::kOldTown;
  double population_share = 0;  // of the district's residents in the base year
  double x_m = std::numeric_limits<double>::quiet_NaN();  // centroid, local projected metres
  double y_m = std::numeric_limits<double>::quiet_NaN();
  double area_km2 = std::numeric_limits<double>::quiet_NaN();
  SourceLoc loc = {};  // of the zone's key in zones.yaml
};

/// 5-year age groups 0-4, 5-9, ..., 90-94 and the open group 95+.
inline constexpr int kFiveYearGroups = 20;
/// Oldest single year the open group 95+ is spread over.
inline constexpr int kOldestSynthesisedAge = 100;
inline constexpr int kSingleAges = kOldestSynthesisedAge + 1;

/// Census education categories as the census counts them: the highest level attended,
/// graduates, drop-outs and current students alike. Index = Education value of the level.
inline constexpr std::array<const char*, kEducationLevels> kEducationKeys = {
    "below_primary", "primary", "junior_high", "senior_high", "college"};

/// A value that holds for single ages from..to (inclusive) of one sex or both.
struct AgeBand {
  int from_age = 0;
  int to_age = 0;
  double value = 0;
};

/// One row of the age x education seed: relative weights of the five levels for ages
/// from_age..to_age of the given sexes.
struct EducationSeedRow {
  int from_age = 0;
  int to_age = 0;
  bool male = true;
  bool female = true;
  std::array<double, kEducationLevels> weight{};
};

enum HouseholdType : std::uint8_t {
  kSingleHousehold = 0,          // one person under 60
  kCoupleHousehold,              // a couple without children, not both 60+
  kCoupleWithChildrenHousehold,  // a couple and their (unpartnered) children
  kThreeGenerationHousehold,     // grandparent(s), a parent generation and grandchildren
  kElderlyOnlyHousehold,         // everyone 60+ (one person or a couple)
  kOtherHousehold,               // lone parents, siblings or flatmates, leftovers
};
inline constexpr int kHouseholdTypes = 6;
inline constexpr std::array<const char*, kHouseholdTypes> kHouseholdTypeKeys = {
    "single", "couple", "couple_with_children", "three_generation", "elderly_only", "other"};
/// Size classes 1, 2, 3, 4 and 5+.
inline constexpr int kHouseholdSizeClasses = 5;
inline constexpr std::array<const char*, kHouseholdSizeClasses> kHouseholdSizeKeys = {"1", "2", "3",
                                                                                      "4", "5+"};

struct NormalSpec {
  double mean = 0, sd = 0, min = 0, max = 0;  // a normal draw rounded and clamped to [min, max]
};

/// How households are assembled from persons (assumptions, see configs/<city>/README.md).
struct HouseholdFormation {
  std::vector<AgeBand> partnered_share_of_women;  // by the woman's age
  NormalSpec husband_age_gap;                     // husband's age minus wife's, years
  int min_husband_age = 22;
  NormalSpec mother_age_at_birth;  // mother's age minus child's age, years
  int adult_age = 18;              // younger persons always live with a parent
  std::vector<AgeBand> unpartnered_adults_with_parents;  // share by age, from adult_age on
  double sibling_share = 0;  // a child joins a mother who has one already
  int max_children_per_mother = 3;
  int grandparent_min_age = 50;
  int grandparent_min_gap_to_grandchild = 45;
  NormalSpec grandparent_age_gap_to_parent;  // grandparent's age minus the parent's
  int elderly_age = 60;                      // 60+ persons are "elderly"
  int age_search_window = 5;                 // ± years searched around a target age
};

struct HouseholdTargets {
  double mean_size = 2.82;
  std::array<double, kHouseholdSizeClasses> size_shape{};  // shares of 1..4, 5+ (any mean)
  double mean_size_five_plus = 5.4;
  std::array<double, kHouseholdTypes> type_shares{};
};

struct PopulationConfig {
  int base_year = 2020;
  std::vector<ZoneSpec> zones;
  std::int64_t residents = 0;
  std::int64_t males = 0, females = 0;
  double share_0_14 = 0, share_15_59 = 0, share_60_plus = 0, share_65_plus = 0;
  /// Seed of the age-by-sex table, any unit: [sex][5-year group].
  std::array<std::array<double, kFiveYearGroups>, 2> age_sex_shape{};
  /// Relative weights of ages 95, 96, ... within the open group 95+ (up to age 100).
  std::vector<double> open_group_weights;
  int education_min_age = 3;  // census education counts cover persons of this age and older
  /// Census counts by level attended; [kNoSchooling] is unused (it is the remainder).
  std::array<std::int64_t, kEducationLevels> education_counts{};
  /// Age at which a level counts as completed; younger persons at that level are still in it.
  std::array<int, kEducationLevels> education_completion_age{};
  std::vector<EducationSeedRow> education_seed;
  HouseholdTargets households;
  HouseholdFormation formation;
  IpfSettings ipf;  // from the process's own parameters, not from the city files
};

/// Reads zones.yaml and population.yaml (as ParamNode trees). Every problem is recorded in
/// `diags` as `file:line:col: error: path: message`; the returned value is meaningful only when
/// no error was recorded.
PopulationConfig read_population_config(const ParamNode& zones_file,
                                        const ParamNode& population_file, Diagnostics& diags);

/// Reads population.yaml into `config` (all but the zones).
void read_population_file(const ParamNode& population_file, PopulationConfig& config,
                          Diagnostics& diags);
/// Reads the `zones:` list of zones.yaml into `config.zones`.
void read_zones(const ParamNode& zones_file, PopulationConfig& config, Diagnostics& diags);

/// Reads the process's own block, e.g. `synthesis: {ipf: {max_iterations: 200, tolerance: 1e-10}}`.
IpfSettings read_ipf_settings(const ParamNode& params, Diagnostics& diags);

/// The household-size distribution (1..4, 5+) with the shape of `shape` and mean `mean_size`:
/// p_k proportional to shape_k * t^k for the t that gives the mean, the 5+ class counting
/// `mean_size_five_plus` persons (exponential tilting; keeps the shape's odds ratios between
/// neighbouring sizes up to a common factor).
std::array<double, kHouseholdSizeClasses> household_size_distribution(
    const std::array<double, kHouseholdSizeClasses>& shape, double mean_size,
    double mean_size_five_plus);

}  // namespace plansim

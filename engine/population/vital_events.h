// The demography's record of a year's vital events by sex and age, kept in the World for later
// processes (the health process's life table).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace plansim {

/// Vital events of the current year. Filled by the demography process, reset at the start of its
/// step; absent when no demography process runs.
struct VitalEvents {
  static constexpr std::string_view kName = "vital events";
  /// Deaths during the year in simulated persons, [sex * (kMaxAge + 1) + age at death].
  std::vector<std::uint32_t> deaths_by_sex_age;
  /// Persons alive at the start of the year (the exposure), same indexing.
  std::vector<std::uint32_t> population_by_sex_age;
  /// Ids of the persons who died during the year, sorted (e.g. the exits from an eldercare bed).
  std::vector<std::uint64_t> died_ids;
};

}  // namespace plansim

// The "education" process (ProcessId 5): demand for kindergarten, primary and junior middle
// school places by single year of age, and capacity-constrained allocation of places by distance.
//
// Demand (each year, from persons.age after demography):
//   kindergarten   ages 3-5: a child wants a place at age a with probability participation[a];
//                  the wish is one uniform draw per child kept for life (stream of year 0), so a
//                  child who wanted a place at 3 still wants one at 4 (participation must not
//                  fall);
//   primary        ages 6-11, everyone (compulsory);
//   junior middle  ages 12-14, everyone (compulsory).
// Allocation per level, priority rules in this order (see allocation.h):
//   1. continuing pupils keep their place (same level, facility still open and not over capacity);
//   2. the others, by home zone, fill the home zone's facilities in proportion to free places;
//   3. the rest, by (home zone, continuing before new, person id), take the nearest facility with a
//      free place in other zones (zone centroid distance); if none is left they are unplaced.
// Facilities never exceed capacity; each child holds at most one place (persons.school).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/process.h"
#include "core/trajectory.h"
#include "services/allocation.h"
#include "services/facilities.h"

namespace plansim {

enum SchoolLevel : std::uint8_t { kLevelKindergarten = 0, kLevelPrimary = 1, kLevelJunior = 2 };
inline constexpr int kSchoolLevels = 3;
/// What education makes for the others (ProcessNeeds): the places of its kindergartens and
/// schools in the facilities table, which the housing process's location choice weighs.
inline constexpr std::string_view kSchoolPlaces = "school places";

/// What one year's allocation gave, in simulated persons (unweighted).
struct EducationYear {
  std::array<std::uint64_t, kSchoolLevels> residents{};  // children of the level's ages
  std::array<std::uint64_t, kSchoolLevels> demand{};     // children wanting a place
  std::array<std::uint64_t, kSchoolLevels> placed{};
  std::array<std::uint64_t, kSchoolLevels> unplaced{};
  std::array<std::uint64_t, kSchoolLevels> outside_home_zone{};  // placed in another zone
  std::array<std::vector<std::uint32_t>, kSchoolLevels> unplaced_by_zone;
  std::array<std::vector<std::uint32_t>, kSchoolLevels> residents_by_zone;
  double distance_sum_km = 0;  // over placed pupils with a known distance
  std::uint64_t distance_count = 0;
};

class EducationProcess final : public Process {
 public:
  void configure(ConfigureContext& ctx) override;
  /// Builds the FacilityTable from the city's list if no service process did yet.
  void initialize(StepContext& ctx) override;
  void step(StepContext& ctx) override;

  const EducationParams& params() const { return config_.education; }
  const EducationYear& last_year() const { return year_; }

 private:
  /// Demand and allocation of one year; fills year_ and world columns. No recording.
  void allocate(StepContext& ctx);
  void record(StepContext& ctx);

  ServicesConfig config_;  // of the year being simulated
  ByYear<ServicesConfig> by_year_;
  EducationYear year_;
  // Buffers reused from year to year.
  ZoneDistances distances_;
  std::array<CandidateLists, kSchoolLevels> lists_;
  std::array<Applicants, kSchoolLevels> applicants_;
  std::vector<std::uint32_t> bucket_;        // person row -> bucket (level, zone, priority) or none
  std::vector<std::uint32_t> chunk_counts_;  // [chunk][bucket]
  std::vector<std::uint32_t> chunk_residents_;  // [chunk][level * zones + zone]
  std::vector<std::uint32_t> sorted_rows_;
  std::vector<std::uint32_t> bucket_offset_;
  std::vector<std::uint32_t> free_places_, quota_, cursor_, waiting_;
};

}  // namespace plansim

// The "eldercare" process (ProcessId 6): care needs of the elderly, demand for institutional
// beds, allocation of beds with a waiting list.
//
// Care need (persons.care_need) of persons aged min_age+ moves each year between none, partial
// and full dependency with the rates of the person's age band: none -> partial (onset_partial),
// none -> full (onset_full), partial -> full (progression), partial -> none (recovery); full
// dependency ends with death. The base year draws the state from the band's prevalence
// (initialize(), so list eldercare after the process that builds the population).
// Bed demand: a person in need wants a bed with probability bed_seeking_{partial,full}, times
// living_alone_factor for persons living alone (capped at 1); the wish is one uniform draw per
// person kept for life, so it does not flicker from year to year.
// Allocation (see allocation.h): residents keep their bed while they need and want it (an exit
// otherwise: recovery; a resident who died during the year is an exit by death, from the
// demography's VitalEvents); then the waiting list, first come first
// served (persons.care_wait_since, then id), each to the nearest facility with a free bed (home
// zone first, then other zones by distance). Beds are in eldercare institutions and community
// eldercare centres.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "core/process.h"
#include "core/trajectory.h"
#include "services/allocation.h"
#include "services/facilities.h"

namespace plansim {

/// What one year gave, in simulated persons (unweighted).
struct EldercareYear {
  std::uint64_t elderly = 0;            // persons aged min_age+ at allocation
  std::uint64_t elderly_start = 0;      // persons aged min_age+ at the start of the year
  std::uint64_t partial = 0, full = 0;  // of them, partially / fully dependent
  std::uint64_t seekers = 0;            // persons wanting a bed
  std::uint64_t residents = 0;          // persons in a bed after allocation
  std::uint64_t waiting = 0;            // seekers left without a bed
  std::uint64_t admissions = 0;         // from the waiting list into a bed this year
  std::uint64_t recoveries = 0;         // left a bed because no longer in need (or wish)
  std::uint64_t deaths = 0;             // residents of last year's allocation who died
  std::uint64_t beds = 0;               // beds allocated in open eldercare facilities
  double beds_exact = 0;                // the same unrounded (FacilityTable::capacity_exact)
  double wait_years_sum = 0;            // over persons still waiting: year - care_wait_since
  std::vector<std::uint32_t> elderly_by_zone, waiting_by_zone, elderly_start_by_zone;
  std::vector<double> beds_by_zone;  // unrounded
};

class EldercareProcess final : public Process {
 public:
  void configure(ConfigureContext& ctx) override;
  /// Builds the FacilityTable if needed; draws base-year care needs; clears beds and lists.
  void initialize(StepContext& ctx) override;
  /// The elderly at the start of the year (the stock beds per 1,000 elderly refers to).
  void begin_year(StepContext& ctx) override;
  void step(StepContext& ctx) override;

  const EldercareParams& params() const { return config_.eldercare; }
  const EldercareYear& last_year() const { return year_; }

 private:
  const CareNeedBand& band_of(int age) const;
  void update_care_needs(StepContext& ctx);
  void allocate(StepContext& ctx);
  void record(StepContext& ctx);

  ServicesConfig config_;  // of the year being simulated
  ByYear<ServicesConfig> by_year_;
  EldercareYear year_;
  ZoneDistances distances_;
  CandidateLists lists_;
  Applicants applicants_;
  static constexpr std::uint8_t kElderly = 1, kSeeker = 2;
  std::vector<std::uint8_t> status_;         // person row -> kElderly | kSeeker
  std::vector<std::uint32_t> chunk_counts_;  // [chunk][zone..., partial, full]
  std::vector<std::uint32_t> household_size_;
  std::vector<std::pair<std::int32_t, std::uint32_t>> queue_;  // (waiting since, row)
  std::vector<std::uint32_t> free_places_, cursor_, waiting_;
  std::vector<std::uint64_t> resident_ids_;  // persons in a bed after the last allocation, sorted
  std::uint64_t elderly_start_ = 0;
  std::vector<std::uint32_t> elderly_start_by_zone_;
};

}  // namespace plansim

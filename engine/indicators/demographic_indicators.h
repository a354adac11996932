// The "indicators" process: population stocks at the start of each year and crude rates of the
// year, for /indicators/<key> and /zones/population.
#pragma once

#include "core/process.h"

namespace plansim {

/// Population stock of a World, as counts of simulated persons (not yet weighted).
struct PopulationCounts {
  std::int64_t persons = 0;
  std::int64_t age_0_14 = 0, age_15_59 = 0, age_15_64 = 0, age_60_plus = 0, age_65_plus = 0;
  std::int64_t males = 0;
  std::vector<std::int64_t> by_zone;
};
/// Counts persons by broad age group, sex and zone in one parallel pass (deterministic).
PopulationCounts count_population(const World& world);

class DemographicIndicators final : public Process {
 public:
  void configure(ConfigureContext& ctx) override;
  void begin_year(StepContext& ctx) override;
  void step(StepContext&) override {}
  void end_year(StepContext& ctx) override;

 private:
  double start_population_ = 0;  // weighted, at the start of the current year
};

}  // namespace plansim

// The "synthesis" process: builds the base-year synthetic population of a city (persons in
// households, by zone) from the marginals of its city config, once per replicate.
//
// Algorithm (details in engine/population/README.md):
//   1. persons per zone: round(residents x scale), split by zone share (largest remainder);
//   2. age by sex: IPF of the 5-year age-by-sex shape to the sex totals and broad age shares,
//      spread over single years, integerised per zone (largest remainder);
//   3. education: IPF of an age-by-education seed to the census counts, integerised per
//      (sex, age) and handed to that cell's persons in a random order;
//   4. households per zone (in parallel): couples, children with mothers, grandparents, elderly,
//      singles and pairs;
//   5. the World: households zone by zone, members contiguous, ids ascending with rows.
#pragma once

#include <cstdint>
#include <vector>

#include "core/process.h"
#include "population/synthesis_config.h"

namespace plansim {

struct SynthesisStats {
  int ipf_iterations = 0;  // the age-by-sex fit plus the education fit
  bool ipf_converged = true;
  std::int64_t persons = 0;           // simulated persons
  std::int64_t households = 0;        // simulated households
  std::int64_t leftover_persons = 0;  // simulated persons no household rule could place
};

/// Replaces world's persons, households and zones with a synthetic population of
/// round(config.residents * scale) persons (scale in (0, 1]); sets person_weight = 1 / scale,
/// year = base year and the next ids. Appends one FitRow per marginal to `fit` (values for the
/// whole city: simulated counts times the person weight). Draws come only from `rng` with the
/// given process id and the base year: the result is identical at any thread count.
SynthesisStats synthesise(const PopulationConfig& config, double scale, const RngStreams& rng,
                          ProcessId process, World& world, std::vector<FitRow>& fit);

class SynthesisProcess final : public Process {
 public:
  /// Reads the city files "zones" and "population" and the block `ipf: {max_iterations,
  /// tolerance}`; checks that the run starts in the population's base year.
  void configure(ConfigureContext& ctx) override;
  /// Builds the World and records the fit report and "synthesis_ipf_iterations".
  void initialize(StepContext& ctx) override;
  void step(StepContext&) override {}

  const PopulationConfig& config() const { return config_; }

 private:
  PopulationConfig config_;
};

}  // namespace plansim

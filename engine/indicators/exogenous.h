// The "exogenous" process: indicators of the plan that the engine does not model behaviourally
// (urbanisation, environment, FDI, digital economy, R&D platforms, sponge city) carried as
// trajectories given in the scenario. (The city's targets file is read and validated by the run
// command for every scenario, with or without this process: see indicators/targets.h.)
//
// Scenario block (every key optional; a series without a trajectory is not recorded, and the
// scorecard lists its targets as "not simulated in this run"):
//
//   exogenous:
//     urbanisation_rate: {2020: 99.23, 2025: 99.4}   # year: value, in the series' unit
//     green_coverage: {2020: 41.63}
//
// The value of a year between two given years is interpolated linearly; before the first and
// after the last given year the nearest given value is held (core/trajectory.h; `{step: {2020:
// 10, 2024: 20}}` holds each value until the next year instead). The same value is recorded in
// every replicate (no randomness): the probability of meeting a target on such a series is 0 or 1.
//
// Every exogenous series is marked: its description starts with "exogenous: " (kExogenousPrefix),
// which the scorecard, `plansim compare` and tools/plot.py use to label it "exogenous".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/process.h"
#include "core/trajectory.h"

namespace plansim {

inline constexpr std::string_view kExogenousPrefix = "exogenous: ";

/// Whether a series description marks the series as an exogenous trajectory.
inline bool is_exogenous_description(std::string_view description) {
  return description.substr(0, kExogenousPrefix.size()) == kExogenousPrefix;
}

/// A series a scenario may give a trajectory for.
struct ExogenousSeries {
  std::string_view key, unit, label_zh, label_en, definition;
  double lowest, highest;  // the range of valid values
};
/// Every such series, in a fixed order.
const std::vector<ExogenousSeries>& exogenous_series();

/// The trajectory of one exogenous series (core/trajectory.h: linear between the given years,
/// the nearest end value outside them; `{step: {...}}` for values that switch).
struct ExogenousTrajectory {
  std::string key;
  Trajectory values;
  double at(int year) const { return values.at(year); }
};

class ExogenousIndicators final : public Process {
 public:
  /// Reads the scenario's block (ctx.params) and declares the series that have a trajectory.
  void configure(ConfigureContext& ctx) override;
  /// Records this year's value of every trajectory.
  void step(StepContext& ctx) override;

  const std::vector<ExogenousTrajectory>& trajectories() const { return trajectories_; }

 private:
  std::vector<ExogenousTrajectory> trajectories_;
};

}  // namespace plansim

// The yearly loop: builds the scenario's processes, then runs replicates.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/process.h"

namespace plansim {

/// A scenario resolved and validated: run settings plus configured processes in yearly order.
class Simulation {
 public:
  /// Reads `run:` and `processes:` from the scenario, creates and configures each process.
  /// Records every problem in `diags` (and then returns a Simulation that must not be run).
  /// Unknown keys anywhere in the scenario, and in city files that some process read, are
  /// reported after all processes are configured.
  static Simulation configure(const ParamNode& scenario, const ParamNode& city,
                              const Registry& registry, Diagnostics& diags);

  const RunSettings& run() const { return run_; }
  RunSettings& run() { return run_; }
  const SeriesCatalog& catalog() const { return catalog_; }
  const std::vector<std::string>& process_names() const { return names_; }

  /// Progress callback: (replicate, year) after each simulated year.
  using Progress = std::function<void(std::uint32_t replicate, int year, const World& world)>;
  /// Runs one replicate from a fresh World. Processes may keep run state between years; they
  /// reset it in initialize(), so replicates run one after another on the same objects.
  ReplicateResults run_replicate(std::uint32_t replicate, const Progress& progress = {}) const;

 private:
  RunSettings run_;
  SeriesCatalog catalog_;
  std::vector<std::string> names_;
  std::vector<ProcessId> ids_;
  std::vector<std::unique_ptr<Process>> processes_;
};

/// Reads the `run:` block (start, end, replicates, seed, scale) with range checks.
RunSettings read_run_settings(const ParamNode& scenario, Diagnostics& diags);

}  // namespace plansim

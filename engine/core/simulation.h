// The yearly loop: builds the scenario's processes, then runs replicates.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/process.h"
#include "core/results.h"
#include "core/rng.h"

namespace plansim {

/// What a replicate runs: the processes in yearly order with their names and ids, the run
/// settings and the series catalogue (a Simulation's, or those of a test that configured its
/// processes itself). The processes and the catalogue outlive every ReplicateRun of it.
struct ProcessSchedule {
  RunSettings run;
  const SeriesCatalog* catalog = nullptr;
  std::vector<std::string> names;
  std::vector<ProcessId> ids;
  std::vector<Process*> processes;
};

/// One replicate run year by year: what Simulation::run_replicate() does, for callers that look
/// at the World or the results between years (module tests start it on a World they built).
/// Construction initialises every process on `world`; each run_year() runs begin_year, step and
/// end_year of every process, in the scenario's order, timed (and in a PLANSIM_DEBUG_CHECKS build
/// with the invariants checked after each hook), exactly as a run does.
class ReplicateRun {
 public:
  /// Runs on `world` (which must outlive the run) as given, except its year (set to run.start);
  /// run_replicate() hands in an empty World weighted 1 / run.scale.
  ReplicateRun(const ProcessSchedule& schedule, std::uint32_t replicate, World& world);
  ReplicateRun(const ReplicateRun&) = delete;
  ReplicateRun& operator=(const ReplicateRun&) = delete;

  /// Runs the next year; returns it. Not past run.end.
  int run_year();
  /// The next year run_year() would run (run.end + 1 when every year has run).
  int next_year() const { return next_year_; }
  World& world() { return world_; }
  const ReplicateResults& results() const { return results_; }
  ReplicateResults& results() { return results_; }
  /// The results with the profile, zone labels and facility panels, every series padded to all
  /// years run; the run is over.
  ReplicateResults finish();

 private:
  ProcessSchedule schedule_;
  World& world_;
  RngStreams rng_;
  ReplicateResults results_;
  std::unique_ptr<Recorder> yearly_;  // made once initialize created the zones
  // Wall and CPU time of every hook: [process × 4 + hook] (initialize, begin_year, step, end_year).
  std::vector<PhaseTime> timing_;
  std::vector<std::vector<PhaseTime>> parts_;  // of each process's step
  int next_year_;
};

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
  /// What the run leaves out because no listed process makes data that a listed one reads
  /// (ProcessNeeds::reads), at the reader's list item: printed as notes before the run.
  const std::vector<Diagnostic>& notes() const { return notes_; }
  /// The configured processes, to run a replicate year by year (ReplicateRun).
  ProcessSchedule schedule() const;

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
  std::vector<Diagnostic> notes_;
};

/// Reads the `run:` block (start, end, replicates, seed, scale) with range checks.
RunSettings read_run_settings(const ParamNode& scenario, Diagnostics& diags);

}  // namespace plansim

// The `plansim` subcommands as plain functions (main.cpp only parses the command line).
// Each returns the process exit status: 0 success, 1 run-time failure, 2 bad input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.h"

namespace plansim {

struct RunOptions {
  std::string scenario;
  std::string output;                       // "" = results/<scenario file stem>.h5
  bool output_given = false;                // -o was on the command line (then "" is an error)
  std::optional<std::uint32_t> replicates;  // overrides run.replicates
  std::optional<std::uint64_t> seed;        // overrides run.seed
  std::optional<double> scale;              // overrides run.scale
  int threads = 0;                          // 0 = all hardware threads
  std::vector<std::string> sets;            // --set key=value, in order
  /// --replicates, --seed and --scale as typed, as overrides after the --set ones
  /// ("run.seed=-1"): validated with the scenario, so that every error shows at once.
  std::vector<std::string> option_overrides;
  /// Where each of effective_overrides() starts on the command line (`<command line>:1:COL`,
  /// cli/usage.h); when their numbers differ, as written_as_sets("run", ...) says.
  std::vector<SourceLoc> override_starts;
  /// Errors of other options (e.g. --threads 0), reported with the scenario's errors.
  std::vector<Diagnostic> usage_errors;
  bool quiet = false;
  bool summary = true;       // print the summary table at the end
  bool resume = false;       // reuse finished items of an interrupted job
  bool fresh = false;        // discard the partial results of an interrupted job
  bool profile = false;      // print wall and CPU time per process and phase
  std::string command_line;  // for provenance
};

struct SweepOptions {
  std::string sweep_file;
  std::string output_dir;  // "" = results/<sweep file stem>/
  bool output_given = false;
  int threads = 0;
  bool quiet = false;
  bool resume = false;
  bool fresh = false;
  std::optional<std::size_t> point;      // run this point only (a job array element)
  std::vector<Diagnostic> usage_errors;  // as in RunOptions
  std::string command_line;
};

int run_command(const RunOptions& options);
/// Runs every point of a sweep file × its replicates; one results file per point plus index.csv.
int sweep_command(const SweepOptions& options);
/// Validates a scenario (and its city config) without running it.
/// format "text" (a line for people) or "json" (diagnostics_json errors, run settings,
/// processes, files read; exit status 2 on errors all the same). `usage_errors` (of the command
/// line, cli/usage.h) are reported with the scenario's. `set_starts`: where each of `sets`
/// starts on the command line; when their numbers differ, as written_as_sets("check", ...) says.
int check_command(const std::string& scenario, const std::vector<std::string>& sets,
                  const std::string& format = "text",
                  const std::vector<Diagnostic>& usage_errors = {},
                  const std::vector<SourceLoc>& set_starts = {});
/// The JSON document that `check --format json` prints; `*ok` (when given) says whether the
/// scenario is valid. For programs that check in-process (the Python module).
std::string check_json(const std::string& scenario, const std::vector<std::string>& sets,
                       bool* ok = nullptr, const std::vector<Diagnostic>& usage_errors = {},
                       const std::vector<SourceLoc>& set_starts = {});
/// Prints what a results file holds.
/// format "text" or "json" (inspect_json).
int inspect_command(const std::string& results_path, const std::string& format = "text");
/// Lists the registered processes.
int processes_command();

/// The --set overrides that the run options imply (user --set first, then the flags).
std::vector<std::string> effective_overrides(const RunOptions& options);
/// Where each of `sets` starts on the command line `plansim COMMAND SCENARIO --set S1 --set S2
/// ...`, the one that says the same: the places of overrides given without a command line (the
/// Python module, a command called as a function).
std::vector<SourceLoc> written_as_sets(const std::string& command, const std::string& scenario,
                                       const std::vector<std::string>& sets);

}  // namespace plansim

// `plansim sensitivity SA.yaml`: global sensitivity of a scenario's targets (and any indicator in
// any year) to its uncertain parameters — Sobol' first-order and total indices on a Saltelli
// design, or Morris screening — each design row one model run on realised trees, spread over
// threads and MPI ranks as work items and resumable (docs/uncertainty.md, Sensitivity).
#pragma once

#include <string>
#include <vector>

#include "core/diagnostics.h"

namespace CLI {
class App;
}

namespace plansim {

struct SensitivityOptions {
  std::string file;                   // the SA YAML
  std::string output;                 // -o: the HDF5 file; "" = results/<SA file stem>.h5
  bool output_given = false;          // -o was on the command line (then "" is an error)
  std::vector<std::string> sets;      // --set key=value on the scenario, after the file's own set:
  std::vector<SourceLoc> set_starts;  // where each of `sets` starts on the command line
  int threads = 0;                    // 0 = all hardware threads
  std::string threads_text;           // --threads as typed (checked by main)
  bool quiet = false;
  bool resume = false;  // reuse the runs an interrupted analysis finished
  bool fresh = false;   // discard them
  std::string command_line;
  /// Errors of the command line (cli/usage.h), reported with the files' errors.
  std::vector<Diagnostic> usage_errors;
};

/// Adds the `sensitivity` subcommand with its options and help to `app`.
CLI::App* add_sensitivity_subcommand(CLI::App& app, SensitivityOptions& options);

/// Returns the exit status: 0 success, 1 failure while running or writing, 2 bad input (every
/// error at its file:line:col before anything runs, nothing written).
int sensitivity_command(const SensitivityOptions& options);

}  // namespace plansim

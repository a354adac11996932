// `plansim calibrate CALIBRATION.yaml`: ABC-SMC calibration of a scenario's free parameters to
// the city's observed years (engine/calib/README.md).
#pragma once

#include <string>
#include <vector>

#include "core/diagnostics.h"

namespace plansim {

struct CalibrateOptions {
  std::string file;           // the calibration YAML
  std::string output;         // "" = the file's `output` (then its `fragment`, or .yaml beside it)
  bool output_given = false;  // -o was on the command line (then "" is an error)
  int threads = 0;            // 0 = all hardware threads
  bool quiet = false;
  bool resume = false;       // reuse the simulations of an interrupted calibration
  bool fresh = false;        // discard them and start again
  std::string command_line;  // for provenance
  /// Errors of the command line (cli/usage.h), reported with the files' errors.
  std::vector<Diagnostic> usage_errors;
};

/// Returns the exit status: 0 success, 1 failure while running or writing, 2 bad input (every
/// error at its file:line:col before anything runs).
int calibrate_command(const CalibrateOptions& options);

}  // namespace plansim

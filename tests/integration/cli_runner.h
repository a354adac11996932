// Runs the plansim binary for integration tests and captures its output.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/temp_dir.h"

namespace plansim::testing {

struct CliResult {
  int status = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Runs `<prefix> plansim <args>` from the source directory (passed to the shell as written);
/// prefix is e.g. "VAR=1" or "mpirun -n 2".
inline CliResult run_plansim(const std::string& args, const std::string& prefix = "") {
  TempDir capture;
  // The integration tests' scenarios (temporary folders, tests/integration/fixtures/) extend the
  // shipped ones: the repository is a data root (docs/input-limits.md); tests/reliability checks
  // the policy itself.
  const std::string command =
      std::string("cd '") + PLANSIM_SOURCE_DIR + "' && export PLANSIM_DATA_ROOTS='" +
      PLANSIM_SOURCE_DIR + "' && " + prefix + " '" + PLANSIM_BINARY + "' " + args + " >'" +
      (capture / "out").string() + "' 2>'" + (capture / "err").string() + "'";
  const int raw = std::system(command.c_str());
  CliResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = slurp(capture / "out");
  r.err = slurp(capture / "err");
  return r;
}

}  // namespace plansim::testing

// A copy of the shipped scenarios, sweeps, city config and calibrations in a temporary folder,
// where a test may damage any input, run plansim and check that nothing it did not mean to change
// changed.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "../integration/cli_runner.h"

namespace plansim::testing {

namespace fs = std::filesystem;

class Sandbox {
 public:
  Sandbox() {
    for (const char* folder : {"scenarios", "sweeps", "configs", "calibrations"})
      fs::copy(fs::path(PLANSIM_SOURCE_DIR) / folder, dir_ / folder, fs::copy_options::recursive);
  }
  const fs::path& path() const { return dir_.path(); }
  fs::path operator/(const std::string& name) const { return dir_ / name; }

  void write(const std::string& name, const std::string& content) const {
    fs::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name, std::ios::binary) << content;
  }
  std::string read(const std::string& name) const { return slurp(dir_ / name); }

  /// Every file below the folder (relative path -> content); folders as "<dir>/".
  std::map<std::string, std::string> snapshot() const {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir_.path())) {
      const std::string name = fs::relative(entry.path(), dir_.path()).string();
      if (entry.is_directory())
        files[name + "/"] = "";
      else
        files[name] = entry.is_regular_file() ? slurp(entry.path()) : "(special)";
    }
    return files;
  }

  /// `plansim <args>` from the sandbox folder; `prefix` runs first in the same shell.
  CliResult run(const std::string& args, const std::string& prefix = "") const {
    TempDir capture;
    const std::string command = "cd '" + dir_.path().string() + "' && " + prefix + " '" +
                                PLANSIM_BINARY + "' " + args + " >'" + (capture / "out").string() +
                                "' 2>'" + (capture / "err").string() + "'";
    const int raw = std::system(command.c_str());
    CliResult r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
    r.out = slurp(capture / "out");
    r.err = slurp(capture / "err");
    return r;
  }

 private:
  TempDir dir_;
};

/// Quick settings for runs that must finish (a 2% sample, two years).
inline const std::string kQuick = " --scale 0.02 --set run.end=2021 -q --no-summary";

/// Runs `args` and expects `status`, every substring of `expected` in stderr, and no file of the
/// sandbox created, changed or removed.
inline CliResult expect_refused(const Sandbox& box, const std::string& args, int status,
                                const std::vector<std::string>& expected,
                                const std::string& prefix = "") {
  const auto before = box.snapshot();
  const CliResult r = box.run(args, prefix);
  EXPECT_EQ(r.status, status) << args << "\n" << r.err;
  for (const std::string& e : expected)
    EXPECT_NE(r.err.find(e), std::string::npos) << "expected «" << e << "» in\n" << r.err;
  const auto after = box.snapshot();
  for (const auto& [name, content] : after) {
    const auto it = before.find(name);
    EXPECT_TRUE(it != before.end()) << "file appeared: " << name;
    if (it != before.end()) {
      EXPECT_TRUE(it->second == content) << "file changed: " << name;
    }
  }
  for (const auto& [name, content] : before)
    EXPECT_TRUE(after.count(name)) << "file removed: " << name;
  return r;
}

}  // namespace plansim::testing

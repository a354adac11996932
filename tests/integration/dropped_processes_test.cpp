// A scenario extending another may leave out some of its processes: inherited blocks of the
// processes it does not run are ignored with a note; a block it sets itself is an error.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_runner.h"
#include "io/hdf5_reader.h"

namespace plansim::testing {
namespace {

namespace fs = std::filesystem;

TEST(DroppedProcesses, InheritedBlocksAreIgnoredWithANote) {
  const CliResult r = run_plansim("check tests/integration/fixtures/drop_processes.yaml");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("yearly order: synthesis → demography → indicators"), std::string::npos);
  // Located at the inherited block in the baseline (its line is not fixed here).
  EXPECT_EQ(r.err.rfind("scenarios/baseline.yaml:", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(": note: exogenous: ignored: process "
                       "'exogenous' is not run by this scenario (its processes list, "
                       "tests/integration/fixtures/drop_processes.yaml:4:12, leaves it out)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("error"), std::string::npos) << r.err;
  // The list may itself be inherited, two levels up from the blocks.
  const CliResult child = run_plansim("check tests/integration/fixtures/drop_processes_child.yaml");
  EXPECT_EQ(child.status, 0) << child.err;
  EXPECT_NE(child.err.find("note: exogenous: ignored"), std::string::npos) << child.err;
  // The JSON form carries the note too.
  const CliResult json =
      run_plansim("check tests/integration/fixtures/drop_processes.yaml --format json");
  EXPECT_NE(json.out.find("\"notes\""), std::string::npos);
  EXPECT_NE(json.out.find("exogenous: ignored"), std::string::npos) << json.out;
}

TEST(DroppedProcesses, TheScenarioRunsWithoutThem) {
  TempDir dir;
  const auto out = (dir / "short.h5").string();
  const CliResult r = run_plansim(
      "run tests/integration/fixtures/drop_processes_child.yaml "
      "--scale 0.01 --replicates 1 -q --no-summary -o '" +
      out + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  const ResultsFile file(out);
  EXPECT_EQ(file.years().back(), 2022);
  const auto keys = file.keys("indicators");
  EXPECT_EQ(std::count(keys.begin(), keys.end(), "fdi"), 0) << "exogenous did not run";
  EXPECT_GT(std::count(keys.begin(), keys.end(), "population"), 0);
  // The dropped block is not part of the resolved scenario the file records.
  EXPECT_EQ(file.meta_strings().at("scenario_yaml").find("exogenous"), std::string::npos);
}

TEST(DroppedProcesses, ABlockTheScenarioSetsForAProcessItDoesNotRunIsAnError) {
  const CliResult r = run_plansim("check tests/integration/fixtures/drop_processes_bad.yaml");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("drop_processes_bad.yaml:5:3: error: exogenous: parameters of process "
                       "'exogenous', which this scenario does not run (processes at "
                       "tests/integration/fixtures/drop_processes_bad.yaml:3:12): add it to "
                       "processes or remove this block"),
            std::string::npos)
      << r.err;
  // Also from the command line, and for a scenario without extends.
  const CliResult set = run_plansim(
      "check tests/integration/fixtures/drop_processes.yaml --set exogenous.fdi.2020=3");
  EXPECT_EQ(set.status, 2);
  EXPECT_NE(set.err.find("<command line>:1:87: error: exogenous: parameters of process"),
            std::string::npos)
      << set.err;
  const CliResult standalone = run_plansim(
      "check scenarios/baseline.yaml --set 'processes=[synthesis, demography, indicators]' "
      "--set economy.x=1");
  EXPECT_EQ(standalone.status, 2);
  EXPECT_NE(standalone.err.find("economy: parameters of process 'economy'"), std::string::npos)
      << standalone.err;
}

}  // namespace
}  // namespace plansim::testing

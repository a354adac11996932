// The data the built-in processes share (ProcessNeeds in cli/register_builtin.cpp): every read
// names data that a registered process makes, and a scenario that leaves the maker out is told,
// before the run, what its results lack.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli/register_builtin.h"
#include "cli_runner.h"
#include "core/process.h"

namespace plansim::testing {
namespace {

namespace fs = std::filesystem;

TEST(ProcessNeeds, EveryReadOfABuiltInProcessIsMadeByAnother) {
  Registry registry;
  register_builtin_processes(registry);
  int reads = 0;
  for (const Registry::Entry& e : registry.entries())
    for (const ProcessNeeds::Read& read : e.needs.reads) {
      ++reads;
      int makers = 0;
      for (const Registry::Entry& other : registry.entries())
        for (const std::string& data : other.needs.makes)
          if (data == read.data) makers += other.name != e.name;
      EXPECT_GE(makers, 1) << e.name << " reads " << read.data << ", which no other process makes";
      EXPECT_FALSE(read.without.empty()) << e.name << " cannot run without " << read.data;
    }
  EXPECT_GE(reads, 4);
}

TEST(ProcessNeeds, TheBaselineLeavesNothingOut) {
  const CliResult r = run_plansim("check scenarios/baseline.yaml");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err.find(" reads the "), std::string::npos) << r.err;
}

TEST(ProcessNeeds, AScenarioWithoutTheMakerIsToldWhatItsResultsLack) {
  TempDir dir;
  const fs::path scenario = dir / "scenario.yaml";
  std::ofstream(scenario) << "scenario: {name: t, extends: '" << PLANSIM_SOURCE_DIR
                          << "/scenarios/baseline.yaml'}\n"
                             "processes: [synthesis, health, housing]\n"
                             "uncertainty: {posterior: none}\n";
  const CliResult r = run_plansim("check '" + scenario.string() + "'");
  EXPECT_EQ(r.status, 0) << r.err;
  for (const std::string note :
       {"scenario.yaml:2:24: note: processes[1]: health reads the vital events that demography "
        "makes, which this scenario does not run: life expectancy is not computed",
        "scenario.yaml:2:32: note: processes[2]: housing reads the firms that economy makes",
        "scenario.yaml:2:32: note: processes[2]: housing reads the school places that education "
        "makes"})
    EXPECT_NE(r.err.find(note), std::string::npos) << "expected «" << note << "» in\n" << r.err;
}

}  // namespace
}  // namespace plansim::testing

// Every class of bad input ends with file:line:col: error: …, exit status 2 and no output file.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_runner.h"

namespace plansim::testing {
namespace {

namespace fs = std::filesystem;

struct BadInputCase {
  const char* name;
  std::string args;                   // after `run`, before -o
  std::vector<std::string> expected;  // substrings of stderr, in any order
};

void expect_rejected(const BadInputCase& c) {
  TempDir dir;
  const fs::path output = dir / "out.h5";
  const CliResult r = run_plansim("run " + c.args + " -q -o '" + output.string() + "'");
  EXPECT_EQ(r.status, 2) << c.name << "\n" << r.err;
  for (const auto& e : c.expected)
    EXPECT_NE(r.err.find(e), std::string::npos) << c.name << ": expected «" << e << "» in\n"
                                                << r.err;
  // Nothing written: neither the file nor a temporary.
  EXPECT_TRUE(fs::is_empty(dir.path())) << c.name;
}

const std::string kFixtures = "tests/integration/fixtures/";

TEST(CliBadInput, MalformedYaml) {
  expect_rejected(
      {"malformed", kFixtures + "malformed.yaml", {kFixtures + "malformed.yaml:5:", "error:"}});
}

TEST(CliBadInput, UnknownKeyWithHint) {
  expect_rejected({"unknown key",
                   kFixtures + "unknown_key.yaml",
                   {kFixtures + "unknown_key.yaml:6:3: error: run.seeed: unknown key 'seeed' in "
                                "'run' (did you mean 'seed'?)"}});
}

TEST(CliBadInput, WrongType) {
  expect_rejected(
      {"wrong type",
       kFixtures + "wrong_type.yaml",
       {kFixtures + "wrong_type.yaml:5:", "run.start: expected an integer, got 'twenty'"}});
}

TEST(CliBadInput, OutOfRangeAndAllErrorsAtOnce) {
  expect_rejected({"out of range",
                   kFixtures + "out_of_range.yaml",
                   {kFixtures + "out_of_range.yaml:6:", "run.scale: 0 is out of range",
                    kFixtures + "out_of_range.yaml:7:", "run.replicates: 0 is out of range"}});
}

TEST(CliBadInput, MissingScenarioFile) {
  expect_rejected({"missing scenario",
                   kFixtures + "does_not_exist.yaml",
                   {kFixtures + "does_not_exist.yaml:1:1: error:"}});
}

TEST(CliBadInput, MissingExtendsTarget) {
  expect_rejected({"missing extends",
                   kFixtures + "missing_extends.yaml",
                   {kFixtures + "missing_extends.yaml:3:", "no_such_parent.yaml"}});
}

TEST(CliBadInput, BadCsvRow) {
  expect_rejected({"bad csv",
                   kFixtures + "bad_csv.yaml",
                   {kFixtures + "bad_rows.csv:4:", kFixtures + "bad_rows.csv:6:"}});
}

TEST(CliBadInput, UnknownProcess) {
  expect_rejected({"unknown process",
                   kFixtures + "unknown_process.yaml",
                   {"unknown process 'demografy' (did you mean 'demography'?"}});
}

TEST(CliBadInput, SetOverrideUnknownKeyAndBadValue) {
  expect_rejected(
      {"--set",
       "scenarios/baseline.yaml --set run.sede=3 --set run.end=1800",
       {"<command line>:1:52: error: run.sede: unknown key 'sede'", "(did you mean 'seed'?)",
        "<command line>:1:68: error: run.end: 1800 is out of range"}});
}

TEST(CliBadInput, CheckCommandReportsTheSameErrors) {
  const CliResult r = run_plansim("check " + kFixtures + "unknown_key.yaml");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("did you mean 'seed'?"), std::string::npos) << r.err;
  const CliResult ok = run_plansim("check scenarios/baseline.yaml");
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_NE(ok.out.find("ok"), std::string::npos);
}

TEST(CliBadInput, UsageErrorsExitTwo) {
  EXPECT_EQ(run_plansim("run").status, 2);
  EXPECT_EQ(run_plansim("run scenarios/baseline.yaml --scale 20000").status, 2);  // above 10,000
  EXPECT_EQ(run_plansim("frobnicate").status, 2);
  EXPECT_EQ(run_plansim("--help").status, 0);
}

}  // namespace
}  // namespace plansim::testing

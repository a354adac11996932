// `plansim check` rejects what `run` would reject: every input failure that used to surface only
// inside a run (an intervention naming an unknown metro line, opening a station that is already
// open, a zone without a centroid, an intervention whose process the scenario does not run,
// closing a facility that is not open) is found at configure, from the city catalogue, so both
// commands end with file:line:col: error:, exit status 2, and no output.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli_runner.h"

namespace plansim::testing {
namespace {

namespace fs = std::filesystem;

struct Case {
  std::string scenario;  // the scenario file's text (extends the baseline)
  std::string where;     // "scenario.yaml:4:" or "zones.yaml:102:": the error's file and line
  std::string message;   // part of the error message
};

const std::string kBaseline = std::string(PLANSIM_SOURCE_DIR) + "/scenarios/baseline.yaml";

std::string scenario_text(const std::string& body, const std::string& more = "") {
  return "scenario: {name: t, extends: '" + kBaseline + "'}\n" + more + body;
}

void expect_check_and_run_reject(const TempDir& dir, const Case& c) {
  const fs::path scenario = dir / "scenario.yaml";
  std::ofstream(scenario) << c.scenario;
  for (const std::string command : {"check", "run"}) {
    const fs::path output = dir / "out.h5";
    const std::string args =
        command == "run" ? " --scale 0.01 -q -o '" + output.string() + "'" : std::string();
    const CliResult r = run_plansim(command + " '" + scenario.string() + "'" + args);
    EXPECT_EQ(r.status, 2) << command << "\n" << r.err;
    const std::size_t at = r.err.find(c.where);
    ASSERT_NE(at, std::string::npos) << command << ": expected «" << c.where << "» in\n" << r.err;
    EXPECT_NE(r.err.find(": error: ", at), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos)
        << command << ": expected «" << c.message << "» in\n"
        << r.err;
    EXPECT_FALSE(fs::exists(output)) << command;
  }
}

TEST(CheckRejectsWhatRunRejects, UnknownMetroLine) {
  TempDir dir;
  expect_check_and_run_reject(
      dir, {scenario_text("policy:\n  interventions:\n"
                          "    - {year: 2022, open_stations: {line: \"66\", section: west}}\n"),
            "scenario.yaml:4:", "unknown metro line '66' (did you mean '6'?)"});
}

TEST(CheckRejectsWhatRunRejects, UnknownStation) {
  TempDir dir;
  expect_check_and_run_reject(
      dir, {scenario_text("policy:\n  interventions:\n"
                          "    - {year: 2022, upzone: {line: \"14\", stations: [奥体中新], "
                          "jobs_capacity: \"+5%\"}}\n"),
            "scenario.yaml:4:", "no station '奥体中新' on line 14"});
}

TEST(CheckRejectsWhatRunRejects, StationAlreadyOpen) {
  TempDir dir;
  expect_check_and_run_reject(
      dir, {scenario_text("policy:\n  interventions:\n"
                          "    - {year: 2022, open_stations: {line: \"1\", section: phase1}}\n"),
            "scenario.yaml:4:", "of line 1 is already open (since 2013)"});
}

TEST(CheckRejectsWhatRunRejects, UnknownZoneOfAnUpzoning) {
  TempDir dir;
  expect_check_and_run_reject(
      dir,
      {scenario_text("policy:\n  interventions:\n"
                     "    - {year: 2023, upzone: {zones: [xushiu], jobs_capacity: \"+5%\"}}\n"),
       "scenario.yaml:4:", "unknown zone 'xushiu' (did you mean 'xushui'?)"});
}

TEST(CheckRejectsWhatRunRejects, ZoneWithoutCentroid) {
  TempDir dir;
  fs::copy(fs::path(PLANSIM_SOURCE_DIR) / "configs/zhongyuan", dir / "city",
           fs::copy_options::recursive);
  // Drop xiliuhu's x_m (the line after its population_share).
  const fs::path zones = dir / "city" / "zones.yaml";
  std::string text = slurp(zones), kept;
  int line = 0, key_line = 0;
  std::istringstream in(text);
  for (std::string row; std::getline(in, row);) {
    ++line;
    if (row.find("key: xiliuhu") != std::string::npos) key_line = line;
    if (key_line && line > key_line && line < key_line + 8 && row.find("x_m:") != std::string::npos)
      continue;
    kept += row + "\n";
  }
  ASSERT_GT(key_line, 0);
  std::ofstream(zones) << kept;
  expect_check_and_run_reject(
      dir, {scenario_text("", "city: city\n"), "zones.yaml:" + std::to_string(key_line) + ":",
            "zone 'xiliuhu' has no centroid or area"});
}

TEST(CheckRejectsWhatRunRejects, TodWithoutTheHousingProcess) {
  TempDir dir;
  expect_check_and_run_reject(
      dir, {scenario_text("policy:\n  interventions:\n"
                          "    - {year: 2022, open_stations: {line: \"6\", section: west}}\n",
                          "processes: [synthesis, policy, demography, indicators]\n"),
            "scenario.yaml:5:",
            "open_stations: needs the housing process (it holds the land use and the "
            "metro), which the scenario does not run"});
}

TEST(CheckRejectsWhatRunRejects, FacilityActionWithoutItsProcess) {
  TempDir dir;
  expect_check_and_run_reject(
      dir, {scenario_text("policy:\n  interventions:\n"
                          "    - {year: 2022, add_beds: {zone: liuhu, beds: 200}}\n",
                          "processes: [synthesis, policy, demography, indicators]\n"),
            "scenario.yaml:5:",
            "add_beds: needs the eldercare process (it serves from "
            "eldercare_institution facilities)"});
}

TEST(CheckRejectsWhatRunRejects, ClosingAFacilityThatIsNotOpen) {
  TempDir dir;
  expect_check_and_run_reject(
      dir, {scenario_text("policy:\n  interventions:\n"
                          "    - {year: 2024, close_facility: {name: Nowhere kindergarten}}\n"),
            "scenario.yaml:4:",
            "close_facility.name: no facility named 'Nowhere kindergarten' is open in 2024"});
}

// The order of processes: each declares what must run before it (cli/register_builtin.cpp).
TEST(CheckRejectsWhatRunRejects, AProcessWithoutThePopulationItNeeds) {
  TempDir dir;
  expect_check_and_run_reject(
      dir, {scenario_text("processes: [demography, indicators]\n"), "scenario.yaml:2:13:",
            "processes[0]: demography needs the synthesis process before it (it builds the "
            "population that demography ages); add 'synthesis' to processes: before "
            "'demography'"});
}

TEST(CheckRejectsWhatRunRejects, AProcessListedBeforeWhatItNeeds) {
  TempDir dir;
  expect_check_and_run_reject(
      dir,
      {scenario_text("processes: [demography, synthesis, indicators]\n"), "scenario.yaml:2:13:",
       "processes[0]: demography must come after synthesis (it builds the population that "
       "demography ages); move 'synthesis' before 'demography' in processes:"});
}

TEST(CheckRejectsWhatRunRejects, PolicyAfterAProcessItChanges) {
  TempDir dir;
  expect_check_and_run_reject(
      dir, {scenario_text("processes: [synthesis, demography, education, policy]\n"),
            "scenario.yaml:2:47:",
            "processes[3]: policy must come before education (its interventions change the "
            "year's demand, R&D, places, beds, staff and land before they are used); move "
            "'policy' before 'education' in processes:"});
  // The economy reads the demand shocks and R&D subsidies of the year that the policy sets.
  expect_check_and_run_reject(
      dir, {scenario_text("processes: [synthesis, economy, policy]\n"),
            "scenario.yaml:2:33:", "processes[2]: policy must come before economy"});
}

// The shipped scenarios pass check as before (their interventions resolve against the catalogue).
TEST(CheckRejectsWhatRunRejects, ShippedScenariosPass) {
  for (const char* name : {"baseline", "tod", "school_places", "eldercare_beds", "combined",
                           "economy_demand_shock", "economy_rd_subsidy"}) {
    const CliResult r = run_plansim(std::string("check scenarios/") + name + ".yaml");
    EXPECT_EQ(r.status, 0) << name << "\n" << r.err;
  }
}

}  // namespace
}  // namespace plansim::testing

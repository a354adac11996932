// The city folder: files no process of the scenario reads are warned about (a stray or misspelt
// file is never read silently), and the city's display names come from its zones.yaml.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli_runner.h"
#include "io/hdf5_reader.h"

namespace plansim::testing {
namespace {

namespace fs = std::filesystem;

/// A copy of the Zhongyuan config with a stray YAML file and a table no YAML file names, and a
/// scenario over the baseline that uses it (all processes, or `processes` when given).
void write_city_with_strays(const TempDir& dir, const std::string& processes = "") {
  fs::copy(fs::path(PLANSIM_SOURCE_DIR) / "configs/zhongyuan", dir / "city",
           fs::copy_options::recursive);
  std::ofstream(dir / "city" / "zones_old.yaml") << "zones: []\n";
  std::ofstream(dir / "city" / "spare_table.csv") << "a,b\n1,2\n";
  std::ofstream(dir / "scenario.yaml")
      << "scenario: {name: strays, extends: '" << PLANSIM_SOURCE_DIR
      << "/scenarios/baseline.yaml'}\ncity: city\n"
      << (processes.empty() ? "" : "processes: [" + processes + "]\n");
}

TEST(CityFiles, StrayFilesAreWarnedAboutAndTheScenarioStillChecks) {
  TempDir dir;
  write_city_with_strays(dir);
  const std::string city = (dir / "city").string();
  const CliResult r = run_plansim("check '" + (dir / "scenario.yaml").string() + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find(city + "/zones_old.yaml:1:1: warning: no process of this scenario reads "
                              "zones_old.yaml\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(city + "/spare_table.csv: warning: no YAML file of the city reads this "
                              "table (as {csv: spare_table.csv})"),
            std::string::npos)
      << r.err;
  // The files the processes read are not mentioned: two warnings, nothing else.
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 2) << r.err;
  // JSON: the same warnings, for editors.
  const CliResult json =
      run_plansim("check '" + (dir / "scenario.yaml").string() + "' --format json");
  EXPECT_EQ(json.status, 0);
  EXPECT_NE(json.out.find("\"warnings\""), std::string::npos);
  EXPECT_NE(json.out.find("zones_old.yaml"), std::string::npos) << json.out;
}

TEST(CityFiles, FilesOfProcessesTheScenarioDoesNotRunAreNamedAsSuch) {
  TempDir dir;
  write_city_with_strays(dir, "synthesis, demography, indicators");
  const CliResult r = run_plansim("check '" + (dir / "scenario.yaml").string() + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("/economy.yaml:1:1: warning: no process of this scenario reads "
                       "economy.yaml (this scenario does not run policy, education, eldercare, "
                       "health, economy, housing, exogenous)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("demography.yaml:1:1: warning"), std::string::npos) << r.err;
}

TEST(CityFiles, DisplayNamesComeFromTheCityConfig) {
  const CliResult json = run_plansim("check scenarios/baseline.yaml --format json");
  ASSERT_EQ(json.status, 0) << json.err;
  EXPECT_NE(json.out.find("\"name_zh\": \"郑州市中原区\""), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"name_en\": \"Zhongyuan District, Zhengzhou\""), std::string::npos);
  // Not the folder's name: a copy of the city under another name keeps its display names.
  TempDir dir;
  fs::copy(fs::path(PLANSIM_SOURCE_DIR) / "configs/zhongyuan", dir / "elsewhere",
           fs::copy_options::recursive);
  std::ofstream(dir / "scenario.yaml")
      << "scenario: {name: short, extends: '" << PLANSIM_SOURCE_DIR
      << "/tests/integration/fixtures/drop_processes_child.yaml'}\ncity: elsewhere\n";
  const std::string out = (dir / "short.h5").string();
  const CliResult run =
      run_plansim("run '" + (dir / "scenario.yaml").string() +
                  "' --scale 0.01 --replicates 1 -q --no-summary -o '" + out + "'");
  ASSERT_EQ(run.status, 0) << run.err;
  const ResultsFile file(out);
  EXPECT_EQ(file.meta_strings().at("city_name"), "郑州市中原区");
  EXPECT_EQ(file.meta_strings().at("city_name_en"), "Zhongyuan District, Zhengzhou");
}

}  // namespace
}  // namespace plansim::testing

// plansim init-city: both templates write a skeleton that `plansim check` accepts as written,
// without warnings, and that runs; the minimal one on its two example zones, the full one with
// every process. A folder that exists and holds something is refused, nothing written.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli_runner.h"
#include "io/hdf5_reader.h"

namespace plansim::testing {
namespace {

namespace fs = std::filesystem;

struct Written {
  CliResult init, check, run;
};

Written init_check_and_run(const TempDir& dir, const std::string& template_name) {
  const std::string city = (dir / "new-city").string();
  Written w;
  w.init = run_plansim("init-city '" + city + "' --template " + template_name);
  w.check = run_plansim("check '" + city + "/baseline.yaml'");
  w.run = run_plansim("run '" + city + "/baseline.yaml' --scale 0.02 --set run.end=2022 -q " +
                      "--no-summary --threads 2 -o '" + (dir / "out.h5").string() + "'");
  return w;
}

TEST(InitCity, MinimalTemplateChecksAndRunsAsWritten) {
  TempDir dir;
  const Written w = init_check_and_run(dir, "minimal");
  ASSERT_EQ(w.init.status, 0) << w.init.err;
  EXPECT_NE(w.init.out.find("next:\n  plansim check"), std::string::npos) << w.init.out;
  for (const char* file : {"baseline.yaml", "README.md", "city/zones.yaml", "city/population.yaml",
                           "city/demography.yaml", "city/demography_mortality.csv"})
    EXPECT_TRUE(fs::is_regular_file(dir / "new-city" / file)) << file;
  EXPECT_FALSE(fs::exists(dir / "new-city/city/economy.yaml"));  // only what its processes read
  ASSERT_EQ(w.check.status, 0) << w.check.err;
  EXPECT_EQ(w.check.err.find("warning"), std::string::npos) << w.check.err;
  EXPECT_NE(w.check.out.find("synthesis → demography → indicators"), std::string::npos)
      << w.check.out;
  EXPECT_NE(w.check.out.find("示例市 (Example City)"), std::string::npos) << w.check.out;
  ASSERT_EQ(w.run.status, 0) << w.run.err;
  const ResultsFile results((dir / "out.h5").string());
  EXPECT_EQ(results.years(), (std::vector<int>{2020, 2021, 2022}));
  EXPECT_EQ(results.zone_keys(), (std::vector<std::string>{"north", "south"}));
}

TEST(InitCity, FullTemplateChecksAndRunsEveryProcess) {
  TempDir dir;
  const Written w = init_check_and_run(dir, "full");
  ASSERT_EQ(w.init.status, 0) << w.init.err;
  ASSERT_EQ(w.check.status, 0) << w.check.err;
  EXPECT_EQ(w.check.err.find("warning"), std::string::npos) << w.check.err;
  EXPECT_NE(w.check.out.find("synthesis → policy → demography → economy → education → eldercare "
                             "→ health → housing → exogenous → indicators"),
            std::string::npos)
      << w.check.out;
  ASSERT_EQ(w.run.status, 0) << w.run.err;
  const ResultsFile results((dir / "out.h5").string());
  EXPECT_FALSE(results.keys("facilities").empty());
  // Every copied file says where its figures come from.
  const std::string zones = slurp(dir / "new-city/city/zones.yaml");
  EXPECT_EQ(zones.rfind("# plansim init-city (template full)", 0), 0u) << zones.substr(0, 200);
}

TEST(InitCity, AFolderThatHoldsSomethingIsRefusedAndLeftAlone) {
  TempDir dir;
  fs::create_directories(dir / "taken");
  std::ofstream(dir / "taken" / "notes.txt") << "mine\n";
  const CliResult r = run_plansim("init-city '" + (dir / "taken").string() + "'");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("exists and is not an empty folder; nothing written"), std::string::npos)
      << r.err;
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "taken"), fs::directory_iterator()), 1);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
  const CliResult bad = run_plansim("init-city '" + (dir / "other").string() + "' --template big");
  EXPECT_EQ(bad.status, 2);
  EXPECT_FALSE(fs::exists(dir / "other"));
}

}  // namespace
}  // namespace plansim::testing

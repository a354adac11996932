// End-to-end runs of the baseline scenario through the CLI, read back from HDF5.
#include <gtest/gtest.h>

#include <cmath>

#include "cli_runner.h"
#include "io/hdf5_reader.h"

namespace plansim::testing {
namespace {

// The base year at full scale: the census total exactly, shares within 0.5 percentage points.
TEST(BaselineRun, BaseYearMatchesCensusAtFullScale) {
  TempDir dir;
  const auto out = dir / "base.h5";
  const CliResult r = run_plansim(
      "run scenarios/baseline.yaml --set run.end=2020 "
      "--set demography.mortality.level=1 -q --no-summary -o '" +
      out.string() + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  ResultsFile file(out.string());
  ASSERT_EQ(file.years(), std::vector<int>{2020});
  EXPECT_EQ(file.indicator("population").at(0, 0), 962642.0);
  EXPECT_NEAR(file.indicator("male_share").at(0, 0), 100.0 * 481261 / 962642, 0.5);
  EXPECT_NEAR(file.indicator("age_0_14_share").at(0, 0), 19.07, 0.5);
  EXPECT_NEAR(file.indicator("age_15_59_share").at(0, 0), 66.23, 0.5);
  EXPECT_NEAR(file.indicator("age_60_plus_share").at(0, 0), 14.70, 0.5);
  EXPECT_NEAR(file.indicator("age_65_plus_share").at(0, 0), 10.10, 0.5);
  EXPECT_NEAR(file.indicator("average_household_size").at(0, 0), 2.82, 0.05);
  // Calibrated base-year crude rates (Zhengzhou 2020: about 9.5 and 4.8 per 1000). The base-year
  // calibration alone: the baseline's mortality level fitted on 2021-22 (0.85, the district's
  // lower death rate) is set back to 1 here.
  EXPECT_NEAR(file.indicator("crude_birth_rate").at(0, 0), 9.5, 0.5);
  EXPECT_NEAR(file.indicator("crude_death_rate").at(0, 0), 4.8, 0.4);
  // Provenance.
  const auto meta = file.meta_strings();
  EXPECT_FALSE(meta.at("scenario_yaml").empty());
  EXPECT_EQ(meta.at("scenario_sha256").size(), 64u);
}

// The whole horizon on a sample: every year 2020-2035 present, population accounting holds.
TEST(BaselineRun, SampleRunsTheWholeHorizon) {
  TempDir dir;
  const auto out = dir / "sample.h5";
  const CliResult r = run_plansim(
      "run scenarios/baseline.yaml --scale 0.02 --replicates 2 -q -o '" + out.string() + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("Resident population"), std::string::npos) << r.out;
  ResultsFile file(out.string());
  const std::vector<int> years = file.years();
  ASSERT_EQ(years.size(), 16u);
  EXPECT_EQ(years.front(), 2020);
  EXPECT_EQ(years.back(), 2035);
  const auto population = file.indicator("population");
  const auto births = file.events("births"), deaths = file.events("deaths");
  const auto in = file.events("in_migrants"), out_m = file.events("out_migrants");
  ASSERT_EQ(population.rows, 2u);
  for (std::size_t rep = 0; rep < 2; ++rep)
    for (std::size_t y = 0; y + 1 < years.size(); ++y)
      EXPECT_DOUBLE_EQ(population.at(rep, y + 1), population.at(rep, y) + births.at(rep, y) -
                                                      deaths.at(rep, y) + in.at(rep, y) -
                                                      out_m.at(rep, y))
          << "replicate " << rep << " year " << years[y];
  // Zone panel sums to the population.
  std::size_t reps = 0, ny = 0, nz = 0;
  const std::vector<float> zones = file.zones("population", reps, ny, nz);
  ASSERT_EQ(nz, 14u);
  double total = 0;
  for (std::size_t z = 0; z < nz; ++z) total += zones[z];
  EXPECT_NEAR(total, population.at(0, 0), 1.0);
}

}  // namespace
}  // namespace plansim::testing

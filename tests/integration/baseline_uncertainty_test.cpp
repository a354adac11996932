// The shipped ranges end to end (docs/uncertainty.md, "The shipped ranges"): the baseline's
// ensemble carries the uncertainty of its assumptions and of the calibration's posterior.
//
// 64 replicates of the whole baseline (every process) on a 2% sample to 2025: the observed
// 2021-22 population and births lie inside the ensemble's 90% intervals, and those intervals are
// not so wide that they would hold anything (at most ±25%); the 2025 GDP interval is wider than
// the Monte Carlo-only one (the same ensemble with uncertainty.parameters: central); the
// scorecard prints P(met) with its standard error, what the intervals carry and how many
// replicates would settle the statuses. Cost: about 10 s of CPU for the sampled ensemble (half of
// it configuring each replicate on its own values, twice: validation and run) and 2.5 s for the
// central one (32 replicates); 2% keeps the sampling noise of a replicate's births (≈ 8%) below the
// posterior's spread of the TFR (≈ 10% sd).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "io/hdf5_observed.h"
#include "io/hdf5_reader.h"

namespace plansim::testing {
namespace {

const std::string kEnsemble =
    "run scenarios/baseline.yaml --scale 0.02 --set run.end=2025 --threads 2 ";

// The 5th-95th percentile width of GDP 2025 over the replicates of a results file.
double gdp_2025_width(const ResultsFile& file) {
  const auto gdp = file.indicator("gdp");
  const auto years = file.years();
  const auto at =
      static_cast<std::size_t>(std::find(years.begin(), years.end(), 2025) - years.begin());
  std::vector<double> values;
  for (std::size_t r = 0; r < gdp.rows; ++r) values.push_back(gdp.at(r, at));
  std::sort(values.begin(), values.end());
  // Type 7 quantiles, as /summary.
  auto quantile = [&](double p) {
    const double h = (values.size() - 1) * p;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (h - lo) * (values[hi] - values[lo]);
  };
  return quantile(0.95) - quantile(0.05);
}

TEST(BaselineUncertainty, ObservedYearsInsideTheIntervalsAndParametersWidenThem) {
  TempDir dir;
  const std::string sampled_path = (dir / "sampled.h5").string();
  const std::string central_path = (dir / "central.h5").string();
  const CliResult sampled = run_plansim(kEnsemble + "--replicates 64 -o '" + sampled_path + "'");
  ASSERT_EQ(sampled.status, 0) << sampled.err;
  // The Monte Carlo-only ensemble: 32 replicates estimate its interval as well as 64 (its width
  // is about a quarter of the sampled one).
  const CliResult central = run_plansim(
      kEnsemble + "--replicates 32 --set uncertainty.parameters=central -o '" + central_path + "'");
  ASSERT_EQ(central.status, 0) << central.err;

  // The posterior replaces the prior where the calibration constrains a parameter: every
  // replicate takes a particle, and its TFR of 2022 is the particle's (not the point estimate).
  const ResultsFile file(sampled_path);
  const auto meta = file.meta_strings();
  EXPECT_NE(meta.at("uncertainty_posterior").find("calibrations/baseline-posterior.h5"),
            std::string::npos);
  EXPECT_EQ(meta.at("posterior_parameters"),
            "demography.fertility.tfr.2021; demography.fertility.tfr.2022; "
            "demography.mortality.level; demography.migration.in_migrants_per_1000; "
            "demography.migration.out_migrants_per_1000");
  const auto tfr_2022 = file.parameter("demography.fertility.tfr.2022");
  ASSERT_EQ(tfr_2022.size(), 64u);
  const auto [tfr_low, tfr_high] = std::minmax_element(tfr_2022.begin(), tfr_2022.end());
  EXPECT_GT(*tfr_high - *tfr_low, 0.2);  // the posterior's spread, not one value
  // The shipped distributions are drawn: the deflator varies, within its documented range.
  const auto deflator = file.parameter("economy.projection.deflator_growth");
  ASSERT_EQ(deflator.size(), 64u);
  EXPECT_GT(*std::max_element(deflator.begin(), deflator.end()), 0.025);
  EXPECT_LT(*std::min_element(deflator.begin(), deflator.end()), 0.005);

  // The observed 2021-22 population and births inside the 90% intervals.
  const StoredHindcast stored = read_hindcast(sampled_path);
  ASSERT_TRUE(stored.has_hindcast);
  int checked = 0;
  for (const HindcastRow& row : stored.hindcast.rows) {
    if (row.key != "population_year_end" && row.key != "births") continue;
    ++checked;
    EXPECT_TRUE(row.within_interval) << row.key << " " << row.year << ": observed " << row.observed
                                     << ", 90% [" << row.p05 << ", " << row.p95 << "]";
    // An interval that holds everything would pass for nothing: at most ±25% of the figure.
    EXPECT_LT(row.p95 - row.p05, 0.5 * row.observed) << row.key << " " << row.year;
  }
  EXPECT_EQ(checked, 4);

  // GDP 2025: the assumptions widen the interval well beyond the Monte Carlo noise.
  const double width = gdp_2025_width(file);
  const double noise_only = gdp_2025_width(ResultsFile(central_path));
  EXPECT_GT(width, 3 * noise_only) << "sampled " << width << " 亿元, central " << noise_only;

  // The scorecard says what its intervals carry and prints P(met) with its standard error.
  EXPECT_NE(sampled.out.find("Intervals and P(met) carry 41 uncertain parameters"),
            std::string::npos)
      << sampled.out;
  EXPECT_NE(sampled.out.find("the posterior of"), std::string::npos);
  EXPECT_NE(sampled.out.find("P(met) ± its Monte Carlo standard error"), std::string::npos);
  EXPECT_NE(sampled.out.find("% ± "), std::string::npos) << sampled.out;
  EXPECT_NE(sampled.out.find("--replicates "), std::string::npos) << sampled.out;
  // Central mode says that only the noise remains.
  EXPECT_NE(central.out.find("Intervals and P(met) carry Monte Carlo noise only: 41 uncertain "
                             "parameters"),
            std::string::npos)
      << central.out;
  EXPECT_NE(central.out.find("held at their medians, the posterior not drawn"), std::string::npos);
}

}  // namespace
}  // namespace plansim::testing

// The hindcast of every run: a run of the city's scenario holds /observed and /hindcast, prints
// them after the scorecard, and compares year-end stocks with the state on 31 December; and the
// in-sample hindcast of the calibrated baseline (calibrations/baseline.yaml) meets the observed
// years.
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

TEST(Hindcast, EveryRunOfTheCityComparesWithTheObservedYears) {
  TempDir dir;
  const auto out = dir / "h.h5";
  const CliResult r = run_plansim(
      "run scenarios/baseline.yaml --scale 0.02 --replicates 2 --set run.end=2022 "
      "--set 'processes=[synthesis, demography, exogenous, indicators]' -q -o '" +
      out.string() + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("Against observed years 与观测年份对照"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("年末常住人口"), std::string::npos) << r.out;
  const ResultsFile file(out.string());
  // Year-end stock of year y = the population at the start of y + 1.
  const auto population = file.indicator("population");
  const auto year_end = file.indicator("population_year_end");
  for (std::size_t rep = 0; rep < 2; ++rep)
    for (std::size_t y = 0; y + 1 < file.years().size(); ++y)
      EXPECT_EQ(year_end.at(rep, y), population.at(rep, y + 1));
  EXPECT_EQ(file.shape("/observed/population_year_end"), std::vector<std::size_t>{3});
  const StoredHindcast stored = read_hindcast(out.string());
  ASSERT_TRUE(stored.has_hindcast);
  EXPECT_EQ(stored.hindcast.replicates, 2u);
  bool births_2022 = false;
  for (const HindcastRow& row : stored.hindcast.rows) {
    EXPECT_TRUE(row.simulated()) << row.key << " " << row.year << ": " << row.note;
    if (row.key == "births" && row.year == 2022) {
      births_2022 = true;
      EXPECT_EQ(row.observed, 7500);
      EXPECT_EQ(row.timing, ObservedTiming::CalendarYear);
    }
  }
  EXPECT_TRUE(births_2022);
}

// The calibrated baseline, all its processes, against the years it was calibrated on: year-end
// population within 0.5% of the published figure, births within 5%, crude birth and death rates
// within 0.5 per 1000, for the mean over replicates read back from the results file.
//
// Sample: 20% of the district and 3 replicates (about 5,000 simulated births a year), not the
// whole district: a full-scale run takes most of a minute, too long for the suite. The sampling
// noise of the mean is then about 1.4% of the births, 0.1 per 1000 of the crude rates and
// 0.05% of the population (gross migration of about 45 per 1000 each way), well inside the
// tolerances, so a failure means a baseline that no longer fits, not an unlucky sample; the
// calibration itself fitted 10% samples (its posterior intervals: configs/zhongyuan/README.md).
// The point estimates are tested (uncertainty.parameters: central, no posterior particle); the
// ensemble over the posterior and the other ranges: baseline_uncertainty_test.cpp.
TEST(Hindcast, TheCalibratedBaselineMeetsTheObservedYears) {
  TempDir dir;
  const auto out = dir / "baseline.h5";
  const CliResult r = run_plansim(
      "run scenarios/baseline.yaml --scale 0.2 --replicates 3 "
      "--set run.end=2022 --set uncertainty.parameters=central -q --no-summary -o '" +
      out.string() + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  const ResultsFile file(out.string());
  const std::vector<int> years = file.years();
  ASSERT_EQ(years, (std::vector<int>{2020, 2021, 2022}));
  const auto mean = [](const ResultsFile::Matrix& m, std::size_t year) {
    double sum = 0;
    for (std::size_t k = 0; k < m.rows; ++k) sum += m.at(k, year);
    return sum / static_cast<double>(m.rows);
  };
  struct Expected {
    std::string key;
    bool event;                         // /events, else /indicators
    double observed2021, observed2022;  // the published figures (observed.yaml)
    double tolerance;                   // on |simulated mean − observed|
    bool relative;
  };
  const Expected expected[] = {
      {"population_year_end", false, 965300, 968900, 0.005, true},
      {"births", true, 8300, 7500, 0.05, true},
      {"crude_birth_rate", false, 8.60, 7.78, 0.5, false},
      {"crude_death_rate", false, 4.25, 4.13, 0.5, false},
  };
  const StoredHindcast stored = read_hindcast(out.string());
  ASSERT_TRUE(stored.has_hindcast);
  for (const Expected& e : expected) {
    const ResultsFile::Matrix series = e.event ? file.events(e.key) : file.indicator(e.key);
    ASSERT_EQ(series.rows, 3u) << e.key;
    for (std::size_t y = 1; y < years.size(); ++y) {
      const double observed = y == 1 ? e.observed2021 : e.observed2022;
      const double simulated = mean(series, y);
      const double error = simulated - observed;
      const double allowed = e.relative ? e.tolerance * observed : e.tolerance;
      RecordProperty(e.key + "_" + std::to_string(years[y]), std::to_string(simulated));
      EXPECT_LE(std::abs(error), allowed)
          << e.key << " " << years[y] << ": simulated " << simulated << ", observed " << observed;
      // The run's own fit table compares the same figures.
      bool found = false;
      for (const HindcastRow& row : stored.hindcast.rows)
        if (row.key == e.key && row.year == years[y]) {
          found = true;
          EXPECT_EQ(row.observed, observed) << e.key;
          EXPECT_NEAR(row.mean, simulated, 1e-9 * std::max(1.0, std::abs(simulated))) << e.key;
        }
      EXPECT_TRUE(found) << e.key << " " << years[y] << " is in /hindcast";
    }
  }
}

}  // namespace
}  // namespace plansim::testing

// The hindcast of every run: a run of the city's scenario holds /observed and /hindcast, prints
// them after the scorecard, and compares year-end stocks with the state on 31 December.
#include <gtest/gtest.h>

#include <cmath>

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

}  // namespace
}  // namespace plansim::testing

// The printed run summary uses the ensemble statistics of /summary (one percentile definition).
#include "cli/summary.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "indicators/ensemble.h"

namespace plansim {
namespace {

std::string two_decimals(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

TEST(RunSummary, EnsembleRangeIsTheSummaryGroupsPercentiles) {
  SeriesCatalog catalog;
  catalog.declare({SeriesKind::Indicator, "average_household_size", "persons", "平均家庭户规模",
                   "Average household size", ""});
  RunOutput output;
  output.catalog = &catalog;
  output.meta.scenario_name = "test";
  // 20 replicates with values 1..20 (in a shuffled order): type-7 quantiles are 1.95 and 19.05,
  // nearest-rank ones would be 1 and 19.
  for (std::uint32_t r = 0; r < 20; ++r) {
    ReplicateResults rep;
    rep.replicate = r;
    rep.years = {2020};
    rep.indicators["average_household_size"] = {static_cast<double>((r * 7) % 20 + 1)};
    output.replicates.push_back(rep);
  }
  const EnsembleSummary summary = summarise_ensemble(output.replicates);
  const SeriesSummary& s = summary.indicators.at("average_household_size");
  const std::string expected =
      two_decimals(s.mean[0]) + " [" + two_decimals(s.p05[0]) + ", " + two_decimals(s.p95[0]) + "]";
  EXPECT_EQ(expected, "10.50 [1.95, 19.05]");
  EXPECT_NE(format_summary(output, catalog).find(expected), std::string::npos)
      << format_summary(output, catalog);
}

}  // namespace
}  // namespace plansim

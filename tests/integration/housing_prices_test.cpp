// The dwelling price index is real (moved by housing demand and supply only); its nominal twin is
// the real index times the economy's GDP deflator of the year, so a scenario with faster
// inflation raises the nominal index and leaves the real one alone.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "cli_runner.h"
#include "io/hdf5_reader.h"

namespace plansim::testing {
namespace {

std::string run(const TempDir& dir, const std::string& name, const std::string& sets) {
  const std::string out = (dir / (name + ".h5")).string();
  const CliResult r = run_plansim(
      "run scenarios/baseline.yaml --scale 0.02 --set run.end=2024 --seed 5 -q --no-summary "
      "--set uncertainty.parameters=central " +
      sets + " -o '" + out + "'");
  EXPECT_EQ(r.status, 0) << r.err;
  return out;
}

TEST(HousingPrices, NominalIsRealTimesTheDeflator) {
  const TempDir dir;
  for (const double inflation : {0.015, 0.06}) {
    const ResultsFile f(
        run(dir, "inflation", "--set economy.deflator_growth=" + std::to_string(inflation)));
    const auto& real = f.indicator("mean_price_index");
    const auto& nominal = f.indicator("mean_price_index_nominal");
    const auto years = f.years();
    for (std::size_t y = 0; y < years.size(); ++y) {
      // The deflator is 1 in the base year and grows by deflator_growth a year after it.
      const double deflator = std::pow(1 + inflation, years[y] - years.front());
      EXPECT_NEAR(nominal.at(0, y), real.at(0, y) * deflator, 1e-9 * deflator)
          << "year " << years[y] << ", inflation " << inflation;
    }
  }
}

TEST(HousingPrices, InflationMovesTheNominalIndexNotTheRealOne) {
  const TempDir dir;
  const ResultsFile low(run(dir, "low", "--set economy.deflator_growth=0.0"));
  const ResultsFile high(run(dir, "high", "--set economy.deflator_growth=0.06"));
  const std::size_t last = low.years().size() - 1;
  EXPECT_GT(high.indicator("mean_price_index_nominal").at(0, last),
            1.2 * low.indicator("mean_price_index_nominal").at(0, last));
  // The economy's inflation reaches housing only through the deflator: the same real market.
  EXPECT_NEAR(high.indicator("mean_price_index").at(0, last),
              low.indicator("mean_price_index").at(0, last),
              0.02 * low.indicator("mean_price_index").at(0, last));
}

}  // namespace
}  // namespace plansim::testing

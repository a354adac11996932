// The housing market against the baseline, same seed and central assumptions: more dwellings in a
// zone lower its price and raise its population; an oversupply leaves dwellings empty and real
// prices falling. The price index is real (moved by housing demand and supply only); its nominal
// twin is the real index times the economy's GDP deflator, so faster inflation raises the nominal
// index and leaves the real one alone.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "io/hdf5_reader.h"

namespace plansim::testing {
namespace {

std::string run(const TempDir& dir, const std::string& name, const std::string& sets,
                const std::string& scale = "0.02", const std::string& end = "2024") {
  const std::string out = (dir / (name + ".h5")).string();
  const CliResult r =
      run_plansim("run scenarios/baseline.yaml --scale " + scale + " --set run.end=" + end +
                  " --seed 3 -q --no-summary --set uncertainty.parameters=central " + sets +
                  " -o '" + out + "'");
  EXPECT_EQ(r.status, 0) << r.err;
  return out;
}

// Twice the dwellings allowed within 1 km of the stations of lines 1 and 14 (phase 1) from 2021.
const std::string kUpzoning =
    "--set 'policy.interventions=[{year: 2021, upzone: {line: \"1\", section: phase1, radius_m: "
    "1000, residential_capacity: \"+100%\"}}, {year: 2021, upzone: {line: \"14\", section: "
    "phase1, radius_m: 1000, residential_capacity: \"+100%\"}}]'";

struct ZonePanel {
  std::vector<float> values;
  std::size_t years = 0, zones = 0;
  float at(std::size_t year, std::size_t zone) const { return values.at(year * zones + zone); }
};

ZonePanel zone_panel(const ResultsFile& f, const std::string& key) {
  ZonePanel p;
  std::size_t replicates = 0;
  p.values = f.zones(key, replicates, p.years, p.zones);
  return p;
}

// Empty dwellings over the stock of the whole district in `year` (%).
double district_vacancy(const ResultsFile& f, std::size_t year) {
  const ZonePanel stock = zone_panel(f, "dwellings"), vacancy = zone_panel(f, "dwelling_vacancy");
  double empty = 0, all = 0;
  for (std::size_t z = 0; z < stock.zones; ++z) {
    empty += stock.at(year, z) * vacancy.at(year, z) / 100.0;
    all += stock.at(year, z);
  }
  return all > 0 ? 100.0 * empty / all : 0.0;
}

TEST(HousingMarket, MoreDwellingsInAZoneLowerItsPriceAndRaiseItsPopulation) {
  const TempDir dir;
  const ResultsFile base(run(dir, "base", "", "0.05", "2025"));
  const ResultsFile upzoned(run(dir, "upzoned", kUpzoning, "0.05", "2025"));
  const std::size_t y2025 = base.years().size() - 1;
  const ZonePanel stock_base = zone_panel(base, "dwellings"),
                  stock_up = zone_panel(upzoned, "dwellings");
  const ZonePanel price_base = zone_panel(base, "price_index"),
                  price_up = zone_panel(upzoned, "price_index");
  const ZonePanel people_base = zone_panel(base, "population_density"),
                  people_up = zone_panel(upzoned, "population_density");
  std::size_t more = 0;
  for (std::size_t z = 0; z < stock_base.zones; ++z) {
    if (stock_up.at(y2025, z) < 1.1f * stock_base.at(y2025, z)) continue;
    ++more;  // a zone where developers built at least 10% more than in the baseline
    EXPECT_LT(price_up.at(y2025, z), price_base.at(y2025, z)) << "zone " << z;
    EXPECT_GT(people_up.at(y2025, z), people_base.at(y2025, z)) << "zone " << z;
  }
  EXPECT_GE(more, 2u);
}

TEST(HousingMarket, AnOversupplyLeavesDwellingsEmptyAndRealPricesFalling) {
  const TempDir dir;
  const ResultsFile base(run(dir, "base", "", "0.05", "2025"));
  // Upzoning, and developers who build a large share of the headroom every year.
  const ResultsFile over(run(
      dir, "over",
      kUpzoning +
          " --set 'housing.market.build_share={old_town: 0.05, new_district: 0.3, tod_area: 0.4}'",
      "0.05", "2025"));
  const std::size_t y2025 = base.years().size() - 1;
  const auto price_base = base.indicator("mean_price_index");
  const auto price_over = over.indicator("mean_price_index");
  // Real prices fall every year and end well below the baseline's.
  for (std::size_t y = 1; y <= y2025; ++y)
    EXPECT_LT(price_over.at(0, y), price_over.at(0, y - 1)) << "year " << over.years()[y];
  EXPECT_LT(price_over.at(0, y2025), 0.97 * price_base.at(0, y2025));
  EXPECT_GT(district_vacancy(over, y2025), 3.0);
  EXPECT_GT(district_vacancy(over, y2025), district_vacancy(base, y2025) + 2.0);
}

TEST(HousingMarket, NominalPricesAreRealTimesTheDeflator) {
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

TEST(HousingMarket, InflationMovesTheNominalPriceIndexNotTheRealOne) {
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

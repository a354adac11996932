// The base year 2020 reproduces the plan's published figures (each within 2%) from the real
// city config and a hand-built Zhongyuan-like population.
#include <gtest/gtest.h>

#include "economy_test_support.h"

namespace plansim::economy_test {
namespace {

class BaseYear : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    harness_ = new Harness();
    ASSERT_TRUE(harness_->diags().empty()) << harness_->diags().format();
    harness_->start(make_world(96000));
    harness_->run_year();
  }
  static void TearDownTestSuite() {
    delete harness_;
    harness_ = nullptr;
  }
  static double at2020(const std::string& key) { return harness_->indicator(key, 2020); }
  static Harness* harness_;
};
Harness* BaseYear::harness_ = nullptr;

void expect_within(double value, double published, double relative, const std::string& what) {
  EXPECT_NEAR(value, published, relative * published) << what;
}

TEST_F(BaseYear, GdpAndItsStructureMatchThePlan) {
  expect_within(at2020("gdp"), 709.3, 0.02, "GDP, 亿元 (plan 专栏1-1)");
  expect_within(at2020("gdp_real"), 709.3, 0.02, "GDP at 2020 prices");
  expect_within(at2020("secondary_share"), 31.7, 0.02, "secondary share, %");
  expect_within(at2020("tertiary_share"), 68.3, 0.02, "tertiary share, %");
  expect_within(at2020("value_added_tech_services"), 130, 0.02, "technology services, 亿元");
  expect_within(at2020("tech_services_share"), 18.3, 0.02, "technology services share, %");
  expect_within(at2020("value_added_culture_tourism"), 11, 0.05, "cultural-creative tourism, 亿元");
}

TEST_F(BaseYear, LabourMarketIncomeAndSalesMatchThePlan) {
  // The surveyed rate is the config's (an uncertain assumption, here at its median); the
  // registered rate beside it is the plan's published 3.5%.
  const auto& config = harness_->process().config();
  expect_within(at2020("unemployment_rate"), 100 * config.surveyed_unemployment_rate_2020, 0.02,
                "surveyed unemployment rate, %");
  EXPECT_GT(at2020("unemployment_rate"), 4.5);
  expect_within(at2020("registered_unemployment_rate"), 3.5, 0.02,
                "registered unemployment rate, % (plan 专栏1-1)");
  expect_within(at2020("disposable_income_per_capita"), 42749, 0.02, "disposable income, 元");
  expect_within(at2020("retail_sales"), 257.2, 0.02, "retail sales, 亿元");
  expect_within(at2020("rd_intensity"), 1.43, 0.02, "R&D / GDP, %");
  expect_within(at2020("patents_per_10k"), 7.5, 0.02, "invention patents per 10,000");
  expect_within(at2020("firms"), 79000, 0.02, "market entities");
}

TEST_F(BaseYear, OtherFiguresArePlausible) {
  // Not published for the district: sanity ranges only.
  const double employment = at2020("employment");
  EXPECT_GT(employment, 3.5e5);
  EXPECT_LT(employment, 5.5e5);
  EXPECT_GT(at2020("labour_productivity"), 1.2e5);
  EXPECT_LT(at2020("labour_productivity"), 2.2e5);
  EXPECT_GT(at2020("pension_coverage"), 95.0);
  EXPECT_LE(at2020("pension_coverage"), 100.0);
  // The plan's 11.55 万 new urban jobs over 2016-20 are 2.3 万 a year.
  EXPECT_GT(at2020("new_urban_jobs"), 0.5);
  EXPECT_LT(at2020("new_urban_jobs"), 6.0);
  EXPECT_TRUE(std::isnan(at2020("gdp_real_growth"))) << "growth is not defined in the base year";
  // The wage level needed for the published income is close to the configured wages.
  const auto& scalars = harness_->results().scalars;
  ASSERT_TRUE(scalars.count("economy_wage_calibration"));
  EXPECT_GT(scalars.at("economy_wage_calibration"), 0.7);
  EXPECT_LT(scalars.at("economy_wage_calibration"), 1.4);
}

}  // namespace
}  // namespace plansim::economy_test

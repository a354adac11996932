// A scenario's economic values act on top of the base-year calibration: the base year is the
// calibration year, simulated with the city's values (so it reproduces the published figures and
// its fitted factors do not depend on the scenario), and every number may be a trajectory.
#include <gtest/gtest.h>

#include "economy_test_support.h"

namespace plansim::economy_test {
namespace {

TEST(EconomyScenarioValues, EveryNumberMayBeATrajectory) {
  Harness h(
      "economy:\n"
      "  deflator_growth: {2020: 0.02, 2025: 0.05}\n"
      "  external_demand_growth: {tech_services: {step: {2020: 0.05, 2023: 0.2}}}\n"
      "  labour_market: {quit_rate: {step: {2020: 0.06, 2024: 0.1}}}\n"
      "  retirement: {male_age: {step: {2020: 60, 2026: 62}}}\n"
      "  pensions: {coverage_other: {2020: 0.97, 2025: 1.0}}\n");
  ASSERT_TRUE(h.diags().empty()) << h.diags().format();
  const EconomyProcess& p = h.process();
  EXPECT_DOUBLE_EQ(p.config(2023).deflator_growth, 0.02 + 3 * 0.006);
  EXPECT_DOUBLE_EQ(p.config(2030).deflator_growth, 0.05);
  const std::size_t tech = p.config(2021).tech_sector;
  EXPECT_DOUBLE_EQ(p.config(2022).sectors[tech].external_demand_growth, 0.05);
  EXPECT_DOUBLE_EQ(p.config(2023).sectors[tech].external_demand_growth, 0.2);
  EXPECT_DOUBLE_EQ(p.config(2023).labour.quit_rate, 0.06);
  EXPECT_DOUBLE_EQ(p.config(2024).labour.quit_rate, 0.1);
  EXPECT_EQ(p.config(2025).retirement.male_age, 60);
  EXPECT_EQ(p.config(2026).retirement.male_age, 62);
  EXPECT_DOUBLE_EQ(p.config(2024).pensions.coverage_other, 0.97 + 4 * 0.006);
}

TEST(EconomyScenarioValues, TheBaseYearIsTheCitysSoItsCalibrationIgnoresTheScenario) {
  // Values that would shift the base year's matching and income: the calibrated factors and the
  // base-year figures are those of the city's values.
  Harness base("");
  Harness other(
      "economy:\n"
      "  labour_market: {quit_rate: 0.2, search_intensity: 0.9, matching_elasticity: 0.3}\n"
      "  retirement: {male_age: 63}\n"
      "  pensions: {coverage_other: 1.0}\n");
  ASSERT_TRUE(base.diags().empty()) << base.diags().format();
  ASSERT_TRUE(other.diags().empty()) << other.diags().format();
  EXPECT_EQ(other.process().config(2020).labour.quit_rate,
            base.process().config(2020).labour.quit_rate);
  EXPECT_EQ(other.process().config(2021).labour.quit_rate, 0.2);
  base.start(make_world(20000, 3));
  other.start(make_world(20000, 3));
  base.run_year();
  other.run_year();
  EXPECT_EQ(other.results().scalars.at("economy_matching_efficiency"),
            base.results().scalars.at("economy_matching_efficiency"));
  EXPECT_EQ(other.results().scalars.at("economy_wage_calibration"),
            base.results().scalars.at("economy_wage_calibration"));
  EXPECT_EQ(other.indicator("disposable_income_per_capita", 2020),
            base.indicator("disposable_income_per_capita", 2020));
  EXPECT_EQ(other.indicator("pension_coverage", 2020), base.indicator("pension_coverage", 2020));
  // From the next year the scenario's values act (stocks are measured at the start of a year).
  for (int year : {2021, 2022}) {
    (void)year;
    for (Harness* h : {&base, &other}) {
      age_one_year(h->world());
      h->run_year();
    }
  }
  EXPECT_GT(other.indicator("pension_coverage", 2022), base.indicator("pension_coverage", 2022));
  EXPECT_GT(other.indicator("labour_force", 2022), base.indicator("labour_force", 2022))
      << "later retirement keeps the men who turn 60 in the labour force";
}

TEST(EconomyScenarioValues, AKnotOnASectorRateOfTheCityTableNeedsTheWholeValue) {
  Diagnostics diags;
  Harness h("");
  const LoadedScenario loaded = load_scenario(
      h.scenario_file(), {"economy.external_demand_growth.tech_services.2023=0.2"}, diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  SeriesCatalog catalog;
  RunSettings run;
  EconomyProcess process;
  ConfigureContext ctx{*loaded.scenario.peek("economy"), loaded.city, run, diags, catalog};
  process.configure(ctx);
  EXPECT_NE(diags.format().find("economy.external_demand_growth.tech_services: --set "
                                "economy.external_demand_growth.tech_services.YEAR sets one year "
                                "of a trajectory, but the value in effect is the constant"),
            std::string::npos)
      << diags.format();
}

}  // namespace
}  // namespace plansim::economy_test

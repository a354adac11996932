// The scenario's demographic values act on top of the calibration: the calibration fits the
// city's own base-year rates, so a scenario TFR, mortality level, improvement or migration rate
// (a number or a trajectory by year) changes the probabilities by exactly its ratio to the
// city's value, and the period life expectancy depends on nothing but the mortality rates.
#include <gtest/gtest.h>

#include <cmath>

#include "demography_test_world.h"

namespace plansim {
namespace {

using namespace demography_test;

struct Configured {
  DemographyProcess process;
  Diagnostics diags;
  SeriesCatalog catalog;
};

// The process configured as the scheduler does, with the Zhongyuan city file and `scenario` as
// its block, run 2020-2035, initialised on `world`.
std::unique_ptr<Configured> configured(const ParamNode& scenario, const World& world) {
  auto c = std::make_unique<Configured>();
  ParamNode city(ParamNode::Kind::Map, SourceLoc{"configs", 0, 0}, "");
  city.set("demography", SourceLoc{"demography.yaml", 1, 1}, zhongyuan_city_file());
  RunSettings run;
  run.start_year = 2020;
  run.end_year = 2035;
  ConfigureContext ctx{scenario, city, run, c->diags, c->catalog};
  c->process.configure(ctx);
  EXPECT_TRUE(c->diags.empty()) << c->diags.format();
  World copy = world;
  Harness h;
  h.initialize(c->process, copy);
  return c;
}

// A scenario block `demography: {section: {key: value}}` or, with knots, `{key: {year: value}}`.
ParamNode block(const std::string& section, const std::string& key,
                const std::vector<std::pair<std::string, std::string>>& knots) {
  TreeBuilder b("scenario.yaml");
  ParamNode root = TreeBuilder::map("demography");
  ParamNode& s = b.sub(root, section);
  if (knots.size() == 1 && knots[0].first.empty()) {
    b.put(s, key, knots[0].second);
  } else {
    ParamNode& t = b.sub(s, key);
    for (const auto& [year, value] : knots) b.put(t, year, value);
  }
  return root;
}

const ParamNode kBaseline(ParamNode::Kind::Map, SourceLoc{}, "demography");

TEST(DemographyLevers, ScenarioTfrScalesTheCalibratedFertilityByItsRatioToTheCitys) {
  const World world = make_world(60000, 3, 8);
  const auto base = configured(kBaseline, world);
  const auto low = configured(block("fertility", "tfr", {{"", "1.1"}}), world);
  // The calibration fits the city's rates in both runs: it does not undo the scenario's TFR.
  EXPECT_EQ(low->process.calibration().levels.fertility,
            base->process.calibration().levels.fertility);
  EXPECT_EQ(low->process.calibration().levels.mortality,
            base->process.calibration().levels.mortality);
  for (int year : {2020, 2025, 2035})
    for (int age = 15; age < 50; ++age)
      EXPECT_NEAR(low->process.probabilities(year).birth[age],
                  base->process.probabilities(year).birth[age] * 1.1 / 1.3, 1e-15)
          << year << " " << age;
  // Expected births of the base year scale by the same ratio.
  const SexAgeSchedule counts = count_by_sex_age(world);
  const double b0 = expected_year(counts, base->process.probabilities(2020), 0).births;
  const double b1 = expected_year(counts, low->process.probabilities(2020), 0).births;
  EXPECT_NEAR(b1 / b0, 1.1 / 1.3, 1e-12);
}

TEST(DemographyLevers, ATfrTrajectoryActsYearByYear) {
  const World world = make_world(40000, 2, 3);
  const auto base = configured(kBaseline, world);
  const auto path = configured(
      block("fertility", "tfr", {{"2020", "1.3"}, {"2022", "1.08"}, {"2030", "1.0"}}), world);
  const auto ratio = [&](int year) {
    return path->process.probabilities(year).birth[28] /
           base->process.probabilities(year).birth[28];
  };
  EXPECT_NEAR(ratio(2020), 1.0, 1e-12);
  EXPECT_NEAR(ratio(2021), 1.19 / 1.3, 1e-12);
  EXPECT_NEAR(ratio(2022), 1.08 / 1.3, 1e-12);
  EXPECT_NEAR(ratio(2026), 1.04 / 1.3, 1e-12);
  EXPECT_NEAR(ratio(2035), 1.0 / 1.3, 1e-12);
  EXPECT_NEAR(path->process.rates(2021).tfr, 1.19, 1e-12);
}

TEST(DemographyLevers, MortalityLevelAndImprovementMoveDeathsAndLifeExpectancy) {
  const World world = make_world(40000, 2, 4);
  const auto base = configured(kBaseline, world);
  const auto lower = configured(block("mortality", "level", {{"", "0.9"}}), world);
  const auto faster = configured(block("mortality", "improvement_per_year", {{"", "0.03"}}), world);
  const auto shock = configured(
      block("mortality", "level", {{"2020", "1"}, {"2022", "1.2"}, {"2023", "1"}}), world);
  const double m70 = base->process.calibration().levels.mortality * 37.51e-3;
  EXPECT_NEAR(lower->process.probabilities(2020).death[kMale][70], -std::expm1(-0.9 * m70), 1e-15);
  // The trend compounds each year's improvement: 2030 = 0.97^10 against 0.985^10.
  EXPECT_NEAR(faster->process.probabilities(2030).death[kMale][70],
              -std::expm1(-m70 * std::pow(0.97, 10)), 1e-15);
  EXPECT_NEAR(base->process.probabilities(2030).death[kMale][70],
              -std::expm1(-m70 * std::pow(0.985, 10)), 1e-15);
  EXPECT_NEAR(shock->process.probabilities(2022).death[kMale][70],
              -std::expm1(-1.2 * m70 * std::pow(0.985, 2)), 1e-15);
  EXPECT_GT(lower->process.life_expectancy(2025)[kFemale],
            base->process.life_expectancy(2025)[kFemale]);
  EXPECT_GT(faster->process.life_expectancy(2025)[kMale],
            base->process.life_expectancy(2025)[kMale]);
  EXPECT_LT(shock->process.life_expectancy(2022)[kMale],
            base->process.life_expectancy(2022)[kMale]);
  EXPECT_EQ(shock->process.life_expectancy(2025), base->process.life_expectancy(2025));
}

TEST(DemographyLevers, LifeExpectancyDependsOnlyOnTheMortalityRates) {
  // A scenario that cannot affect mortality (fertility, migration) leaves it bit-identical.
  const World world = make_world(40000, 2, 5);
  const auto base = configured(kBaseline, world);
  const auto other = configured(block("migration", "in_migrants_per_1000", {{"", "20"}}), world);
  const auto fertile = configured(block("fertility", "tfr", {{"", "1.8"}}), world);
  for (int year : {2020, 2025, 2035}) {
    EXPECT_EQ(other->process.life_expectancy(year), base->process.life_expectancy(year));
    EXPECT_EQ(fertile->process.life_expectancy(year), base->process.life_expectancy(year));
  }
  // Equal to the calibrated life expectancy of the base year.
  EXPECT_NEAR(base->process.life_expectancy(2020)[kMale],
              base->process.calibration().life_expectancy_male, 1e-9);
}

TEST(DemographyLevers, MigrationRatesAreTrajectories) {
  const World world = make_world(40000, 2, 6);
  const auto base = configured(kBaseline, world);
  const auto out = configured(
      block("migration", "out_migrants_per_1000", {{"2020", "40"}, {"2025", "20"}}), world);
  // In-migration as a policy that switches: {step: {2020: 50, 2023: 10}}.
  TreeBuilder b("scenario.yaml");
  ParamNode scenario = TreeBuilder::map("demography");
  ParamNode& step = b.sub(b.sub(b.sub(scenario, "migration"), "in_migrants_per_1000"), "step");
  b.put(step, "2020", "50");
  b.put(step, "2023", "10");
  const auto in = configured(scenario, world);
  EXPECT_EQ(in->process.rates(2022).in_migrants_per_1000, 50);
  EXPECT_EQ(in->process.rates(2023).in_migrants_per_1000, 10);
  EXPECT_EQ(in->process.rates(2035).in_migrants_per_1000, 10);
  for (int age : {0, 25, 60}) {
    EXPECT_NEAR(out->process.probabilities(2020).out_migration[age],
                base->process.probabilities(2020).out_migration[age], 1e-15);
    EXPECT_NEAR(out->process.probabilities(2023).out_migration[age],
                base->process.probabilities(2023).out_migration[age] * 28.0 / 40.0, 1e-15);
    EXPECT_NEAR(out->process.probabilities(2030).out_migration[age],
                base->process.probabilities(2030).out_migration[age] * 0.5, 1e-15);
  }
}

}  // namespace
}  // namespace plansim

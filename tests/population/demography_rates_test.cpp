// Reading demography.yaml (hand-built trees): known answers of the expansion to single years,
// scenario overrides, and one test per class of bad input (message and location).
#include "population/demography_rates.h"

#include <gtest/gtest.h>

#include <cmath>

#include "demography_test_world.h"

namespace plansim {
namespace {

using demography_test::TreeBuilder;
using demography_test::zhongyuan_city_file;

const ParamNode kEmptyScenario(ParamNode::Kind::Map, SourceLoc{"s.yaml", 1, 1}, "demography");

ParamNode* child(ParamNode& node, const char* key) { return node.peek_mutable(key); }

TEST(DemographyRates, ExpandsGroupsToSingleYearsAndScalesFertilityToTheTfr) {
  const ParamNode city = zhongyuan_city_file();
  Diagnostics d;
  const DemographyRates r = read_demography_rates(city, kEmptyScenario, d);
  ASSERT_TRUE(d.empty()) << d.format();
  // Constant within each group, per 1000 converted to per person-year.
  EXPECT_DOUBLE_EQ(r.death_rate[kMale][0], 8.246e-3);
  EXPECT_DOUBLE_EQ(r.death_rate[kMale][1], 0.425e-3);
  EXPECT_DOUBLE_EQ(r.death_rate[kMale][4], 0.425e-3);
  EXPECT_DOUBLE_EQ(r.death_rate[kFemale][62], 6.953e-3);
  EXPECT_DOUBLE_EQ(r.death_rate[kFemale][kMaxAge], 510.0e-3);
  EXPECT_DOUBLE_EQ(r.mortality_improvement_per_year, 0.015);
  // The table sums to 5 × 260.0 / 1000 = 1.3; rescaled to the TFR of 1.3 it is unchanged.
  double tfr = 0;
  for (double f : r.fertility_rate) tfr += f;
  EXPECT_NEAR(tfr, 1.3, 1e-12);
  EXPECT_NEAR(r.fertility_rate[27], 97.8e-3, 1e-12);
  EXPECT_EQ(r.fertility_rate[14], 0.0);
  EXPECT_EQ(r.fertility_rate[50], 0.0);
  EXPECT_DOUBLE_EQ(r.sex_ratio_at_birth, 110.58);
  EXPECT_TRUE(r.calibrate);
  EXPECT_DOUBLE_EQ(r.in_migrants_per_1000, 50.0);
  EXPECT_DOUBLE_EQ(r.union_rate[kFemale][20], 0.05);
  EXPECT_DOUBLE_EQ(r.union_rate[kMale][21], 0.0);
  EXPECT_DOUBLE_EQ(r.leaving_home_rate[25], 0.07);
  EXPECT_DOUBLE_EQ(r.divorce_rate_per_couple, 0.0107);
  EXPECT_EQ(r.zone_choice, ZoneChoice::kPopulation);
  // Every key was read.
  Diagnostics unused;
  city.report_unused(unused);
  EXPECT_TRUE(unused.empty()) << unused.format();
}

TEST(DemographyRates, ScenarioOverridesTfrAndCalibrationAndReadsAlignment) {
  const ParamNode city = zhongyuan_city_file();
  TreeBuilder b("scenario.yaml");
  ParamNode scenario = TreeBuilder::map("demography", SourceLoc{"scenario.yaml", 1, 1});
  ParamNode& fertility = b.sub(scenario, "fertility");
  b.put(fertility, "tfr", "1.1");
  ParamNode& calibration = b.sub(scenario, "calibration");
  b.put(calibration, "calibrate", "false");
  ParamNode& alignment = b.sub(scenario, "alignment");
  ParamNode& births = b.sub(alignment, "births");
  b.put(births, "2021", "9000");
  b.put(births, "2022", "8800");
  Diagnostics d;
  const DemographyRates r = read_demography_rates(city, scenario, d);
  ASSERT_TRUE(d.empty()) << d.format();
  double tfr = 0;
  for (double f : r.fertility_rate) tfr += f;
  EXPECT_NEAR(tfr, 1.1, 1e-12);
  EXPECT_NEAR(r.fertility_rate[27] / r.fertility_rate[22], 97.8 / 48.0, 1e-12);  // shape kept
  EXPECT_FALSE(r.calibrate);
  ASSERT_EQ(r.births_alignment.size(), 2u);
  EXPECT_EQ(r.births_alignment[1].year, 2022);
  EXPECT_EQ(r.births_alignment[1].value, 8800.0);
  Diagnostics unused;
  scenario.report_unused(unused);
  EXPECT_TRUE(unused.empty()) << unused.format();
}

TEST(DemographyRates, RogersCastroLabourPeakIsAtMuPlusLogRatioOverLambda) {
  RogersCastroProfile p;  // μ2 = 20, λ2 = 0.4, α2 = 0.1: peak of the labour term at 23.47
  const AgeSchedule m = p.schedule();
  int peak = 15;
  for (int a = 15; a < 40; ++a)
    if (m[a] > m[peak]) peak = a;
  EXPECT_EQ(peak, 23);
  EXPECT_NEAR(m[0], p.childhood_level + p.constant + p.labour_level * std::exp(2.0 - std::exp(8.0)),
              1e-15);
}

TEST(DemographyRates, LifeExpectancyKnownAnswers) {
  AgeSchedule constant{};
  constant.fill(0.02);
  EXPECT_NEAR(period_life_expectancy(constant), 50.0, 1e-9);  // constant hazard: e0 = 1/m
  // WPP2022 China 2015-2020 (constant within groups): close to the published e0 of about 75
  // (men) and 81 (women).
  Diagnostics d;
  const DemographyRates r = read_demography_rates(zhongyuan_city_file(), kEmptyScenario, d);
  EXPECT_NEAR(period_life_expectancy(r.death_rate[kMale]), 75.3, 1.5);
  EXPECT_NEAR(period_life_expectancy(r.death_rate[kFemale]), 81.1, 1.5);
}

// ---- bad input: one test per class, each checking message and location ----

TEST(DemographyRatesBadInput, NegativeAsfr) {
  ParamNode city = zhongyuan_city_file();
  ParamNode& asfr = *child(*child(city, "fertility"), "asfr");
  *asfr.items()[2].peek_mutable("births_per_1000_women") = ParamNode::scalar(
      "-3", SourceLoc{"demography_fertility.csv", 4, 7}, "fertility.asfr[2].births_per_1000_women");
  Diagnostics d;
  read_demography_rates(city, kEmptyScenario, d);
  EXPECT_EQ(d.format(),
            "demography_fertility.csv:4:7: error: fertility.asfr[2].births_per_1000_women: -3 is "
            "out of range (must be [0, 1000])\n");
}

TEST(DemographyRatesBadInput, ProbabilityAboveOne) {
  ParamNode city = zhongyuan_city_file();
  *child(*child(city, "divorce"), "rate_per_couple") =
      ParamNode::scalar("1.07", SourceLoc{"demography.yaml", 60, 20}, "divorce.rate_per_couple");
  ParamNode& unions = *child(*child(city, "unions"), "rates");
  *unions.items()[1].peek_mutable("female") =
      ParamNode::scalar("1.4", SourceLoc{"demography_unions.csv", 3, 13}, "unions.rates[1].female");
  Diagnostics d;
  read_demography_rates(city, kEmptyScenario, d);
  EXPECT_EQ(d.format(),
            "demography.yaml:60:20: error: divorce.rate_per_couple: 1.07 is out of range (must be "
            "[0, 1])\n"
            "demography_unions.csv:3:13: error: unions.rates[1].female: 1.4 is out of range (must "
            "be [0, 1])\n");
}

TEST(DemographyRatesBadInput, TfrZeroInTheScenario) {
  const ParamNode city = zhongyuan_city_file();
  TreeBuilder b("scenario.yaml");
  ParamNode scenario = TreeBuilder::map("demography", SourceLoc{"scenario.yaml", 1, 1});
  ParamNode& fertility = b.sub(scenario, "fertility");
  b.put(fertility, "tfr", "0");  // line 2, value at column 8
  Diagnostics d;
  read_demography_rates(city, scenario, d);
  EXPECT_EQ(d.format(),
            "scenario.yaml:2:8: error: demography.fertility.tfr: 0 must be greater than 0\n");
}

TEST(DemographyRatesBadInput, MissingMortalityTable) {
  ParamNode city = zhongyuan_city_file();
  ParamNode& mortality = *child(city, "mortality");
  mortality.entries().erase(mortality.entries().begin());  // the table
  Diagnostics d;
  read_demography_rates(city, kEmptyScenario, d);
  const SourceLoc at = mortality.loc();
  EXPECT_EQ(d.format(), at.str() + ": error: mortality: missing required key 'table'\n");
}

TEST(DemographyRatesBadInput, MortalityTableWithAGap) {
  ParamNode city = zhongyuan_city_file();
  ParamNode& table = *child(*child(city, "mortality"), "table");
  table.items().pop_back();  // the 100+ row
  Diagnostics d;
  read_demography_rates(city, kEmptyScenario, d);
  EXPECT_EQ(d.format(),
            "demography_mortality.csv:1:1: error: mortality.table: ages 100-110 are "
            "not covered by any row (rows must cover 0-110)\n");
}

TEST(DemographyRatesBadInput, CsvCellThatIsNotANumber) {
  ParamNode city = zhongyuan_city_file();
  ParamNode& table = *child(*child(city, "mortality"), "table");
  *table.items()[5].peek_mutable("m_male_per_1000") = ParamNode::scalar(
      "n/a", SourceLoc{"demography_mortality.csv", 7, 7}, "mortality.table[5].m_male_per_1000");
  Diagnostics d;
  read_demography_rates(city, kEmptyScenario, d);
  EXPECT_EQ(d.format(),
            "demography_mortality.csv:7:7: error: mortality.table[5].m_male_per_1000: "
            "expected a number, got 'n/a'\n");
}

TEST(DemographyRatesBadInput, BadCellDoesNotHideAGapElsewhere) {
  ParamNode city = zhongyuan_city_file();
  ParamNode& table = *child(*child(city, "mortality"), "table");
  *table.items()[5].peek_mutable("m_male_per_1000") = ParamNode::scalar(
      "n/a", SourceLoc{"demography_mortality.csv", 7, 7}, "mortality.table[5].m_male_per_1000");
  *table.items()[7].peek_mutable("age_from") = ParamNode::scalar(
      "31", SourceLoc{"demography_mortality.csv", 9, 1}, "mortality.table[7].age_from");
  Diagnostics d;
  read_demography_rates(city, kEmptyScenario, d);
  EXPECT_EQ(d.format(),
            "demography_mortality.csv:1:1: error: mortality.table: ages 30-30 are not "
            "covered by any row (rows must cover 0-110)\n"
            "demography_mortality.csv:7:7: error: mortality.table[5].m_male_per_1000: "
            "expected a number, got 'n/a'\n");
}

TEST(DemographyRatesBadInput, AlignmentYearOutsideTheRun) {
  TreeBuilder b("scenario.yaml");
  ParamNode scenario = TreeBuilder::map("demography", SourceLoc{"scenario.yaml", 1, 1});
  ParamNode& alignment = b.sub(scenario, "alignment");
  ParamNode& net = b.sub(alignment, "net_migration");
  b.put(net, "2019", "1000");  // line 3
  b.put(net, "2025", "1000");
  ParamNode root = TreeBuilder::map("");
  root.set("demography", SourceLoc{}, zhongyuan_city_file());
  RunSettings run;
  run.start_year = 2020;
  run.end_year = 2035;
  Diagnostics d;
  SeriesCatalog catalog;
  ConfigureContext ctx{scenario, root, run, d, catalog};
  DemographyProcess process;
  process.configure(ctx);
  EXPECT_EQ(d.format(),
            "scenario.yaml:3:3: error: demography.alignment.net_migration.2019: 2019 is "
            "outside the run (2020-2035)\n");
  EXPECT_NE(catalog.find("births", SeriesKind::Event), nullptr);
}

TEST(DemographyRatesBadInput, MissingCityFile) {
  ParamNode root = TreeBuilder::map("", SourceLoc{"configs/zhongyuan", 0, 0});
  RunSettings run;
  Diagnostics d;
  SeriesCatalog catalog;
  ConfigureContext ctx{kEmptyScenario, root, run, d, catalog};
  DemographyProcess process;
  process.configure(ctx);
  EXPECT_NE(d.format().find("configs/zhongyuan: error: demography: the city config has no "
                            "demography.yaml"),
            std::string::npos)
      << d.format();
}

TEST(DemographyRatesBadInput, HouseholdSharesThatDoNotAddUp) {
  ParamNode city = zhongyuan_city_file();
  ParamNode& households = *child(*child(city, "migration"), "in_migrant_households");
  *households.peek_mutable("single") = ParamNode::scalar(
      "0.6", SourceLoc{"demography.yaml", 30, 13}, "migration.in_migrant_households.single");
  Diagnostics d;
  read_demography_rates(city, kEmptyScenario, d);
  EXPECT_EQ(d.format(), households.loc().str() +
                            ": error: migration.in_migrant_households: single + couple + family "
                            "must be 1, got 1.050000\n");
}

}  // namespace
}  // namespace plansim

// Reading targets files: every field of a good file, the city's real targets.yaml, and one test
// per class of bad input, each checking the message and its file:line:col.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/simulation.h"
#include "indicators/targets.h"
#include "io/yaml_loader.h"

namespace plansim {
namespace {

/// 1-based line and column of the first occurrence of `needle` in `text` (ASCII before it).
SourceLoc location_of(const std::string& text, const std::string& needle) {
  const std::size_t at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  SourceLoc loc{"targets.yaml", 1, 1};
  for (std::size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++loc.line;
      loc.column = 1;
    } else {
      ++loc.column;
    }
  }
  return loc;
}

const std::string kHeader = R"(plan:
  name_zh: 规划纲要
  name_en: The plan
  source: table 3-1
status:
  met_at_least: 0.8
  missed_at_most: 0.2
targets:
)";

const std::string kGdp = R"(  gdp:
    label_zh: 地区生产总值
    label_en: GDP
    unit: 亿元
    measure: level
    comparison: ">="
    value: 1000
    year: 2025
    attribute: expected
    level: national
    source: table 3-1
)";

const std::string kGrowth = R"(  gdp_growth:
    indicator: gdp_real
    label_zh: 地区生产总值年均增长
    label_en: GDP growth
    unit: "% per year"
    measure: average_growth
    comparison: ">"
    value: 8
    period: 2021-2025
    attribute: binding
    level: district
    assumption: a reading of the plan
)";

struct Read {
  Targets targets;
  Diagnostics diags;
};

/// Parses and reads `text`, then reports keys nobody read (as Simulation::configure does).
Read read(const std::string& text) {
  Read r;
  const ParamNode tree = parse_yaml(text, "targets.yaml", r.diags);
  EXPECT_TRUE(r.diags.empty()) << r.diags.format();
  r.targets = read_targets(tree, r.diags);
  tree.report_unused(r.diags);
  return r;
}

/// Exactly one error, with this message, at the location of `needle` in `text`.
void expect_one_error(const Read& r, const std::string& text, const std::string& needle,
                      const std::string& message) {
  ASSERT_EQ(r.diags.size(), 1u) << r.diags.format();
  const Diagnostic& d = r.diags.errors().front();
  const SourceLoc expected = location_of(text, needle);
  EXPECT_EQ(d.loc.file, "targets.yaml");
  EXPECT_EQ(d.loc.line, expected.line) << d.message;
  EXPECT_EQ(d.loc.column, expected.column) << d.message;
  EXPECT_EQ(d.message, message);
}

/// kGdp with one line replaced.
std::string gdp_with(const std::string& from, const std::string& to) {
  std::string text = kGdp;
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  return kHeader + text;
}

TEST(TargetsRead, ReadsEveryField) {
  const Read r = read(kHeader + kGdp + kGrowth);
  ASSERT_TRUE(r.diags.empty()) << r.diags.format();
  EXPECT_EQ(r.targets.plan_zh, "规划纲要");
  EXPECT_EQ(r.targets.plan_en, "The plan");
  EXPECT_EQ(r.targets.plan_source, "table 3-1");
  EXPECT_DOUBLE_EQ(r.targets.thresholds.met_at_least, 0.8);
  EXPECT_DOUBLE_EQ(r.targets.thresholds.missed_at_most, 0.2);
  ASSERT_EQ(r.targets.targets.size(), 2u);

  const Target& gdp = r.targets.targets[0];
  EXPECT_EQ(gdp.key, "gdp");
  EXPECT_EQ(gdp.indicator, "gdp");  // defaults to the key
  EXPECT_EQ(gdp.label_zh, "地区生产总值");
  EXPECT_EQ(gdp.label_en, "GDP");
  EXPECT_EQ(gdp.unit, "亿元");
  EXPECT_EQ(gdp.measure, TargetMeasure::Level);
  EXPECT_EQ(gdp.comparison, TargetComparison::AtLeast);
  EXPECT_DOUBLE_EQ(gdp.value, 1000);
  EXPECT_EQ(gdp.year, 2025);
  EXPECT_EQ(gdp.first_year, 2025);
  EXPECT_EQ(gdp.base_year(), 2025);
  EXPECT_EQ(gdp.attribute, TargetAttribute::Expected);
  EXPECT_EQ(gdp.level, TargetLevel::National);
  EXPECT_EQ(gdp.source, "table 3-1");
  EXPECT_EQ(gdp.assumption, "");
  EXPECT_EQ(gdp.loc.line, location_of(kHeader + kGdp, "gdp:").line);

  const Target& growth = r.targets.targets[1];
  EXPECT_EQ(growth.indicator, "gdp_real");
  EXPECT_EQ(growth.measure, TargetMeasure::AverageGrowth);
  EXPECT_EQ(growth.comparison, TargetComparison::Above);
  EXPECT_EQ(growth.first_year, 2021);
  EXPECT_EQ(growth.year, 2025);
  EXPECT_EQ(growth.base_year(), 2020);
  EXPECT_EQ(growth.attribute, TargetAttribute::Binding);
  EXPECT_EQ(growth.level, TargetLevel::District);
  EXPECT_EQ(growth.assumption, "a reading of the plan");
  EXPECT_EQ(r.targets.find("gdp_growth"), &growth);
  EXPECT_EQ(r.targets.find("nothing"), nullptr);
}

TEST(TargetsRead, DefaultsForOptionalBlocksAndFields) {
  const std::string text = "targets:\n" + std::string(R"(  jobs:
    label_zh: 城镇新增就业人数
    label_en: New urban jobs
    unit: 万人
    measure: cumulative
    comparison: ">="
    value: 10
    period: 2021-2025
    source: table 3-1
)");
  const Read r = read(text);
  ASSERT_TRUE(r.diags.empty()) << r.diags.format();
  EXPECT_DOUBLE_EQ(r.targets.thresholds.met_at_least, 0.9);
  EXPECT_DOUBLE_EQ(r.targets.thresholds.missed_at_most, 0.1);
  ASSERT_EQ(r.targets.targets.size(), 1u);
  EXPECT_EQ(r.targets.targets[0].attribute, TargetAttribute::Unspecified);
  EXPECT_EQ(r.targets.targets[0].level, TargetLevel::Unspecified);
}

TEST(TargetsRead, TheCityTargetsFileIsValidAndComplete) {
  Diagnostics diags;
  const ParamNode tree =
      load_yaml_file(std::string(PLANSIM_SOURCE_DIR) + "/configs/zhongyuan/targets.yaml", diags);
  const Targets targets = read_targets(tree, diags);
  tree.report_unused(diags);
  ASSERT_TRUE(diags.empty()) << diags.format();

  // Every indicator of table 专栏3-1 is scored (some by more than one target).
  std::set<std::string> indicators;
  for (const Target& t : targets.targets) indicators.insert(t.indicator);
  for (const char* key : {"gdp",
                          "gdp_real",
                          "urbanisation_rate",
                          "labour_productivity_growth",
                          "retail_sales",
                          "fdi",
                          "rd_intensity",
                          "high_value_patents_per_10k",
                          "digital_core_share",
                          "rd_platforms",
                          "tech_services_share",
                          "disposable_income_per_capita",
                          "new_urban_jobs",
                          "unemployment_rate",
                          "life_expectancy",
                          "preschool_enrolment",
                          "pension_coverage",
                          "doctors_per_1000",
                          "nurses_per_1000",
                          "eldercare_beds_per_1000_elderly",
                          "energy_intensity_drop",
                          "co2_intensity_drop",
                          "good_air_days_share",
                          "water_class3_share",
                          "green_coverage"})
    EXPECT_TRUE(indicators.count(key)) << key;

  const Target* gdp = targets.find("gdp");
  ASSERT_NE(gdp, nullptr);
  EXPECT_DOUBLE_EQ(gdp->value, 1000);
  EXPECT_EQ(gdp->year, 2025);
  const Target* jobs = targets.find("new_urban_jobs");
  ASSERT_NE(jobs, nullptr);
  EXPECT_EQ(jobs->measure, TargetMeasure::Cumulative);
  EXPECT_EQ(jobs->first_year, 2021);

  // 2035 targets exist only where the plan gives one or as labelled assumptions.
  int targets_2035 = 0;
  for (const Target& t : targets.targets) {
    if (t.year != 2035) continue;
    ++targets_2035;
    EXPECT_TRUE(t.key == "sponge_city_share_2035" || !t.assumption.empty()) << t.key;
  }
  EXPECT_GE(targets_2035, 1);
  // Targets the plan leaves to the city are labelled as assumptions.
  for (const char* key : {"energy_intensity_drop", "co2_intensity_drop", "good_air_days_share"})
    EXPECT_FALSE(targets.find(key)->assumption.empty()) << key;
}

TEST(TargetsRead, ReadBeforeConfigureUnknownKeysAreReportedWithTheCity) {
  // How the run command reads the file: through city.find() before Simulation::configure, whose
  // pass over the city files that were read reports the keys nobody asked for.
  const std::string text =
      gdp_with("    source: table 3-1\n", "    source: table 3-1\n    vaule: 1000\n");
  Diagnostics diags;
  ParamNode city(ParamNode::Kind::Map, SourceLoc{}, "");
  city.set("targets", SourceLoc{"targets.yaml", 1, 1}, parse_yaml(text, "targets.yaml", diags));
  const Targets targets = read_targets(*city.find("targets"), diags);
  EXPECT_EQ(targets.targets.size(), 1u);
  const ParamNode scenario =
      parse_yaml("run: {start: 2020, end: 2025}\nprocesses: []\n", "scenario.yaml", diags);
  const Registry no_processes;
  Simulation::configure(scenario, city, no_processes, diags);
  Read r;
  r.diags = diags;
  expect_one_error(r, text, "vaule",
                   "targets.gdp.vaule: unknown key 'vaule' in 'targets.gdp' (did you mean "
                   "'value'?)");
}

// ---- one test per class of bad input ----

TEST(TargetsReadErrors, MissingRequiredKey) {
  const std::string text = gdp_with("    value: 1000\n", "");
  expect_one_error(read(text), text, "label_zh: 地区生产总值",
                   "targets.gdp: missing required key 'value'");
}

TEST(TargetsReadErrors, UnknownChoiceWithHint) {
  const std::string text = gdp_with("measure: level", "measure: levl");
  expect_one_error(
      read(text), text, "levl",
      "targets.gdp.measure: unknown measure 'levl' (did you mean 'level'?; one of level, "
      "average_growth, average_growth_from_rates, cumulative, change)");
}

TEST(TargetsReadErrors, UnknownComparison) {
  const std::string text = gdp_with("comparison: \">=\"", "comparison: gte");
  expect_one_error(read(text), text, "gte",
                   "targets.gdp.comparison: unknown comparison 'gte' (one of >=, <=, >, <)");
}

TEST(TargetsReadErrors, UnknownAttributeAndLevel) {
  const std::string text = gdp_with("level: national", "level: nation");
  expect_one_error(read(text), text, "nation\n",
                   "targets.gdp.level: unknown level 'nation' (did you mean 'national'?; one of "
                   "national, provincial, city, district, unspecified)");
  const std::string text2 = gdp_with("attribute: expected", "attribute: indicative");
  expect_one_error(read(text2), text2, "indicative",
                   "targets.gdp.attribute: unknown attribute 'indicative' (one of expected, "
                   "binding, unspecified)");
}

TEST(TargetsReadErrors, WrongType) {
  const std::string text = gdp_with("value: 1000", "value: a thousand");
  expect_one_error(read(text), text, "a thousand",
                   "targets.gdp.value: expected a number, got 'a thousand'");
}

TEST(TargetsReadErrors, YearOutOfRange) {
  const std::string text = gdp_with("year: 2025", "year: 1850");
  expect_one_error(read(text), text, "1850",
                   "targets.gdp.year: 1850 is out of range (must be [1900, 2200])");
}

TEST(TargetsReadErrors, LevelWithPeriod) {
  const std::string text = gdp_with("year: 2025", "year: 2025\n    period: 2021-2025");
  expect_one_error(read(text), text, "2021-2025",
                   "targets.gdp.period: a level target is scored in one year: give 'year', not "
                   "'period'");
}

TEST(TargetsReadErrors, PeriodMeasureWithYear) {
  std::string text = kHeader + kGrowth;
  text.replace(text.find("period: 2021-2025"), 17, "year: 2025");
  const Read r = read(text);
  ASSERT_EQ(r.diags.size(), 2u) << r.diags.format();
  // The wrong key, and the missing one at the target.
  EXPECT_EQ(r.diags.errors()[0].message,
            "targets.gdp_growth.year: a average_growth target is scored over a period: give "
            "'period' (e.g. \"2021-2025\"), not 'year'");
  EXPECT_EQ(r.diags.errors()[0].loc.line, location_of(text, "year: 2025").line);
  EXPECT_EQ(r.diags.errors()[1].message, "targets.gdp_growth: missing required key 'period'");
}

TEST(TargetsReadErrors, MalformedPeriod) {
  std::string text = kHeader + kGrowth;
  text.replace(text.find("2021-2025"), 9, "2021..2025");
  expect_one_error(read(text), text, "2021..2025",
                   "targets.gdp_growth.period: expected a period 'first-last' such as "
                   "\"2021-2025\", got '2021..2025'");
  std::string backwards = kHeader + kGrowth;
  backwards.replace(backwards.find("2021-2025"), 9, "2025-2021");
  expect_one_error(read(backwards), backwards, "2025-2021",
                   "targets.gdp_growth.period: period '2025-2021' must run forward between 1900 "
                   "and 2200");
}

TEST(TargetsReadErrors, NoSourceNorAssumption) {
  const std::string text = gdp_with("    source: table 3-1\n", "");
  expect_one_error(read(text), text, "label_zh: 地区生产总值",
                   "targets.gdp: say where the target comes from (source: ...) or, for a user "
                   "assumption, why (assumption: ...)");
}

TEST(TargetsReadErrors, KeyThatCannotNameADataset) {
  std::string text = kHeader + kGdp;
  text.replace(text.find("  gdp:"), 6, "  gdp/2025:");
  expect_one_error(read(text), text, "gdp/2025",
                   "targets.gdp/2025: target key 'gdp/2025' must consist of letters, digits and "
                   "'_' (it names /targets/<key> in results files)");
}

TEST(TargetsReadErrors, ThresholdsInverted) {
  std::string text = kHeader + kGdp;
  text.replace(text.find("missed_at_most: 0.2"), 19, "missed_at_most: 0.85");
  expect_one_error(read(text), text, "met_at_least",
                   "status: missed_at_most (0.85) must be below met_at_least (0.8)");
  std::string outside = kHeader + kGdp;
  outside.replace(outside.find("met_at_least: 0.8"), 17, "met_at_least: 1.5");
  expect_one_error(read(outside), outside, "1.5",
                   "status.met_at_least: 1.5 is out of range (must be [0, 1])");
}

TEST(TargetsReadErrors, UnknownKeyWithHint) {
  const std::string text =
      gdp_with("    source: table 3-1\n", "    source: table 3-1\n    sorce: x\n");
  expect_one_error(read(text), text, "sorce",
                   "targets.gdp.sorce: unknown key 'sorce' in 'targets.gdp' (did you mean "
                   "'source'?)");
}

TEST(TargetsReadErrors, TargetsNotAMap) {
  const std::string text = kHeader.substr(0, kHeader.size() - 1) + " [gdp]\n";
  expect_one_error(read(text), text, "[gdp]",
                   "targets: expected a map from target key to its definition");
}

TEST(TargetsReadErrors, EveryErrorOfAFileIsReported) {
  std::string text = kHeader + kGdp + kGrowth;
  text.replace(text.find("value: 1000"), 11, "value: lots");
  text.replace(text.find("    unit: \"% per year\"\n"), 23, "");
  text.replace(text.find("period: 2021-2025"), 17, "period: 2021");
  const Read r = read(text);
  EXPECT_EQ(r.diags.size(), 3u) << r.diags.format();
  // Only the valid target is kept.
  EXPECT_TRUE(r.targets.targets.empty());
}

}  // namespace
}  // namespace plansim

// /targets, /scorecard and /summary in a results file: written by write_results with the rest of
// the file, read back field by field, replaced on a second write, atomic on failure; and the
// identity (schema version, city) that `plansim compare` checks.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "indicators/ensemble.h"
#include "indicators/exogenous.h"
#include "indicators/scorecard.h"
#include "io/hdf5_reader.h"
#include "io/hdf5_scorecard.h"
#include "io/hdf5_writer.h"
#include "support/temp_dir.h"

namespace plansim {
namespace {

namespace fs = std::filesystem;

using testing::TempDir;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

SeriesCatalog make_catalog() {
  SeriesCatalog c;
  c.declare({SeriesKind::Indicator, "gdp", "亿元", "地区生产总值", "GDP (current prices)",
             "value added of all firms, current prices"});
  c.declare({SeriesKind::Indicator, "urbanisation_rate", "%", "常住人口城镇化率",
             "Urbanisation rate", std::string(kExogenousPrefix) + "given in the scenario"});
  return c;
}

/// Two replicates, 2020-2025: gdp grows 7% (replicate 0) and 8% (replicate 1) a year.
std::vector<ReplicateResults> make_replicates() {
  std::vector<ReplicateResults> out;
  for (std::uint32_t r = 0; r < 2; ++r) {
    ReplicateResults rep;
    rep.replicate = r;
    for (int y = 2020; y <= 2025; ++y) {
      rep.years.push_back(y);
      rep.indicators["gdp"].push_back(709.3 * std::pow(r == 0 ? 1.07 : 1.08, y - 2020));
      rep.indicators["urbanisation_rate"].push_back(99.23 + 0.05 * (y - 2020));
    }
    out.push_back(std::move(rep));
  }
  return out;
}

Targets make_targets() {
  Targets t;
  t.plan_zh = "规划纲要";
  t.plan_en = "The plan";
  t.plan_source = "table 3-1";
  t.thresholds = {0.85, 0.15};
  Target gdp;
  gdp.key = "gdp";
  gdp.indicator = "gdp";
  gdp.measure = TargetMeasure::Level;
  gdp.comparison = TargetComparison::AtLeast;
  gdp.value = 1000;
  gdp.first_year = gdp.year = 2025;
  gdp.unit = "亿元";
  gdp.label_zh = "地区生产总值";
  gdp.label_en = "GDP";
  gdp.attribute = TargetAttribute::Expected;
  gdp.level = TargetLevel::National;
  gdp.source = "专栏3-1";
  Target growth = gdp;
  growth.key = "gdp_growth";
  growth.measure = TargetMeasure::AverageGrowth;
  growth.comparison = TargetComparison::Above;
  growth.value = 7.5;
  growth.first_year = 2021;
  growth.unit = "% per year";
  growth.attribute = TargetAttribute::Binding;
  growth.level = TargetLevel::District;
  growth.assumption = "a reading";
  Target urban = gdp;
  urban.key = "urbanisation_rate";
  urban.indicator = "urbanisation_rate";
  urban.value = 99.23;
  urban.comparison = TargetComparison::Above;
  urban.unit = "%";
  Target life = gdp;
  life.key = "life_expectancy";
  life.indicator = "life_expectancy";
  life.value = 83;
  // A key that sorts before the others: the file keeps the targets file's order.
  Target a_late = gdp;
  a_late.key = "a_gdp_2035";
  a_late.year = a_late.first_year = 2035;
  t.targets = {gdp, growth, urban, life, a_late};
  return t;
}

RunOutput make_output(const SeriesCatalog& catalog) {
  RunOutput output;
  output.catalog = &catalog;
  output.replicates = make_replicates();
  output.meta.scenario_name = "baseline";
  output.meta.city_name = "郑州市中原区";
  output.meta.seed = 7;
  output.meta.replicates = 2;
  output.meta.start_year = 2020;
  output.meta.end_year = 2025;
  return output;
}

/// Writes the results file with the scorecard of `targets`; returns the scorecard written.
Scorecard write_fixture(const std::string& path, const Targets& targets = make_targets()) {
  const SeriesCatalog catalog = make_catalog();
  RunOutput output = make_output(catalog);
  const Scorecard card = compute_scorecard(targets, output.replicates, catalog);
  const EnsembleSummary summary = summarise_ensemble(output.replicates);
  const PlanOutput plan{targets, card, summary};
  output.plan = &plan;
  write_results(path, output);
  return card;
}

TEST(ScorecardHdf5, RoundTrip) {
  TempDir dir;
  const std::string path = dir.file("run.h5");
  const Scorecard written = write_fixture(path);
  const StoredScorecard stored = read_scorecard(path);
  ASSERT_TRUE(stored.has_targets && stored.has_scorecard && stored.has_summary);

  // /targets: every field, in the targets file's order.
  const Targets expected = make_targets();
  EXPECT_EQ(stored.targets.plan_zh, "规划纲要");
  EXPECT_EQ(stored.targets.plan_en, "The plan");
  EXPECT_EQ(stored.targets.plan_source, "table 3-1");
  EXPECT_DOUBLE_EQ(stored.targets.thresholds.met_at_least, 0.85);
  EXPECT_DOUBLE_EQ(stored.targets.thresholds.missed_at_most, 0.15);
  ASSERT_EQ(stored.targets.targets.size(), expected.targets.size());
  for (std::size_t i = 0; i < expected.targets.size(); ++i) {
    const Target& a = expected.targets[i];
    const Target& b = stored.targets.targets[i];
    EXPECT_EQ(a.key, b.key);
    EXPECT_EQ(a.indicator, b.indicator);
    EXPECT_EQ(a.measure, b.measure) << a.key;
    EXPECT_EQ(a.comparison, b.comparison) << a.key;
    EXPECT_EQ(a.value, b.value) << a.key;
    EXPECT_EQ(a.first_year, b.first_year) << a.key;
    EXPECT_EQ(a.year, b.year) << a.key;
    EXPECT_EQ(a.unit, b.unit) << a.key;
    EXPECT_EQ(a.label_zh, b.label_zh) << a.key;
    EXPECT_EQ(a.label_en, b.label_en) << a.key;
    EXPECT_EQ(a.attribute, b.attribute) << a.key;
    EXPECT_EQ(a.level, b.level) << a.key;
    EXPECT_EQ(a.source, b.source) << a.key;
    EXPECT_EQ(a.assumption, b.assumption) << a.key;
  }

  // /scorecard: the rows as computed.
  const Scorecard& card = stored.scorecard;
  EXPECT_EQ(card.replicates, 2u);
  EXPECT_DOUBLE_EQ(card.thresholds.met_at_least, 0.85);
  ASSERT_EQ(card.rows.size(), written.rows.size());
  for (std::size_t i = 0; i < written.rows.size(); ++i) {
    const ScorecardRow& a = written.rows[i];
    const ScorecardRow& b = card.rows[i];
    EXPECT_EQ(a.target.key, b.target.key);
    EXPECT_EQ(a.status, b.status) << a.target.key;
    EXPECT_EQ(a.exogenous, b.exogenous) << a.target.key;
    EXPECT_EQ(a.replicates, b.replicates) << a.target.key;
    EXPECT_EQ(a.note, b.note) << a.target.key;
    for (auto [x, y] : {std::pair{a.mean, b.mean}, std::pair{a.p05, b.p05}, std::pair{a.p95, b.p95},
                        std::pair{a.probability_met, b.probability_met}})
      EXPECT_TRUE(x == y || (std::isnan(x) && std::isnan(y)))
          << a.target.key << " " << x << " " << y;
  }
  // Known values: GDP 2025 = 709.3 × 1.07^5 = 994.83 and 709.3 × 1.08^5 = 1042.2.
  EXPECT_EQ(card.rows[0].status, TargetStatus::AtRisk);
  EXPECT_DOUBLE_EQ(card.rows[0].probability_met, 0.5);
  EXPECT_EQ(card.rows[1].status, TargetStatus::AtRisk);  // 7% and 8% against > 7.5%
  EXPECT_TRUE(card.rows[2].exogenous);
  EXPECT_EQ(card.rows[2].status, TargetStatus::Met);
  EXPECT_EQ(card.rows[3].status, TargetStatus::NotSimulated);
  EXPECT_EQ(card.rows[3].note, "indicator 'life_expectancy' is not recorded in this run");
  EXPECT_EQ(card.rows[4].note, "the target needs 2035; the run covers 2020-2025");

  // /summary: [stat, year] for every indicator, with its origin.
  EXPECT_EQ(stored.summary.years, (std::vector<int>{2020, 2021, 2022, 2023, 2024, 2025}));
  EXPECT_EQ(stored.summary.replicates, 2u);
  const SeriesSummary& gdp = stored.summary.indicators.at("gdp");
  EXPECT_DOUBLE_EQ(gdp.mean[5], (709.3 * std::pow(1.07, 5) + 709.3 * std::pow(1.08, 5)) / 2);
  EXPECT_NEAR(gdp.p05[5],
              709.3 * std::pow(1.07, 5) + 0.05 * 709.3 * (std::pow(1.08, 5) - std::pow(1.07, 5)),
              1e-9);
  EXPECT_EQ(stored.summary_origin.at("gdp"), "simulated");
  EXPECT_EQ(stored.summary_origin.at("urbanisation_rate"), "exogenous");

  // Everything else in the file is as write_results left it.
  const ResultsFile file(path);
  EXPECT_EQ(file.keys("indicators"), (std::vector<std::string>{"gdp", "urbanisation_rate"}));
  EXPECT_EQ(file.string_attributes("/summary/gdp").at("unit"), "亿元");
  EXPECT_EQ(file.string_attributes("/targets/gdp").at("comparison"), ">=");
  EXPECT_EQ(file.shape("/summary/gdp"), (std::vector<std::size_t>{3, 6}));
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"run.h5"});  // no temporary left
}

TEST(ScorecardHdf5, ASecondWriteReplacesTheFirst) {
  TempDir dir;
  const std::string path = dir.file("run.h5");
  write_fixture(path);
  Targets one;
  one.targets = {make_targets().targets[0]};
  write_fixture(path, one);
  const StoredScorecard stored = read_scorecard(path);
  ASSERT_EQ(stored.targets.targets.size(), 1u);
  EXPECT_EQ(stored.scorecard.rows.size(), 1u);
  const ResultsFile file(path);
  EXPECT_EQ(file.keys("targets"), std::vector<std::string>{"gdp"});
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"run.h5"});  // no temporary left
}

TEST(ScorecardHdf5, FailuresLeaveTheFileAsItWas) {
  TempDir dir;
  const Targets targets = make_targets();
  const SeriesCatalog catalog = make_catalog();
  const std::string path = dir.file("run.h5");
  write_fixture(path);
  const std::string before = slurp(path);

  // A summary inconsistent with the run is refused and the earlier file is unchanged.
  for (const bool fewer_years : {false, true}) {
    RunOutput output = make_output(catalog);
    const Scorecard card = compute_scorecard(targets, output.replicates, catalog);
    EnsembleSummary wrong = summarise_ensemble(output.replicates);
    if (fewer_years)
      wrong.years.pop_back();
    else
      wrong.indicators.at("gdp").mean.pop_back();
    const PlanOutput plan{targets, card, wrong};
    output.plan = &plan;
    try {
      write_results(path, output);
      FAIL() << "no error for an inconsistent summary";
    } catch (const IoError& e) {
      EXPECT_NE(std::string(e.what()).find("cannot write results file '" + path + "': "),
                std::string::npos)
          << e.what();
    }
    EXPECT_EQ(slurp(path), before);
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"run.h5"});  // no temporary left
  }
}

TEST(ScorecardHdf5, ReadingAFileWithoutScorecard) {
  TempDir dir;
  const std::string path = dir.file("plain.h5");
  const SeriesCatalog catalog = make_catalog();
  RunOutput output;
  output.catalog = &catalog;
  output.replicates = make_replicates();
  write_results(path, output);
  const StoredScorecard stored = read_scorecard(path);
  EXPECT_FALSE(stored.has_targets || stored.has_scorecard || stored.has_summary);
  EXPECT_THROW(read_scorecard(dir.file("absent.h5")), IoError);
}

TEST(ScorecardHdf5, Identity) {
  TempDir dir;
  const std::string path = dir.file("run.h5");
  write_fixture(path);
  const ResultsIdentity id = read_results_identity(path);
  EXPECT_EQ(id.schema_version, ResultsFile(path).meta_numbers().at("schema_version"));
  EXPECT_EQ(id.city_name, "郑州市中原区");
  EXPECT_EQ(id.scenario_name, "baseline");
  try {
    read_results_identity(dir.file("absent.h5"));
    FAIL();
  } catch (const IoError& e) {
    EXPECT_EQ(std::string(e.what()), dir.file("absent.h5") + ": no such file");
  }
}

}  // namespace
}  // namespace plansim

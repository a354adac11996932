// The scorecard on hand-made replicate arrays: probability of meeting a target, statistics of the
// scored quantity, status thresholds, targets that are not simulated, exogenous marking,
// independence of the replicates' order, a binomial check of P(met) on random replicates, and
// the printed table.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "core/rng.h"
#include "core/text.h"
#include "indicators/exogenous.h"
#include "indicators/scorecard.h"

namespace plansim {
namespace {

std::vector<int> years(int first, int last) {
  std::vector<int> out;
  for (int y = first; y <= last; ++y) out.push_back(y);
  return out;
}

Target level(std::string key, TargetComparison comparison, double value, int year) {
  Target t;
  t.key = key;
  t.indicator = std::move(key);
  t.measure = TargetMeasure::Level;
  t.comparison = comparison;
  t.value = value;
  t.first_year = t.year = year;
  t.unit = "亿元";
  t.label_zh = "地区生产总值";
  t.label_en = "GDP";
  t.source = "test";
  return t;
}

SeriesCatalog catalog() {
  SeriesCatalog c;
  c.declare({SeriesKind::Indicator, "gdp", "亿元", "地区生产总值", "GDP", "simulated"});
  c.declare({SeriesKind::Indicator, "urbanisation_rate", "%", "常住人口城镇化率",
             "Urbanisation rate", std::string(kExogenousPrefix) + "given in the scenario"});
  return c;
}

/// Ten replicates of 2020-2025; gdp in 2025 is 990, 1000, ..., 1080 (replicate r: 990 + 10 r),
/// growing linearly from 709.3 in 2020.
std::vector<ReplicateResults> ten_replicates() {
  std::vector<ReplicateResults> out;
  for (std::uint32_t r = 0; r < 10; ++r) {
    ReplicateResults rep;
    rep.replicate = r;
    rep.years = years(2020, 2025);
    const double end = 990 + 10.0 * r;
    for (int k = 0; k < 6; ++k)  // the end value exactly, not through the interpolation
      rep.indicators["gdp"].push_back(k == 5 ? end : 709.3 + (end - 709.3) * k / 5.0);
    rep.indicators["urbanisation_rate"] = {99.23, 99.3, 99.35, 99.4, 99.45, 99.5};
    out.push_back(std::move(rep));
  }
  return out;
}

const ScorecardRow& row(const Scorecard& card, const std::string& key) {
  for (const ScorecardRow& r : card.rows)
    if (r.target.key == key) return r;
  throw std::runtime_error("no row " + key);
}

TEST(ScorecardCompute, ProbabilityIsTheShareOfReplicatesMeetingTheTarget) {
  Targets targets;
  targets.targets = {level("gdp", TargetComparison::AtLeast, 1000, 2025)};
  Target at_risk = level("gdp", TargetComparison::AtLeast, 1040, 2025);
  at_risk.key = "gdp_1040";
  Target missed = level("gdp", TargetComparison::Above, 1070, 2025);
  missed.key = "gdp_above_1070";
  Target below = level("gdp", TargetComparison::Below, 995, 2025);
  below.key = "gdp_below_995";
  targets.targets.push_back(at_risk);
  targets.targets.push_back(missed);
  targets.targets.push_back(below);

  const Scorecard card = compute_scorecard(targets, ten_replicates(), catalog());
  EXPECT_EQ(card.replicates, 10u);
  ASSERT_EQ(card.rows.size(), 4u);

  const ScorecardRow& gdp = row(card, "gdp");
  EXPECT_EQ(gdp.replicates, 10u);
  EXPECT_DOUBLE_EQ(gdp.probability_met, 0.9);  // 1000, ..., 1080: nine of ten
  EXPECT_EQ(gdp.status, TargetStatus::Met);    // 0.9 is met (inclusive)
  EXPECT_DOUBLE_EQ(gdp.mean, 1035);
  EXPECT_DOUBLE_EQ(gdp.p05, 994.5);  // type 7: h = 0.45 between 990 and 1000
  EXPECT_DOUBLE_EQ(gdp.p95, 1075.5);
  EXPECT_FALSE(gdp.exogenous);
  EXPECT_EQ(gdp.note, "");

  EXPECT_DOUBLE_EQ(row(card, "gdp_1040").probability_met, 0.5);
  EXPECT_EQ(row(card, "gdp_1040").status, TargetStatus::AtRisk);
  EXPECT_DOUBLE_EQ(row(card, "gdp_above_1070").probability_met, 0.1);   // only 1080
  EXPECT_EQ(row(card, "gdp_above_1070").status, TargetStatus::Missed);  // 0.1 is missed (inclusive)
  EXPECT_DOUBLE_EQ(row(card, "gdp_below_995").probability_met, 0.1);    // only 990
}

TEST(ScorecardCompute, EachMeasureScoresItsQuantity) {
  Targets targets;
  Target growth = level("gdp", TargetComparison::AtLeast, 7, 2025);
  growth.key = "gdp_growth";
  growth.measure = TargetMeasure::AverageGrowth;
  growth.first_year = 2021;
  Target change = level("urbanisation_rate", TargetComparison::AtLeast, 0.25, 2025);
  change.measure = TargetMeasure::Change;
  change.first_year = 2021;
  Target sum = level("urbanisation_rate", TargetComparison::AtMost, 496.0, 2025);
  sum.key = "urbanisation_sum";
  sum.measure = TargetMeasure::Cumulative;
  sum.first_year = 2021;
  targets.targets = {growth, change, sum};
  const Scorecard card = compute_scorecard(targets, ten_replicates(), catalog());

  // Growth of replicate r: (end / 709.3)^(1/5) - 1 with end = 990 + 10 r; 7% needs end ≥ 994.8.
  const ScorecardRow& g = row(card, "gdp_growth");
  EXPECT_DOUBLE_EQ(g.probability_met, 0.9);
  std::vector<double> expected;
  for (int r = 0; r < 10; ++r)
    expected.push_back((std::pow((990 + 10.0 * r) / 709.3, 0.2) - 1) * 100);
  double mean = 0;
  for (double v : expected) mean += v / 10;
  EXPECT_NEAR(g.mean, mean, 1e-9);
  EXPECT_NEAR(g.p05, expected[0] + 0.45 * (expected[1] - expected[0]), 1e-9);

  const ScorecardRow& c = row(card, "urbanisation_rate");
  EXPECT_NEAR(c.mean, 0.27, 1e-9);
  EXPECT_EQ(c.status, TargetStatus::Met);
  EXPECT_TRUE(c.exogenous);
  const ScorecardRow& s = row(card, "urbanisation_sum");
  EXPECT_NEAR(s.mean, 99.3 + 99.35 + 99.4 + 99.45 + 99.5, 1e-9);
  EXPECT_DOUBLE_EQ(s.probability_met, 0.0);
  EXPECT_EQ(s.status, TargetStatus::Missed);
}

TEST(ScorecardCompute, TargetsOutsideTheRunAreNotSimulated) {
  Targets targets;
  Target life = level("life_expectancy", TargetComparison::AtLeast, 83, 2025);
  Target late = level("gdp", TargetComparison::AtLeast, 2000, 2035);
  late.key = "gdp_2035";
  Target early = level("gdp", TargetComparison::AtLeast, 700, 2025);
  early.key = "gdp_sum_2019";
  early.measure = TargetMeasure::Cumulative;
  early.first_year = 2019;
  targets.targets = {life, late, early, level("gdp", TargetComparison::AtLeast, 1000, 2025)};
  const Scorecard card = compute_scorecard(targets, ten_replicates(), catalog());
  ASSERT_EQ(card.rows.size(), 4u);  // kept, in file order
  EXPECT_EQ(card.rows[0].status, TargetStatus::NotSimulated);
  EXPECT_EQ(card.rows[0].note, "indicator 'life_expectancy' is not recorded in this run");
  EXPECT_TRUE(std::isnan(card.rows[0].probability_met));
  EXPECT_EQ(card.rows[0].replicates, 0u);
  EXPECT_EQ(card.rows[1].status, TargetStatus::NotSimulated);
  EXPECT_EQ(card.rows[1].note, "the target needs 2035; the run covers 2020-2025");
  EXPECT_EQ(card.rows[2].note, "the target needs 2019-2025; the run covers 2020-2025");
  EXPECT_EQ(card.rows[3].status, TargetStatus::Met);

  // An indicator that is all NaN in the years needed.
  std::vector<ReplicateResults> reps = ten_replicates();
  for (auto& r : reps) r.indicators["gdp"][5] = std::nan("");
  const Scorecard nan_card = compute_scorecard(targets, reps, catalog());
  EXPECT_EQ(nan_card.rows[3].status, TargetStatus::NotSimulated);
  EXPECT_EQ(nan_card.rows[3].note, "'gdp' has no usable value in 2025");
  // No replicates at all.
  EXPECT_EQ(compute_scorecard(targets, {}, catalog()).rows[3].status, TargetStatus::NotSimulated);
}

TEST(ScorecardCompute, ThresholdsClassify) {
  const StatusThresholds t{0.8, 0.3};
  EXPECT_EQ(classify(1.0, t), TargetStatus::Met);
  EXPECT_EQ(classify(0.8, t), TargetStatus::Met);
  EXPECT_EQ(classify(0.79, t), TargetStatus::AtRisk);
  EXPECT_EQ(classify(0.31, t), TargetStatus::AtRisk);
  EXPECT_EQ(classify(0.3, t), TargetStatus::Missed);
  EXPECT_EQ(classify(0.0, t), TargetStatus::Missed);
  EXPECT_EQ(classify(std::nan(""), t), TargetStatus::NotSimulated);
}

TEST(ScorecardCompute, IndependentOfTheOrderOfReplicates) {
  Targets targets;
  targets.targets = {level("gdp", TargetComparison::AtLeast, 1033.3, 2025)};
  std::vector<ReplicateResults> reps = ten_replicates();
  const Scorecard a = compute_scorecard(targets, reps, catalog());
  std::reverse(reps.begin(), reps.end());
  std::rotate(reps.begin(), reps.begin() + 3, reps.end());
  const Scorecard b = compute_scorecard(targets, reps, catalog());
  EXPECT_EQ(std::memcmp(&a.rows[0].mean, &b.rows[0].mean, sizeof(double)), 0);
  EXPECT_EQ(std::memcmp(&a.rows[0].p05, &b.rows[0].p05, sizeof(double)), 0);
  EXPECT_EQ(std::memcmp(&a.rows[0].p95, &b.rows[0].p95, sizeof(double)), 0);
  EXPECT_EQ(a.rows[0].probability_met, b.rows[0].probability_met);
}

TEST(ScorecardCompute, ProbabilityMatchesTheBinomialExpectation) {
  // 400 replicates with normal(1000, 20) GDP in 2025 from a fixed Philox stream; the target
  // 1010 is met with probability 1 - Φ(0.5) = 0.308538.
  const RngStreams rng(4242, 0);
  std::vector<ReplicateResults> reps;
  for (std::uint32_t r = 0; r < 400; ++r) {
    ReplicateResults rep;
    rep.replicate = r;
    rep.years = {2025};
    rep.indicators["gdp"] = {1000 + 20 * rng.stream(2025, 1, r).normal()};
    reps.push_back(std::move(rep));
  }
  Targets targets;
  targets.targets = {level("gdp", TargetComparison::AtLeast, 1010, 2025)};
  const Scorecard card = compute_scorecard(targets, reps, catalog());
  const double p = 0.308538;
  const double sd = std::sqrt(p * (1 - p) / 400);
  EXPECT_NEAR(card.rows[0].probability_met, p, 4 * sd);
  EXPECT_EQ(card.rows[0].status, TargetStatus::AtRisk);
  EXPECT_NEAR(card.rows[0].mean, 1000, 4 * 20 / std::sqrt(400.0));
}

TEST(ScorecardFormat, CompactTableByYear) {
  Targets targets;
  targets.plan_en = "The plan";
  targets.plan_zh = "规划";
  Target urban = level("urbanisation_rate", TargetComparison::Above, 99.23, 2025);
  urban.label_zh = "常住人口城镇化率";
  urban.label_en = "Urbanisation rate";
  urban.unit = "%";
  Target late = level("gdp", TargetComparison::AtLeast, 1000, 2025);
  late.key = "gdp_2025_assumed";
  late.assumption = "a test";
  targets.targets = {level("gdp", TargetComparison::AtLeast, 1000, 2025), urban,
                     level("life_expectancy", TargetComparison::AtLeast, 83, 2025), late};
  const std::string text =
      format_scorecard(compute_scorecard(targets, ten_replicates(), catalog()));

  for (const char* expected :
       {"Plan targets — The plan (规划)", "10 replicates", "met if P ≥ 0.9, missed if P ≤ 0.1",
        "2025 指标", "地区生产总值", "≥ 1000 亿元", "1,035.0 [994.5, 1,075.5]", "90%", "met",
        "urbanisation_rate (exogenous)", "> 99.23 %", "100%", "gdp_2025_assumed (assumed)",
        "Not simulated in this run (1):", "life_expectancy"})
    EXPECT_NE(text.find(expected), std::string::npos) << "missing '" << expected << "' in\n"
                                                      << text;
  // No interval for a series without spread (the exogenous one).
  EXPECT_EQ(text.find("99.50 ["), std::string::npos) << text;

  // Columns line up by display width: the goal starts at the same column in every row, after
  // Chinese labels of different widths.
  std::istringstream lines(text);
  std::string line;
  std::vector<std::size_t> goal_columns;
  while (std::getline(lines, line)) {
    for (const char* goal : {"goal  ", "≥ 1000", "> 99.23"}) {
      const std::size_t at = line.find(goal);
      if (at != std::string::npos) goal_columns.push_back(display_width(line.substr(0, at)));
    }
  }
  ASSERT_EQ(goal_columns.size(), 4u) << text;  // header + three simulated rows
  for (std::size_t c : goal_columns) EXPECT_EQ(c, goal_columns.front()) << text;

  EXPECT_EQ(format_scorecard(Scorecard{}), "");

  // The compact layout of an 80-column terminal: no line wider than 80, no target keys and no
  // intervals; exogenous and assumed targets are marked.
  const std::string compact =
      format_scorecard(compute_scorecard(targets, ten_replicates(), catalog()), 80);
  std::istringstream compact_lines(compact);
  while (std::getline(compact_lines, line)) EXPECT_LE(display_width(line), 80u) << line;
  for (const char* expected : {"地区生产总值", "≥ 1000 亿元", "1,035.0", "90%", "met",
                               "常住人口城镇化率 *", "* exogenous trajectory, † assumed target"})
    EXPECT_NE(compact.find(expected), std::string::npos) << "missing '" << expected << "' in\n"
                                                         << compact;
  EXPECT_EQ(compact.find("[994.5"), std::string::npos) << compact;
  EXPECT_EQ(compact.find("urbanisation_rate"), std::string::npos) << compact;
  EXPECT_NE(compact.find(" †"), std::string::npos) << compact;
}

// One replicate is one draw: the table says whether it meets each target and estimates no
// P(met), and a note says how many replicates would.
TEST(ScorecardFormat, OneReplicateEstimatesNoProbability) {
  Targets targets;
  targets.targets = {level("gdp", TargetComparison::AtLeast, 1000, 2025),
                     level("gdp", TargetComparison::AtLeast, 2000, 2025)};
  targets.targets[1].key = "gdp_doubled";
  std::vector<ReplicateResults> one = ten_replicates();
  one.resize(3);
  one.erase(one.begin(), one.begin() + 2);  // replicate 2: gdp 1010 in 2025
  Scorecard card = compute_scorecard(targets, one, catalog());
  card.uncertainty = "40 uncertain parameters and Monte Carlo noise";
  const std::string text = format_scorecard(card, 200);
  for (const char* expected :
       {"1 replicate;", "met by 1 draw", "missed by 1 draw",
        "One replicate is one draw of the uncertain assumptions and the Monte Carlo noise",
        "estimates no P(met)", "100 replicates (--replicates 100)"})
    EXPECT_NE(text.find(expected), std::string::npos) << "missing '" << expected << "' in\n"
                                                      << text;
  EXPECT_EQ(text.find("100%"), std::string::npos) << text;
  EXPECT_EQ(text.find(" 0%"), std::string::npos) << text;
  // An ensemble prints P(met) and no such note.
  const std::string ensemble =
      format_scorecard(compute_scorecard(targets, ten_replicates(), catalog()), 200);
  EXPECT_EQ(ensemble.find("One replicate"), std::string::npos) << ensemble;
  EXPECT_EQ(ensemble.find("by 1 draw"), std::string::npos) << ensemble;
}

}  // namespace
}  // namespace plansim

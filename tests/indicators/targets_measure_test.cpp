// Each comparison type on known series: level, average growth, cumulative sum and point change,
// the four comparisons at their boundaries, and the one-line descriptions.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "indicators/targets.h"

namespace plansim {
namespace {

const std::vector<int> kYears = {2020, 2021, 2022, 2023, 2024, 2025};

Target make(TargetMeasure measure, TargetComparison comparison, double value, int first, int year) {
  return Target{.key = "k",
                .indicator = "k",
                .measure = measure,
                .comparison = comparison,
                .value = value,
                .first_year = first,
                .year = year,
                .unit = "u",
                .label_zh = "",
                .label_en = "",
                .attribute = TargetAttribute::Unspecified,
                .level = TargetLevel::Unspecified,
                .source = "",
                .assumption = "",
                .loc = {}};
}

TEST(TargetMeasures, LevelIsTheValueOfTheTargetYear) {
  const Target t = make(TargetMeasure::Level, TargetComparison::AtLeast, 1000, 2025, 2025);
  EXPECT_DOUBLE_EQ(scored_value(t, kYears, {709.3, 760, 810, 870, 930, 1004.5}), 1004.5);
  EXPECT_DOUBLE_EQ(
      scored_value(make(TargetMeasure::Level, TargetComparison::AtLeast, 0, 2022, 2022), kYears,
                   {1, 2, 3, 4, 5, 6}),
      3);
}

TEST(TargetMeasures, AverageGrowthIsTheCompoundAnnualRate) {
  const Target t = make(TargetMeasure::AverageGrowth, TargetComparison::AtLeast, 8, 2021, 2025);
  // 8% a year for five years from 2020.
  std::vector<double> values;
  for (std::size_t k = 0; k < kYears.size(); ++k) values.push_back(709.3 * std::pow(1.08, k));
  EXPECT_NEAR(scored_value(t, kYears, values), 8.0, 1e-9);
  // Only the end points matter: an uneven path with the same ends grows at the same rate.
  std::vector<double> uneven = values;
  uneven[2] = 100;
  uneven[3] = 2000;
  EXPECT_NEAR(scored_value(t, kYears, uneven), 8.0, 1e-9);
  // Doubling over 2021-2025: 2^(1/5) - 1.
  EXPECT_NEAR(scored_value(t, kYears, {50, 0, 0, 0, 0, 100}), (std::pow(2.0, 0.2) - 1) * 100,
              1e-12);
  // Decline: negative growth.
  EXPECT_NEAR(scored_value(t, kYears, {100, 0, 0, 0, 0, 100 * std::pow(0.97, 5)}), -3.0, 1e-9);
}

TEST(TargetMeasures, AverageGrowthFromYearlyRatesCompounds) {
  const Target t =
      make(TargetMeasure::AverageGrowthFromRates, TargetComparison::AtLeast, 4, 2021, 2025);
  // The base year's rate is not part of the period.
  EXPECT_NEAR(scored_value(t, kYears, {99, 4, 4, 4, 4, 4}), 4.0, 1e-12);
  // Rates 10% and -10% do not average to 0: 1.1 × 0.9 = 0.99.
  const Target two =
      make(TargetMeasure::AverageGrowthFromRates, TargetComparison::AtLeast, 0, 2024, 2025);
  EXPECT_NEAR(scored_value(two, kYears, {0, 0, 0, 0, 10, -10}), (std::sqrt(0.99) - 1) * 100, 1e-12);
  // Agrees with average_growth on the level series the rates come from.
  std::vector<double> levels = {100}, rates = {std::nan("")};
  for (double g : {3.0, 5.5, -1.0, 7.25, 4.0}) {
    levels.push_back(levels.back() * (1 + g / 100));
    rates.push_back(g);
  }
  const Target from_levels =
      make(TargetMeasure::AverageGrowth, TargetComparison::AtLeast, 4, 2021, 2025);
  EXPECT_NEAR(scored_value(t, kYears, rates), scored_value(from_levels, kYears, levels), 1e-12);
  // A missing rate, or a fall of 100%, cannot be averaged.
  EXPECT_TRUE(std::isnan(scored_value(t, kYears, {0, 4, std::nan(""), 4, 4, 4})));
  EXPECT_TRUE(std::isnan(scored_value(t, kYears, {0, 4, -100, 4, 4, 4})));
}

TEST(TargetMeasures, CumulativeSumsThePeriodWithoutTheBaseYear) {
  const Target t = make(TargetMeasure::Cumulative, TargetComparison::AtLeast, 10, 2021, 2025);
  EXPECT_DOUBLE_EQ(scored_value(t, kYears, {99, 1.5, 2, 2.25, 2, 2.5}), 10.25);
}

TEST(TargetMeasures, ChangeIsEndMinusTheYearBeforeThePeriod) {
  const Target t = make(TargetMeasure::Change, TargetComparison::AtLeast, 5, 2021, 2025);
  EXPECT_DOUBLE_EQ(scored_value(t, kYears, {18.25, 19, 20, 21, 22, 23.5}), 5.25);
  EXPECT_DOUBLE_EQ(scored_value(t, kYears, {18.25, 19, 20, 21, 22, 17.25}), -1.0);
}

TEST(TargetMeasures, MissingOrUnusableValuesGiveNaN) {
  const double nan = std::nan("");
  const Target level_2030 = make(TargetMeasure::Level, TargetComparison::AtLeast, 1, 2030, 2030);
  EXPECT_TRUE(std::isnan(scored_value(level_2030, kYears, {1, 2, 3, 4, 5, 6})));
  const Target sum = make(TargetMeasure::Cumulative, TargetComparison::AtLeast, 1, 2021, 2025);
  EXPECT_TRUE(std::isnan(scored_value(sum, kYears, {1, 2, nan, 4, 5, 6})));
  const Target sum_from_2019 =
      make(TargetMeasure::Cumulative, TargetComparison::AtLeast, 1, 2019, 2021);
  EXPECT_TRUE(std::isnan(scored_value(sum_from_2019, kYears, {1, 2, 3, 4, 5, 6})));
  const Target growth =
      make(TargetMeasure::AverageGrowth, TargetComparison::AtLeast, 1, 2021, 2025);
  EXPECT_TRUE(std::isnan(scored_value(growth, kYears, {0, 2, 3, 4, 5, 6})));   // no base
  EXPECT_TRUE(std::isnan(scored_value(growth, kYears, {-1, 2, 3, 4, 5, 6})));  // negative base
  EXPECT_TRUE(std::isnan(scored_value(growth, kYears, {nan, 2, 3, 4, 5, 6})));
  const Target change = make(TargetMeasure::Change, TargetComparison::AtLeast, 1, 2020, 2025);
  EXPECT_TRUE(std::isnan(scored_value(change, kYears, {1, 2, 3, 4, 5, 6})));  // needs 2019
}

TEST(TargetMeasures, ComparisonsAtTheirBoundaries) {
  const auto met = [](TargetComparison c, double scored) {
    return target_met(make(TargetMeasure::Level, c, 5.5, 2025, 2025), scored);
  };
  EXPECT_TRUE(met(TargetComparison::AtLeast, 5.5));
  EXPECT_TRUE(met(TargetComparison::AtLeast, 6));
  EXPECT_FALSE(met(TargetComparison::AtLeast, 5.4999));
  EXPECT_TRUE(met(TargetComparison::AtMost, 5.5));
  EXPECT_FALSE(met(TargetComparison::AtMost, 5.5001));
  EXPECT_FALSE(met(TargetComparison::Above, 5.5));
  EXPECT_TRUE(met(TargetComparison::Above, 5.5001));
  EXPECT_FALSE(met(TargetComparison::Below, 5.5));
  EXPECT_TRUE(met(TargetComparison::Below, 5.4999));
  for (TargetComparison c : kAllComparisons)
    EXPECT_FALSE(met(c, std::nan(""))) << comparison_symbol(c);
}

TEST(TargetMeasures, Descriptions) {
  Target level = make(TargetMeasure::Level, TargetComparison::AtLeast, 1000, 2025, 2025);
  level.unit = "亿元";
  EXPECT_EQ(describe_target(level), "≥ 1000 亿元 in 2025");
  Target growth = make(TargetMeasure::AverageGrowth, TargetComparison::AtLeast, 8, 2021, 2025);
  growth.unit = "% per year";
  EXPECT_EQ(describe_target(growth), "average growth ≥ 8 % per year, 2021-2025");
  Target rates =
      make(TargetMeasure::AverageGrowthFromRates, TargetComparison::AtLeast, 4, 2021, 2025);
  rates.unit = "% per year";
  EXPECT_EQ(describe_target(rates), "average growth ≥ 4 % per year, 2021-2025 (from yearly rates)");
  Target sum = make(TargetMeasure::Cumulative, TargetComparison::AtLeast, 10, 2021, 2025);
  sum.unit = "万人";
  EXPECT_EQ(describe_target(sum), "sum ≥ 10 万人, 2021-2025");
  Target change = make(TargetMeasure::Change, TargetComparison::AtLeast, 5, 2021, 2025);
  change.unit = "percentage points";
  EXPECT_EQ(describe_target(change), "change ≥ +5 percentage points, 2021-2025");
  Target below = make(TargetMeasure::Level, TargetComparison::Below, 5.5, 2025, 2025);
  below.unit = "%";
  EXPECT_EQ(describe_target(below), "< 5.5 % in 2025");
  Target above = make(TargetMeasure::Level, TargetComparison::Above, 99.23, 2025, 2025);
  above.unit = "%";
  EXPECT_EQ(describe_target(above), "> 99.23 % in 2025");
}

TEST(TargetMeasures, NamesRoundTrip) {
  for (TargetMeasure m : kAllMeasures)
    EXPECT_EQ(enum_from_name(measure_name(m), measure_name, kAllMeasures), m);
  for (TargetComparison c : kAllComparisons)
    EXPECT_EQ(enum_from_name(comparison_symbol(c), comparison_symbol, kAllComparisons), c);
  for (TargetAttribute a : kAllAttributes)
    EXPECT_EQ(enum_from_name(attribute_name(a), attribute_name, kAllAttributes), a);
  for (TargetLevel l : kAllLevels)
    EXPECT_EQ(enum_from_name(level_name(l), level_name, kAllLevels), l);
  EXPECT_FALSE(enum_from_name("levels", measure_name, kAllMeasures).has_value());
}

}  // namespace
}  // namespace plansim

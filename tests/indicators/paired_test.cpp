// Paired and unpaired differences between scenarios: known answers (textbook values of the t,
// McNemar and Fisher tests) and the false-alarm rate of the paired t test under no difference.
#include "indicators/paired.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace plansim {
namespace {

const double kNaN = std::nan("");

TEST(PairedDifference, KnownAnswerOfThePairedTTest) {
  // Differences 1..5: mean 3, sd 1.5811, t = 4.2426 on 4 degrees of freedom.
  const DifferenceTest d =
      difference_test({0, 1, 2, 3, 4, kNaN}, {1, 3, 5, 7, 9, 100}, /*paired=*/true);
  EXPECT_TRUE(d.paired);
  EXPECT_EQ(d.count, 5u);  // the pair with a NaN is left out
  EXPECT_DOUBLE_EQ(d.mean, 3.0);
  EXPECT_NEAR(d.low, 3 - 2.776445 * std::sqrt(0.5), 1e-5);
  EXPECT_NEAR(d.high, 3 + 2.776445 * std::sqrt(0.5), 1e-5);
  EXPECT_NEAR(d.p_value, 0.0132356, 1e-6);
  EXPECT_TRUE(d.significant);
}

TEST(PairedDifference, NoDifferenceAndConstantDifference) {
  // Common random numbers and a change that acts on nothing: every pair is equal.
  const DifferenceTest none = difference_test({5, 7, 9}, {5, 7, 9}, true);
  EXPECT_EQ(none.mean, 0.0);
  EXPECT_EQ(none.low, 0.0);
  EXPECT_EQ(none.high, 0.0);
  EXPECT_EQ(none.p_value, 1.0);
  EXPECT_FALSE(none.significant);
  const DifferenceTest shift = difference_test({5, 7, 9}, {6, 8, 10}, true);
  EXPECT_EQ(shift.mean, 1.0);
  EXPECT_EQ(shift.p_value, 0.0);
  EXPECT_TRUE(shift.significant);
  const DifferenceTest one = difference_test({5}, {6}, true);
  EXPECT_EQ(one.count, 1u);
  EXPECT_EQ(one.mean, 1.0);
  EXPECT_TRUE(std::isnan(one.p_value));
  EXPECT_FALSE(one.significant);
  EXPECT_EQ(significance_text(one.p_value, one.significant), "–");
}

TEST(PairedDifference, KnownAnswerOfWelchsTest) {
  // Means 3 and 6, variances 2.5 and 10 on 5 values each: t = 1.8974, df = 5.882.
  const DifferenceTest d = difference_test({1, 2, 3, 4, 5}, {2, 4, 6, 8, 10}, false);
  EXPECT_FALSE(d.paired);
  EXPECT_DOUBLE_EQ(d.mean, 3.0);
  EXPECT_NEAR(d.p_value, 0.107530, 1e-5);
  EXPECT_FALSE(d.significant);
  EXPECT_LT(d.low, 0.0);
  EXPECT_GT(d.high, 6.0);
}

TEST(PairedDifference, FalseAlarmsAtTheNominalRate) {
  // 400 comparisons of 20 pairs with no true difference: rejections ~ Binomial(400, 0.05),
  // mean 20, sd 4.36; [6, 36] holds with probability > 0.999.
  std::mt19937_64 engine(20211116);
  std::normal_distribution<double> noise(0.0, 1.0);
  int rejections = 0;
  for (int trial = 0; trial < 400; ++trial) {
    std::vector<double> a(20), b(20);
    for (int r = 0; r < 20; ++r) {
      const double common = 10 * noise(engine);  // what the pairs share
      a[r] = common + noise(engine);
      b[r] = common + noise(engine);
    }
    rejections += difference_test(a, b, true).significant;
  }
  EXPECT_GE(rejections, 6);
  EXPECT_LE(rejections, 36);
}

TEST(PairedProportion, KnownAnswerOfTheExactMcNemarTest) {
  // 10 pairs: 6 meet the target only in the other scenario, none only in the first.
  const std::vector<double> first{0, 0, 0, 0, 0, 0, 1, 1, 0, 0};
  const std::vector<double> other{1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
  const ProportionTest p = proportion_test(first, other, true);
  EXPECT_EQ(p.count, 10u);
  EXPECT_EQ(p.only_first, 0u);
  EXPECT_EQ(p.only_other, 6u);
  EXPECT_DOUBLE_EQ(p.delta, 0.6);
  EXPECT_DOUBLE_EQ(p.p_value, 0.03125);  // 2 · 0.5^6
  EXPECT_TRUE(p.significant);
  EXPECT_LT(p.low, 0.6);
  EXPECT_GT(p.high, 0.3);
  EXPECT_LE(p.high, 1.0);
  EXPECT_EQ(significance_text(p.p_value, p.significant), "significant (p = 0.031)");
  // The same replicates meeting it in both: no discordant pair, no difference.
  const ProportionTest same = proportion_test(first, first, true);
  EXPECT_EQ(same.delta, 0.0);
  EXPECT_EQ(same.p_value, 1.0);
  EXPECT_FALSE(same.significant);
  EXPECT_EQ(significance_text(same.p_value, same.significant),
            "no significant difference (p = 1.000)");
}

TEST(PairedProportion, KnownAnswerOfFishersExactTest) {
  // 3 of 4 against 1 of 4: the two-sided p of the tea-tasting table is 34/70.
  const ProportionTest p = proportion_test({1, 1, 1, 0}, {1, 0, 0, 0, kNaN}, false);
  EXPECT_FALSE(p.paired);
  EXPECT_DOUBLE_EQ(p.delta, -0.5);
  EXPECT_NEAR(p.p_value, 34.0 / 70.0, 1e-12);
  EXPECT_FALSE(p.significant);
}

}  // namespace
}  // namespace plansim

#include "core/quantile.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace plansim {
namespace {

TEST(Quantile, KnownAnswersOfTypeSeven) {
  // numpy.percentile([1, 2, 3, 4, 5], [5, 50, 95]) == [1.2, 3.0, 4.8]
  const std::vector<double> five = {1, 2, 3, 4, 5};
  EXPECT_DOUBLE_EQ(quantile_sorted(five, 0.05), 1.2);
  EXPECT_DOUBLE_EQ(quantile_sorted(five, 0.5), 3.0);
  EXPECT_DOUBLE_EQ(quantile_sorted(five, 0.95), 4.8);
  EXPECT_DOUBLE_EQ(quantile_sorted(five, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(quantile_sorted(five, 1.0), 5.0);
  // numpy.percentile(range(1, 21), [5, 95]) == [1.95, 19.05]
  std::vector<double> twenty(20);
  for (int i = 0; i < 20; ++i) twenty[i] = i + 1;
  EXPECT_NEAR(quantile_sorted(twenty, 0.05), 1.95, 1e-12);
  EXPECT_NEAR(quantile_sorted(twenty, 0.95), 19.05, 1e-12);
  // One value: every quantile is that value; none: NaN.
  EXPECT_EQ(quantile_sorted({7.25}, 0.05), 7.25);
  EXPECT_EQ(quantile_sorted({7.25}, 0.95), 7.25);
  EXPECT_TRUE(std::isnan(quantile_sorted({}, 0.5)));
  // Equal neighbours give exactly their value.
  EXPECT_EQ(quantile_sorted({0.1, 0.1, 0.1}, 0.37), 0.1);
}

TEST(Quantile, UnsortedValuesAreSortedFirst) {
  // numpy.percentile([3, 1, 10, 4], [2.5, 50, 97.5]) == [1.15, 3.5, 9.55]
  const std::vector<double> values = {3, 1, 10, 4};
  EXPECT_NEAR(quantile(values, 0.025), 1.15, 1e-12);
  EXPECT_DOUBLE_EQ(quantile(values, 0.5), 3.5);
  EXPECT_NEAR(quantile(values, 0.975), 9.55, 1e-12);
  EXPECT_EQ(quantile(values, 0.0), 1.0);
  EXPECT_EQ(quantile(values, 1.0), 10.0);
  EXPECT_TRUE(std::isnan(quantile({}, 0.5)));
  // The order of the values never matters.
  std::vector<double> reversed(values.rbegin(), values.rend());
  for (double q : {0.05, 0.3, 0.95}) EXPECT_EQ(quantile(values, q), quantile(reversed, q)) << q;
}

}  // namespace
}  // namespace plansim

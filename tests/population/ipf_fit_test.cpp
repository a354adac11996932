#include <gtest/gtest.h>

#include <numeric>
#include <stdexcept>

#include "population/ipf.h"
#include "population/synthesis_config.h"

namespace plansim {
namespace {

TEST(IpfFit, IndependenceSeedGivesTheProductOfMarginsInOneIteration) {
  // A uniform seed fits to r_i * c_j / total, which satisfies both margins at once.
  const Eigen::MatrixXd seed = Eigen::MatrixXd::Ones(2, 2);
  Eigen::VectorXd rows(2), cols(2);
  rows << 3, 7;
  cols << 4, 6;
  const IpfResult r = fit_table(seed, rows, cols, IpfSettings{50, 1e-12});
  ASSERT_TRUE(r.converged);
  EXPECT_EQ(r.iterations, 1);
  EXPECT_NEAR(r.table(0, 0), 1.2, 1e-12);
  EXPECT_NEAR(r.table(0, 1), 1.8, 1e-12);
  EXPECT_NEAR(r.table(1, 0), 2.8, 1e-12);
  EXPECT_NEAR(r.table(1, 1), 4.2, 1e-12);
}

TEST(IpfFit, ThreeByThreeMatchesMarginsAndKeepsTheSeedsOddsRatios) {
  Eigen::MatrixXd seed(3, 3);
  // clang-format off
  seed << 10, 2, 1,
          3, 8, 2,
          1, 3, 9;
  // clang-format on
  Eigen::VectorXd rows(3), cols(3);
  rows << 100, 200, 300;
  cols << 150, 150, 300;
  const IpfResult r = fit_table(seed, rows, cols, IpfSettings{500, 1e-12});
  ASSERT_TRUE(r.converged);
  EXPECT_GT(r.iterations, 1);
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(r.table.row(i).sum(), rows[i], 1e-9);
    EXPECT_NEAR(r.table.col(i).sum(), cols[i], 1e-9);
  }
  // IPF scales rows and columns only, so every 2x2 cross-product ratio of the seed survives:
  // it is the unique table with these margins and the seed's interactions.
  const auto odds = [](const Eigen::MatrixXd& m, int i, int j) {
    return m(i, j) * m(i + 1, j + 1) / (m(i, j + 1) * m(i + 1, j));
  };
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) EXPECT_NEAR(odds(r.table, i, j), odds(seed, i, j), 1e-9);
}

TEST(IpfFit, GroupedColumnsScaleTogetherAndKeepTheShapeInsideAGroup) {
  // Sex by four age groups, with the age margin known only for two broad groups.
  Eigen::MatrixXd seed(2, 4);
  // clang-format off
  seed << 1, 2, 3, 4,
          2, 2, 2, 2;
  // clang-format on
  Eigen::VectorXd sexes(2), broad(2);
  sexes << 50, 50;
  broad << 40, 60;
  const IpfResult r = fit_table(seed, sexes, {0, 0, 1, 1}, broad, IpfSettings{500, 1e-12});
  ASSERT_TRUE(r.converged);
  EXPECT_NEAR(r.table.row(0).sum(), 50, 1e-9);
  EXPECT_NEAR(r.table.row(1).sum(), 50, 1e-9);
  EXPECT_NEAR(r.table.leftCols(2).sum(), 40, 1e-9);
  EXPECT_NEAR(r.table.rightCols(2).sum(), 60, 1e-9);
  // Within a row and a broad group the seed's proportions are unchanged.
  EXPECT_NEAR(r.table(0, 1) / r.table(0, 0), 2.0, 1e-12);
  EXPECT_NEAR(r.table(0, 3) / r.table(0, 2), 4.0 / 3.0, 1e-12);
  EXPECT_NEAR(r.table(1, 1) / r.table(1, 0), 1.0, 1e-12);
}

TEST(IpfFit, StructuralZerosStayZeroAndAnImpossibleFitIsReported) {
  Eigen::MatrixXd seed(2, 2);
  // clang-format off
  seed << 1, 0,
          0, 1;
  // clang-format on
  Eigen::VectorXd rows(2), cols(2);
  rows << 1, 1;
  cols << 0.5, 1.5;  // the diagonal seed cannot move mass between rows and columns
  const IpfResult r = fit_table(seed, rows, cols, IpfSettings{100, 1e-10});
  EXPECT_FALSE(r.converged);
  EXPECT_EQ(r.iterations, 100);
  EXPECT_EQ(r.table(0, 1), 0.0);
  EXPECT_EQ(r.table(1, 0), 0.0);
  EXPECT_GT(r.max_margin_error, 0.1);
}

TEST(IpfFit, InconsistentTotalsAndBadSeedsAreProgrammingErrors) {
  const Eigen::MatrixXd seed = Eigen::MatrixXd::Ones(2, 2);
  Eigen::VectorXd rows(2), cols(2);
  rows << 1, 1;
  cols << 1, 2;
  EXPECT_THROW(fit_table(seed, rows, cols, IpfSettings{}), std::invalid_argument);
  Eigen::MatrixXd negative = seed;
  negative(0, 0) = -1;
  cols << 1, 1;
  EXPECT_THROW(fit_table(negative, rows, cols, IpfSettings{}), std::invalid_argument);
  EXPECT_THROW(fit_table(seed, rows, {0, 2}, cols, IpfSettings{}), std::invalid_argument);
}

TEST(HouseholdSizeDistribution, ReachesTheMeanAndKeepsTheShapesOddsRatios) {
  const std::array<double, kHouseholdSizeClasses> fujian = {0.273, 0.263, 0.194, 0.142, 0.128};
  const auto p = household_size_distribution(fujian, 2.82, 5.4);
  const double mean = 1 * p[0] + 2 * p[1] + 3 * p[2] + 4 * p[3] + 5.4 * p[4];
  EXPECT_NEAR(mean, 2.82, 1e-9);
  EXPECT_NEAR(p[0] + p[1] + p[2] + p[3] + p[4], 1.0, 1e-12);
  // Exponential tilting: (p[k+1] / p[k]) / (shape[k+1] / shape[k]) is the same t for every k.
  const double t = (p[1] / p[0]) / (fujian[1] / fujian[0]);
  EXPECT_GT(t, 1.0);  // the Zhengzhou mean is above the shape's own
  for (int k = 1; k + 1 < kHouseholdSizeClasses; ++k)
    EXPECT_NEAR((p[k + 1] / p[k]) / (fujian[k + 1] / fujian[k]), t, 1e-9);
  // A shape already at the requested mean comes back unchanged.
  const double own_mean =
      1 * fujian[0] + 2 * fujian[1] + 3 * fujian[2] + 4 * fujian[3] + 5.4 * fujian[4];
  const auto same = household_size_distribution(fujian, own_mean, 5.4);
  for (int k = 0; k < kHouseholdSizeClasses; ++k) EXPECT_NEAR(same[k], fujian[k], 1e-9);
}

}  // namespace
}  // namespace plansim

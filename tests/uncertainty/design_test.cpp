#include "uncertainty/design.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace plansim {
namespace {

TEST(SobolDesign, PointsLieInsideTheOpenUnitCube) {
  const SobolDesign design(5, 7);
  for (std::uint64_t k = 0; k < 300; ++k)
    for (double u : design.point(k)) {
      EXPECT_GT(u, 0.0);
      EXPECT_LT(u, 1.0);
    }
}

// The digital shift keeps the net: the first 2^m points of every coordinate fall one in each of
// the 2^m intervals [i / 2^m, (i + 1) / 2^m), whatever the seed.
TEST(SobolDesign, FirstPowerOfTwoPointsStratifyEveryCoordinate) {
  for (std::uint64_t seed : {1ull, 20211116ull}) {
    const SobolDesign design(12, seed);
    for (int m : {3, 5, 8}) {
      const std::size_t n = std::size_t{1} << m;
      for (std::size_t j = 0; j < design.dimensions(); ++j) {
        std::set<std::size_t> cells;
        for (std::uint64_t k = 0; k < n; ++k)
          cells.insert(static_cast<std::size_t>(design.point(k)[j] * static_cast<double>(n)));
        EXPECT_EQ(cells.size(), n) << "seed " << seed << ", 2^" << m << " points, coordinate " << j;
      }
    }
  }
}

// Pairs of coordinates are stratified too: 2^m points in the 2^(m/2) × 2^(m/2) grid of the
// first two coordinates (Sobol's first two dimensions form a (0, 2)-sequence).
TEST(SobolDesign, FirstTwoCoordinatesStratifyTheSquare) {
  const SobolDesign design(2, 99);
  std::set<std::pair<int, int>> cells;
  for (std::uint64_t k = 0; k < 256; ++k) {
    const auto p = design.point(k);
    cells.insert({static_cast<int>(p[0] * 16), static_cast<int>(p[1] * 16)});
  }
  EXPECT_EQ(cells.size(), 256u);
}

// Point k depends only on (seed, k): the same whether asked alone, in order or out of order, and
// from a design with more coordinates (the first ones agree).
TEST(SobolDesign, PointKDependsOnlyOnSeedAndK) {
  const SobolDesign design(4, 5);
  const SobolDesign wider(9, 5);
  std::vector<std::vector<double>> in_order;
  for (std::uint64_t k = 0; k < 40; ++k) in_order.push_back(design.point(k));
  for (std::uint64_t k : {39ull, 0ull, 17ull, 3ull, 31ull}) {
    EXPECT_EQ(design.point(k), in_order[k]);
    const auto w = wider.point(k);
    EXPECT_TRUE(std::equal(in_order[k].begin(), in_order[k].end(), w.begin())) << k;
  }
  // Another seed shifts every coordinate differently.
  const SobolDesign other(4, 6);
  EXPECT_NE(other.point(3), design.point(3));
}

// Randomised QMC integrates a smooth function far better than Monte Carlo: the mean of
// ∏ (1 + (u_j - 1/2)) over 1024 points is 1 within 5e-3 (its Monte Carlo standard error is
// sqrt((13/12)^6 - 1) / 32 ≈ 0.025).
TEST(SobolDesign, IntegratesASmoothFunction) {
  const SobolDesign design(6, 11);
  double sum = 0;
  for (std::uint64_t k = 0; k < 1024; ++k) {
    double f = 1;
    for (double u : design.point(k)) f *= 1 + (u - 0.5);
    sum += f;
  }
  EXPECT_NEAR(sum / 1024, 1.0, 5e-3);
}

TEST(SobolDesign, RejectsImpossibleSizes) {
  EXPECT_THROW(SobolDesign(0, 1), std::invalid_argument);
  EXPECT_THROW(SobolDesign(SobolDesign::kMaxDimensions + 1, 1), std::invalid_argument);
  EXPECT_NO_THROW(SobolDesign(SobolDesign::kMaxDimensions, 1).point(12345));
}

}  // namespace
}  // namespace plansim

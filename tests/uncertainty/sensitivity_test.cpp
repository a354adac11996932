// Sensitivity estimators on functions with known answers: the Sobol' indices of the Ishigami
// function (Ishigami and Homma 1990; analytic values in Saltelli et al. 2008, Global Sensitivity
// Analysis: The Primer, §4.9) and Morris screening of a linear function.
#include "uncertainty/sensitivity.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace plansim {
namespace {

constexpr double kPi = 3.14159265358979323846;

// f(x) = sin x1 + a sin² x2 + b x3⁴ sin x1, x uniform on [−π, π]³, a = 7, b = 0.1.
double ishigami(const std::vector<double>& u) {
  const double x1 = -kPi + 2 * kPi * u[0], x2 = -kPi + 2 * kPi * u[1], x3 = -kPi + 2 * kPi * u[2];
  return std::sin(x1) + 7 * std::sin(x2) * std::sin(x2) + 0.1 * std::pow(x3, 4) * std::sin(x1);
}

TEST(Sensitivity, SobolIndicesOfTheIshigamiFunction) {
  const double a = 7, b = 0.1;
  const double pi4 = std::pow(kPi, 4), pi8 = std::pow(kPi, 8);
  const double variance = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
  const double v1 = 0.5 * (1 + b * pi4 / 5) * (1 + b * pi4 / 5), v2 = a * a / 8;
  const double vt3 = 8 * b * b * pi8 / 225;
  const double first[] = {v1 / variance, v2 / variance, 0.0};
  const double total[] = {(v1 + vt3) / variance, v2 / variance, vt3 / variance};

  const SaltelliDesign design = saltelli_design(4096, 3, 20211116);
  ASSERT_EQ(design.rows.size(), 4096u * 5);
  std::vector<double> outputs;
  for (const auto& row : design.rows) outputs.push_back(ishigami(row));
  const std::vector<SobolIndex> s = sobol_indices(design, outputs, 300, 7);
  ASSERT_EQ(s.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    RecordProperty("S" + std::to_string(i + 1), std::to_string(s[i].first) + " [" +
                                                    std::to_string(s[i].first_low) + ", " +
                                                    std::to_string(s[i].first_high) + "]");
    EXPECT_LE(s[i].first_low, first[i]) << i;
    EXPECT_GE(s[i].first_high, first[i]) << i;
    EXPECT_LE(s[i].total_low, total[i]) << i;
    EXPECT_GE(s[i].total_high, total[i]) << i;
    EXPECT_LT(s[i].first_high - s[i].first_low, 0.15) << i;  // intervals that say something
    EXPECT_LT(s[i].total_high - s[i].total_low, 0.15) << i;
  }
  // The same design and outputs give the same indices (the bootstrap has a fixed seed).
  const std::vector<SobolIndex> again = sobol_indices(design, outputs, 300, 7);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(again[i].first_low, s[i].first_low);
    EXPECT_EQ(again[i].total_high, s[i].total_high);
  }
  // A design row depends only on its index: the first 64 points of a larger design are the
  // design of 64 points.
  const SaltelliDesign small = saltelli_design(64, 3, 20211116);
  for (std::size_t r = 0; r < small.rows.size(); ++r) EXPECT_EQ(small.rows[r], design.rows[r]);
}

TEST(Sensitivity, ConstantOutputAndBadSizes) {
  const SaltelliDesign design = saltelli_design(16, 2, 1);
  const std::vector<SobolIndex> s = sobol_indices(design, std::vector<double>(16 * 4, 3.0), 10);
  for (const SobolIndex& i : s) {
    EXPECT_EQ(i.first, 0.0);
    EXPECT_EQ(i.total, 0.0);
  }
  EXPECT_THROW(sobol_indices(design, std::vector<double>(5, 1.0)), std::invalid_argument);
  EXPECT_THROW(saltelli_design(0, 2, 1), std::invalid_argument);
  EXPECT_THROW(morris_design(4, 3, 3, 1), std::invalid_argument);  // odd number of levels
}

TEST(Sensitivity, MorrisRanksTheCoefficientsOfALinearFunction) {
  const std::vector<double> c{0.5, -4.0, 2.0, 0.0, 1.0};
  const MorrisDesign design = morris_design(10, c.size(), 4, 3);
  ASSERT_EQ(design.rows.size(), 10u * 6);
  std::vector<double> outputs;
  for (const auto& row : design.rows) {
    double f = 0;
    for (std::size_t i = 0; i < c.size(); ++i) {
      EXPECT_GE(row[i], 0.0);
      EXPECT_LE(row[i], 1.0 + 1e-12);
      f += c[i] * row[i];
    }
    outputs.push_back(f);
  }
  const std::vector<MorrisEffect> e = morris_effects(design, outputs);
  for (std::size_t i = 0; i < c.size(); ++i) {
    EXPECT_NEAR(e[i].mu_star, std::abs(c[i]), 1e-9) << i;
    EXPECT_NEAR(e[i].mu, c[i], 1e-9) << i;
    EXPECT_NEAR(e[i].sigma, 0.0, 1e-9) << i;  // linear: no interaction
  }
  // Ranked by μ*: x2, x3, x5, x1, x4.
  std::vector<std::size_t> order{0, 1, 2, 3, 4};
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return e[a].mu_star > e[b].mu_star; });
  EXPECT_EQ(order, (std::vector<std::size_t>{1, 2, 4, 0, 3}));
}

}  // namespace
}  // namespace plansim

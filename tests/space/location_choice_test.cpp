// Logit shares against the closed form, shadow prices under scarce capacity, and the
// capacity-respecting assignment of individual movers (chi-square on the drawn shares).
#include "space/location_choice.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "core/rng.h"

namespace plansim {
namespace {

TEST(Logit, SharesEqualTheClosedForm) {
  Eigen::VectorXd u(3);
  u << 0.0, std::log(2.0), std::log(3.0);
  const Eigen::VectorXd p = logit_shares(u);
  EXPECT_NEAR(p(0), 1.0 / 6, 1e-12);
  EXPECT_NEAR(p(1), 2.0 / 6, 1e-12);
  EXPECT_NEAR(p(2), 3.0 / 6, 1e-12);
  // Large utilities do not overflow; an unavailable zone gets nothing.
  u << 1000.0, 1000.0, -std::numeric_limits<double>::infinity();
  const Eigen::VectorXd q = logit_shares(u);
  EXPECT_NEAR(q(0), 0.5, 1e-12);
  EXPECT_EQ(q(2), 0.0);
  u.setConstant(-std::numeric_limits<double>::infinity());
  EXPECT_EQ(logit_shares(u).sum(), 0.0);
}

TEST(ConstrainedLogit, AmpleCapacityKeepsTheClosedForm) {
  Eigen::MatrixXd u(2, 3);
  u << 0.0, 1.0, 2.0, 2.0, 0.5, 0.0;
  Eigen::VectorXd movers(2);
  movers << 100, 50;
  const Eigen::VectorXd available = Eigen::VectorXd::Constant(3, 1000.0);
  const ConstrainedLogit r = constrained_logit(u, movers, available, 100, 1e-3);
  EXPECT_TRUE(r.converged);
  EXPECT_EQ(r.iterations, 0);
  EXPECT_EQ(r.shadow_price.cwiseAbs().maxCoeff(), 0.0);
  for (int s = 0; s < 2; ++s) {
    const double denominator = u.row(s).array().exp().sum();
    for (int j = 0; j < 3; ++j)
      EXPECT_NEAR(r.probability(s, j), std::exp(u(s, j)) / denominator, 1e-12);
  }
  EXPECT_NEAR(r.expected_demand.sum(), 150.0, 1e-9);
}

TEST(ConstrainedLogit, ShadowPricesClearScarceZones) {
  Eigen::MatrixXd u(1, 3);
  u << 2.0, 0.0, 0.0;  // everyone wants zone 0
  Eigen::VectorXd movers(1);
  movers << 1000;
  Eigen::VectorXd available(3);
  available << 100, 600, 600;
  const ConstrainedLogit r = constrained_logit(u, movers, available, 500, 1e-4);
  ASSERT_TRUE(r.converged);
  EXPECT_GT(r.unconstrained_demand(0), 700.0);
  for (int j = 0; j < 3; ++j) EXPECT_LE(r.expected_demand(j), available(j) * (1 + 1e-4) + 1e-9);
  EXPECT_LT(r.shadow_price(0), -1.0);
  EXPECT_NEAR(r.expected_demand.sum(), 1000.0, 1e-6);  // movers are conserved
  // The uncontested zones share the rest equally and are not priced.
  EXPECT_NEAR(r.expected_demand(1), r.expected_demand(2), 1e-6);
  EXPECT_EQ(r.shadow_price(1), 0.0);
}

TEST(ConstrainedLogit, DoesNotConvergeWhenMoversExceedAllDwellings) {
  Eigen::MatrixXd u = Eigen::MatrixXd::Zero(1, 2);
  Eigen::VectorXd movers(1);
  movers << 100;
  const ConstrainedLogit r =
      constrained_logit(u, movers, Eigen::VectorXd::Constant(2, 10.0), 50, 1e-3);
  EXPECT_FALSE(r.converged);
  EXPECT_EQ(r.iterations, 50);
}

std::vector<Mover> movers_from_streams(std::size_t n, std::uint32_t segments = 1) {
  const RngStreams rng(42, 0);
  std::vector<Mover> movers(n);
  for (std::size_t i = 0; i < n; ++i) {
    AgentRng r = rng.stream(2021, 9, i + 1);
    movers[i].id = i + 1;
    movers[i].row = static_cast<std::uint32_t>(i);
    movers[i].u = r.uniform();
    movers[i].priority = (static_cast<std::uint64_t>(r.next32()) << 32) | r.next32();
    movers[i].segment = static_cast<std::uint32_t>(i % segments);
  }
  return movers;
}

TEST(AssignMovers, DrawnSharesMatchTheProbabilities) {
  Eigen::MatrixXd p(1, 3);
  p << 0.2, 0.3, 0.5;
  auto movers = movers_from_streams(20000);
  std::vector<std::int64_t> remaining(3, 1000000);
  EXPECT_EQ(assign_movers(movers, p, remaining), 0u);
  std::vector<double> count(3, 0.0);
  for (const Mover& m : movers) count[m.chosen_zone] += 1;
  double chi2 = 0;
  for (int j = 0; j < 3; ++j) {
    const double expected = 20000 * p(0, j);
    chi2 += (count[j] - expected) * (count[j] - expected) / expected;
  }
  EXPECT_LT(chi2, 13.82);  // chi-square, 2 degrees of freedom, p = 0.001
}

TEST(AssignMovers, NeverFillsAZoneBeyondItsRoom) {
  Eigen::MatrixXd p(2, 3);
  p << 0.7, 0.2, 0.1, 0.1, 0.1, 0.8;
  auto movers = movers_from_streams(200, 2);
  std::vector<std::int64_t> remaining = {10, 5, 100};
  const std::vector<std::int64_t> room = remaining;
  EXPECT_EQ(assign_movers(movers, p, remaining), 200u - 115u);
  std::vector<std::int64_t> placed(3, 0);
  for (const Mover& m : movers)
    if (m.placed) ++placed[m.chosen_zone];
  for (int j = 0; j < 3; ++j) {
    EXPECT_EQ(placed[j], room[j]);  // all room taken, none beyond
    EXPECT_EQ(remaining[j], 0);
  }
  for (const Mover& m : movers) {
    if (!m.placed) {
      EXPECT_EQ(m.chosen_zone, m.current_zone);
    }
  }
}

TEST(AssignMovers, ResultDoesNotDependOnInputOrder) {
  Eigen::MatrixXd p(2, 3);
  p << 0.5, 0.3, 0.2, 0.2, 0.3, 0.5;
  auto a = movers_from_streams(3000, 2);
  auto b = a;
  std::mt19937 shuffle(7);
  std::shuffle(b.begin(), b.end(), shuffle);
  std::vector<std::int64_t> room_a = {800, 900, 5000}, room_b = room_a;
  assign_movers(a, p, room_a);
  assign_movers(b, p, room_b);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_EQ(a[i].chosen_zone, b[i].chosen_zone);
  }
}

}  // namespace
}  // namespace plansim

#include "space/location_choice.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

namespace plansim {

Eigen::VectorXd logit_shares(const Eigen::VectorXd& utility) {
  Eigen::VectorXd shares = Eigen::VectorXd::Zero(utility.size());
  if (utility.size() == 0) return shares;
  const double top = utility.maxCoeff();
  if (!std::isfinite(top)) return shares;
  shares = (utility.array() - top).exp().matrix();
  return shares / shares.sum();
}

namespace {

void probabilities(const Eigen::MatrixXd& utility, const Eigen::VectorXd& shadow,
                   Eigen::MatrixXd& out) {
  out.resize(utility.rows(), utility.cols());
  for (Eigen::Index s = 0; s < utility.rows(); ++s)
    out.row(s) = logit_shares((utility.row(s).transpose() + shadow).eval()).transpose();
}

}  // namespace

ConstrainedLogit constrained_logit(const Eigen::MatrixXd& utility, const Eigen::VectorXd& movers,
                                   const Eigen::VectorXd& available, int max_iterations,
                                   double tolerance) {
  ConstrainedLogit r;
  const Eigen::Index zones = utility.cols();
  r.shadow_price = Eigen::VectorXd::Zero(zones);
  probabilities(utility, r.shadow_price, r.probability);
  r.unconstrained_demand = r.probability.transpose() * movers;
  r.expected_demand = r.unconstrained_demand;
  for (r.iterations = 0; r.iterations < max_iterations; ++r.iterations) {
    bool over = false;
    for (Eigen::Index j = 0; j < zones; ++j)
      over |= r.expected_demand(j) > available(j) * (1.0 + tolerance) + 1e-12;
    if (!over) {
      r.converged = true;
      break;
    }
    for (Eigen::Index j = 0; j < zones; ++j) {
      const double demand = r.expected_demand(j), supply = available(j);
      if (demand <= 0 || supply <= 0) continue;
      if (demand > supply)
        r.shadow_price(j) += std::log(supply / demand);
      else if (r.shadow_price(j) < 0)
        r.shadow_price(j) = std::min(0.0, r.shadow_price(j) + std::log(supply / demand));
    }
    probabilities(utility, r.shadow_price, r.probability);
    r.expected_demand = r.probability.transpose() * movers;
  }
  return r;
}

namespace {

/// Cumulative shares of each segment over the zones with room; a segment without positive
/// probability on them falls back to shares proportional to the room left.
void build_cumulative(const Eigen::MatrixXd& probability,
                      const std::vector<std::int64_t>& remaining, Eigen::MatrixXd& cumulative) {
  const Eigen::Index zones = probability.cols();
  for (Eigen::Index s = 0; s < probability.rows(); ++s) {
    double total = 0;
    for (Eigen::Index j = 0; j < zones; ++j) {
      total += remaining[static_cast<std::size_t>(j)] > 0 ? probability(s, j) : 0.0;
      cumulative(s, j) = total;
    }
    if (total > 0) {
      cumulative.row(s) /= total;
      continue;
    }
    for (Eigen::Index j = 0; j < zones; ++j) {
      total +=
          static_cast<double>(std::max<std::int64_t>(0, remaining[static_cast<std::size_t>(j)]));
      cumulative(s, j) = total;
    }
    if (total > 0) cumulative.row(s) /= total;
  }
}

}  // namespace

std::size_t assign_movers(std::vector<Mover>& movers, const Eigen::MatrixXd& probability,
                          std::vector<std::int64_t>& remaining) {
  std::sort(movers.begin(), movers.end(), [](const Mover& a, const Mover& b) {
    return std::tie(a.priority, a.id) < std::tie(b.priority, b.id);
  });
  const Eigen::Index zones = probability.cols();
  Eigen::MatrixXd cumulative(probability.rows(), zones);
  build_cumulative(probability, remaining, cumulative);
  std::int64_t room = 0;
  for (auto r : remaining) room += std::max<std::int64_t>(0, r);
  std::size_t unplaced = 0;
  for (Mover& m : movers) {
    if (room <= 0) {
      m.chosen_zone = m.current_zone;
      m.placed = false;
      ++unplaced;
      continue;
    }
    // First zone whose cumulative share exceeds u, skipping full zones (flat steps).
    Eigen::Index pick = zones - 1;
    for (Eigen::Index j = 0; j < zones; ++j)
      if (m.u < cumulative(m.segment, j) && remaining[static_cast<std::size_t>(j)] > 0) {
        pick = j;
        break;
      }
    while (remaining[static_cast<std::size_t>(pick)] <= 0) --pick;  // u at the very top
    m.chosen_zone = static_cast<std::uint16_t>(pick);
    m.placed = true;
    --room;
    if (--remaining[static_cast<std::size_t>(pick)] == 0)
      build_cumulative(probability, remaining, cumulative);
  }
  return unplaced;
}

}  // namespace plansim

// Location choice among zones: multinomial logit with capacity.
//
// Movers are grouped into segments that share a utility row over zones (same current zone, work
// zone and presence of children). With ample capacity a mover of segment s picks zone j with the
// closed-form share exp(U_sj) / Σ_k exp(U_sk). With scarce capacity, iterative shadow prices
// (de Palma, Picard and Waddell 2007) lower the utility of over-demanded zones until expected
// demand fits the free dwellings; the individual draws are then taken in a fixed random priority
// order, each mover sampling from its segment's shares over the zones that still have room, so
// that no zone is ever filled beyond its capacity.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <vector>

namespace plansim {

/// Logit shares of `utility` (entries may be −infinity: unavailable). All zeros when nothing is
/// available.
Eigen::VectorXd logit_shares(const Eigen::VectorXd& utility);

struct ConstrainedLogit {
  Eigen::MatrixXd probability;           // segment × zone, shadow prices included
  Eigen::VectorXd shadow_price;          // per zone, <= 0, in utility units
  Eigen::VectorXd expected_demand;       // Σ_s movers_s · probability_sj
  Eigen::VectorXd unconstrained_demand;  // the same without shadow prices
  int iterations = 0;
  bool converged = false;  // expected demand within capacity (1 + tolerance)
};

/// Shadow prices for `utility` (segment × zone), `movers` per segment and `available` dwellings
/// per zone: iterate s_j += ln(available_j / demand_j) on over-demanded zones (and relax toward 0
/// where demand fell below supply) until demand_j <= available_j · (1 + tolerance) everywhere or
/// `max_iterations` is reached (always the case when movers exceed all free dwellings).
ConstrainedLogit constrained_logit(const Eigen::MatrixXd& utility, const Eigen::VectorXd& movers,
                                   const Eigen::VectorXd& available, int max_iterations,
                                   double tolerance);

/// A household looking for a dwelling.
struct Mover {
  std::uint64_t priority = 0;  // random; movers are placed in (priority, id) order
  std::uint64_t id = 0;        // household id
  std::uint32_t row = 0;       // household row
  std::uint32_t segment = 0;   // row of the probability matrix
  double u = 0;                // uniform draw of the choice
  std::uint16_t current_zone = 0;
  std::uint16_t chosen_zone = 0;  // output
  bool placed = false;            // output: false when no zone had room (stays in current_zone)
};

/// Places movers (sorted in place into (priority, id) order): each takes the zone where its u
/// falls in the cumulative probabilities of its segment restricted to zones with room left
/// (`remaining`, decremented). When a zone fills, every segment's cumulative row is rebuilt
/// without it. A segment whose probabilities are all zero on the open zones takes open zones in
/// proportion to their room. Returns the number of movers left unplaced (no room anywhere).
std::size_t assign_movers(std::vector<Mover>& movers, const Eigen::MatrixXd& probability,
                          std::vector<std::int64_t>& remaining);

}  // namespace plansim

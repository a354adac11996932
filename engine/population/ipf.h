// Iterative proportional fitting (IPF) of a two-way table to its margins, and deterministic
// integerisation of fitted (fractional) counts (largest_remainder, core/rounding.h).
//
// The column margin may constrain groups of columns rather than single columns: a 2 x 20 table
// of sex by 5-year age group can be fitted to two sex totals and to four broad age shares, each
// broad group scaling its columns by one common factor (so the seed's shape inside a broad group
// is kept).
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "core/rounding.h"  // largest_remainder, the integerisation of fitted counts

namespace plansim {

struct IpfSettings {
  int max_iterations = 200;  // one iteration = one row pass plus one column pass
  /// Converged when every margin is within tolerance * (table total) of its target.
  double tolerance = 1e-10;
};

struct IpfResult {
  Eigen::MatrixXd table;        // fitted, non-negative
  int iterations = 0;           // iterations run
  double max_margin_error = 0;  // largest |margin - target| after the last iteration (counts)
  bool converged = false;
};

/// Fits `seed` (non-negative) so that row sums equal `row_targets` and, for every column group
/// g, the sum of the columns j with column_group[j] == g equals group_targets[g]. A column with
/// group -1 is not constrained by the column margin. Structural zeros of the seed stay zero.
/// Preconditions (std::invalid_argument otherwise): sizes agree, targets are non-negative and
/// finite, group indices are valid, and the row and group targets have the same total (within
/// 1e-9 relative) when every column belongs to a group.
IpfResult fit_table(const Eigen::MatrixXd& seed, const Eigen::VectorXd& row_targets,
                    const std::vector<int>& column_group, const Eigen::VectorXd& group_targets,
                    const IpfSettings& settings);

/// The classic two-way case: every column is its own group.
IpfResult fit_table(const Eigen::MatrixXd& seed, const Eigen::VectorXd& row_targets,
                    const Eigen::VectorXd& column_targets, const IpfSettings& settings);

}  // namespace plansim

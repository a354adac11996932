#include "population/ipf.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace plansim {
namespace {

void require(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(std::string("fit_table: ") + what);
}

bool all_finite_non_negative(const Eigen::VectorXd& v) {
  for (Eigen::Index i = 0; i < v.size(); ++i)
    if (!std::isfinite(v[i]) || v[i] < 0) return false;
  return true;
}

}  // namespace

IpfResult fit_table(const Eigen::MatrixXd& seed, const Eigen::VectorXd& row_targets,
                    const std::vector<int>& column_group, const Eigen::VectorXd& group_targets,
                    const IpfSettings& settings) {
  const Eigen::Index rows = seed.rows(), cols = seed.cols(), groups = group_targets.size();
  require(row_targets.size() == rows, "one row target per row");
  require(static_cast<Eigen::Index>(column_group.size()) == cols, "one group per column");
  require((seed.array() >= 0).all() && seed.allFinite(), "seed must be finite and non-negative");
  require(all_finite_non_negative(row_targets) && all_finite_non_negative(group_targets),
          "targets must be finite and non-negative");
  bool every_column_grouped = true;
  for (int g : column_group) {
    require(g >= -1 && g < groups, "column group out of range");
    every_column_grouped &= (g >= 0);
  }
  const double total = row_targets.sum();
  if (every_column_grouped)
    require(std::abs(total - group_targets.sum()) <= 1e-9 * std::max(1.0, total),
            "row and column targets must have the same total");

  IpfResult result;
  result.table = seed;
  Eigen::MatrixXd& x = result.table;
  // Column -> group as a 0/1 matrix, so group sums and group scaling are two small products.
  Eigen::MatrixXd membership = Eigen::MatrixXd::Zero(cols, groups);
  for (Eigen::Index j = 0; j < cols; ++j)
    if (column_group[static_cast<std::size_t>(j)] >= 0)
      membership(j, column_group[static_cast<std::size_t>(j)]) = 1.0;

  const auto ratio = [](const Eigen::VectorXd& target, const Eigen::VectorXd& current) {
    Eigen::VectorXd r(target.size());
    for (Eigen::Index i = 0; i < target.size(); ++i)
      r[i] = current[i] > 0 ? target[i] / current[i] : 0.0;
    return r;
  };
  const double allowed = settings.tolerance * std::max(1.0, total);
  for (int it = 1; it <= settings.max_iterations; ++it) {
    x = ratio(row_targets, x.rowwise().sum()).asDiagonal() * x;
    const Eigen::VectorXd group_sums = (x.colwise().sum() * membership).transpose();
    const Eigen::VectorXd group_factor = ratio(group_targets, group_sums);
    Eigen::VectorXd column_factor = Eigen::VectorXd::Ones(cols);
    for (Eigen::Index j = 0; j < cols; ++j)
      if (column_group[static_cast<std::size_t>(j)] >= 0)
        column_factor[j] = group_factor[column_group[static_cast<std::size_t>(j)]];
    x = x * column_factor.asDiagonal();

    // After the column pass the groups hold exactly (where reachable); the rows tell convergence.
    const double row_error = (x.rowwise().sum() - row_targets).cwiseAbs().maxCoeff();
    const double group_error =
        groups
            ? ((x.colwise().sum() * membership).transpose() - group_targets).cwiseAbs().maxCoeff()
            : 0.0;
    result.iterations = it;
    result.max_margin_error = std::max(row_error, group_error);
    if (result.max_margin_error <= allowed) {
      result.converged = true;
      break;
    }
  }
  return result;
}

IpfResult fit_table(const Eigen::MatrixXd& seed, const Eigen::VectorXd& row_targets,
                    const Eigen::VectorXd& column_targets, const IpfSettings& settings) {
  std::vector<int> groups(static_cast<std::size_t>(seed.cols()));
  std::iota(groups.begin(), groups.end(), 0);
  return fit_table(seed, row_targets, groups, column_targets, settings);
}

}  // namespace plansim

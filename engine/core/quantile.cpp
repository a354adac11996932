#include "core/quantile.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace plansim {

double quantile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = static_cast<double>(sorted.size() - 1) * q;
  const std::size_t low = static_cast<std::size_t>(std::floor(h));
  if (low + 1 >= sorted.size()) return sorted.back();
  const double fraction = h - static_cast<double>(low);
  // Written so that equal neighbours give exactly their value (no rounding drift).
  return sorted[low] + fraction * (sorted[low + 1] - sorted[low]);
}

double quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return quantile_sorted(values, q);
}

}  // namespace plansim

#include "core/rounding.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace plansim {

std::vector<std::int64_t> round_to_total(const std::vector<double>& scaled_quotas,
                                         std::int64_t total) {
  const std::size_t n = scaled_quotas.size();
  std::vector<std::int64_t> counts(n, 0);
  if (n == 0 || total <= 0) return counts;
  std::vector<double> remainder(n);
  std::int64_t assigned = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double q = std::max(0.0, scaled_quotas[i]);
    counts[i] = static_cast<std::int64_t>(std::floor(q));
    remainder[i] = q - static_cast<double>(counts[i]);
    assigned += counts[i];
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  // Rounding can leave the floors a unit above or below the total; fix from the right end.
  for (std::size_t k = 0; assigned < total; k = (k + 1) % n, ++assigned) ++counts[order[k]];
  for (std::size_t k = n; assigned > total; --assigned) {
    k = (k == 0 ? n : k) - 1;
    while (counts[order[k]] == 0) k = (k == 0 ? n : k) - 1;
    --counts[order[k]];
  }
  return counts;
}

std::vector<std::int64_t> largest_remainder(const std::vector<double>& quotas, std::int64_t total) {
  const std::size_t n = quotas.size();
  if (n == 0 || total <= 0) return std::vector<std::int64_t>(n, 0);
  double sum = 0;
  for (double q : quotas) sum += std::max(0.0, q);
  if (sum <= 0) {
    // Nothing to apportion by: spread evenly, lower indices first.
    std::vector<std::int64_t> counts(n);
    for (std::size_t i = 0; i < n; ++i)
      counts[i] = total / static_cast<std::int64_t>(n) +
                  (static_cast<std::int64_t>(i) < total % static_cast<std::int64_t>(n) ? 1 : 0);
    return counts;
  }
  const double factor = static_cast<double>(total) / sum;
  std::vector<double> scaled(n);
  for (std::size_t i = 0; i < n; ++i) scaled[i] = std::max(0.0, quotas[i]) * factor;
  return round_to_total(scaled, total);
}

}  // namespace plansim

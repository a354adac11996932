// Rounding of shares to integer counts that keep their sum: the largest-remainder (Hamilton)
// method, used by the population synthesis (zone and cell counts, education levels) and by the
// economy's base year (jobs by sector).
#pragma once

#include <cstdint>
#include <vector>

namespace plansim {

/// Integer counts summing exactly to `total` (all 0 when `total` <= 0). Quota i is first scaled
/// to max(0, quotas[i]) · (total / Σ max(0, quotas)); each count is then the floor of its scaled
/// quota plus at most one, the units left after flooring going to the largest fractional parts,
/// ties to the lower index (a stable order: the same counts on every platform and run). When no
/// quota is positive the total is spread evenly, the lower indices taking the units left over.
std::vector<std::int64_t> largest_remainder(const std::vector<double>& quotas, std::int64_t total);

/// The integerisation step of largest_remainder() alone, for quotas the caller has already scaled
/// to `total` (non-negative, summing to `total` up to rounding): floors, then the units short of
/// (or, after rounding, above) `total` by the fractional parts, ties to the lower index.
std::vector<std::int64_t> round_to_total(const std::vector<double>& scaled_quotas,
                                         std::int64_t total);

}  // namespace plansim

// The one sample quantile (percentile) definition of the engine: Hyndman & Fan type 7, linear
// interpolation between order statistics, the default of numpy.percentile and of R's quantile().
// For n ascending values x[0..n-1] and q in [0, 1]: h = (n − 1)·q and
// Q(q) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]), x[n − 1] when ⌊h⌋ = n − 1. Q(0) is the minimum,
// Q(1) the maximum, one value is every quantile of itself, and NaN is the quantile of no values.
// Used for the ensemble statistics (/summary, the printed summary, compare, the scorecard and the
// report) and for the bootstrap intervals of the Sobol indices.
#pragma once

#include <vector>

namespace plansim {

/// Type-7 quantile of ascending `sorted` (no NaN); NaN when empty. q in [0, 1]. Equal neighbours
/// give exactly their value.
double quantile_sorted(const std::vector<double>& sorted, double q);

/// Type-7 quantile of `values` in any order (sorted here; no NaN); NaN when empty.
double quantile(std::vector<double> values, double q);

}  // namespace plansim

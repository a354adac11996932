// Ensemble statistics over the replicates of a run: per indicator and year the mean and the 5th
// and 95th percentiles, written to /summary/<key> [stat, year].
//
// Quantiles follow the linear-interpolation definition (Hyndman & Fan type 7, the default of
// numpy.percentile and R's quantile): for n sorted values x[0..n-1], h = (n-1)·q, and
// Q(q) = x[floor(h)] + (h - floor(h))·(x[floor(h)+1] - x[floor(h)]). With one replicate all three
// statistics equal its value. NaN values (years a series was not recorded) are left out.
//
// Every statistic depends only on the multiset of values, never on the order of replicates:
// values are sorted before they are summed, so the results are the same whatever order the
// replicates arrive in (ranks, resumed runs).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/results.h"

namespace plansim {

/// Mean and 5th/95th percentiles of the values that are not NaN.
struct Distribution {
  double mean;
  double p05;
  double p95;
  std::size_t count;  // values used (NaN excluded); the statistics are NaN when 0
};
Distribution distribution(std::vector<double> values);

/// Type-7 quantile of ascending `sorted` (no NaN); NaN when empty. q in [0, 1].
double quantile_sorted(const std::vector<double>& sorted, double q);

/// One indicator over the years of the run.
struct SeriesSummary {
  std::vector<double> mean, p05, p95;  // [year]
  std::vector<std::uint32_t> count;    // replicates with a value, [year]
};

struct EnsembleSummary {
  std::vector<int> years;
  std::uint32_t replicates = 0;
  std::map<std::string, SeriesSummary, std::less<>> indicators;
};

/// The statistics of every indicator of `replicates` (which must share their years; the
/// writer's checks guarantee it for complete runs). An indicator missing from some replicates
/// is summarised over those that have it. Throws std::invalid_argument when the years differ.
EnsembleSummary summarise_ensemble(const std::vector<ReplicateResults>& replicates);

/// The names of the statistics, in the order of the first axis of /summary/<key>.
inline constexpr std::string_view kSummaryStatistics[] = {"mean", "p05", "p95"};

}  // namespace plansim

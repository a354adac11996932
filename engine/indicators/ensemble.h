// Ensemble statistics over the replicates of a run: per indicator and year the mean and the 5th
// and 95th percentiles, written to /summary/<key> [stat, year].
//
// Quantiles are the engine's one definition, quantile_sorted() of core/quantile.h (Hyndman & Fan
// type 7, linear interpolation: numpy.percentile's and R's default). With one replicate all
// three statistics equal its value. NaN values (years a series was not recorded) are left out.
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

#include "core/quantile.h"  // quantile_sorted, the percentile definition of the statistics
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

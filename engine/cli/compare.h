// `plansim compare A.h5 B.h5 ...`: every indicator at 2025 and 2035 for each results file, the
// difference from the first file with its 90% interval, and the plan targets' status.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace plansim {

/// The years compared (when a file covers them).
inline constexpr int kCompareYears[] = {2025, 2035};

/// Formats: "table" (aligned for a terminal, CJK-aware), "csv" (one tidy table: a row per
/// indicator × file × year and per target × file), "markdown".
///
/// Values are ensemble means with the 5th-95th percentile range (type-7 quantiles, as in
/// /summary). Δ is file − first file: the mean and the 5th-95th percentiles of the replicate
/// differences — paired replicate by replicate when both files have the same seed and the same
/// replicate numbers (common random numbers), otherwise over all pairs of replicates.
///
/// Files of different results schema versions or of different cities are refused: exit status 2
/// with a message naming the files; an unreadable file gives status 1. Errors go to `err`.
int compare_command(const std::vector<std::string>& files, const std::string& format,
                    std::ostream& out, std::ostream& err);
/// As above with errors on std::cerr.
int compare_command(const std::vector<std::string>& files, const std::string& format,
                    std::ostream& out);

}  // namespace plansim

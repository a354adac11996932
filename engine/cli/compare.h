// `plansim compare A.h5 B.h5 ...`: every indicator at 2025 and 2035 for each results file, the
// difference from the first file with its 90% interval, and the plan targets' status.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace plansim {

/// The years compared by default (when a file covers them).
inline constexpr int kCompareYears[] = {2025, 2035};

struct CompareOptions {
  std::string format = "table";  // table, csv, markdown or json
  /// "full": every indicator and every target; "summary": the targets and their differences
  /// only, one column per file; "auto": summary for more than two files, else full.
  std::string view = "auto";
  std::vector<int> years;     // years shown (indicators; targets of these years); empty = default
  bool bom = false;           // start the output with a UTF-8 byte order mark (Excel and CSV)
  std::size_t max_width = 0;  // terminal width; below 120 the compact layout (0 = no limit)
};

/// Formats: "table" (aligned for a terminal, CJK-aware), "csv" (one tidy table: a row per
/// indicator × file × year, per target × file and per observed figure × file; the summary view
/// keeps the target rows), "markdown".
///
/// The full view ends with "Against observed years" when the files hold a hindcast: per observed
/// figure and file the simulated mean [5th, 95th], the error and whether the interval meets the
/// figure (CSV section "hindcast", columns observed and within_interval).
///
/// The summary view answers "which scenario meets which target": per target year, a row per
/// target and a column per file with P(met), the status (✓ met, ~ at risk, ✗ missed) and, for
/// the files after the first, ΔP(met) in points.
///
/// Values are ensemble means with the 5th-95th percentile range (type-7 quantiles, as in
/// /summary). Δ is file − first file: the mean and the 5th-95th percentiles of the replicate
/// differences — paired replicate by replicate when both files have the same seed and the same
/// replicate numbers (common random numbers), otherwise over all pairs of replicates.
///
/// Files of different results schema versions or of different cities are refused: exit status 2
/// with a message naming the files; an unreadable file gives status 1. Errors go to `err`.
int compare_command(const std::vector<std::string>& files, const CompareOptions& options,
                    std::ostream& out, std::ostream& err);
/// The full or automatic view in `format`, no width limit.
int compare_command(const std::vector<std::string>& files, const std::string& format,
                    std::ostream& out, std::ostream& err);
/// As above with errors on std::cerr.
int compare_command(const std::vector<std::string>& files, const std::string& format,
                    std::ostream& out);

}  // namespace plansim

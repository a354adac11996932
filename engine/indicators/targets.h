// Plan targets: what a plan promises for an indicator, by when, and how to tell whether a
// simulated series meets it. Read from configs/<city>/targets.yaml (see docs/scorecard.md).
//
// A target scores one quantity computed from one indicator series of one replicate:
//   level — the indicator in the target year (GDP ≥ 1000 亿元 in 2025);
//   average_growth — compound annual growth over a period, % a year (≥ 8 % a year, 2021-2025);
//   average_growth_from_rates — the same from a series of yearly growth rates g (%):
//     (Π (1 + g / 100))^(1/n) - 1 over the n years of the period (productivity ≥ 4 % a year);
//   cumulative — the sum of the yearly values over a period (new jobs ≥ 10 万, 2021-2025);
//   change — the value at the end minus the value before the period, in the indicator's unit
//     (percentage points for shares: +5 points, 2021-2025).
// A period "2021-2025" starts from the value of 2020 (growth, change) and sums 2021..2025
// (cumulative), as five-year plans count.
//
// The name conversions are inline so that io/ can write and read targets without linking this
// module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "core/params.h"

namespace plansim {

enum class TargetMeasure : std::uint8_t {
  Level,
  AverageGrowth,
  AverageGrowthFromRates,
  Cumulative,
  Change
};
enum class TargetComparison : std::uint8_t { AtLeast, AtMost, Above, Below };
/// 预期性 (expected, indicative) or 约束性 (binding).
enum class TargetAttribute : std::uint8_t { Expected, Binding, Unspecified };
/// Who set the target.
enum class TargetLevel : std::uint8_t { National, Provincial, City, District, Unspecified };

struct Target {
  std::string key;        // unique; the name of /targets/<key>
  std::string indicator;  // the series scored (/indicators/<indicator>)
  TargetMeasure measure = TargetMeasure::Level;
  TargetComparison comparison = TargetComparison::AtLeast;
  double value = 0;  // in `unit`
  /// Level: the target year. Other measures: the period runs from first_year to year.
  int first_year = 0;
  int year = 0;
  /// Unit of `value`: for growth "% per year", for change e.g. "percentage points".
  std::string unit;
  std::string label_zh, label_en;
  TargetAttribute attribute = TargetAttribute::Unspecified;
  TargetLevel level = TargetLevel::Unspecified;
  std::string source;      // where the figure comes from (table of the plan, page, ...)
  std::string assumption;  // non-empty when the target is a user assumption: the rationale
  SourceLoc loc;           // where the target is defined (empty when read back from a results file)

  /// The year whose value is the base of growth and change (first_year - 1); `year` for levels.
  /// (Cumulative sums and growth from rates read the years first_year..year only.)
  int base_year() const { return measure == TargetMeasure::Level ? year : first_year - 1; }
};

/// Status of a target from the probability of meeting it (share of replicates):
/// met when P ≥ met_at_least, missed when P ≤ missed_at_most, at risk in between.
struct StatusThresholds {
  double met_at_least = 0.9;
  double missed_at_most = 0.1;
};

struct Targets {
  std::string plan_zh, plan_en;  // the plan's name
  std::string plan_source;       // its issue date, table, ...
  StatusThresholds thresholds;
  std::vector<Target> targets;  // in file order
  const Target* find(std::string_view key) const;
};

/// Reads and validates a targets file (the tree of targets.yaml): every problem goes to diags at
/// its location, and the targets that are valid are returned. Keys nobody asked for are left to
/// the caller's report_unused(): Simulation::configure does it for every city file that was read
/// before it, so read the file first, through `city.find("targets")` (which marks it read).
Targets read_targets(const ParamNode& targets_file, Diagnostics& diags);

/// The quantity a target scores, from one replicate's series `values` aligned with `years`.
/// NaN when a year the measure needs is not in `years` or its value is NaN, and for growth
/// from a base that is not positive.
double scored_value(const Target& target, const std::vector<int>& years,
                    const std::vector<double>& values);
/// Whether `scored` meets the target; false for NaN.
bool target_met(const Target& target, double scored);
/// One line, e.g. "≥ 1000 亿元 in 2025", "average growth ≥ 8 % per year, 2021-2025",
/// "change ≥ +5 percentage points, 2021-2025", "sum ≥ 10 万人, 2021-2025".
std::string describe_target(const Target& target);

// ---- names, as written in targets.yaml and in results files ----

inline constexpr std::string_view measure_name(TargetMeasure m) {
  switch (m) {
    case TargetMeasure::Level:
      return "level";
    case TargetMeasure::AverageGrowth:
      return "average_growth";
    case TargetMeasure::AverageGrowthFromRates:
      return "average_growth_from_rates";
    case TargetMeasure::Cumulative:
      return "cumulative";
    case TargetMeasure::Change:
      return "change";
  }
  return "level";
}
inline constexpr std::string_view comparison_symbol(TargetComparison c) {
  switch (c) {
    case TargetComparison::AtLeast:
      return ">=";
    case TargetComparison::AtMost:
      return "<=";
    case TargetComparison::Above:
      return ">";
    case TargetComparison::Below:
      return "<";
  }
  return ">=";
}
inline constexpr std::string_view attribute_name(TargetAttribute a) {
  switch (a) {
    case TargetAttribute::Expected:
      return "expected";
    case TargetAttribute::Binding:
      return "binding";
    case TargetAttribute::Unspecified:
      return "unspecified";
  }
  return "unspecified";
}
inline constexpr std::string_view level_name(TargetLevel l) {
  switch (l) {
    case TargetLevel::National:
      return "national";
    case TargetLevel::Provincial:
      return "provincial";
    case TargetLevel::City:
      return "city";
    case TargetLevel::District:
      return "district";
    case TargetLevel::Unspecified:
      return "unspecified";
  }
  return "unspecified";
}

/// The enum value whose name is `text`, if any (inverse of the functions above).
template <class Enum, std::size_t N>
std::optional<Enum> enum_from_name(std::string_view text, std::string_view (*name)(Enum),
                                   const Enum (&values)[N]) {
  for (Enum v : values)
    if (name(v) == text) return v;
  return std::nullopt;
}
inline constexpr TargetMeasure kAllMeasures[] = {TargetMeasure::Level, TargetMeasure::AverageGrowth,
                                                 TargetMeasure::AverageGrowthFromRates,
                                                 TargetMeasure::Cumulative, TargetMeasure::Change};
inline constexpr TargetComparison kAllComparisons[] = {
    TargetComparison::AtLeast, TargetComparison::AtMost, TargetComparison::Above,
    TargetComparison::Below};
inline constexpr TargetAttribute kAllAttributes[] = {
    TargetAttribute::Expected, TargetAttribute::Binding, TargetAttribute::Unspecified};
inline constexpr TargetLevel kAllLevels[] = {TargetLevel::National, TargetLevel::Provincial,
                                             TargetLevel::City, TargetLevel::District,
                                             TargetLevel::Unspecified};

}  // namespace plansim

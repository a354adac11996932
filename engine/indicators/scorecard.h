// The plan scorecard: for every target, the scored quantity over the replicates of a run (mean,
// 5th and 95th percentiles), the probability of meeting the target (the share of replicates that
// meet it) and a status from that probability (thresholds in Targets::thresholds, documented in
// docs/scorecard.md). Targets whose indicator the run does not record, or whose years lie
// outside the run, are kept with status "not simulated" and the reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/results.h"
#include "indicators/targets.h"

namespace plansim {

enum class TargetStatus : std::uint8_t { Met, AtRisk, Missed, NotSimulated };

inline constexpr std::string_view status_name(TargetStatus s) {
  switch (s) {
    case TargetStatus::Met:
      return "met";
    case TargetStatus::AtRisk:
      return "at risk";
    case TargetStatus::Missed:
      return "missed";
    case TargetStatus::NotSimulated:
      return "not simulated";
  }
  return "not simulated";
}
inline constexpr TargetStatus kAllStatuses[] = {TargetStatus::Met, TargetStatus::AtRisk,
                                                TargetStatus::Missed, TargetStatus::NotSimulated};

/// Met when probability ≥ met_at_least, missed when ≤ missed_at_most, at risk in between;
/// not simulated for NaN.
TargetStatus classify(double probability, const StatusThresholds& thresholds);

struct ScorecardRow {
  Target target;
  bool exogenous = false;  // the indicator is an exogenous trajectory, not simulated behaviour
  std::uint32_t replicates = 0;       // replicates with a value of the scored quantity
  double mean = 0, p05 = 0, p95 = 0;  // of the scored quantity (NaN when not simulated)
  double probability_met = 0;         // share of those replicates meeting the target (NaN: none)
  TargetStatus status = TargetStatus::NotSimulated;
  std::string note;  // why a target is not simulated
};

struct Scorecard {
  std::string plan_zh, plan_en;
  StatusThresholds thresholds;
  std::uint32_t replicates = 0;    // in the ensemble
  std::vector<ScorecardRow> rows;  // in the order of the targets file
  /// What the intervals and P(met) carry, said under the title: e.g. "5 uncertain parameters
  /// (city config) and Monte Carlo noise" (set by the caller; "" says nothing).
  std::string uncertainty;
};

/// The Monte Carlo standard error of a share p of n replicates, √(p(1 − p)/n) (NaN for n = 0).
double probability_standard_error(double p, std::uint32_t n);

/// Replicates that bring the standard error of a share p within `distance` of a threshold at two
/// standard errors: ⌈4 p (1 − p) / distance²⌉ (0 when p is 0 or 1 or distance is not positive).
std::uint32_t replicates_to_settle(double p, double distance);

/// Scores every target on the replicates of one run. The catalog tells which indicators are
/// exogenous. Statistics follow ensemble.h (type-7 quantiles; independent of replicate order).
Scorecard compute_scorecard(const Targets& targets, const std::vector<ReplicateResults>& replicates,
                            const SeriesCatalog& catalog);

/// The goal in a table grouped by target year: "≥ 1000 亿元", "growth ≥ 8 % per year since 2020",
/// "sum 2021-2025 ≥ 10 万人", "change ≥ +5 percentage points since 2020". `compact`: "≥ 1000 亿元",
/// "≥ 8 %/yr", "Σ21-25 ≥ 10 万人", "Δ ≥ +5 points".
std::string short_goal(const Target& target, bool compact);

/// The compact table printed at the end of `plansim run`: one block per target year (2025,
/// 2035, ...), one line per target with the goal, the simulated mean [5th, 95th percentile],
/// P(met) and the status; exogenous indicators are marked; the targets not simulated in this run
/// are listed at the end. "" when there are no targets. `max_width` is the terminal's width
/// (0 = no limit); below 120 columns the compact layout drops the target keys and the
/// intervals, marks exogenous (*) and assumed (†) targets and cuts labels to fit.
std::string format_scorecard(const Scorecard& scorecard, std::size_t max_width = 0);

}  // namespace plansim

#include "indicators/scorecard.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>

#include "core/text.h"
#include "indicators/ensemble.h"
#include "indicators/exogenous.h"

namespace plansim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The years a target reads, as an inclusive range.
std::pair<int, int> needed_years(const Target& t) {
  if (t.measure == TargetMeasure::Level) return {t.year, t.year};
  if (t.measure == TargetMeasure::Cumulative || t.measure == TargetMeasure::AverageGrowthFromRates)
    return {t.first_year, t.year};
  return {t.base_year(), t.year};
}

std::string range_text(int first, int last) {
  return first == last ? std::to_string(first) : std::to_string(first) + "-" + std::to_string(last);
}

ScorecardRow not_simulated(ScorecardRow row, std::string note) {
  row.mean = row.p05 = row.p95 = row.probability_met = kNaN;
  row.replicates = 0;
  row.status = TargetStatus::NotSimulated;
  row.note = std::move(note);
  return row;
}

}  // namespace

std::string short_goal(const Target& t, bool compact) {
  std::string symbol;
  switch (t.comparison) {
    case TargetComparison::AtLeast:
      symbol = "≥ ";
      break;
    case TargetComparison::AtMost:
      symbol = "≤ ";
      break;
    case TargetComparison::Above:
      symbol = "> ";
      break;
    case TargetComparison::Below:
      symbol = "< ";
      break;
  }
  const std::string value = format_plain(t.value) + " " + t.unit;
  const std::string since = " since " + std::to_string(t.first_year - 1);
  if (compact) {
    std::string unit = t.unit;
    if (unit == "% per year") unit = "%/yr";
    if (unit == "percentage points") unit = "points";
    const std::string compact_value = format_plain(t.value) + " " + unit;
    switch (t.measure) {
      case TargetMeasure::Level:
      case TargetMeasure::AverageGrowth:
      case TargetMeasure::AverageGrowthFromRates:
        return symbol + compact_value;
      case TargetMeasure::Cumulative:
        return "Σ" + std::to_string(t.first_year % 100) + "-" + std::to_string(t.year % 100) + " " +
               symbol + compact_value;
      case TargetMeasure::Change:
        return "Δ " + symbol + (t.value > 0 ? "+" : "") + compact_value;
    }
  }
  switch (t.measure) {
    case TargetMeasure::Level:
      return symbol + value;
    case TargetMeasure::AverageGrowth:
    case TargetMeasure::AverageGrowthFromRates:
      return "growth " + symbol + value + since;
    case TargetMeasure::Cumulative:
      return "sum " + std::to_string(t.first_year) + "-" + std::to_string(t.year) + " " + symbol +
             value;
    case TargetMeasure::Change:
      return "change " + symbol + (t.value > 0 ? "+" : "") + value + since;
  }
  return value;
}

namespace {

std::string percent(double probability) {
  if (std::isnan(probability)) return "–";
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%.0f%%", probability * 100.0);
  return buffer;
}

// "73% ± 6": P(met) with its Monte Carlo standard error in points.
std::string percent_with_error(double probability, std::uint32_t replicates) {
  std::string text = percent(probability);
  const double se = probability_standard_error(probability, replicates);
  if (replicates < 2 || std::isnan(se)) return text;
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, " ± %.0f", se * 100.0);
  return text + buffer;
}

}  // namespace

double probability_standard_error(double p, std::uint32_t n) {
  if (n == 0 || std::isnan(p)) return std::numeric_limits<double>::quiet_NaN();
  return std::sqrt(p * (1 - p) / static_cast<double>(n));
}

std::uint32_t replicates_to_settle(double p, double distance) {
  if (!(distance > 0) || !(p > 0 && p < 1)) return 0;
  const double n = std::ceil(4 * p * (1 - p) / (distance * distance));
  return n > 1e9 ? 1000000000u : static_cast<std::uint32_t>(n);
}

TargetStatus classify(double probability, const StatusThresholds& thresholds) {
  if (std::isnan(probability)) return TargetStatus::NotSimulated;
  if (probability >= thresholds.met_at_least) return TargetStatus::Met;
  if (probability <= thresholds.missed_at_most) return TargetStatus::Missed;
  return TargetStatus::AtRisk;
}

Scorecard compute_scorecard(const Targets& targets, const std::vector<ReplicateResults>& replicates,
                            const SeriesCatalog& catalog) {
  Scorecard card;
  card.plan_zh = targets.plan_zh;
  card.plan_en = targets.plan_en;
  card.thresholds = targets.thresholds;
  card.replicates = static_cast<std::uint32_t>(replicates.size());
  const std::vector<int> years = replicates.empty() ? std::vector<int>{} : replicates.front().years;

  std::vector<double> scored;
  scored.reserve(replicates.size());
  for (const Target& target : targets.targets) {
    ScorecardRow row;
    row.target = target;
    const SeriesInfo* info = catalog.find(target.indicator, SeriesKind::Indicator);
    row.exogenous = info && is_exogenous_description(info->description);

    const bool recorded =
        !replicates.empty() &&
        std::all_of(replicates.begin(), replicates.end(), [&](const ReplicateResults& r) {
          return r.indicators.count(target.indicator) > 0;
        });
    if (!recorded) {
      card.rows.push_back(not_simulated(
          std::move(row), "indicator '" + target.indicator + "' is not recorded in this run"));
      continue;
    }
    const auto [first, last] = needed_years(target);
    const bool covered = !years.empty() && first >= years.front() && last <= years.back();
    if (!covered) {
      card.rows.push_back(not_simulated(
          std::move(row), "the target needs " + range_text(first, last) + "; the run covers " +
                              range_text(years.front(), years.back())));
      continue;
    }
    scored.clear();
    std::size_t met = 0;
    for (const ReplicateResults& r : replicates) {
      const double value =
          scored_value(target, r.years, r.indicators.find(target.indicator)->second);
      if (std::isnan(value)) continue;
      scored.push_back(value);
      met += target_met(target, value);
    }
    if (scored.empty()) {
      card.rows.push_back(
          not_simulated(std::move(row), "'" + target.indicator + "' has no usable value in " +
                                            range_text(first, last) +
                                            (target.measure == TargetMeasure::AverageGrowth
                                                 ? " (growth needs a positive base-year value)"
                                                 : "")));
      continue;
    }
    const Distribution d = distribution(scored);
    row.replicates = static_cast<std::uint32_t>(d.count);
    row.mean = d.mean;
    row.p05 = d.p05;
    row.p95 = d.p95;
    row.probability_met = static_cast<double>(met) / static_cast<double>(scored.size());
    row.status = classify(row.probability_met, card.thresholds);
    card.rows.push_back(std::move(row));
  }
  return card;
}

std::string format_scorecard(const Scorecard& card, std::size_t max_width) {
  if (card.rows.empty()) return "";
  const bool ensemble = card.replicates > 1;
  const bool one_draw = card.replicates == 1;
  const bool compact = is_compact(max_width);
  std::string title = "Plan targets";
  if (!card.plan_en.empty() || !card.plan_zh.empty())
    title += " — " + card.plan_en + (card.plan_zh.empty() ? "" : " (" + card.plan_zh + ")");
  std::string key = std::to_string(card.replicates) + " replicate" + (ensemble ? "s" : "") + "; " +
                    std::string(compact ? "value" : "simulated") + " = " +
                    (ensemble && !compact ? "mean [5th, 95th percentile]"
                     : ensemble           ? "mean"
                                          : "value") +
                    " in the goal's unit; P(met) = share of replicates meeting the target; met if "
                    "P ≥ " +
                    format_plain(card.thresholds.met_at_least) + ", missed if P ≤ " +
                    format_plain(card.thresholds.missed_at_most) + ", at risk between";
  if (compact)
    key +=
        "; goals: growth is average growth over the plan period, Σ a sum, Δ a change from "
        "the year before it; * exogenous trajectory, † assumed target";
  std::string out = "\n" + wrap_to_width(title, max_width, "  ") + "\n  " +
                    wrap_to_width(key, max_width ? max_width - 2 : 0, "  ") + "\n";
  // What P(met) and the intervals carry, and how precise P(met) is.
  std::string precision;
  if (!card.uncertainty.empty()) precision = "Intervals and P(met) carry " + card.uncertainty + ".";
  if (ensemble) {
    precision += std::string(precision.empty() ? "" : " ") +
                 "P(met) ± its Monte Carlo standard error in points";
    const double bound = 3.0 / card.replicates;  // the rule of three (95%)
    if (bound < 0.5)
      precision += "; 0% means a true share below " + percent(bound) + ", 100% one above " +
                   percent(1 - bound) + " (95%)";
    precision += ".";
  }
  if (!precision.empty())
    out += "  " + wrap_to_width(precision, max_width ? max_width - 2 : 0, "  ") + "\n";

  std::set<int> years;
  for (const ScorecardRow& row : card.rows)
    if (row.status != TargetStatus::NotSimulated) years.insert(row.target.year);
  using A = TextTable::Align;
  for (int year : years) {
    // The compact layout (narrow terminals) drops the target keys and the intervals and marks
    // exogenous and assumed targets with * and †.
    std::vector<std::string> header{std::to_string(year) + " 指标",  "target", "goal",
                                    compact ? "value" : "simulated", "P(met)", "status"};
    std::vector<A> align{A::Left, A::Left, A::Left, A::Right, A::Right, A::Left};
    if (compact) {
      header.erase(header.begin() + 1);
      align.erase(align.begin() + 1);
    }
    TextTable table(header, align);
    table.shrinkable(compact ? 1 : 2);  // the goal, then the label, may be cut to fit
    table.shrinkable(0);
    for (const ScorecardRow& row : card.rows) {
      if (row.status == TargetStatus::NotSimulated || row.target.year != year) continue;
      const Target& t = row.target;
      std::string simulated = format_value(row.mean);
      // Exogenous and deterministic series have no spread.
      if (ensemble && !compact && row.p05 != row.p95)
        simulated += " [" + format_value(row.p05) + ", " + format_value(row.p95) + "]";
      std::vector<std::string> cells;
      if (compact) {
        cells = {t.label_zh + (row.exogenous ? " *" : "") + (t.assumption.empty() ? "" : " †"),
                 short_goal(t, true)};
      } else {
        cells = {t.label_zh,
                 t.key + (row.exogenous ? " (exogenous)" : "") +
                     (t.assumption.empty() ? "" : " (assumed)"),
                 short_goal(t, false)};
      }
      cells.push_back(simulated);
      if (one_draw) {
        // One draw says whether it meets the target, not how likely the target is met.
        cells.push_back("–");
        cells.push_back(row.probability_met > 0.5 ? "met by 1 draw" : "missed by 1 draw");
      } else {
        cells.push_back(percent_with_error(row.probability_met, row.replicates));
        cells.push_back(std::string(status_name(row.status)));
      }
      table.add(std::move(cells));
    }
    out += "\n" + table.terminal("  ", max_width);
  }

  // How many replicates a stable answer needs: a status whose P(met) lies within two standard
  // errors of a threshold may change with more replicates.
  std::size_t unsettled = 0;
  std::uint32_t needed = 0;
  double largest_error = 0;
  for (const ScorecardRow& row : card.rows) {
    if (row.status == TargetStatus::NotSimulated || row.replicates < 2) continue;
    const double p = row.probability_met;
    const double se = probability_standard_error(p, row.replicates);
    largest_error = std::max(largest_error, se);
    const double distance = std::min(std::abs(p - card.thresholds.met_at_least),
                                     std::abs(p - card.thresholds.missed_at_most));
    if (se > 0 && distance < 2 * se) {
      ++unsettled;
      // At a threshold itself, settle it to within 2 points.
      needed = std::max(needed, replicates_to_settle(p, std::max(distance, 0.02)));
    }
  }
  if (one_draw) {
    // A planner's first run is often a single replicate: say plainly what it cannot tell.
    const std::uint32_t ensemble_size = replicates_to_settle(0.5, 0.1);
    const std::string note =
        "One replicate is one draw of " +
        std::string(card.uncertainty.empty() ? "the Monte Carlo noise"
                                             : "the uncertain assumptions and the Monte Carlo "
                                               "noise") +
        ": it shows whether that draw meets each target, not how likely the target is to be "
        "met, so it estimates no P(met) and no status. An ensemble does: " +
        std::to_string(ensemble_size) + " replicates (--replicates " +
        std::to_string(ensemble_size) +
        ") keep every standard error of P(met) within 5 points; a 10% sample (--scale 0.1) keeps "
        "such a run quick.";
    const std::size_t width = max_width ? max_width : 100;
    out += "\n  " + wrap_to_width(note, width - 2, "  ") + "\n";
  }
  if (ensemble) {
    std::string note;
    if (unsettled > 0)
      note = std::to_string(unsettled) + " target" + (unsettled > 1 ? "s have" : " has") +
             " a P(met) within two standard errors of a status threshold: about " +
             std::to_string(needed) + " replicates (--replicates " + std::to_string(needed) +
             ") would settle " + (unsettled > 1 ? "their" : "its") + " status.";
    else
      note = "Every status is at least two standard errors from a threshold: stable at " +
             std::to_string(card.replicates) + " replicates.";
    if (largest_error > 0.05)
      note += " Standard errors reach " +
              percent(largest_error).substr(0, percent(largest_error).size() - 1) + " points; " +
              std::to_string(replicates_to_settle(0.5, 0.1)) +
              " replicates keep every one within 5.";
    const std::size_t width = max_width ? max_width : 100;
    out += "\n  " + wrap_to_width(note, width - 2, "  ") + "\n";
  }

  std::vector<const ScorecardRow*> skipped;
  for (const ScorecardRow& row : card.rows)
    if (row.status == TargetStatus::NotSimulated) skipped.push_back(&row);
  if (!skipped.empty()) {
    std::string list;
    for (std::size_t i = 0; i < skipped.size(); ++i)
      list += skipped[i]->target.key + (i + 1 < skipped.size() ? ", " : "");
    const std::size_t width = max_width ? std::min<std::size_t>(max_width, 100) : 100;
    out += "\n  Not simulated in this run (" + std::to_string(skipped.size()) + "):\n    " +
           wrap_to_width(list, width - 4, "    ") + "\n";
  }
  return out;
}

}  // namespace plansim

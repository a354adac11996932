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

}  // namespace

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
      cells.push_back(percent(row.probability_met));
      cells.push_back(std::string(status_name(row.status)));
      table.add(std::move(cells));
    }
    out += "\n" + table.terminal("  ", max_width);
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

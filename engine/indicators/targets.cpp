#include "indicators/targets.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "core/text.h"
#include "indicators/yaml_fields.h"

namespace plansim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::int64_t kFirstYear = 1900, kLastYear = 2200;  // same bounds as run.start/run.end

template <class Enum, std::size_t N>
std::string list_names(std::string_view (*name)(Enum), const Enum (&values)[N]) {
  std::string out;
  for (Enum v : values) out += (out.empty() ? "" : ", ") + std::string(name(v));
  return out;
}

/// Reads the enum named at `key` of `node`; an unknown name is an error with a hint. Empty when
/// the key is absent (an error too when `required`) or wrong.
template <class Enum, std::size_t N>
std::optional<Enum> read_choice(const ParamNode& node, std::string_view key, bool required,
                                std::string_view (*name)(Enum), const Enum (&values)[N],
                                const char* what, Diagnostics& diags) {
  const ParamNode* value = required ? node.require(key, diags) : node.find(key);
  if (!value) return std::nullopt;
  const std::optional<std::string> text = value->as_string(diags);
  if (!text) return std::nullopt;
  if (const auto parsed = enum_from_name(*text, name, values)) return parsed;
  std::vector<std::string> names;
  for (Enum v : values) names.emplace_back(name(v));
  const std::string hint = closest_match(*text, names);
  diags.error(value->loc(), value->path() + ": unknown " + what + " '" + *text + "' (" +
                                (hint.empty() ? "" : "did you mean '" + hint + "'?; ") + "one of " +
                                list_names(name, values) + ")");
  return std::nullopt;
}

/// "2021-2025" -> (2021, 2025); errors at the value.
bool read_period(const ParamNode& value, int& first, int& last, Diagnostics& diags) {
  const std::optional<std::string> text = value.as_string(diags);
  if (!text) return false;
  const std::size_t dash = text->find('-');
  std::int64_t a = 0, b = 0;
  const auto parse = [](std::string_view s, std::int64_t& out) {
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
  };
  if (dash == std::string::npos || !parse(std::string_view(*text).substr(0, dash), a) ||
      !parse(std::string_view(*text).substr(dash + 1), b)) {
    diags.error(value.loc(), value.path() +
                                 ": expected a period 'first-last' such as \"2021-2025\", "
                                 "got '" +
                                 *text + "'");
    return false;
  }
  if (a < kFirstYear || b > kLastYear || a > b) {
    diags.error(value.loc(), value.path() + ": period '" + *text + "' must run forward between " +
                                 std::to_string(kFirstYear) + " and " + std::to_string(kLastYear));
    return false;
  }
  first = static_cast<int>(a);
  last = static_cast<int>(b);
  return true;
}

std::optional<Target> read_target(const std::string& key, const SourceLoc& key_loc,
                                  const ParamNode& node, Diagnostics& diags) {
  const std::size_t errors_before = diags.size();
  Target t;
  t.key = key;
  t.loc = key_loc;
  if (!is_plain_key(key))
    diags.error(key_loc, node.path() + ": target key '" + key +
                             "' must consist of letters, digits and '_' (it names /targets/<key> "
                             "in results files)");
  if (!node.is_map()) {
    diags.error(node.loc(), node.path() +
                                ": expected a map (indicator, measure, comparison, "
                                "value, year or period, unit, labels, source)");
    return std::nullopt;
  }
  t.indicator = node.string("indicator", key, diags);
  if (const ParamNode* indicator = node.find("indicator"); indicator && !is_plain_key(t.indicator))
    diags.error(indicator->loc(), indicator->path() + ": indicator key '" + t.indicator +
                                      "' must consist of letters, digits and '_'");
  t.label_zh = required_text(node, "label_zh", diags);
  t.label_en = required_text(node, "label_en", diags);
  t.unit = required_text(node, "unit", diags);
  const std::optional<TargetMeasure> measure =
      read_choice(node, "measure", true, measure_name, kAllMeasures, "measure", diags);
  t.comparison =
      read_choice(node, "comparison", true, comparison_symbol, kAllComparisons, "comparison", diags)
          .value_or(TargetComparison::AtLeast);
  t.value = node.required_number("value", diags);
  t.attribute =
      read_choice(node, "attribute", false, attribute_name, kAllAttributes, "attribute", diags)
          .value_or(TargetAttribute::Unspecified);
  t.level = read_choice(node, "level", false, level_name, kAllLevels, "level", diags)
                .value_or(TargetLevel::Unspecified);
  t.source = node.string("source", "", diags);
  t.assumption = node.string("assumption", "", diags);
  if (t.source.empty() && t.assumption.empty())
    diags.error(node.loc(), node.path() +
                                ": say where the target comes from (source: ...) or, "
                                "for a user assumption, why (assumption: ...)");

  // When: a level has a year; the other measures have a period. Without a valid measure there
  // is nothing to check them against.
  const ParamNode* year = node.find("year");
  const ParamNode* period = node.find("period");
  if (!measure) {
    if (year) year->mark_all_used();
    if (period) period->mark_all_used();
    return std::nullopt;
  }
  t.measure = *measure;
  if (t.measure == TargetMeasure::Level) {
    if (period)
      diags.error(period->loc(), period->path() +
                                     ": a level target is scored in one year: give "
                                     "'year', not 'period'");
    const ParamNode* y = node.require("year", diags);
    if (y) {
      const auto v = y->as_integer(diags, kFirstYear, kLastYear);
      t.year = t.first_year = static_cast<int>(v.value_or(0));
    }
  } else {
    if (year)
      diags.error(year->loc(), year->path() + ": a " + std::string(measure_name(t.measure)) +
                                   " target is scored over a period: give 'period' (e.g. "
                                   "\"2021-2025\"), not 'year'");
    const ParamNode* p = node.require("period", diags);
    if (p) read_period(*p, t.first_year, t.year, diags);
  }
  if (diags.size() != errors_before) return std::nullopt;
  return t;
}

}  // namespace

const Target* Targets::find(std::string_view key) const {
  for (const Target& t : targets)
    if (t.key == key) return &t;
  return nullptr;
}

Targets read_targets(const ParamNode& file, Diagnostics& diags) {
  Targets out;
  if (!file.is_map()) {
    diags.error(file.loc(), "targets file: expected a map with 'plan', 'status' and 'targets'");
    return out;
  }
  if (const ParamNode* plan = file.find("plan")) {
    if (plan->is_map()) {
      out.plan_zh = required_text(*plan, "name_zh", diags);
      out.plan_en = required_text(*plan, "name_en", diags);
      out.plan_source = plan->string("source", "", diags);
    } else {
      diags.error(plan->loc(), "plan: expected a map with name_zh, name_en and source");
    }
  }
  if (const ParamNode* status = file.find("status")) {
    if (status->is_map()) {
      StatusThresholds& s = out.thresholds;
      s.met_at_least = status->probability("met_at_least", s.met_at_least, diags);
      s.missed_at_most = status->probability("missed_at_most", s.missed_at_most, diags);
      if (s.missed_at_most >= s.met_at_least)
        diags.error(status->loc(), "status: missed_at_most (" + format_plain(s.missed_at_most) +
                                       ") must be below met_at_least (" +
                                       format_plain(s.met_at_least) + ")");
    } else {
      diags.error(status->loc(), "status: expected a map with met_at_least and missed_at_most");
    }
  }
  const ParamNode* list = file.require("targets", diags);
  if (!list) return out;
  if (!list->is_map()) {
    diags.error(list->loc(), "targets: expected a map from target key to its definition");
    return out;
  }
  for (const ParamNode::Entry& entry : list->entries()) {
    const ParamNode* node = list->find(entry.key);  // marks it read
    if (auto target = read_target(entry.key, entry.key_loc, *node, diags))
      out.targets.push_back(std::move(*target));
  }
  return out;
}

double scored_value(const Target& target, const std::vector<int>& years,
                    const std::vector<double>& values) {
  const std::size_t n = std::min(years.size(), values.size());
  const auto value_in = [&](int year) {
    for (std::size_t k = 0; k < n; ++k)
      if (years[k] == year) return values[k];
    return kNaN;
  };
  switch (target.measure) {
    case TargetMeasure::Level:
      return value_in(target.year);
    case TargetMeasure::AverageGrowth: {
      const double base = value_in(target.base_year()), end = value_in(target.year);
      if (!(base > 0) || !(end >= 0)) return kNaN;
      const double span = target.year - target.base_year();
      return (std::pow(end / base, 1.0 / span) - 1.0) * 100.0;
    }
    case TargetMeasure::AverageGrowthFromRates: {
      double factor = 1;
      for (int y = target.first_year; y <= target.year; ++y) factor *= 1 + value_in(y) / 100;
      if (!(factor > 0)) return kNaN;  // NaN (a missing year) or a fall of 100% or more
      const double span = target.year - target.first_year + 1;
      return (std::pow(factor, 1.0 / span) - 1.0) * 100.0;
    }
    case TargetMeasure::Cumulative: {
      double sum = 0;
      for (int y = target.first_year; y <= target.year; ++y) sum += value_in(y);  // NaN spreads
      return sum;
    }
    case TargetMeasure::Change:
      return value_in(target.year) - value_in(target.base_year());
  }
  return kNaN;
}

bool target_met(const Target& target, double scored) {
  if (std::isnan(scored)) return false;
  switch (target.comparison) {
    case TargetComparison::AtLeast:
      return scored >= target.value;
    case TargetComparison::AtMost:
      return scored <= target.value;
    case TargetComparison::Above:
      return scored > target.value;
    case TargetComparison::Below:
      return scored < target.value;
  }
  return false;
}

std::string describe_target(const Target& t) {
  std::string symbol;
  switch (t.comparison) {
    case TargetComparison::AtLeast:
      symbol = "≥";
      break;
    case TargetComparison::AtMost:
      symbol = "≤";
      break;
    case TargetComparison::Above:
      symbol = ">";
      break;
    case TargetComparison::Below:
      symbol = "<";
      break;
  }
  const std::string period = ", " + std::to_string(t.first_year) + "-" + std::to_string(t.year);
  switch (t.measure) {
    case TargetMeasure::Level:
      return symbol + " " + format_plain(t.value) + " " + t.unit + " in " + std::to_string(t.year);
    case TargetMeasure::AverageGrowth:
      return "average growth " + symbol + " " + format_plain(t.value) + " " + t.unit + period;
    case TargetMeasure::AverageGrowthFromRates:
      return "average growth " + symbol + " " + format_plain(t.value) + " " + t.unit + period +
             " (from yearly rates)";
    case TargetMeasure::Cumulative:
      return "sum " + symbol + " " + format_plain(t.value) + " " + t.unit + period;
    case TargetMeasure::Change:
      return "change " + symbol + " " + (t.value > 0 ? "+" : "") + format_plain(t.value) + " " +
             t.unit + period;
  }
  return {};
}

}  // namespace plansim

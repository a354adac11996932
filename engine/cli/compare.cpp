#include "cli/compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <utility>

#include "cli/json_output.h"
#include "core/diagnostics.h"
#include "core/text.h"
#include "indicators/ensemble.h"
#include "indicators/exogenous.h"
#include "indicators/observed.h"
#include "indicators/paired.h"
#include "indicators/scorecard.h"
#include "io/hdf5_observed.h"
#include "io/hdf5_reader.h"
#include "io/hdf5_scorecard.h"

namespace plansim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const std::vector<std::string> kFormats = {"table", "csv", "markdown", "json"};

/// One results file as compare needs it.
struct Run {
  std::string path;
  std::string scenario;  // label in the tables
  ResultsIdentity identity;
  double seed = kNaN;
  std::vector<int> years;
  std::vector<unsigned> replicate_numbers;
  std::map<std::string, ResultsFile::Matrix> indicators;  // [replicate, year]
  std::map<std::string, SeriesInfo> info;
  StoredScorecard plan;
  StoredHindcast hindcast;  // against observed years (empty when the file has none)

  /// Values of one indicator in one year over the replicates (empty when absent).
  std::vector<double> values(const std::string& key, int year) const {
    const auto it = indicators.find(key);
    const auto y = std::find(years.begin(), years.end(), year);
    if (it == indicators.end() || y == years.end()) return {};
    const std::size_t column = static_cast<std::size_t>(y - years.begin());
    std::vector<double> out(it->second.rows);
    for (std::size_t r = 0; r < it->second.rows; ++r) out[r] = it->second.at(r, column);
    return out;
  }
};

Run load(const std::string& path, const ResultsIdentity& identity) {
  Run run;
  run.path = path;
  run.identity = identity;
  const ResultsFile file(path);
  file.verify();
  const auto numbers = file.meta_numbers();
  if (const auto seed = numbers.find("seed"); seed != numbers.end()) run.seed = seed->second;
  run.years = file.years();
  run.replicate_numbers = file.replicate_numbers();
  for (const std::string& key : file.keys("indicators")) {
    run.indicators.emplace(key, file.indicator(key));
    run.info.emplace(key, file.series_info("indicators", key));
  }
  run.plan = read_scorecard(path);
  run.hindcast = read_hindcast(path);
  run.scenario = identity.scenario_name.empty() ? std::filesystem::path(path).stem().string()
                                                : identity.scenario_name;
  return run;
}

/// Differences `other - first` in one year: paired by replicate when `paired`, else all pairs.
std::vector<double> differences(const std::vector<double>& first, const std::vector<double>& other,
                                bool paired) {
  std::vector<double> out;
  if (paired) {
    for (std::size_t r = 0; r < first.size() && r < other.size(); ++r)
      if (!std::isnan(first[r]) && !std::isnan(other[r])) out.push_back(other[r] - first[r]);
    return out;
  }
  out.reserve(first.size() * other.size());
  for (double b : other)
    for (double a : first)
      if (!std::isnan(a) && !std::isnan(b)) out.push_back(b - a);
  return out;
}

std::string with_interval(const Distribution& d, bool signed_, bool interval) {
  if (d.count == 0) return "–";
  std::string text = format_value(d.mean, signed_);
  if (interval)
    text += " [" + format_value(d.p05, signed_) + ", " + format_value(d.p95, signed_) + "]";
  return text;
}

std::string percent(double probability, bool signed_ = false) {
  if (std::isnan(probability)) return "–";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, signed_ ? "%+.0f%%" : "%.0f%%", probability * 100.0);
  std::string text = buffer;
  if (text == "+0%" || text == "-0%") text = "0%";
  return text;
}

std::string indicator_label(const SeriesInfo& info) {
  return info.label_en + (is_exogenous_description(info.description) ? " (exogenous)" : "");
}

const HindcastRow* find_hindcast(const Run& run, const std::string& key, int year) {
  for (const HindcastRow& row : run.hindcast.hindcast.rows)
    if (row.key == key && row.year == year) return &row;
  return nullptr;
}

const ScorecardRow* find_row(const Run& run, const std::string& target_key) {
  for (const ScorecardRow& row : run.plan.scorecard.rows)
    if (row.target.key == target_key) return &row;
  return nullptr;
}

/// A target of file i against the first file: the scored quantity and P(met), replicate by
/// replicate when the files are paired (indicators/paired.h).
struct TargetDelta {
  DifferenceTest value;
  ProportionTest met;
};

/// "significant (value and P(met))", "no significant difference", … for one target.
std::string difference_text(const TargetDelta& d) {
  if (std::isnan(d.value.p_value) && std::isnan(d.met.p_value)) return "–";
  if (!d.value.significant && !d.met.significant) return "no significant difference";
  if (d.value.significant && d.met.significant) return "significant (value and P(met))";
  if (d.value.significant) return "significant (value; P(met) n.s.)";
  return "significant (P(met))";
}

class Comparison {
 public:
  Comparison(std::vector<Run> runs, const CompareOptions& options)
      : runs_(std::move(runs)), options_(options) {
    std::vector<int> wanted(options.years.begin(), options.years.end());
    if (wanted.empty()) wanted.assign(std::begin(kCompareYears), std::end(kCompareYears));
    for (const Run& run : runs_) {
      for (const auto& [key, matrix] : run.indicators) {
        if (!info_.count(key)) info_.emplace(key, run.info.at(key));
      }
      for (const ScorecardRow& row : run.plan.scorecard.rows)
        if (std::find(target_keys_.begin(), target_keys_.end(), row.target.key) ==
            target_keys_.end())
          target_keys_.push_back(row.target.key);
      for (int year : wanted)
        if (std::find(run.years.begin(), run.years.end(), year) != run.years.end())
          years_.insert(year);
      for (const HindcastRow& row : run.hindcast.hindcast.rows)
        if (std::find(observed_.begin(), observed_.end(), std::make_pair(row.key, row.year)) ==
            observed_.end())
          observed_.emplace_back(row.key, row.year);
    }
    // Paired differences need the same random streams: same seed, same replicate numbers.
    for (const Run& run : runs_)
      paired_.push_back(run.seed == runs_.front().seed &&
                        run.replicate_numbers == runs_.front().replicate_numbers);
    // Two files of the same scenario name: tell them apart by file name.
    std::map<std::string, int> uses;
    for (const Run& run : runs_) ++uses[run.scenario];
    for (Run& run : runs_)
      if (uses[run.scenario] > 1)
        run.scenario += " (" + std::filesystem::path(run.path).filename().string() + ")";
  }

  bool no_years() const { return years_.empty(); }

  bool summary_view() const {
    return options_.view == "summary" || (options_.view == "auto" && runs_.size() > 2);
  }

  std::string render() const {
    const std::string& format = options_.format;
    if (format == "csv") return csv(summary_view());
    if (format == "json") return json_text(to_json());
    const bool markdown = format == "markdown";
    std::string out = header(markdown);
    if (summary_view()) return out + summary(markdown);
    out += markdown ? "\n## Indicators\n\n" : "\nIndicators\n";
    const TextTable indicators = indicator_table(!markdown);
    out += markdown ? indicators.markdown() : indicators.terminal("  ", options_.max_width);
    if (!target_keys_.empty()) {
      out += markdown ? "\n## Targets\n\n" : "\nTargets\n";
      const TextTable targets = target_table(!markdown);
      out += markdown ? targets.markdown() : targets.terminal("  ", options_.max_width);
    }
    if (!observed_.empty()) {
      out += markdown ? "\n## Against observed years 与观测年份对照\n\n"
                      : "\nAgainst observed years 与观测年份对照\n";
      const TextTable hindcast = hindcast_table(!markdown);
      out += markdown ? hindcast.markdown() : hindcast.terminal("  ", options_.max_width);
    }
    return out;
  }

  /// Targets × files: P(met), status mark and ΔP(met) from the first file, one block per year.
  std::string summary(bool markdown) const {
    using A = TextTable::Align;
    const bool compact = !markdown && is_compact(options_.max_width);
    std::string out =
        markdown ? "\n## Targets: P(met) by scenario\n\n"
                 : "\n" +
                       wrap_to_width(
                           "Targets: P(met) by scenario — ✓ met, ~ at risk, ✗ missed, – not "
                           "simulated" +
                               std::string(compact ? "; * exogenous" : "") +
                               std::string(runs_.size() > 1 && !compact
                                               ? "; (±N) change of P(met) from A in points, "
                                                 "where significant (paired test, p < 0.05); "
                                                 "(n.s.) a change within the noise"
                                               : ""),
                           options_.max_width, "  ") +
                       "\n";
    std::set<int> target_years;
    for (const std::string& key : target_keys_)
      for (const Run& run : runs_)
        if (const ScorecardRow* row = find_row(run, key))
          if (years_.count(row->target.year) || years_.empty())
            target_years.insert(row->target.year);
    for (int year : target_years) {
      std::vector<std::string> head{std::to_string(year) + " 指标", "target", "goal"};
      std::vector<A> align{A::Left, A::Left, A::Left};
      if (compact) {
        head.erase(head.begin() + 1, head.end());
        align.resize(1);
      }
      for (std::size_t i = 0; i < runs_.size(); ++i) {
        head.push_back(letter(i));
        align.push_back(A::Left);
      }
      TextTable table(head, align);
      table.shrinkable(0);
      if (!compact) table.shrinkable(1);
      std::size_t rows = 0;
      for (const std::string& key : target_keys_) {
        const ScorecardRow* first = find_row(runs_.front(), key);
        const ScorecardRow* any = first;
        for (const Run& run : runs_)
          if (!any) any = find_row(run, key);
        if (!any || any->target.year != year) continue;
        const Target& t = any->target;
        std::vector<std::string> cells{t.label_zh + (compact && any->exogenous ? " *" : "")};
        if (!compact)
          cells.insert(cells.end(),
                       {t.label_en + (any->exogenous ? " (exogenous)" : ""), describe_target(t)});
        bool simulated_anywhere = false;
        for (std::size_t i = 0; i < runs_.size(); ++i) {
          const ScorecardRow* row = find_row(runs_[i], key);
          const bool simulated = row && row->status != TargetStatus::NotSimulated;
          simulated_anywhere |= simulated;
          std::string cell =
              simulated ? status_mark(row->status) + " " + percent(row->probability_met) : "–";
          const bool both =
              simulated && i > 0 && first && first->status != TargetStatus::NotSimulated;
          if (both && !compact) {
            // A change of P(met) is shown where the test finds it; noise reads "n.s.".
            const double delta = std::round((row->probability_met - first->probability_met) * 100);
            const std::optional<TargetDelta> test = target_delta(i, *first, *row);
            if (delta != 0 && test && test->met.significant)
              cell += " (" + std::string(delta > 0 ? "+" : "") +
                      std::to_string(static_cast<long>(delta)) + ")";
            else if (delta != 0)
              cell += " (n.s.)";
          }
          cells.push_back(cell);
        }
        if (!simulated_anywhere) continue;  // listed in no file's run: nothing to compare
        table.add(std::move(cells));
        ++rows;
      }
      if (rows == 0) continue;
      out += markdown ? table.markdown() + "\n" : "\n" + table.terminal("  ", options_.max_width);
    }
    return out;
  }

  static std::string letter(std::size_t i) {
    return std::string(1, static_cast<char>('A' + i % 26));
  }

  static std::string status_mark(TargetStatus status) {
    switch (status) {
      case TargetStatus::Met:
        return "✓";
      case TargetStatus::AtRisk:
        return "~";
      case TargetStatus::Missed:
        return "✗";
      case TargetStatus::NotSimulated:
        return "–";
    }
    return "–";
  }

 private:
  std::optional<TargetDelta> target_delta(std::size_t i, const ScorecardRow& first,
                                          const ScorecardRow& row) const {
    const auto scored = [](const Run& run, const Target& t) -> std::vector<double> {
      const auto it = run.indicators.find(t.indicator);
      if (it == run.indicators.end()) return {};
      return scored_by_replicate(t, run.years, it->second.values, it->second.rows);
    };
    const std::vector<double> a = scored(runs_[0], first.target), b = scored(runs_[i], row.target);
    if (a.empty() || b.empty()) return std::nullopt;
    return TargetDelta{difference_test(a, b, paired_[i]),
                       proportion_test(met_by_replicate(first.target, a),
                                       met_by_replicate(row.target, b), paired_[i])};
  }

  std::string seed_text(const Run& run) const {
    return std::isnan(run.seed) ? "–" : format_plain(run.seed);
  }

  std::string header(bool markdown) const {
    const Run& first = runs_.front();
    std::string city =
        first.identity.city_name.empty() ? "(no city name)" : first.identity.city_name;
    std::string out;
    if (markdown) {
      out += "# Scenario comparison — " + city + "\n\n";
      TextTable files({"", "scenario", "file", "replicates", "seed"},
                      {TextTable::Align::Left, TextTable::Align::Left, TextTable::Align::Left,
                       TextTable::Align::Right, TextTable::Align::Right});
      for (std::size_t i = 0; i < runs_.size(); ++i)
        files.add({std::string(1, static_cast<char>('A' + i % 26)), runs_[i].scenario,
                   runs_[i].path, std::to_string(runs_[i].replicate_numbers.size()),
                   seed_text(runs_[i])});
      out += files.markdown() + "\n";
    } else {
      out += wrap_to_width("Scenario comparison — " + city + " (results schema " +
                               std::to_string(first.identity.schema_version) + ")",
                           options_.max_width, "  ") +
             "\n";
      TextTable files({"", "scenario", "file", "replicates", "seed"},
                      {TextTable::Align::Left, TextTable::Align::Left, TextTable::Align::Left,
                       TextTable::Align::Right, TextTable::Align::Right});
      for (std::size_t i = 0; i < runs_.size(); ++i)
        files.add({letter(i), runs_[i].scenario, runs_[i].path,
                   std::to_string(runs_[i].replicate_numbers.size()), seed_text(runs_[i])});
      out += files.terminal("  ", options_.max_width);
    }
    std::string key =
        summary_view()
            ? "P(met) = share of replicates meeting the target."
            : "Indicators: ensemble means. Targets: ensemble mean [5th, 95th percentile] of the "
              "scored quantity, P(met) = share of replicates meeting the target.";
    if (runs_.size() > 1 && !summary_view()) {
      bool all_paired = true;
      for (bool p : paired_) all_paired &= p;
      key += " Δ: difference from " + first.scenario +
             " (first file), mean [5th, 95th percentile] of the replicate differences, " +
             (all_paired ? "paired replicate by replicate (same seed and replicates)."
                         : "paired where seed and replicates match, else over all pairs of "
                           "replicates.") +
             " For targets, Δ and Δ P(met) with their 95% intervals; significance by the paired t "
             "and exact McNemar tests at p < 0.05 (Welch and Fisher for unpaired files).";
    }
    out += (markdown ? key : wrap_to_width(key, options_.max_width, "")) + "\n";
    return out;
  }

  TextTable indicator_table(bool terminal) const {
    using A = TextTable::Align;
    std::vector<std::string> head{"indicator", "指标", "unit", "scenario"};
    std::vector<A> align{A::Left, A::Left, A::Left, A::Left};
    for (int year : years_) {
      head.push_back(std::to_string(year));
      align.push_back(A::Right);
      if (runs_.size() > 1) {
        head.push_back("Δ " + std::to_string(year));
        align.push_back(A::Right);
      }
    }
    const bool compact = terminal && is_compact(options_.max_width);
    const bool intervals = !compact;  // the compact layout shows no intervals
    TextTable table = labelled_table(std::move(head), std::move(align), compact);
    for (const auto& [key, info] : info_) {
      for (std::size_t i = 0; i < runs_.size(); ++i) {
        const bool first_row = i == 0 || !terminal;
        std::vector<std::string> row{first_row ? indicator_label(info) : "",
                                     first_row ? info.label_zh : "", first_row ? info.unit : "",
                                     runs_[i].scenario};
        for (int year : years_) {
          // The mean only: the spread of each file is in /summary and the CSV; the table keeps
          // the interval for the difference, which is what a comparison is about.
          const std::vector<double> values = runs_[i].values(key, year);
          row.push_back(with_interval(distribution(values), false, false));
          if (runs_.size() > 1) {
            if (i == 0) {
              row.push_back("");
            } else {
              const std::vector<double> base = runs_[0].values(key, year);
              const Distribution d = distribution(differences(base, values, paired_[i]));
              row.push_back(with_interval(d, true, intervals && d.count > 1));
            }
          }
        }
        if (compact) {
          row.erase(row.begin());
          row[2] = letter(i);
        }
        table.add(std::move(row));
      }
    }
    return table;
  }

  /// A table whose first four columns are the English label, the Chinese label, a unit or goal
  /// and the scenario. The compact layout (narrow terminals) drops the English label and leaves
  /// the scenario column's head empty (its rows show the file's letter). Labels, units and
  /// scenarios may be cut to fit; the Chinese label and the numbers never are.
  static TextTable labelled_table(std::vector<std::string> head,
                                  std::vector<TextTable::Align> align, bool compact) {
    if (compact) {
      head.erase(head.begin());
      align.erase(align.begin());
      head[2] = "";
    }
    TextTable table(head, align);
    table.shrinkable(compact ? 1 : 0);
    if (!compact) {
      table.shrinkable(2);
      table.shrinkable(3);
    }
    return table;
  }

  TextTable target_table(bool terminal) const {
    using A = TextTable::Align;
    std::vector<std::string> head{"target", "指标", "goal", "scenario", "simulated", "P(met)"};
    std::vector<A> align{A::Left, A::Left, A::Left, A::Left, A::Right, A::Right};
    if (runs_.size() > 1) {
      head.insert(head.end(), {"Δ", "Δ P(met)", "difference"});
      align.insert(align.end(), {A::Right, A::Right, A::Left});
    }
    head.push_back("status");
    align.push_back(A::Left);
    const bool compact = terminal && is_compact(options_.max_width);
    const bool intervals = !compact;  // the compact layout shows no intervals
    TextTable table = labelled_table(std::move(head), std::move(align), compact);
    for (const std::string& key : target_keys_) {
      const ScorecardRow* first = find_row(runs_.front(), key);
      const ScorecardRow* any = first;
      for (const Run& run : runs_)
        if (!any) any = find_row(run, key);
      const Target& t = any->target;
      for (std::size_t i = 0; i < runs_.size(); ++i) {
        const ScorecardRow* row = find_row(runs_[i], key);
        const bool first_row = i == 0 || !terminal;
        const bool exogenous = row ? row->exogenous : any->exogenous;
        std::vector<std::string> cells{
            first_row ? t.label_en + (exogenous ? " (exogenous)" : "") +
                            (t.assumption.empty() ? "" : " (assumed target)")
                      : "",
            first_row ? t.label_zh : "",
            first_row ? (compact ? short_goal(t, true) : describe_target(t)) : "",
            runs_[i].scenario};
        const bool simulated = row && row->status != TargetStatus::NotSimulated;
        std::string value = "–";
        if (simulated) {
          value = format_value(row->mean);
          if (intervals && row->replicates > 1)
            value += " [" + format_value(row->p05) + ", " + format_value(row->p95) + "]";
          if (!compact) value += " " + t.unit;  // compact: the unit is in the goal
        }
        cells.push_back(value);
        cells.push_back(simulated ? percent(row->probability_met) : "–");
        if (runs_.size() > 1) {
          const bool both =
              simulated && i > 0 && first && first->status != TargetStatus::NotSimulated;
          const std::optional<TargetDelta> d = both ? target_delta(i, *first, *row) : std::nullopt;
          const std::string met_change =
              both ? percent(row->probability_met - first->probability_met, true) : "";
          if (!d) {
            cells.insert(cells.end(), {"", met_change, ""});
          } else {
            std::string value = format_value(d->value.mean, true);
            if (intervals && !std::isnan(d->value.low))
              value += " [" + format_value(d->value.low, true) + ", " +
                       format_value(d->value.high, true) + "]";
            std::string met = met_change;
            if (intervals && !std::isnan(d->met.low))
              met += " [" + percent(d->met.low, true) + ", " + percent(d->met.high, true) + "]";
            cells.insert(cells.end(), {value, met, difference_text(*d)});
          }
        }
        cells.push_back(!row        ? "no scorecard"
                        : simulated ? std::string(status_name(row->status))
                        : compact   ? "not simulated"
                                    : "not simulated in this run");
        if (compact) {
          cells.erase(cells.begin());
          cells[2] = letter(i);
        }
        table.add(std::move(cells));
      }
    }
    return table;
  }

  // One row per observed figure and file: the simulated mean [5th, 95th], the error and whether
  // the interval meets the figure (± its rounding).
  TextTable hindcast_table(bool terminal) const {
    using A = TextTable::Align;
    TextTable table(
        {"series", "指标", "year", "observed", "scenario", "simulated", "error", "within"},
        {A::Left, A::Left, A::Right, A::Right, A::Left, A::Right, A::Right, A::Left});
    for (const auto& [key, year] : observed_) {
      const HindcastRow* any = nullptr;
      for (const Run& run : runs_)
        if (!any) any = find_hindcast(run, key, year);
      for (std::size_t i = 0; i < runs_.size(); ++i) {
        const HindcastRow* row = find_hindcast(runs_[i], key, year);
        const bool first_row = i == 0 || !terminal;
        std::vector<std::string> cells{
            first_row ? any->label_en + " (" + any->unit + ")" : "", first_row ? any->label_zh : "",
            first_row ? std::to_string(year) : "",
            first_row ? format_hindcast_value(*any, any->observed) : "", runs_[i].scenario};
        if (!row || !row->simulated()) {
          cells.insert(cells.end(), {"–", "–", row ? row->note : "no hindcast in this file"});
        } else {
          cells.push_back(format_hindcast_simulated(*row));
          cells.push_back(format_hindcast_value(*row, row->error, true));
          cells.push_back(row->within_interval ? "yes" : "no");
        }
        table.add(std::move(cells));
      }
    }
    return table;
  }

  /// --format json: the full comparison as one document (the CSV's content, structured): files,
  /// every indicator × file × year with its distribution and difference from the first file,
  /// every target × file with P(met) and status. NaN is null.
  nlohmann::ordered_json to_json() const {
    using json = nlohmann::ordered_json;
    const auto number = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
    const auto stats = [&](const Distribution& d) {
      return json{{"mean", number(d.mean)},
                  {"p05", number(d.p05)},
                  {"p95", number(d.p95)},
                  {"replicates", d.count}};
    };
    const Run& first = runs_.front();
    json doc = {{"city", first.identity.city_name},
                {"schema_version", first.identity.schema_version},
                {"years", years_}};
    json files = json::array();
    for (std::size_t i = 0; i < runs_.size(); ++i)
      files.push_back(
          {{"id", letter(i)},
           {"path", runs_[i].path},
           {"scenario", runs_[i].scenario},
           {"replicates", runs_[i].replicate_numbers.size()},
           {"seed", exact_number(runs_[i].seed)},
           {"delta_pairing", i == 0 ? json(nullptr) : json(paired_[i] ? "paired" : "all pairs")}});
    doc["files"] = std::move(files);
    json indicators = json::array();
    for (const auto& [key, info] : info_) {
      json values = json::array();
      for (std::size_t i = 0; i < runs_.size(); ++i)
        for (int year : years_) {
          const std::vector<double> v = runs_[i].values(key, year);
          json cell = {{"file", letter(i)}, {"year", year}};
          cell.update(stats(distribution(v)));
          if (i > 0)
            cell["delta"] =
                stats(distribution(differences(runs_[0].values(key, year), v, paired_[i])));
          values.push_back(std::move(cell));
        }
      indicators.push_back(
          {{"key", key},
           {"label_en", info.label_en},
           {"label_zh", info.label_zh},
           {"unit", info.unit},
           {"origin", is_exogenous_description(info.description) ? "exogenous" : "simulated"},
           {"values", std::move(values)}});
    }
    doc["indicators"] = std::move(indicators);
    json targets = json::array();
    for (const std::string& key : target_keys_) {
      const ScorecardRow* first_row = find_row(first, key);
      const ScorecardRow* any = first_row;
      for (const Run& run : runs_)
        if (!any) any = find_row(run, key);
      const Target& t = any->target;
      json per_file = json::array();
      for (std::size_t i = 0; i < runs_.size(); ++i) {
        const ScorecardRow* row = find_row(runs_[i], key);
        if (!row) {
          per_file.push_back(
              {{"file", letter(i)}, {"status", nullptr}, {"note", "no scorecard in this file"}});
          continue;
        }
        const bool both = i > 0 && first_row && first_row->status != TargetStatus::NotSimulated &&
                          row->status != TargetStatus::NotSimulated;
        per_file.push_back(
            {{"file", letter(i)},
             {"mean", number(row->mean)},
             {"p05", number(row->p05)},
             {"p95", number(row->p95)},
             {"replicates", row->replicates},
             {"probability_met", number(row->probability_met)},
             {"delta_probability_met",
              both ? number(row->probability_met - first_row->probability_met) : json(nullptr)},
             {"difference",
              [&]() -> json {
                const std::optional<TargetDelta> d =
                    both ? target_delta(i, *first_row, *row) : std::nullopt;
                if (!d) return nullptr;
                return {{"pairing", d->value.paired ? "paired" : "unpaired"},
                        {"mean", number(d->value.mean)},
                        {"low", number(d->value.low)},
                        {"high", number(d->value.high)},
                        {"p_value", number(d->value.p_value)},
                        {"probability_met_low", number(d->met.low)},
                        {"probability_met_high", number(d->met.high)},
                        {"probability_met_p_value", number(d->met.p_value)},
                        {"significance", difference_text(*d)}};
              }()},
             {"status", status_name(row->status)},
             {"origin", row->exogenous ? "exogenous" : "simulated"},
             {"note", row->note}});
      }
      targets.push_back({{"key", key},
                         {"label_en", t.label_en},
                         {"label_zh", t.label_zh},
                         {"unit", t.unit},
                         {"year", t.year},
                         {"goal", describe_target(t)},
                         {"assumption", t.assumption},
                         {"files", std::move(per_file)}});
    }
    doc["targets"] = std::move(targets);
    return doc;
  }

  std::string csv(bool targets_only) const {
    using A = TextTable::Align;
    const std::vector<std::string> head{"section",
                                        "key",
                                        "label_en",
                                        "label_zh",
                                        "unit",
                                        "origin",
                                        "file",
                                        "scenario",
                                        "year",
                                        "mean",
                                        "p05",
                                        "p95",
                                        "delta_mean",
                                        "delta_p05",
                                        "delta_p95",
                                        "delta_pairing",
                                        "goal",
                                        "assumption",
                                        "probability_met",
                                        "delta_probability_met",
                                        "status",
                                        "note",
                                        "observed",
                                        "within_interval",
                                        "delta_low",
                                        "delta_high",
                                        "delta_p_value",
                                        "delta_probability_met_low",
                                        "delta_probability_met_high",
                                        "delta_probability_met_p_value",
                                        "difference"};
    constexpr std::size_t kTestColumns = 24;  // where the columns of the tests start
    TextTable table(head, std::vector<A>(head.size(), A::Left));
    // Rows of the indicator and target sections leave the hindcast columns empty.
    const auto add = [&](std::vector<std::string> row) {
      row.resize(head.size());
      table.add(std::move(row));
    };
    const auto with_tests = [&](const std::vector<std::string>& tests,
                                std::vector<std::string> row) {
      row.resize(kTestColumns);
      row.insert(row.end(), tests.begin(), tests.end());
      add(std::move(row));
    };
    for (const auto& [key, info] : info_) {
      if (targets_only) break;
      const std::string origin =
          is_exogenous_description(info.description) ? "exogenous" : "simulated";
      for (std::size_t i = 0; i < runs_.size(); ++i) {
        for (int year : years_) {
          const std::vector<double> values = runs_[i].values(key, year);
          const Distribution d = distribution(values);
          Distribution delta{kNaN, kNaN, kNaN, 0};
          std::string pairing;
          std::vector<std::string> tests;
          if (i > 0) {
            delta = distribution(differences(runs_[0].values(key, year), values, paired_[i]));
            pairing = paired_[i] ? "paired" : "all pairs";
            const DifferenceTest t =
                difference_test(runs_[0].values(key, year), values, paired_[i]);
            tests = {format_exact(t.low),
                     format_exact(t.high),
                     format_exact(t.p_value),
                     "",
                     "",
                     "",
                     std::isnan(t.p_value) ? ""
                     : t.significant       ? "significant"
                                           : "no significant difference"};
          }
          with_tests(tests, {"indicator",
                             key,
                             info.label_en,
                             info.label_zh,
                             info.unit,
                             origin,
                             runs_[i].path,
                             runs_[i].scenario,
                             std::to_string(year),
                             format_exact(d.mean),
                             format_exact(d.p05),
                             format_exact(d.p95),
                             format_exact(delta.mean),
                             format_exact(delta.p05),
                             format_exact(delta.p95),
                             pairing,
                             "",
                             "",
                             "",
                             "",
                             "",
                             d.count == 0 ? "not in this file" : ""});
        }
      }
    }
    for (const std::string& key : target_keys_) {
      const ScorecardRow* first = find_row(runs_.front(), key);
      for (std::size_t i = 0; i < runs_.size(); ++i) {
        const ScorecardRow* row = find_row(runs_[i], key);
        if (!row) {
          add({"target",
               key,
               "",
               "",
               "",
               "",
               runs_[i].path,
               runs_[i].scenario,
               "",
               "",
               "",
               "",
               "",
               "",
               "",
               "",
               "",
               "",
               "",
               "",
               "",
               "no scorecard in this file"});
          continue;
        }
        const Target& t = row->target;
        const bool both = i > 0 && first && first->status != TargetStatus::NotSimulated &&
                          row->status != TargetStatus::NotSimulated;
        const std::optional<TargetDelta> d = both ? target_delta(i, *first, *row) : std::nullopt;
        std::vector<std::string> tests;
        if (d)
          tests = {format_exact(d->value.low),
                   format_exact(d->value.high),
                   format_exact(d->value.p_value),
                   format_exact(d->met.low),
                   format_exact(d->met.high),
                   format_exact(d->met.p_value),
                   difference_text(*d)};
        with_tests(tests, {"target",
                           key,
                           t.label_en,
                           t.label_zh,
                           t.unit,
                           row->exogenous ? "exogenous" : "simulated",
                           runs_[i].path,
                           runs_[i].scenario,
                           std::to_string(t.year),
                           format_exact(row->mean),
                           format_exact(row->p05),
                           format_exact(row->p95),
                           d ? format_exact(d->value.mean) : "",
                           "",
                           "",
                           d ? (d->value.paired ? "paired" : "unpaired") : "",
                           describe_target(t),
                           t.assumption,
                           format_exact(row->probability_met),
                           both ? format_exact(row->probability_met - first->probability_met) : "",
                           std::string(status_name(row->status)),
                           row->note});
      }
    }
    for (const auto& [key, year] : observed_) {
      if (targets_only) break;
      for (std::size_t i = 0; i < runs_.size(); ++i) {
        const HindcastRow* row = find_hindcast(runs_[i], key, year);
        if (!row) continue;
        add({"hindcast",
             key,
             row->label_en,
             row->label_zh,
             row->unit,
             "simulated",
             runs_[i].path,
             runs_[i].scenario,
             std::to_string(year),
             format_exact(row->mean),
             format_exact(row->p05),
             format_exact(row->p95),
             "",
             "",
             "",
             "",
             "",
             "",
             "",
             "",
             "",
             row->note,
             format_exact(row->observed),
             row->simulated() ? (row->within_interval ? "yes" : "no") : ""});
      }
    }
    return table.csv();
  }

  std::vector<Run> runs_;
  CompareOptions options_;
  std::vector<bool> paired_;
  std::map<std::string, SeriesInfo> info_;  // every indicator of any file, by key
  std::vector<std::string> target_keys_;    // first file's order, then new ones of later files
  std::vector<std::pair<std::string, int>> observed_;  // (series, year) of the hindcasts, in order
  std::set<int> years_;
};

}  // namespace

int compare_command(const std::vector<std::string>& files, const std::string& format,
                    std::ostream& out, std::ostream& err) {
  CompareOptions options;
  options.format = format;
  return compare_command(files, options, out, err);
}

int compare_command(const std::vector<std::string>& files, const CompareOptions& options,
                    std::ostream& out, std::ostream& err) {
  const std::string& format = options.format;
  if (std::find(kFormats.begin(), kFormats.end(), format) == kFormats.end()) {
    const std::string hint = closest_match(format, kFormats);
    err << "error: unknown format '" << format << "' ("
        << (hint.empty() ? "" : "did you mean '" + hint + "'?; ")
        << "one of table, csv, markdown, json)\n";
    return 2;
  }
  static const std::vector<std::string> kViews = {"auto", "full", "summary"};
  if (std::find(kViews.begin(), kViews.end(), options.view) == kViews.end()) {
    err << "error: unknown view '" << options.view << "' (one of auto, full, summary)\n";
    return 2;
  }
  if (files.empty()) {
    err << "error: compare needs at least one results file\n";
    return 2;
  }
  std::vector<ResultsIdentity> identities;
  try {
    for (const std::string& file : files) identities.push_back(read_results_identity(file));
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return 1;
  }
  // Refuse what cannot be compared, naming every offending file.
  int refused = 0;
  for (std::size_t i = 1; i < files.size(); ++i) {
    if (identities[i].schema_version != identities[0].schema_version) {
      err << "error: cannot compare " << files[0] << " (results schema "
          << identities[0].schema_version << ") with " << files[i] << " (results schema "
          << identities[i].schema_version
          << "): files of different schema versions; re-run the scenarios with one plansim "
             "version\n";
      ++refused;
    }
    if (identities[i].city_name != identities[0].city_name) {
      err << "error: cannot compare " << files[0] << " (city '" << identities[0].city_name
          << "') with " << files[i] << " (city '" << identities[i].city_name
          << "'): files of different cities; compare scenarios of one city\n";
      ++refused;
    }
  }
  if (refused) return 2;

  std::vector<Run> runs;
  try {
    for (std::size_t i = 0; i < files.size(); ++i) runs.push_back(load(files[i], identities[i]));
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return 1;
  }
  std::string rendered;
  try {
    const Comparison comparison(std::move(runs), options);
    if (!options.years.empty() && comparison.no_years()) {
      err << "error: no file covers the years asked for with --years\n";
      return 2;
    }
    rendered = comparison.render();
  } catch (const std::exception& e) {  // a file whose content contradicts itself
    err << "error: " << e.what() << "\n";
    return 1;
  }
  if (options.bom) out << kUtf8Bom;
  out << rendered;
  return 0;
}

int compare_command(const std::vector<std::string>& files, const std::string& format,
                    std::ostream& out) {
  CompareOptions options;
  options.format = format;
  return compare_command(files, options, out, std::cerr);
}

}  // namespace plansim

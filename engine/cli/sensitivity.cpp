#include "cli/sensitivity.h"

#include <spdlog/spdlog.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include "cli/progress.h"
#include "cli/register_builtin.h"
#include "cli/scenario_runs.h"
#include "cli/usage.h"
#include "core/sha256.h"
#include "core/text.h"
#include "core/version.h"
#include "dist/work.h"
#include "indicators/targets.h"
#include "io/hdf5_sensitivity.h"
#include "io/hdf5_writer.h"
#include "io/yaml_loader.h"
#include "io/yaml_text.h"
#include "uncertainty/sensitivity.h"

namespace plansim {
namespace {

namespace fs = std::filesystem;

// Most model runs of one analysis (docs/input-limits.md): a larger design is refused before
// anything runs.
constexpr std::int64_t kMaxRuns = 200000;

enum class Method { Sobol, Morris };

// One output of the analysis: a target's scored quantity, or an indicator in a year.
struct Output {
  std::string key;  // a target's key, or "<indicator>.<year>"
  std::optional<Target> target;
  std::string indicator;
  int year = 0;
  bool event = false;  // an event count (/events) rather than an indicator
  std::string label_zh, label_en, unit, goal;
};

// One factor the design varies: a parameter's coordinate of the scenario's design; parameters
// with a shared draw are one factor (they move together).
struct Factor {
  std::string name;               // the parameter's key, or the shared draw's name
  std::vector<std::size_t> keys;  // indices into ParameterSpace::parameters()
  std::size_t coordinate = 0;
  std::string distribution;  // of its first parameter
};

// The SA file, read and checked.
struct SaSpec {
  std::string name;
  std::string scenario;  // path, relative to the working directory
  SourceLoc scenario_loc;
  std::vector<std::string> sets;
  std::vector<SourceLoc> set_locs;
  Method method = Method::Sobol;
  std::int64_t base = 64, bootstrap = 500, trajectories = 10, levels = 4, replicates = 1;
  std::optional<std::uint64_t> seed;
  SourceLoc seed_loc;
  bool all_targets = true;  // targets: all (default) | none | [keys]
  std::vector<std::pair<std::string, SourceLoc>> target_keys;
  SourceLoc outputs_loc;
  struct IndicatorAt {
    std::string indicator;
    int year = 0;
    SourceLoc loc;
  };
  std::vector<IndicatorAt> indicators;
  // parameters: [name, ...]: the factors to vary (a key or a shared draw's name); none = all.
  std::vector<std::pair<std::string, SourceLoc>> parameters;
  std::string yaml;
};

std::string scalar_text(const ParamNode& value) {
  if (value.is_scalar()) return value.text();
  std::string yaml = value.to_yaml();
  while (!yaml.empty() && yaml.back() == '\n') yaml.pop_back();
  return yaml;
}

SaSpec read_spec(const std::string& path, Diagnostics& diags) {
  SaSpec spec;
  const ParamNode file = load_yaml_file(path, diags);
  if (!diags.empty()) return spec;
  spec.yaml = file.to_yaml();
  const ParamNode* sa = file.require("sensitivity", diags);
  if (!sa) return spec;
  if (!sa->is_map()) {
    diags.error(sa->loc(), "sensitivity: expected a map with scenario, method and outputs");
    return spec;
  }
  spec.name = sa->string("name", fs::path(path).stem().string(), diags);
  if (const ParamNode* scenario = sa->require("scenario", diags)) {
    spec.scenario_loc = scenario->loc();
    if (scenario->as_string(diags))
      spec.scenario = (fs::path(path).parent_path() / scenario->text()).string();
  }
  if (const ParamNode* set = sa->find("set")) {
    if (!set->is_map()) diags.error(set->loc(), "sensitivity.set: expected a map of key: value");
    for (const auto& e : set->entries()) {
      e.value->mark_all_used();
      spec.sets.push_back(e.key + "=" + scalar_text(*e.value));
      spec.set_locs.push_back(e.key_loc);
    }
  }
  const std::string method = sa->string("method", "sobol", diags);
  if (method == "morris") {
    spec.method = Method::Morris;
  } else if (method != "sobol") {
    diags.error(sa->find("method")->loc(), "sensitivity.method: '" + method +
                                               "' is not a method; expected sobol (Sobol' "
                                               "indices) or morris (screening of many parameters)");
  }
  const char* chosen = spec.method == Method::Sobol ? "sobol" : "morris";
  const char* other = spec.method == Method::Sobol ? "morris" : "sobol";
  if (const ParamNode* block = sa->find(other)) {
    block->mark_all_used();
    diags.error(block->loc(), std::string("sensitivity.") + other + ": the method is " + chosen +
                                  "; remove this block or set method: " + other);
  }
  if (const ParamNode* block = sa->find(chosen)) {
    if (!block->is_map()) {
      diags.error(block->loc(), std::string("sensitivity.") + chosen + ": expected a map");
    } else if (spec.method == Method::Sobol) {
      spec.base = block->integer("base", spec.base, diags, 2, 65536);
      spec.bootstrap = block->integer("bootstrap", spec.bootstrap, diags, 100, 100000);
    } else {
      spec.trajectories = block->integer("trajectories", spec.trajectories, diags, 2, 10000);
      spec.levels = block->integer("levels", spec.levels, diags, 2, 1000);
      if (spec.levels % 2 != 0)
        diags.error(block->find("levels")->loc(),
                    "sensitivity.morris.levels: " + std::to_string(spec.levels) +
                        " is odd; Morris' grid needs an even number of levels (4 is usual)");
    }
  }
  if (const ParamNode* list = sa->find("parameters")) {
    if (!list->is_sequence() || list->items().empty())
      diags.error(list->loc(),
                  "sensitivity.parameters: expected a list of parameter keys or "
                  "shared draws (leave it out to vary every uncertain parameter)");
    else
      for (const ParamNode& item : list->items())
        if (item.as_string(diags)) spec.parameters.emplace_back(item.text(), item.loc());
  }
  spec.replicates = sa->integer("replicates", 1, diags, 1, 1000);
  if (const ParamNode* seed = sa->find("seed")) {
    spec.seed_loc = seed->loc();
    if (auto v = seed->as_integer(diags, 0)) spec.seed = static_cast<std::uint64_t>(*v);
  }
  if (const ParamNode* outputs = sa->find("outputs")) {
    spec.outputs_loc = outputs->loc();
    if (!outputs->is_map()) {
      diags.error(outputs->loc(),
                  "sensitivity.outputs: expected a map with targets and/or "
                  "indicators");
    } else {
      if (const ParamNode* targets = outputs->find("targets")) {
        if (targets->is_scalar() && (targets->text() == "all" || targets->text() == "none")) {
          spec.all_targets = targets->text() == "all";
        } else if (targets->is_sequence()) {
          spec.all_targets = false;
          for (const ParamNode& item : targets->items())
            if (item.as_string(diags)) spec.target_keys.emplace_back(item.text(), item.loc());
        } else {
          diags.error(targets->loc(),
                      "sensitivity.outputs.targets: expected all, none or a list of target keys");
        }
      }
      if (const ParamNode* list = outputs->find("indicators")) {
        if (!list->is_sequence())
          diags.error(list->loc(),
                      "sensitivity.outputs.indicators: expected a list of "
                      "{indicator: KEY, year: YEAR}");
        else
          for (const ParamNode& item : list->items()) {
            if (!item.is_map()) {
              diags.error(item.loc(),
                          "sensitivity.outputs.indicators: expected {indicator: "
                          "KEY, year: YEAR}");
              continue;
            }
            SaSpec::IndicatorAt at;
            at.loc = item.loc();
            at.indicator = item.required_string("indicator", diags);
            at.year = static_cast<int>(item.required_integer("year", diags, 1900, 2200));
            spec.indicators.push_back(std::move(at));
          }
      }
    }
  }
  file.report_unused(diags);
  return spec;
}

// The SA file's `set:` entry N is applied as an override on the stand-in line N + 1 of the
// command line, so that its errors can be moved to the file; the command line's own --set are
// on line 1, at their columns.
constexpr int kFirstSetLine = 2;

// Errors of the scenario's overrides: those of the SA file's `set:` entries moved to the file.
void move_scenario_errors(const Diagnostics& from, const SaSpec& spec, Diagnostics& to) {
  for (const Diagnostic& d : from.errors()) {
    const int n = d.loc.line - kFirstSetLine;
    if (io_text::is_command_line(d.loc.file) && n >= 0 && n < static_cast<int>(spec.sets.size()))
      to.error(spec.set_locs[static_cast<std::size_t>(n)], "sensitivity.set: " + d.message);
    else
      to.error(d.loc, d.message);
  }
}

std::vector<Factor> factors_of(const ParameterSpace& space) {
  std::vector<Factor> factors;
  const auto& parameters = space.parameters();
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const UncertainParameter& p = parameters[i];
    auto it = std::find_if(factors.begin(), factors.end(),
                           [&](const Factor& f) { return f.coordinate == p.coordinate; });
    if (it == factors.end()) {
      factors.push_back(
          {p.draw.empty() ? p.key : p.draw, {}, p.coordinate, p.distribution.describe()});
      it = std::prev(factors.end());
    }
    it->keys.push_back(i);
  }
  return factors;
}

// The years a target's measure reads (as the scorecard does).
std::pair<int, int> needed_years(const Target& t) {
  switch (t.measure) {
    case TargetMeasure::Level:
      return {t.year, t.year};
    case TargetMeasure::AverageGrowthFromRates:
    case TargetMeasure::Cumulative:
      return {t.first_year, t.year};
    case TargetMeasure::AverageGrowth:
    case TargetMeasure::Change:
      return {t.first_year - 1, t.year};
  }
  return {t.year, t.year};
}

// The outputs the spec names, checked against what the scenario records; the skipped targets
// (outside the run, not recorded) are listed in `skipped` when all targets were asked for.
std::vector<Output> select_outputs(const SaSpec& spec, const PreparedScenario& prepared,
                                   std::vector<std::string>& skipped, Diagnostics& diags) {
  std::vector<Output> outputs;
  const RunSettings& run = prepared.simulation().run();
  const SeriesCatalog& catalog = prepared.simulation().catalog();
  const std::optional<Targets>& targets = prepared.targets();
  const auto add_target = [&](const Target& t, const SourceLoc* asked) {
    const auto [first, last] = needed_years(t);
    std::string problem;
    if (!catalog.find(t.indicator, SeriesKind::Indicator))
      problem = "its indicator '" + t.indicator + "' is not recorded by this scenario";
    else if (first < run.start_year || last > run.end_year)
      problem = "it needs the years " + std::to_string(first) + "-" + std::to_string(last) +
                " and the run covers " + std::to_string(run.start_year) + "-" +
                std::to_string(run.end_year);
    if (!problem.empty()) {
      if (asked)
        diags.error(*asked, "sensitivity.outputs.targets: target '" + t.key + "': " + problem +
                                (last > run.end_year ? " (set run.end in sensitivity.set)" : ""));
      else
        skipped.push_back(t.key);
      return;
    }
    Output o;
    o.key = t.key;
    o.target = t;
    o.indicator = t.indicator;
    o.year = t.year;
    o.label_zh = t.label_zh;
    o.label_en = t.label_en;
    o.unit = t.unit;
    o.goal = describe_target(t);
    outputs.push_back(std::move(o));
  };
  if (spec.all_targets && targets) {
    for (const Target& t : targets->targets) add_target(t, nullptr);
  } else if (!spec.target_keys.empty()) {
    for (const auto& [key, loc] : spec.target_keys) {
      const Target* t = targets ? targets->find(key) : nullptr;
      if (!t) {
        std::string known;
        if (targets)
          for (const Target& k : targets->targets) known += (known.empty() ? "" : ", ") + k.key;
        diags.error(loc, "sensitivity.outputs.targets: '" + key + "' is not a target of the city" +
                             (known.empty() ? " (it has no targets file)"
                                            : "; its targets: " + truncate_to_width(known, 300)));
        continue;
      }
      add_target(*t, &loc);
    }
  }
  for (const SaSpec::IndicatorAt& at : spec.indicators) {
    if (at.indicator.empty()) continue;  // reported by the reader
    const SeriesInfo* info = catalog.find(at.indicator, SeriesKind::Indicator);
    const SeriesInfo* event = info ? nullptr : catalog.find(at.indicator, SeriesKind::Event);
    if (!info && !event) {
      diags.error(at.loc, "sensitivity.outputs.indicators: '" + at.indicator +
                              "' is not an indicator or event this scenario records (plansim "
                              "inspect lists a results file's series)");
      continue;
    }
    if (at.year < run.start_year || at.year > run.end_year) {
      diags.error(at.loc, "sensitivity.outputs.indicators: " + std::to_string(at.year) +
                              " is outside the run (" + std::to_string(run.start_year) + "-" +
                              std::to_string(run.end_year) + ")");
      continue;
    }
    const SeriesInfo& s = info ? *info : *event;
    Output o;
    o.key = at.indicator + "." + std::to_string(at.year);
    o.indicator = at.indicator;
    o.year = at.year;
    o.event = event != nullptr;
    o.label_zh = s.label_zh;
    o.label_en = s.label_en;
    o.unit = s.unit;
    o.goal = "in " + std::to_string(at.year);
    if (std::any_of(outputs.begin(), outputs.end(),
                    [&](const Output& x) { return x.key == o.key; }))
      diags.error(at.loc, "sensitivity.outputs.indicators: " + o.key + " is named twice");
    else
      outputs.push_back(std::move(o));
  }
  if (outputs.empty() && diags.empty())
    diags.error(spec.outputs_loc.file.empty() ? spec.scenario_loc : spec.outputs_loc,
                "sensitivity.outputs: nothing to analyse: " +
                    std::string(targets ? "no target of the city lies within the run (" +
                                              std::to_string(run.start_year) + "-" +
                                              std::to_string(run.end_year) + ")"
                                        : "the city has no targets file") +
                    "; name indicators as {indicator: KEY, year: YEAR}");
  return outputs;
}

// The analysis's rows on the unit cube (one coordinate per factor).
struct Plan {
  Method method = Method::Sobol;
  SaltelliDesign sobol;
  MorrisDesign morris;
  const std::vector<std::vector<double>>& rows() const {
    return method == Method::Sobol ? sobol.rows : morris.rows;
  }
};

// A Morris grid level k of p stands for the quantile (k + 1/2)/p: the middle of the k-th of p
// equally likely strata, never 0 or 1 (where a normal's quantile is infinite).
double morris_quantile(double grid, std::size_t levels) {
  const double p = static_cast<double>(levels);
  return (grid * (p - 1) + 0.5) / p;
}

// A design row as the unit point of the scenario's design coordinates (others at 1/2).
std::vector<double> unit_point(const Plan& plan, const std::vector<Factor>& factors,
                               const ParameterSpace& space, std::size_t row) {
  std::vector<double> u(space.coordinates(), 0.5);
  const std::vector<double>& x = plan.rows()[row];
  for (std::size_t f = 0; f < factors.size(); ++f)
    u[factors[f].coordinate] =
        plan.method == Method::Sobol ? x[f] : morris_quantile(x[f], plan.morris.levels);
  return u;
}

// The output of one run.
double output_value(const Output& o, const ReplicateResults& r) {
  if (o.target) {
    const auto it = r.indicators.find(o.indicator);
    return it == r.indicators.end() ? std::nan("") : scored_value(*o.target, r.years, it->second);
  }
  const auto year = std::find(r.years.begin(), r.years.end(), o.year);
  if (year == r.years.end()) return std::nan("");
  const std::size_t y = static_cast<std::size_t>(year - r.years.begin());
  if (o.event) {
    const auto it = r.events.find(o.indicator);
    return it == r.events.end() ? std::nan("") : static_cast<double>(it->second[y]);
  }
  const auto it = r.indicators.find(o.indicator);
  return it == r.indicators.end() ? std::nan("") : it->second[y];
}

std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "–";
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
  return buffer;
}

std::string bar(double share, std::size_t width) {
  const double clamped = std::clamp(std::isfinite(share) ? share : 0.0, 0.0, 1.0);
  const std::size_t n = static_cast<std::size_t>(std::lround(clamped * static_cast<double>(width)));
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += "█";
  return out;
}

// Everything the tables and the file show.
struct Analysis {
  std::vector<Output> outputs;
  std::vector<Factor> factors;
  Method method = Method::Sobol;
  std::vector<std::vector<SobolIndex>> sobol;     // [output][factor]
  std::vector<std::vector<MorrisEffect>> morris;  // [output][factor]
  std::vector<double> mean, sd;                   // [output]
  std::vector<double> met;      // [output]: the share of independent rows meeting the target; NaN
  std::size_t independent = 0;  // rows drawn independently: A and B (Sobol'), the first of
                                // each trajectory (Morris)
};

// An output whose spread over the design is rounding (an exogenous series): no index means
// anything.
bool constant(const Analysis& a, std::size_t o) {
  return !(a.sd[o] > 1e-9 * std::max(1.0, std::fabs(a.mean[o])));
}

// "met in 37% of the design's 64 independent rows", for a target.
std::string met_line(const Analysis& a, std::size_t o) {
  if (!std::isfinite(a.met[o])) return "";
  return "met in " + fixed(100 * a.met[o], 0) + "% of the design's " +
         std::to_string(a.independent) + " independent rows";
}

std::string output_heading(const Output& o) {
  std::string label = o.label_zh;
  if (!o.label_en.empty()) label += (label.empty() ? "" : " ") + o.label_en;
  return o.key + (label.empty() ? "" : "  " + label) + " — " + o.goal;
}

// The factors of output o in decreasing order of their total index (Sobol') or μ* (Morris).
std::vector<std::size_t> ranked(const Analysis& a, std::size_t o) {
  std::vector<std::size_t> order(a.factors.size());
  for (std::size_t f = 0; f < order.size(); ++f) order[f] = f;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    return a.method == Method::Sobol ? a.sobol[o][x].total > a.sobol[o][y].total
                                     : a.morris[o][x].mu_star > a.morris[o][y].mu_star;
  });
  return order;
}

TextTable output_table(const Analysis& a, std::size_t o, bool with_bars) {
  const bool sobol = a.method == Method::Sobol;
  std::vector<std::string> header =
      sobol ? std::vector<std::string>{"parameter", "S", "S 95%", "T", "T 95%"}
            : std::vector<std::string>{"parameter", "μ*", "μ", "σ"};
  std::vector<TextTable::Align> align(header.size(), TextTable::Align::Right);
  align[0] = TextTable::Align::Left;
  if (with_bars) {
    header.push_back(sobol ? "T" : "μ*");
    align.push_back(TextTable::Align::Left);
  }
  TextTable table(header, align);
  table.shrinkable(0);
  double top = 0;
  if (!sobol)
    for (const MorrisEffect& e : a.morris[o]) top = std::max(top, e.mu_star);
  for (std::size_t f : ranked(a, o)) {
    std::vector<std::string> row{a.factors[f].name};
    if (sobol) {
      const SobolIndex& s = a.sobol[o][f];
      row.push_back(fixed(s.first, 2));
      row.push_back("[" + fixed(s.first_low, 2) + ", " + fixed(s.first_high, 2) + "]");
      row.push_back(fixed(s.total, 2));
      row.push_back("[" + fixed(s.total_low, 2) + ", " + fixed(s.total_high, 2) + "]");
      if (with_bars) row.push_back(bar(s.total, 12));
    } else {
      const MorrisEffect& e = a.morris[o][f];
      row.push_back(format_value(e.mu_star));
      row.push_back(format_value(e.mu, true));
      row.push_back(format_value(e.sigma));
      if (with_bars) row.push_back(bar(top > 0 ? e.mu_star / top : 0, 12));
    }
    table.add(std::move(row));
  }
  return table;
}

std::string method_line(const SaSpec& spec, std::size_t factors, std::size_t rows) {
  std::ostringstream s;
  if (spec.method == Method::Sobol)
    s << "Sobol' indices (Saltelli design, Jansen total), N = " << spec.base << " base points × ("
      << factors << " + 2) = " << rows << " runs";
  else
    s << "Morris screening, " << spec.trajectories << " trajectories × (" << factors
      << " + 1) = " << rows << " runs on a " << spec.levels << "-level grid";
  if (spec.replicates > 1) s << ", each the mean of " << spec.replicates << " random streams";
  return s.str();
}

std::string legend(Method method) {
  return method == Method::Sobol
             ? "S: first-order index (the share of the output's variance the parameter explains "
               "alone); T: total index (with its interactions); 95% bootstrap intervals. "
               "Parameters with T near 0 do not matter for this output."
             : "μ*: mean absolute elementary effect (output units per unit of the parameter's "
               "quantile), the rank of importance; μ: its signed mean (the direction); σ: the "
               "spread of the effects (interactions or non-linearity).";
}

std::string terminal_text(const Analysis& a, const SaSpec& spec, const std::string& scenario,
                          std::size_t rows, std::size_t width) {
  const std::size_t w = width == 0 ? 100 : width;
  std::ostringstream out;
  out << truncate_to_width("Sensitivity of " + scenario, w) << "\n"
      << wrap_to_width(method_line(spec, a.factors.size(), rows), w, "") << "\n"
      << wrap_to_width(legend(a.method), w, "") << "\n";
  for (std::size_t o = 0; o < a.outputs.size(); ++o) {
    out << "\n"
        << truncate_to_width(output_heading(a.outputs[o]), w) << "\n"
        << "  mean " << format_value(a.mean[o]) << " " << a.outputs[o].unit << ", sd "
        << format_value(a.sd[o]) << " over the design";
    const std::string met = met_line(a, o);
    out << (met.empty() ? "" : "; " + met) << "\n";
    if (constant(a, o)) {
      out << "  constant over the design: no uncertain parameter moves it\n";
      continue;
    }
    out << output_table(a, o, true).terminal("  ", w);
  }
  return out.str();
}

// Long CSV: one row per (output, parameter), in the file's order.
std::string csv_text(const Analysis& a) {
  const bool sobol = a.method == Method::Sobol;
  std::vector<std::string> header{"output",      "label_zh",  "label_en",  "unit",        "goal",
                                  "output_mean", "output_sd", "parameter", "distribution"};
  for (const char* c :
       sobol ? std::vector<const char*>{"first_order", "first_order_low", "first_order_high",
                                        "total", "total_low", "total_high"}
             : std::vector<const char*>{"mu_star", "mu", "sigma"})
    header.push_back(c);
  TextTable table(header, std::vector<TextTable::Align>(header.size(), TextTable::Align::Left));
  for (std::size_t o = 0; o < a.outputs.size(); ++o)
    for (std::size_t f = 0; f < a.factors.size(); ++f) {
      const Output& out = a.outputs[o];
      std::vector<std::string> row{out.key,
                                   out.label_zh,
                                   out.label_en,
                                   out.unit,
                                   out.goal,
                                   format_exact(a.mean[o]),
                                   format_exact(a.sd[o]),
                                   a.factors[f].name,
                                   a.factors[f].distribution};
      if (sobol) {
        const SobolIndex& s = a.sobol[o][f];
        for (double v : {s.first, s.first_low, s.first_high, s.total, s.total_low, s.total_high})
          row.push_back(format_exact(v));
      } else {
        const MorrisEffect& e = a.morris[o][f];
        for (double v : {e.mu_star, e.mu, e.sigma}) row.push_back(format_exact(v));
      }
      table.add(std::move(row));
    }
  return std::string(kUtf8Bom) + table.csv();
}

std::string markdown_text(const Analysis& a, const SaSpec& spec, const std::string& scenario,
                          std::size_t rows) {
  std::ostringstream out;
  out << "# Sensitivity: " << scenario << "\n\n"
      << method_line(spec, a.factors.size(), rows) << ". " << legend(a.method) << "\n\n"
      << "| parameter | distribution |\n|---|---|\n";
  for (const Factor& f : a.factors) out << "| " << f.name << " | " << f.distribution << " |\n";
  for (std::size_t o = 0; o < a.outputs.size(); ++o) {
    out << "\n## " << output_heading(a.outputs[o]) << "\n\n"
        << "Mean " << format_value(a.mean[o]) << " " << a.outputs[o].unit << ", sd "
        << format_value(a.sd[o]) << " over the design";
    const std::string met = met_line(a, o);
    out << (met.empty() ? "" : "; " + met) << ".\n\n";
    if (constant(a, o))
      out << "Constant over the design: no uncertain parameter moves it.\n";
    else
      out << output_table(a, o, false).markdown();
  }
  return out.str();
}

void write_text(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    out.close();
    if (!out) throw IoError("cannot write '" + path + "'");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw IoError("cannot write '" + path + "': " + ec.message());
}

std::string sibling(const std::string& output, const char* extension) {
  fs::path p(output);
  p.replace_extension(extension);
  return p.string();
}

std::string held_note(const std::vector<std::string>& held) {
  std::string list;
  for (const std::string& path : held) list += (list.empty() ? "" : ", ") + path;
  return "the calibration's posterior (uncertainty.posterior) gives " + list +
         ": held at the scenario's point estimates (the posterior means), not varied";
}

}  // namespace

CLI::App* add_sensitivity_subcommand(CLI::App& app, SensitivityOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "sensitivity",
      "Which assumptions decide whether a target is met: Sobol' indices or Morris screening of "
      "every target (and any indicator) over the scenario's uncertain parameters");
  cmd->add_option("analysis", o.file,
                  "Sensitivity YAML file, required (docs/uncertainty.md, Sensitivity)");
  cmd->add_option("-o,--output", o.output,
                  "Results file (HDF5; default results/<file stem>.h5); the tables are written "
                  "beside it as .csv and .md");
  cmd->add_option("--set", o.sets,
                  "Override a scenario value, key=value (after the file's own set:); repeatable");
  cmd->add_option("--threads", o.threads_text,
                  "Worker threads per rank, 1 to 4096; the indices do not depend on it");
  cmd->add_flag("-q,--quiet", o.quiet, "No log lines and no table");
  cmd->add_flag("--resume", o.resume,
                "Continue an interrupted analysis: reuse the runs finished in <output>.parts/");
  cmd->add_flag("--fresh", o.fresh, "Discard the runs of an interrupted analysis and start anew");
  cmd->footer(
      "An analysis file:\n"
      "  sensitivity:\n"
      "    scenario: ../scenarios/baseline.yaml     # relative to this file\n"
      "    set: {run.scale: 0.02, run.end: 2025}    # scenario overrides, as --set\n"
      "    method: sobol                            # sobol (indices) | morris (screening)\n"
      "    sobol: {base: 64, bootstrap: 500}        # N base points: N x (d + 2) runs\n"
      "    morris: {trajectories: 10, levels: 4}    # r x (d + 1) runs (instead of sobol:)\n"
      "    replicates: 1                            # random streams per run, averaged\n"
      "    seed: 7                                  # of the design (default: run.seed)\n"
      "    parameters: [economy.deflator_growth]    # vary only these (others at medians)\n"
      "    outputs:\n"
      "      targets: all                           # all | none | [key, ...]\n"
      "      indicators: [{indicator: births, year: 2022}]\n"
      "The uncertain parameters are the scenario's and its city's distributions ({dist: ...});\n"
      "each design row is one run with its values, on the same random streams as every other\n"
      "row, so the indices apportion the variance the assumptions cause.\n"
      "Examples:\n"
      "  plansim sensitivity analyses/baseline-2025.yaml -o results/sa.h5 --threads 2\n"
      "  mpirun -n 4 plansim sensitivity analyses/baseline-2025.yaml --resume\n"
      "  python3 tools/plot.py results/sa.h5 -o results/sa-plots   # a bar chart per target\n"
      "The same file and seed give the same indices at any thread or rank count and after "
      "--resume.");
  return cmd;
}

int sensitivity_command(const SensitivityOptions& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  Registry registry;
  register_builtin_processes(registry);
  Diagnostics diags;
  const SaSpec spec = read_spec(options.file, diags);
  // The scenario is checked too when the file has errors: every error at once.
  const bool spec_ok = diags.empty();
  // The command line's errors (cli/usage.h) are added where the checks end.
  const auto report_with_usage_errors = [&] {
    for (const Diagnostic& d : options.usage_errors) diags.error(d.loc, d.message);
    return report_input_errors(diags);
  };
  if (spec.scenario.empty()) return report_with_usage_errors();
  std::vector<std::string> sets = spec.sets;
  sets.insert(sets.end(), options.sets.begin(), options.sets.end());
  std::vector<SourceLoc> starts;
  for (std::size_t i = 0; i < spec.sets.size(); ++i)
    starts.push_back(
        {std::string(io_text::kCommandLineFile), kFirstSetLine + static_cast<int>(i), 1});
  for (std::size_t i = 0; i < options.sets.size(); ++i)
    starts.push_back(i < options.set_starts.size()
                         ? options.set_starts[i]
                         : SourceLoc{std::string(io_text::kCommandLineFile), 1, 1});
  std::unique_ptr<PreparedScenario> prepared;
  {
    Diagnostics scenario_diags;
    prepared = PreparedScenario::prepare(spec.scenario, sets, registry, scenario_diags, starts);
    move_scenario_errors(scenario_diags, spec, diags);
  }
  std::vector<Factor> factors;
  std::vector<Output> outputs;
  std::vector<std::string> skipped;
  Plan plan;
  plan.method = spec.method;
  std::uint64_t seed = 0;
  double check_seconds = 0;        // configuring every row before the runs
  std::vector<std::string> held;   // the posterior's parameters, at their point estimates
  std::size_t held_at_median = 0;  // uncertain parameters the file's parameters: leaves out
  if (prepared) {
    const ParameterSpace& space = prepared->space();
    seed = spec.seed.value_or(prepared->simulation().run().seed);
    // What a calibration's posterior gives is a joint sample, not independent distributions:
    // those parameters stay at the scenario's point estimates (the posterior means).
    for (const std::string& path : prepared->posterior_parameters()) held.push_back(path);
    factors = factors_of(space);
    if (!spec.parameters.empty()) {
      std::vector<Factor> chosen;
      for (const auto& parameter : spec.parameters) {
        // Not a structured binding: clang 14 cannot capture one in the lambda below.
        const auto& name = parameter.first;
        const auto& loc = parameter.second;
        const auto it = std::find_if(factors.begin(), factors.end(),
                                     [&](const Factor& f) { return f.name == name; });
        if (it == factors.end()) {
          std::string known;
          for (const Factor& f : factors) known += (known.empty() ? "" : ", ") + f.name;
          diags.error(
              loc, "sensitivity.parameters: '" + name +
                       "' is not an uncertain parameter or shared draw of the scenario" +
                       (known.empty() ? "" : "; its parameters: " + truncate_to_width(known, 400)));
        } else if (std::any_of(chosen.begin(), chosen.end(),
                               [&](const Factor& f) { return f.name == name; })) {
          diags.error(loc, "sensitivity.parameters: '" + name + "' is named twice");
        } else {
          chosen.push_back(*it);
        }
      }
      held_at_median = factors.size() - std::min(factors.size(), chosen.size());
      if (diags.empty()) factors = std::move(chosen);
    }
    if (factors.empty() && spec.parameters.empty())
      diags.error(spec.scenario_loc,
                  "sensitivity.scenario: '" + spec.scenario +
                      "' has no uncertain parameters: write the assumptions to vary as "
                      "distributions, e.g. tfr: {2025: {dist: uniform, low: 0.9, high: 1.3}} "
                      "(docs/uncertainty.md)");
    outputs = select_outputs(spec, *prepared, skipped, diags);
    if (!factors.empty() && spec_ok) {
      const std::int64_t d = static_cast<std::int64_t>(factors.size());
      const std::int64_t runs =
          (spec.method == Method::Sobol ? spec.base * (d + 2) : spec.trajectories * (d + 1)) *
          spec.replicates;
      if (runs > kMaxRuns)
        diags.error(spec.scenario_loc,
                    "sensitivity: the design needs " + std::to_string(runs) +
                        " runs, more than the limit of " + std::to_string(kMaxRuns) +
                        "; lower base, trajectories or replicates (or screen with morris first)");
      else if (d > static_cast<std::int64_t>(SobolDesign::kMaxDimensions / 2))
        diags.error(spec.scenario_loc,
                    "sensitivity: too many uncertain parameters (" + std::to_string(d) + ")");
      else if (spec.method == Method::Sobol)
        plan.sobol = saltelli_design(static_cast<std::size_t>(spec.base), factors.size(), seed);
      else
        plan.morris = morris_design(static_cast<std::size_t>(spec.trajectories), factors.size(),
                                    static_cast<std::size_t>(spec.levels), seed);
    }
    // Every row's values must be valid for the readers: each is configured before anything runs
    // and the first that fails is reported, with the values it drew.
    const auto check_start = std::chrono::steady_clock::now();
    if (diags.empty())
      for (std::size_t row = 0; row < plan.rows().size(); ++row) {
        const std::vector<double> values = space.values_at(unit_point(plan, factors, space, row));
        Diagnostics row_diags;
        prepared->configure_at(values, row_diags);
        if (row_diags.empty()) continue;
        std::string drew;
        for (std::size_t i = 0; i < values.size(); ++i)
          drew += (drew.empty() ? "" : ", ") + space.parameters()[i].key + " = " +
                  exact_number_text(values[i]);
        for (const Diagnostic& d : row_diags.errors())
          diags.error(d.loc, d.message + " (design row " + std::to_string(row) + ": " + drew +
                                 "; keep the distributions inside the parameters' ranges)");
        break;
      }
    check_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - check_start).count();
  }
  const std::string output =
      options.output.empty() && !options.output_given
          ? (fs::path("results") / (fs::path(options.file).stem().string() + ".h5")).string()
          : options.output;
  const std::string csv_path = output.empty() ? "" : sibling(output, ".csv");
  const std::string md_path = output.empty() ? "" : sibling(output, ".md");
  if (MpiSession::rank() == 0) {
    std::vector<std::string> inputs{options.file};
    if (prepared)
      inputs.insert(inputs.end(), prepared->loaded().files_read.begin(),
                    prepared->loaded().files_read.end());
    check_output_path(output, "-o", inputs, diags);
    if (!output.empty()) {
      if (fs::path(output).extension() == ".csv" || fs::path(output).extension() == ".md")
        diags.error(command_line_place("--output"),
                    "-o '" + output +
                        "': give the HDF5 file (e.g. results/sa.h5); the .csv and "
                        ".md tables are written beside it");
      check_output_path(csv_path, "-o (its .csv table)", inputs, diags);
      check_output_path(md_path, "-o (its .md table)", inputs, diags);
      check_parts(output + ".parts", output, options.resume, options.fresh, diags);
    }
  }
  const bool valid = diags.empty() && options.usage_errors.empty();
  if (!shared_verdict(valid) || !valid) return report_with_usage_errors();

  // ---- the runs ----
  const bool writer = MpiSession::rank() == 0;
  const bool talk = writer && !options.quiet;
  const ParameterSpace& space = prepared->space();
  if (talk) {
    prepared->print_notes();
    if (!skipped.empty()) {
      std::string list;
      for (const std::string& k : skipped) list += (list.empty() ? "" : ", ") + k;
      std::cerr << options.file << ": note: " << skipped.size()
                << " target(s) outside the run or not recorded are left out: "
                << truncate_to_width(list, 400) << "\n";
    }
    if (held_at_median > 0)
      std::cerr << options.file << ": note: " << held_at_median
                << " other uncertain parameter(s) of the scenario are held at their medians "
                   "(sensitivity.parameters)\n";
    if (!held.empty()) std::cerr << options.file << ": note: " << held_note(held) << "\n";
    if (!space.correlations().empty())
      std::cerr << options.file
                << ": warning: the scenario correlates parameters; the design applies the "
                   "correlations, so correlated parameters share their indices (read them as a "
                   "group)\n";
  }
  const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  const std::size_t rows = plan.rows().size();
  const std::uint32_t streams = static_cast<std::uint32_t>(spec.replicates);
  std::vector<WorkItem> items;
  for (std::uint32_t r = 0; r < rows; ++r)
    for (std::uint32_t s = 0; s < streams; ++s) items.push_back({r, s});
  std::string fingerprint = std::string(kEngineVersion) + " " + kGitSha + "\n" + spec.yaml + "\n" +
                            prepared->loaded().scenario.to_yaml() + "\nseed " +
                            std::to_string(seed);
  for (const Output& o : outputs) fingerprint += "\n" + o.key;
  for (const Factor& f : factors) fingerprint += "\n" + f.name + " " + f.distribution;
  const std::string parts = output + ".parts";
  const ItemStore store(parts, sha256_hex(fingerprint));
  std::optional<OutputLock> lock;
  if (writer) {
    const fs::path parent = fs::path(output).parent_path();
    std::error_code ec;
    if (!parent.empty()) fs::create_directories(parent, ec);
    if (ec) {
      std::cerr << "error: cannot create directory " << parent << ": " << ec.message() << "\n";
      MpiSession::abort_all(1);
    }
    lock.emplace(parts);
    if (!lock->held()) {
      std::cerr << "error: another plansim run is writing " << parts
                << " now; wait for it to finish or give another output\n";
      MpiSession::abort_all(2);
    }
    remove_stale_temporaries(output);
    try {
      store.open(options.resume);
    } catch (const std::exception& e) {
      std::cerr << "error: " << e.what() << "\n";
      MpiSession::abort_all(2);
    }
  }
  const RunSettings& run = prepared->simulation().run();
  if (talk)
    spdlog::info(
        "{}: {} ({} parameter(s), {} output(s)), {}–{}, seed {}, scale {}, {} rank(s) × {} "
        "thread(s)",
        options.file, method_line(spec, factors.size(), rows), factors.size(), outputs.size(),
        run.start_year, run.end_year, seed, run.scale, MpiSession::size(), threads);
  if (talk)
    spdlog::info("configured each of the {} design rows before the runs in {:.2f} s", rows,
                 check_seconds);
  Progress progress(static_cast<std::uint32_t>(items.size()), run.end_year - run.start_year + 1,
                    !talk || MpiSession::size() > 1);
  std::size_t finished = 0;
  std::vector<ReplicateResults> results;
  try {
    results = run_work_items(
        items,
        [&](const WorkItem& item) {
          const std::vector<double> values =
              space.values_at(unit_point(plan, factors, space, item.point));
          Diagnostics d;
          PreparedScenario::Configured configured = prepared->configure_at(values, d);
          if (!configured.simulation)
            throw std::runtime_error("the values of design row " + std::to_string(item.point) +
                                     " are invalid:\n" + d.format());
          configured.simulation->run().threads = threads;
          const ReplicateResults r = configured.simulation->run_replicate(
              item.replicate, [&](std::uint32_t, int year, const World& w) {
                progress.update(static_cast<std::uint32_t>(finished), year, w.persons.size());
              });
          // Only the outputs are kept (and sent between ranks, and stored for --resume).
          ReplicateResults kept;
          kept.replicate = item.replicate;
          for (const Output& o : outputs) kept.scalars[o.key] = output_value(o, r);
          return kept;
        },
        &store,
        [&](const WorkItem& item) {
          ++finished;
          if (talk && MpiSession::size() > 1)
            spdlog::info("finished design row {}, stream {} ({}/{})", item.point, item.replicate,
                         finished, items.size());
        });
  } catch (const std::exception& e) {
    progress.finish();
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  progress.finish();
  if (!writer) return 0;

  // ---- the indices (rank 0) ----
  Analysis a;
  a.outputs = outputs;
  a.factors = factors;
  a.method = spec.method;
  const std::size_t P = factors.size(), O = outputs.size();
  std::vector<double> table(rows * O);  // [row * O + o]: the mean over the row's streams
  for (std::size_t row = 0; row < rows; ++row)
    for (std::size_t o = 0; o < O; ++o) {
      double sum = 0;
      for (std::uint32_t s = 0; s < streams; ++s)
        sum += results[row * streams + s].scalars.at(outputs[o].key);
      table[row * O + o] = sum / streams;
    }
  for (std::size_t o = 0; o < O; ++o) {
    std::vector<double> y(rows);
    double sum = 0, count = 0;
    for (std::size_t row = 0; row < rows; ++row) {
      y[row] = table[row * O + o];
      if (std::isfinite(y[row])) sum += y[row], ++count;
    }
    const double mean = count > 0 ? sum / count : std::nan("");
    double ss = 0;
    for (double v : y)
      if (std::isfinite(v)) ss += (v - mean) * (v - mean);
    a.mean.push_back(mean);
    a.sd.push_back(count > 1 ? std::sqrt(ss / (count - 1)) : 0.0);
    // How often the target is met over the rows drawn independently of each other.
    std::size_t drawn = 0, met = 0;
    for (std::size_t row = 0; row < rows; ++row) {
      const bool independent =
          spec.method == Method::Sobol ? row % (P + 2) < 2 : row % (P + 1) == 0;
      if (!independent || !std::isfinite(y[row])) continue;
      ++drawn;
      if (outputs[o].target) met += target_met(*outputs[o].target, y[row]) ? 1 : 0;
    }
    a.independent = drawn;
    a.met.push_back(outputs[o].target && drawn > 0
                        ? static_cast<double>(met) / static_cast<double>(drawn)
                        : std::nan(""));
    if (spec.method == Method::Sobol) {
      a.sobol.push_back(
          sobol_indices(plan.sobol, y, static_cast<std::size_t>(spec.bootstrap), seed));
    } else {
      // Effects per unit of the parameter's quantile: the grid spans (p − 1)/p of it.
      std::vector<MorrisEffect> effects = morris_effects(plan.morris, y);
      const double scale = static_cast<double>(spec.levels) / static_cast<double>(spec.levels - 1);
      for (MorrisEffect& e : effects) {
        e.mu_star *= scale;
        e.mu *= scale;
        e.sigma *= scale;
      }
      a.morris.push_back(std::move(effects));
    }
  }

  // ---- the files ----
  SensitivityData data;
  data.engine_version = kEngineVersion;
  data.git_sha = kGitSha;
  data.command_line = options.command_line;
  data.sa_file = options.file;
  data.sa_yaml = spec.yaml;
  data.scenario_name = prepared->name();
  data.scenario_yaml = prepared->loaded().scenario.to_yaml();
  data.city = prepared->city_name();
  data.method = spec.method == Method::Sobol ? "sobol" : "morris";
  data.design_description = method_line(spec, P, rows);
  data.seed = seed;
  data.base = static_cast<std::uint32_t>(spec.base);
  data.bootstrap = static_cast<std::uint32_t>(spec.bootstrap);
  data.trajectories = static_cast<std::uint32_t>(spec.trajectories);
  data.levels = static_cast<std::uint32_t>(spec.levels);
  data.replicates = streams;
  data.threads = threads;
  data.ranks = MpiSession::size();
  data.notes = space.correlations().empty()
                   ? ""
                   : "the scenario correlates parameters: correlated parameters share their "
                     "indices";
  if (!held.empty()) data.notes += (data.notes.empty() ? "" : "; ") + held_note(held);
  if (held_at_median > 0)
    data.notes += (data.notes.empty() ? "" : "; ") + std::to_string(held_at_median) +
                  " other uncertain parameter(s) held at their medians (sensitivity.parameters)";
  for (const Factor& f : factors) {
    data.parameters.push_back(f.name);
    std::string keys;
    for (std::size_t k : f.keys) keys += (keys.empty() ? "" : "; ") + space.parameters()[k].key;
    data.parameter_keys.push_back(keys);
    data.distributions.push_back(f.distribution);
  }
  for (const Output& o : outputs) {
    data.outputs.push_back(o.key);
    data.output_label_zh.push_back(o.label_zh);
    data.output_label_en.push_back(o.label_en);
    data.output_unit.push_back(o.unit);
    data.output_goal.push_back(o.goal);
  }
  data.rows = rows;
  for (std::size_t row = 0; row < rows; ++row) {
    const std::vector<double>& x = plan.rows()[row];
    const std::vector<double> values = space.values_at(unit_point(plan, factors, space, row));
    for (std::size_t f = 0; f < P; ++f) {
      data.design.push_back(spec.method == Method::Sobol
                                ? x[f]
                                : morris_quantile(x[f], static_cast<std::size_t>(spec.levels)));
      data.values.push_back(values[factors[f].keys.front()]);
    }
  }
  data.results = table;
  data.output_mean = a.mean;
  data.output_sd = a.sd;
  data.output_met_share = a.met;
  for (std::size_t o = 0; o < O; ++o)
    for (std::size_t f = 0; f < P; ++f) {
      if (spec.method == Method::Sobol) {
        const SobolIndex& s = a.sobol[o][f];
        data.first.push_back(s.first);
        data.first_low.push_back(s.first_low);
        data.first_high.push_back(s.first_high);
        data.total.push_back(s.total);
        data.total_low.push_back(s.total_low);
        data.total_high.push_back(s.total_high);
      } else {
        const MorrisEffect& e = a.morris[o][f];
        data.mu_star.push_back(e.mu_star);
        data.mu.push_back(e.mu);
        data.sigma.push_back(e.sigma);
      }
    }
  const std::string scenario = prepared->name() + " (" + prepared->city_name() + ")";
  data.wall_time_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  try {
    write_sensitivity(output, data);
    write_text(csv_path, csv_text(a));
    write_text(md_path, markdown_text(a, spec, scenario, rows));
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n  the finished runs are kept in " << parts
              << "/: once the cause is fixed (e.g. disk space), run the same command with "
                 "--resume\n";
    return 1;
  }
  store.remove();
  if (talk) {
    spdlog::info("wrote {} (tables: {}, {}; plots: python3 tools/plot.py {})", output, csv_path,
                 md_path, output);
    std::cout << terminal_text(a, spec, scenario, rows, terminal_columns(STDOUT_FILENO));
  }
  return 0;
}

}  // namespace plansim

#include "calib/calibration_file.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

namespace plansim {
namespace {

namespace fs = std::filesystem;

std::string resolve(const std::string& file, const std::string& relative) {
  if (relative.empty() || fs::path(relative).is_absolute()) return relative;
  return (fs::path(file).parent_path() / relative).lexically_normal().string();
}

// The text of a value for a `key=value` override: scalars as written, anything else as YAML.
std::string value_text(const ParamNode& value) {
  if (value.is_scalar()) return value.quoted() ? "\"" + value.text() + "\"" : value.text();
  std::string yaml = value.to_yaml();
  while (!yaml.empty() && yaml.back() == '\n') yaml.pop_back();
  return yaml;
}

void read_method(const ParamNode& node, AbcSettings& m, Diagnostics& diags) {
  if (!node.is_map()) {
    diags.error(node.loc(), node.path() +
                                ": expected a map of settings (algorithm, particles, "
                                "generations, seed, ...)");
    return;
  }
  if (const ParamNode* algorithm = node.find("algorithm")) {
    const auto text = algorithm->as_string(diags);
    if (text && *text != "abc-smc")
      diags.error(algorithm->loc(), algorithm->path() + ": unknown algorithm '" + *text +
                                        "' (the one algorithm is abc-smc)");
  }
  m.particles =
      static_cast<std::uint32_t>(node.integer("particles", m.particles, diags, 2, 100000));
  m.max_generations = static_cast<std::uint32_t>(
      node.integer("generations", m.max_generations, diags, 1, kMaxGenerations));
  m.seed = static_cast<std::uint64_t>(node.integer("seed", static_cast<std::int64_t>(m.seed), diags,
                                                   0, std::numeric_limits<std::int64_t>::max()));
  m.tolerance_quantile = node.number("tolerance_quantile", m.tolerance_quantile, diags, 0.01, 0.99);
  m.min_epsilon = node.number("min_epsilon", m.min_epsilon, diags, 0.0);
  m.min_acceptance_rate =
      node.number("min_acceptance_rate", m.min_acceptance_rate, diags, 0.0, 1.0);
  m.kernel_scale = node.number("kernel_scale", m.kernel_scale, diags, 1e-3, 100.0);
  m.resample_below_ess = node.number("resample_below_ess", m.resample_below_ess, diags, 0.0, 1.0);
  m.max_simulations = static_cast<std::uint32_t>(
      node.integer("max_simulations", m.max_simulations, diags, 1, kMaxCandidatesPerGeneration));
  if (m.max_simulations < m.particles) {
    const ParamNode* at = node.find("max_simulations");
    diags.error(at ? at->loc() : node.loc(),
                node.path() + ".max_simulations: " + std::to_string(m.max_simulations) +
                    " is below method.particles (" + std::to_string(m.particles) + ")");
  }
}

FitSeries read_fit_series(const std::string& key, const SourceLoc& key_loc, const ParamNode& node,
                          Diagnostics& diags) {
  FitSeries f;
  f.key = key;
  f.loc = key_loc;
  if (!node.is_map()) {
    diags.error(node.loc(), node.path() +
                                ": expected a map such as {relative_tolerance: 0.02} or "
                                "{tolerance: 0.1, weight: 2}, got " +
                                describe_node(node));
    return f;
  }
  const std::size_t errors_before = diags.size();
  const ParamNode* absolute = node.find("tolerance");
  const ParamNode* relative = node.find("relative_tolerance");
  if (absolute && relative)
    diags.error(relative->loc(), node.path() + ": give tolerance or relative_tolerance, not both");
  if (!absolute && !relative)
    diags.error(node.loc(), node.path() +
                                ": missing required key 'tolerance' (in the series' "
                                "unit) or 'relative_tolerance' (share of the figure)");
  if (absolute) f.tolerance = absolute->as_number(diags, 0.0).value_or(0.0);
  if (relative) f.relative_tolerance = relative->as_number(diags, 0.0).value_or(0.0);
  if (absolute && f.tolerance <= 0 && diags.size() == errors_before)
    diags.error(absolute->loc(), absolute->path() + ": must be positive");
  if (relative && f.relative_tolerance <= 0 && diags.size() == errors_before)
    diags.error(relative->loc(), relative->path() + ": must be positive");
  f.weight = node.number("weight", 1.0, diags, 0.0);
  if (const ParamNode* years = node.find("years")) {
    if (!years->is_sequence() || years->items().empty()) {
      diags.error(years->loc(), years->path() + ": expected a list of years, e.g. [2021, 2022]");
    } else {
      for (const ParamNode& y : years->items())
        if (auto v = y.as_integer(diags, 1900, 2200)) f.years.push_back(static_cast<int>(*v));
    }
  }
  return f;
}

}  // namespace

CalibrationFile read_calibration_file(const ParamNode& root, const std::string& path,
                                      Diagnostics& diags) {
  CalibrationFile file;
  file.path = path;
  const ParamNode* node = root.require("calibration", diags);
  if (!node) return file;
  if (!node->is_map()) {
    diags.error(node->loc(),
                "calibration: expected a map with scenario, parameters, fit and "
                "method");
    return file;
  }
  file.name = node->string("name", fs::path(path).stem().string(), diags);
  if (const ParamNode* scenario = node->require("scenario", diags)) {
    file.scenario_loc = scenario->loc();
    if (const auto text = scenario->as_string(diags)) file.scenario = resolve(path, *text);
  }
  if (const ParamNode* set = node->find("set")) {
    if (!set->is_map()) diags.error(set->loc(), "calibration.set: expected a map of key: value");
    for (const auto& e : set->entries()) {
      e.value->mark_all_used();
      file.set.push_back(e.key + "=" + value_text(*e.value));
      file.set_locs.push_back(e.key_loc);
    }
  }
  if (const ParamNode* parameters = node->require("parameters", diags)) {
    if (!parameters->is_map() || parameters->entries().empty())
      diags.error(parameters->loc(),
                  "calibration.parameters: expected a map of dotted scenario "
                  "paths to priors, e.g. demography.fertility.tfr: {dist: "
                  "uniform, low: 0.8, high: 1.5}");
    else
      for (const auto& e : parameters->entries()) {
        parameters->find(e.key);
        CalibrationParameter p;
        p.path = e.key;
        p.loc = e.key_loc;
        if (auto prior = read_distribution(*e.value, diags)) p.prior = *prior;
        file.parameters.push_back(std::move(p));
      }
  }
  if (const ParamNode* observed = node->find("observed")) {
    file.observed_loc = observed->loc();
    if (const auto text = observed->as_string(diags)) file.observed = resolve(path, *text);
  }
  if (const ParamNode* fit = node->require("fit", diags)) {
    file.fit_loc = fit->loc();
    if (!fit->is_map() || fit->entries().empty())
      diags.error(fit->loc(),
                  "calibration.fit: expected a map of observed series to "
                  "tolerances, e.g. births: {relative_tolerance: 0.03}");
    else
      for (const auto& e : fit->entries()) {
        fit->find(e.key);
        file.fit.push_back(read_fit_series(e.key, e.key_loc, *e.value, diags));
      }
  }
  if (const ParamNode* method = node->find("method")) read_method(*method, file.method, diags);
  const std::string stem = fs::path(path).stem().string();
  file.output = node->string("output", "", diags);
  file.output = file.output.empty() ? (fs::path("results") / (stem + "-posterior.h5")).string()
                                    : resolve(path, file.output);
  file.fragment = node->string("fragment", "", diags);
  file.fragment = file.fragment.empty() ? fs::path(file.output).replace_extension(".yaml").string()
                                        : resolve(path, file.fragment);
  // Two parameters with the same path would fight over one value.
  for (std::size_t i = 0; i < file.parameters.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (file.parameters[i].path == file.parameters[j].path)
        diags.error(file.parameters[i].loc,
                    "calibration.parameters." + file.parameters[i].path + ": listed twice");
  root.report_unused(diags);
  return file;
}

std::vector<std::string> Fit::keys() const {
  std::vector<std::string> out;
  for (const FitObservation& o : observations_)
    if (std::find(out.begin(), out.end(), o.key) == out.end()) out.push_back(o.key);
  return out;
}

std::vector<double> Fit::summarise(const ReplicateResults& r) const {
  std::vector<double> out;
  out.reserve(observations_.size());
  for (const FitObservation& o : observations_) {
    double v = std::numeric_limits<double>::quiet_NaN();
    const auto y = std::find(r.years.begin(), r.years.end(), o.year);
    if (y != r.years.end()) {
      const auto row = static_cast<std::size_t>(y - r.years.begin());
      if (const auto it = r.indicators.find(o.key); it != r.indicators.end()) {
        if (row < it->second.size()) v = it->second[row];
      } else if (const auto ev = r.events.find(o.key); ev != r.events.end()) {
        if (row < ev->second.size()) v = static_cast<double>(ev->second[row]);
      }
    }
    out.push_back(v);
  }
  return out;
}

double Fit::distance(const std::vector<double>& s) const {
  double sum = 0, weights = 0;
  for (std::size_t k = 0; k < observations_.size(); ++k) {
    const FitObservation& o = observations_[k];
    if (k >= s.size() || std::isnan(s[k])) return std::numeric_limits<double>::infinity();
    const double z = (s[k] - o.observed) / o.tolerance;
    sum += o.weight * z * z;
    weights += o.weight;
  }
  return weights > 0 ? std::sqrt(sum / weights) : 0.0;
}

ReplicateResults Fit::strip(ReplicateResults r) const {
  ReplicateResults out;
  out.replicate = r.replicate;
  out.years = std::move(r.years);
  for (const std::string& key : keys()) {
    if (auto it = r.indicators.find(key); it != r.indicators.end())
      out.indicators.emplace(key, std::move(it->second));
    if (auto ev = r.events.find(key); ev != r.events.end())
      out.events.emplace(key, std::move(ev->second));
  }
  out.scalars = std::move(r.scalars);
  return out;
}

Fit make_fit(const CalibrationFile& file, const ObservedData& observed, Diagnostics& diags) {
  std::vector<FitObservation> out;
  std::vector<std::string> known;
  for (const ObservedSeries& s : observed.series) known.push_back(s.key);
  for (const FitSeries& f : file.fit) {
    const ObservedSeries* series = observed.find(f.key);
    if (!series) {
      std::string message = "calibration.fit." + f.key + ": no observed series '" + f.key + "'";
      const std::string hint = closest_match(f.key, known);
      message += hint.empty() ? " (observed: " : " (did you mean '" + hint + "'?; observed: ";
      for (std::size_t i = 0; i < known.size(); ++i) message += (i ? ", " : "") + known[i];
      diags.error(f.loc, message + ")");
      continue;
    }
    std::vector<int> years = f.years;
    if (years.empty())
      for (const ObservedValue& v : series->values) years.push_back(v.year);
    for (int year : years) {
      const auto value = series->at(year);
      if (!value) {
        diags.error(f.loc, "calibration.fit." + f.key + ": the observed file has no figure for " +
                               std::to_string(year));
        continue;
      }
      FitObservation o{f.key, year, *value, f.tolerance, f.weight, f.loc};
      if (f.relative_tolerance > 0) {
        o.tolerance = f.relative_tolerance * std::abs(*value);
        if (!(o.tolerance > 0)) {
          diags.error(f.loc, "calibration.fit." + f.key +
                                 ": a relative tolerance of the figure 0 (" + std::to_string(year) +
                                 ") is 0; give an absolute tolerance");
          continue;
        }
      }
      out.push_back(std::move(o));
    }
  }
  return Fit(std::move(out));
}

}  // namespace plansim

#include "cli/calibrate.h"

#include <spdlog/spdlog.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <set>

#include "calib/abc_smc.h"
#include "calib/calibration_file.h"
#include "cli/posterior_use.h"
#include "cli/register_builtin.h"
#include "cli/scenario_runs.h"
#include "core/sha256.h"
#include "core/simulation.h"
#include "core/text.h"
#include "core/trajectory.h"
#include "core/version.h"
#include "dist/work.h"
#include "indicators/observed.h"
#include "io/hdf5_posterior.h"
#include "io/scenario_loader.h"
#include "io/yaml_loader.h"
#include "io/yaml_text.h"
#include "uncertainty/parameter_space.h"

namespace plansim {
namespace {

namespace fs = std::filesystem;

// Overrides of the parameters are applied as `--set` number kParameterLine + p, so that their
// errors can be told from those of the calibration's own `set:` entries (1, 2, ...).
constexpr int kParameterLine = 1000;
const std::string kCommandLine(io_text::kCommandLineFile);

std::string rounded(double v) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

/// Errors located on the pretend command line of the overrides, moved to the calibration file:
/// override N ≤ set.size() is the N-th `set:` entry, N = set.size() + 1 the method's seed,
/// kParameterLine + p parameter p. `note` is added to the errors of parameter `noted` (a probe at
/// one end of its prior). An error already in `to` (same place, same message) is not repeated.
void move_into(const Diagnostics& from, const CalibrationFile& file, const SourceLoc& seed_loc,
               Diagnostics& to, int noted = -1, const std::string& note = "") {
  std::set<std::string> seen;
  for (const Diagnostic& d : to.errors()) seen.insert(d.loc.str() + d.message);
  for (const Diagnostic& d : from.errors()) {
    SourceLoc loc = d.loc;
    std::string message = d.message;
    if (loc.file == kCommandLine) {
      const int n = loc.line;
      if (n >= kParameterLine && n - kParameterLine < static_cast<int>(file.parameters.size())) {
        loc = file.parameters[static_cast<std::size_t>(n - kParameterLine)].loc;
        message = "calibration.parameters: " + message;
        if (n - kParameterLine == noted) message += note;
      } else if (n >= 1 && n <= static_cast<int>(file.set.size())) {
        loc = file.set_locs[static_cast<std::size_t>(n - 1)];
        message = "calibration.set: " + message;
      } else if (n == static_cast<int>(file.set.size()) + 1) {
        loc = seed_loc;
        message = "calibration.method.seed: " + message;
      }
    }
    if (seen.insert(loc.str() + message).second) to.error(loc, message);
  }
}

/// The scenario of one particle, configured.
class ParticleScenario {
 public:
  ParticleScenario(const LoadedScenario& loaded, const CalibrationFile& file,
                   const Registry& registry)
      : loaded_(loaded), file_(file), registry_(registry) {}

  std::unique_ptr<Simulation> configure(const std::vector<double>& theta,
                                        Diagnostics& diags) const {
    ParamNode scenario = loaded_.scenario;
    for (std::size_t p = 0; p < theta.size(); ++p)
      apply_set_override(scenario, file_.parameters[p].path + "=" + particle_value_text(theta[p]),
                         kParameterLine + static_cast<int>(p), diags);
    if (!diags.empty()) return nullptr;
    auto simulation = std::make_unique<Simulation>(
        Simulation::configure(scenario, loaded_.city, registry_, diags));
    if (!diags.empty()) return nullptr;
    return simulation;
  }

 private:
  const LoadedScenario& loaded_;
  const CalibrationFile& file_;
  const Registry& registry_;
};

std::string describe_theta(const CalibrationFile& file, const std::vector<double>& theta) {
  std::string out;
  for (std::size_t p = 0; p < theta.size(); ++p)
    out += (p ? ", " : "") + file.parameters[p].path + "=" + rounded(theta[p]);
  return out;
}

const ParamNode* node_at(const ParamNode* node, const std::vector<std::string>& parts,
                         std::size_t from, std::size_t to) {
  for (std::size_t i = from; i < to && node; ++i)
    node = node->is_map() ? node->peek(parts[i]) : nullptr;
  return node;
}

/// YAML flow text of a tree of scalars and maps: {2020: 1.3, 2021: 1.17}.
std::string flow_yaml(const ParamNode& node) {
  if (node.is_scalar()) return node.text();
  if (node.is_map()) {
    std::string out = "{";
    for (std::size_t i = 0; i < node.entries().size(); ++i)
      out += (i ? ", " : "") + node.entries()[i].key + ": " + flow_yaml(*node.entries()[i].value);
    return out + "}";
  }
  std::string out = "[";
  for (std::size_t i = 0; i < node.items().size(); ++i)
    out += (i ? ", " : "") + flow_yaml(node.items()[i]);
  return out + "]";
}

/// The posterior means as a scenario fragment (YAML). A knot (a.b.2022) is written with the
/// whole trajectory it belongs to — the scenario's, else the city file's of the same name (the
/// process's block) — so that the fragment, pasted into a scenario, means what the calibration
/// simulated: a trajectory in a scenario replaces the city's whole.
std::string fragment_text(const CalibrationFile& file, const LoadedScenario& loaded,
                          const AbcGeneration& last,
                          const std::vector<PosteriorEstimate>& estimates,
                          const std::string& stop) {
  ParamNode root(ParamNode::Kind::Map, SourceLoc{}, "");
  std::vector<std::pair<std::string, ParamNode>> trajectories;  // parent path -> knots
  std::vector<std::string> plain;
  for (std::size_t p = 0; p < estimates.size(); ++p) {
    const std::vector<std::string> parts = split_path(file.parameters[p].path);
    const std::string value = rounded(estimates[p].mean);
    if (parts.size() < 2 || !is_year_key(parts.back())) {
      plain.push_back(file.parameters[p].path + "=" + value);
      continue;
    }
    const std::string parent =
        file.parameters[p].path.substr(0, file.parameters[p].path.size() - parts.back().size() - 1);
    auto it = std::find_if(trajectories.begin(), trajectories.end(),
                           [&](const auto& t) { return t.first == parent; });
    if (it == trajectories.end()) {
      const ParamNode* base = node_at(&loaded.scenario, parts, 0, parts.size() - 1);
      if (!base || base->is_knot_patch()) {
        const ParamNode* city_file = loaded.city.peek(parts[0]);
        const ParamNode* in_city = node_at(city_file, parts, 1, parts.size() - 1);
        if (in_city && in_city->is_map()) base = in_city;
      }
      ParamNode knots =
          base && base->is_map() ? *base : ParamNode(ParamNode::Kind::Map, SourceLoc{}, "");
      trajectories.emplace_back(parent, std::move(knots));
      it = std::prev(trajectories.end());
    }
    it->second.set(parts.back(), SourceLoc{}, ParamNode::scalar(value, SourceLoc{}, ""));
  }
  Diagnostics ignored;
  int line = 1;
  for (const auto& [parent, knots] : trajectories)
    apply_set_override(root, parent + "=" + flow_yaml(knots), line++, ignored);
  for (const std::string& set : plain) apply_set_override(root, set, line++, ignored);
  char epsilon[32];
  std::snprintf(epsilon, sizeof epsilon, "%.4g", last.epsilon);
  std::string text =
      "# Posterior point estimates of " + file.path + " (plansim calibrate " + file.path +
      "): the weighted posterior means of generation " + std::to_string(last.index) + " (" +
      std::to_string(last.weights.size()) + " particles, tolerance " + epsilon + "; " + stop +
      ").\n# A calibrated knot is written with its whole trajectory. The posterior "
      "itself, with its spread, is the HDF5 file beside this one; a scenario uses it "
      "with uncertainty: {posterior: FILE.h5}.\n";
  return text + root.to_yaml();
}

// Counts (persons, ...) as whole numbers, rates as in the scorecard.
std::string figure(double v) {
  return std::abs(v) >= 100 && std::isfinite(v) ? format_count(std::llround(v)) : format_value(v);
}

std::string summary_table(const CalibrationFile& file, const Fit& fit, const AbcGeneration& last,
                          const std::vector<PosteriorEstimate>& estimates) {
  using A = TextTable::Align;
  const std::size_t width = terminal_columns(1);
  TextTable parameters({"parameter", "prior", "prior 90%", "posterior mean", "posterior 90%"},
                       {A::Left, A::Left, A::Right, A::Right, A::Right});
  for (std::size_t p = 0; p < estimates.size(); ++p) {
    const PosteriorEstimate& e = estimates[p];
    parameters.add({e.parameter, file.parameters[p].prior.describe(),
                    "[" + format_value(e.prior_p05) + ", " + format_value(e.prior_p95) + "]",
                    format_value(e.mean),
                    "[" + format_value(e.p05) + ", " + format_value(e.p95) + "]"});
  }
  TextTable fits({"observed", "year", "figure", "posterior predictive", "tolerance"},
                 {A::Left, A::Right, A::Right, A::Right, A::Right});
  const std::size_t K = fit.observations().size();
  for (std::size_t k = 0; k < K; ++k) {
    const FitObservation& o = fit.observations()[k];
    std::vector<double> values(last.weights.size());
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = last.summaries[i * K + k];
    double mean = 0;
    for (std::size_t i = 0; i < values.size(); ++i) mean += last.weights[i] * values[i];
    fits.add({o.key, std::to_string(o.year), figure(o.observed),
              figure(mean) + " [" + figure(weighted_quantile(values, last.weights, 0.05)) + ", " +
                  figure(weighted_quantile(values, last.weights, 0.95)) + "]",
              figure(o.tolerance)});
  }
  return "\nPosterior 后验 — generation " + std::to_string(last.index) + ", " +
         std::to_string(last.weights.size()) +
         " particles (weighted mean and 5th-95th percentile)\n" + parameters.terminal("  ", width) +
         "\nFit 拟合 — observed figures against the posterior's simulations\n" +
         fits.terminal("  ", width) + "\n";
}

}  // namespace

int calibrate_command(const CalibrateOptions& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  const bool leader = MpiSession::rank() == 0;
  const bool talk = leader && !options.quiet;
  Registry registry;
  register_builtin_processes(registry);

  // ---- everything is read and checked before anything runs, every error at once ----
  Diagnostics diags;
  const ParamNode tree = load_yaml_file(options.file, diags);
  const bool read = diags.empty();
  // The command line's errors come with the files' (cli/usage.h).
  for (const Diagnostic& d : options.usage_errors) diags.error(d.loc, d.message);
  if (!read) return report_input_errors(diags);
  const std::size_t usage_errors = diags.size();
  CalibrationFile file = read_calibration_file(tree, options.file, diags);
  const bool file_ok = diags.size() == usage_errors;
  if (!options.output.empty() || options.output_given) {
    file.output = options.output;
    file.fragment = fs::path(options.output).replace_extension(".yaml").string();
  }
  SourceLoc seed_loc{options.file, 1, 1};
  if (const ParamNode* c = tree.peek("calibration"))
    if (const ParamNode* m = c->peek("method"))
      if (const ParamNode* s = m->peek("seed")) seed_loc = s->loc();
  if (file.scenario.empty()) return report_input_errors(diags);

  std::vector<std::string> sets = file.set;
  sets.push_back("run.seed=" + std::to_string(file.method.seed));
  Diagnostics load_diags;
  LoadedScenario as_loaded = load_scenario(file.scenario, sets, load_diags);
  move_into(load_diags, file, seed_loc, diags);
  if (!load_diags.empty()) return report_input_errors(diags);
  // The processes a calibration leaves out (`set: {processes: …}`) take their blocks with them,
  // as in a run with --set processes=…
  set_aside_unrun_processes(as_loaded, registry.names(), load_diags);
  move_into(load_diags, file, seed_loc, diags);
  if (!load_diags.empty()) return report_input_errors(diags);
  // The scenario's and the city's uncertain parameters (docs/uncertainty.md) are held at their
  // medians: a calibration fits its own free parameters with every other assumption at its
  // central value (the realised trees point back at as_loaded, which marks what is read).
  LoadedScenario loaded = as_loaded;
  {
    Diagnostics space_diags;
    const ParameterSpace space =
        ParameterSpace::find(as_loaded.scenario, as_loaded.city, file.method.seed, space_diags);
    move_into(space_diags, file, seed_loc, diags);
    if (!space_diags.empty()) return report_input_errors(diags);
    if (!space.distribution_locations().empty()) {
      loaded.scenario = space.realise(as_loaded.scenario, space.central());
      loaded.city = space.realise(as_loaded.city, space.central());
    }
  }
  // A scenario's own `uncertainty:` (a posterior for its replicates) has no part in a
  // calibration: every particle sets the free parameters itself.
  if (const ParamNode* uncertainty = loaded.scenario.find("uncertainty"))
    uncertainty->mark_all_used();

  ObservedData observed;
  if (!file.observed.empty()) {
    Diagnostics observed_diags;
    const ParamNode observed_tree =
        load_yaml_file(file.observed, observed_diags, file.observed_loc, "observed");
    if (observed_diags.empty()) {
      observed = read_observed(observed_tree, observed_diags);
      observed_tree.report_unused(observed_diags);
    }
    move_into(observed_diags, file, seed_loc, diags);
  } else if (const ParamNode* city_observed = loaded.city.find("observed")) {
    observed = read_observed(*city_observed, diags);
  } else {
    diags.error(file.fit_loc,
                "calibration.fit: the city config has no observed.yaml; name an "
                "observed file with calibration.observed");
  }
  const Fit fit = make_fit(file, observed, diags);
  if (!file_ok) return report_input_errors(diags);

  // Every parameter at its prior's median, and each in turn near the ends of its prior: the
  // scenario must accept them all (paths, types, ranges), and the run must record what the fit
  // compares.
  const ParticleScenario particles(loaded, file, registry);
  std::vector<double> median;
  for (const CalibrationParameter& p : file.parameters) median.push_back(p.prior.quantile(0.5));
  std::unique_ptr<Simulation> probe;
  {
    Diagnostics d;
    probe = particles.configure(median, d);
    move_into(d, file, seed_loc, diags);
  }
  for (std::size_t p = 0; p < file.parameters.size(); ++p)
    for (double q : {0.001, 0.999}) {
      std::vector<double> theta = median;
      theta[p] = file.parameters[p].prior.quantile(q);
      Diagnostics d;
      particles.configure(theta, d);
      move_into(d, file, seed_loc, diags, static_cast<int>(p),
                std::string(" (the ") + (q < 0.5 ? "0.1%" : "99.9%") + " quantile of its prior " +
                    file.parameters[p].prior.describe() +
                    "; give a prior inside the parameter's range, e.g. truncated with low/high)");
    }
  if (probe) {
    const RunSettings& run = probe->run();
    for (const FitObservation& o : fit.observations()) {
      const bool recorded = probe->catalog().find(o.key, SeriesKind::Indicator) ||
                            probe->catalog().find(o.key, SeriesKind::Event);
      if (!recorded)
        diags.error(o.loc, "calibration.fit." + o.key + ": the scenario does not record '" + o.key +
                               "' (its processes: see plansim check)");
      else if (o.year < run.start_year || o.year > run.end_year)
        diags.error(o.loc, "calibration.fit." + o.key + ": " + std::to_string(o.year) +
                               " is outside the run (" + std::to_string(run.start_year) + "-" +
                               std::to_string(run.end_year) + ")");
    }
  }
  // The posterior and the fragment: not an input, not empty, not a folder; an interrupted
  // calibration's simulations need --resume or --fresh.
  if (leader) {
    std::vector<std::string> inputs = loaded.files_read;
    inputs.push_back(options.file);
    if (!file.observed.empty()) inputs.push_back(file.observed);
    check_output_path(file.output, "-o", inputs, diags);
    if (!file.fragment.empty() && file.fragment != file.output)
      check_output_path(file.fragment, "the fragment (-o with .yaml)", inputs, diags);
    if (!file.output.empty())
      check_parts(file.output + ".parts", file.output, options.resume, options.fresh, diags);
  }
  if (!diags.empty()) return report_input_errors(diags);

  // ---- the calibration ----
  const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  AbcProblem problem;
  for (const CalibrationParameter& p : file.parameters) problem.priors.push_back(p.prior);
  // Configuring marks what it reads in the scenario and city trees: each thread has its own copy.
  tbb::enumerable_thread_specific<LoadedScenario> thread_loaded(loaded);
  problem.concurrent = true;
  problem.simulate = [&](const std::vector<double>& theta, std::uint32_t replicate) {
    Diagnostics d;
    const ParticleScenario own(thread_loaded.local(), file, registry);
    const std::unique_ptr<Simulation> simulation = own.configure(theta, d);
    if (!simulation)
      throw std::runtime_error("the scenario refuses " + describe_theta(file, theta) + ": " +
                               d.format());
    simulation->run().threads = threads;
    return fit.strip(simulation->run_replicate(replicate));
  };
  problem.summarise = [&](const ReplicateResults& r) { return fit.summarise(r); };
  problem.distance = [&](const std::vector<double>& s) { return fit.distance(s); };

  AbcStorage storage;
  storage.directory = file.output + ".parts";
  storage.resume = options.resume;
  storage.fingerprint = sha256_hex(std::string(kEngineVersion) + " " + kGitSha + "\n" +
                                   tree.to_yaml() + "\n" + loaded.scenario.to_yaml());
  if (leader) {
    std::error_code ec;
    const fs::path parent = fs::path(file.output).parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    if (ec) {
      std::cerr << "error: cannot create directory " << parent << ": " << ec.message() << "\n";
      return 1;
    }
  }
  if (talk)
    spdlog::info(
        "{}: {} parameter(s), {} observation(s), {} particles, up to {} generations, "
        "seed {}, {} rank(s) × {} thread(s)",
        options.file, file.parameters.size(), fit.observations().size(), file.method.particles,
        file.method.max_generations, file.method.seed, MpiSession::size(), threads);
  AbcObserver observer;
  observer.generation_done = [&](const AbcGeneration& g) {
    if (!talk) return;
    spdlog::info(
        "generation {}: tolerance {:.4g}, {} particles from {} simulations ({:.0f}%), "
        "effective sample size {:.0f}",
        g.index, g.epsilon, g.weights.size(), g.simulations, 100.0 * g.acceptance_rate, g.ess);
  };
  // One calibration at a time writes an output: a second one fails clearly.
  std::optional<OutputLock> lock;
  if (leader) {
    lock.emplace(storage.directory);
    if (!lock->held()) {
      std::cerr << "error: another plansim calibrate is writing " << storage.directory
                << " now; wait for it to finish or give another output\n";
      return 2;
    }
    remove_stale_temporaries(file.output);
  }
  AbcResult result;
  try {
    result = run_abc_smc(problem, file.method, storage, observer);
  } catch (const std::exception& e) {
    if (leader) std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  if (!leader) return 0;
  if (result.generations.empty()) {
    std::cerr << "error: the calibration completed no generation: " << result.stop_reason << "\n";
    return 1;
  }

  // ---- the posterior ----
  PosteriorData data;
  data.engine_version = kEngineVersion;
  data.git_sha = kGitSha;
  data.command_line = options.command_line;
  data.calibration_name = file.name;
  data.calibration_file = options.file;
  data.calibration_yaml = tree.to_yaml();
  data.scenario_yaml = loaded.scenario.to_yaml();
  data.seed = file.method.seed;
  data.threads = threads;
  data.ranks = MpiSession::size();
  data.stop_reason = result.stop_reason;
  for (const CalibrationParameter& p : file.parameters) {
    data.parameters.push_back(p.path);
    data.priors.push_back(p.prior);
  }
  for (const FitObservation& o : fit.observations())
    data.observations.push_back({o.key, o.year, o.observed, o.tolerance, o.weight});
  data.generations = std::move(result.generations);
  const AbcGeneration& last = data.generations.back();
  data.estimates = posterior_estimates(last, data.parameters, data.priors);
  data.wall_time_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  try {
    write_posterior(file.output, data);
    const std::string tmp = file.fragment + ".tmp";
    {
      std::ofstream out(tmp);
      out << fragment_text(file, loaded, last, data.estimates, result.stop_reason);
      if (!out) throw std::runtime_error("cannot write " + tmp);
    }
    fs::rename(tmp, file.fragment);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  std::error_code ignored;
  fs::remove_all(storage.directory, ignored);
  if (talk) {
    spdlog::info("stopped: {}", result.stop_reason);
    spdlog::info("wrote {} and {}", file.output, file.fragment);
  }
  if (!options.quiet) std::cout << summary_table(file, fit, last, data.estimates);
  return 0;
}

}  // namespace plansim

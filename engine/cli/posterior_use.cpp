#include "cli/posterior_use.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "calib/abc_smc.h"
#include "core/parameter_distribution.h"
#include "core/rng.h"
#include "io/hdf5_writer.h"

namespace plansim {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t dot; (dot = path.find('.', start)) != std::string::npos; start = dot + 1)
    parts.push_back(path.substr(start, dot - start));
  parts.push_back(path.substr(start));
  return parts;
}

namespace {

namespace fs = std::filesystem;

// The posterior draw of a replicate: year 0 and a process id above every model process, so it
// never meets a draw of the model.
constexpr ProcessId kPosteriorStream = 0xFFFD;

/// Where the scenario sets a value at `path` itself (the node there, or a plain value that
/// replaces the subtree on the way), or nullptr when the value comes from the city file.
const ParamNode* scenario_value(const ParamNode& scenario, const std::string& path) {
  const ParamNode* node = &scenario;
  for (const std::string& part : split_path(path)) {
    // A number, a list or a distribution where the path goes on: that value covers the path.
    if (!node->is_map() || is_distribution(*node)) return node;
    const ParamNode* child = node->peek(part);
    if (!child) return nullptr;
    node = child;
  }
  return node;
}

}  // namespace

std::uint32_t PosteriorUse::particle_of(std::uint32_t replicate) const {
  const RngStreams streams(seed, replicate);
  return weighted_index(cumulative, streams.stream(0, kPosteriorStream, 0).uniform());
}

std::vector<std::string> PosteriorUse::overrides(std::uint32_t particle) const {
  std::vector<std::string> out;
  const std::size_t P = posterior.parameters.size();
  for (std::size_t p : applied)
    out.push_back(posterior.parameters[p] + "=" +
                  particle_value_text(posterior.values[particle * P + p]));
  return out;
}

std::optional<PosteriorUse> read_posterior_use(const ParamNode& block, const LoadedScenario& loaded,
                                               const ParamNode& base_scenario,
                                               const ParamNode& base_city, const RunSettings& run,
                                               const Registry& registry, Diagnostics& diags) {
  // The block's shape and its other keys are checked with the parameter design.
  const ParamNode* value = block.is_map() ? block.peek("posterior") : nullptr;
  // `posterior: none` in a scenario extending one that names a posterior: the point estimates
  // written in the scenarios stand.
  if (!value || (value->is_scalar() && value->text() == "none")) return std::nullopt;
  if (!value->is_scalar() || value->text().empty()) {
    diags.error(value->loc(),
                "uncertainty.posterior: expected the path of a posterior file "
                "(plansim calibrate), got " +
                    describe_node(*value));
    return std::nullopt;
  }
  PosteriorUse use;
  use.loc = value->loc();
  use.seed = run.seed;
  // Relative to the file that names it, like extends and city.
  use.file =
      fs::path(value->text()).is_absolute()
          ? value->text()
          : (fs::path(value->loc().file).parent_path() / value->text()).lexically_normal().string();
  try {
    use.posterior = read_posterior(use.file);
  } catch (const IoError& e) {
    diags.error(value->loc(), std::string("uncertainty.posterior: ") + e.what());
    return std::nullopt;
  }
  double total = 0;
  for (double w : use.posterior.weights) use.cumulative.push_back(total += w);
  if (!(total > 0)) {
    diags.error(value->loc(), "uncertainty.posterior: " + use.file + " has no weighted particle");
    return std::nullopt;
  }
  for (double& c : use.cumulative) c /= total;
  use.cumulative.back() = 1.0;

  // A value set by a scenario that extends the file asking for the posterior, or by --set, is
  // the user's: it is used as it is. Values of that file and of the scenarios it extends (a
  // calibrated baseline's point estimates) are replaced by each replicate's particle. The
  // scenario files are read child first, so they are the owner and everything after it. The
  // owner is the file of the `posterior:` value (a child may add to the block, e.g. correlations).
  const std::string owner = value->loc().file;
  const auto owner_at = std::find(loaded.files_read.begin(), loaded.files_read.end(), owner);
  const std::set<std::string> replaced(owner_at, loaded.files_read.end());
  for (std::size_t p = 0; p < use.posterior.parameters.size(); ++p) {
    const std::string& path = use.posterior.parameters[p];
    const ParamNode* set = scenario_value(loaded.scenario, path);
    if (set && !replaced.count(set->loc().file))
      use.kept.push_back(path + " (set at " + set->loc().str() + ")");
    else
      use.applied.push_back(p);
  }

  // A posterior of a process the scenario does not run would otherwise be reported, particle by
  // particle, as an unknown block.
  std::set<std::string> running;
  if (const ParamNode* list = base_scenario.peek("processes"); list && list->is_sequence())
    for (const ParamNode& item : list->items())
      if (item.is_scalar()) running.insert(item.text());
  std::map<std::string, std::string> not_run;  // process -> its first parameter here
  for (std::size_t p : use.applied) {
    const std::string& path = use.posterior.parameters[p];
    const std::string block = path.substr(0, path.find('.'));
    if (registry.find(block) && !running.count(block)) not_run.emplace(block, path);
  }
  for (const auto& [process, path] : not_run)
    diags.error(value->loc(), "uncertainty.posterior: " + use.file + " sets " + path +
                                  ", a parameter of the " + process +
                                  " process, which the scenario does not run (add '" + process +
                                  "' to processes:, or give uncertainty.posterior: none to use "
                                  "the point estimates the scenarios write)");
  if (!not_run.empty()) return std::nullopt;

  // Every particle a replicate uses must be accepted by the scenario.
  std::set<std::uint32_t> particles;
  for (std::uint32_t k = 0; k < run.replicates; ++k) particles.insert(use.particle_of(k));
  std::set<std::string> seen;
  for (std::uint32_t j : particles) {
    Diagnostics d;
    ParamNode scenario = base_scenario;
    int index = 1;
    for (const std::string& o : use.overrides(j)) apply_set_override(scenario, o, index++, d);
    if (d.empty()) Simulation::configure(scenario, base_city, registry, d);
    for (const Diagnostic& e : d.errors()) {
      const std::string message = "uncertainty.posterior: particle " + std::to_string(j) + " of " +
                                  use.file + ": " + e.message;
      if (seen.insert(e.message).second) diags.error(value->loc(), message);
    }
  }
  return use;
}

std::string particle_value_text(double v) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}

void apply_particle(ParamNode& scenario, const PosteriorUse& use, std::uint32_t replicate,
                    Diagnostics& diags) {
  int index = 1;
  for (const std::string& o : use.overrides(use.particle_of(replicate)))
    apply_set_override(scenario, o, index++, diags);
}

}  // namespace plansim

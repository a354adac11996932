#include "cli/commands.h"

#include <spdlog/spdlog.h>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/progress.h"
#include "cli/register_builtin.h"
#include "cli/summary.h"
#include "core/simulation.h"
#include "core/version.h"
#include "io/hdf5_reader.h"
#include "io/hdf5_writer.h"
#include "io/scenario_loader.h"
#include "io/sha256.h"

namespace plansim {
namespace {

namespace fs = std::filesystem;

struct Prepared {
  LoadedScenario loaded;
  Simulation simulation;
};

// Loads and configures; prints every error and returns nullopt on bad input.
std::optional<Prepared> prepare(const std::string& scenario, const std::vector<std::string>& sets,
                                const Registry& registry) {
  Diagnostics diags;
  LoadedScenario loaded = load_scenario(scenario, sets, diags);
  if (!diags.empty()) {
    std::cerr << diags.format();
    return std::nullopt;
  }
  Simulation sim = Simulation::configure(loaded.scenario, loaded.city, registry, diags);
  if (!diags.empty()) {
    std::cerr << diags.format();
    std::cerr << diags.size() << (diags.size() == 1 ? " error" : " errors")
              << "; nothing was run or written\n";
    return std::nullopt;
  }
  return Prepared{std::move(loaded), std::move(sim)};
}

std::string scenario_name(const ParamNode& scenario, const std::string& path) {
  if (const ParamNode* meta = scenario.peek("scenario"))
    if (const ParamNode* name = meta->peek("name"); name && name->is_scalar()) return name->text();
  return fs::path(path).stem().string();
}

std::string city_name(const ParamNode& city, const std::string& city_dir) {
  if (const ParamNode* zones = city.peek("zones"))
    if (const ParamNode* name = zones->peek("city"); name && name->is_scalar()) return name->text();
  return fs::path(city_dir).filename().string();
}

}  // namespace

std::vector<std::string> effective_overrides(const RunOptions& o) {
  std::vector<std::string> sets = o.sets;
  if (o.replicates) sets.push_back("run.replicates=" + std::to_string(*o.replicates));
  if (o.seed) sets.push_back("run.seed=" + std::to_string(*o.seed));
  if (o.scale) {
    std::ostringstream s;
    s.precision(17);
    s << *o.scale;
    sets.push_back("run.scale=" + s.str());
  }
  return sets;
}

int run_command(const RunOptions& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  Registry registry;
  register_builtin_processes(registry);
  std::optional<Prepared> prepared = prepare(options.scenario, effective_overrides(options), registry);
  if (!prepared) return 2;
  Simulation& sim = prepared->simulation;

  const int hardware = tbb::info::default_concurrency();
  const int threads = options.threads > 0 ? options.threads : hardware;
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  sim.run().threads = threads;
  const RunSettings& run = sim.run();

  std::string output = options.output;
  if (output.empty())
    output = (fs::path("results") / (fs::path(options.scenario).stem().string() + ".h5")).string();
  const fs::path parent = fs::path(output).parent_path();
  std::error_code ec;
  if (!parent.empty()) fs::create_directories(parent, ec);
  if (ec) {
    std::cerr << "error: cannot create output directory " << parent << ": " << ec.message() << "\n";
    return 1;
  }

  if (!options.quiet)
    spdlog::info("{}: {}–{}, {} replicate(s), seed {}, scale {}, {} thread(s)", options.scenario,
                 run.start_year, run.end_year, run.replicates, run.seed, run.scale, threads);
  Progress progress(run.replicates, run.end_year - run.start_year + 1, options.quiet);
  RunOutput out;
  out.catalog = &sim.catalog();
  out.replicates.reserve(run.replicates);
  try {
    for (std::uint32_t r = 0; r < run.replicates; ++r)
      out.replicates.push_back(sim.run_replicate(r, [&](std::uint32_t rep, int year, const World& w) {
        progress.update(rep, year, w.persons.size());
      }));
  } catch (const InputError& e) {
    progress.finish();
    std::cerr << e.diagnostics().format();
    return 2;
  }
  progress.finish();

  RunMeta& meta = out.meta;
  meta.engine_version = kEngineVersion;
  meta.git_sha = kGitSha;
  meta.schema_version = kSchemaVersion;
  meta.command_line = options.command_line;
  meta.scenario_name = scenario_name(prepared->loaded.scenario, options.scenario);
  meta.city_name = city_name(prepared->loaded.city, prepared->loaded.city_dir);
  meta.scenario_yaml = prepared->loaded.scenario.to_yaml();
  meta.scenario_sha256 = sha256_hex(meta.scenario_yaml);
  meta.seed = run.seed;
  meta.replicates = run.replicates;
  meta.threads = threads;
  meta.ranks = 1;
  meta.start_year = run.start_year;
  meta.end_year = run.end_year;
  meta.scale = run.scale;
  meta.files_read = prepared->loaded.files_read;
  meta.wall_time_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  try {
    write_results(output, out);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  if (!options.quiet) spdlog::info("wrote {} ({:.1f} s)", output, meta.wall_time_seconds);
  if (options.summary) std::cout << format_summary(out, sim.catalog());
  return 0;
}

int check_command(const std::string& scenario, const std::vector<std::string>& sets) {
  Registry registry;
  register_builtin_processes(registry);
  std::optional<Prepared> prepared = prepare(scenario, sets, registry);
  if (!prepared) return 2;
  const RunSettings& run = prepared->simulation.run();
  std::string order;
  for (const auto& n : prepared->simulation.process_names()) order += (order.empty() ? "" : " → ") + n;
  std::cout << scenario << ": ok — " << run.start_year << "–" << run.end_year << ", "
            << run.replicates << " replicate(s), seed " << run.seed << ", scale " << run.scale
            << "\n  yearly order: " << order << "\n  files read: "
            << prepared->loaded.files_read.size() << "\n";
  return 0;
}

int inspect_command(const std::string& results_path) {
  try {
    ResultsFile file(results_path);
    std::cout << file.describe();
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

int processes_command() {
  Registry registry;
  register_builtin_processes(registry);
  for (const auto& e : registry.entries())
    std::printf("  %-12s id %-3u %s\n", e.name.c_str(), static_cast<unsigned>(e.id),
                e.description.c_str());
  return 0;
}

}  // namespace plansim

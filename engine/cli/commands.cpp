#include "cli/commands.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include "cli/json_output.h"
#include "cli/posterior_use.h"
#include "cli/progress.h"
#include "cli/register_builtin.h"
#include "cli/scenario_runs.h"
#include "cli/summary.h"
#include "cli/usage.h"
#include "core/param_record.h"
#include "core/sha256.h"
#include "core/simulation.h"
#include "core/text.h"
#include "core/version.h"
#include "dist/work.h"
#include "indicators/ensemble.h"
#include "indicators/observed.h"
#include "indicators/scorecard.h"
#include "indicators/targets.h"
#include "io/assumptions.h"
#include "io/hdf5_observed.h"
#include "io/hdf5_reader.h"
#include "io/hdf5_scorecard.h"
#include "io/hdf5_writer.h"
#include "io/scenario_loader.h"
#include "io/yaml_loader.h"
#include "io/yaml_text.h"
#include "uncertainty/parameter_space.h"

namespace plansim {
namespace {

namespace fs = std::filesystem;

// Most points of one sweep (docs/input-limits.md): each is validated before anything runs.
constexpr std::size_t kMaxSweepPoints = 1000;

// One configured scenario: a plain run has one, a sweep one per point.
struct Point {
  LoadedScenario loaded;
  ParameterSpace space;  // the uncertain parameters (docs/uncertainty.md); empty when none
  // With uncertain parameters, `simulation` is configured on the trees with every distribution at
  // its median (processes may keep nodes of the trees they read, so these live as long as it).
  std::unique_ptr<ParamNode> central_scenario, central_city;
  std::unique_ptr<Simulation> simulation;
  std::vector<std::string> overrides;  // what makes this point (sweeps)
  std::string output;
  std::optional<Targets> targets;             // the city's plan targets, when it has a targets file
  std::vector<AssumptionRecord> assumptions;  // the `# A:` values configure read
  std::optional<ObservedData> observed;   // the city's observed years, when it has observed.yaml
  std::optional<PosteriorUse> posterior;  // uncertainty: {posterior: ...}: a particle per replicate
  std::string
      posterior_not_drawn;  // the posterior named but not used (uncertainty.parameters: central)
  const Registry* registry = nullptr;  // to configure the replicates of a posterior
  // Inherited blocks of processes this scenario does not run, and what it leaves out for want of
  // a process that makes data a listed one reads (Simulation::notes).
  std::vector<Diagnostic> notes;
  std::vector<Diagnostic> warnings;     // city files no process of this scenario reads
  std::string city_name, city_name_en;  // the city's display names (zones.yaml `city:`)
};

// The city's display names: `city: {name_zh: …, name_en: …}` in zones.yaml (a plain string is
// the Chinese name), else the folder's name. Read before configuring, so that the zones reader
// does not take `city` for an unknown key.
void read_city_names(Point& point, Diagnostics& diags) {
  point.city_name = fs::path(point.loaded.city_dir).filename().string();
  const ParamNode* zones = point.loaded.city.peek("zones");
  const ParamNode* city = zones && zones->is_map() ? zones->find("city") : nullptr;
  if (!city) return;
  if (ParamRecorder* r = ParamRecorder::active()) r->accepts_string(*city);
  if (city->is_scalar()) {
    point.city_name = city->text();
    return;
  }
  if (!city->is_map()) {
    diags.error(city->loc(), "city: expected {name_zh: …, name_en: …}");
    return;
  }
  point.city_name = city->required_string("name_zh", diags);
  point.city_name_en = city->string("name_en", "", diags);
}

// City files that no process of this scenario read: a stray file, a misspelt file name, or the
// configuration of a process the scenario does not run. Warnings: the scenario still runs.
std::vector<Diagnostic> unread_city_files(const LoadedScenario& loaded,
                                          const Simulation& simulation, const Registry& registry) {
  std::vector<Diagnostic> warnings;
  if (loaded.city_dir.empty()) return warnings;
  const std::vector<std::string>& run = simulation.process_names();
  std::string not_run;
  for (const std::string& name : registry.names())
    if (std::find(run.begin(), run.end(), name) == run.end())
      not_run += (not_run.empty() ? "" : ", ") + name;
  const std::string why = not_run.empty() ? "" : " (this scenario does not run " + not_run + ")";
  for (const auto& file : loaded.city.entries())
    if (!file.value->was_read())
      warnings.push_back({file.key_loc, "no process of this scenario reads " +
                                            fs::path(file.key_loc.file).filename().string() + why});
  // CSV tables are read through a YAML file's {csv: …}; one that no YAML file names is stray.
  std::set<fs::path> tables;
  for (const std::string& path : loaded.files_read) {
    std::error_code ec;
    tables.insert(fs::weakly_canonical(path, ec));
  }
  std::vector<fs::path> stray;
  std::error_code ec;
  for (fs::directory_iterator it(loaded.city_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& path = it->path();
    std::error_code type_ec, canonical_ec;
    if (path.extension() == ".csv" && it->is_regular_file(type_ec) &&
        !tables.count(fs::weakly_canonical(path, canonical_ec)))
      stray.push_back(path);
  }
  std::sort(stray.begin(), stray.end());
  for (const fs::path& path : stray)
    warnings.push_back(
        {SourceLoc{path.string(), 0, 0},
         "no YAML file of the city reads this table (as {csv: " + path.filename().string() + "})"});
  return warnings;
}

// True when every replicate needs its own configuration: its parameter values are drawn from the
// design, or it takes a particle of a calibration's posterior.
bool per_replicate(const Point& point) {
  return (!point.space.empty() && point.space.mode() == ParameterMode::Sampled) ||
         point.posterior.has_value();
}

// Replicate k's configuration: the trees with every distribution replaced by the replicate's
// value, and the values of its posterior particle laid over the scenario (the posterior replaces
// the prior of what it calibrates). The trees live as long as the simulation configured on them.
struct ReplicateSetup {
  std::unique_ptr<ParamNode> scenario, city;
  std::unique_ptr<Simulation> simulation;
};
ReplicateSetup configure_replicate(const Point& point, std::uint32_t replicate,
                                   const Registry& registry, Diagnostics& diags) {
  const std::vector<double> values = point.space.values(replicate);
  ReplicateSetup setup;
  setup.scenario = std::make_unique<ParamNode>(point.space.realise(point.loaded.scenario, values));
  setup.city = std::make_unique<ParamNode>(point.space.realise(point.loaded.city, values));
  if (point.posterior) apply_particle(*setup.scenario, *point.posterior, replicate, diags);
  if (!diags.empty()) return setup;
  setup.simulation = std::make_unique<Simulation>(
      Simulation::configure(*setup.scenario, *setup.city, registry, diags));
  return setup;
}

// Every replicate's values must be valid for the readers (a distribution's support may leave a
// parameter's range): configures each replicate before anything runs and reports the first one
// that fails, every error with the distribution it came from.
void validate_replicates(const Point& point, const Registry& registry, Diagnostics& diags) {
  if (!per_replicate(point)) return;
  const std::uint32_t replicates = point.simulation->run().replicates;
  for (std::uint32_t r = 0; r < replicates; ++r) {
    Diagnostics replicate_diags;
    configure_replicate(point, r, registry, replicate_diags);
    if (replicate_diags.empty()) continue;
    const std::vector<double> values = point.space.values(r);
    for (const Diagnostic& d : replicate_diags.errors()) {
      std::string note;
      for (std::size_t i = 0; i < point.space.parameters().size(); ++i) {
        const UncertainParameter& p = point.space.parameters()[i];
        if (p.loc.file == d.loc.file && p.loc.line == d.loc.line && p.loc.column == d.loc.column)
          note = " (replicate " + std::to_string(r) + " drew " + exact_number_text(values[i]) +
                 " from " + p.distribution.describe() +
                 "; keep the distribution inside the parameter's range, e.g. with low/high)";
      }
      diags.error(d.loc, d.message + (note.empty() ? " (replicate " + std::to_string(r) +
                                                         "'s parameter values)"
                                                   : note));
    }
    return;
  }
}

// Loads and configures; records every error in diags. `set_starts`: where each override stands
// on the command line (load_scenario).
std::unique_ptr<Point> prepare(const std::string& scenario, const std::vector<std::string>& sets,
                               const Registry& registry, Diagnostics& diags,
                               const std::vector<SourceLoc>& set_starts = {}) {
  auto point = std::make_unique<Point>();
  point->loaded = load_scenario(scenario, sets, diags, set_starts);
  // Errors that leave the trees whole (a duplicate key, a bad CSV row) do not stop the checks of
  // keys, types and ranges: every error shows at once.
  if (!point->loaded.complete) return nullptr;
  // A scenario may leave out processes of the one it extends: their inherited blocks are set
  // aside with a note before configuring, which would call them unknown keys.
  point->notes = set_aside_unrun_processes(point->loaded, registry.names(), diags);
  if (ParamRecorder* recorder = ParamRecorder::active()) {  // a describe pass: cli/reference.h
    recorder->forget_trees();
    recorder->add_document(point->loaded.scenario, "scenario");
    recorder->add_city(point->loaded.city);
  }
  // Targets first, through find(), so that unknown keys in the targets file are reported with
  // the rest of the city config.
  // (Each reader is named for a describe pass: core/param_record.h, cli/reference.h.)
  {
    const ParamRecorder::Reader reader("targets (scorecard)", false);
    if (const ParamNode* targets = point->loaded.city.find("targets"))
      point->targets = read_targets(*targets, diags);
  }
  {
    const ParamRecorder::Reader reader("observed (calibration, hindcast)", false);
    if (const ParamNode* observed = point->loaded.city.find("observed"))
      point->observed = read_observed(*observed, diags);
  }
  {
    const ParamRecorder::Reader reader("display names", false);
    read_city_names(*point, diags);
  }
  // The design needs the seed before any process reads its parameters (errors of the run block
  // are reported by configure).
  Diagnostics run_diags;
  const RunSettings settings = read_run_settings(point->loaded.scenario, run_diags);
  Diagnostics space_diags;
  {
    const ParamRecorder::Reader reader("uncertainty (parameter design)", false);
    point->space = ParameterSpace::find(point->loaded.scenario, point->loaded.city, settings.seed,
                                        space_diags);
  }
  for (const Diagnostic& d : space_diags.errors()) diags.error(d.loc, d.message);
  point->registry = &registry;
  const ParamNode* base_scenario = &point->loaded.scenario;
  const ParamNode* base_city = &point->loaded.city;
  // Distributions held at their medians (uncertainty.vary) need the realised trees too.
  if (point->space.distribution_locations().empty() && space_diags.empty()) {
    point->simulation = std::make_unique<Simulation>(
        Simulation::configure(point->loaded.scenario, point->loaded.city, registry, diags));
  } else {
    const std::vector<double> central = point->space.central();
    point->central_scenario =
        std::make_unique<ParamNode>(point->space.realise(point->loaded.scenario, central));
    point->central_city =
        std::make_unique<ParamNode>(point->space.realise(point->loaded.city, central));
    base_scenario = point->central_scenario.get();
    base_city = point->central_city.get();
    if (ParamRecorder* recorder = ParamRecorder::active()) {  // read as written, not as a year's
      recorder->forget_trees();
      recorder->add_document(*base_scenario, "scenario");
      recorder->add_city(*base_city);
    }
    // With bad distributions, every other error still shows (all errors at once), but not a
    // reader's complaint about a distribution it could not read as a number.
    Diagnostics configure_diags;
    point->simulation = std::make_unique<Simulation>(
        Simulation::configure(*base_scenario, *base_city, registry, configure_diags));
    const auto& at_distribution = point->space.distribution_locations();
    for (const Diagnostic& d : configure_diags.errors()) {
      const bool about_distribution =
          !space_diags.empty() &&
          std::any_of(at_distribution.begin(), at_distribution.end(), [&](const SourceLoc& l) {
            return l.file == d.loc.file && l.line == d.loc.line && l.column == d.loc.column;
          });
      if (!about_distribution) diags.error(d.loc, d.message);
    }
  }
  if (point->observed) check_observed_units(*point->observed, point->simulation->catalog(), diags);
  if (!diags.empty()) return nullptr;
  const ParamNode* uncertainty = point->loaded.scenario.peek("uncertainty");
  if (uncertainty && point->space.mode() == ParameterMode::Central) {
    // Central: no parameter is drawn, the posterior's neither. The scenario's own values stand
    // (a calibrated baseline writes the posterior's means), so only Monte Carlo noise remains.
    if (const ParamNode* file = uncertainty->is_map() ? uncertainty->peek("posterior") : nullptr)
      if (file->text() != "none") point->posterior_not_drawn = file->text();
  } else if (uncertainty) {
    point->posterior = read_posterior_use(*uncertainty, point->loaded, *base_scenario, *base_city,
                                          point->simulation->run(), registry, diags);
    // Where the calibration constrains a parameter, its posterior replaces the prior.
    if (point->posterior) {
      std::vector<std::string> paths;
      for (std::size_t p : point->posterior->applied)
        paths.push_back(point->posterior->posterior.parameters[p]);
      point->space.drop_replaced(paths);
    }
  }
  if (!diags.empty()) return nullptr;
  // Distributions in files of processes this scenario does not run are no parameters of it.
  point->space.keep_read();
  validate_replicates(*point, registry, diags);
  if (!diags.empty()) return nullptr;
  // What configure read, the same on every rank and for resumed runs (reads during replicates
  // would depend on which rank ran them).
  point->assumptions = used_assumptions(point->loaded);
  point->warnings = unread_city_files(point->loaded, *point->simulation, registry);
  // What the run leaves out for want of a process that makes data a listed one reads.
  const std::vector<Diagnostic>& left_out = point->simulation->notes();
  point->notes.insert(point->notes.end(), left_out.begin(), left_out.end());
  return point;
}

// "file:line:col: note: …" lines on stderr (rank 0 only).
void print_notes(const Point& point) {
  if (MpiSession::rank() != 0) return;
  for (const Diagnostic& note : point.notes)
    std::cerr << note.loc.str() << ": note: " << note.message << "\n";
  for (const Diagnostic& warning : point.warnings)
    std::cerr << warning.loc.str() << ": warning: " << warning.message << "\n";
}

}  // namespace

// The output checks and the input-error report that other commands share (scenario_runs.h).
/// The output of a run (or a sweep point): not empty, not a directory, not one of the inputs.
void check_output_path(const std::string& output, const std::string& option,
                       const std::vector<std::string>& inputs, Diagnostics& diags) {
  std::error_code ec;
  if (output.empty()) {
    diags.error(command_line_place("--output"),
                option + ": the output path is empty; give a file name");
    return;
  }
  if (fs::is_directory(output, ec)) {
    diags.error(command_line_place("--output"),
                option + " '" + output + "': is a directory; give a file name inside it (e.g. " +
                    (fs::path(output) / "results.h5").string() + ")");
    return;
  }
  const fs::path target = fs::weakly_canonical(output, ec);
  for (const std::string& input : inputs) {
    std::error_code same_ec;
    const bool same = fs::exists(output, same_ec) ? fs::equivalent(output, input, same_ec)
                                                  : fs::weakly_canonical(input, same_ec) == target;
    if (same) {
      diags.error(command_line_place("--output"), option + " '" + output +
                                                      "': is an input of this run ('" + input +
                                                      "'); writing there would destroy it, give "
                                                      "another file name");
      return;
    }
  }
}

/// True when another process holds `lock_file` locked (a run writing the same output).
static bool locked_by_another_process(const fs::path& lock_file) {
  const int fd = ::open(lock_file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool locked = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);
  return locked;
}

/// The partial results of an earlier run in `parts`: a running job's are refused; an
/// interrupted job's need --resume (continue) or --fresh (discard), never a silent deletion.
void check_parts(const fs::path& parts, const std::string& output, bool resume, bool fresh,
                 Diagnostics& diags) {
  if (resume && fresh) {
    // At the later of the two, the one that contradicts the other.
    const SourceLoc at_resume = command_line_place("--resume");
    const SourceLoc at_fresh = command_line_place("--fresh");
    diags.error(at_resume.column > at_fresh.column ? at_resume : at_fresh,
                "--resume and --fresh exclude each other: --resume continues "
                "an interrupted run, --fresh discards it");
    return;
  }
  std::error_code ec;
  if (!fs::is_directory(parts, ec)) return;
  if (locked_by_another_process(parts / ItemStore::kLockFileName)) {
    diags.error(command_line_place("--output"),
                "another plansim run is writing '" + output + "' now (it holds " +
                    (parts / ItemStore::kLockFileName).string() +
                    "); wait for it to finish or give another output");
    return;
  }
  bool holds_work = false;
  for (fs::directory_iterator it(parts, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename() != ItemStore::kLockFileName) holds_work = true;
  if (holds_work && !resume && !fresh)
    diags.error(command_line_place("--output"),
                "'" + parts.string() + "/' holds the partial results of an interrupted run of '" +
                    output + "': continue it with --resume, or discard them with --fresh");
}

OutputLock::OutputLock(const fs::path& parts) {
  std::error_code ec;
  fs::create_directories(parts, ec);
  fd_ = ::open((parts / ItemStore::kLockFileName).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  held_ = fd_ >= 0 && ::flock(fd_, LOCK_EX | LOCK_NB) == 0;
}
OutputLock::~OutputLock() {
  if (fd_ >= 0) ::close(fd_);
}

/// Removes `<output>.tmp-<pid>` files left by writers that no longer run (a killed run).
void remove_stale_temporaries(const std::string& output) {
  const fs::path path(output);
  const std::string prefix = path.filename().string() + ".tmp-";
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.empty() || digits.size() > 9 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
      continue;
    const pid_t pid = static_cast<pid_t>(std::stol(digits));
    if (::kill(pid, 0) != 0 && errno == ESRCH) {
      std::error_code removed;
      fs::remove(it->path(), removed);
    }
  }
}

/// Rank 0's verdict on checks only it makes (the file system), shared with every rank.
bool shared_verdict(bool ok) {
  std::string flag = ok ? "1" : "0";
  MpiSession::broadcast(flag);
  return flag == "1";
}

int report_input_errors(const Diagnostics& diags) {
  if (MpiSession::rank() == 0) {
    std::cerr << diags.format();
    std::cerr << diags.size() << (diags.size() == 1 ? " error" : " errors")
              << "; nothing was run or written\n";
  }
  return 2;
}

namespace {

std::string scenario_name(const ParamNode& scenario, const std::string& path) {
  if (const ParamNode* meta = scenario.peek("scenario"))
    if (const ParamNode* name = meta->peek("name"); name && name->is_scalar()) return name->text();
  return fs::path(path).stem().string();
}

bool ensure_parent(const std::string& output) {
  const fs::path parent = fs::path(output).parent_path();
  std::error_code ec;
  if (!parent.empty()) fs::create_directories(parent, ec);
  if (ec) std::cerr << "error: cannot create directory " << parent << ": " << ec.message() << "\n";
  return !ec;
}

RunMeta make_meta(const Point& point, const std::string& scenario_path,
                  const std::string& command_line, int threads) {
  const RunSettings& run = point.simulation->run();
  RunMeta meta;
  meta.engine_version = kEngineVersion;
  meta.git_sha = kGitSha;
  meta.schema_version = kSchemaVersion;
  meta.command_line = command_line;
  meta.scenario_name = scenario_name(point.loaded.scenario, scenario_path);
  meta.city_name = point.city_name;
  if (!point.city_name_en.empty()) meta.extra.push_back({"city_name_en", point.city_name_en});
  meta.scenario_yaml = point.loaded.scenario.to_yaml();
  meta.scenario_sha256 = sha256_hex(meta.scenario_yaml);
  meta.seed = run.seed;
  meta.replicates = run.replicates;
  meta.threads = threads;
  meta.ranks = MpiSession::size();
  meta.start_year = run.start_year;
  meta.end_year = run.end_year;
  meta.scale = run.scale;
  meta.files_read = point.loaded.files_read;
  meta.assumptions = point.assumptions;
  meta.extra.push_back({"uncertainty", point.space.describe()});
  for (std::size_t i = 0; i < point.overrides.size(); ++i)
    meta.extra.push_back({"sweep_setting_" + std::to_string(i), point.overrides[i]});
  if (point.posterior) {
    std::string applied, kept;
    for (std::size_t p : point.posterior->applied)
      applied += (applied.empty() ? "" : "; ") + point.posterior->posterior.parameters[p];
    for (const std::string& k : point.posterior->kept) kept += (kept.empty() ? "" : "; ") + k;
    meta.extra.push_back({"uncertainty_posterior", point.posterior->file});
    meta.extra.push_back({"posterior_parameters", applied});
    meta.extra.push_back({"posterior_parameters_kept", kept});
  }
  if (!point.posterior_not_drawn.empty())
    meta.extra.push_back({"uncertainty_posterior_not_drawn", point.posterior_not_drawn});
  return meta;
}

// Runs every (point, replicate) item over the available ranks and writes one file per point on
// rank 0. Returns the exit status.
// Replicate `replicate` of a point: with drawn parameters or a posterior particle on its own
// configuration.
ReplicateResults run_point_replicate(const Point& point, std::uint32_t replicate,
                                     const Registry& registry,
                                     const Simulation::Progress& progress) {
  if (!per_replicate(point)) return point.simulation->run_replicate(replicate, progress);
  Diagnostics diags;
  ReplicateSetup setup = configure_replicate(point, replicate, registry, diags);
  if (!diags.empty())  // validated before the run; only a changed input could get here
    throw std::runtime_error("the parameters of replicate " + std::to_string(replicate) +
                             " are invalid:\n" + diags.format());
  setup.simulation->run().threads = point.simulation->run().threads;
  ReplicateResults results = setup.simulation->run_replicate(replicate, progress);
  if (point.posterior)
    results.scalars["posterior_particle"] = point.posterior->particle_of(replicate);
  return results;
}

// What the intervals and P(met) of a point carry, for the scorecard and the summary.
std::string uncertainty_sources(const Point& point) {
  if (point.space.mode() == ParameterMode::Central &&
      (!point.space.empty() || !point.posterior_not_drawn.empty()))
    return "Monte Carlo noise only: " + point.space.describe() +
           (point.posterior_not_drawn.empty() ? "" : ", the posterior not drawn") +
           " (uncertainty.parameters: central)";
  std::string sources = point.space.empty() ? "" : point.space.describe();
  if (point.posterior)
    sources +=
        (sources.empty() ? "" : ", ") + std::string("the posterior of ") + point.posterior->file;
  return sources.empty() ? "Monte Carlo noise only (no uncertain parameter: docs/uncertainty.md)"
                         : sources + " and Monte Carlo noise";
}

// /parameters of a point's file: every replicate's values with the distributions.
std::vector<ParameterRecord> parameter_records(const Point& point,
                                               const std::vector<ReplicateResults>& replicates) {
  std::vector<ParameterRecord> records;
  const ParameterSpace& space = point.space;
  for (const UncertainParameter& p : space.parameters()) {
    ParameterRecord record;
    record.key = p.key;
    record.distribution = p.distribution.describe();
    record.yaml = p.distribution.to_yaml();
    record.location = p.loc.str();
    record.draw = p.draw;
    record.coordinate = static_cast<std::uint32_t>(p.coordinate);
    record.source = space.mode() == ParameterMode::Central
                        ? "central: the median of the distribution"
                        : "design: point k of the scrambled Sobol' sequence of seed " +
                              std::to_string(space.seed()) + " (replicate k)";
    records.push_back(std::move(record));
  }
  for (const ReplicateResults& r : replicates) {
    const std::vector<double> values = space.values(r.replicate);
    for (std::size_t i = 0; i < records.size(); ++i) records[i].values.push_back(values[i]);
  }
  // The parameters a calibration's posterior gives: the value of each replicate's particle.
  if (const auto& use = point.posterior) {
    const std::size_t P = use->posterior.parameters.size();
    for (std::size_t p : use->applied) {
      ParameterRecord record;
      record.key = use->posterior.parameters[p];
      record.distribution = "posterior of " + use->file;
      record.location = use->loc.str();
      record.source = "posterior " + use->file +
                      ": a particle drawn by weight from the replicate's stream (scalar "
                      "posterior_particle)";
      record.coordinate.reset();
      for (const ReplicateResults& r : replicates)
        record.values.push_back(use->posterior.values[use->particle_of(r.replicate) * P + p]);
      records.push_back(std::move(record));
    }
  }
  return records;
}

/// The end of every failure after the parts folder was prepared: how to continue.
std::string resume_hint(const ItemStore& store) {
  return "  the finished replicates are kept in " + store.directory().string() +
         "/: once the cause is fixed (e.g. disk space), run the same command with --resume\n";
}

int execute(std::vector<std::unique_ptr<Point>>& points, const Registry& registry,
            const std::string& source_path, const std::string& command_line, int requested_threads,
            bool quiet, bool resume, bool print_summary, const std::string& parts_dir,
            Profile& profile, bool print_profile = false) {
  const auto wall_start = std::chrono::steady_clock::now();
  const int threads = requested_threads > 0 ? requested_threads : tbb::info::default_concurrency();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  const bool writer = MpiSession::rank() == 0;
  const bool talk = writer && !quiet;

  std::vector<WorkItem> items;
  std::string fingerprint = std::string(kEngineVersion) + " " + kGitSha;
  int years = 0;
  for (std::uint32_t p = 0; p < points.size(); ++p) {
    RunSettings& run = points[p]->simulation->run();
    run.threads = threads;
    for (std::uint32_t r = 0; r < run.replicates; ++r) items.push_back({p, r});
    fingerprint += " " + sha256_hex(points[p]->loaded.scenario.to_yaml());
    if (const auto& use = points[p]->posterior) {
      std::string particles;
      for (double v : use->posterior.values) particles += std::to_string(v) + " ";
      for (double w : use->posterior.weights) particles += std::to_string(w) + " ";
      fingerprint += " " + use->file + " " + sha256_hex(particles);
      if (talk)
        for (const std::string& kept : use->kept)
          spdlog::warn(
              "{}: uncertainty.posterior: {} is the scenario's own value in every "
              "replicate; the posterior's draws of it are not used",
              source_path, kept);
    }
    years = run.end_year - run.start_year + 1;
    if (writer && !ensure_parent(points[p]->output)) return 1;
  }
  const ItemStore store(parts_dir, sha256_hex(fingerprint));
  std::optional<OutputLock> lock;
  if (writer) {
    lock.emplace(parts_dir);
    if (!lock->held()) {  // a second run that started at the same moment
      std::cerr << "error: another plansim run is writing " << parts_dir
                << " now; wait for it to finish or give another output\n";
      MpiSession::abort_all(2);
    }
    for (const auto& point : points) remove_stale_temporaries(point->output);
  }
  try {
    if (writer) store.open(resume);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    MpiSession::abort_all(2);
  }

  if (talk) {
    const RunSettings& run = points.front()->simulation->run();
    spdlog::info(
        "{}: {} point(s) × {} replicate(s) = {} item(s), {}–{}, seed {}, scale {}, {} "
        "rank(s) × {} thread(s)",
        source_path, points.size(), run.replicates, items.size(), run.start_year, run.end_year,
        run.seed, run.scale, MpiSession::size(), threads);
  }
  Progress progress(static_cast<std::uint32_t>(items.size()), years,
                    !talk || MpiSession::size() > 1);
  std::size_t finished = 0;
  std::vector<ReplicateResults> results;
  PhaseTime simulate{"run", "simulate"};
  PhaseTimer simulate_timer;
  try {
    results = run_work_items(
        items,
        [&](const WorkItem& item) {
          return run_point_replicate(*points[item.point], item.replicate, registry,
                                     [&](std::uint32_t, int year, const World& w) {
                                       progress.update(static_cast<std::uint32_t>(finished), year,
                                                       w.persons.size());
                                     });
        },
        &store,
        [&](const WorkItem& item) {
          ++finished;
          if (talk && MpiSession::size() > 1)
            spdlog::info("finished {} ({}/{})", item.label(), finished, items.size());
        });
  } catch (const std::exception& e) {
    progress.finish();
    std::cerr << "error: " << e.what() << "\n";
    // The manifest and the replicates saved before the failure are kept: without --resume the
    // next run would stop at them (check_parts), so say how to continue.
    if (writer) std::cerr << resume_hint(store);
    return 1;
  }
  progress.finish();
  simulate_timer.stop(simulate);
  if (!writer) return 0;
  profile.add(simulate.process, simulate.phase, simulate.wall_seconds, simulate.cpu_seconds);
  for (const ReplicateResults& r : results) profile.merge(r.profile);

  // Rank 0: one file per point, replicates in order.
  std::size_t next = 0;
  for (auto& point : points) {
    RunOutput out;
    out.catalog = &point->simulation->catalog();
    for (std::uint32_t r = 0; r < point->simulation->run().replicates; ++r)
      out.replicates.push_back(std::move(results[next++]));
    out.parameters = parameter_records(*point, out.replicates);
    out.meta = make_meta(*point, source_path, command_line, threads);
    out.meta.wall_time_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    // Everything up to the writing of the file, like wall_time_seconds.
    out.meta.extra.push_back({"profile", profile.csv()});
    std::string scorecard_text;
    PhaseTime write{"run", "write"};
    PhaseTimer write_timer;
    // The scorecard and the hindcast go into the same file, written once.
    Scorecard scorecard;
    EnsembleSummary summary;
    std::optional<PlanOutput> plan;
    Hindcast hindcast;
    std::optional<HindcastOutput> observed;
    try {
      if (point->targets) {
        scorecard =
            compute_scorecard(*point->targets, out.replicates, point->simulation->catalog());
        scorecard.uncertainty = uncertainty_sources(*point);
        summary = summarise_ensemble(out.replicates);
        plan.emplace(PlanOutput{*point->targets, scorecard, summary});
        out.plan = &*plan;
        scorecard_text = format_scorecard(scorecard, terminal_columns(STDOUT_FILENO));
      }
      if (point->observed) {
        hindcast = compute_hindcast(*point->observed, out.replicates, point->simulation->catalog());
        observed.emplace(HindcastOutput{*point->observed, hindcast});
        out.hindcast = &*observed;
        scorecard_text += format_hindcast(hindcast, terminal_columns(STDOUT_FILENO));
      }
      write_results(point->output, out);
    } catch (const std::exception& e) {
      std::cerr << "error: " << e.what() << "\n" << resume_hint(store);
      return 1;
    }
    write_timer.stop(write);
    profile.add(write.process, write.phase, write.wall_seconds, write.cpu_seconds);
    if (talk) spdlog::info("wrote {}", point->output);
    if (print_summary)
      std::cout << format_summary(out, point->simulation->catalog(),
                                  terminal_columns(STDOUT_FILENO))
                << scorecard_text;
  }
  store.remove();
  if (print_profile) {
    const double total =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    std::cerr << "profile: wall and CPU time per process and phase (" << threads
              << " thread(s); CPU/wall ≈ threads kept busy; also in /meta profile)\n"
              << profile.table(total, terminal_columns(STDERR_FILENO));
  }
  return 0;
}

std::string scalar_text(const ParamNode& value) {
  if (value.is_scalar()) return value.text();
  std::string yaml = value.to_yaml();
  while (!yaml.empty() && yaml.back() == '\n') yaml.pop_back();
  return yaml;
}

}  // namespace

std::vector<SourceLoc> written_as_sets(const std::string& command, const std::string& scenario,
                                       const std::vector<std::string>& sets) {
  std::vector<std::string> words{command, scenario};
  for (const std::string& set : sets) {
    words.push_back("--set");
    words.push_back(set);
  }
  const CommandLine line(words);
  std::vector<SourceLoc> starts;
  for (std::size_t i = 0; i < sets.size(); ++i) starts.push_back(line.at(line.column(3 + 2 * i)));
  return starts;
}

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
  sets.insert(sets.end(), o.option_overrides.begin(), o.option_overrides.end());
  return sets;
}

int run_command(const RunOptions& options) {
  Registry registry;
  register_builtin_processes(registry);
  Diagnostics diags;
  std::vector<std::unique_ptr<Point>> points;
  Profile profile;
  PhaseTime load{"run", "load"};
  PhaseTimer load_timer;
  const std::vector<std::string> overrides = effective_overrides(options);
  points.push_back(prepare(options.scenario, overrides, registry, diags,
                           options.override_starts.size() == overrides.size()
                               ? options.override_starts
                               : written_as_sets("run", options.scenario, overrides)));
  for (const Diagnostic& d : options.usage_errors) diags.error(d.loc, d.message);
  load_timer.stop(load);
  profile.add(load.process, load.phase, load.wall_seconds, load.cpu_seconds);
  if (points.front() && diags.empty() && !options.quiet) print_notes(*points.front());
  const std::string output =
      options.output.empty() && !options.output_given
          ? (fs::path("results") / (fs::path(options.scenario).stem().string() + ".h5")).string()
          : options.output;
  // The output is checked with the inputs, so that every error shows at once.
  if (MpiSession::rank() == 0) {
    const std::vector<std::string> inputs = points.front()
                                                ? points.front()->loaded.files_read
                                                : std::vector<std::string>{options.scenario};
    check_output_path(output, "-o", inputs, diags);
    if (!output.empty())
      check_parts(output + ".parts", output, options.resume, options.fresh, diags);
  }
  if (!shared_verdict(diags.empty()) || !diags.empty()) return report_input_errors(diags);
  points.front()->output = output;
  return execute(points, registry, options.scenario, options.command_line, options.threads,
                 options.quiet, options.resume, options.summary, output + ".parts", profile,
                 options.profile);
}

int sweep_command(const SweepOptions& options) {
  Registry registry;
  register_builtin_processes(registry);
  Diagnostics diags;
  const ParamNode file = load_yaml_file(options.sweep_file, diags);
  if (!diags.empty()) return report_input_errors(diags);
  const ParamNode* sweep = file.require("sweep", diags);
  std::string scenario;
  std::vector<std::vector<std::string>> settings;  // overrides per point
  // Where each override's value is written in the sweep file, parallel to `settings`: a point's
  // error is located there, not on the command line its overrides are applied as.
  std::vector<std::vector<SourceLoc>> setting_locs;
  if (sweep && sweep->is_map()) {
    const ParamNode* scenario_node = sweep->require("scenario", diags);
    if (scenario_node && scenario_node->as_string(diags))
      scenario = (fs::path(options.sweep_file).parent_path() / scenario_node->text()).string();
    sweep->find("name");
    std::vector<std::string> common;
    std::vector<SourceLoc> common_locs;
    if (const ParamNode* replicates = sweep->find("replicates"))
      if (auto n = replicates->as_integer(diags, 1, 100000)) {
        common.push_back("run.replicates=" + std::to_string(*n));
        common_locs.push_back(replicates->loc());
      }
    if (const ParamNode* set = sweep->find("set")) {
      if (!set->is_map()) diags.error(set->loc(), "sweep.set: expected a map of key: value");
      for (const auto& e : set->entries()) {
        e.value->mark_all_used();
        common.push_back(e.key + "=" + scalar_text(*e.value));
        common_locs.push_back(e.value->loc());
      }
    }
    // Grid: the cartesian product of the listed values, first key varying slowest.
    if (const ParamNode* grid = sweep->find("grid")) {
      std::vector<std::vector<std::string>> product{{}};
      std::vector<std::vector<SourceLoc>> product_locs{{}};
      if (!grid->is_map()) diags.error(grid->loc(), "sweep.grid: expected a map of key: [values]");
      // The size of the product before it is built: a grid of 10^6 points is refused at once.
      std::size_t size = 1;
      for (const auto& e : grid->entries())
        if (e.value->is_sequence() && !e.value->items().empty())
          size = std::min(size * e.value->items().size(), kMaxSweepPoints + 1);
      if (size > kMaxSweepPoints) {
        grid->mark_all_used();
        diags.error(grid->loc(), "sweep.grid: the grid has more than " +
                                     std::to_string(kMaxSweepPoints) +
                                     " points (the product of its lists' lengths); split the "
                                     "sweep (limits: docs/input-limits.md)");
      }
      for (const auto& e : grid->entries()) {
        if (size > kMaxSweepPoints) break;
        e.value->mark_all_used();
        if (!e.value->is_sequence() || e.value->items().empty()) {
          diags.error(e.value->loc(),
                      "sweep.grid." + e.key + ": expected a non-empty list of values");
          continue;
        }
        std::vector<std::vector<std::string>> next;
        std::vector<std::vector<SourceLoc>> next_locs;
        for (std::size_t i = 0; i < product.size(); ++i)
          for (const auto& v : e.value->items()) {
            auto extended = product[i];
            extended.push_back(e.key + "=" + scalar_text(v));
            next.push_back(std::move(extended));
            auto extended_locs = product_locs[i];
            extended_locs.push_back(v.loc());
            next_locs.push_back(std::move(extended_locs));
          }
        product = std::move(next);
        product_locs = std::move(next_locs);
      }
      if (!grid->entries().empty()) {
        settings = std::move(product);
        setting_locs = std::move(product_locs);
      }
    }
    if (const ParamNode* list = sweep->find("points")) {
      if (!list->is_sequence()) diags.error(list->loc(), "sweep.points: expected a list of maps");
      for (const auto& item : list->items()) {
        item.mark_all_used();
        if (!item.is_map()) {
          diags.error(item.loc(), item.path() + ": expected a map of key: value");
          continue;
        }
        std::vector<std::string> point;
        std::vector<SourceLoc> point_locs;
        for (const auto& e : item.entries()) {
          point.push_back(e.key + "=" + scalar_text(*e.value));
          point_locs.push_back(e.value->loc());
        }
        settings.push_back(std::move(point));
        setting_locs.push_back(std::move(point_locs));
      }
    }
    if (settings.size() > kMaxSweepPoints)
      diags.error(sweep->loc(), "sweep: " + std::to_string(settings.size()) +
                                    " points (grid and points together) exceed the limit of " +
                                    std::to_string(kMaxSweepPoints) +
                                    "; split the sweep (limits: docs/input-limits.md)");
    if (settings.empty()) settings.push_back({});
    setting_locs.resize(settings.size());
    for (auto& point : settings) point.insert(point.begin(), common.begin(), common.end());
    for (auto& locs : setting_locs)
      locs.insert(locs.begin(), common_locs.begin(), common_locs.end());
  } else if (sweep) {
    diags.error(sweep->loc(), "sweep: expected a map with scenario, grid and/or points");
  }
  file.report_unused(diags);
  if (!diags.empty()) {
    for (const Diagnostic& d : options.usage_errors) diags.error(d.loc, d.message);
    return report_input_errors(diags);
  }

  const std::string dir = options.output_dir.empty() && !options.output_given
                              ? (fs::path("results") / fs::path(options.sweep_file).stem()).string()
                              : options.output_dir;
  if (options.point && *options.point >= settings.size()) {
    diags.error(command_line_place("--point"),
                "--point " + std::to_string(*options.point) + ": the sweep has " +
                    std::to_string(settings.size()) + " point(s), numbered 0 to " +
                    std::to_string(settings.size() - 1));
  }
  for (const Diagnostic& d : options.usage_errors) diags.error(d.loc, d.message);
  // Every point is validated, also with --point: a job array fails in every element or in none.
  std::vector<std::unique_ptr<Point>> points;
  std::vector<std::string> files;
  for (std::size_t p = 0; p < settings.size(); ++p) {
    char name[32];
    std::snprintf(name, sizeof name, "point-%03zu.h5", p);
    files.push_back(name);
    Diagnostics point_diags;
    auto point = prepare(scenario, settings[p], registry, point_diags);
    if (!point_diags.empty()) {
      for (const auto& d : point_diags.errors()) {
        // The N-th override of the point is the N-th line of its command line: its value's
        // place in the sweep file.
        SourceLoc at = d.loc;
        if (io_text::is_command_line(at.file) && at.line >= 1 &&
            static_cast<std::size_t>(at.line) <= setting_locs[p].size())
          at = setting_locs[p][static_cast<std::size_t>(at.line) - 1];
        diags.error(at, "sweep point " + std::to_string(p) + ": " + d.message);
      }
      continue;
    }
    point->output = (fs::path(dir) / name).string();
    point->overrides = settings[p];
    if (!options.point || *options.point == p) points.push_back(std::move(point));
  }
  // One point alone (a job array element) keeps its partial results apart from the others'.
  const std::string parts =
      options.point ? dir + "/.parts-" + std::to_string(*options.point) : dir + "/.parts";
  if (MpiSession::rank() == 0) {
    std::error_code ec;
    if (dir.empty())
      diags.error(command_line_place("--output"),
                  "-o: the output folder is empty; give a folder name");
    else if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
      diags.error(command_line_place("--output"),
                  "-o '" + dir +
                      "': is a file, not a folder; give a folder for "
                      "point-NNN.h5 and index.csv");
    else
      check_parts(parts, dir, options.resume, options.fresh, diags);
    std::set<std::string> unique_inputs{options.sweep_file};
    for (const auto& point : points)
      unique_inputs.insert(point->loaded.files_read.begin(), point->loaded.files_read.end());
    const std::vector<std::string> inputs(unique_inputs.begin(), unique_inputs.end());
    for (const auto& point : points)
      if (!dir.empty()) check_output_path(point->output, "-o", inputs, diags);
  }
  if (!shared_verdict(diags.empty()) || !diags.empty()) return report_input_errors(diags);

  if (!options.quiet && !points.empty()) print_notes(*points.front());
  Profile profile;
  const int status = execute(points, registry, options.sweep_file, options.command_line,
                             options.threads, options.quiet, options.resume, false, parts, profile);
  if (status != 0 || MpiSession::rank() != 0) return status;
  // index.csv: one row per point, its file and its settings — the whole sweep, also when this run
  // computed one point (every array element writes the same content, renamed into place).
  const fs::path index = fs::path(dir) / "index.csv";
  const fs::path tmp =
      index.string() + ".tmp-" + (options.point ? std::to_string(*options.point) : "all");
  {
    std::ofstream out(tmp);
    out << "point,file,settings\n";
    for (std::size_t p = 0; p < settings.size(); ++p) {
      std::string joined;
      for (const auto& s : settings[p]) joined += (joined.empty() ? "" : "; ") + s;
      std::string quoted = "\"";
      for (char c : joined) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      out << p << "," << files[p] << "," << quoted << "\"\n";
    }
  }
  fs::rename(tmp, index);
  if (!options.quiet) {
    if (options.point)
      spdlog::info("sweep point {} of {} written to {} (index.csv lists every point)",
                   *options.point, settings.size(), points.front()->output);
    else
      spdlog::info("sweep of {} point(s) written to {}/ (index.csv lists them)", points.size(),
                   dir);
  }
  return 0;
}

std::string check_json(const std::string& scenario, const std::vector<std::string>& sets, bool* ok,
                       const std::vector<Diagnostic>& usage_errors,
                       const std::vector<SourceLoc>& set_starts) {
  Registry registry;
  register_builtin_processes(registry);
  Diagnostics diags;
  auto point = prepare(
      scenario, sets, registry, diags,
      set_starts.size() == sets.size() ? set_starts : written_as_sets("check", scenario, sets));
  for (const Diagnostic& d : usage_errors) diags.error(d.loc, d.message);
  if (ok) *ok = diags.empty();
  {
    nlohmann::ordered_json doc = {{"scenario", scenario}, {"ok", diags.empty()}};
    doc["errors"] = diagnostics_json(diags);
    if (point) {
      const RunSettings& run = point->simulation->run();
      doc["run"] = {{"start", run.start_year},
                    {"end", run.end_year},
                    {"replicates", run.replicates},
                    {"seed", run.seed},
                    {"scale", run.scale}};
      doc["processes"] = point->simulation->process_names();
      nlohmann::ordered_json notes = nlohmann::ordered_json::array();
      for (const Diagnostic& note : point->notes)
        notes.push_back({{"file", note.loc.file},
                         {"line", note.loc.line},
                         {"column", note.loc.column},
                         {"message", note.message}});
      doc["notes"] = std::move(notes);
      nlohmann::ordered_json warnings = nlohmann::ordered_json::array();
      for (const Diagnostic& warning : point->warnings)
        warnings.push_back({{"file", warning.loc.file},
                            {"line", warning.loc.line},
                            {"column", warning.loc.column},
                            {"message", warning.message}});
      doc["warnings"] = std::move(warnings);
      doc["city"] = {{"name_zh", point->city_name}, {"name_en", point->city_name_en}};
      doc["files_read"] = point->loaded.files_read;
    }
    return json_text(doc);
  }
}

int check_command(const std::string& scenario, const std::vector<std::string>& sets,
                  const std::string& format, const std::vector<Diagnostic>& usage_errors,
                  const std::vector<SourceLoc>& set_starts) {
  if (format == "json") {
    bool ok = false;
    std::cout << check_json(scenario, sets, &ok, usage_errors, set_starts);
    return ok ? 0 : 2;
  }
  Registry registry;
  register_builtin_processes(registry);
  Diagnostics diags;
  auto point = prepare(
      scenario, sets, registry, diags,
      set_starts.size() == sets.size() ? set_starts : written_as_sets("check", scenario, sets));
  for (const Diagnostic& d : usage_errors) diags.error(d.loc, d.message);
  if (!diags.empty()) return report_input_errors(diags);
  print_notes(*point);
  const RunSettings& run = point->simulation->run();
  std::string order;
  for (const auto& n : point->simulation->process_names())
    order += (order.empty() ? "" : " → ") + n;
  std::cout << scenario << ": ok — " << run.start_year << "–" << run.end_year << ", "
            << run.replicates << " replicate(s), seed " << run.seed << ", scale " << run.scale
            << "\n  city: " << point->city_name
            << (point->city_name_en.empty() ? "" : " (" + point->city_name_en + ")")
            << "\n  yearly order: " << order
            << "\n  files read: " << point->loaded.files_read.size()
            << "\n  uncertainty: " << point->space.describe() << "\n";
  return 0;
}

int inspect_command(const std::string& results_path, const std::string& format) {
  try {
    ResultsFile file(results_path);
    file.verify();
    // A results file may come from anyone: its text is printed with control characters escaped.
    if (format == "json")
      std::cout << json_text(inspect_json(file));
    else
      std::cout << printable(file.describe(terminal_columns(STDOUT_FILENO)));
  } catch (const std::exception& e) {
    if (format == "json") std::cout << json_text({{"path", results_path}, {"error", e.what()}});
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

int processes_command() {
  Registry registry;
  register_builtin_processes(registry);
  for (const auto& e : registry.entries()) {
    std::printf("  %-12s id %-3u %s\n", e.name.c_str(), static_cast<unsigned>(e.id),
                e.description.c_str());
    // What `processes:` must follow (ProcessNeeds): the order, the data made and read.
    if (!e.needs.after.empty())
      std::printf("  %-19s after %s\n", "", join(e.needs.after, ", ").c_str());
    if (!e.needs.before.empty())
      std::printf("  %-19s before %s\n", "", join(e.needs.before, ", ").c_str());
    if (!e.needs.makes.empty())
      std::printf("  %-19s makes %s\n", "", join(e.needs.makes, ", ").c_str());
    for (const ProcessNeeds::Read& read : e.needs.reads) {
      std::printf("  %-19s reads %s (of %s)%s\n", "", read.data.c_str(),
                  join(registry.makers_of(read.data), ", ").c_str(),
                  read.without.empty() ? ", required" : "");
    }
  }
  return 0;
}

}  // namespace plansim

namespace plansim {

struct PreparedScenario::Impl {
  std::unique_ptr<Point> point;
};

PreparedScenario::~PreparedScenario() = default;

std::unique_ptr<PreparedScenario> PreparedScenario::prepare(
    const std::string& scenario, const std::vector<std::string>& sets, const Registry& registry,
    Diagnostics& diags, const std::vector<SourceLoc>& set_starts) {
  std::unique_ptr<Point> point = plansim::prepare(scenario, sets, registry, diags, set_starts);
  if (!point) return nullptr;
  std::unique_ptr<PreparedScenario> prepared(new PreparedScenario());
  prepared->impl_ = std::make_unique<Impl>();
  prepared->impl_->point = std::move(point);
  return prepared;
}

const LoadedScenario& PreparedScenario::loaded() const { return impl_->point->loaded; }
const ParameterSpace& PreparedScenario::space() const { return impl_->point->space; }
const Simulation& PreparedScenario::simulation() const { return *impl_->point->simulation; }
Simulation& PreparedScenario::simulation() { return *impl_->point->simulation; }
const std::optional<Targets>& PreparedScenario::targets() const { return impl_->point->targets; }
bool PreparedScenario::has_posterior() const { return impl_->point->posterior.has_value(); }
std::vector<std::string> PreparedScenario::posterior_parameters() const {
  std::vector<std::string> paths;
  if (const auto& use = impl_->point->posterior)
    for (std::size_t p : use->applied) paths.push_back(use->posterior.parameters[p]);
  return paths;
}
std::string PreparedScenario::name() const {
  return scenario_name(loaded().scenario, loaded().scenario_path);
}
std::string PreparedScenario::city_name() const {
  const Point& point = *impl_->point;
  return point.city_name + (point.city_name_en.empty() ? "" : " (" + point.city_name_en + ")");
}
void PreparedScenario::print_notes() const { plansim::print_notes(*impl_->point); }

PreparedScenario::Configured PreparedScenario::configure_at(const std::vector<double>& values,
                                                            Diagnostics& diags) const {
  const Point& point = *impl_->point;
  Configured out;
  out.scenario = std::make_unique<ParamNode>(point.space.realise(point.loaded.scenario, values));
  out.city = std::make_unique<ParamNode>(point.space.realise(point.loaded.city, values));
  Simulation simulation = Simulation::configure(*out.scenario, *out.city, *point.registry, diags);
  if (diags.empty()) out.simulation = std::make_unique<Simulation>(std::move(simulation));
  return out;
}

}  // namespace plansim

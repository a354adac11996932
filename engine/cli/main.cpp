// plansim: the command-line front end. Parses arguments with CLI11 and calls cli/commands.h.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/calibrate.h"
#include "cli/commands.h"
#include "cli/compare.h"
#include "cli/init_city.h"
#include "cli/reference.h"
#include "cli/sensitivity.h"
#include "cli/usage.h"
#include "core/text.h"
#include "core/version.h"
#include "dist/work.h"
#include "io/hdf5_writer.h"
#include "io/scenario_loader.h"
#include "io/yaml_text.h"
#include "report/report.h"

namespace {
#ifdef PLANSIM_WITH_MPI
constexpr bool kBuiltWithMpi = true;
#else
constexpr bool kBuiltWithMpi = false;
#endif
const char* env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}
}  // namespace

int main(int argc, char** argv) {
  plansim::disable_hdf5_exit_handler();  // before any HDF5 call (io/hdf5_writer.h)
  plansim::MpiSession mpi(argc, argv);   // only when started by mpirun
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);
  auto logger = spdlog::stderr_color_mt("plansim");
  logger->set_pattern("%^[%l]%$ %v");
  spdlog::set_default_logger(logger);

  CLI::App app{
      "plansim — agent-based simulation of a city district's households, persons and services,\n"
      "projected year by year under a scenario and scored against its five-year plan."};
  app.set_version_flag("--version", std::string("plansim ") + plansim::kEngineVersion + " (" +
                                        plansim::kGitSha + ")");
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  plansim run scenarios/baseline.yaml                      # full district, "
      "results/baseline.h5\n"
      "  plansim run scenarios/baseline.yaml --scale 0.1 -o /tmp/quick.h5   # 10% sample, quick\n"
      "  plansim run scenarios/baseline.yaml --replicates 20 --seed 7       # an ensemble\n"
      "  plansim run scenarios/baseline.yaml --set demography.fertility.tfr=1.1\n"
      "  plansim check scenarios/my_policy.yaml                   # validate only\n"
      "  plansim inspect results/baseline.h5                      # what a results file holds\n"
      "  plansim compare results/baseline.h5 results/tod.h5       # indicators and targets side by "
      "side\n"
      "  plansim report results/baseline.h5 results/tod.h5 -o report.html   # the planner's web "
      "page\n"
      "  plansim sweep sweeps/tfr.yaml                            # a parameter sweep\n"
      "  plansim calibrate calibrations/baseline.yaml             # fit to the observed years\n"
      "  plansim sensitivity analyses/baseline-2025.yaml         # which assumptions decide a "
      "target\n"
      "  mpirun -n 4 plansim run scenarios/baseline.yaml --replicates 40   # replicates over "
      "ranks\n"
      "\nExit status: 0 success, 1 failure while running or writing, 2 invalid input (every error\n"
      "is printed as file:line:col: error: ..., and nothing is written).\n"
      "Docs: README.md, docs/hdf5-layout.md, engine/*/README.md.");

  plansim::RunOptions run;
  run.command_line = command_line;
  CLI::App* run_cmd = app.add_subcommand("run", "Run a scenario and write its results (HDF5)");
  run_cmd->add_option("scenario", run.scenario, "Scenario YAML file (required)");
  run_cmd->add_option("-o,--output", run.output,
                      "Results file (default: results/<scenario name>.h5); written to a temporary "
                      "file and renamed on success");
  // Taken as typed and checked with the scenario (run.replicates, run.seed, run.scale), so that
  // every error of the command line and the files shows at once, in one form.
  std::string replicates_text, seed_text, scale_text, run_threads_text;
  run_cmd->add_option("--replicates", replicates_text,
                      "Number of replicates, 1 to 100000 (overrides run.replicates)");
  run_cmd->add_option("--seed", seed_text,
                      "Random seed, 0 to 9223372036854775807 (overrides run.seed)");
  run_cmd->add_option("--scale", scale_text,
                      "Simulated persons per resident (overrides run.scale): below 1 a weighted "
                      "sample (0.1 = 10%), above 1 oversampling (10 = ten simulated persons per "
                      "resident, for scaling runs), 1e-6 to 10000; indicators are scaled back to "
                      "the whole city");
  run_cmd->add_option("--threads", run_threads_text,
                      "Worker threads, 1 to 4096 (default: all cores); results do not depend on "
                      "it");
  run_cmd
      ->add_option("--set", run.sets,
                   "Override any scenario value: key=value with a dotted path, e.g. "
                   "--set run.end=2030 --set demography.fertility.tfr=1.1")
      ->take_all()
      ->allow_extra_args(false);
  run_cmd->add_flag("-q,--quiet", run.quiet, "No progress bar and no log lines");
  run_cmd->add_flag("--resume", run.resume,
                    "Continue an interrupted run: reuse the replicates finished in <output>.parts/ "
                    "and compute only the missing ones");
  run_cmd->add_flag("--fresh", run.fresh,
                    "Discard the partial results of an interrupted run in <output>.parts/ and "
                    "start again (without --resume or --fresh, such results stop the run)");
  bool no_summary = false;
  run_cmd->add_flag("--no-summary", no_summary, "Do not print the summary table");
  run_cmd->add_flag("--profile", run.profile,
                    "Print wall and CPU time per process and phase (load, each process's "
                    "initialize and yearly step, write) at the end; every results file records "
                    "them in the /meta attribute 'profile'");

  std::string check_scenario;
  std::vector<std::string> check_sets;
  CLI::App* check_cmd =
      app.add_subcommand("check", "Validate a scenario and its city config; print every error");
  check_cmd->add_option("scenario", check_scenario, "Scenario YAML file (required)");
  check_cmd->add_option("--set", check_sets, "Overrides, as for run")->allow_extra_args(false);
  std::string check_format = "text";
  check_cmd->add_option("-f,--format", check_format,
                        "text, or json: {ok, errors: [{file, line, column, message}], run, "
                        "processes, files_read} on stdout (exit status 2 on errors all the same)");

  plansim::SweepOptions sweep;
  sweep.command_line = command_line;
  CLI::App* sweep_cmd = app.add_subcommand(
      "sweep",
      "Run a parameter sweep: every point of a grid or list × replicates, one file per point");
  sweep_cmd->add_option("sweep", sweep.sweep_file,
                        "Sweep YAML file, required (see README: Sweeps)");
  sweep_cmd->add_option(
      "-o,--output", sweep.output_dir,
      "Output folder (default: results/<sweep name>/): point-NNN.h5 and index.csv");
  std::string sweep_threads_text;
  sweep_cmd->add_option("--threads", sweep_threads_text, "Worker threads per rank, 1 to 4096");
  sweep_cmd->add_flag("-q,--quiet", sweep.quiet, "No progress and no log lines");
  sweep_cmd->add_flag("--resume", sweep.resume, "Continue an interrupted sweep");
  sweep_cmd->add_flag("--fresh", sweep.fresh,
                      "Discard the partial results of an interrupted sweep and start again");
  std::string point_text;
  sweep_cmd->add_option("--point", point_text,
                        "Run only point N (0-based; index.csv numbers them), e.g. one element of "
                        "a Slurm job array: --point \"$SLURM_ARRAY_TASK_ID\"");

  std::vector<std::string> compare_files;
  plansim::CompareOptions compare;
  CLI::App* compare_cmd = app.add_subcommand(
      "compare",
      "Compare results files: which scenario meets which target (P(met) and its "
      "change), or every indicator at 2025 and 2035 with differences from the first "
      "file and their 90% intervals");
  compare_cmd
      ->add_option("results", compare_files,
                   "Results files (.h5), at least one; the first is the reference")
      ->expected(1, -1);
  compare_cmd->add_option("-f,--format", compare.format,
                          "table (terminal), csv, markdown, or json (every indicator and target "
                          "with its distribution and differences, for programs)");
  compare_cmd->add_option("--view", compare.view,
                          "summary: the targets only, a column per file with P(met), status and "
                          "its change; full: every indicator and target; auto (default): summary "
                          "for more than two files");
  std::vector<std::string> years_text;
  compare_cmd
      ->add_option("--years", years_text,
                   "Years to show, 1900 to 2200, e.g. --years 2025,2030,2035 (default 2025,2035)")
      ->delimiter(',');
  compare_cmd->add_flag("--bom", compare.bom,
                        "Start the output with a UTF-8 byte order mark, so that Excel opens a CSV "
                        "with Chinese labels correctly");
  compare_cmd->footer(
      "Examples:\n"
      "  plansim compare results/baseline.h5 results/tod.h5 results/combined.h5   # targets only\n"
      "  plansim compare results/baseline.h5 results/combined.h5 --years 2025,2030,2035\n"
      "  plansim compare results/*.h5 --view full --format csv --bom > comparison.csv   # Excel\n"
      "Tables fit the terminal: below 120 columns a compact layout (no intervals, labels cut).");

  plansim::ReportOptions report;
  CLI::App* report_cmd = app.add_subcommand(
      "report",
      "Write the planner's report: one self-contained HTML page (Chinese and English) "
      "with the targets each scenario meets, trajectories, differences, zone maps, "
      "assumptions and provenance");
  report_cmd
      ->add_option("results", report.files,
                   "Results files (.h5), at least one; the first is the reference")
      ->expected(1, -1);
  report_cmd->add_option("-o,--output", report.output, "The HTML file to write (required)");
  report_cmd->add_option("--geometry", report.geometry,
                         "Zone polygons (GeoJSON with properties.key per zone; default: "
                         "zones.geojson of the run's city config)");
  report_cmd->add_option("--echarts", report.echarts,
                         "echarts.min.js to inline (default: $PLANSIM_ECHARTS, else "
                         "node_modules/echarts/dist/echarts.min.js, installed by "
                         "tools/install-deps.sh)");
  report_cmd->footer(
      "Example:\n"
      "  plansim report results/baseline.h5 results/combined.h5 -o results/report.html\n"
      "The page needs no network: open it in any browser, send it by mail.");

  std::string inspect_path;
  CLI::App* inspect_cmd = app.add_subcommand("inspect", "Describe a results file");
  inspect_cmd->add_option("results", inspect_path, "Results file (.h5), required");
  std::string inspect_format = "text";
  inspect_cmd->add_option("-f,--format", inspect_format,
                          "text, or json: meta, years, replicates, every series with unit, "
                          "labels, shape and first- and last-year means");

  plansim::CalibrateOptions calibrate;
  calibrate.command_line = command_line;
  CLI::App* calibrate_cmd = app.add_subcommand(
      "calibrate",
      "Fit a scenario's free parameters to the observed years (ABC-SMC): a posterior (HDF5) and "
      "a scenario fragment with its point estimates");
  calibrate_cmd->add_option("calibration", calibrate.file,
                            "Calibration YAML file, required (engine/calib/README.md)");
  calibrate_cmd->add_option("-o,--output", calibrate.output,
                            "Posterior file (default: the file's output); the fragment is written "
                            "beside it with .yaml");
  std::string calibrate_threads_text;
  calibrate_cmd->add_option("--threads", calibrate_threads_text,
                            "Worker threads per rank, 1 to 4096; the posterior does not depend "
                            "on it");
  calibrate_cmd->add_flag("-q,--quiet", calibrate.quiet, "No log lines and no summary");
  calibrate_cmd->add_flag("--resume", calibrate.resume,
                          "Continue an interrupted calibration: reuse the simulations finished in "
                          "<output>.parts/");
  calibrate_cmd->add_flag("--fresh", calibrate.fresh,
                          "Discard the simulations of an interrupted calibration in "
                          "<output>.parts/ and start again (without --resume or --fresh, they "
                          "stop the calibration)");
  calibrate_cmd->footer(
      "Example:\n"
      "  plansim calibrate calibrations/baseline.yaml --threads 2\n"
      "  mpirun -n 5 plansim calibrate calibrations/baseline.yaml --threads 2 --resume\n"
      "The same seed gives the same posterior at any thread or rank count, and after --resume.");

  plansim::SensitivityOptions sensitivity;
  sensitivity.command_line = command_line;
  CLI::App* sensitivity_cmd = plansim::add_sensitivity_subcommand(app, sensitivity);

  CLI::App* processes_cmd =
      app.add_subcommand("processes", "List the built-in processes a scenario can use");
  // Folders beyond the scenario's and the city's that YAML may name files in.
  std::vector<std::string> data_roots;
  for (CLI::App* cmd : {run_cmd, check_cmd, sweep_cmd, calibrate_cmd, sensitivity_cmd})
    cmd->add_option("--data-root", data_roots,
                    "A folder that files named by the scenario (extends, {csv: ...}) may lie "
                    "in, beyond the scenario's and the city's "
                    "folders (the default); repeatable");
  // Every usage error is collected after parsing (cli/usage.h), not thrown at the first.
  for (CLI::App* cmd : {run_cmd, check_cmd, sweep_cmd, compare_cmd, report_cmd, inspect_cmd,
                        calibrate_cmd, sensitivity_cmd, processes_cmd})
    plansim::tolerate_usage_errors(*cmd);
  compare_cmd->get_option("--years")->expected(0, -1);  // a list: --years 2025,2035

  plansim::InitCityOptions init_city;
  CLI::App* init_city_cmd = app.add_subcommand(
      "init-city", "Write a new city's skeleton (scenario + city files) that checks and runs");
  init_city_cmd->add_option("dir", init_city.dir,
                            "New folder, required (must not exist, or be empty)");
  init_city_cmd->add_option("-t,--template", init_city.template_name,
                            "minimal: synthesis, demography and indicators on two example zones; "
                            "full: every process, on Zhongyuan District's files as the worked "
                            "example");
  init_city_cmd->footer(
      "Example:\n  plansim init-city my-city --template minimal && plansim check "
      "my-city/baseline.yaml\nThe folder's README.md says which file holds what and who reads it.");
  plansim::tolerate_usage_errors(*init_city_cmd);

  plansim::ReferenceOptions reference;
  CLI::App* reference_cmd = app.add_subcommand(
      "reference",
      "Write the reference page of every city file and scenario key and the JSON Schemas for "
      "editors, from what the readers ask");
  reference_cmd->add_option("scenarios", reference.scenarios, "Scenarios to describe (merged)");
  reference_cmd->add_option("--markdown", reference.markdown, "The reference page to write");
  reference_cmd->add_option("--schema", reference.schema_dir, "Folder of the JSON Schemas");
  reference_cmd->add_flag("--check", reference.check,
                          "Compare with the files instead of writing them (exit 1 when stale)");
  reference_cmd->footer(
      "Example (what tools/reference.sh runs):\n  plansim reference scenarios/*.yaml --markdown "
      "docs/city-reference.md --schema docs/schema");
  plansim::tolerate_usage_errors(*reference_cmd);

  // The command line as one line of text, `plansim ARG ARG ...`: every usage error is located in
  // it at `<command line>:1:COL` (cli/usage.h).
  plansim::CommandLine line(argc, argv);
  plansim::CommandLine::set_current(&line);
  // The command word, checked before CLI11 parses: it would only say "A subcommand is required"
  // for a misspelt one.
  std::size_t command_word = 0;
  {
    std::vector<std::string> commands;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
      commands.push_back(sub->get_name());
    std::string list;
    for (const std::string& c : commands) list += (list.empty() ? "" : ", ") + c;
    const auto is_flag_of = [](const CLI::Option* flag, const std::string& arg) {
      return flag && flag->check_name(arg);
    };
    plansim::UsageErrors errors(app, line);
    bool help_or_version = false, command_given = false;
    for (std::size_t i = 0; i < line.words().size() && !command_given; ++i) {
      const std::string& arg = line.words()[i];
      const std::string quoted = "'" + plansim::printable(arg) + "'";
      if (is_flag_of(app.get_help_ptr(), arg) || is_flag_of(app.get_help_all_ptr(), arg) ||
          is_flag_of(app.get_version_ptr(), arg)) {
        help_or_version = true;
      } else if (arg.size() > 1 && arg[0] == '-') {
        errors.error("unknown option " + quoted + " before the command (plansim --help)",
                     line.column(i));
      } else {
        command_given = true;
        command_word = i;
        if (std::find(commands.begin(), commands.end(), arg) == commands.end()) {
          const std::string hint = plansim::closest_match(arg, commands);
          errors.error(
              "unknown command " + quoted +
                  (hint.empty() ? "; the commands are " + list : "; did you mean '" + hint + "'?"),
              line.column(i));
        }
      }
    }
    if (!command_given && !help_or_version)
      errors.error("no command given; the commands are " + list + " (plansim --help)",
                   line.end_column());
    if (!errors.empty()) return plansim::report_usage_errors(errors.errors());
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // A usage error is bad input: status 2, in the form of every input error (docs/errors.md).
    // (Every subcommand tolerates its usage errors, so CLI11 should not get here.)
    return plansim::report_usage_errors(
        {{line.at(line.end_column()),
          plansim::printable(e.what()) + " (plansim --help shows the usage)"}});
  }
  // The usage errors of the chosen subcommand: reported with the errors of its input files when
  // it reads any (run, check, sweep, calibrate, sensitivity), alone otherwise.
  CLI::App* chosen = app.get_subcommands().front();
  line.scan(*chosen, command_word);
  plansim::UsageErrors usage(*chosen, line);
  usage.check_extras();
  usage.check_repeats();
  if (usage.has_value("--data-root"))
    for (const plansim::CommandLine::Value& root : line.values("--data-root")) {
      std::error_code ec;
      if (!std::filesystem::is_directory(root.text, ec))
        usage.error("--data-root '" + plansim::printable(root.text) + "': not a folder",
                    root.column);
    }
  plansim::set_data_roots(data_roots);
  const auto threads_option = [&] {
    if (!usage.has_value("--threads")) return 0;
    return static_cast<int>(usage
                                .whole_number("--threads", line.values("--threads").back(), 1, 4096,
                                              "a whole number of threads")
                                .value_or(0));
  };
  // The --set overrides as typed (one without its value is has_value's error, not also an
  // override) and where each starts on the command line: its value's column.
  const auto take_sets = [&](std::vector<std::string>& sets) {
    usage.has_value("--set");
    sets.clear();
    std::vector<plansim::SourceLoc> starts;
    for (const plansim::CommandLine::Value& set : line.values("--set"))
      if (!set.text.empty()) {
        sets.push_back(set.text);
        starts.push_back(line.at(set.column));
      }
    return starts;
  };
  // --replicates, --seed and --scale as `run.<key>=VALUE` overrides, placed so that VALUE is at
  // its column on the command line.
  const auto override_option = [&](const std::string& name, const std::string& text) {
    if (!usage.has_value(name)) return;
    const std::string prefix = "run." + name.substr(2) + "=";
    run.option_overrides.push_back(prefix + text);
    run.override_starts.push_back(
        line.at(line.values(name).back().column - plansim::io_text::utf8_length(prefix)));
  };
  bool file_missing = false;
  const auto require = [&](const std::string& name, const std::string& what,
                           const std::string& synopsis) {
    const std::size_t before = usage.errors().size();
    usage.require(name, what, synopsis);
    file_missing |= usage.errors().size() > before;
  };
  std::vector<plansim::SourceLoc> check_set_starts;
  if (chosen == run_cmd) {
    require("scenario", "the scenario file", "SCENARIO.yaml [options]");
    run.threads = threads_option();
    run.override_starts = take_sets(run.sets);
    override_option("--replicates", replicates_text);
    override_option("--seed", seed_text);
    override_option("--scale", scale_text);
    run.usage_errors = usage.errors();
  } else if (chosen == check_cmd) {
    require("scenario", "the scenario file", "SCENARIO.yaml [options]");
    usage.check_member("--format", {"text", "json"});
    check_set_starts = take_sets(check_sets);
  } else if (chosen == sweep_cmd) {
    require("sweep", "the sweep file", "SWEEP.yaml [options]");
    sweep.threads = threads_option();
    if (usage.has_value("--point"))
      if (const auto p = usage.whole_number("--point", line.values("--point").back(), 0, 999999,
                                            "a point number"))
        sweep.point = static_cast<std::size_t>(*p);
    sweep.usage_errors = usage.errors();
  } else if (chosen == calibrate_cmd) {
    require("calibration", "the calibration file", "CALIBRATION.yaml [options]");
    calibrate.threads = threads_option();
    calibrate.usage_errors = usage.errors();
  } else if (chosen == sensitivity_cmd) {
    require("analysis", "the sensitivity file", "SA.yaml [options]");
    sensitivity.threads = threads_option();
    sensitivity.set_starts = take_sets(sensitivity.sets);
    sensitivity.usage_errors = usage.errors();
  } else if (chosen == compare_cmd) {
    require("results", "the results files", "A.h5 [B.h5 ...] [options]");
    usage.check_member("--format", {"table", "csv", "markdown", "json"});
    usage.check_member("--view", {"auto", "full", "summary"});
    if (usage.has_value("--years"))
      for (const plansim::CommandLine::Value& y : line.values("--years"))
        if (const auto year = usage.whole_number("--years", y, 1900, 2200, "a year"))
          compare.years.push_back(static_cast<int>(*year));
  } else if (chosen == report_cmd) {
    require("results", "the results files", "A.h5 [B.h5 ...] -o report.html");
    if (!usage.has_value("--output"))
      require("--output", "the page to write", "A.h5 [B.h5 ...] -o report.html");
    usage.has_value("--geometry");
    usage.has_value("--echarts");
  } else if (chosen == inspect_cmd) {
    require("results", "the results file", "OUT.h5 [--format json]");
    usage.check_member("--format", {"text", "json"});
  } else if (chosen == init_city_cmd) {
    require("dir", "the new city's folder", "DIR [--template minimal|full]");
    usage.check_member("--template", plansim::city_template_names());
  } else if (chosen == reference_cmd) {
    require("scenarios", "the scenarios to describe", "SCENARIO.yaml... [options]");
    usage.has_value("--markdown");
    usage.has_value("--schema");
  }
  // Without the file to read there is nothing to check with the command line's errors.
  const bool reads_inputs = chosen == run_cmd || chosen == check_cmd || chosen == sweep_cmd ||
                            chosen == calibrate_cmd || chosen == sensitivity_cmd;
  if (!usage.empty() && (!reads_inputs || file_missing))
    return plansim::report_usage_errors(usage.errors());
  // Several tasks that do not form one MPI job would each compute everything and write the same
  // file: refuse before anything runs, saying how to launch.
  if ((*run_cmd || *sweep_cmd || *calibrate_cmd || *sensitivity_cmd) &&
      std::string_view(env_or_empty("PLANSIM_INDEPENDENT_TASKS")) != "1") {
    const plansim::Launch launch =
        plansim::detect_launch([](const char* n) { return std::getenv(n); });
    const std::string problem =
        plansim::launch_mismatch(launch, plansim::MpiSession::size(), kBuiltWithMpi);
    if (!problem.empty()) {
      if (launch.task_index == 0) std::cerr << problem;
      return 2;
    }
  }
  run.summary = !no_summary && plansim::MpiSession::rank() == 0;
  run.output_given = run_cmd->count("--output") > 0;
  sweep.output_given = sweep_cmd->count("--output") > 0;
  calibrate.output_given = calibrate_cmd->count("--output") > 0;
  sensitivity.output_given = sensitivity_cmd->count("--output") > 0;
  if (run.quiet || sweep.quiet || calibrate.quiet || sensitivity.quiet ||
      plansim::MpiSession::rank() != 0)
    spdlog::set_level(spdlog::level::warn);

  const auto dispatch = [&]() -> int {
    if (*run_cmd) return plansim::run_command(run);
    if (*sweep_cmd) return plansim::sweep_command(sweep);
    if (*calibrate_cmd) return plansim::calibrate_command(calibrate);
    if (*sensitivity_cmd) return plansim::sensitivity_command(sensitivity);
    if (*compare_cmd) {
      compare.max_width = plansim::terminal_columns(STDOUT_FILENO);
      return plansim::compare_command(compare_files, compare, std::cout, std::cerr);
    }
    if (*report_cmd) return plansim::report_command(report, std::cerr);
    if (*check_cmd)
      return plansim::check_command(check_scenario, check_sets, check_format, usage.errors(),
                                    check_set_starts);
    if (*inspect_cmd) return plansim::inspect_command(inspect_path, inspect_format);
    if (*init_city_cmd) return plansim::init_city_command(init_city);
    if (*reference_cmd) return plansim::reference_command(reference);
    return plansim::processes_command();
  };
  try {
    return dispatch();
  } catch (const std::exception& e) {
    // Each command reports its own errors; this is the last line against one it did not expect
    // (std::terminate would abort with SIGABRT and no useful message).
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}

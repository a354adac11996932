// The compiled part of the Python package (python/plansim): check and run a scenario in this
// process, through the same functions as the plansim command. python/plansim/__init__.py wraps
// it (exceptions with the file:line:col diagnostics, results as xarray Datasets).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/version.h"

namespace py = pybind11;

PYBIND11_MODULE(_plansim, m) {
  m.doc() = "plansim engine: check and run scenarios (use the plansim package, not this module)";
  m.attr("version") = plansim::kEngineVersion;
  m.attr("schema_version") = plansim::kSchemaVersion;
  m.def(
      "check_json",
      [](const std::string& scenario, const std::vector<std::string>& overrides) {
        py::gil_scoped_release release;
        return plansim::check_json(scenario, overrides);
      },
      py::arg("scenario"), py::arg("overrides") = std::vector<std::string>{},
      "The JSON document of `plansim check SCENARIO --format json` (ok, errors, run, processes, "
      "notes, warnings, files_read).");
  m.def(
      "run",
      [](const std::string& scenario, const std::string& output,
         const std::vector<std::string>& overrides, std::optional<std::uint32_t> replicates,
         std::optional<std::uint64_t> seed, std::optional<double> scale, int threads) {
        plansim::RunOptions options;
        options.scenario = scenario;
        options.output = output;
        options.sets = overrides;
        options.replicates = replicates;
        options.seed = seed;
        options.scale = scale;
        options.threads = threads;
        options.quiet = true;
        options.summary = false;
        options.command_line = "python: plansim.run(" + scenario + ")";
        py::gil_scoped_release release;
        return plansim::run_command(options);
      },
      py::arg("scenario"), py::arg("output"), py::arg("overrides") = std::vector<std::string>{},
      py::arg("replicates") = std::nullopt, py::arg("seed") = std::nullopt,
      py::arg("scale") = std::nullopt, py::arg("threads") = 0,
      "Runs a scenario and writes its results file; returns the exit status of `plansim run` (0 "
      "ok, 1 failed while running or writing, 2 invalid input).");
}

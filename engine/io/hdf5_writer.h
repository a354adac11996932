// The results file of a run (HDF5). Layout: docs/hdf5-layout.md (schema kSchemaVersion).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/results.h"

namespace plansim {

/// A results file could not be written or read, or the results handed to the writer are
/// inconsistent (a programming error). The message names the file and what went wrong.
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One assumption the run used (io/assumptions.h): a row of /assumptions.
struct AssumptionRecord {
  std::string parameter;  // dotted path, e.g. "demography.migration.in_migrants_per_1000"
  std::string value;      // as written, e.g. "50" or "[0.9, 0.96, 0.98]"
  std::string rationale;  // the text of the `# A:` comment
  std::string location;   // file:line of the key
};

/// Provenance of a run; every field becomes an attribute of /meta.
struct RunMeta {
  std::string engine_version, git_sha, command_line;
  int schema_version = 0;  // 0 = this writer's kSchemaVersion; any other value must match it
  std::string scenario_name, city_name;
  std::string scenario_yaml;    // the resolved scenario text
  std::string scenario_sha256;  // of scenario_yaml; computed when empty, checked when given
  std::uint64_t seed = 0;
  std::uint32_t replicates = 0;
  int threads = 0;
  int ranks = 1;
  int start_year = 0, end_year = 0;
  double scale = 1.0;
  double wall_time_seconds = 0;
  std::vector<std::string> files_read;                     // provenance
  std::vector<std::pair<std::string, std::string>> extra;  // more string attributes of /meta
  std::vector<AssumptionRecord> assumptions;  // written to /assumptions (not an attribute)
};

/// One uncertain parameter of the run: /parameters/<key>, float64 [replicate] (the value each
/// replicate row drew, docs/uncertainty.md), with the distribution as attributes.
struct ParameterRecord {
  std::string key;             // e.g. "demography.fertility.tfr.2025"
  std::vector<double> values;  // one per replicate, in the order of RunOutput::replicates
  std::string distribution;    // "triangular(0.9, 1.1, 1.3)"
  std::string yaml;            // "{dist: triangular, low: 0.9, mode: 1.1, high: 1.3}"
  std::string location;        // file:line:col of the distribution
  std::string draw;            // the shared draw's name, "" when the parameter has its own
  std::string source;          // "design" (the scrambled Sobol' design), "central", ...
  std::optional<std::uint32_t> coordinate;  // of the design; none for a posterior's values
};

struct PlanOutput;      // /targets, /scorecard, /summary: io/hdf5_scorecard.h
struct HindcastOutput;  // /observed, /hindcast: io/hdf5_observed.h

/// Everything one results file holds.
struct RunOutput {
  RunMeta meta;
  const SeriesCatalog* catalog = nullptr;    // units and labels of every series
  std::vector<ReplicateResults> replicates;  // all with the same years and zone labels
  std::vector<ParameterRecord> parameters;   // /parameters (empty without uncertain parameters)
  const PlanOutput* plan = nullptr;          // the scorecard; none without targets
  const HindcastOutput* hindcast = nullptr;  // the comparison with observed years; none without
};

/// Writes the whole results file once, with the plan and hindcast parts when given: to
/// `path + ".tmp-<pid>"` first, then renames over `path`, so a reader never sees a half-written
/// file; on any failure the temporary file is removed and an IoError is thrown.
///
/// Rows are ordered by replicate number. Every indicator, event, zone and facility series must be
/// declared in the catalog with its kind, and every replicate must hold the same series, years,
/// zone labels, scalars and synthesis marginals; otherwise IoError (nothing is written).
/// Facility columns are the union of the replicates' facility ids (NaN where a replicate lacks
/// one). Same inputs give byte-identical files (no timestamps but /meta wall_time_seconds).
void write_results(const std::string& path, const RunOutput& output);

/// Call once at the start of a program, before any HDF5 call: HDF5 then registers no exit
/// handler. Its handler flushes files still open at exit, and a file whose close failed (a full
/// disk) makes it crash there (SIGSEGV after the error was reported); every file plansim writes
/// is closed explicitly, so the handler has nothing to do.
void disable_hdf5_exit_handler();

}  // namespace plansim

// Scenario loading: `extends` chains, deep merge, `--set` overrides, the city config folder and
// `{csv: file.csv}` tables, all with the source location of every value kept for error messages.
#pragma once

#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/params.h"

namespace plansim {

struct LoadedScenario {
  std::string scenario_path;  // as given
  ParamNode scenario;         // the merged scenario tree (extends resolved, --set applied)
  ParamNode city;             // Map: file stem -> tree of each configs/<city>/*.yaml
  std::string city_dir;       // resolved directory of the city config ("" when none)
  std::vector<std::string> files_read;  // every file read, in order (provenance)
  /// The scenario file and the files it extends, the scenario itself first (as in locations).
  std::vector<std::string> scenario_chain;
  /// False when a file could not be read or parsed, or a table has no usable rows: the trees are
  /// then incomplete and checking them would report what is missing as further errors. Errors
  /// that leave the trees whole (a duplicate key, a malformed CSV row, a bad --set) keep it
  /// true, so that the keys, types and ranges of everything else are checked too.
  bool complete = true;
  /// The folders files named by YAML may lie in (see set_data_roots): the scenario's folder, the
  /// city's and every --data-root, canonical (symlinks and `..` resolved).
  std::vector<std::string> data_roots;
};

/// Folders beyond the scenario's and the city's that files read as text by YAML (`extends:`,
/// `{csv: …}`) may lie in: the `--data-root DIR` options of the command
/// line, for the whole process (also read from PLANSIM_DATA_ROOTS=DIR:DIR…, for scripts and the
/// Python module). By default (none) a scenario reads only below its own folder and
/// its city's, so that a scenario from elsewhere cannot make plansim read (and quote in its
/// errors) any other file of the machine (docs/input-limits.md, Data roots).
void set_data_roots(std::vector<std::string> folders);

/// Whether `file` lies below one of `loaded.data_roots` (after resolving symlinks and `..`);
/// otherwise records an error at `at` for `key` naming the roots and --data-root.
bool check_data_root(const LoadedScenario& loaded, const std::string& file, const SourceLoc& at,
                     const std::string& key, Diagnostics& diags);

/// Loads a scenario file: resolves `scenario.extends` (a path relative to the file that says it;
/// chains allowed; cycles are errors at the extends value), deep-merges the child over the parent
/// (maps merge key by key recursively; sequences, scalars and trajectories — maps whose keys are
/// years, core/trajectory.h — are replaced whole; keep the child's locations for what it sets),
/// applies each `--set key=value` override in order (`a.b.2022=1.08` sets one knot of the
/// trajectory at a.b; where the scenario has no value there, the knot is laid over the city's
/// trajectory when the process reads it), then loads the
/// city: the scenario's top-level `city:` value is a directory path relative to the scenario file
/// that says it (e.g. `city: ../configs/zhongyuan`); every `*.yaml` file in it, in name order,
/// becomes an entry of `city` keyed by file stem (e.g. city["zones"], city["population"]).
/// Anywhere in scenario or city trees, a map that is exactly `{csv: some.csv}` is replaced by the
/// table loaded with load_csv_table (path relative to the YAML file that names it).
/// All errors go to diags; the function never throws for bad input.
///
/// Override i is located on the command line from `set_starts[i]`, the place of its first
/// character (`<command line>:1:COL` for an argument of plansim; cli/usage.h). Without it,
/// override i starts at `<command line>:i+1:1`: a stand-in line per override, for callers that
/// move the errors to the file the overrides came from (a sweep point, a calibration).
///
/// Trees of city files have their own root: paths inside them start at the file
/// ("zones[0].name_zh" in zones.yaml). A scenario without `city:` gets an empty city map.
LoadedScenario load_scenario(const std::string& path, const std::vector<std::string>& set_overrides,
                             Diagnostics& diags, const std::vector<SourceLoc>& set_starts = {});

/// A scenario that extends another may leave some of its processes out of `processes`. The
/// top-level blocks of registered processes (`process_names`) that the list leaves out are
/// handled here, before configuring, and removed from `loaded.scenario`: a block set only in
/// files older in the extends chain than the file that set `processes` is inherited, and a note
/// is returned ("ignored: not run by this scenario"); a block that the file setting `processes`,
/// a newer one or `--set` writes is an error at its newest value (it would not act).
std::vector<Diagnostic> set_aside_unrun_processes(LoadedScenario& loaded,
                                                  const std::vector<std::string>& process_names,
                                                  Diagnostics& diags);

/// Applies one `--set key=value` override to `root` (see load_scenario). `start` is the place of
/// the override's first character on the command line: every error (at the key, at the value or
/// inside the value) is located from it. Returns false (and changes nothing) when the override is
/// malformed; the error is in diags.
bool apply_set_override(ParamNode& root, const std::string& override_text, const SourceLoc& start,
                        Diagnostics& diags);
/// As above, the override starting at `<command line>:index:1` (the stand-in line per override
/// of load_scenario without set_starts).
bool apply_set_override(ParamNode& root, const std::string& override_text, int index,
                        Diagnostics& diags);

/// Deep merge: `over` is laid over `base`. Maps merge key by key recursively (keys new in `over`
/// come after those of `base`); anything else in `over` (and any trajectory) replaces what `base`
/// had, whole.
/// Merged maps and entries take the locations of `over`.
void merge_over(ParamNode& base, ParamNode over);

}  // namespace plansim

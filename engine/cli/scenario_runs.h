// What `plansim run` does with a scenario, for the commands that run it many times over their own
// design (sensitivity): load and validate it with its uncertain parameters, run one replicate
// at given parameter values, and the checks of an output path and of an interrupted job's parts
// that run and sweep make (defined in commands.cpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/process.h"
#include "core/results.h"
#include "core/simulation.h"
#include "indicators/targets.h"
#include "io/scenario_loader.h"
#include "uncertainty/parameter_space.h"

namespace plansim {

/// A scenario loaded, configured at the medians of its distributions and validated as `plansim
/// run` validates it (every error at its location, nothing run).
class PreparedScenario {
 public:
  ~PreparedScenario();
  PreparedScenario(PreparedScenario&&) = delete;

  /// nullptr when diags holds errors.
  /// `set_starts`: where each of `sets` starts on the command line (load_scenario).
  static std::unique_ptr<PreparedScenario> prepare(const std::string& scenario,
                                                   const std::vector<std::string>& sets,
                                                   const Registry& registry, Diagnostics& diags,
                                                   const std::vector<SourceLoc>& set_starts = {});

  const LoadedScenario& loaded() const;
  const ParameterSpace& space() const;
  /// Configured on the trees with every distribution at its median.
  const Simulation& simulation() const;
  Simulation& simulation();
  const std::optional<Targets>& targets() const;
  /// The scenario takes its parameters from a calibration's posterior (uncertainty.posterior).
  bool has_posterior() const;
  /// The scenario paths the posterior gives (empty without one); configure_at() leaves them at the
  /// scenario's own values (its point estimates), it draws no particle.
  std::vector<std::string> posterior_parameters() const;
  std::string name() const;  // scenario.name, else the file's stem
  std::string city_name() const;
  /// The used `# A:` assumptions and the notes and warnings `plansim run` prints.
  void print_notes() const;

  /// The processes configured on the trees with the parameters at `values` (one per
  /// space().parameters(), in that order): errors go to diags (nullptr then). The trees live in
  /// the returned object.
  struct Configured {
    std::unique_ptr<ParamNode> scenario, city;
    std::unique_ptr<Simulation> simulation;
  };
  Configured configure_at(const std::vector<double>& values, Diagnostics& diags) const;

 private:
  PreparedScenario() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The output of a run: not empty, not a directory, not one of the inputs (option: "-o"); errors
/// at the place of -o on the command line (cli/usage.h command_line_place).
void check_output_path(const std::string& output, const std::string& option,
                       const std::vector<std::string>& inputs, Diagnostics& diags);
/// The partial results of an earlier run in `parts`: a running job's are refused; an
/// interrupted job's need --resume (continue) or --fresh (discard), never a silent deletion.
void check_parts(const std::filesystem::path& parts, const std::string& output, bool resume,
                 bool fresh, Diagnostics& diags);
/// Removes `<output>.tmp-<pid>` files left by writers that no longer run (a killed run).
void remove_stale_temporaries(const std::string& output);
/// Rank 0's verdict on checks only it makes (the file system), shared with every rank.
bool shared_verdict(bool ok);
/// Prints every error and "N errors; nothing was run or written" (rank 0); returns 2.
int report_input_errors(const Diagnostics& diags);

/// The writer's exclusive lock on an output's parts folder, held while the job runs.
class OutputLock {
 public:
  explicit OutputLock(const std::filesystem::path& parts);
  ~OutputLock();
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;
  bool held() const { return held_; }

 private:
  int fd_ = -1;
  bool held_ = false;
};

}  // namespace plansim

// `uncertainty: {posterior: FILE.h5}` in a scenario: replicate k runs with the parameters of a
// particle of the calibration's posterior, drawn by weight with the replicate's own stream (so
// replicate k uses the same particle in every scenario of the same seed, and an ensemble of N
// replicates contains the ensemble of N − 1). The scorecard's intervals then carry the parameter
// uncertainty the observed years leave.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/process.h"
#include "core/simulation.h"
#include "io/hdf5_posterior.h"
#include "io/scenario_loader.h"

namespace plansim {

struct PosteriorUse {
  std::string file;  // the posterior file, resolved
  SourceLoc loc;     // of the `posterior:` value
  StoredPosterior posterior;
  std::vector<std::size_t> applied;  // parameters whose draws are used
  /// Parameters set by a scenario extending the file that names the posterior, or by --set
  /// ("path (set at file:line:col)"): that value is used in every replicate, never undone.
  std::vector<std::string> kept;
  std::vector<double> cumulative;  // cumulative posterior weights
  std::uint64_t seed = 0;

  /// The particle of replicate k: a draw by weight from the stream (seed, k).
  std::uint32_t particle_of(std::uint32_t replicate) const;
  /// The `--set path=value` overrides of a particle (applied parameters only).
  std::vector<std::string> overrides(std::uint32_t particle) const;
};

/// Reads the scenario's `uncertainty:` block (marking it read; call before Simulation::configure).
/// Returns the block's node, or nullptr when the scenario has none.
const ParamNode* find_uncertainty(const ParamNode& scenario);

/// Reads the posterior named by the block and decides which of its parameters apply. Every
/// problem (a missing or foreign file, an unknown key, a parameter the scenario refuses for one
/// of the particles the replicates use) is recorded at the block's location.
std::optional<PosteriorUse> read_posterior_use(const ParamNode& block, const LoadedScenario& loaded,
                                               const RunSettings& run, const Registry& registry,
                                               Diagnostics& diags);

/// The simulation of replicate k: the scenario with its particle's values, configured. Throws
/// std::runtime_error when the scenario refuses them (read_posterior_use checks this up front).
std::unique_ptr<Simulation> configure_replicate(const LoadedScenario& loaded,
                                                const PosteriorUse& use, std::uint32_t replicate,
                                                const Registry& registry);

}  // namespace plansim

// `uncertainty: {posterior: FILE.h5}` in a scenario: replicate k runs with the parameters of a
// particle of the calibration's posterior, drawn by weight with the replicate's own stream (so
// replicate k uses the same particle in every scenario of the same seed, and an ensemble of N
// replicates contains the ensemble of N − 1). The scorecard's intervals then carry the parameter
// uncertainty the observed years leave.
//
// The posterior is one source of a replicate's parameter vector; the uncertain parameters of the
// trees (`{dist: …}`, uncertainty/parameter_space.h) are the other. A posterior parameter replaces
// the prior distribution at its path (docs/uncertainty.md): the run command applies the particle's
// values over the trees realised with the replicate's draws of every other parameter.
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

/// The keys of a dotted parameter path ("demography.fertility.tfr" -> demography, fertility, tfr),
/// as a posterior's or a calibration's parameters name them.
std::vector<std::string> split_path(const std::string& path);

/// A parameter value as the `--set` text of a particle's override: %.17g, which reads back to
/// the same double. (Not exact_number_text, the shortest such text: the calibration's
/// fingerprints, and so its checkpoints, hash these overrides as they are.)
std::string particle_value_text(double v);

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

/// Reads the posterior named by the block's `posterior:` (its other keys, `parameters` and
/// `correlations`, belong to the parameter design) and decides which of its parameters apply.
/// Every problem (a missing or foreign file, a parameter the scenario refuses for one of the
/// particles the replicates use) is recorded at the value's location. `scenario` and `city` are
/// the trees the particles are checked on (with every distribution at its median).
std::optional<PosteriorUse> read_posterior_use(const ParamNode& block, const LoadedScenario& loaded,
                                               const ParamNode& scenario, const ParamNode& city,
                                               const RunSettings& run, const Registry& registry,
                                               Diagnostics& diags);

/// Lays the values of replicate k's particle over `scenario` (like --set). Errors go to diags.
void apply_particle(ParamNode& scenario, const PosteriorUse& use, std::uint32_t replicate,
                    Diagnostics& diags);

}  // namespace plansim

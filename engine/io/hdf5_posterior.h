// The posterior file of `plansim calibrate` (HDF5): every generation of the ABC-SMC population
// and the final posterior, readable with h5py without plansim. Layout: engine/calib/README.md.
//
//   /meta                         attrs: kind ("plansim posterior"), schema_version, provenance
//   /parameters                   string [parameter]: the dotted scenario paths
//   /priors                       string [parameter]: each prior as YAML ({dist: uniform, ...})
//   /prior_summary                float64 [stat, parameter]: mean, p05, p95 of each prior
//   /observations                 compound [observation]: key, year, observed, tolerance, weight
//   /generations/<ggg>/...        one group per generation (000, 001, ...): particles [particle,
//                                 parameter], weights [particle], distances [particle],
//                                 summaries [particle, observation], candidates uint32
//                                 [particle]; attrs epsilon, simulations, acceptance_rate, ess,
//                                 proposal_resampled
//   /posterior/...                the last generation (same datasets) and estimates, a compound
//                                 [parameter]: parameter, mean, median, p05, p95, sd, prior_mean,
//                                 prior_p05, prior_p95; attr generation
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "calib/abc_smc.h"

namespace plansim {

struct PosteriorObservation {
  std::string key;
  int year = 0;
  double observed = 0, tolerance = 0, weight = 1;
};

struct PosteriorData {
  // provenance (/meta)
  std::string engine_version, git_sha, command_line;
  std::string calibration_name, calibration_file, calibration_yaml, scenario_yaml;
  std::uint64_t seed = 0;
  int threads = 0, ranks = 1;
  double wall_time_seconds = 0;
  std::string stop_reason;
  // the problem
  std::vector<std::string> parameters;
  std::vector<ParameterDistribution> priors;
  std::vector<PosteriorObservation> observations;
  // the result
  std::vector<AbcGeneration> generations;    // the last is the posterior
  std::vector<PosteriorEstimate> estimates;  // of the last generation (posterior_estimates())
};

/// Writes the file (temporary name, then renamed). Throws IoError naming the file.
void write_posterior(const std::string& path, const PosteriorData& data);

/// What `plansim run` needs of a posterior file: the parameters and the final population.
struct StoredPosterior {
  std::string calibration_name;
  std::vector<std::string> parameters;
  std::size_t particles = 0;
  std::vector<double> values;   // [particle * parameters + parameter]
  std::vector<double> weights;  // normalised
  std::vector<double> distances;
  std::vector<PosteriorEstimate> estimates;
  std::uint32_t generation = 0;  // of the last generation (the posterior)
  std::string stop_reason;
};
/// Throws IoError naming the file when it is missing, not HDF5 or not a posterior file.
StoredPosterior read_posterior(const std::string& path);

}  // namespace plansim

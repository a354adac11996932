// Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC, in the population Monte
// Carlo form of Beaumont et al. 2009 and Toni et al. 2009, with the adaptive tolerances of
// Del Moral et al. 2012 and pyABC): see README.md for the algorithm and its references.
//
// The algorithm runs on every MPI rank at once. Rank 0 decides what to simulate next (a batch of
// candidates of a generation) and broadcasts the plan; every rank derives the candidates'
// parameters from the plan alone; the simulations are work items (dist/work.h) spread over the
// ranks, each persisted as it finishes; rank 0 accepts, weighs and resamples. Every random number
// comes from Philox streams keyed by (seed, generation) and counted by the candidate's index, so
// the posterior depends on the seed only — not on threads, ranks, batch sizes or interruptions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/parameter_distribution.h"
#include "core/results.h"

namespace plansim {

struct AbcSettings {
  std::uint32_t particles = 200;      // N: accepted particles per generation
  std::uint32_t max_generations = 8;  // generations including the prior sample (0)
  std::uint64_t seed = 1;
  /// ε of generation t = this weighted quantile of the distances of generation t − 1.
  double tolerance_quantile = 0.5;
  /// Stop once ε has reached this (0: never for this reason).
  double min_epsilon = 0;
  /// Stop after a generation that accepted fewer than this share of its candidates.
  double min_acceptance_rate = 0.02;
  /// Kernel covariance = kernel_scale × the weighted covariance of the previous generation
  /// (2 is the choice of Beaumont et al. 2009).
  double kernel_scale = 2.0;
  /// Resample the proposal population (systematic resampling) when its effective sample size
  /// 1 / Σ w² is below this share of N.
  double resample_below_ess = 0.5;
  /// Candidates one generation may simulate; a generation that needs more stops the calibration
  /// at the previous one.
  std::uint32_t max_simulations = 100000;
};

/// One completed generation. Particle i's parameter p is particles[i * dimension + p]; its
/// simulated values of the fitted observations are summaries[i * observations + k].
struct AbcGeneration {
  std::uint32_t index = 0;
  double epsilon = std::numeric_limits<double>::infinity();
  std::size_t dimension = 0;
  std::size_t observations = 0;
  std::vector<double> particles;
  std::vector<double> weights;  // normalised to sum 1
  std::vector<double> distances;
  std::vector<double> summaries;
  std::vector<std::uint32_t> candidates;  // the candidate index each particle was
  std::uint64_t simulations = 0;          // candidates simulated to accept the particles
  double acceptance_rate = 1.0;           // particles / simulations
  double ess = 0;                         // effective sample size 1 / Σ w²
  bool proposal_resampled = false;        // the previous generation was resampled before proposing
  double value(std::size_t particle, std::size_t parameter) const {
    return particles[particle * dimension + parameter];
  }
};

/// Why the calibration stopped.
struct AbcResult {
  std::vector<AbcGeneration> generations;  // rank 0 only; empty on the other ranks
  std::string stop_reason;
};

struct AbcProblem {
  std::vector<ParameterDistribution> priors;  // independent priors, one per parameter
  /// Runs the model with parameters `theta` on random stream `replicate` (on any rank; must be
  /// deterministic in its arguments) and returns what the fit needs of its results.
  std::function<ReplicateResults(const std::vector<double>& theta, std::uint32_t replicate)>
      simulate;
  /// Rank 0: the values of the fitted observations in a simulation's results.
  std::function<std::vector<double>(const ReplicateResults&)> summarise;
  /// Rank 0: the distance of summaries from the observations (non-negative; +inf when a value is
  /// missing).
  std::function<double(const std::vector<double>&)> distance;
  /// `simulate` may run on several threads at once: with one rank, the candidates of a batch are
  /// then simulated side by side (each one still parallel inside).
  bool concurrent = false;
};

struct AbcStorage {
  std::filesystem::path directory;  // finished simulations, one folder per generation
  std::string fingerprint;          // of the calibration (file, scenario, settings)
  bool resume = false;              // reuse the simulations of an interrupted calibration
};

struct AbcObserver {
  /// Rank 0, after each generation.
  std::function<void(const AbcGeneration&)> generation_done;
  /// Rank 0, after each simulation (generation, simulations so far in it).
  std::function<void(std::uint32_t, std::uint64_t)> simulation_done;
};

/// The random stream of candidate c of generation g: replicate g · 2^20 + c of the seed.
std::uint32_t candidate_replicate(std::uint32_t generation, std::uint32_t candidate);
inline constexpr std::uint32_t kMaxCandidatesPerGeneration = 1u << 20;
inline constexpr std::uint32_t kMaxGenerations = 4000;

/// Runs the calibration (call on every rank). Throws std::runtime_error on a failed simulation
/// or a store of another calibration.
AbcResult run_abc_smc(const AbcProblem& problem, const AbcSettings& settings,
                      const AbcStorage& storage, const AbcObserver& observer = {});

/// Weighted summary of one parameter of a population, with its prior for comparison.
struct PosteriorEstimate {
  std::string parameter;
  double mean = 0, median = 0, p05 = 0, p95 = 0, sd = 0;
  double prior_mean = 0, prior_p05 = 0, prior_p95 = 0;
};
/// Weighted mean, median, 5th and 95th percentiles (weighted_quantile) and sd of each parameter
/// of `g`, and the prior's mean, 5th and 95th percentiles.
std::vector<PosteriorEstimate> posterior_estimates(
    const AbcGeneration& g, const std::vector<std::string>& parameters,
    const std::vector<ParameterDistribution>& priors);

// ---- building blocks (tested on their own) ----

/// Weighted type-1 quantile: the smallest value whose cumulative weight reaches q.
double weighted_quantile(const std::vector<double>& values, const std::vector<double>& weights,
                         double q);
/// 1 / Σ w² of normalised weights.
double effective_sample_size(const std::vector<double>& weights);
/// Systematic resampling of normalised weights with one uniform u in [0, 1): n indices, ascending.
std::vector<std::uint32_t> systematic_resample(const std::vector<double>& weights, std::size_t n,
                                               double u);
/// Index of `u` ∈ [0, 1) in the cumulative normalised weights (a weighted draw).
std::uint32_t weighted_index(const std::vector<double>& cumulative, double u);

}  // namespace plansim

// Global sensitivity of a model output to its uncertain parameters (docs/uncertainty.md).
//
// Sobol' indices by Saltelli's design: two independent point sets A and B of N points on the unit
// cube (the first and last d coordinates of a 2d-dimensional scrambled Sobol' design, design.h),
// and for every parameter i the set A_B^(i) (A with column i taken from B): N (d + 2) model runs.
// First-order index S_i by the estimator of Saltelli et al. (2010), total index T_i by Jansen's
// (1999), both divided by the variance of f over A and B together; 95% intervals by bootstrap
// over the N rows (percentile intervals: the type-7 quantiles of core/quantile.h, a fixed seed: the
// same intervals on every run). Saltelli A. et al.
// (2010), "Variance based sensitivity analysis of model output. Design and estimator for the total
// sensitivity index", Computer Physics Communications 181, 259-270 (table 2: estimators (b), (f)).
//
// Morris screening for many parameters: r trajectories on a p-level grid, each moving one
// parameter at a time by Δ = p / (2 (p − 1)); per parameter the mean of the absolute elementary
// effects μ* (Campolongo et al. 2007) and their standard deviation σ (interaction or
// non-linearity). Morris M. D. (1991), Technometrics 33, 161-174.
//
// A design's rows depend only on (seed, row): runs can be spread over threads and ranks and
// resumed; the estimators sum in row order, so the indices are the same at any thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace plansim {

/// The rows of a Saltelli design, on the unit cube. Row order: for j = 0..N−1 the block
/// A_j, B_j, A_B^(1)_j, …, A_B^(d)_j (d + 2 rows per base point).
struct SaltelliDesign {
  std::size_t base = 0;        // N
  std::size_t dimensions = 0;  // d
  std::vector<std::vector<double>> rows;
  std::size_t rows_per_point() const { return dimensions + 2; }
};
SaltelliDesign saltelli_design(std::size_t base, std::size_t dimensions, std::uint64_t seed);

struct SobolIndex {
  double first = 0, first_low = 0, first_high = 0;  // S_i with its 95% bootstrap interval
  double total = 0, total_low = 0, total_high = 0;  // T_i
};

/// The indices of every parameter from the outputs of the design's rows (in row order). Throws
/// std::invalid_argument when the sizes do not match. Rows with a NaN output leave their whole
/// base point out. Zero variance gives indices of 0.
std::vector<SobolIndex> sobol_indices(const SaltelliDesign& design,
                                      const std::vector<double>& outputs,
                                      std::size_t bootstrap = 500, std::uint64_t seed = 1);

/// The rows of a Morris design: r trajectories of d + 1 points each on a p-level grid; in
/// trajectory t, row t (d + 1) + k + 1 moves parameter `moved[t][k]` by +Δ from the row before.
struct MorrisDesign {
  std::size_t trajectories = 0, dimensions = 0, levels = 0;
  double delta = 0;
  std::vector<std::vector<double>> rows;
  std::vector<std::vector<std::size_t>> moved;  // [trajectory][step]
};
MorrisDesign morris_design(std::size_t trajectories, std::size_t dimensions, std::size_t levels,
                           std::uint64_t seed);

struct MorrisEffect {
  double mu_star = 0;  // mean |elementary effect|, in output units per unit of the cube
  double mu = 0;       // mean elementary effect (its sign: the direction)
  double sigma = 0;    // standard deviation of the elementary effects
};
std::vector<MorrisEffect> morris_effects(const MorrisDesign& design,
                                         const std::vector<double>& outputs);

}  // namespace plansim

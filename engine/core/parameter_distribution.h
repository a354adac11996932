// Probability distributions written in YAML, one syntax for every place that needs one: the
// priors of a calibration, the uncertain parameters of an ensemble.
//
//   {dist: uniform, low: 0.8, high: 1.5}
//   {dist: normal, mean: 1.1, sd: 0.1}                  optional low / high: truncated
//   {dist: lognormal, meanlog: 0, sdlog: 0.2}           of log X; optional low / high: truncated
//   {dist: beta, alpha: 2, beta: 5}                     on [0, 1], or on [low, high] when given
//   {dist: triangular, low: 0.5, mode: 1.0, high: 2.0}
//   {dist: choice, values: [1.0, 1.2, 1.5], weights: [1, 2, 1]}   discrete; weights optional
//                                                                  (equal), normalised to sum 1
//
// Densities, distribution functions and quantiles come from Boost.Math. Sampling is by inversion
// (quantile of a uniform), so a draw depends only on the uniform it is given.
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "core/params.h"

namespace plansim {

class ParameterDistribution {
 public:
  enum class Kind { Uniform, Normal, LogNormal, Beta, Triangular, Choice };

  static ParameterDistribution uniform(double low, double high);
  static ParameterDistribution normal(double mean, double sd, double low = -kInfinity,
                                      double high = kInfinity);
  static ParameterDistribution lognormal(double meanlog, double sdlog, double low = 0,
                                         double high = kInfinity);
  static ParameterDistribution beta(double alpha, double beta, double low = 0, double high = 1);
  static ParameterDistribution triangular(double low, double mode, double high);
  /// A discrete choice among `values` with probabilities proportional to `weights` (equal when
  /// empty). Values are kept in ascending order, so the quantile function is monotone.
  static ParameterDistribution choice(std::vector<double> values, std::vector<double> weights = {});

  Kind kind() const { return kind_; }
  /// The support [low, high] (infinite ends for an untruncated normal or lognormal).
  double low() const { return low_; }
  double high() const { return high_; }
  bool in_support(double x) const { return x >= low_ && x <= high_; }

  /// Density at x (0 outside the support); for a choice, the probability of the value x.
  double density(double x) const;
  /// log density (−inf outside the support).
  double log_density(double x) const;
  /// P(X ≤ x).
  double cdf(double x) const;
  /// The p-quantile, p in [0, 1]; for a choice, the smallest value whose cumulative probability
  /// reaches p.
  double quantile(double p) const;
  double mean() const;
  double sd() const;
  /// Probability of [low, high] under the untruncated distribution (1 without truncation).
  double truncated_mass() const { return mass_; }

  /// "uniform(0.8, 1.5)", "normal(1.1, 0.1) on [0, inf]" — for messages, tables and HDF5.
  std::string describe() const;
  /// The YAML flow map this distribution is read from (round-trips through read_distribution).
  std::string to_yaml() const;

  static constexpr double kInfinity = std::numeric_limits<double>::infinity();

 private:
  ParameterDistribution(Kind kind, double a, double b, double c, double low, double high);
  // Untruncated distribution function and quantile of the base distribution.
  double base_cdf(double x) const;
  double base_quantile(double p) const;
  double base_density(double x) const;

  Kind kind_ = Kind::Uniform;
  double a_ = 0, b_ = 1, c_ = 0;  // parameters: see the factories (c: the triangular mode)
  double low_ = 0, high_ = 1;
  double mass_ = 1;                       // base probability of [low, high] (truncation)
  double cdf_low_ = 0;                    // base cdf at low
  std::vector<double> values_, weights_;  // a choice: ascending values, probabilities summing to 1
};

/// True when `node` is a map with a `dist` key (a distribution, not a plain value).
bool is_distribution(const ParamNode& node);

/// Reads a distribution map. Every problem — an unknown `dist` (with a hint), a missing or
/// non-numeric parameter, sd ≤ 0, low ≥ high, a mode outside [low, high], a choice without values,
/// with repeated values or with weights that are negative, of another count or all zero, an
/// unknown key (with a hint) — is recorded at its location; returns nullopt when there was any.
std::optional<ParameterDistribution> read_distribution(const ParamNode& node, Diagnostics& diags);

/// The names accepted after `dist:`.
std::string_view distribution_kind_name(ParameterDistribution::Kind kind);

}  // namespace plansim

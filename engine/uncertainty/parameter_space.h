// Uncertain parameters: every distribution written in a scenario or its city files (any numeric
// value, a scalar or a trajectory knot, may be `{dist: …}`, core/parameter_distribution.h), the
// design coordinate each one draws from, the declared dependence between them, and the values of
// replicate k.
//
//   replicate k  →  point k of the scrambled Sobol' design (design.h), one coordinate per draw
//                →  the declared correlations (a Gaussian copula on those coordinates)
//                →  each parameter's quantile of its coordinate
//                →  the scenario and city trees with every distribution replaced by its value
//                   (realise()), which the processes then read as if the numbers were written.
//
// Coordinates. Every distribution of the city files takes a coordinate in file order (files by
// name), whether or not this scenario uses it; the scenario's distributions come after, except
// that one at the key of a city distribution takes that distribution's coordinate. So adding or
// fixing a parameter in a scenario never shifts the draws of the others, and two scenarios that
// differ only in their fixed values share every draw replicate by replicate (common random
// numbers, docs/uncertainty.md). Parameters with the same `draw: NAME` share one coordinate (the
// same quantile: a shared draw).
//
// Keys are dotted paths: a city file's values start with its stem
// ("demography.fertility.tfr.2025"), the scenario's with their path in the scenario.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/diagnostics.h"
#include "core/parameter_distribution.h"
#include "core/params.h"
#include "uncertainty/design.h"

namespace plansim {

struct UncertainParameter {
  std::string key;
  bool in_city = false;  // a city file's distribution (else the scenario's)
  SourceLoc loc;         // of the distribution's map
  ParameterDistribution distribution = ParameterDistribution::uniform(0, 1);
  std::string draw;                 // the shared draw's name; "" when the parameter has its own
  std::size_t coordinate = 0;       // of the design
  const ParamNode* node = nullptr;  // the distribution's map in the loaded tree
};

/// `uncertainty.parameters`: every replicate draws its values (sampled), or every distribution is
/// held at its median (central: only the simulation's own randomness remains).
enum class ParameterMode { Sampled, Central };

/// A declared correlation of two coordinates' normal scores (Gaussian copula).
struct ParameterCorrelation {
  std::string first, second;  // as written: parameter keys or draw names
  double rho = 0;
  SourceLoc loc;
  std::size_t first_coordinate = 0, second_coordinate = 0;
};

class ParameterSpace {
 public:
  ParameterSpace() = default;

  /// Finds every distribution in the loaded trees (which must outlive the space), reads the
  /// scenario's `uncertainty:` block and the city's `uncertainty.yaml` (correlations), and
  /// records every problem at its location: a bad distribution, a distribution where a value is
  /// read before the design exists (run:, scenario:, city:, processes:, uncertainty:), a
  /// correlation naming an unknown parameter, |rho| ≥ 1, or correlations that are not jointly
  /// possible (the matrix is not positive definite).
  static ParameterSpace find(const ParamNode& scenario, const ParamNode& city, std::uint64_t seed,
                             Diagnostics& diags);

  bool empty() const { return parameters_.empty(); }
  ParameterMode mode() const { return mode_; }
  std::uint64_t seed() const { return seed_; }
  const std::vector<UncertainParameter>& parameters() const { return parameters_; }
  const std::vector<ParameterCorrelation>& correlations() const { return correlations_; }
  /// Coordinates of the design (every distribution of the city files plus the scenario's own).
  std::size_t coordinates() const { return coordinates_; }

  /// Replicate k's values, one per parameter in parameters() order: the medians in central mode.
  std::vector<double> values(std::uint32_t replicate) const;
  /// The values at a point of the unit cube given per coordinate (before the correlations are
  /// applied: they are applied here), e.g. a row of a sensitivity design.
  std::vector<double> values_at(const std::vector<double>& unit) const;
  /// The medians.
  std::vector<double> central() const;

  /// A copy of `tree` (the loaded scenario or city tree) in which every parameter's distribution
  /// is the number `values[i]` (at the distribution's location). Reading the copy marks the
  /// original as read (ParamNode::origin), so unknown keys and used assumptions are found on it.
  ParamNode realise(const ParamNode& tree, const std::vector<double>& values) const;

  /// Drops the parameters another source replaces: a calibration's posterior gives values at these
  /// scenario paths (a parameter at the path or below it; for a city parameter also its path
  /// below the file's stem, as for process blocks). Their coordinates stay reserved, and realise()
  /// writes their medians where they stand (the other source's value is laid over the scenario;
  /// a city's distribution at the same path must still read as a number).
  void drop_replaced(const std::vector<std::string>& scenario_paths);

  /// Keeps only the parameters some reader looked at (call after configuring on a realised
  /// copy): a distribution in the file of a process the scenario does not run is no parameter.
  void keep_read();

  /// The locations of every distribution found, valid or not: when find() reported errors, a
  /// reader's complaint about a distribution standing where it expects a number is no news.
  const std::vector<SourceLoc>& distribution_locations() const { return locations_; }

  /// "3 uncertain parameters (2 in the city config, 1 in the scenario), 1 correlation" — or
  /// "no uncertain parameters"; in central mode "… held at their medians".
  std::string describe() const;

 private:
  void apply_correlations(std::vector<double>& unit) const;

  std::vector<UncertainParameter> parameters_;
  std::vector<ParameterCorrelation> correlations_;
  std::vector<SourceLoc> locations_;
  std::vector<const ParamNode*> invalid_;  // distributions with errors: realised as "nan"
  std::vector<std::pair<const ParamNode*, std::string>> replaced_;  // dropped: at their medians
  std::vector<std::size_t> correlated_;  // coordinates in some correlation
  Eigen::MatrixXd cholesky_;             // of their correlation matrix (lower)
  std::size_t coordinates_ = 0;
  ParameterMode mode_ = ParameterMode::Sampled;
  std::uint64_t seed_ = 0;
  std::shared_ptr<SobolDesign> design_;
};

/// The shortest text that reads back as exactly `value` ("1.3", "0.0142857142857142857").
std::string exact_number_text(double value);

}  // namespace plansim

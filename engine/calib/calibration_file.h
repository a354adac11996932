// The calibration file of `plansim calibrate` (README.md): which scenario, which free
// parameters with which priors, which observed figures to fit with which tolerances, and the
// settings of ABC-SMC. Read into plain structs with every problem at its file:line:col.
#pragma once

#include <string>
#include <vector>

#include "calib/abc_smc.h"
#include "core/diagnostics.h"
#include "core/parameter_distribution.h"
#include "core/params.h"
#include "core/results.h"
#include "indicators/observed.h"

namespace plansim {

/// A free parameter: a dotted path of the scenario, set for each particle exactly like
/// `--set path=value` (a scalar such as demography.migration.in_migrants_per_1000, or a
/// trajectory knot such as demography.fertility.tfr.2022), with its prior.
struct CalibrationParameter {
  std::string path;
  ParameterDistribution prior = ParameterDistribution::uniform(0, 1);
  SourceLoc loc;  // of the path (key)
};

/// An observed series to fit: every observed year of it (or the listed ones), each compared with
/// a tolerance in the series' unit or relative to the observed figure, and a weight.
struct FitSeries {
  std::string key;
  std::vector<int> years;         // empty: every year the observed file has
  double tolerance = 0;           // absolute, in the series' unit
  double relative_tolerance = 0;  // share of |observed|
  double weight = 1;
  SourceLoc loc;
};

struct CalibrationFile {
  std::string path;  // the file itself
  std::string name;
  std::string scenario;  // resolved relative to the file
  SourceLoc scenario_loc;
  std::vector<std::string> set;  // "key=value" overrides of the scenario, in order
  std::vector<SourceLoc> set_locs;
  std::vector<CalibrationParameter> parameters;
  std::string observed;  // an observed file, resolved; "" = the city's observed.yaml
  SourceLoc observed_loc;
  std::vector<FitSeries> fit;
  SourceLoc fit_loc;
  AbcSettings method;
  std::string output;    // posterior HDF5, resolved ("" = results/<file stem>.h5)
  std::string fragment;  // scenario fragment ("" = the output with .yaml)
};

/// Reads the tree of a calibration file (`calibration:` at the top); relative paths are resolved
/// against the file's directory. Unknown keys are reported with a hint.
CalibrationFile read_calibration_file(const ParamNode& root, const std::string& path,
                                      Diagnostics& diags);

/// One observation the calibration fits.
struct FitObservation {
  std::string key;
  int year = 0;
  double observed = 0;
  double tolerance = 1;  // absolute, after resolving a relative tolerance
  double weight = 1;
  SourceLoc loc;  // of its fit entry
};

/// The observations of a calibration and the distance of a simulation from them:
/// d = sqrt(Σ_k w_k ((s_k − o_k) / τ_k)² / Σ_k w_k), the weighted root mean square of the errors
/// in units of their tolerances (d ≤ 1: every figure within its tolerance on average).
class Fit {
 public:
  Fit() = default;
  explicit Fit(std::vector<FitObservation> observations) : observations_(std::move(observations)) {}
  const std::vector<FitObservation>& observations() const { return observations_; }
  /// The distinct series keys, in order.
  std::vector<std::string> keys() const;
  /// Row `year` of each observation's indicator (or event) in `results`; NaN when missing.
  std::vector<double> summarise(const ReplicateResults& results) const;
  /// +inf when a summary is NaN.
  double distance(const std::vector<double>& summaries) const;
  /// `results` without what the fit does not read (zone and facility panels, other series).
  ReplicateResults strip(ReplicateResults results) const;

 private:
  std::vector<FitObservation> observations_;
};

/// The observations of `file.fit` in `observed`: an unknown series (with a hint), a year without
/// a figure, a relative tolerance of a zero figure are errors at the fit entry.
Fit make_fit(const CalibrationFile& file, const ObservedData& observed, Diagnostics& diags);

}  // namespace plansim

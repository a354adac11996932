// Parameters that change by calendar year: every numeric parameter of a city file or a scenario
// may be written as a trajectory instead of a number.
//
//   tfr: 1.3                                   a constant
//   tfr: {2020: 1.3, 2022: 1.08, 2030: 1.0}    linear between the years, held before the first
//                                              and after the last
//   quit_rate: {step: {2020: 0.06, 2024: 0.05}}  each value holds from its year until the next
//                                              (before the first year: the first value)
//
// A knot is the map entry at its year, so `--set demography.fertility.tfr.2022=1.08` sets one
// knot and `--set demography.fertility.tfr=1.1` replaces the whole value (io/scenario_loader.h).
//
// Processes do not parse trajectories themselves: they read their configuration once per
// simulated year from `evaluated_at(tree, year)`, a copy of the tree in which every trajectory is
// the number of that year, through the ordinary ParamNode getters (read_by_year() below does
// this for every year of the run). So a reader written for numbers accepts trajectories for all
// of its numeric parameters, and values are checked (range, type) at the location of each knot.
#pragma once

#include <algorithm>
#include <functional>
#include <optional>
#include <vector>

#include "core/diagnostics.h"
#include "core/params.h"

namespace plansim {

class Trajectory {
 public:
  enum class Form { kConstant, kLinear, kStep };
  struct Knot {
    int year = 0;
    double value = 0;
  };

  Trajectory() = default;
  static Trajectory constant(double value);
  /// Knots in any order; they are sorted by year. At least one knot.
  static Trajectory linear(std::vector<Knot> knots);
  static Trajectory step(std::vector<Knot> knots);

  /// The value in `year`.
  double at(int year) const;
  Form form() const { return form_; }
  const std::vector<Knot>& knots() const { return knots_; }
  bool is_constant() const { return form_ == Form::kConstant || knots_.size() <= 1; }

 private:
  Form form_ = Form::kConstant;
  std::vector<Knot> knots_{{0, 0.0}};
};

/// A map key that names a year (four digits).
bool is_year_key(std::string_view key);
/// True when `node` is written as a trajectory: a non-empty map whose keys are all years, or a
/// map whose single key is `step` and whose value is such a map.
bool is_trajectory(const ParamNode& node);
/// A number or a trajectory; every knot is checked against [lo, hi] at its location. Marks the
/// node read.
std::optional<Trajectory> read_trajectory(const ParamNode& node, Diagnostics& diags,
                                          double lo = -std::numeric_limits<double>::infinity(),
                                          double hi = std::numeric_limits<double>::infinity());

/// A copy of `tree` in which every trajectory is replaced by its value in `year` (a number; the
/// knot's own text and location when the year is a knot or is held from one). Reading the copy
/// marks the original as read (see ParamNode::origin), so unknown keys are still reported on
/// the original tree. A knot that is not a number stays as written, so that the reader reports
/// it at its location.
///
/// `beneath` is the tree this one overrides (the city's section under a scenario block, same key
/// structure): a map of knots that `--set path.YEAR=value` created where the scenario had no
/// value (ParamNode::is_knot_patch) is laid over the trajectory at the same path in `beneath`
/// (its other knots stay). Over a number, or over nothing, that is an error in `diags`: a knot
/// needs a trajectory to belong to.
ParamNode evaluated_at(const ParamNode& tree, int year, Diagnostics& diags,
                       const ParamNode* beneath = nullptr);

/// Every year that is a knot of some trajectory in the trees (sorted, unique).
std::vector<int> knot_years(const std::vector<const ParamNode*>& trees);

/// Per-year values of a configuration read from parameter trees.
template <class Config>
class ByYear {
 public:
  ByYear() = default;
  ByYear(int first_year, std::vector<Config> values)
      : first_(first_year), values_(std::move(values)) {}
  /// The configuration of `year`; years outside the range get the nearest one.
  const Config& at(int year) const {
    if (year <= first_ || values_.size() == 1) return values_.front();
    const auto k = static_cast<std::size_t>(year - first_);
    return k < values_.size() ? values_[k] : values_.back();
  }
  const Config& first() const { return values_.front(); }
  int first_year() const { return first_; }
  int last_year() const { return first_ + static_cast<int>(values_.size()) - 1; }
  bool empty() const { return values_.empty(); }

 private:
  int first_ = 0;
  std::vector<Config> values_;
};

/// Calls `read(year)` for every year from `first_year` to `last_year` (at least for first_year),
/// and for every knot year of the trees outside that range (only so that every knot is checked;
/// those results are dropped). Identical errors of different years are reported once
/// (Diagnostics keeps one copy).
template <class Config>
ByYear<Config> read_by_year(int first_year, int last_year,
                            const std::vector<const ParamNode*>& trees,
                            const std::function<Config(int year)>& read) {
  std::vector<Config> values;
  last_year = std::max(first_year, last_year);
  for (int year = first_year; year <= last_year; ++year) values.push_back(read(year));
  for (int year : knot_years(trees))
    if (year < first_year || year > last_year) read(year);
  return ByYear<Config>(first_year, std::move(values));
}

}  // namespace plansim

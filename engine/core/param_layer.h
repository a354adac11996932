// The parameter overlay: a section of a process's parameters seen through two layers, the city
// file and the scenario block over it. A value the scenario sets replaces the city's whole (a
// number or a trajectory); both are read and checked, so neither is reported as unused.
//
// Used on trees already evaluated for one year (core/trajectory.h), so every getter returns the
// value of that year.
#pragma once

#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "core/params.h"

namespace plansim {

class ParamLayer {
 public:
  /// Either tree may be null (or a null node); anything else that is not a map is an error.
  ParamLayer(const ParamNode* city, const ParamNode* scenario, Diagnostics& diags);

  /// The sub-section `key` of both layers.
  ParamLayer section(std::string_view key) const;
  const ParamNode* city() const { return city_; }
  const ParamNode* scenario() const { return scenario_; }
  Diagnostics& diags() const { return diags_; }

  double number(std::string_view key, double fallback, double lo, double hi) const;
  /// A number in (0, hi]: zero is rejected with its own message.
  double positive_number(std::string_view key, double fallback, double hi) const;
  double probability(std::string_view key, double fallback) const {
    return number(key, fallback, 0.0, 1.0);
  }
  int integer(std::string_view key, int fallback, int lo, int hi) const;
  bool boolean(std::string_view key, bool fallback) const;
  std::string string(std::string_view key, const std::string& fallback) const;
  /// The node a value was taken from (the scenario's when it has one), without marking it read.
  const ParamNode* effective(std::string_view key) const;

 private:
  const ParamNode* city_;
  const ParamNode* scenario_;
  Diagnostics& diags_;
};

}  // namespace plansim

// The space module's data in the World: land use and the metro of the zones, and how the module
// reads the jobs of the economy and publishes what the economy takes from it.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/world.h"
#include "economy/tables.h"

namespace plansim {

/// Land use and metro of the zones. The housing process creates it at initialize from the city
/// config; TOD interventions change capacities and station openings during the run. Per-zone
/// vectors are indexed by zone row. Absent when no housing process runs.
struct LandUse {
  static constexpr std::string_view kName = "land use";
  std::vector<std::uint8_t> zone_type;        // ZoneType
  std::vector<double> dwellings;              // dwelling stock, whole city (not scaled)
  std::vector<double> dwelling_capacity;      // zoning limit on the stock
  std::vector<double> job_floor_space_m2;     // built floor space for jobs
  std::vector<double> job_floor_capacity_m2;  // zoning limit on it
  std::vector<double> mixed_use_share;        // share of the zone's area zoned mixed use
  std::vector<float> price_index;             // dwelling price, base year = 1
  std::vector<float> travel_cost_minutes;     // generalised cost [from * zones + to]
  // Metro stations, one row per (line, station), rows of a line in order along it.
  std::vector<std::string> station_line, station_name, station_section;
  std::vector<double> station_x_m, station_y_m;
  std::vector<std::int16_t> station_opening_year;  // INT16_MAX = not scheduled
};

/// Copies the travel costs and the zoned job floor space of the World's LandUse into the
/// economy's ZoneInputs. Called whenever either changes (installation, a station opening, an
/// upzoning), so that the economy sees them in the same year.
inline void publish_zone_inputs(World& world) {
  const LandUse& lu = world.get<LandUse>();
  ZoneInputs& inputs = world.modules.ensure<ZoneInputs>();
  inputs.travel_cost_minutes = lu.travel_cost_minutes;
  inputs.job_floor_capacity_m2 = lu.job_floor_capacity_m2;
}

/// The economy's firms and the employers of persons, as the space module reads them: empty when
/// no economy process runs.
class Employment {
 public:
  static constexpr std::uint16_t kNoZone = std::numeric_limits<std::uint16_t>::max();
  explicit Employment(const World& world)
      : firms_(world.find<FirmTable>()), employer_(world.persons.find(PersonJobs::kEmployer)) {}
  /// Whether the economy has firms (else jobs come from job floor space).
  bool has_firms() const { return firms_ && firms_->size() > 0; }
  const FirmTable* firms() const { return firms_; }
  /// Zone of the firm a person works at, or kNoZone.
  std::uint16_t work_zone(std::uint32_t person) const {
    if (!firms_ || !employer_) return kNoZone;
    const std::uint32_t f = (*employer_)[person];
    return f < firms_->size() ? firms_->zone[f] : kNoZone;
  }
  /// Employees of the firms in each zone, each simulated employee counted `weight` times.
  std::vector<double> jobs_by_zone(std::size_t zones, double weight) const {
    std::vector<double> jobs(zones, 0.0);
    if (!firms_) return jobs;
    for (std::size_t f = 0; f < firms_->size(); ++f)
      if (!firms_->removed[f] && firms_->zone[f] < zones)
        jobs[firms_->zone[f]] += firms_->employees[f] * weight;
    return jobs;
  }

 private:
  const FirmTable* firms_;
  const std::vector<std::uint32_t>* employer_;
};

}  // namespace plansim

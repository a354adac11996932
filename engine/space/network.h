// Zone-to-zone generalised travel cost by walking, road and metro, the share of each zone near a
// station, and the accessibility index.
//
// Cost model (minutes; all distances are straight lines between points in the city frame):
//   walk(d)      = walk_time_weight · circuity · d / walk_speed
//   road(d)      = road_terminal_minutes + circuity · d / road_speed
//   zone i → j   = min(walk, road) directly, or through the metro network:
//   access       = walk(zone centroid → station) + wait_time_weight · metro_wait   (d ≤
//   max_access_m) egress       = walk(station → zone centroid)                                  (d
//   ≤ max_access_m) ride         = along-line length between consecutive open stations /
//   metro_speed (closed
//                  stations in between are passed through)
//   transfer     = wait_time_weight · metro_wait + transfer_minutes between rows of the same
//                  station name on different lines
// Shortest generalised costs over this graph (Floyd–Warshall on an Eigen matrix). The cost
// within a zone uses the mean distance between two points of a disc of the zone's area,
// 128 R / (45 π) ≈ 0.905 R.
#pragma once

#include <Eigen/Dense>
#include <vector>

#include "core/world.h"
#include "space/land_use.h"
#include "space/space_config.h"

namespace plansim {

/// Stations open in `year`: opening_year <= year.
std::vector<std::uint8_t> open_stations_mask(const LandUse& land_use, int year);

/// Zone × zone generalised cost in minutes (row = origin). Zones need finite x_m, y_m, area_km2.
Eigen::MatrixXd zone_travel_costs(const std::vector<ZoneLabel>& zones, const LandUse& land_use,
                                  const std::vector<std::uint8_t>& station_open,
                                  const TravelParams& params);

/// Share of each zone's area (a disc of area_km2 around its centroid) within `radius_m` of a
/// selected station (selected[s] != 0). Deterministic: a fixed sunflower pattern of sample points.
std::vector<double> zone_share_near_stations(const std::vector<ZoneLabel>& zones,
                                             const LandUse& land_use,
                                             const std::vector<std::uint8_t>& selected,
                                             double radius_m);

/// Accessibility of each origin: Σ_j opportunities_j · exp(−cost_ij / decay_minutes).
Eigen::VectorXd accessibility(const Eigen::MatrixXd& cost, const Eigen::VectorXd& opportunities,
                              double decay_minutes);

/// Mean cost from each origin to the opportunities, weighted as in accessibility() (the
/// expected commute when destinations follow a gravity model); 0 where nothing is reachable.
Eigen::VectorXd gravity_mean_cost(const Eigen::MatrixXd& cost, const Eigen::VectorXd& opportunities,
                                  double decay_minutes);

}  // namespace plansim

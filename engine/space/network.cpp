#include "space/network.h"

#include <cmath>
#include <limits>
#include <numbers>

namespace plansim {
namespace {

double distance_m(double ax, double ay, double bx, double by) {
  return std::hypot(ax - bx, ay - by);
}

double disc_radius_m(double area_km2) { return std::sqrt(area_km2 / std::numbers::pi) * 1000.0; }

/// Minutes to cover `metres` at `kmh`.
double minutes(double metres, double kmh) { return metres / (kmh * 1000.0 / 60.0); }

}  // namespace

std::vector<std::uint8_t> open_stations_mask(const LandUse& land_use, int year) {
  std::vector<std::uint8_t> open(land_use.station_name.size(), 0);
  for (std::size_t s = 0; s < open.size(); ++s) open[s] = land_use.station_opening_year[s] <= year;
  return open;
}

Eigen::MatrixXd zone_travel_costs(const std::vector<ZoneLabel>& zones, const LandUse& lu,
                                  const std::vector<std::uint8_t>& station_open,
                                  const TravelParams& p) {
  const Eigen::Index nz = static_cast<Eigen::Index>(zones.size());
  const Eigen::Index ns = static_cast<Eigen::Index>(lu.station_name.size());
  const Eigen::Index n = nz + ns;
  const double inf = std::numeric_limits<double>::infinity();
  Eigen::MatrixXd d = Eigen::MatrixXd::Constant(n, n, inf);
  d.diagonal().setZero();

  auto walk = [&](double metres) {
    return p.walk_time_weight * minutes(p.circuity_factor * metres, p.walk_speed_kmh);
  };
  auto road = [&](double metres) {
    return p.road_terminal_minutes + minutes(p.circuity_factor * metres, p.road_speed_kmh);
  };
  const double boarding_wait = p.wait_time_weight * p.metro_wait_minutes;

  for (Eigen::Index i = 0; i < nz; ++i)
    for (Eigen::Index j = 0; j < nz; ++j)
      if (i != j) {
        const double m = distance_m(zones[i].x_m, zones[i].y_m, zones[j].x_m, zones[j].y_m);
        d(i, j) = std::min(walk(m), road(m));
      }
  for (Eigen::Index s = 0; s < ns; ++s) {
    if (!station_open[s]) continue;
    for (Eigen::Index z = 0; z < nz; ++z) {
      const double m = distance_m(zones[z].x_m, zones[z].y_m, lu.station_x_m[s], lu.station_y_m[s]);
      if (m > p.max_access_m) continue;
      d(z, nz + s) = walk(m) + boarding_wait;
      d(nz + s, z) = walk(m);
    }
    // Ride to the next open station of the same line, passing closed stations.
    double along = 0;
    for (Eigen::Index t = s + 1; t < ns && lu.station_line[t] == lu.station_line[s]; ++t) {
      along += distance_m(lu.station_x_m[t - 1], lu.station_y_m[t - 1], lu.station_x_m[t],
                          lu.station_y_m[t]);
      if (!station_open[t]) continue;
      const double ride = minutes(along, p.metro_speed_kmh);
      d(nz + s, nz + t) = std::min(d(nz + s, nz + t), ride);
      d(nz + t, nz + s) = std::min(d(nz + t, nz + s), ride);
      break;
    }
    for (Eigen::Index t = 0; t < ns; ++t)
      if (t != s && station_open[t] && lu.station_name[t] == lu.station_name[s] &&
          lu.station_line[t] != lu.station_line[s])
        d(nz + s, nz + t) = boarding_wait + p.transfer_minutes;
  }
  // Floyd–Warshall, one pivot at a time over whole columns.
  for (Eigen::Index k = 0; k < n; ++k) {
    const Eigen::VectorXd via = d.col(k);
    for (Eigen::Index j = 0; j < n; ++j) {
      const double kj = d(k, j);
      if (kj == inf) continue;
      d.col(j) = d.col(j).cwiseMin((via.array() + kj).matrix());
    }
  }
  Eigen::MatrixXd cost = d.topLeftCorner(nz, nz);
  for (Eigen::Index z = 0; z < nz; ++z) {
    const double m = 128.0 / (45.0 * std::numbers::pi) * disc_radius_m(zones[z].area_km2);
    cost(z, z) = std::min(walk(m), road(m));
  }
  return cost;
}

std::vector<double> zone_share_near_stations(const std::vector<ZoneLabel>& zones, const LandUse& lu,
                                             const std::vector<std::uint8_t>& selected,
                                             double radius_m) {
  constexpr int kSamples = 400;
  const double golden_angle = std::numbers::pi * (3.0 - std::sqrt(5.0));
  const double r2 = radius_m * radius_m;
  std::vector<double> share(zones.size(), 0.0);
  for (std::size_t z = 0; z < zones.size(); ++z) {
    const double radius = disc_radius_m(zones[z].area_km2);
    int near = 0;
    for (int k = 0; k < kSamples; ++k) {
      const double r = radius * std::sqrt((k + 0.5) / kSamples);
      const double x = zones[z].x_m + r * std::cos(k * golden_angle);
      const double y = zones[z].y_m + r * std::sin(k * golden_angle);
      for (std::size_t s = 0; s < selected.size(); ++s) {
        if (!selected[s]) continue;
        const double dx = x - lu.station_x_m[s], dy = y - lu.station_y_m[s];
        if (dx * dx + dy * dy <= r2) {
          ++near;
          break;
        }
      }
    }
    share[z] = static_cast<double>(near) / kSamples;
  }
  return share;
}

Eigen::VectorXd accessibility(const Eigen::MatrixXd& cost, const Eigen::VectorXd& opportunities,
                              double decay_minutes) {
  return (-cost.array() / decay_minutes).exp().matrix() * opportunities;
}

Eigen::VectorXd gravity_mean_cost(const Eigen::MatrixXd& cost, const Eigen::VectorXd& opportunities,
                                  double decay_minutes) {
  const Eigen::MatrixXd weight = (-cost.array() / decay_minutes).exp().matrix();
  const Eigen::VectorXd total = weight * opportunities;
  const Eigen::VectorXd weighted = (weight.array() * cost.array()).matrix() * opportunities;
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(cost.rows());
  for (Eigen::Index i = 0; i < cost.rows(); ++i)
    if (total(i) > 0) mean(i) = weighted(i) / total(i);
  return mean;
}

}  // namespace plansim

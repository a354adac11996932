// Known-answer tests of the travel-cost model on hand-made networks, the station catchment share
// and the accessibility index.
#include "space/network.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace plansim {
namespace {

ZoneLabel zone_at(const char* key, double x, double y, double area_km2) {
  ZoneLabel z;
  z.key = key;
  z.x_m = x;
  z.y_m = y;
  z.area_km2 = area_km2;
  return z;
}

void add_station(LandUse& lu, const char* line, const char* name, double x, double y,
                 std::int16_t opens) {
  lu.station_line.push_back(line);
  lu.station_name.push_back(name);
  lu.station_x_m.push_back(x);
  lu.station_y_m.push_back(y);
  lu.station_opening_year.push_back(opens);
}

// Round numbers: walking 80 m/min, road 400 m/min, metro 600 m/min, straight-line distances.
TravelParams simple_params() {
  TravelParams p;
  p.walk_speed_kmh = 4.8;
  p.road_speed_kmh = 24.0;
  p.road_terminal_minutes = 10.0;
  p.metro_speed_kmh = 36.0;
  p.metro_wait_minutes = 3.0;
  p.transfer_minutes = 5.0;
  p.walk_time_weight = 2.0;
  p.wait_time_weight = 2.0;
  p.circuity_factor = 1.0;
  p.max_access_m = 500.0;
  return p;
}

// Three zones on the x axis: A at 0, B at 4 km, C at 12 km; tiny areas.
std::vector<ZoneLabel> three_zones() {
  return {zone_at("a", 0, 0, 0.0001), zone_at("b", 4000, 0, 0.0001),
          zone_at("c", 12000, 0, 0.0001)};
}

TEST(TravelCosts, RoadAndWalkWithoutMetro) {
  const auto zones = three_zones();
  LandUse lu;
  const Eigen::MatrixXd c = zone_travel_costs(zones, lu, {}, simple_params());
  // Road: 10 + d / 400 beats walking 2 · d / 80 beyond ~ 0.4 km.
  EXPECT_NEAR(c(0, 1), 20.0, 1e-9);
  EXPECT_NEAR(c(1, 0), 20.0, 1e-9);
  EXPECT_NEAR(c(0, 2), 40.0, 1e-9);
  EXPECT_NEAR(c(1, 2), 30.0, 1e-9);
}

TEST(TravelCosts, MetroShortensTheLongTrip) {
  const auto zones = three_zones();
  LandUse lu;
  add_station(lu, "1", "a", 0, 0, 2010);
  add_station(lu, "1", "c", 12000, 0, 2010);
  const Eigen::MatrixXd c =
      zone_travel_costs(zones, lu, open_stations_mask(lu, 2020), simple_params());
  // Access 0 walk + 2 · 3 wait, ride 12 km at 600 m/min = 20, egress 0.
  EXPECT_NEAR(c(0, 2), 26.0, 1e-9);
  EXPECT_NEAR(c(2, 0), 26.0, 1e-9);
  EXPECT_NEAR(c(0, 1), 20.0, 1e-9);  // road still best
  // B is 8 km from C's station (beyond the walk limit): road 10 + 20.
  EXPECT_NEAR(c(1, 2), 30.0, 1e-9);
}

TEST(TravelCosts, ClosedStationsArePassedAlongTheLine) {
  const auto zones = three_zones();
  LandUse lu;
  add_station(lu, "1", "a", 0, 0, 2010);
  add_station(lu, "1", "bend", 4000, 3000, 2030);  // opens later
  add_station(lu, "1", "c", 12000, 0, 2010);
  const double along = 5000.0 + std::hypot(8000.0, 3000.0);
  Eigen::MatrixXd c = zone_travel_costs(zones, lu, open_stations_mask(lu, 2020), simple_params());
  EXPECT_NEAR(c(0, 2), 6.0 + along / 600.0, 1e-9);
  // Once the middle station opens the ride is the same length, now through two links.
  c = zone_travel_costs(zones, lu, open_stations_mask(lu, 2030), simple_params());
  EXPECT_NEAR(c(0, 2), 6.0 + along / 600.0, 1e-9);
}

TEST(TravelCosts, TransferBetweenLinesAtTheSameStation) {
  // B lies 2 km off the hub, beyond the walk limit, so it cannot be used to change lines.
  const std::vector<ZoneLabel> zones = {
      zone_at("a", 0, 0, 0.0001), zone_at("b", 4000, 2000, 0.0001), zone_at("c", 12000, 0, 0.0001)};
  LandUse lu;
  add_station(lu, "1", "a", 0, 0, 2010);
  add_station(lu, "1", "hub", 4000, 0, 2010);
  add_station(lu, "2", "hub", 4000, 0, 2010);
  add_station(lu, "2", "c", 12000, 0, 2010);
  const Eigen::MatrixXd c =
      zone_travel_costs(zones, lu, open_stations_mask(lu, 2020), simple_params());
  // 6 wait + 4000/600 ride + (6 wait + 5 walk) transfer + 8000/600 ride = 37 < road 40.
  EXPECT_NEAR(c(0, 2), 6.0 + 4000.0 / 600.0 + 11.0 + 8000.0 / 600.0, 1e-9);
  EXPECT_NEAR(c(1, 2), 10.0 + std::hypot(8000.0, 2000.0) / 400.0, 1e-9);
}

TEST(TravelCosts, IntrazonalCostFromMeanDistanceInADisc) {
  std::vector<ZoneLabel> zones = {zone_at("a", 0, 0, std::numbers::pi)};  // radius 1 km
  const Eigen::MatrixXd c = zone_travel_costs(zones, LandUse{}, {}, simple_params());
  const double mean_distance = 128.0 / (45.0 * std::numbers::pi) * 1000.0;
  EXPECT_NEAR(c(0, 0), 10.0 + mean_distance / 400.0, 1e-9);
}

TEST(StationArea, ShareOfADiscWithinTheCatchment) {
  std::vector<ZoneLabel> zones = {zone_at("a", 0, 0, std::numbers::pi),
                                  zone_at("b", 50000, 0, 1.0)};
  LandUse lu;
  add_station(lu, "1", "centre", 0, 0, 2010);
  const auto share = zone_share_near_stations(zones, lu, {1}, 800.0);
  EXPECT_NEAR(share[0], 0.64, 0.005);  // (800 / 1000)^2
  EXPECT_EQ(share[1], 0.0);
  // A station on the zone's edge covers a lens; two stations cover their union.
  LandUse two;
  add_station(two, "1", "w", -1000, 0, 2010);
  add_station(two, "1", "e", 1000, 0, 2010);
  const double lens = zone_share_near_stations(zones, two, {1, 0}, 800.0)[0];
  const double both = zone_share_near_stations(zones, two, {1, 1}, 800.0)[0];
  EXPECT_NEAR(lens, 0.2648, 0.015);   // circle-circle intersection area / disc area
  EXPECT_NEAR(both, 2 * lens, 0.01);  // disjoint lenses
}

TEST(Accessibility, ClosedFormOnTwoZones) {
  Eigen::MatrixXd cost(2, 2);
  cost << 5, 20, 20, 5;
  Eigen::VectorXd jobs(2);
  jobs << 1000, 3000;
  const Eigen::VectorXd a = accessibility(cost, jobs, 10.0);
  EXPECT_NEAR(a(0), 1000 * std::exp(-0.5) + 3000 * std::exp(-2.0), 1e-9);
  EXPECT_NEAR(a(1), 1000 * std::exp(-2.0) + 3000 * std::exp(-0.5), 1e-9);
  const Eigen::VectorXd mean = gravity_mean_cost(cost, jobs, 10.0);
  EXPECT_NEAR(mean(0), (1000 * std::exp(-0.5) * 5 + 3000 * std::exp(-2.0) * 20) / a(0), 1e-9);
}

}  // namespace
}  // namespace plansim

// City data of the space module: zone land use (configs/<city>/land_use.yaml), the metro network
// (configs/<city>/metro.yaml) and the parameters of travel costs and of the housing market, read
// with source locations and validated; installed into the World's LandUse at the start of a run.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/city_catalog.h"
#include "core/diagnostics.h"
#include "core/params.h"
#include "core/world.h"
#include "space/land_use.h"

namespace plansim {

/// Land-use type of a zone: steers how fast developers use the zoning headroom.
const char* zone_type_name(ZoneType type);

/// Station rows that never open unless an open_stations intervention says so.
inline constexpr std::int16_t kNeverOpens = std::numeric_limits<std::int16_t>::max();

/// One zone of land_use.yaml.
struct ZoneLandUseSpec {
  std::string key;
  SourceLoc loc;
  ZoneType type = ZoneType::kOldTown;
  double vacancy_2020 = 0;             // share of the base-year stock that is empty
  double dwelling_capacity_ratio = 1;  // zoning capacity / base-year stock (>= 1)
  double job_floor_space_m2 = 0;       // base-year built floor space for jobs
  double job_floor_capacity_m2 = 0;    // zoning limit on it
  double school_places = std::numeric_limits<double>::quiet_NaN();  // used without facilities
};

struct MetroStationSpec {
  std::string name;
  std::string section;
  double x_m = 0, y_m = 0;
  int opened_year = 0;   // year it opens by itself (0 = only through open_stations)
  int planned_year = 0;  // informational, for sections not yet open
  SourceLoc loc;
};

struct MetroLineSpec {
  std::string line;
  SourceLoc loc;
  std::vector<std::string> sections;       // in order along the line
  std::vector<MetroStationSpec> stations;  // in order along the line
};

/// Generalised travel cost (minutes) by walking, road and metro; see network.h.
struct TravelParams {
  double walk_speed_kmh = 4.5;
  double road_speed_kmh = 22.0;
  double road_terminal_minutes = 10.0;  // parking, waiting for a bus, walking to the car
  double metro_speed_kmh = 35.0;        // commercial speed between stations, stops included
  double metro_wait_minutes = 3.0;      // half the headway
  double transfer_minutes = 5.0;        // walking between platforms
  double walk_time_weight = 2.0;        // a walked minute costs this many in-vehicle minutes
  double wait_time_weight = 2.0;
  double circuity_factor = 1.3;               // network distance / straight-line distance
  double max_access_m = 2000.0;               // longest walk to or from a station
  double station_catchment_m = 800.0;         // "near a station"
  double accessibility_decay_minutes = 25.0;  // exp(-cost / decay) in the accessibility index
  bool operator==(const TravelParams&) const = default;
};

/// Housing market: relocation triggers, location-choice utility, prices and developers.
struct MarketParams {
  // Probability that a household looks for a new dwelling this year, by trigger.
  double base_move_rate = 0.04;
  double new_household_move_rate = 1.0;
  double growth_move_rate = 0.25;
  double shrink_move_rate = 0.15;
  double job_change_move_rate = 0.30;
  // Utility of a zone for a mover (multinomial logit).
  double beta_log_accessibility = 1.0;
  double beta_log_price = -1.5;
  double beta_log_school_places = 0.5;  // households with children under 15
  double beta_commute_minutes = -0.03;  // per minute of generalised cost to the work zone
  double beta_mixed_use = 0.5;          // per unit of mixed-use share of the zone
  double beta_same_zone = 1.0;          // attachment to the current zone
  int shadow_price_iterations = 200;
  double shadow_price_tolerance = 0.001;  // expected demand may exceed supply by this share
  // Prices.
  double price_adjustment = 0.3;   // elasticity of the price to demand / supply per year
  double natural_vacancy = 0.05;   // vacancy at which prices are stable
  double max_price_change = 0.15;  // per year, either way
  // Developers.
  double developer_min_price_index = 0.95;              // below this nothing is built
  double build_share[kZoneTypes] = {0.02, 0.10, 0.15};  // of the remaining headroom per year
  double floor_space_per_job_m2 = 30.0;
  double job_floor_occupancy_trigger = 0.9;  // with firms: build when use / stock exceeds this
};

struct SpaceConfig {
  std::vector<ZoneLandUseSpec> zones;
  std::vector<MetroLineSpec> lines;
  TravelParams travel;
  MarketParams market;
};

/// The metro network of the city (`lines:` of metro.yaml) in the city catalogue
/// (core/city_catalog.h): read once per scenario, with every error at its location, by the
/// housing process or the first TOD intervention that asks; metro.yaml's `travel:` parameters
/// (trajectories allowed) are read by the housing process for each year.
struct CityMetro {
  static constexpr std::string_view kName = "metro network";
  static constexpr std::string_view kFile = "metro";
  bool present = false;  // the city folder has metro.yaml
  std::vector<MetroLineSpec> lines;
  static CityMetro read(CityReadContext& ctx);
};

/// Reads city["land_use"] (zones, housing_market) and city["metro"]'s travel parameters, takes
/// the lines from `metro`, recording every problem in diags. When `zone_keys` (the catalogue's
/// zones.yaml) is not empty, land_use.yaml's zones must match it one to one.
SpaceConfig read_space_config(const ParamNode& city, const CityMetro& metro,
                              const std::vector<std::string>& zone_keys, Diagnostics& diags);
/// The same with the metro network and the zones read from `city` (for tests and tools).
SpaceConfig read_space_config(const ParamNode& city, Diagnostics& diags);

/// Overlays the keys present in `node` (a map) on `travel`; used for metro.yaml's `travel:` and
/// for a scenario's `housing.travel:`.
void read_travel_params(const ParamNode& node, TravelParams& travel, Diagnostics& diags);
/// Overlays the keys present in `node` on `market` (land_use.yaml's `housing_market:`, a
/// scenario's `housing.market:`).
void read_market_params(const ParamNode& node, MarketParams& market, Diagnostics& diags);

/// Creates the World's LandUse from the config for the World's zones (matched by key): zone types,
/// job floor space and capacities, prices 1, stations. The dwelling stock is derived from the
/// households present: households × person weight / (1 − vacancy_2020), and the capacity from
/// the ratio. Throws std::runtime_error when a zone has no land use or no centroid.
void install_land_use(World& world, const SpaceConfig& config);

}  // namespace plansim

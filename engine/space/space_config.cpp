#include "space/space_config.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <stdexcept>

#include "population/city_zones.h"
#include "space/detail/text.h"

namespace plansim {

const char* zone_type_name(ZoneType type) {
  switch (type) {
    case ZoneType::kOldTown:
      return "old_town";
    case ZoneType::kNewDistrict:
      return "new_district";
    case ZoneType::kTodArea:
      return "tod_area";
  }
  return "?";
}

namespace {

using space_detail::describe;
using space_detail::number_text;

constexpr double kMaxCoordinateM = 200000.0;  // a city frame spans less than 200 km

const ParamNode* list_at(const ParamNode& parent, std::string_view key, Diagnostics& diags) {
  const ParamNode* n = parent.require(key, diags);
  if (n && !n->is_sequence()) {
    diags.error(n->loc(), n->path() + ": expected a list, got " + describe(*n));
    return nullptr;
  }
  return n;
}

const ParamNode* optional_map(const ParamNode& parent, std::string_view key, Diagnostics& diags) {
  const ParamNode* n = parent.find(key);
  if (n && !n->is_map()) {
    diags.error(n->loc(), n->path() + ": expected a map, got " + describe(*n));
    return nullptr;
  }
  return n;
}

void read_zone_type(const ParamNode& item, ZoneType& type, Diagnostics& diags) {
  const std::string text = item.required_string("type", diags);
  const ParamNode* node = item.find("type");
  if (!node || text.empty()) return;
  for (int t = 0; t < kZoneTypes; ++t)
    if (text == zone_type_name(static_cast<ZoneType>(t))) {
      type = static_cast<ZoneType>(t);
      return;
    }
  diags.error(node->loc(), node->path() + ": unknown zone type '" + text +
                               "' (expected old_town, new_district or tod_area)");
}

void read_land_use_zones(const ParamNode& file, SpaceConfig& config, Diagnostics& diags) {
  const ParamNode* list = list_at(file, "zones", diags);
  if (!list) return;
  for (const ParamNode& item : list->items()) {
    if (!item.is_map()) {
      diags.error(item.loc(), item.path() + ": expected a zone map, got " + describe(item));
      continue;
    }
    ZoneLandUseSpec zone;
    zone.loc = item.loc();
    zone.key = item.required_string("key", diags);
    if (const ParamNode* key = item.find("key")) zone.loc = key->loc();
    if (const ParamNode* key = item.find("key"))
      for (const auto& other : config.zones)
        if (other.key == zone.key)
          diags.error(key->loc(), key->path() + ": zone '" + zone.key + "' is listed twice");
    read_zone_type(item, zone.type, diags);
    zone.vacancy_2020 = item.required_number("vacancy_2020", diags, 0.0, 0.9);
    zone.dwelling_capacity_ratio =
        item.required_number("dwelling_capacity_ratio", diags, 1.0, 100.0);
    zone.job_floor_space_m2 = item.required_number("job_floor_space_m2", diags, 0.0);
    zone.job_floor_capacity_m2 = item.required_number("job_floor_capacity_m2", diags, 0.0);
    if (zone.job_floor_capacity_m2 < zone.job_floor_space_m2) {
      const ParamNode* cap = item.find("job_floor_capacity_m2");
      diags.error(
          cap ? cap->loc() : item.loc(),
          item.path() + ".job_floor_capacity_m2: " + number_text(zone.job_floor_capacity_m2) +
              " is below job_floor_space_m2 (" + number_text(zone.job_floor_space_m2) + ")");
    }
    if (item.find("school_places"))
      zone.school_places = item.number("school_places", 0.0, diags, 0.0);
    config.zones.push_back(std::move(zone));
  }
}

/// Zone keys of land_use.yaml against those of zones.yaml (the catalogue's).
void check_zone_keys(const std::vector<std::string>& city_keys, const ParamNode& land_use,
                     const SpaceConfig& config, Diagnostics& diags) {
  if (city_keys.empty()) return;
  std::vector<std::string> ours;
  for (const auto& zone : config.zones) ours.push_back(zone.key);
  for (std::size_t i = 0; i < config.zones.size(); ++i) {
    const ZoneLandUseSpec& zone = config.zones[i];
    if (zone.key.empty() ||
        std::find(city_keys.begin(), city_keys.end(), zone.key) != city_keys.end())
      continue;
    const std::string hint = closest_match(zone.key, city_keys);
    std::string message =
        "zones[" + std::to_string(i) + "].key: '" + zone.key + "' is not a zone of zones.yaml";
    if (!hint.empty()) message += " (did you mean '" + hint + "'?)";
    diags.error(zone.loc, message);
  }
  const ParamNode* list = land_use.peek("zones");
  for (const auto& key : city_keys)
    if (std::find(ours.begin(), ours.end(), key) == ours.end())
      diags.error(list ? list->loc() : land_use.loc(),
                  "zones: zone '" + key + "' of zones.yaml has no land use");
}

void read_station(const ParamNode& item, MetroStationSpec& station, Diagnostics& diags) {
  station.loc = item.loc();
  station.name = item.required_string("name", diags);
  station.x_m = item.required_number("x_m", diags, -kMaxCoordinateM, kMaxCoordinateM);
  station.y_m = item.required_number("y_m", diags, -kMaxCoordinateM, kMaxCoordinateM);
}

void read_line(const ParamNode& item, std::vector<MetroLineSpec>& lines, Diagnostics& diags) {
  MetroLineSpec line;
  line.loc = item.loc();
  line.line = item.required_string("line", diags);
  if (const ParamNode* key = item.find("line"))
    for (const auto& other : lines)
      if (other.line == line.line)
        diags.error(key->loc(), key->path() + ": line '" + line.line + "' is listed twice");
  const ParamNode* sections = list_at(item, "sections", diags);
  if (sections) {
    for (const ParamNode& section : sections->items()) {
      if (!section.is_map()) {
        diags.error(section.loc(),
                    section.path() + ": expected a section map, got " + describe(section));
        continue;
      }
      const std::string name = section.required_string("section", diags);
      if (!name.empty() &&
          std::find(line.sections.begin(), line.sections.end(), name) != line.sections.end())
        diags.error(section.find("section")->loc(),
                    section.path() + ".section: section '" + name + "' is listed twice");
      const ParamNode* opened = section.find("opened");
      const ParamNode* planned = section.find("planned");
      int opened_year = 0, planned_year = 0;
      if (opened && planned) {
        diags.error(planned->loc(), section.path() + ": give either opened or planned, not both");
      } else if (!opened && !planned) {
        diags.error(section.loc(), section.path() +
                                       ": missing 'opened' (year in service) or 'planned' (year "
                                       "planned; opens through open_stations)");
      }
      if (opened) opened_year = static_cast<int>(opened->as_integer(diags, 1900, 2200).value_or(0));
      if (planned)
        planned_year = static_cast<int>(planned->as_integer(diags, 1900, 2200).value_or(0));
      const ParamNode* stations = list_at(section, "stations", diags);
      if (stations) {
        for (const ParamNode& s : stations->items()) {
          if (!s.is_map()) {
            diags.error(s.loc(), s.path() + ": expected {name, x_m, y_m}, got " + describe(s));
            continue;
          }
          MetroStationSpec station;
          read_station(s, station, diags);
          station.section = name;
          station.opened_year = opened_year;
          station.planned_year = planned_year;
          for (const auto& other : line.stations)
            if (other.name == station.name && !station.name.empty())
              diags.error(s.find("name")->loc(), s.path() + ".name: station '" + station.name +
                                                     "' is listed twice on line " + line.line);
          line.stations.push_back(std::move(station));
        }
      }
      line.sections.push_back(name);
    }
  }
  lines.push_back(std::move(line));
}

}  // namespace

void read_travel_params(const ParamNode& node, TravelParams& t, Diagnostics& diags) {
  t.walk_speed_kmh = node.number("walk_speed_kmh", t.walk_speed_kmh, diags, 0.5, 20);
  t.road_speed_kmh = node.number("road_speed_kmh", t.road_speed_kmh, diags, 1, 150);
  t.road_terminal_minutes =
      node.number("road_terminal_minutes", t.road_terminal_minutes, diags, 0, 120);
  t.metro_speed_kmh = node.number("metro_speed_kmh", t.metro_speed_kmh, diags, 1, 150);
  t.metro_wait_minutes = node.number("metro_wait_minutes", t.metro_wait_minutes, diags, 0, 120);
  t.transfer_minutes = node.number("transfer_minutes", t.transfer_minutes, diags, 0, 120);
  t.walk_time_weight = node.number("walk_time_weight", t.walk_time_weight, diags, 0.1, 10);
  t.wait_time_weight = node.number("wait_time_weight", t.wait_time_weight, diags, 0.1, 10);
  t.circuity_factor = node.number("circuity_factor", t.circuity_factor, diags, 1.0, 3.0);
  t.max_access_m = node.number("max_access_m", t.max_access_m, diags, 0, 20000);
  t.station_catchment_m =
      node.number("station_catchment_m", t.station_catchment_m, diags, 1, 10000);
  t.accessibility_decay_minutes =
      node.number("accessibility_decay_minutes", t.accessibility_decay_minutes, diags, 1, 1000);
}

void read_market_params(const ParamNode& node, MarketParams& m, Diagnostics& diags) {
  m.base_move_rate = node.probability("base_move_rate", m.base_move_rate, diags);
  m.new_household_move_rate =
      node.probability("new_household_move_rate", m.new_household_move_rate, diags);
  m.growth_move_rate = node.probability("growth_move_rate", m.growth_move_rate, diags);
  m.shrink_move_rate = node.probability("shrink_move_rate", m.shrink_move_rate, diags);
  m.job_change_move_rate = node.probability("job_change_move_rate", m.job_change_move_rate, diags);
  m.beta_log_accessibility =
      node.number("beta_log_accessibility", m.beta_log_accessibility, diags, -20, 20);
  m.beta_log_price = node.number("beta_log_price", m.beta_log_price, diags, -20, 20);
  m.beta_log_school_places =
      node.number("beta_log_school_places", m.beta_log_school_places, diags, -20, 20);
  m.beta_commute_minutes =
      node.number("beta_commute_minutes", m.beta_commute_minutes, diags, -5, 5);
  m.beta_mixed_use = node.number("beta_mixed_use", m.beta_mixed_use, diags, -20, 20);
  m.beta_same_zone = node.number("beta_same_zone", m.beta_same_zone, diags, -20, 20);
  m.shadow_price_iterations = static_cast<int>(
      node.integer("shadow_price_iterations", m.shadow_price_iterations, diags, 1, 100000));
  m.shadow_price_tolerance =
      node.number("shadow_price_tolerance", m.shadow_price_tolerance, diags, 1e-9, 1);
  m.price_adjustment = node.number("price_adjustment", m.price_adjustment, diags, 0, 5);
  m.natural_vacancy = node.number("natural_vacancy", m.natural_vacancy, diags, 0, 0.9);
  m.max_price_change = node.number("max_price_change", m.max_price_change, diags, 0, 0.9);
  m.developer_min_price_index =
      node.number("developer_min_price_index", m.developer_min_price_index, diags, 0, 100);
  if (const ParamNode* shares = optional_map(node, "build_share", diags))
    for (int t = 0; t < kZoneTypes; ++t)
      m.build_share[t] =
          shares->probability(zone_type_name(static_cast<ZoneType>(t)), m.build_share[t], diags);
  m.floor_space_per_job_m2 =
      node.number("floor_space_per_job_m2", m.floor_space_per_job_m2, diags, 1, 1000);
  m.job_floor_occupancy_trigger =
      node.number("job_floor_occupancy_trigger", m.job_floor_occupancy_trigger, diags, 0.01, 1);
}

CityMetro CityMetro::read(CityReadContext& ctx) {
  CityMetro out;
  if (!ctx.file) return out;
  out.present = true;
  if (!ctx.file->is_map()) return out;  // reported by read_space_config
  if (const ParamNode* lines = list_at(*ctx.file, "lines", ctx.diags)) {
    for (const ParamNode& item : lines->items()) {
      if (!item.is_map()) {
        ctx.diags.error(item.loc(), item.path() + ": expected a line map, got " + describe(item));
        continue;
      }
      read_line(item, out.lines, ctx.diags);
    }
  }
  return out;
}

SpaceConfig read_space_config(const ParamNode& city, const CityMetro& metro_network,
                              const std::vector<std::string>& zone_keys, Diagnostics& diags) {
  SpaceConfig config;
  const ParamNode* land_use = city.find("land_use");
  if (!land_use || !land_use->is_map()) {
    diags.error(land_use ? land_use->loc() : city.loc(),
                "land_use: the city config needs land_use.yaml with a 'zones' list");
  } else {
    read_land_use_zones(*land_use, config, diags);
    if (const ParamNode* market = optional_map(*land_use, "housing_market", diags))
      read_market_params(*market, config.market, diags);
    check_zone_keys(zone_keys, *land_use, config, diags);
  }
  const ParamNode* metro = city.find("metro");
  if (!metro || !metro->is_map()) {
    diags.error(metro ? metro->loc() : city.loc(),
                "metro: the city config needs metro.yaml with a 'lines' list");
  } else {
    config.lines = metro_network.lines;
    if (const ParamNode* travel = optional_map(*metro, "travel", diags))
      read_travel_params(*travel, config.travel, diags);
  }
  return config;
}

SpaceConfig read_space_config(const ParamNode& city, Diagnostics& diags) {
  CityCatalog catalog;
  const CityMetro& metro = catalog.get<CityMetro>(city, diags);
  const std::vector<std::string> keys = catalog.get<CityZones>(city, diags).keys();
  return read_space_config(city, metro, keys, diags);
}

void install_land_use(World& world, const SpaceConfig& config) {
  const std::size_t zones = world.zones.size();
  if (zones == 0) throw std::runtime_error("housing: the World has no zones (run synthesis first)");
  LandUse& lu = world.modules.emplace<LandUse>();
  lu.zone_type.resize(zones);
  lu.dwellings.resize(zones);
  lu.dwelling_capacity.resize(zones);
  lu.job_floor_space_m2.resize(zones);
  lu.job_floor_capacity_m2.resize(zones);
  lu.mixed_use_share.assign(zones, 0.0);
  lu.price_index.assign(zones, 1.0f);

  std::vector<double> households(zones, 0.0);
  for (std::size_t h = 0; h < world.households.size(); ++h)
    if (!world.households.removed[h] && world.households.zone[h] < zones)
      households[world.households.zone[h]] += 1.0;

  for (std::size_t z = 0; z < zones; ++z) {
    const ZoneLabel& label = world.zones[z];
    if (!std::isfinite(label.x_m) || !std::isfinite(label.y_m) || !std::isfinite(label.area_km2) ||
        label.area_km2 <= 0)
      throw std::runtime_error(
          "housing: zone '" + label.key +
          "' has no centroid or area: set x_m, y_m and area_km2 in zones.yaml");
    auto it = std::find_if(config.zones.begin(), config.zones.end(),
                           [&](const ZoneLandUseSpec& s) { return s.key == label.key; });
    if (it == config.zones.end())
      throw std::runtime_error("housing: zone '" + label.key + "' has no entry in land_use.yaml");
    lu.zone_type[z] = static_cast<std::uint8_t>(it->type);
    lu.dwellings[z] = std::ceil(households[z] * world.person_weight / (1.0 - it->vacancy_2020));
    lu.dwelling_capacity[z] = std::ceil(lu.dwellings[z] * it->dwelling_capacity_ratio);
    lu.job_floor_space_m2[z] = it->job_floor_space_m2;
    lu.job_floor_capacity_m2[z] = it->job_floor_capacity_m2;
  }
  for (const auto& line : config.lines)
    for (const auto& s : line.stations) {
      lu.station_line.push_back(line.line);
      lu.station_name.push_back(s.name);
      lu.station_section.push_back(s.section);
      lu.station_x_m.push_back(s.x_m);
      lu.station_y_m.push_back(s.y_m);
      lu.station_opening_year.push_back(s.opened_year > 0 ? static_cast<std::int16_t>(s.opened_year)
                                                          : kNeverOpens);
    }
  publish_zone_inputs(world);
}

}  // namespace plansim

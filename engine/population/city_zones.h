// The city's zones (zones.yaml) in the city catalogue (core/city_catalog.h): read and validated
// once per scenario by this module, the file's owner; every process and intervention that refers
// to a zone looks it up here, and the synthesis creates the World's zones from it (same order, so
// a zone's index here is its row in the World).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/city_catalog.h"
#include "core/diagnostics.h"
#include "core/params.h"
#include "core/world.h"
#include "population/synthesis_config.h"

namespace plansim {

struct CityZones {
  static constexpr std::string_view kName = "zones";
  static constexpr std::string_view kFile = "zones";

  bool present = false;         // the city folder has zones.yaml
  std::vector<ZoneSpec> zones;  // in file order

  std::vector<std::string> keys() const {
    std::vector<std::string> out;
    for (const auto& z : zones) out.push_back(z.key);
    return out;
  }
  /// Key, names and geometry of each zone, as the World will hold them.
  std::vector<ZoneLabel> labels() const {
    std::vector<ZoneLabel> out;
    for (const auto& z : zones)
      out.push_back({z.key, z.name_zh, z.name_en, z.x_m, z.y_m, z.area_km2});
    return out;
  }

  /// Reads `zones:` of zones.yaml with every problem at its location; empty without the file.
  static CityZones read(CityReadContext& ctx) {
    const ParamNode* file = ctx.file;
    Diagnostics& diags = ctx.diags;
    CityZones out;
    if (!file) return out;
    out.present = true;
    if (!file->is_map()) {
      diags.error(file->loc(), "zones: expected a map with a 'zones' list");
      file->mark_all_used();
      return out;
    }
    PopulationConfig config;
    read_zones(*file, config, diags);
    out.zones = std::move(config.zones);
    return out;
  }
};

}  // namespace plansim

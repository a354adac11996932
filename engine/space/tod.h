// Transit-oriented development interventions: open_stations, upzone, mixed_use.
//
// A scenario's policy process parses each intervention with parse_tod_intervention() (at
// configure, with locations, against the city catalogue's zones and metro network, so that
// `plansim check` rejects what the run would) and applies it in its year with
// apply_tod_intervention(), which changes the World's LandUse; the housing process sees the change
// in the same year (it runs after policy) and recomputes travel costs when a station opened.
//
//   open_stations: {line: "6", stations: [奥体中心, 常庄]}   or  {line: "6", section: west}
//   upzone:   {zones: [liuhu], residential_capacity: "+25%", jobs_capacity: "+40%"}
//             {line: "10", stations: [柳湖], radius_m: 800, residential_capacity: "+5000"}
//   mixed_use: {line: "10", section: phase1, radius_m: 800, job_floor_m2_per_dwelling: 8}
//
// Capacity changes are "+25%" (relative to the zone's zoning capacity) or "+5000" (absolute:
// dwellings for residential_capacity, m² of floor space for jobs_capacity); negative changes
// lower the zoning limit but never below what is already built. For `zones:` an absolute change
// applies to each listed zone; around stations it is split over zones by the area within
// radius_m of the stations, and a relative change is weighted by the zone's share of area in it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "core/params.h"
#include "core/world.h"
#include "space/land_use.h"
#include "space/space_config.h"

namespace plansim {

enum class TodKind { kOpenStations, kUpzone, kMixedUse };

/// The names an intervention may refer to: the city catalogue's zones and stations
/// (make_tod_catalog).
struct TodCatalog {
  struct Station {
    std::string line, section, name;
    int opened_year = 0;  // 0 = planned (not open until an intervention opens it)
  };
  std::vector<std::string> zone_keys;
  std::vector<Station> stations;  // in metro.yaml order
};

/// The names of the city catalogue's zones and metro network.
TodCatalog make_tod_catalog(const std::vector<std::string>& zone_keys,
                            const std::vector<MetroLineSpec>& lines);

struct CapacityChange {
  bool relative = false;  // true: `amount` is a fraction of the capacity (0.25 for "+25%")
  double amount = 0;
};

struct TodIntervention {
  TodKind kind = TodKind::kOpenStations;
  int year = 0;
  std::string line;
  std::vector<std::string> stations;                   // resolved names (a section is expanded)
  std::vector<std::string> zones;                      // zone keys (upzone by zones)
  double radius_m = 800.0;                             // around stations (upzone, mixed_use)
  std::optional<CapacityChange> residential_capacity;  // dwellings
  std::optional<CapacityChange> jobs_capacity;         // m² of job floor space
  double job_floor_m2_per_dwelling = 0;                // mixed_use
  std::string path;                                    // e.g. "interventions[2].upzone"
};

/// True for the intervention names this module handles.
bool is_tod_intervention(std::string_view name);

/// Parses the body of one intervention (`body` is the map under `open_stations:`, `upzone:` or
/// `mixed_use:`) due in `year`; every problem goes to diags at its location, and false is
/// returned (nothing else is thrown). Line, section, station and zone names are checked against
/// `catalog`, so an intervention that parses applies.
bool parse_tod_intervention(std::string_view name, const ParamNode& body, int year,
                            const TodCatalog& catalog, Diagnostics& diags, TodIntervention& out);

/// Applies an intervention to the World's LandUse (which the housing process filled at initialize
/// from the same catalogue the intervention was checked against). Throws std::logic_error when the
/// World has no land use or lacks a name the catalogue has (neither happens in a configured run).
void apply_tod_intervention(World& world, const TodIntervention& intervention);

/// Parses "+25%", "-10%", "+5000", "5000" (a scalar node). Errors at the node.
std::optional<CapacityChange> parse_capacity_change(const ParamNode& node, Diagnostics& diags);

}  // namespace plansim

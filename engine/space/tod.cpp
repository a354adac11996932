#include "space/tod.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "core/text.h"
#include "space/detail/text.h"
#include "space/network.h"
#include "space/space_config.h"

namespace plansim {
namespace {

using space_detail::describe;

/// A zone counts as a TOD area once this share of its area lies in a station area.
constexpr double kTodAreaMinShare = 0.2;

std::vector<std::string> line_names(const TodCatalog& catalog) {
  std::vector<std::string> lines;
  for (const auto& s : catalog.stations)
    if (std::find(lines.begin(), lines.end(), s.line) == lines.end()) lines.push_back(s.line);
  return lines;
}

/// Reads line + (stations | section) into out.line / out.stations. `need_closed`: every station
/// must still be closed in `year` (open_stations).
bool read_stations(const ParamNode& body, const TodCatalog& catalog, bool need_closed, int year,
                   Diagnostics& diags, TodIntervention& out) {
  const std::size_t before = diags.size();
  out.line = body.required_string("line", diags);
  const ParamNode* line_node = body.find("line");
  if (!line_node || out.line.empty()) return false;
  const std::vector<std::string> lines = line_names(catalog);
  if (std::find(lines.begin(), lines.end(), out.line) == lines.end()) {
    std::string message = line_node->path() + ": unknown metro line '" + out.line + "'";
    const std::string hint = closest_match(out.line, lines);
    message += hint.empty() ? " (lines: " + join(lines) + ")" : " (did you mean '" + hint + "'?)";
    diags.error(line_node->loc(), message);
    return false;
  }
  std::vector<const TodCatalog::Station*> on_line;
  std::vector<std::string> names, sections;
  for (const auto& s : catalog.stations)
    if (s.line == out.line) {
      on_line.push_back(&s);
      names.push_back(s.name);
      if (std::find(sections.begin(), sections.end(), s.section) == sections.end())
        sections.push_back(s.section);
    }
  const ParamNode* stations = body.find("stations");
  const ParamNode* section = body.find("section");
  if (stations && section) {
    diags.error(section->loc(), body.path() + ": give either stations or section, not both");
    return false;
  }
  std::vector<std::pair<std::string, const ParamNode*>> chosen;
  if (section) {
    const auto name = section->as_string(diags);
    if (!name) return false;
    if (std::find(sections.begin(), sections.end(), *name) == sections.end()) {
      std::string message =
          section->path() + ": line " + out.line + " has no section '" + *name + "'";
      const std::string hint = closest_match(*name, sections);
      message +=
          hint.empty() ? " (sections: " + join(sections) + ")" : " (did you mean '" + hint + "'?)";
      diags.error(section->loc(), message);
      return false;
    }
    for (const auto* s : on_line)
      if (s->section == *name) chosen.push_back({s->name, section});
  } else if (stations) {
    if (!stations->is_sequence() || stations->items().empty()) {
      diags.error(stations->loc(), stations->path() + ": expected a list of station names, got " +
                                       describe(*stations));
      return false;
    }
    for (const ParamNode& item : stations->items()) {
      const auto name = item.as_string(diags);
      if (!name) continue;
      if (std::find(names.begin(), names.end(), *name) == names.end()) {
        std::string message = item.path() + ": no station '" + *name + "' on line " + out.line;
        const std::string hint = closest_match(*name, names);
        if (!hint.empty()) message += " (did you mean '" + hint + "'?)";
        diags.error(item.loc(), message);
        continue;
      }
      chosen.push_back({*name, &item});
    }
  } else {
    diags.error(body.loc(), body.path() + ": missing 'stations' (a list of names) or 'section'");
    return false;
  }
  for (const auto& pick : chosen) {
    const std::string& name = pick.first;  // not a structured binding: clang 14 cannot capture one
    const auto* node = pick.second;
    const auto* s = *std::find_if(on_line.begin(), on_line.end(),
                                  [&](const TodCatalog::Station* x) { return x->name == name; });
    if (need_closed && s->opened_year > 0 && s->opened_year <= year) {
      diags.error(node->loc(), node->path() + ": station " + name + " of line " + out.line +
                                   " is already open (since " + std::to_string(s->opened_year) +
                                   ")");
      continue;
    }
    if (std::find(out.stations.begin(), out.stations.end(), name) == out.stations.end())
      out.stations.push_back(name);
  }
  return diags.size() == before;
}

bool read_zones(const ParamNode& zones, const TodCatalog& catalog, Diagnostics& diags,
                TodIntervention& out) {
  if (!zones.is_sequence() || zones.items().empty()) {
    diags.error(zones.loc(),
                zones.path() + ": expected a list of zone keys, got " + describe(zones));
    return false;
  }
  const std::size_t before = diags.size();
  for (const ParamNode& item : zones.items()) {
    const auto key = item.as_string(diags);
    if (!key) continue;
    if (std::find(catalog.zone_keys.begin(), catalog.zone_keys.end(), *key) ==
        catalog.zone_keys.end()) {
      std::string message = item.path() + ": unknown zone '" + *key + "'";
      const std::string hint = closest_match(*key, catalog.zone_keys);
      if (!hint.empty()) message += " (did you mean '" + hint + "'?)";
      diags.error(item.loc(), message);
      continue;
    }
    out.zones.push_back(*key);
  }
  return diags.size() == before;
}

std::vector<std::uint8_t> station_selection(const LandUse& lu, const TodIntervention& t) {
  std::vector<std::uint8_t> selected(lu.station_name.size(), 0);
  for (const auto& name : t.stations) {
    bool found = false;
    for (std::size_t s = 0; s < selected.size(); ++s)
      if (lu.station_line[s] == t.line && lu.station_name[s] == name) selected[s] = found = true;
    if (!found)
      throw std::logic_error(t.path + ": station " + name + " of line " + t.line +
                             " is not in the World's metro network");
  }
  return selected;
}

/// New zoning limit after `change`, weighted by `weight` (share of the zone concerned) and, for
/// absolute amounts, `absolute_share` of the amount; never below the built `stock`.
double changed_capacity(double capacity, double stock, const CapacityChange& change, double weight,
                        double absolute_share) {
  const double delta =
      change.relative ? capacity * change.amount * weight : change.amount * absolute_share;
  return std::max(stock, capacity + delta);
}

}  // namespace

TodCatalog make_tod_catalog(const std::vector<std::string>& zone_keys,
                            const std::vector<MetroLineSpec>& lines) {
  TodCatalog catalog;
  catalog.zone_keys = zone_keys;
  for (const auto& line : lines)
    for (const auto& s : line.stations)
      catalog.stations.push_back({line.line, s.section, s.name, s.opened_year});
  return catalog;
}

bool is_tod_intervention(std::string_view name) {
  return name == "open_stations" || name == "upzone" || name == "mixed_use";
}

std::optional<CapacityChange> parse_capacity_change(const ParamNode& node, Diagnostics& diags) {
  const std::string expected = ": expected a change like \"+25%\" or \"+5000\", got ";
  if (!node.is_scalar()) {
    diags.error(node.loc(), node.path() + expected + describe(node));
    return std::nullopt;
  }
  std::string text = node.text();
  CapacityChange change;
  if (!text.empty() && text.back() == '%') {
    change.relative = true;
    text.pop_back();
  }
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (begin != end && *begin == '+') ++begin;
  double value = 0;
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (begin == end || ec != std::errc() || ptr != end || !std::isfinite(value)) {
    diags.error(node.loc(), node.path() + expected + describe(node));
    return std::nullopt;
  }
  change.amount = change.relative ? value / 100.0 : value;
  if (change.relative && change.amount < -1.0) {
    diags.error(node.loc(),
                node.path() + ": " + node.text() + " would remove more than all capacity");
    return std::nullopt;
  }
  return change;
}

bool parse_tod_intervention(std::string_view name, const ParamNode& body, int year,
                            const TodCatalog& catalog, Diagnostics& diags, TodIntervention& out) {
  out = TodIntervention{};
  out.year = year;
  out.path = body.path();
  if (!body.is_map()) {
    diags.error(body.loc(), body.path() + ": expected a map, got " + describe(body));
    return false;
  }
  const std::size_t before = diags.size();
  if (name == "open_stations") {
    out.kind = TodKind::kOpenStations;
    read_stations(body, catalog, true, year, diags, out);
    return diags.size() == before;
  }
  if (name != "upzone" && name != "mixed_use") {
    diags.error(body.loc(),
                body.path() + ": '" + std::string(name) + "' is not a TOD intervention");
    return false;
  }
  out.kind = name == "upzone" ? TodKind::kUpzone : TodKind::kMixedUse;
  const ParamNode* zones = body.find("zones");
  const bool around_stations = body.find("line") || body.find("stations") || body.find("section");
  if (zones && around_stations) {
    diags.error(zones->loc(),
                body.path() + ": give either zones or a line with stations, not both");
  } else if (zones && out.kind == TodKind::kMixedUse) {
    diags.error(
        zones->loc(),
        body.path() + ".zones: mixed_use applies around stations (line, stations or section)");
  } else if (zones) {
    read_zones(*zones, catalog, diags, out);
  } else if (around_stations) {
    read_stations(body, catalog, false, year, diags, out);
  } else {
    diags.error(body.loc(),
                body.path() + ": missing 'zones' or 'line' with 'stations' or 'section'");
  }
  out.radius_m = body.number("radius_m", out.radius_m, diags, 1.0, 20000.0);
  if (body.find("radius_m") && zones)
    diags.error(body.find("radius_m")->loc(),
                body.path() + ".radius_m: applies only around stations");
  if (out.kind == TodKind::kUpzone) {
    if (const ParamNode* r = body.find("residential_capacity"))
      out.residential_capacity = parse_capacity_change(*r, diags);
    if (const ParamNode* j = body.find("jobs_capacity"))
      out.jobs_capacity = parse_capacity_change(*j, diags);
    if (!body.find("residential_capacity") && !body.find("jobs_capacity"))
      diags.error(body.loc(), body.path() + ": missing 'residential_capacity' or 'jobs_capacity'");
  } else {
    out.job_floor_m2_per_dwelling =
        body.required_number("job_floor_m2_per_dwelling", diags, 0.0, 1000.0);
  }
  return diags.size() == before;
}

void apply_tod_intervention(World& world, const TodIntervention& intervention) {
  LandUse* land_use = world.find<LandUse>();
  const std::size_t zones = world.zones.size();
  if (!land_use || land_use->dwellings.size() != zones || zones == 0)
    throw std::logic_error(intervention.path +
                           ": the World has no land use (the policy process checks at configure "
                           "that the housing process runs)");
  const TodIntervention& t = intervention;
  LandUse& lu = *land_use;
  if (t.kind == TodKind::kOpenStations) {
    const std::vector<std::uint8_t> selected = station_selection(lu, t);
    for (std::size_t s = 0; s < selected.size(); ++s)
      if (selected[s])
        lu.station_opening_year[s] =
            std::min<std::int16_t>(lu.station_opening_year[s], static_cast<std::int16_t>(t.year));
    return;
  }
  // Share of each zone concerned, and each zone's part of an absolute amount.
  std::vector<double> weight(zones, 0.0), absolute_share(zones, 0.0);
  if (!t.zones.empty()) {
    for (const auto& key : t.zones) {
      std::size_t z = 0;
      while (z < zones && world.zones[z].key != key) ++z;
      if (z == zones) throw std::logic_error(t.path + ": zone '" + key + "' is not in the World");
      weight[z] = absolute_share[z] = 1.0;
    }
  } else {
    weight = zone_share_near_stations(world.zones, lu, station_selection(lu, t), t.radius_m);
    double area_near = 0;
    for (std::size_t z = 0; z < zones; ++z) area_near += weight[z] * world.zones[z].area_km2;
    for (std::size_t z = 0; z < zones; ++z)
      absolute_share[z] = area_near > 0 ? weight[z] * world.zones[z].area_km2 / area_near : 0.0;
    for (std::size_t z = 0; z < zones; ++z)
      if (weight[z] >= kTodAreaMinShare)
        lu.zone_type[z] = static_cast<std::uint8_t>(ZoneType::kTodArea);
  }
  for (std::size_t z = 0; z < zones; ++z) {
    if (weight[z] <= 0) continue;
    if (t.kind == TodKind::kUpzone) {
      if (t.residential_capacity)
        lu.dwelling_capacity[z] =
            changed_capacity(lu.dwelling_capacity[z], lu.dwellings[z], *t.residential_capacity,
                             weight[z], absolute_share[z]);
      if (t.jobs_capacity)
        lu.job_floor_capacity_m2[z] =
            changed_capacity(lu.job_floor_capacity_m2[z], lu.job_floor_space_m2[z],
                             *t.jobs_capacity, weight[z], absolute_share[z]);
    } else {
      lu.job_floor_capacity_m2[z] +=
          weight[z] * lu.dwelling_capacity[z] * t.job_floor_m2_per_dwelling;
      lu.mixed_use_share[z] = std::max(lu.mixed_use_share[z], weight[z]);
    }
  }
  publish_zone_inputs(world);  // the economy sees the new job floor space this year
}

}  // namespace plansim

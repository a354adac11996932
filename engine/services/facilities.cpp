#include "services/facilities.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "core/series_declare.h"
#include "core/trajectory.h"
#include "services/zone_lookup.h"

namespace plansim {
namespace {

// An optional cell: absent, null or an empty CSV cell all mean "use the default".
const ParamNode* optional_cell(const ParamNode& row, std::string_view key) {
  const ParamNode* n = row.find(key);
  if (!n || n->is_null() || (n->is_scalar() && n->text().empty() && !n->quoted())) return nullptr;
  return n;
}

double cell_number(const ParamNode& row, std::string_view key, double fallback, Diagnostics& d,
                   double lo, double hi) {
  const ParamNode* n = optional_cell(row, key);
  return n ? n->as_number(d, lo, hi).value_or(fallback) : fallback;
}

std::int64_t cell_integer(const ParamNode& row, std::string_view key, std::int64_t fallback,
                          Diagnostics& d, std::int64_t lo, std::int64_t hi) {
  const ParamNode* n = optional_cell(row, key);
  return n ? n->as_integer(d, lo, hi).value_or(fallback) : fallback;
}

std::string kind_list() {
  std::string s;
  for (auto k : kFacilityKindNames) s += (s.empty() ? "" : ", ") + std::string(k);
  return s;
}

void read_facility_row(const ParamNode& row, const std::optional<ZoneLookup>& zones,
                       std::vector<FacilitySpec>& out, Diagnostics& d) {
  if (!row.is_map()) {
    d.error(row.loc(), row.path() + ": expected a facility (name, kind, zone, capacity, ...)");
    return;
  }
  FacilitySpec spec;
  bool ok = true;
  spec.name = row.required_string("name", d);
  ok &= !spec.name.empty();
  if (const ParamNode* kind = row.require("kind", d)) {
    const std::string text = kind->as_string(d).value_or("");
    if (auto k = parse_facility_kind(text)) {
      spec.kind = *k;
    } else {
      const std::string hint = closest_match(text, facility_kind_names());
      d.error(kind->loc(), kind->path() + ": unknown facility kind '" + text + "'" +
                               (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                               "; kinds: " + kind_list());
      ok = false;
    }
  } else {
    ok = false;
  }
  if (const ParamNode* zone = row.require("zone", d)) {
    spec.zone = zone->as_string(d).value_or("");
    spec.zone_loc = zone->loc();
    if (zones && !zones->find(spec.zone)) {
      d.error(zone->loc(), zone->path() + ": " + zones->unknown_message(spec.zone));
      ok = false;
    }
  } else {
    ok = false;
  }
  spec.capacity = row.required_number("capacity", d, 0.0, 1e7);
  const auto count = cell_integer(row, "count", 1, d, 1, 10000);
  spec.teachers = cell_number(row, "teachers", 0.0, d, 0.0, 1e6);
  spec.doctors = cell_number(row, "doctors", 0.0, d, 0.0, 1e6);
  spec.nurses = cell_number(row, "nurses", 0.0, d, 0.0, 1e6);
  if (const ParamNode* pub = optional_cell(row, "public"))
    spec.is_public = pub->as_boolean(d).value_or(true);
  spec.opening_year = static_cast<int>(cell_integer(row, "opening_year", 1900, d, 1900, 2200));
  spec.closing_year = static_cast<int>(cell_integer(row, "closing_year", 0, d, 0, 2200));
  if (spec.closing_year != 0 && spec.closing_year <= spec.opening_year) {
    const ParamNode* c = row.find("closing_year");
    d.error(c->loc(), c->path() + ": " + std::to_string(spec.closing_year) +
                          " is not after opening_year (" + std::to_string(spec.opening_year) + ")");
    ok = false;
  }
  if (const ParamNode* source = row.find("source")) source->as_string(d);  // documentation only
  if (!ok) return;
  if (count == 1) {
    out.push_back(std::move(spec));
    return;
  }
  // `count` identical facilities: "<name> 1" .. "<name> n".
  for (std::int64_t k = 1; k <= count; ++k) {
    FacilitySpec copy = spec;
    copy.name = spec.name + " " + std::to_string(k);
    out.push_back(std::move(copy));
  }
}

// `key: [first, last]` ages.
void read_age_range(const ParamNode& block, std::string_view key, int& first, int& last,
                    Diagnostics& d) {
  const ParamNode* n = block.find(key);
  if (!n) return;
  if (!n->is_sequence() || n->items().size() != 2) {
    d.error(n->loc(), n->path() + ": expected [first age, last age]");
    n->mark_all_used();
    return;
  }
  const auto a = n->items()[0].as_integer(d, 0, 30);
  const auto b = n->items()[1].as_integer(d, 0, 30);
  if (!a || !b) return;
  if (*b < *a) {
    d.error(n->loc(), n->path() + ": last age " + std::to_string(*b) + " is below first age " +
                          std::to_string(*a));
    return;
  }
  first = static_cast<int>(*a);
  last = static_cast<int>(*b);
}

}  // namespace

void read_education_params(const ParamNode& block, EducationParams& p, Diagnostics& d) {
  if (!block.is_map()) {
    if (!block.is_null()) d.error(block.loc(), block.path() + ": expected a map of parameters");
    return;
  }
  read_age_range(block, "kindergarten_ages", p.kindergarten_first_age, p.kindergarten_last_age, d);
  read_age_range(block, "primary_ages", p.primary_first_age, p.primary_last_age, d);
  read_age_range(block, "junior_ages", p.junior_first_age, p.junior_last_age, d);
  const ParamNode* participation = block.find("kindergarten_participation");
  if (participation)
    p.kindergarten_participation = block.numbers("kindergarten_participation", d, 0.0, 1.0);
  const ParamNode* where = participation ? participation : block.find("kindergarten_ages");
  const std::size_t ages =
      static_cast<std::size_t>(p.kindergarten_last_age - p.kindergarten_first_age + 1);
  if (where && p.kindergarten_participation.size() != ages) {
    d.error(where->loc(), block.path() + ".kindergarten_participation: expected " +
                              std::to_string(ages) + " probabilities (one per age " +
                              std::to_string(p.kindergarten_first_age) + "-" +
                              std::to_string(p.kindergarten_last_age) + "), got " +
                              std::to_string(p.kindergarten_participation.size()));
    p.kindergarten_participation.resize(
        ages, p.kindergarten_participation.empty() ? 0.0 : p.kindergarten_participation.back());
  }
  for (std::size_t i = 1; participation && i < p.kindergarten_participation.size(); ++i)
    if (p.kindergarten_participation[i] < p.kindergarten_participation[i - 1]) {
      // A child's wish is one draw kept for life, so participation cannot fall with age.
      d.error(participation->items()[i].loc(), participation->items()[i].path() +
                                                   ": participation must not fall with age (" +
                                                   participation->items()[i].text() + " after " +
                                                   participation->items()[i - 1].text() + ")");
      break;
    }
  if (!(p.kindergarten_last_age < p.primary_first_age && p.primary_last_age < p.junior_first_age)) {
    d.error(block.loc(), block.path() +
                             ": age ranges must follow each other: kindergarten, "
                             "then primary, then junior middle school");
  }
}

void read_eldercare_params(const ParamNode& block, EldercareParams& p, Diagnostics& d) {
  if (!block.is_map()) {
    if (!block.is_null()) d.error(block.loc(), block.path() + ": expected a map of parameters");
    return;
  }
  p.min_age = static_cast<int>(block.integer("min_age", p.min_age, d, 40, 100));
  if (const ParamNode* table = block.find("care_need")) {
    if (!table->is_sequence() || table->items().empty()) {
      d.error(table->loc(), table->path() +
                                ": expected a table of age bands (from_age, "
                                "initial_partial, initial_full, onset_partial, "
                                "onset_full, progression, recovery)");
      table->mark_all_used();
    } else {
      p.bands.clear();
      for (const ParamNode& row : table->items()) {
        if (!row.is_map()) {
          d.error(row.loc(), row.path() + ": expected an age band");
          continue;
        }
        CareNeedBand b;
        b.from_age = static_cast<int>(row.required_integer("from_age", d, 0, kMaxAge));
        b.initial_partial = row.required_number("initial_partial", d, 0.0, 1.0);
        b.initial_full = row.required_number("initial_full", d, 0.0, 1.0);
        b.onset_partial = row.required_number("onset_partial", d, 0.0, 1.0);
        b.onset_full = row.required_number("onset_full", d, 0.0, 1.0);
        b.progression = row.required_number("progression", d, 0.0, 1.0);
        b.recovery = row.required_number("recovery", d, 0.0, 1.0);
        if (const ParamNode* source = row.find("source")) source->as_string(d);
        if (b.initial_partial + b.initial_full > 1.0)
          d.error(row.loc(), row.path() + ": initial_partial + initial_full exceeds 1");
        if (b.onset_partial + b.onset_full > 1.0)
          d.error(row.loc(), row.path() + ": onset_partial + onset_full exceeds 1");
        if (b.progression + b.recovery > 1.0)
          d.error(row.loc(), row.path() + ": progression + recovery exceeds 1");
        // A missing from_age is already reported: no follow-up about the order.
        const ParamNode* from_age = row.find("from_age");
        if (from_age && !p.bands.empty() && b.from_age <= p.bands.back().from_age) {
          d.error(from_age->loc(), row.path() + ".from_age: age bands must ascend (" +
                                       std::to_string(b.from_age) + " after " +
                                       std::to_string(p.bands.back().from_age) + ")");
        }
        p.bands.push_back(b);
      }
    }
  }
  if (!p.bands.empty() && p.bands.front().from_age != p.min_age) {
    const ParamNode* where = block.find("care_need");
    d.error(where ? where->loc() : block.loc(),
            block.path() + ".care_need: the first band must start at min_age (" +
                std::to_string(p.min_age) + "), not " + std::to_string(p.bands.front().from_age));
  }
  if (const ParamNode* seek = block.find("bed_seeking")) {
    if (!seek->is_map()) {
      d.error(seek->loc(), seek->path() + ": expected {partial, full, living_alone_factor}");
      seek->mark_all_used();
    } else {
      p.bed_seeking_partial = seek->probability("partial", p.bed_seeking_partial, d);
      p.bed_seeking_full = seek->probability("full", p.bed_seeking_full, d);
      p.living_alone_factor =
          seek->number("living_alone_factor", p.living_alone_factor, d, 0.0, 100.0);
    }
  }
}

void read_health_params(const ParamNode& block, HealthParams& p, Diagnostics& d) {
  if (!block.is_map()) {
    if (!block.is_null()) d.error(block.loc(), block.path() + ": expected a map of parameters");
    return;
  }
  p.catchment_radius_km =
      block.number("catchment_radius_km", p.catchment_radius_km, d, 0.01, 100.0);
  p.life_table_open_age =
      static_cast<int>(block.integer("life_table_open_age", p.life_table_open_age, d, 1, kMaxAge));
  p.min_open_exposure = block.number("min_open_exposure", p.min_open_exposure, d, 0.0, 1e9);
}

namespace {

// `city` holds the facilities file of the year (its parameter sections are read here); the
// facility lists come from the catalogue, read once.
ServicesConfig read_services_config_in(const ParamNode& city, const CityFacilities& specs,
                                       Diagnostics& diags) {
  ServicesConfig config;
  const ParamNode* file = city.find("facilities");
  if (!file) {
    diags.error(city.loc(),
                "facilities: the city config has no facilities.yaml (needed by the "
                "education, eldercare and health processes)");
    return config;
  }
  if (!file->is_map()) return config;  // reported by CityFacilities::read
  config.facilities = specs.facilities;
  if (const ParamNode* b = file->find("education"))
    read_education_params(*b, config.education, diags);
  if (const ParamNode* b = file->find("eldercare"))
    read_eldercare_params(*b, config.eldercare, diags);
  if (const ParamNode* b = file->find("health")) read_health_params(*b, config.health, diags);
  if (config.eldercare.bands.empty())
    diags.error(file->loc(),
                "facilities.yaml: eldercare.care_need: missing the table of care-need "
                "rates by age band");
  return config;
}

}  // namespace

CityFacilities CityFacilities::read(CityReadContext& ctx) {
  CityFacilities out;
  const ParamNode* file = ctx.file;
  if (!file) return out;
  out.present = true;
  Diagnostics& d = ctx.diags;
  if (!file->is_map()) {
    d.error(file->loc(),
            "facilities.yaml: expected a map with facilities, education, eldercare, "
            "health");
    file->mark_all_used();
    return out;
  }
  const std::optional<ZoneLookup> zones = ZoneLookup::from_catalog(ctx.get<CityZones>());
  if (const ParamNode* lists = file->require("facilities", d)) {
    if (!lists->is_map()) {
      d.error(lists->loc(), lists->path() +
                                ": expected a map of named facility lists, e.g. "
                                "{schools: {csv: facilities_schools.csv}}");
      lists->mark_all_used();
    } else {
      for (const auto& entry : lists->entries()) {
        const ParamNode* list = lists->find(entry.key);
        if (!list->is_sequence()) {
          d.error(list->loc(), list->path() + ": expected a list of facilities");
          list->mark_all_used();
          continue;
        }
        for (const ParamNode& row : list->items()) read_facility_row(row, zones, out.facilities, d);
      }
    }
  }
  return out;
}

ServicesConfig read_services_config(const ParamNode& city, Diagnostics& diags) {
  CityCatalog catalog;
  return read_services_config_in(city, catalog.get<CityFacilities>(city, diags), diags);
}

ByYear<ServicesConfig> read_services_config_by_year(ConfigureContext& ctx,
                                                    std::string_view section) {
  const ParamNode& city = ctx.city;
  const ParamNode& block = ctx.params;
  Diagnostics& diags = ctx.diags;
  const CityFacilities& specs = ctx.city_data<CityFacilities>();
  const ParamNode* file = city.peek("facilities");
  const ParamNode* own = file && file->is_map() ? file->peek(section) : nullptr;
  return read_by_year<ServicesConfig>(
      ctx.run.start_year, ctx.run.end_year, {file, &block}, [&](int year) {
        // The facilities file of the year, in a city map of its own.
        ParamNode year_city(ParamNode::Kind::Map, city.loc(), "");
        for (const auto& e : city.entries())
          if (e.key == "facilities")
            year_city.entries().push_back(
                {e.key, e.key_loc,
                 std::make_unique<ParamNode>(evaluated_at(*e.value, year, diags))});
        year_city.set_origin(&city);
        ServicesConfig c = read_services_config_in(year_city, specs, diags);
        const ParamNode scenario = evaluated_at(block, year, diags, own);
        if (section == "education") read_education_params(scenario, c.education, diags);
        if (section == "eldercare") read_eldercare_params(scenario, c.eldercare, diags);
        if (section == "health") read_health_params(scenario, c.health, diags);
        return c;
      });
}

void build_facilities(World& world, const std::vector<FacilitySpec>& specs, double scale) {
  FacilityTable& table = world.modules.ensure<FacilityTable>();
  if (table.size() != 0) return;
  const ZoneLookup zones(world.zones);
  Diagnostics diags;
  std::uint64_t id = 1;
  for (const FacilitySpec& s : specs) {
    const auto zone = zones.find(s.zone);
    if (!zone) {
      diags.error(s.zone_loc, "facilities: " + zones.unknown_message(s.zone));
      continue;
    }
    FacilityRecord r;
    r.id = id++;
    r.name = s.name;
    r.kind = s.kind;
    r.zone = *zone;
    r.capacity_exact = s.capacity * scale;
    r.teachers = static_cast<float>(s.teachers * scale);
    r.doctors = static_cast<float>(s.doctors * scale);
    r.nurses = static_cast<float>(s.nurses * scale);
    r.is_public = s.is_public;
    r.opening_year = s.opening_year;
    r.closing_year = s.closing_year;
    append_facility(table, r);
  }
  if (!diags.empty()) {
    world.modules.emplace<FacilityTable>();
    throw InputError(std::move(diags));
  }
}

std::size_t compact_facilities(World& world, int year) {
  FacilityTable* table = world.find<FacilityTable>();
  if (!table) return 0;
  FacilityTable& f = *table;
  std::vector<std::uint8_t> closed(f.size(), 0);
  for (std::size_t r = 0; r < f.size(); ++r)
    closed[r] = f.closing_year[r] != 0 && f.closing_year[r] <= year;
  const RowMap map = RowMap::keep_unless(closed);
  compact_rows(world, f, map);  // persons.school and persons.care_bed follow
  return closed.size() - map.kept;
}

void declare_facility_panels(SeriesCatalog& catalog) {
  constexpr SeriesKind F = SeriesKind::Facility;
  declare(catalog, F, "capacity", "places or beds", "设施容量（学位/床位）",
          "Capacity (places or beds)",
          "Places of a kindergarten or school, beds of an eldercare or health facility, "
          "whole-district units; recorded for facilities open in the year.");
  declare(catalog, F, "occupancy", "persons", "在园/在校/入住人数", "Occupancy",
          "Children enrolled or residents in a bed after the year's allocation (whole-district "
          "units).");
  declare(catalog, F, "waiting", "persons", "等候人数", "Waiting",
          "Persons left without a place or bed whose first choice (the nearest facility of the "
          "kind, home zone first) is this facility.");
}

void ZoneDistances::build(const std::vector<ZoneLabel>& zones) {
  zones_ = static_cast<std::uint16_t>(zones.size());
  km_.assign(static_cast<std::size_t>(zones_) * zones_, 0.0f);
  for (std::uint16_t a = 0; a < zones_; ++a)
    for (std::uint16_t b = 0; b < zones_; ++b) {
      float& v = km_[static_cast<std::size_t>(a) * zones_ + b];
      if (a == b) {
        const double area = zones[a].area_km2;
        v = std::isfinite(area) && area > 0
                ? static_cast<float>(2.0 / 3.0 * std::sqrt(area / std::numbers::pi))
                : 0.0f;
        continue;
      }
      const double dx = zones[a].x_m - zones[b].x_m, dy = zones[a].y_m - zones[b].y_m;
      v = static_cast<float>(std::sqrt(dx * dx + dy * dy) / 1000.0);  // NaN if unknown
    }
}

void CandidateLists::build_from(const FacilityTable& f, const ZoneDistances& dist) {
  const std::uint16_t zones = dist.zones();
  offset_.assign(zones + 1u, 0);
  home_.assign(zones, 0);
  row_.resize(static_cast<std::size_t>(zones) * selected_.size());
  km_.resize(row_.size());
  for (std::uint16_t z = 0; z < zones; ++z) {
    offset_[z + 1u] = offset_[z] + static_cast<std::uint32_t>(selected_.size());
    std::uint32_t* begin = row_.data() + offset_[z];
    std::copy(selected_.begin(), selected_.end(), begin);
    const auto key_km = [&](std::uint32_t r) {
      const float d = dist.km(z, f.zone[r]);
      return std::isnan(d) ? std::numeric_limits<float>::infinity() : d;
    };
    std::sort(begin, begin + selected_.size(), [&](std::uint32_t a, std::uint32_t b) {
      const bool away_a = f.zone[a] != z, away_b = f.zone[b] != z;
      if (away_a != away_b) return !away_a;
      const float da = key_km(a), db = key_km(b);
      if (da != db) return da < db;
      if (f.zone[a] != f.zone[b]) return f.zone[a] < f.zone[b];
      return f.id[a] < f.id[b];
    });
    for (std::size_t k = 0; k < selected_.size(); ++k) {
      km_[offset_[z] + k] = dist.km(z, f.zone[begin[k]]);
      home_[z] += f.zone[begin[k]] == z;
    }
  }
}

}  // namespace plansim

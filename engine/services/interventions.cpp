// The services' interventions (services/interventions.h): add_places, add_beds, open_facility,
// close_facility, hire_staff. Amounts are whole-city units (places, beds, staff) and are multiplied
// by run.scale when applied, not rounded (FacilityTable::capacity_exact), so a sample run keeps
// places per child right.
#include "services/interventions.h"

#include <cmath>

#include "population/city_zones.h"
#include "services/facilities.h"
#include "services/facility_table.h"
#include "services/zone_lookup.h"

namespace plansim {
namespace {

[[noreturn]] void fail(const SourceLoc& loc, std::string message) {
  Diagnostics d;
  d.error(loc, std::move(message));
  throw InputError(std::move(d));
}

std::string kinds_of(bool (*allowed)(int)) {
  std::string s;
  for (int k = 0; k < kFacilityKinds; ++k)
    if (!allowed || allowed(k)) s += (s.empty() ? "" : ", ") + std::string(kFacilityKindNames[k]);
  return s;
}

/// A facility kind at body.key; `allowed` restricts it (nullptr = any kind). Absent: `fallback`
/// (nullopt = required).
std::optional<FacilityKind> read_kind(InterventionParseContext& ctx, bool (*allowed)(int),
                                      std::optional<FacilityKind> fallback) {
  const ParamNode* n = fallback ? ctx.body.find("kind") : ctx.body.require("kind", ctx.diags);
  if (!n) return fallback;
  const auto text = n->as_string(ctx.diags);
  if (!text) return std::nullopt;
  const auto kind = parse_facility_kind(*text);
  if (!kind) {
    const std::string hint = closest_match(*text, facility_kind_names());
    ctx.diags.error(n->loc(), n->path() + ": unknown facility kind '" + *text + "'" +
                                  (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                                  "; kinds: " + kinds_of(allowed));
    return std::nullopt;
  }
  if (allowed && !allowed(*kind)) {
    ctx.diags.error(n->loc(), n->path() + ": " + ctx.action + " does not apply to '" + *text +
                                  "' (kinds: " + kinds_of(allowed) + ")");
    return std::nullopt;
  }
  return kind;
}

struct ZoneRef {
  std::string text;
  SourceLoc loc;
  bool given = false;
  /// The zone row in the World; InputError at the reference when the World has no such zone.
  std::uint16_t resolve(const World& world) const {
    const ZoneLookup zones(world.zones);
    const auto row = zones.find(text);
    if (!row) fail(loc, "zone: " + zones.unknown_message(text));
    return *row;
  }
};

ZoneRef read_zone(InterventionParseContext& ctx, bool required, bool& ok) {
  ZoneRef ref;
  const ParamNode* n = required ? ctx.body.require("zone", ctx.diags) : ctx.body.find("zone");
  if (!n) {
    ok &= !required;
    return ref;
  }
  const auto text = n->as_string(ctx.diags);
  if (!text) {
    ok = false;
    return ref;
  }
  ref = {*text, n->loc(), true};
  const std::optional<ZoneLookup> zones =
      ZoneLookup::from_catalog(ctx.configure.city_data<CityZones>());
  if (zones && !zones->find(*text)) {
    ctx.diags.error(n->loc(), n->path() + ": " + zones->unknown_message(*text));
    ok = false;
  }
  return ref;
}

/// An amount given as a total over the schedule (`key`) or per year (`key_per_year`); returns
/// the amount per year, or nullopt when absent or bad.
std::optional<double> read_amount(InterventionParseContext& ctx, const std::string& key,
                                  bool required, bool& ok) {
  const std::string per_year_key = key + "_per_year";
  const ParamNode* total = ctx.body.find(key);
  const ParamNode* per_year = ctx.body.find(per_year_key);
  if (total && per_year) {
    ctx.diags.error(per_year->loc(), per_year->path() + ": give either " + key + " (total) or " +
                                         per_year_key + ", not both");
    ok = false;
    return std::nullopt;
  }
  if (!total && !per_year) {
    if (required) {
      ctx.diags.error(ctx.body.loc(), ctx.body.path() + ": missing required key '" + key +
                                          "' (total) or '" + per_year_key + "'");
      ok = false;
    }
    return std::nullopt;
  }
  const ParamNode* n = total ? total : per_year;
  const auto v = n->as_number(ctx.diags, 0.0, 1e7);  // negative amounts are errors
  if (!v) {
    ok = false;
    return std::nullopt;
  }
  return total ? *v / ctx.schedule.years() : *v;
}

/// The process that uses facilities of `kind` must run, or the action would change nothing.
bool serves(InterventionParseContext& ctx, FacilityKind kind) {
  return ctx.require_process(
      process_of_kind(kind),
      "it serves from " + std::string(kFacilityKindNames[kind]) + " facilities");
}

bool single_year(InterventionParseContext& ctx) {
  if (ctx.schedule.years() == 1) return true;
  const ParamNode* years = ctx.item.peek("years");
  ctx.diags.error(years ? years->loc() : ctx.item.loc(),
                  ctx.item.path() + ": " + ctx.action + " happens once: give a single year");
  return false;
}

std::uint32_t find_row(const FacilityTable& f, std::uint64_t id) {
  for (std::size_t r = 0; r < f.size(); ++r)
    if (f.id[r] == id) return static_cast<std::uint32_t>(r);
  return kNoRow;
}

// The facilities of the city and of earlier interventions, year by year, for the checks at
// configure (InterventionAction::check).
struct PlannedFacilities {
  struct Row {
    std::string name;
    FacilityKind kind = kKindergarten;
    std::optional<std::uint16_t> zone;
    int opening_year = 0, closing_year = 0;
    bool open(int year) const {
      return opening_year <= year && (closing_year == 0 || year < closing_year);
    }
  };
  bool filled = false;
  std::vector<Row> rows;
};

std::optional<std::uint16_t> zone_row(ConfigureContext& configure, const std::string& ref) {
  const std::optional<ZoneLookup> zones =
      ZoneLookup::from_catalog(configure.city_data<CityZones>());
  return zones ? zones->find(ref) : std::nullopt;
}

PlannedFacilities& planned(InterventionCheckContext& ctx) {
  PlannedFacilities& p = ctx.plan.ensure<PlannedFacilities>();
  if (p.filled) return p;
  p.filled = true;
  for (const FacilitySpec& s : ctx.configure.city_data<CityFacilities>().facilities)
    p.rows.push_back(
        {s.name, s.kind, zone_row(ctx.configure, s.zone), s.opening_year, s.closing_year});
  return p;
}

// add_places / add_beds: capacity added each year of the schedule to one new facility per
// intervention (created in its first year, grown afterwards).
class AddCapacity final : public InterventionAction {
 public:
  FacilityKind kind = kKindergarten;
  ZoneRef zone;
  double per_year = 0;
  bool is_public = true;
  std::string name;
  std::string unit;  // "places" or "beds"

  void reset() override { facility_id_ = 0; }
  void check(InterventionCheckContext& ctx) override {
    if (ctx.year != ctx.schedule.first_year) return;
    const auto z = zone_row(ctx.configure, zone.text);
    const std::string zone_key = z ? ctx.configure.city_data<CityZones>().zones[*z].key : zone.text;
    planned(ctx).rows.push_back({!name.empty()
                                     ? name
                                     : zone_key + " new " + std::string(kFacilityKindLabels[kind]) +
                                           " " + unit + " (" + std::to_string(ctx.year) + ")",
                                 kind, z, ctx.year, 0});
  }
  void apply(InterventionContext& ctx) override {
    FacilityTable& f = ctx.world.modules.ensure<FacilityTable>();
    std::uint32_t row = facility_id_ ? find_row(f, facility_id_) : kNoRow;
    if (row == kNoRow) {
      const std::uint16_t z = zone.resolve(ctx.world);
      FacilityRecord r;
      r.id = next_facility_id(f);
      r.name = !name.empty()
                   ? name
                   : ctx.world.zones[z].key + " new " + std::string(kFacilityKindLabels[kind]) +
                         " " + unit + " (" + std::to_string(ctx.year) + ")";
      r.kind = kind;
      r.zone = z;
      r.is_public = is_public;
      r.opening_year = ctx.year;
      row = append_facility(f, r);
      facility_id_ = r.id;
    }
    // Unrounded: the places a sample allocates follow the exact capacity (sampled_capacity).
    set_capacity(f, row, f.capacity_exact[row] + per_year * ctx.scale);
  }

 private:
  std::uint64_t facility_id_ = 0;
};

class OpenFacility final : public InterventionAction {
 public:
  FacilityRecord record;
  ZoneRef zone;
  double capacity = 0;
  void check(InterventionCheckContext& ctx) override {
    planned(ctx).rows.push_back(
        {record.name, record.kind, zone_row(ctx.configure, zone.text), ctx.year, 0});
  }
  void apply(InterventionContext& ctx) override {
    FacilityRecord r = record;
    r.id = next_facility_id(ctx.world.modules.ensure<FacilityTable>());
    r.zone = zone.resolve(ctx.world);
    r.capacity_exact = capacity * ctx.scale;
    r.teachers = static_cast<float>(record.teachers * ctx.scale);
    r.doctors = static_cast<float>(record.doctors * ctx.scale);
    r.nurses = static_cast<float>(record.nurses * ctx.scale);
    r.opening_year = ctx.year;
    r.closing_year = 0;
    append_facility(ctx.world.modules.ensure<FacilityTable>(), r);
  }
};

class CloseFacility final : public InterventionAction {
 public:
  std::string name;
  SourceLoc name_loc;
  void check(InterventionCheckContext& ctx) override {
    bool found = false;
    for (auto& row : planned(ctx).rows)
      if (row.name == name && row.open(ctx.year)) {
        row.closing_year = ctx.year;
        found = true;
      }
    if (!found)
      ctx.diags.error(name_loc, "close_facility.name: no facility named '" + name +
                                    "' is open in " + std::to_string(ctx.year));
  }
  void apply(InterventionContext& ctx) override {
    FacilityTable& f = ctx.world.modules.ensure<FacilityTable>();
    bool found = false;
    for (std::size_t r = 0; r < f.size(); ++r)
      if (f.name[r] == name && facility_open(f, r, ctx.year)) {
        f.closing_year[r] =
            static_cast<std::int16_t>(ctx.year);  // dropped by the services' compaction
        found = true;
      }
    if (!found)
      fail(name_loc, "close_facility.name: no facility named '" + name + "' is open in " +
                         std::to_string(ctx.year));
  }
};

class HireStaff final : public InterventionAction {
 public:
  FacilityKind kind = kHospital;
  ZoneRef zone;
  double teachers = 0, doctors = 0, nurses = 0;  // per year
  SourceLoc loc;
  void check(InterventionCheckContext& ctx) override {
    const auto z = zone.given ? zone_row(ctx.configure, zone.text) : std::nullopt;
    for (const auto& row : planned(ctx).rows)
      if (row.kind == kind && (!zone.given || row.zone == z) && row.open(ctx.year)) return;
    ctx.diags.error(loc, "hire_staff: no open " + std::string(kFacilityKindNames[kind]) +
                             (zone.given ? " in zone '" + zone.text + "'" : std::string()) +
                             " in " + std::to_string(ctx.year));
  }
  void apply(InterventionContext& ctx) override {
    FacilityTable& f = ctx.world.modules.ensure<FacilityTable>();
    const int z = zone.given ? zone.resolve(ctx.world) : -1;
    double total_capacity = 0;
    std::size_t matches = 0;
    const auto match = [&](std::size_t r) {
      return f.kind[r] == kind && (z < 0 || f.zone[r] == z) && facility_open(f, r, ctx.year);
    };
    for (std::size_t r = 0; r < f.size(); ++r)
      if (match(r)) {
        total_capacity += f.capacity_exact[r];
        ++matches;
      }
    if (matches == 0)
      fail(loc, "hire_staff: no open " + std::string(kFacilityKindNames[kind]) +
                    (zone.given ? " in zone '" + zone.text + "'" : std::string()) + " in " +
                    std::to_string(ctx.year));
    // Shared in proportion to capacity (evenly when no facility has any).
    for (std::size_t r = 0; r < f.size(); ++r) {
      if (!match(r)) continue;
      const double share =
          total_capacity > 0 ? f.capacity_exact[r] / total_capacity : 1.0 / matches;
      f.teachers[r] += static_cast<float>(teachers * ctx.scale * share);
      f.doctors[r] += static_cast<float>(doctors * ctx.scale * share);
      f.nurses[r] += static_cast<float>(nurses * ctx.scale * share);
    }
  }
};

bool capacity_kind_for_beds(int kind) {
  return is_eldercare_kind(kind) || kind == kHospital || kind == kCommunityHealthCentre;
}

}  // namespace

std::unique_ptr<InterventionAction> parse_add_capacity(InterventionParseContext& ctx) {
  const bool places = ctx.action == "add_places";
  auto act = std::make_unique<AddCapacity>();
  bool ok = true;
  const auto kind = places ? read_kind(ctx, is_school_kind, std::nullopt)
                           : read_kind(ctx, capacity_kind_for_beds, kEldercareInstitution);
  ok &= kind.has_value();
  act->kind = kind.value_or(kKindergarten);
  if (kind) ok &= serves(ctx, *kind);
  act->zone = read_zone(ctx, true, ok);
  act->unit = places ? "places" : "beds";
  const auto amount = read_amount(ctx, act->unit, true, ok);
  act->per_year = amount.value_or(0);
  act->is_public = ctx.body.boolean("public", true, ctx.diags);
  act->name = ctx.body.string("name", "", ctx.diags);
  return ok ? std::move(act) : nullptr;
}

std::unique_ptr<InterventionAction> parse_open_facility(InterventionParseContext& ctx) {
  auto act = std::make_unique<OpenFacility>();
  bool ok = single_year(ctx);
  act->record.name = ctx.body.required_string("name", ctx.diags);
  ok &= !act->record.name.empty();
  const auto kind = read_kind(ctx, nullptr, std::nullopt);
  ok &= kind.has_value();
  act->record.kind = kind.value_or(kKindergarten);
  if (kind) ok &= serves(ctx, *kind);
  act->zone = read_zone(ctx, true, ok);
  act->capacity = ctx.body.required_number("capacity", ctx.diags, 0.0, 1e7);
  act->record.teachers = static_cast<float>(ctx.body.number("teachers", 0.0, ctx.diags, 0.0, 1e6));
  act->record.doctors = static_cast<float>(ctx.body.number("doctors", 0.0, ctx.diags, 0.0, 1e6));
  act->record.nurses = static_cast<float>(ctx.body.number("nurses", 0.0, ctx.diags, 0.0, 1e6));
  act->record.is_public = ctx.body.boolean("public", true, ctx.diags);
  return ok ? std::move(act) : nullptr;
}

std::unique_ptr<InterventionAction> parse_close_facility(InterventionParseContext& ctx) {
  auto act = std::make_unique<CloseFacility>();
  bool ok = single_year(ctx);
  if (const ParamNode* n = ctx.body.require("name", ctx.diags)) {
    act->name = n->as_string(ctx.diags).value_or("");
    act->name_loc = n->loc();
  }
  ok &= !act->name.empty();
  return ok ? std::move(act) : nullptr;
}

std::unique_ptr<InterventionAction> parse_hire_staff(InterventionParseContext& ctx) {
  auto act = std::make_unique<HireStaff>();
  bool ok = true;
  const auto kind = read_kind(ctx, nullptr, std::nullopt);
  ok &= kind.has_value();
  act->kind = kind.value_or(kHospital);
  if (kind) ok &= serves(ctx, *kind);
  act->zone = read_zone(ctx, false, ok);
  act->loc = ctx.body.loc();
  const auto teachers = read_amount(ctx, "teachers", false, ok);
  const auto doctors = read_amount(ctx, "doctors", false, ok);
  const auto nurses = read_amount(ctx, "nurses", false, ok);
  if (ok && !teachers && !doctors && !nurses) {
    ctx.diags.error(ctx.body.loc(), ctx.body.path() +
                                        ": no staff given (teachers, doctors or "
                                        "nurses, as totals or _per_year)");
    ok = false;
  }
  act->teachers = teachers.value_or(0);
  act->doctors = doctors.value_or(0);
  act->nurses = nurses.value_or(0);
  return ok ? std::move(act) : nullptr;
}

void add_facility_handlers(PolicyProcess& policy) {
  policy.add_handler("add_places", parse_add_capacity);
  policy.add_handler("add_beds", parse_add_capacity);
  policy.add_handler("open_facility", parse_open_facility);
  policy.add_handler("close_facility", parse_close_facility);
  policy.add_handler("hire_staff", parse_hire_staff);
}

}  // namespace plansim

// The city's public-service facilities and service parameters (configs/<city>/facilities.yaml),
// and the facility operations shared by the education, eldercare and health processes.
//
// Loading: each service process calls read_services_config() in configure(), which reads the
// whole file (so unread keys are reported whichever service processes a scenario lists), and
// build_facilities() in initialize(), which fills the FacilityTable once per replicate: the first
// service process to initialise builds the table, the others find it built.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "core/params.h"
#include "core/process.h"
#include "core/trajectory.h"
#include "core/world.h"
#include "services/facility_table.h"

namespace plansim {

/// One row of the facility lists, as configured (whole-city units, not yet scaled).
struct FacilitySpec {
  std::string name;
  FacilityKind kind = kKindergarten;
  std::string zone;     // zone key, Chinese or English name
  SourceLoc zone_loc;   // where `zone` was written (errors found when the run starts)
  double capacity = 0;  // places (schools) or beds
  double teachers = 0, doctors = 0, nurses = 0;  // full-time equivalents
  bool is_public = true;                         // public or publicly subsidised (普惠)
  int opening_year = 0;
  int closing_year = 0;  // first year closed; 0 = open
};

/// Education demand (see education.h).
struct EducationParams {
  int kindergarten_first_age = 3, kindergarten_last_age = 5;
  /// Probability of wanting a kindergarten place at each age from first to last (non-decreasing).
  std::vector<double> kindergarten_participation{0.90, 0.96, 0.98};
  int primary_first_age = 6, primary_last_age = 11;
  int junior_first_age = 12, junior_last_age = 14;
};

/// Care-need rates of one age band [from_age, next band's from_age) (see eldercare.h).
struct CareNeedBand {
  int from_age = 60;
  double initial_partial = 0, initial_full = 0;  // base-year prevalence
  double onset_partial = 0, onset_full = 0;      // yearly: none -> partial, none -> full
  double progression = 0;                        // yearly: partial -> full
  double recovery = 0;                           // yearly: partial -> none
};

struct EldercareParams {
  int min_age = 60;                   // the elderly population (care needs, beds per 1,000 elderly)
  std::vector<CareNeedBand> bands;    // ascending from_age, the first at min_age
  double bed_seeking_partial = 0.06;  // share of partially dependent persons wanting a bed
  double bed_seeking_full = 0.30;     // share of fully dependent persons wanting a bed
  double living_alone_factor = 2.0;   // multiplier of both shares for persons living alone
};

struct HealthParams {
  double catchment_radius_km = 1.2;  // a community health facility serves this radius
  int life_table_open_age = 100;     // the open age group of the life table starts here at most
  double min_open_exposure = 50;     // the open group grows downwards until it has this exposure
};

struct ServicesConfig {
  std::vector<FacilitySpec> facilities;
  EducationParams education;
  EldercareParams eldercare;
  HealthParams health;
};

/// The facility specifications of the city (`facilities:` of facilities.yaml: a map of named
/// lists, each a list of facility rows, usually `{csv: facilities_<group>.csv}`), in the city
/// catalogue (core/city_catalog.h): read once per scenario, whichever service process or
/// intervention asks first, with every error at its location; zone references are checked
/// against the catalogue's zones.
struct CityFacilities {
  static constexpr std::string_view kName = "facility specifications";
  static constexpr std::string_view kFile = "facilities";
  bool present = false;  // the city folder has facilities.yaml
  std::vector<FacilitySpec> facilities;
  static CityFacilities read(CityReadContext& ctx);
};

/// The facility lists (CityFacilities) and the `education:`, `eldercare:` and `health:`
/// parameter sections of `city["facilities"]`. Errors go to `diags` at their locations.
/// Trajectories (core/trajectory.h) must be evaluated first: see read_services_config_by_year().
ServicesConfig read_services_config(const ParamNode& city, Diagnostics& diags);

/// The configuration of every year of the run: the city's facilities file with the process's
/// scenario block (ctx.params) over its own `section` ("education", "eldercare" or "health"),
/// every number evaluated for the year (each may be a trajectory).
ByYear<ServicesConfig> read_services_config_by_year(ConfigureContext& ctx,
                                                    std::string_view section);

/// Overrides of the parameter sections from a process's own scenario block: only the keys
/// present are changed; same keys and checks as in the city file.
void read_education_params(const ParamNode& block, EducationParams& params, Diagnostics& diags);
void read_eldercare_params(const ParamNode& block, EldercareParams& params, Diagnostics& diags);
void read_health_params(const ParamNode& block, HealthParams& params, Diagnostics& diags);

/// Fills the FacilityTable from the specs if it is still empty (ids 1..n in list order).
/// Capacities and staff are multiplied by `scale` (run.scale; capacities not rounded,
/// FacilityTable::capacity_exact, the places allocated from it: sampled_capacity()). Zone
/// references are resolved against world.zones; unknown ones throw InputError (all of them).
void build_facilities(World& world, const std::vector<FacilitySpec>& specs, double scale);

/// Drops facilities closed by `year` (closing_year != 0 and <= year) and remaps persons.school
/// and persons.care_bed (persons of a dropped facility get kNoRow). Relative order is kept.
/// Returns the number of facilities dropped.
std::size_t compact_facilities(World& world, int year);

/// Declares the per-facility panels /facilities/{capacity,occupancy,waiting}.
void declare_facility_panels(SeriesCatalog& catalog);

/// Records capacity, occupancy and waiting (whole-city units) of the facilities of the kinds
/// for which `select(kind)` is true. `waiting` is indexed by facility row (empty = not recorded).
template <class Select>
void record_facility_panels(StepContext& ctx, Select&& select,
                            const std::vector<std::uint32_t>& waiting);

/// Straight-line distances between zone centroids, km. The diagonal is the mean distance of a
/// point of the zone to its centroid, the zone taken as a disc of its area: (2/3)·sqrt(area/π)
/// (0 when the area is unknown). NaN where a centroid is unknown.
class ZoneDistances {
 public:
  void build(const std::vector<ZoneLabel>& zones);
  std::uint16_t zones() const { return zones_; }
  float km(std::uint16_t from, std::uint16_t to) const {
    return km_[static_cast<std::size_t>(from) * zones_ + to];
  }

 private:
  std::uint16_t zones_ = 0;
  std::vector<float> km_;
};

/// For each zone, the open facilities of the selected kinds in the order a person living there
/// tries them: the home zone's first, then other zones by centroid distance (unknown distances
/// last), ties by zone row, then facility id.
class CandidateLists {
 public:
  template <class Select>
  void build(const FacilityTable& facilities, const ZoneDistances& distances, int year,
             Select&& select);
  std::uint16_t zones() const {
    return offset_.empty() ? 0 : static_cast<std::uint16_t>(offset_.size() - 1);
  }
  std::size_t size(std::uint16_t zone) const { return offset_[zone + 1] - offset_[zone]; }
  const std::uint32_t* facilities(std::uint16_t zone) const { return row_.data() + offset_[zone]; }
  const float* distances(std::uint16_t zone) const { return km_.data() + offset_[zone]; }
  /// How many of the zone's candidates lie in the zone itself (they come first).
  std::uint32_t home_count(std::uint16_t zone) const { return home_[zone]; }

 private:
  void build_from(const FacilityTable& facilities, const ZoneDistances& distances);
  std::vector<std::uint32_t> selected_;  // facility rows of the selected kinds, open this year
  std::vector<std::uint32_t> offset_, row_, home_;
  std::vector<float> km_;
};

// ---- template definitions ----

template <class Select>
void CandidateLists::build(const FacilityTable& facilities, const ZoneDistances& distances,
                           int year, Select&& select) {
  selected_.clear();
  for (std::size_t f = 0; f < facilities.size(); ++f)
    if (select(static_cast<int>(facilities.kind[f])) && facility_open(facilities, f, year))
      selected_.push_back(static_cast<std::uint32_t>(f));
  build_from(facilities, distances);
}

template <class Select>
void record_facility_panels(StepContext& ctx, Select&& select,
                            const std::vector<std::uint32_t>& waiting) {
  const FacilityTable& f = ctx.world.get<FacilityTable>();
  const double w = ctx.world.person_weight;
  std::vector<std::uint64_t> ids;
  std::vector<std::string> names;
  std::vector<float> capacity, occupancy, queue;
  for (std::size_t r = 0; r < f.size(); ++r) {
    if (!select(static_cast<int>(f.kind[r])) || !facility_open(f, r, ctx.year)) continue;
    ids.push_back(f.id[r]);
    names.push_back(f.name[r]);
    capacity.push_back(static_cast<float>(f.capacity_exact[r] * w));
    occupancy.push_back(static_cast<float>(f.occupancy[r] * w));
    if (!waiting.empty()) queue.push_back(static_cast<float>(waiting[r] * w));
  }
  ctx.out.facility("capacity", ids, names, capacity);
  ctx.out.facility("occupancy", ids, names, occupancy);
  if (!waiting.empty()) ctx.out.facility("waiting", ids, names, queue);
}

}  // namespace plansim

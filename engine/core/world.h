// The World: structure-of-arrays agent tables of one run (one scenario, one replicate).
//
// Each table keeps one contiguous column per attribute and a stable 64-bit id per agent apart
// from its row. Rows change when the tables are compacted (once a year, after removals); links
// between tables are row indices, rebuilt by compact().
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/table.h"

namespace plansim {

enum Sex : std::uint8_t { kMale = 0, kFemale = 1 };

/// Highest level completed (census categories).
enum Education : std::uint8_t {
  kNoSchooling = 0,  // includes children not yet at school
  kPrimary = 1,
  kJuniorHigh = 2,
  kSeniorHigh = 3,
  kCollege = 4,      // college (大专) and above
};
inline constexpr int kEducationLevels = 5;

/// Age is kept in completed years and capped here (the oldest open age group).
inline constexpr int kMaxAge = 110;

/// Labour-market status (economy process).
enum LabourStatus : std::uint8_t {
  kNotInLabourForce = 0,  // children, students, inactive adults
  kEmployed = 1,
  kUnemployed = 2,
  kRetired = 3,
};

/// Care dependency (eldercare process).
enum CareNeed : std::uint8_t { kNoCareNeed = 0, kPartialDependency = 1, kFullDependency = 2 };

/// Persons: one row per simulated person. The core columns are members; modules add the columns
/// they own (ColumnTable::add), which every table operation then covers too.
struct PersonTable : ColumnTable {
  static inline const ColumnSpec<std::uint64_t> kId{"id", 0};
  static inline const ColumnSpec<std::uint8_t> kAge{"age", 0};
  static inline const ColumnSpec<std::uint8_t> kSex{"sex", 0};
  static inline const ColumnSpec<std::uint8_t> kEducation{"education", 0};
  static inline const ColumnSpec<std::uint32_t> kHousehold{"household", kNoRow, "households"};
  static inline const ColumnSpec<std::uint32_t> kPartner{"partner", kNoRow, "persons"};
  static inline const ColumnSpec<std::uint8_t> kRemoved{"removed", 0};
  static inline const ColumnSpec<std::uint8_t> kLabourStatus{"labour_status", kNotInLabourForce};
  static inline const ColumnSpec<std::uint32_t> kEmployer{"employer", kNoRow, "firms"};
  static inline const ColumnSpec<float> kWage{"wage_yuan", 0.0f};
  static inline const ColumnSpec<std::uint32_t> kSchool{"school", kNoRow, "facilities"};
  static inline const ColumnSpec<std::uint8_t> kCareNeed{"care_need", kNoCareNeed};
  static inline const ColumnSpec<std::uint32_t> kCareBed{"care_bed", kNoRow, "facilities"};
  static inline const ColumnSpec<std::int16_t> kCareWaitSince{"care_wait_since", 0};

  PersonTable() : ColumnTable("persons") {}

  std::vector<std::uint64_t> id;
  std::vector<std::uint8_t> age;        // completed years
  std::vector<std::uint8_t> sex;        // Sex
  std::vector<std::uint8_t> education;  // Education
  std::vector<std::uint32_t> household; // row in HouseholdTable
  std::vector<std::uint32_t> partner;   // row of the spouse/partner in this table, or kNoRow
  std::vector<std::uint8_t> removed;    // 1 = died or left this year; dropped by compact()
  // Economy (written by the economy process; defaults for persons it has not seen).
  std::vector<std::uint8_t> labour_status;  // LabourStatus
  std::vector<std::uint32_t> employer;      // row in FirmTable, or kNoRow
  std::vector<float> wage_yuan;             // annual gross wage, yuan (0 if not employed)
  // Services (written by the education and eldercare processes).
  std::vector<std::uint32_t> school;        // row in FacilityTable (kindergarten/school), or kNoRow
  std::vector<std::uint8_t> care_need;      // CareNeed
  std::vector<std::uint32_t> care_bed;      // row in FacilityTable (eldercare bed), or kNoRow
  std::vector<std::int16_t> care_wait_since;  // year the person joined a bed waiting list, or 0

  std::size_t size() const { return id.size(); }
  /// Appends one person (partner kNoRow, not removed, every added column at its fill); returns
  /// the new row.
  std::uint32_t append(std::uint64_t person_id, std::uint8_t person_age, std::uint8_t person_sex,
                       std::uint8_t person_education, std::uint32_t household_row);

 protected:
  void members(ColumnVisitor& v) override {
    member(v, kId, id);
    member(v, kAge, age);
    member(v, kSex, sex);
    member(v, kEducation, education);
    member(v, kHousehold, household);
    member(v, kPartner, partner);
    member(v, kRemoved, removed);
    member(v, kLabourStatus, labour_status);
    member(v, kEmployer, employer);
    member(v, kWage, wage_yuan);
    member(v, kSchool, school);
    member(v, kCareNeed, care_need);
    member(v, kCareBed, care_bed);
    member(v, kCareWaitSince, care_wait_since);
  }
};

/// Households: one row per household, with the household -> members index (CSR) that
/// rebuild_members() derives from persons.household.
struct HouseholdTable : ColumnTable {
  static inline const ColumnSpec<std::uint64_t> kId{"id", 0};
  static inline const ColumnSpec<std::uint16_t> kZone{"zone", 0};
  static inline const ColumnSpec<std::uint8_t> kRemoved{"removed", 0};

  HouseholdTable() : ColumnTable("households") {}

  std::vector<std::uint64_t> id;
  std::vector<std::uint16_t> zone;       // row in the city's zone list
  std::vector<std::uint8_t> removed;     // 1 = dissolved or emigrated; dropped by compact()
  // household -> member rows (CSR), ordered by person row; valid after rebuild_members(). An
  // index, not columns: rebuilt after every change of persons.household.
  std::vector<std::uint32_t> member_offset;  // size() + 1 entries
  std::vector<std::uint32_t> member_row;

  std::size_t size() const { return id.size(); }
  std::uint32_t append(std::uint64_t household_id, std::uint16_t household_zone);
  std::uint32_t member_count(std::uint32_t row) const {
    return member_offset[row + 1] - member_offset[row];
  }
  /// Bytes of the columns and of the members index.
  std::size_t bytes() const;

 protected:
  void members(ColumnVisitor& v) override {
    member(v, kId, id);
    member(v, kZone, zone);
    member(v, kRemoved, removed);
  }
};

/// Kind of zone (sub-district): built-out old town, new district with land to develop, or an
/// area designated for transit-oriented development.
enum class ZoneType : std::uint8_t { kOldTown = 0, kNewDistrict = 1, kTodArea = 2 };
inline constexpr int kZoneTypes = 3;

/// A zone (sub-district) as named in the city config, with its geometry when known.
struct ZoneLabel {
  std::string key;      // ASCII key used in scenarios and output, e.g. "linshanzhai"
  std::string name_zh;  // e.g. "林山寨"
  std::string name_en;  // e.g. "Linshanzhai"
  double x_m = std::numeric_limits<double>::quiet_NaN();  // centroid, projected metres (east)
  double y_m = std::numeric_limits<double>::quiet_NaN();  // centroid, projected metres (north)
  double area_km2 = std::numeric_limits<double>::quiet_NaN();
};

/// Vital events of the current year that later processes need by age (e.g. the life table of
/// the health process). Filled by the demography process, reset at the start of its step.
struct VitalEvents {
  /// Deaths during the year in simulated persons, [sex * (kMaxAge + 1) + age at death].
  std::vector<std::uint32_t> deaths_by_sex_age;
  /// Persons alive at the start of the year (the exposure), same indexing.
  std::vector<std::uint32_t> population_by_sex_age;
};

/// Firms (economy process). Rows are compacted by the economy process, which then remaps
/// persons.employer.
struct FirmTable : ColumnTable {
  FirmTable() : ColumnTable("firms") {}
  std::vector<std::uint64_t> id;
  std::vector<std::uint8_t> sector;        // index into the economy config's sector list
  std::vector<std::uint16_t> zone;
  std::vector<std::uint32_t> employees;    // persons linked through persons.employer
  std::vector<std::uint32_t> vacancies;
  std::vector<float> productivity_yuan;    // value added per worker per year
  std::vector<float> value_added_yuan;     // per year, current prices
  std::vector<float> wage_level_yuan;      // mean annual wage offered
  std::vector<float> rd_spending_yuan;     // per year
  std::vector<std::uint8_t> age;           // years since entry
  std::vector<std::uint8_t> removed;       // 1 = exited this year
  std::size_t size() const { return id.size(); }

 protected:
  void members(ColumnVisitor& v) override {
    member(v, ColumnSpec<std::uint64_t>{"id"}, id);
    member(v, ColumnSpec<std::uint8_t>{"sector"}, sector);
    member(v, ColumnSpec<std::uint16_t>{"zone"}, zone);
    member(v, ColumnSpec<std::uint32_t>{"employees"}, employees);
    member(v, ColumnSpec<std::uint32_t>{"vacancies"}, vacancies);
    member(v, ColumnSpec<float>{"productivity_yuan"}, productivity_yuan);
    member(v, ColumnSpec<float>{"value_added_yuan"}, value_added_yuan);
    member(v, ColumnSpec<float>{"wage_level_yuan"}, wage_level_yuan);
    member(v, ColumnSpec<float>{"rd_spending_yuan"}, rd_spending_yuan);
    member(v, ColumnSpec<std::uint8_t>{"age"}, age);
    member(v, ColumnSpec<std::uint8_t>{"removed"}, removed);
  }
};

/// Public-service facilities (education, eldercare, health). Rows are compacted by the service
/// processes, which then remap persons.school and persons.care_bed.
enum FacilityKind : std::uint8_t {
  kKindergarten = 0,
  kPrimarySchool = 1,
  kJuniorMiddleSchool = 2,
  kEldercareInstitution = 3,
  kCommunityEldercareCentre = 4,
  kHospital = 5,
  kCommunityHealthCentre = 6,
  kCommunityHealthStation = 7,
};
inline constexpr int kFacilityKinds = 8;

struct FacilityTable : ColumnTable {
  FacilityTable() : ColumnTable("facilities") {}
  std::vector<std::uint64_t> id;
  std::vector<std::string> name;           // from the config (for output labels)
  std::vector<std::uint8_t> kind;          // FacilityKind
  std::vector<std::uint16_t> zone;
  std::vector<std::uint32_t> capacity;     // places or beds
  std::vector<std::uint32_t> occupancy;    // persons allocated this year
  std::vector<float> teachers, doctors, nurses;  // staff (full-time equivalents)
  std::vector<std::uint8_t> is_public;     // 1 = public or publicly subsidised (普惠)
  std::vector<std::int16_t> opening_year;
  std::vector<std::int16_t> closing_year;  // 0 = open
  std::size_t size() const { return id.size(); }

 protected:
  void members(ColumnVisitor& v) override {
    member(v, ColumnSpec<std::uint64_t>{"id"}, id);
    member(v, ColumnSpec<std::string>{"name"}, name);
    member(v, ColumnSpec<std::uint8_t>{"kind"}, kind);
    member(v, ColumnSpec<std::uint16_t>{"zone"}, zone);
    member(v, ColumnSpec<std::uint32_t>{"capacity"}, capacity);
    member(v, ColumnSpec<std::uint32_t>{"occupancy"}, occupancy);
    member(v, ColumnSpec<float>{"teachers"}, teachers);
    member(v, ColumnSpec<float>{"doctors"}, doctors);
    member(v, ColumnSpec<float>{"nurses"}, nurses);
    member(v, ColumnSpec<std::uint8_t>{"is_public"}, is_public);
    member(v, ColumnSpec<std::int16_t>{"opening_year"}, opening_year);
    member(v, ColumnSpec<std::int16_t>{"closing_year"}, closing_year);
  }
};

/// Land use and metro of the zones (space module). The housing process fills it at initialize from
/// the city config; TOD interventions (policy) change capacities and station openings during the
/// run. Per-zone vectors are indexed by zone row; everything is empty when no housing process runs.
struct LandUse {
  std::vector<std::uint8_t> zone_type;          // space::ZoneType
  std::vector<double> dwellings;                // dwelling stock, whole city (not scaled)
  std::vector<double> dwelling_capacity;        // zoning limit on the stock
  std::vector<double> job_floor_space_m2;       // built floor space for jobs
  std::vector<double> job_floor_capacity_m2;    // zoning limit on it
  std::vector<double> mixed_use_share;          // share of the zone's area zoned mixed use
  std::vector<float> price_index;               // dwelling price, base year = 1
  std::vector<float> travel_cost_minutes;       // generalised cost [from * zones + to]
  // Metro stations, one row per (line, station), rows of a line in order along it.
  std::vector<std::string> station_line, station_name, station_section;
  std::vector<double> station_x_m, station_y_m;
  std::vector<std::int16_t> station_opening_year;  // INT16_MAX = not scheduled
};

/// Buffers of compact() and rebuild_members(), kept across years so that the yearly compaction
/// does not allocate once they have grown.
struct CompactionBuffers {
  RowMap persons, households;
  std::vector<std::uint8_t> drop_household;
};

struct World {
  int year = 0;                 // the year being simulated (state at 1 January of `year`)
  double person_weight = 1.0;   // persons represented by one simulated person (1 / run.scale)
  std::vector<ZoneLabel> zones;  // zone row -> labels (set by the synthesis process)
  PersonTable persons;
  HouseholdTable households;
  FirmTable firms;
  FacilityTable facilities;
  VitalEvents vitals;
  LandUse land_use;
  std::uint64_t next_person_id = 1;
  std::uint64_t next_household_id = 1;
  CompactionBuffers compaction;

  std::uint16_t zone_count() const { return static_cast<std::uint16_t>(zones.size()); }
  std::uint64_t new_person_id() { return next_person_id++; }
  std::uint64_t new_household_id() { return next_household_id++; }
};

/// Rebuilds household -> members (CSR) from persons.household, members in row order. Parallel
/// (each thread fills one range of households from a scan of persons.household), deterministic:
/// the index is the same at any thread count. No allocation once the index has grown.
void rebuild_members(World& world);

/// Every table of the World: persons, households, firms, facilities.
std::array<ColumnTable*, 4> world_tables(World& world);

/// The one compaction: keeps the rows of `table` that `map` keeps and rewrites every link into
/// `table` held by any table of the World (a link to a dropped row becomes kNoRow).
void compact_rows(World& world, ColumnTable& table, const RowMap& map);

/// Drops removed persons and households, and households left without members; remaps
/// persons.household and persons.partner (a partner who was removed becomes kNoRow) and rebuilds
/// the CSR. Relative row order is kept, so ids stay sorted if they were. Deterministic.
void compact(World& world);

/// Internal consistency: links in range, partners symmetric, no removed rows, no empty
/// household, CSR matching persons.household. Returns a description of the first problem, or "".
std::string check_invariants(const World& world);

}  // namespace plansim

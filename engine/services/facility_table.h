// The services' data in the World: the facility table (kindergartens, schools, eldercare and
// health facilities), the facility kinds with their names in configs and scenarios, the person
// columns that point into the table (school, care bed) and the care-need columns, and small
// operations on facilities shared by the service processes and the facility interventions.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/table.h"
#include "core/world.h"

namespace plansim {

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

/// Public-service facilities (education, eldercare, health). The first service process to
/// initialise builds the table from the city config (build_facilities); facilities closed by a
/// year are dropped by compact_facilities(), which moves the person columns linking to them.
struct FacilityTable : ColumnTable {
  static constexpr std::string_view kName = "facilities";
  FacilityTable() : ColumnTable(std::string(kName)) {}

  std::vector<std::uint64_t> id;
  std::vector<std::string> name;   // from the config (for output labels)
  std::vector<std::uint8_t> kind;  // FacilityKind
  std::vector<std::uint16_t> zone;
  std::vector<std::uint32_t> capacity;           // places or beds a sample run allocates
  std::vector<double> capacity_exact;            // the same unrounded: whole city × run.scale
  std::vector<std::uint32_t> occupancy;          // persons allocated this year
  std::vector<float> teachers, doctors, nurses;  // staff (full-time equivalents)
  std::vector<std::uint8_t> is_public;           // 1 = public or publicly subsidised (普惠)
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
    member(v, ColumnSpec<double>{"capacity_exact"}, capacity_exact);
    member(v, ColumnSpec<std::uint32_t>{"occupancy"}, occupancy);
    member(v, ColumnSpec<float>{"teachers"}, teachers);
    member(v, ColumnSpec<float>{"doctors"}, doctors);
    member(v, ColumnSpec<float>{"nurses"}, nurses);
    member(v, ColumnSpec<std::uint8_t>{"is_public"}, is_public);
    member(v, ColumnSpec<std::int16_t>{"opening_year"}, opening_year);
    member(v, ColumnSpec<std::int16_t>{"closing_year"}, closing_year);
  }
};

/// The person column of the education process: the kindergarten or school a child attends (a
/// row of the facility table), or kNoRow.
inline const ColumnSpec<std::uint32_t> kPersonSchool{"school", kNoRow, "facilities"};

/// Care dependency (eldercare process).
enum CareNeed : std::uint8_t { kNoCareNeed = 0, kPartialDependency = 1, kFullDependency = 2 };

/// The eldercare process's columns of the person table.
template <bool kConst>
struct BasicPersonCare {
  static inline const ColumnSpec<std::uint8_t> kNeed{"care_need", kNoCareNeed};
  static inline const ColumnSpec<std::uint32_t> kBed{"care_bed", kNoRow, "facilities"};
  static inline const ColumnSpec<std::int16_t> kWaitSince{"care_wait_since", 0};

  template <class T>
  using Column = std::conditional_t<kConst, const std::vector<T>&, std::vector<T>&>;
  using Persons = std::conditional_t<kConst, const PersonTable&, PersonTable&>;

  /// Binds the columns; std::logic_error when the eldercare process has not added them.
  explicit BasicPersonCare(Persons persons)
      : care_need(persons.get(kNeed)),
        care_bed(persons.get(kBed)),
        care_wait_since(persons.get(kWaitSince)) {}

  Column<std::uint8_t> care_need;        // CareNeed
  Column<std::uint32_t> care_bed;        // row of the facility table (eldercare bed), or kNoRow
  Column<std::int16_t> care_wait_since;  // year the person joined a bed waiting list, or 0
};
using PersonCare = BasicPersonCare<false>;
using ConstPersonCare = BasicPersonCare<true>;

/// Adds the eldercare columns (no care need, no bed, not waiting for persons not seen yet).
inline PersonCare add_person_care(PersonTable& persons) {
  persons.add(PersonCare::kNeed);
  persons.add(PersonCare::kBed);
  persons.add(PersonCare::kWaitSince);
  return PersonCare(persons);
}

/// Name of each FacilityKind as written in configs and scenarios (index = kind).
inline constexpr std::array<std::string_view, kFacilityKinds> kFacilityKindNames = {
    "kindergarten",
    "primary",
    "junior_middle",
    "eldercare_institution",
    "community_eldercare_centre",
    "hospital",
    "community_health_centre",
    "community_health_station"};

/// English label of each kind (facility names, documentation).
inline constexpr std::array<std::string_view, kFacilityKinds> kFacilityKindLabels = {
    "kindergarten",
    "primary school",
    "junior middle school",
    "eldercare institution",
    "community eldercare centre",
    "hospital",
    "community health centre",
    "community health station"};

inline std::optional<FacilityKind> parse_facility_kind(std::string_view name) {
  for (std::size_t k = 0; k < kFacilityKindNames.size(); ++k)
    if (kFacilityKindNames[k] == name) return static_cast<FacilityKind>(k);
  return std::nullopt;
}

inline std::vector<std::string> facility_kind_names() {
  return {kFacilityKindNames.begin(), kFacilityKindNames.end()};
}

inline bool is_school_kind(int kind) {
  return kind == kKindergarten || kind == kPrimarySchool || kind == kJuniorMiddleSchool;
}
inline bool is_eldercare_kind(int kind) {
  return kind == kEldercareInstitution || kind == kCommunityEldercareCentre;
}
inline bool is_health_kind(int kind) {
  return kind == kHospital || kind == kCommunityHealthCentre || kind == kCommunityHealthStation;
}
/// The process that serves from facilities of `kind` (education, eldercare or health).
inline const char* process_of_kind(int kind) {
  return is_school_kind(kind) ? "education" : is_eldercare_kind(kind) ? "eldercare" : "health";
}

/// Open in `year`: opened in or before it and not closed yet (closing_year is the first year
/// the facility no longer serves; 0 = open).
inline bool facility_open(const FacilityTable& f, std::size_t row, int year) {
  return f.opening_year[row] <= year && (f.closing_year[row] == 0 || year < f.closing_year[row]);
}

/// Everything that describes one facility row.
struct FacilityRecord {
  std::uint64_t id = 0;
  std::string name;
  FacilityKind kind = kKindergarten;
  std::uint16_t zone = 0;
  double capacity_exact = 0;  // simulated units (whole city × run.scale); capacity follows
  float teachers = 0, doctors = 0, nurses = 0;
  bool is_public = true;
  int opening_year = 0;
  int closing_year = 0;  // 0 = open
};

/// The whole places or beds a sample run allocates for an exact simulated capacity x (whole city
/// × run.scale): floor(x + u) with a fixed offset u ∈ [0, 1) per facility id (a Weyl sequence,
/// id × the golden ratio's fraction), so that E[places] = x over facilities and the district's
/// total stays within a bed or two of Σ x, where rounding to the nearest would give a small
/// facility of 10 beds one bed at run.scale 0.05 (double its share). Exact at run.scale 1.
inline std::uint32_t sampled_capacity(double exact, std::uint64_t facility_id) {
  if (!(exact > 0)) return 0;
  const double u = std::fmod(static_cast<double>(facility_id) * 0.6180339887498949, 1.0);
  return static_cast<std::uint32_t>(std::min(std::floor(exact + u), 4.0e9));
}

/// Sets the exact capacity of `row` (simulated units) and the places or beds allocated from it.
inline void set_capacity(FacilityTable& f, std::uint32_t row, double exact) {
  f.capacity_exact[row] = exact;
  f.capacity[row] = sampled_capacity(exact, f.id[row]);
}

/// Appends a facility (occupancy 0); returns its row.
inline std::uint32_t append_facility(FacilityTable& f, const FacilityRecord& r) {
  f.id.push_back(r.id);
  f.name.push_back(r.name);
  f.kind.push_back(r.kind);
  f.zone.push_back(r.zone);
  f.capacity_exact.push_back(r.capacity_exact);
  f.capacity.push_back(0);
  f.occupancy.push_back(0);
  f.teachers.push_back(r.teachers);
  f.doctors.push_back(r.doctors);
  f.nurses.push_back(r.nurses);
  f.is_public.push_back(r.is_public ? 1 : 0);
  f.opening_year.push_back(static_cast<std::int16_t>(r.opening_year));
  f.closing_year.push_back(static_cast<std::int16_t>(r.closing_year));
  const auto row = static_cast<std::uint32_t>(f.id.size() - 1);
  set_capacity(f, row, r.capacity_exact);
  return row;
}

/// The id a new facility gets: one above the largest id in the table (1 for an empty table).
inline std::uint64_t next_facility_id(const FacilityTable& f) {
  std::uint64_t top = 0;
  for (auto id : f.id) top = id > top ? id : top;
  return top + 1;
}

}  // namespace plansim

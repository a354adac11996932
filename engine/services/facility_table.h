// Facility kinds, their names in configs and scenarios, and small operations on the World's
// FacilityTable shared by the service processes and the policy process.
//
// Header-only on purpose: the policy module changes facilities (interventions) but links only
// against core, so what both need lives here.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/world.h"

namespace plansim {

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
  std::uint32_t capacity = 0;
  float teachers = 0, doctors = 0, nurses = 0;
  bool is_public = true;
  int opening_year = 0;
  int closing_year = 0;  // 0 = open
};

/// Appends a facility (occupancy 0); returns its row.
inline std::uint32_t append_facility(FacilityTable& f, const FacilityRecord& r) {
  f.id.push_back(r.id);
  f.name.push_back(r.name);
  f.kind.push_back(r.kind);
  f.zone.push_back(r.zone);
  f.capacity.push_back(r.capacity);
  f.occupancy.push_back(0);
  f.teachers.push_back(r.teachers);
  f.doctors.push_back(r.doctors);
  f.nurses.push_back(r.nurses);
  f.is_public.push_back(r.is_public ? 1 : 0);
  f.opening_year.push_back(static_cast<std::int16_t>(r.opening_year));
  f.closing_year.push_back(static_cast<std::int16_t>(r.closing_year));
  return static_cast<std::uint32_t>(f.id.size() - 1);
}

/// The id a new facility gets: one above the largest id in the table (1 for an empty table).
inline std::uint64_t next_facility_id(const FacilityTable& f) {
  std::uint64_t top = 0;
  for (auto id : f.id) top = id > top ? id : top;
  return top + 1;
}

/// A count in the scenario's units (places, beds: whole city) as simulated units: with
/// run.scale < 1 the simulated population is a sample, so capacities shrink with it and places per
/// child stay right. Rounded to the nearest integer.
inline std::uint32_t scaled_count(double whole_city, double scale) {
  const long long v = std::llround(whole_city * scale);
  return v < 0 ? 0u : static_cast<std::uint32_t>(v);
}

}  // namespace plansim

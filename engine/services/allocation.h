// Capacity-constrained allocation of places (school places, beds) to persons, in a fixed order
// so that the result never depends on the thread count.
//
// The steps, used by education (all three) and eldercare (keep + nearest):
//   keep_current      holders of a place keep it while the facility has room, in applicant order;
//   fill_home_zones   per zone (in parallel; zones are independent here): the zone's remaining
//                     applicants fill the zone's own facilities, spread in proportion to their free
//                     places (equal distance: facilities have no position finer than the zone);
//   place_nearest     the rest, in applicant order, each takes the nearest facility with a free
//                     place (home zone first, then other zones by distance), or stays unplaced.
#pragma once

#include <cstdint>
#include <vector>

#include "core/world.h"
#include "services/facilities.h"

namespace plansim {

/// Applicants in priority order, with their results. Buffers are reused from year to year.
struct Applicants {
  std::vector<std::uint32_t> row;      // person row
  std::vector<std::uint16_t> zone;     // home zone
  std::vector<std::uint32_t> current;  // facility row held now (kept if possible) or kNoRow
  std::vector<std::uint32_t> placed;   // result: facility row, or kNoRow (unplaced)
  std::vector<float> distance_km;      // result: home zone to the facility's zone (NaN unknown)
  /// Optional grouping by home zone (applicants of zone z are [zone_offset[z], zone_offset[z+1])),
  /// required by fill_home_zones().
  std::vector<std::uint32_t> zone_offset;

  std::size_t size() const { return row.size(); }
  void clear() {
    row.clear();
    zone.clear();
    current.clear();
    placed.clear();
    distance_km.clear();
    zone_offset.clear();
  }
  /// Sizes the result columns (kNoRow, NaN) for the applicants listed.
  void reset_results();
};

/// Step 1: an applicant whose `current` facility still has a free place keeps it.
/// `free_places` (by facility row) is decreased for every place taken.
void keep_current(Applicants& a, const ZoneDistances& distances, const FacilityTable& facilities,
                  std::vector<std::uint32_t>& free_places);

/// Step 2: per home zone, in parallel: applicants still unplaced fill the zone's own candidate
/// facilities (the first home_count of its list) in proportion to their free places (largest
/// remainders, ties in list order). Needs a.zone_offset. `quota` is scratch (by facility row).
void fill_home_zones(Applicants& a, const CandidateLists& lists,
                     std::vector<std::uint32_t>& free_places, std::vector<std::uint32_t>& quota);

/// Step 3: in applicant order, each unplaced applicant takes the first facility of its zone's
/// list with a free place. `cursor` is scratch (by zone): lists are walked once in all.
void place_nearest(Applicants& a, const CandidateLists& lists,
                   std::vector<std::uint32_t>& free_places, std::vector<std::uint32_t>& cursor);

/// Free places of every facility: capacity of the facilities in `lists` (open, selected kinds),
/// 0 for the others.
void free_places_of(const FacilityTable& facilities, const CandidateLists& lists,
                    std::uint16_t zones, std::vector<std::uint32_t>& free_places);

}  // namespace plansim

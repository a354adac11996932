#include "services/allocation.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <limits>

namespace plansim {

void Applicants::reset_results() {
  placed.assign(row.size(), kNoRow);
  distance_km.assign(row.size(), std::numeric_limits<float>::quiet_NaN());
}

void free_places_of(const FacilityTable& facilities, const CandidateLists& lists,
                    std::uint16_t zones, std::vector<std::uint32_t>& free_places) {
  free_places.assign(facilities.size(), 0);
  if (zones == 0) return;
  // Every zone's list holds all selected facilities; the first one is enough.
  const std::uint32_t* rows = lists.facilities(0);
  for (std::size_t k = 0; k < lists.size(0); ++k)
    free_places[rows[k]] = facilities.capacity[rows[k]];
}

void keep_current(Applicants& a, const ZoneDistances& distances, const FacilityTable& facilities,
                  std::vector<std::uint32_t>& free_places) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::uint32_t f = a.current[i];
    if (f == kNoRow || free_places[f] == 0) continue;
    --free_places[f];
    a.placed[i] = f;
    a.distance_km[i] = distances.km(a.zone[i], facilities.zone[f]);
  }
}

void fill_home_zones(Applicants& a, const CandidateLists& lists,
                     std::vector<std::uint32_t>& free_places, std::vector<std::uint32_t>& quota) {
  quota.resize(free_places.size());
  const std::size_t zones = a.zone_offset.empty() ? 0 : a.zone_offset.size() - 1;
  // Each zone touches only its own applicants and its own facilities: no shared writes.
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, zones, 1),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t zi = range.begin(); zi != range.end(); ++zi) {
                        const auto z = static_cast<std::uint16_t>(zi);
                        const std::uint32_t begin = a.zone_offset[z], end = a.zone_offset[z + 1];
                        std::uint64_t waiting = 0;
                        for (std::uint32_t i = begin; i < end; ++i)
                          waiting += a.placed[i] == kNoRow;
                        const std::uint32_t homes = lists.home_count(z);
                        const std::uint32_t* rows = lists.facilities(z);
                        const float* km = lists.distances(z);
                        std::uint64_t total_free = 0;
                        for (std::uint32_t k = 0; k < homes; ++k)
                          total_free += free_places[rows[k]];
                        if (waiting == 0 || total_free == 0) continue;
                        if (waiting >= total_free) {
                          for (std::uint32_t k = 0; k < homes; ++k)
                            quota[rows[k]] = free_places[rows[k]];
                        } else {
                          // Largest remainders: floor shares first, then one more place for the
                          // facilities with the largest remainder (first in list order on ties)
                          // until all are given.
                          std::uint64_t given = 0;
                          for (std::uint32_t k = 0; k < homes; ++k) {
                            quota[rows[k]] = static_cast<std::uint32_t>(
                                waiting * free_places[rows[k]] / total_free);
                            given += quota[rows[k]];
                          }
                          for (std::uint64_t extra = waiting - given; extra > 0; --extra) {
                            std::uint32_t best = homes;
                            std::uint64_t best_remainder = 0;
                            for (std::uint32_t k = 0; k < homes; ++k) {
                              const std::uint32_t f = rows[k];
                              if (quota[f] >= free_places[f]) continue;
                              const std::uint64_t remainder = waiting * free_places[f] % total_free;
                              // Facilities already topped up this round have quota above their
                              // floor share.
                              const bool topped = quota[f] > waiting * free_places[f] / total_free;
                              if (topped) continue;
                              if (best == homes || remainder > best_remainder) {
                                best = k;
                                best_remainder = remainder;
                              }
                            }
                            if (best == homes) break;
                            ++quota[rows[best]];
                          }
                        }
                        std::uint32_t k = 0;
                        for (std::uint32_t i = begin; i < end && k < homes; ++i) {
                          if (a.placed[i] != kNoRow) continue;
                          while (k < homes && quota[rows[k]] == 0) ++k;
                          if (k == homes) break;
                          const std::uint32_t f = rows[k];
                          --quota[f];
                          --free_places[f];
                          a.placed[i] = f;
                          a.distance_km[i] = km[k];
                        }
                      }
                    });
}

void place_nearest(Applicants& a, const CandidateLists& lists,
                   std::vector<std::uint32_t>& free_places, std::vector<std::uint32_t>& cursor) {
  cursor.assign(lists.zones(), 0);
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a.placed[i] != kNoRow) continue;
    const std::uint16_t z = a.zone[i];
    const std::uint32_t* rows = lists.facilities(z);
    const std::size_t n = lists.size(z);
    std::uint32_t& k = cursor[z];
    // Free places only decrease during this step, so a facility found full stays full.
    while (k < n && free_places[rows[k]] == 0) ++k;
    if (k == n) continue;
    --free_places[rows[k]];
    a.placed[i] = rows[k];
    a.distance_km[i] = lists.distances(z)[k];
  }
}

}  // namespace plansim

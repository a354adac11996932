#include "population/demography_matching.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>

#include "core/world.h"

namespace plansim {

void PartnerMatcher::match(const std::vector<MarketEntrant>& entrants, std::uint16_t zone_count,
                           const MatchingRules& rules, std::vector<Couple>& couples) {
  couples.clear();
  const std::size_t zones = zone_count;
  const std::size_t n = entrants.size();
  if (n == 0 || zones == 0) return;

  // Counting sort by zone; stable, so each zone keeps the order it was given in.
  zone_offset_.assign(zones + 1, 0);
  for (const auto& e : entrants) ++zone_offset_[e.zone + 1];
  for (std::size_t z = 0; z < zones; ++z) zone_offset_[z + 1] += zone_offset_[z];
  couple_offset_.assign(zone_offset_.begin(), zone_offset_.end() - 1);  // scatter cursor
  by_zone_.resize(n);
  for (const auto& e : entrants) by_zone_[couple_offset_[e.zone]++] = e;
  couple_offset_.assign(zone_offset_.begin(), zone_offset_.end() - 1);  // a zone's couple slots
  couples_in_zone_.assign(zones, 0);
  couples_by_zone_.resize(n);
  men_by_age_.resize(n);

  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, zones, 1), [&](const auto& range) {
    for (std::size_t z = range.begin(); z != range.end(); ++z) {
      const std::uint32_t begin = zone_offset_[z], end = zone_offset_[z + 1];
      if (begin == end) continue;
      auto first = by_zone_.begin() + begin, last = by_zone_.begin() + end;
      const auto by_row = [](const MarketEntrant& a, const MarketEntrant& b) {
        return a.row < b.row;
      };
      if (!std::is_sorted(first, last, by_row)) std::sort(first, last, by_row);

      // Men of this zone by age (stable: row order within an age), in men_by_age_[begin, ...).
      std::array<std::uint32_t, kMaxAge + 2> age_begin{};
      for (auto it = first; it != last; ++it)
        if (it->sex == kMale) ++age_begin[it->age + 1];
      for (int a = 0; a <= kMaxAge; ++a) age_begin[a + 1] += age_begin[a];
      std::array<std::uint32_t, kMaxAge + 1> next{};
      for (int a = 0; a <= kMaxAge; ++a) next[a] = begin + age_begin[a];
      for (auto it = first; it != last; ++it)
        if (it->sex == kMale) men_by_age_[next[it->age]++] = it->row;
      for (int a = 0; a <= kMaxAge; ++a) next[a] = begin + age_begin[a];  // first free man

      std::uint32_t found = 0;
      Couple* out = couples_by_zone_.data() + couple_offset_[z];
      for (auto it = first; it != last; ++it) {
        if (it->sex != kFemale) continue;
        const int preferred = it->age + rules.preferred_age_gap_years;
        for (int step = 0; step <= 2 * rules.max_age_deviation_years; ++step) {
          // 0, +1, −1, +2, −2, ...
          const int offset = (step + 1) / 2 * (step % 2 == 1 ? 1 : -1);
          const int a = preferred + offset;
          if (a < 0 || a > kMaxAge) continue;
          if (next[a] < begin + age_begin[a + 1]) {
            out[found++] = Couple{men_by_age_[next[a]++], it->row};
            break;
          }
        }
      }
      couples_in_zone_[z] = found;
    }
  });

  std::size_t total = 0;
  for (std::size_t z = 0; z < zones; ++z) total += couples_in_zone_[z];
  couples.reserve(total);
  for (std::size_t z = 0; z < zones; ++z)
    couples.insert(couples.end(), couples_by_zone_.begin() + couple_offset_[z],
                   couples_by_zone_.begin() + couple_offset_[z] + couples_in_zone_[z]);
}

}  // namespace plansim

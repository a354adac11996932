// Deterministic partner matching for the marriage market of one year.
//
// Entrants are bucketed by zone (counting sort), then, within each zone, men by single year of
// age. Women are served in row order; each takes the first free man (lowest row) of the age
// nearest to her preferred partner age (her age + the preferred gap), searching outwards
// 0, +1, −1, +2, −2, ... up to the allowed deviation. Cost O(E + Z + E·(2·deviation + 1)) for E
// entrants in Z zones: never all-against-all. Zones are independent and matched in parallel.
#pragma once

#include <cstdint>
#include <vector>

namespace plansim {

/// One person entering the market (from a person row).
struct MarketEntrant {
  std::uint32_t row;   // person row
  std::uint16_t zone;  // zone of the person's household
  std::uint8_t sex;    // Sex
  std::uint8_t age;    // completed years
};

struct MatchingRules {
  int preferred_age_gap_years = 2;  // preferred man's age minus the woman's age
  int max_age_deviation_years = 8;  // largest |man's age − preferred age| accepted
};

struct Couple {
  std::uint32_t man_row;
  std::uint32_t woman_row;
};

/// Reusable matcher: keeps its buffers across years so that a yearly call does not allocate once
/// they have grown to the market's size.
class PartnerMatcher {
 public:
  /// Matches `entrants` (any order; ties are broken by row) and writes the couples to `couples`,
  /// ordered by zone, then by the woman's row. Every entrant appears in at most one couple; the
  /// result is maximal: no unmatched man and woman of one zone are within each other's window.
  void match(const std::vector<MarketEntrant>& entrants, std::uint16_t zone_count,
             const MatchingRules& rules, std::vector<Couple>& couples);

 private:
  std::vector<std::uint32_t> zone_offset_;      // zone -> first entrant in by_zone_
  std::vector<MarketEntrant> by_zone_;          // entrants grouped by zone, row order within
  std::vector<std::uint32_t> men_by_age_;       // per zone segment: men's rows by age, then row
  std::vector<std::uint32_t> couple_offset_;    // zone -> first slot in couples_by_zone_
  std::vector<std::uint32_t> couples_in_zone_;  // zone -> couples found
  std::vector<Couple> couples_by_zone_;         // per-zone segments (capacity: zone's women)
};

}  // namespace plansim

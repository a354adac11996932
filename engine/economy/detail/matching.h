// Job matching: unemployed persons apply to vacancies grouped by (workplace zone, sector).
//
// One round: every seeker applies with probability q = min(search_intensity, efficiency *
// theta^(1 - elasticity)), theta = open vacancies / seekers at the start of the round (a
// Cobb-Douglas matching function: a tight market raises the odds of applying successfully), and
// if so picks one bucket (workplace zone w, sector s) with probability proportional to
//     commuting_weight(home, w) * fit(s, education) * vacancies(w, s),
// drawn from the seeker's own stream. Each bucket then fills its firms' vacancies (firms in id
// order) from its applicants ranked by education fit (best first), then by person id. Buckets
// are independent, so they fill in parallel; a seeker who was not hired tries again next round.
// No search ever looks at all firms: the cost per seeker is a binary search over the buckets.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/process.h"
#include "core/rng.h"
#include "core/world.h"
#include "economy/tables.h"

namespace plansim::economy {

/// Commuting weights between zones, [home * zones + work]: exp(-distance / decay) with the
/// Euclidean distance of zone centroids (half the radius of a round zone within a zone), or 1 for
/// every pair when any centroid is unknown (all zones equally accessible).
struct AccessMatrix {
  std::size_t zones = 1;
  std::vector<double> weight{1.0};
  double operator()(std::size_t home, std::size_t work) const {
    return weight[home * zones + work];
  }
};
AccessMatrix commuting_access(const std::vector<ZoneLabel>& zones, double decay_m);

/// Firm rows grouped by bucket = zone * sectors + sector, ascending within each bucket.
struct FirmBuckets {
  std::size_t zones = 1, sectors = 1;
  std::vector<std::uint32_t> offset;  // bucket -> first index in `firm`; size buckets + 1
  std::vector<std::uint32_t> firm;
  std::size_t buckets() const { return zones * sectors; }
  void build(const FirmTable& firms, std::size_t zone_count, std::size_t sector_count);
};

/// Zone row of a person's home (0 when the World has no zones).
inline std::size_t home_zone(const World& world, std::uint32_t person, std::size_t zones) {
  const std::size_t z = world.households.zone[world.persons.household[person]];
  return z < zones ? z : 0;
}

struct MatchingRules {
  int rounds = 4;
  double search_intensity = 1.0;  // highest share of seekers applying in a round
  double efficiency = 0;          // matching efficiency; 0 = always search_intensity
  double elasticity = 0.5;        // elasticity of matches to seekers
  std::vector<std::array<double, kEducationLevels>> fit;  // by sector

  /// Share of seekers applying in a round with `vacancies` open and `seekers` searching.
  double application_rate(double vacancies, double seekers) const {
    if (efficiency <= 0) return search_intensity;
    if (seekers <= 0 || vacancies <= 0) return 0.0;
    return std::min(search_intensity, efficiency * std::pow(vacancies / seekers, 1.0 - elasticity));
  }
  /// Expected hires over the rounds when every application finds a vacancy (no mismatch).
  double expected_hires(double vacancies, double seekers) const;
  /// The smallest efficiency whose expected hires fill `vacancies` (as far as search_intensity
  /// allows): the base year's calibration, which makes the base year a steady state.
  double calibrate_efficiency(double vacancies, double seekers) const;
};

/// Matching with reusable buffers (no allocation after the first years).
class JobMatcher {
 public:
  /// Matches `seekers` (person rows, ascending, all unemployed) to the vacancies of the FirmTable.
  /// A hire sets persons.employer and labour_status = kEmployed and moves one vacancy of the firm
  /// to its employees. On return `seekers` holds those still searching, in the same order.
  /// Returns the number of hires.
  std::int64_t match(World& world, const FirmBuckets& buckets, const AccessMatrix& access,
                     const MatchingRules& rules, std::vector<std::uint32_t>& seekers,
                     const RngStreams& rng, int year, ProcessId process);

 private:
  std::vector<double> cumulative_;        // [(home * levels + education) * buckets + bucket]
  std::vector<std::uint64_t> vacancies_;  // per bucket
  std::vector<std::uint32_t> choice_;     // per seeker: bucket, or kNoRow
  std::vector<std::uint32_t> applicant_offset_, applicants_, cursor_;
  std::vector<std::int64_t> hires_;  // per bucket
};

/// Hands the remaining vacancies to the remaining seekers in order (seekers by row, firms by
/// row), ignoring zones and fit; used once, to complete the base-year assignment. Returns hires.
std::int64_t fill_in_order(World& world, std::vector<std::uint32_t>& seekers);

}  // namespace plansim::economy

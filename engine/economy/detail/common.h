// Helpers shared by the economy process's source files (economy*.cpp); not part of its interface.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "economy/economy_config.h"

namespace plansim::economy::detail {

// Firms per chunk in firm passes: ~10^5 firms give ~50 chunks to balance threads.
inline constexpr std::size_t kFirmChunk = 2048;

/// Index of the first cumulative weight above u * total (u in [0, 1)).
inline std::size_t pick(const std::vector<double>& cumulative, double u) {
  const double target = u * cumulative.back();
  const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), target);
  return std::min(static_cast<std::size_t>(it - cumulative.begin()), cumulative.size() - 1);
}

struct SectorTotals {
  std::array<double, kMaxSectors> value_added{}, rd{}, weighted_desire{};
  std::array<std::int64_t, kMaxSectors> firms{}, employees{}, positions{};
  std::int64_t grants = 0, exits = 0;
};

inline void add(SectorTotals& acc, const SectorTotals& x, std::size_t sectors) {
  for (std::size_t s = 0; s < sectors; ++s) {
    acc.value_added[s] += x.value_added[s];
    acc.rd[s] += x.rd[s];
    acc.weighted_desire[s] += x.weighted_desire[s];
    acc.firms[s] += x.firms[s];
    acc.employees[s] += x.employees[s];
    acc.positions[s] += x.positions[s];
  }
  acc.grants += x.grants;
  acc.exits += x.exits;
}

}  // namespace plansim::economy::detail

// Firm-table helpers: heavy-tailed sizes, appending, compaction and the firm -> employees index.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/rng.h"
#include "core/world.h"
#include "economy/tables.h"

namespace plansim::economy {

/// A Pareto (power-law) weight with tail exponent `alpha` and minimum 1: P(W > w) = w^-alpha.
inline double pareto_weight(AgentRng& r, double alpha) {
  return std::pow(r.uniform_open(), -1.0 / alpha);
}

/// Splits `total` positions over firms with the given weights: every firm gets 1, the remaining
/// total - n are shared in proportion to the weights by largest remainder (ties to the lower
/// index). Requires total >= weights.size(). The result sums to `total` exactly.
void allocate_positions(std::uint64_t total, const std::vector<double>& weights,
                        std::vector<std::uint32_t>& positions);

/// Appends a firm row with the given attributes (employees and vacancies 0, not removed).
std::uint32_t append_firm(FirmTable& firms, std::uint64_t id, std::uint8_t sector,
                          std::uint16_t zone, float productivity_yuan, float wage_level_yuan,
                          std::uint8_t age);

/// Drops firms marked removed, keeping the order of the others, and remaps persons.employer.
/// Persons still linked to a removed firm lose their job (employer kNoRow, status unemployed,
/// wage 0); callers separate them first. Returns the number of firms dropped.
std::size_t compact_firms(World& world);

/// Employed persons by firm (CSR, person rows ascending within a firm), from persons.employer.
struct EmployeeIndex {
  std::vector<std::uint32_t> offset;  // firms + 1
  std::vector<std::uint32_t> person;
  std::uint32_t count(std::size_t firm) const { return offset[firm + 1] - offset[firm]; }
  /// Rebuilds the index (persons marked removed are left out) and sets firms.employees.
  void build(World& world);

 private:
  std::vector<std::uint32_t> cursor_;
};

}  // namespace plansim::economy

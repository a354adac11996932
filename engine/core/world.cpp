#include "core/world.h"

#include <tbb/parallel_for.h>

#include <numeric>

namespace plansim {

std::uint32_t PersonTable::append(std::uint64_t person_id, std::uint8_t person_age,
                                  std::uint8_t person_sex, std::uint8_t person_education,
                                  std::uint32_t household_row) {
  const std::uint32_t row = append_row();
  id[row] = person_id;
  age[row] = person_age;
  sex[row] = person_sex;
  education[row] = person_education;
  household[row] = household_row;
  return row;
}

std::uint32_t HouseholdTable::append(std::uint64_t household_id, std::uint16_t household_zone) {
  const std::uint32_t row = append_row();
  id[row] = household_id;
  zone[row] = household_zone;
  return row;
}

std::size_t HouseholdTable::bytes() const {
  return ColumnTable::bytes() + member_offset.capacity() * sizeof(std::uint32_t) +
         member_row.capacity() * sizeof(std::uint32_t);
}

std::vector<ColumnTable*> world_tables(World& world) {
  return {&world.persons, &world.households, &world.firms, &world.facilities};
}

void compact_rows(World& world, ColumnTable& table, const RowMap& map) {
  if (map.keeps_all()) return;
  table.gather(map);
  for (ColumnTable* t : world_tables(world)) t->remap_links(table.table_name(), map);
}

void rebuild_members(World& world) {
  auto& h = world.households;
  const auto& p = world.persons;
  const std::size_t nh = h.size(), np = p.size();
  h.member_offset.assign(nh + 1, 0);
  for (std::size_t i = 0; i < np; ++i) ++h.member_offset[p.household[i] + 1];
  std::partial_sum(h.member_offset.begin(), h.member_offset.end(), h.member_offset.begin());
  h.member_row.resize(np);
  std::vector<std::uint32_t> cursor(h.member_offset.begin(), h.member_offset.end() - 1);
  for (std::size_t i = 0; i < np; ++i)
    h.member_row[cursor[p.household[i]]++] = static_cast<std::uint32_t>(i);
}

void compact(World& world) {
  auto& p = world.persons;
  auto& h = world.households;
  const std::size_t np = p.size(), nh = h.size();

  // A household survives if it is not removed and keeps at least one member.
  std::vector<std::uint8_t> drop_household(nh, 1);
  for (std::size_t i = 0; i < np; ++i)
    if (!p.removed[i] && !h.removed[p.household[i]]) drop_household[p.household[i]] = 0;
  // Members of a removed household leave with it.
  for (std::size_t i = 0; i < np; ++i)
    if (h.removed[p.household[i]]) p.removed[i] = 1;

  compact_rows(world, p, RowMap::keep_unless(p.removed));
  compact_rows(world, h, RowMap::keep_unless(drop_household));
  rebuild_members(world);
}

std::string check_invariants(const World& world) {
  const auto& p = world.persons;
  const auto& h = world.households;
  const std::size_t np = p.size(), nh = h.size();
  if (std::string problem = p.check_lengths(); !problem.empty()) return problem;
  if (std::string problem = h.check_lengths(); !problem.empty()) return problem;
  if (h.member_offset.size() != nh + 1 || h.member_row.size() != np)
    return "household membership index is stale";
  for (std::size_t i = 0; i < np; ++i) {
    if (p.removed[i]) return "person " + std::to_string(p.id[i]) + " is marked removed";
    if (p.household[i] >= nh) return "person " + std::to_string(p.id[i]) + " has no household";
    if (p.age[i] > kMaxAge) return "person " + std::to_string(p.id[i]) + " is older than kMaxAge";
    const std::uint32_t q = p.partner[i];
    if (q != kNoRow && (q >= np || p.partner[q] != i))
      return "person " + std::to_string(p.id[i]) + " has a one-sided partner link";
    if (i > 0 && p.id[i] <= p.id[i - 1]) return "person ids are not increasing with row";
  }
  for (std::size_t k = 0; k < nh; ++k) {
    if (h.member_count(static_cast<std::uint32_t>(k)) == 0)
      return "household " + std::to_string(h.id[k]) + " is empty";
    if (h.zone[k] >= world.zone_count() && world.zone_count() > 0)
      return "household " + std::to_string(h.id[k]) + " has an unknown zone";
    for (std::uint32_t m = h.member_offset[k]; m < h.member_offset[k + 1]; ++m)
      if (p.household[h.member_row[m]] != k) return "membership index disagrees with persons";
  }
  return "";
}

}  // namespace plansim

#include "core/world.h"

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
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

ModuleData::ModuleData(const ModuleData& other) {
  for (const auto& e : other.entries_) entries_.push_back(e->clone());
}

ModuleData& ModuleData::operator=(const ModuleData& other) {
  if (this == &other) return *this;
  entries_.clear();
  for (const auto& e : other.entries_) entries_.push_back(e->clone());
  return *this;
}

ModuleData::Base* ModuleData::lookup(const std::type_info& type) const {
  for (const auto& e : entries_)
    if (e->type() == type) return e.get();
  return nullptr;
}

std::vector<ColumnTable*> ModuleData::tables() {
  std::vector<ColumnTable*> out;
  for (const auto& e : entries_)
    if (ColumnTable* t = e->table()) out.push_back(t);
  return out;
}

std::vector<ColumnTable*> world_tables(World& world) {
  std::vector<ColumnTable*> tables{&world.persons, &world.households};
  for (ColumnTable* t : world.modules.tables()) tables.push_back(t);
  return tables;
}

void compact_rows(World& world, ColumnTable& table, const RowMap& map) {
  if (map.keeps_all()) return;
  table.gather(map);
  // Persons, households, then the module tables: no list is built (compaction does not allocate).
  world.persons.remap_links(table.table_name(), map);
  world.households.remap_links(table.table_name(), map);
  world.modules.for_each_table([&](ColumnTable& t) { t.remap_links(table.table_name(), map); });
}

namespace {

// Members of households [first, first + count) from a scan of every person's household: counts,
// then offsets relative to the range, then rows in person order. Rows of other ranges are skipped
// (one unsigned comparison), so ranges can be filled by different threads.
void count_members(const std::uint32_t* __restrict home, std::size_t np, std::size_t first,
                   std::size_t count, std::uint32_t* __restrict offset, std::uint32_t& total) {
  std::fill(offset + first, offset + first + count, 0u);
  for (std::size_t i = 0; i < np; ++i) {
    const std::size_t k = static_cast<std::size_t>(home[i]) - first;
    if (k < count) ++offset[first + k];
  }
  std::uint32_t sum = 0;
  for (std::size_t k = first; k < first + count; ++k) {
    const std::uint32_t c = offset[k];
    offset[k] = sum;
    sum += c;
  }
  total = sum;
}

void place_members(const std::uint32_t* __restrict home, std::size_t np, std::size_t first,
                   std::size_t count, std::uint32_t base, std::uint32_t* __restrict offset,
                   std::uint32_t* __restrict member) {
  for (std::size_t k = first; k < first + count; ++k) offset[k] += base;
  for (std::size_t i = 0; i < np; ++i) {
    const std::size_t k = static_cast<std::size_t>(home[i]) - first;
    if (k < count) member[offset[first + k]++] = static_cast<std::uint32_t>(i);
  }
  // offset[k] is now the start of k + 1: shift back by one within the range.
  for (std::size_t k = first + count; k-- > first + 1;) offset[k] = offset[k - 1];
  if (count > 0) offset[first] = base;
}

}  // namespace

void rebuild_members(World& world) {
  auto& h = world.households;
  const auto& p = world.persons;
  const std::size_t nh = h.size(), np = p.size();
  // Grown with 3% to spare rather than doubled (resize past the capacity doubles it): the index
  // is rebuilt twice a year as the population grows.
  if (nh + 1 > h.member_offset.capacity()) h.member_offset.reserve(nh + 1 + nh / 32);
  if (np > h.member_row.capacity()) h.member_row.reserve(np + np / 32);
  h.member_offset.resize(nh + 1);
  h.member_row.resize(np);
  std::uint32_t* offset = h.member_offset.data();
  std::uint32_t* member = h.member_row.data();
  const std::uint32_t* home = p.household.data();
  // One range of households per worker; each scans every person and counts, then places, only
  // the members of its range. The index is unique, so the partition does not change it.
  constexpr std::size_t kMaxParts = 64;
  const std::size_t parts = std::clamp<std::size_t>(
      std::min({static_cast<std::size_t>(tbb::this_task_arena::max_concurrency()),
                tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism),
                nh / 4096 + 1}),
      1, kMaxParts);
  std::array<std::uint32_t, kMaxParts + 1> base{};
  const auto first = [&](std::size_t t) { return nh * t / parts; };
  if (parts == 1) {
    count_members(home, np, 0, nh, offset, base[1]);
    place_members(home, np, 0, nh, 0, offset, member);
  } else {
    tbb::parallel_for(std::size_t{0}, parts, [&](std::size_t t) {
      count_members(home, np, first(t), first(t + 1) - first(t), offset, base[t + 1]);
    });
    for (std::size_t t = 0; t < parts; ++t) base[t + 1] += base[t];
    tbb::parallel_for(std::size_t{0}, parts, [&](std::size_t t) {
      place_members(home, np, first(t), first(t + 1) - first(t), base[t], offset, member);
    });
  }
  offset[nh] = static_cast<std::uint32_t>(np);
}

void compact(World& world) {
  auto& p = world.persons;
  auto& h = world.households;
  auto& buffers = world.compaction;
  const std::size_t np = p.size(), nh = h.size();

  // Members of a removed household leave with it; a household survives if it is not removed and
  // keeps at least one member (every writer stores the same 0, so the order does not matter).
  buffers.drop_household.assign(nh, 1);
  std::uint8_t* drop_household = buffers.drop_household.data();
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, np, 1 << 16),
      [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) {
          const std::uint32_t home = p.household[i];
          if (h.removed[home])
            p.removed[i] = 1;
          else if (!p.removed[i])
            std::atomic_ref<std::uint8_t>(drop_household[home]).store(0, std::memory_order_relaxed);
        }
      });

  buffers.persons.assign_keep_unless(p.removed);
  compact_rows(world, p, buffers.persons);
  buffers.households.assign_keep_unless(buffers.drop_household);
  compact_rows(world, h, buffers.households);
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

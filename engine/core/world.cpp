#include "core/world.h"

#include <tbb/parallel_for.h>

#include <numeric>

namespace plansim {

void PersonTable::reserve(std::size_t n) {
  id.reserve(n);
  age.reserve(n);
  sex.reserve(n);
  education.reserve(n);
  household.reserve(n);
  partner.reserve(n);
  removed.reserve(n);
  labour_status.reserve(n);
  employer.reserve(n);
  wage_yuan.reserve(n);
  school.reserve(n);
  care_need.reserve(n);
  care_bed.reserve(n);
  care_wait_since.reserve(n);
}

void PersonTable::resize(std::size_t n) {
  id.resize(n);
  age.resize(n);
  sex.resize(n);
  education.resize(n);
  household.resize(n, kNoRow);
  partner.resize(n, kNoRow);
  removed.resize(n, 0);
  labour_status.resize(n, kNotInLabourForce);
  employer.resize(n, kNoRow);
  wage_yuan.resize(n, 0.0f);
  school.resize(n, kNoRow);
  care_need.resize(n, kNoCareNeed);
  care_bed.resize(n, kNoRow);
  care_wait_since.resize(n, 0);
}

std::uint32_t PersonTable::append(std::uint64_t person_id, std::uint8_t person_age,
                                  std::uint8_t person_sex, std::uint8_t person_education,
                                  std::uint32_t household_row) {
  id.push_back(person_id);
  age.push_back(person_age);
  sex.push_back(person_sex);
  education.push_back(person_education);
  household.push_back(household_row);
  partner.push_back(kNoRow);
  removed.push_back(0);
  labour_status.push_back(kNotInLabourForce);
  employer.push_back(kNoRow);
  wage_yuan.push_back(0.0f);
  school.push_back(kNoRow);
  care_need.push_back(kNoCareNeed);
  care_bed.push_back(kNoRow);
  care_wait_since.push_back(0);
  return static_cast<std::uint32_t>(id.size() - 1);
}

std::size_t PersonTable::bytes() const {
  return id.capacity() * sizeof(std::uint64_t) + age.capacity() + sex.capacity() +
         education.capacity() + household.capacity() * sizeof(std::uint32_t) +
         partner.capacity() * sizeof(std::uint32_t) + removed.capacity() +
         labour_status.capacity() + employer.capacity() * sizeof(std::uint32_t) +
         wage_yuan.capacity() * sizeof(float) + school.capacity() * sizeof(std::uint32_t) +
         care_need.capacity() + care_bed.capacity() * sizeof(std::uint32_t) +
         care_wait_since.capacity() * sizeof(std::int16_t);
}

std::uint32_t HouseholdTable::append(std::uint64_t household_id, std::uint16_t household_zone) {
  id.push_back(household_id);
  zone.push_back(household_zone);
  removed.push_back(0);
  return static_cast<std::uint32_t>(id.size() - 1);
}

std::size_t HouseholdTable::bytes() const {
  return id.capacity() * sizeof(std::uint64_t) + zone.capacity() * sizeof(std::uint16_t) +
         removed.capacity() + member_offset.capacity() * sizeof(std::uint32_t) +
         member_row.capacity() * sizeof(std::uint32_t);
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

namespace {

// new_row[i] = position of row i among the kept rows, kNoRow if dropped. Returns the kept count.
std::uint32_t keep_map(const std::vector<std::uint8_t>& drop, std::vector<std::uint32_t>& new_row) {
  new_row.resize(drop.size());
  std::uint32_t next = 0;
  for (std::size_t i = 0; i < drop.size(); ++i) new_row[i] = drop[i] ? kNoRow : next++;
  return next;
}

template <class T>
void gather(std::vector<T>& column, const std::vector<std::uint32_t>& new_row, std::uint32_t kept) {
  std::vector<T> out(kept);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, column.size(), 1 << 16),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i != r.end(); ++i)
                        if (new_row[i] != kNoRow) out[new_row[i]] = column[i];
                    });
  column.swap(out);
}

}  // namespace

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

  std::vector<std::uint32_t> new_person, new_household;
  const std::uint32_t kept_persons = keep_map(p.removed, new_person);
  const std::uint32_t kept_households = keep_map(drop_household, new_household);

  // Remap links before gathering, in parallel over persons.
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, np, 1 << 16),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i != r.end(); ++i) {
                        p.household[i] = new_household[p.household[i]];
                        if (p.partner[i] != kNoRow) p.partner[i] = new_person[p.partner[i]];
                      }
                    });
  gather(p.id, new_person, kept_persons);
  gather(p.age, new_person, kept_persons);
  gather(p.sex, new_person, kept_persons);
  gather(p.education, new_person, kept_persons);
  gather(p.household, new_person, kept_persons);
  gather(p.partner, new_person, kept_persons);
  gather(p.labour_status, new_person, kept_persons);
  gather(p.employer, new_person, kept_persons);
  gather(p.wage_yuan, new_person, kept_persons);
  gather(p.school, new_person, kept_persons);
  gather(p.care_need, new_person, kept_persons);
  gather(p.care_bed, new_person, kept_persons);
  gather(p.care_wait_since, new_person, kept_persons);
  p.removed.assign(kept_persons, 0);

  gather(h.id, new_household, kept_households);
  gather(h.zone, new_household, kept_households);
  h.removed.assign(kept_households, 0);
  rebuild_members(world);
}

std::string check_invariants(const World& world) {
  const auto& p = world.persons;
  const auto& h = world.households;
  const std::size_t np = p.size(), nh = h.size();
  if (p.age.size() != np || p.sex.size() != np || p.education.size() != np ||
      p.household.size() != np || p.partner.size() != np || p.removed.size() != np ||
      p.labour_status.size() != np || p.employer.size() != np || p.wage_yuan.size() != np ||
      p.school.size() != np || p.care_need.size() != np || p.care_bed.size() != np ||
      p.care_wait_since.size() != np)
    return "person columns differ in length";
  if (h.zone.size() != nh || h.removed.size() != nh) return "household columns differ in length";
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

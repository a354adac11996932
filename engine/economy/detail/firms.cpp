#include "economy/detail/firms.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace plansim::economy {

void allocate_positions(std::uint64_t total, const std::vector<double>& weights,
                        std::vector<std::uint32_t>& positions) {
  const std::size_t n = weights.size();
  positions.assign(n, 1);
  if (n == 0 || total <= n) return;
  const double extra = static_cast<double>(total - n);
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<double> remainder(n);
  std::uint64_t given = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double share = sum > 0 ? extra * weights[i] / sum : extra / static_cast<double>(n);
    const double whole = std::floor(share);
    positions[i] += static_cast<std::uint32_t>(whole);
    given += static_cast<std::uint64_t>(whole);
    remainder[i] = share - whole;
  }
  std::uint64_t left = total - n - std::min<std::uint64_t>(given, total - n);
  if (left == 0) return;
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t k = 0; left > 0; k = (k + 1) % n, --left) ++positions[order[k]];
}

std::uint32_t append_firm(FirmTable& firms, std::uint64_t id, std::uint8_t sector,
                          std::uint16_t zone, float productivity_yuan, float wage_level_yuan,
                          std::uint8_t age) {
  firms.id.push_back(id);
  firms.sector.push_back(sector);
  firms.zone.push_back(zone);
  firms.employees.push_back(0);
  firms.vacancies.push_back(0);
  firms.productivity_yuan.push_back(productivity_yuan);
  firms.value_added_yuan.push_back(0.0f);
  firms.wage_level_yuan.push_back(wage_level_yuan);
  firms.rd_spending_yuan.push_back(0.0f);
  firms.age.push_back(age);
  firms.removed.push_back(0);
  return static_cast<std::uint32_t>(firms.id.size() - 1);
}

std::size_t compact_firms(World& world) {
  FirmTable& f = world.get<FirmTable>();
  const std::size_t n = f.size();
  const RowMap map = RowMap::keep_unless(f.removed);
  if (map.keeps_all()) return 0;
  PersonTable& p = world.persons;
  PersonJobs labour(p);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, p.size(), 1 << 16),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i != r.end(); ++i)
                        if (labour.employer[i] != kNoRow && map(labour.employer[i]) == kNoRow) {
                          labour.labour_status[i] = kUnemployed;
                          labour.wage_yuan[i] = 0.0f;
                        }
                    });
  compact_rows(world, f, map);  // persons.employer follows (kNoRow for the dropped firms)
  return n - map.kept;
}

void EmployeeIndex::build(World& world) {
  const PersonTable& p = world.persons;
  ConstPersonJobs labour(p);
  FirmTable& firms = world.get<FirmTable>();
  const std::size_t nf = firms.size(), np = p.size();
  offset.assign(nf + 1, 0);
  for (std::size_t i = 0; i < np; ++i)
    if (labour.employer[i] != kNoRow && !p.removed[i]) ++offset[labour.employer[i] + 1];
  for (std::size_t f = 0; f < nf; ++f) offset[f + 1] += offset[f];
  person.resize(offset[nf]);
  cursor_.assign(offset.begin(), offset.end() - 1);
  for (std::size_t i = 0; i < np; ++i)
    if (labour.employer[i] != kNoRow && !p.removed[i])
      person[cursor_[labour.employer[i]]++] = static_cast<std::uint32_t>(i);
  for (std::size_t f = 0; f < nf; ++f) firms.employees[f] = offset[f + 1] - offset[f];
}

}  // namespace plansim::economy

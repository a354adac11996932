#include "core/table.h"

#include <tbb/task_group.h>

#include <algorithm>

namespace plansim {

void RowMap::assign_keep_unless(const std::vector<std::uint8_t>& drop) {
  rows_ = drop.size();
  const std::size_t words = (rows_ + 63) / 64;
  keep_.resize(words);
  rank_.resize(words);
  // Blocks of 1,024 words (65,536 rows): the bits and each block's count in parallel, then the
  // ranks by a prefix sum over blocks (in block order: deterministic).
  constexpr std::size_t kBlock = 1024;
  const std::size_t blocks = (words + kBlock - 1) / kBlock;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, blocks, 1),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t b = r.begin(); b != r.end(); ++b) {
                        const std::size_t w_end = std::min(words, (b + 1) * kBlock);
                        std::uint32_t count = 0;
                        for (std::size_t w = b * kBlock; w < w_end; ++w) {
                          const std::size_t begin = w * 64, end = std::min(rows_, begin + 64);
                          std::uint64_t bits = 0;
                          for (std::size_t i = begin; i < end; ++i)
                            bits |= static_cast<std::uint64_t>(drop[i] == 0) << (i - begin);
                          keep_[w] = bits;
                          rank_[w] = count;  // within the block for now
                          count += ones(bits);
                        }
                      }
                    });
  std::uint32_t total = 0;
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::size_t w_end = std::min(words, (b + 1) * kBlock);
    const std::uint32_t block_base = total;
    for (std::size_t w = b * kBlock; w < w_end; ++w) rank_[w] += block_base;
    total = rank_[w_end - 1] + ones(keep_[w_end - 1]);
  }
  kept = total;
}

ColumnTable::ColumnTable(const ColumnTable& other) : name_(other.name_) {
  for (const auto& c : other.added_) added_.push_back(c->clone());
}

ColumnTable& ColumnTable::operator=(const ColumnTable& other) {
  if (this == &other) return *this;
  name_ = other.name_;
  added_.clear();
  for (const auto& c : other.added_) added_.push_back(c->clone());
  return *this;
}

ColumnTable::Stored* ColumnTable::stored(std::string_view name) const {
  for (const auto& c : added_)
    if (c->name == name) return c.get();
  return nullptr;
}

std::size_t ColumnTable::rows() const {
  std::size_t n = 0;
  bool first = true;
  const_cast<ColumnTable*>(this)->for_each_column(
      [&](const ColumnInfo&, auto& column, const auto&) {
        if (first) n = column.size();
        first = false;
      });
  return n;
}

bool ColumnTable::has(std::string_view column) const {
  bool found = false;
  const_cast<ColumnTable*>(this)->for_each_column(
      [&](const ColumnInfo& info, auto&, const auto&) { found |= info.name == column; });
  return found;
}

std::vector<std::string> ColumnTable::column_names() const {
  std::vector<std::string> names;
  const_cast<ColumnTable*>(this)->for_each_column(
      [&](const ColumnInfo& info, auto&, const auto&) { names.emplace_back(info.name); });
  return names;
}

void ColumnTable::reserve(std::size_t n) {
  for_each_column([&](const ColumnInfo&, auto& column, const auto&) { column.reserve(n); });
}

void ColumnTable::resize(std::size_t n) {
  for_each_column(
      [&](const ColumnInfo&, auto& column, const auto& fill) { column.resize(n, fill); });
}

std::uint32_t ColumnTable::append_row() {
  std::size_t row = 0;
  for_each_column([&](const ColumnInfo&, auto& column, const auto& fill) {
    row = column.size();
    column.push_back(fill);
  });
  return static_cast<std::uint32_t>(row);
}

void ColumnTable::gather(const RowMap& map) {
  if (map.keeps_all()) return;
  // Columns are independent: one task each (in-place gathers, so no buffer is allocated).
  tbb::task_group tasks;
  for_each_column([&](const ColumnInfo&, auto& column, const auto&) {
    tasks.run([&column, &map] { gather_column(column, map); });
  });
  tasks.wait();
}

namespace {

bool has_popcnt() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("popcnt");
#else
  return false;
#endif
}

// RowMap::operator() with the popcnt instruction (every x86-64 CPU since 2008 has it, but the
// generic target may not assume it): the remapping of links is a lookup per row.
#if defined(__x86_64__)
__attribute__((target("popcnt")))
#endif
void remap_popcnt(std::uint32_t* links, std::size_t n, const RowMap& map) {
  const std::size_t rows = map.rows();
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t row = links[i];
    if (row >= rows) {
      links[i] = kNoRow;
      continue;
    }
    const std::uint64_t word = map.keep_word(row >> 6);
    const std::uint64_t bit = std::uint64_t{1} << (row & 63);
    links[i] = (word & bit) ? map.rank_of_word(row >> 6) +
                                  static_cast<std::uint32_t>(__builtin_popcountll(word & (bit - 1)))
                            : kNoRow;
  }
}

}  // namespace

void ColumnTable::remap_links(std::string_view target, const RowMap& map) {
  for_each_column([&](const ColumnInfo& info, auto& column, const auto&) {
    using T = typename std::decay_t<decltype(column)>::value_type;
    if constexpr (std::is_same_v<T, std::uint32_t>) {
      if (info.links_to != target) return;
      static const bool popcnt = has_popcnt();
      std::uint32_t* links = column.data();
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, column.size(), 1 << 16),
                        [&](const tbb::blocked_range<std::size_t>& r) {
                          if (popcnt)
                            remap_popcnt(links + r.begin(), r.size(), map);
                          else
                            for (std::size_t i = r.begin(); i != r.end(); ++i)
                              links[i] = map(links[i]);
                        });
    }
  });
}

std::size_t ColumnTable::bytes() const {
  std::size_t total = 0;
  const_cast<ColumnTable*>(this)->for_each_column(
      [&](const ColumnInfo&, auto& column, const auto&) {
        total += column.capacity() * sizeof(typename std::decay_t<decltype(column)>::value_type);
      });
  return total;
}

std::string ColumnTable::check_lengths() const {
  const std::size_t n = rows();
  std::string problem;
  const_cast<ColumnTable*>(this)->for_each_column(
      [&](const ColumnInfo& info, auto& column, const auto&) {
        if (problem.empty() && column.size() != n)
          problem = "column '" + std::string(info.name) + "' of table '" + name_ + "' has " +
                    std::to_string(column.size()) + " rows, the table " + std::to_string(n);
      });
  return problem;
}

}  // namespace plansim

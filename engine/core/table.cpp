#include "core/table.h"

#include <algorithm>

namespace plansim {

RowMap RowMap::keep_unless(const std::vector<std::uint8_t>& drop) {
  RowMap map;
  map.new_row.resize(drop.size());
  for (std::size_t i = 0; i < drop.size(); ++i) map.new_row[i] = drop[i] ? kNoRow : map.kept++;
  return map;
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
  for_each_column(
      [&](const ColumnInfo&, auto& column, const auto&) { gather_column(column, map); });
}

void ColumnTable::remap_links(std::string_view target, const RowMap& map) {
  for_each_column([&](const ColumnInfo& info, auto& column, const auto&) {
    using T = typename std::decay_t<decltype(column)>::value_type;
    if constexpr (std::is_same_v<T, std::uint32_t>) {
      if (info.links_to != target) return;
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, column.size(), 1 << 16),
                        [&](const tbb::blocked_range<std::size_t>& r) {
                          for (std::size_t i = r.begin(); i != r.end(); ++i)
                            column[i] = map(column[i]);
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

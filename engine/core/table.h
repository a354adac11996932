// Column tables: the structure-of-arrays storage every agent table is built on.
//
// A table is a set of equally long columns (one std::vector per attribute). A column is declared
// once — by the table itself (a member column, e.g. persons.age) or by the module that owns the
// attribute (an added column, e.g. the economy's labour status of persons) — with its name, the
// value of a new row and, for a row link, the table it points into. Everything that touches every
// column is written once here: reserve, resize, append, gather (compaction), link remapping,
// bytes and length checks. Adding an attribute to persons is one ColumnSpec in its module and one
// add() call; no file of core changes.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <vector>

namespace plansim {

/// "No row": the value of a link column that points nowhere.
inline constexpr std::uint32_t kNoRow = std::numeric_limits<std::uint32_t>::max();

/// A column as its owner declares it: name, the value of a new row, and for a link column (rows of
/// another table, element type std::uint32_t) the name of that table.
template <class T>
struct ColumnSpec {
  std::string_view name;
  T fill{};
  std::string_view links_to{};
};

/// Which rows a compaction keeps, in their order: a bit per row and the number of kept rows before
/// each 64-row word (a rank index, ≈ 1.5 bits per row), so that the new row of any old row is one
/// popcount away. assign_keep_unless() reuses the storage: a yearly compaction does not allocate.
class RowMap {
 public:
  /// Keeps the rows whose `drop` flag is 0, in their order.
  static RowMap keep_unless(const std::vector<std::uint8_t>& drop) {
    RowMap map;
    map.assign_keep_unless(drop);
    return map;
  }
  /// The same into this map's storage (parallel over fixed blocks; no allocation once grown).
  void assign_keep_unless(const std::vector<std::uint8_t>& drop);

  /// Rows kept.
  std::uint32_t kept = 0;
  /// Rows before the compaction.
  std::size_t rows() const { return rows_; }
  bool keeps_all() const { return kept == rows_; }
  /// Where a link to old row `row` points after the compaction (kNoRow for a dropped row or a
  /// link that pointed nowhere).
  std::uint32_t operator()(std::uint32_t row) const {
    if (row >= rows_) return kNoRow;
    const std::uint64_t word = keep_[row >> 6];
    const std::uint64_t bit = std::uint64_t{1} << (row & 63);
    if (!(word & bit)) return kNoRow;
    return rank_[row >> 6] + ones(word & (bit - 1));
  }
  /// Kept rows of 64-row word w (bit i: row 64·w + i), and the number of kept rows before it.
  std::uint64_t keep_word(std::size_t w) const { return keep_[w]; }
  std::uint32_t rank_of_word(std::size_t w) const { return rank_[w]; }
  std::size_t words() const { return keep_.size(); }
  /// Set bits of x (inline SWAR: the generic x86-64 target has no popcnt instruction, and the
  /// library call it would make instead costs more than this).
  static std::uint32_t ones(std::uint64_t x) {
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return static_cast<std::uint32_t>((x * 0x0101010101010101ull) >> 56);
  }

 private:
  std::size_t rows_ = 0;
  std::vector<std::uint64_t> keep_;
  std::vector<std::uint32_t> rank_;
};

/// Name and link of a column, as visitors see it.
struct ColumnInfo {
  std::string_view name;
  std::string_view links_to;  // empty: not a link
};

/// Visits columns of every element type a table may hold.
class ColumnVisitor {
 public:
  virtual ~ColumnVisitor() = default;
  virtual void visit(const ColumnInfo&, std::vector<std::uint8_t>&, const std::uint8_t&) = 0;
  virtual void visit(const ColumnInfo&, std::vector<std::int16_t>&, const std::int16_t&) = 0;
  virtual void visit(const ColumnInfo&, std::vector<std::uint16_t>&, const std::uint16_t&) = 0;
  virtual void visit(const ColumnInfo&, std::vector<std::int32_t>&, const std::int32_t&) = 0;
  virtual void visit(const ColumnInfo&, std::vector<std::uint32_t>&, const std::uint32_t&) = 0;
  virtual void visit(const ColumnInfo&, std::vector<std::int64_t>&, const std::int64_t&) = 0;
  virtual void visit(const ColumnInfo&, std::vector<std::uint64_t>&, const std::uint64_t&) = 0;
  virtual void visit(const ColumnInfo&, std::vector<float>&, const float&) = 0;
  virtual void visit(const ColumnInfo&, std::vector<double>&, const double&) = 0;
  virtual void visit(const ColumnInfo&, std::vector<std::string>&, const std::string&) = 0;
};

/// A ColumnVisitor calling one generic lambda f(info, column, fill) for every type.
template <class F>
class ColumnLambda final : public ColumnVisitor {
 public:
  explicit ColumnLambda(F& f) : f_(f) {}
  void visit(const ColumnInfo& i, std::vector<std::uint8_t>& c, const std::uint8_t& v) override {
    f_(i, c, v);
  }
  void visit(const ColumnInfo& i, std::vector<std::int16_t>& c, const std::int16_t& v) override {
    f_(i, c, v);
  }
  void visit(const ColumnInfo& i, std::vector<std::uint16_t>& c, const std::uint16_t& v) override {
    f_(i, c, v);
  }
  void visit(const ColumnInfo& i, std::vector<std::int32_t>& c, const std::int32_t& v) override {
    f_(i, c, v);
  }
  void visit(const ColumnInfo& i, std::vector<std::uint32_t>& c, const std::uint32_t& v) override {
    f_(i, c, v);
  }
  void visit(const ColumnInfo& i, std::vector<std::int64_t>& c, const std::int64_t& v) override {
    f_(i, c, v);
  }
  void visit(const ColumnInfo& i, std::vector<std::uint64_t>& c, const std::uint64_t& v) override {
    f_(i, c, v);
  }
  void visit(const ColumnInfo& i, std::vector<float>& c, const float& v) override { f_(i, c, v); }
  void visit(const ColumnInfo& i, std::vector<double>& c, const double& v) override { f_(i, c, v); }
  void visit(const ColumnInfo& i, std::vector<std::string>& c, const std::string& v) override {
    f_(i, c, v);
  }

 private:
  F& f_;
};

/// The base of every agent table. A derived table lists its member columns in members(); modules
/// add further columns with add(). Copies are deep.
class ColumnTable {
 public:
  explicit ColumnTable(std::string name) : name_(std::move(name)) {}
  virtual ~ColumnTable() = default;
  ColumnTable(const ColumnTable& other);
  ColumnTable& operator=(const ColumnTable& other);
  ColumnTable(ColumnTable&&) noexcept = default;
  ColumnTable& operator=(ColumnTable&&) noexcept = default;

  /// The table's name, e.g. "persons"; link columns name the table they point into.
  const std::string& table_name() const { return name_; }
  /// Rows: the length of the first column (0 without columns).
  std::size_t rows() const;

  /// Declares a column owned by a module, sized to the table with `spec.fill`. Declaring the same
  /// name again with the same type and link returns the existing column (its values are kept);
  /// another type or link is a programming error (std::logic_error).
  template <class T>
  std::vector<T>& add(const ColumnSpec<T>& spec);
  /// The added column of that name, or nullptr; std::logic_error when its type differs.
  template <class T>
  std::vector<T>* find(const ColumnSpec<T>& spec);
  template <class T>
  const std::vector<T>* find(const ColumnSpec<T>& spec) const {
    return const_cast<ColumnTable*>(this)->find(spec);
  }
  /// The added column of that name; std::logic_error when it was never added.
  template <class T>
  std::vector<T>& get(const ColumnSpec<T>& spec);
  template <class T>
  const std::vector<T>& get(const ColumnSpec<T>& spec) const {
    return const_cast<ColumnTable*>(this)->get(spec);
  }
  bool has(std::string_view column) const;
  /// Every column's name, member columns first, then added ones in the order they were added.
  std::vector<std::string> column_names() const;

  // ---- operations over every column ----
  void reserve(std::size_t n);
  /// Grows (with each column's fill) or shrinks every column to n rows.
  void resize(std::size_t n);
  /// Appends one row holding each column's fill; returns it.
  std::uint32_t append_row();
  /// Keeps the rows `map` keeps, in their order. Links into this table held by other tables are
  /// not touched: compact_rows() (world.h) does both.
  void gather(const RowMap& map);
  /// Rewrites every link column pointing into table `target` through `map`.
  void remap_links(std::string_view target, const RowMap& map);
  /// Bytes held by the columns (capacity), for the memory-per-agent figure.
  std::size_t bytes() const;
  /// "" when every column has the same length, else which column differs.
  std::string check_lengths() const;

  /// Calls f(const ColumnInfo&, std::vector<T>& column, const T& fill) for every column.
  template <class F>
  void for_each_column(F&& f) {
    ColumnLambda<F> visitor(f);
    members(visitor);
    for (auto& c : added_) c->accept(visitor);
  }

 protected:
  /// Derived tables present their member columns, in a fixed order, by calling member() for
  /// each. This is the one place a member column is described.
  virtual void members(ColumnVisitor&) {}
  template <class T>
  static void member(ColumnVisitor& visitor, const ColumnSpec<T>& spec, std::vector<T>& column) {
    visitor.visit({spec.name, spec.links_to}, column, spec.fill);
  }

 private:
  struct Stored {
    virtual ~Stored() = default;
    virtual std::unique_ptr<Stored> clone() const = 0;
    virtual void accept(ColumnVisitor& visitor) = 0;
    virtual const std::type_info& type() const = 0;
    std::string name, links_to;
  };
  template <class T>
  struct StoredColumn final : Stored {
    std::vector<T> data;
    T fill{};
    std::unique_ptr<Stored> clone() const override { return std::make_unique<StoredColumn>(*this); }
    void accept(ColumnVisitor& visitor) override { visitor.visit({name, links_to}, data, fill); }
    const std::type_info& type() const override { return typeid(T); }
  };
  Stored* stored(std::string_view name) const;

  std::string name_;
  std::vector<std::unique_ptr<Stored>> added_;
};

/// Keeps the rows `map` keeps in one column, in place: kept rows only move towards the front, so
/// one forward pass over the kept rows does it, and runs of kept rows that have not moved yet are
/// skipped. No allocation (the column shrinks within its capacity). The single gather of the
/// engine; ColumnTable::gather() runs the columns of a table in parallel.
template <class T>
void gather_column(std::vector<T>& column, const RowMap& map) {
  std::size_t out = 0;
  const std::size_t words = map.words();
  if constexpr (std::is_trivially_copyable_v<T>) {
    // Runs of kept rows between dropped ones move with one memmove each: the cost is the bytes
    // that move, and rows before the first drop do not move at all.
    T* data = column.data();
    std::size_t run = 0;  // first row of the current run of kept rows
    for (std::size_t w = 0; w < words; ++w) {
      std::uint64_t dropped = ~map.keep_word(w);
      if (w + 1 == words && map.rows() % 64 != 0)
        dropped &= (std::uint64_t{1} << (map.rows() % 64)) - 1;  // rows past the end
      while (dropped) {
        const std::size_t row = w * 64 + static_cast<std::size_t>(__builtin_ctzll(dropped));
        if (row > run && out != run) std::memmove(data + out, data + run, (row - run) * sizeof(T));
        out += row - run;
        run = row + 1;
        dropped &= dropped - 1;
      }
    }
    if (map.rows() > run && out != run)
      std::memmove(data + out, data + run, (map.rows() - run) * sizeof(T));
    out += map.rows() - run;
  } else {
    for (std::size_t w = 0; w < words; ++w) {
      std::uint64_t keep = map.keep_word(w);
      while (keep) {
        const std::size_t i = w * 64 + static_cast<std::size_t>(__builtin_ctzll(keep));
        if (out != i) column[out] = std::move(column[i]);
        ++out;
        keep &= keep - 1;
      }
    }
  }
  column.resize(out);
}

// ---- template definitions ----

template <class T>
std::vector<T>& ColumnTable::add(const ColumnSpec<T>& spec) {
  if (Stored* s = stored(spec.name)) {
    if (s->type() != typeid(T) || s->links_to != spec.links_to)
      throw std::logic_error("column '" + std::string(spec.name) + "' of table '" + name_ +
                             "' added twice with a different type or link");
    return static_cast<StoredColumn<T>*>(s)->data;
  }
  bool member = false;
  for_each_column(
      [&](const ColumnInfo& info, auto&, const auto&) { member |= info.name == spec.name; });
  if (member)
    throw std::logic_error("column '" + std::string(spec.name) + "' is a member column of table '" +
                           name_ + "'");
  auto column = std::make_unique<StoredColumn<T>>();
  column->name = std::string(spec.name);
  column->links_to = std::string(spec.links_to);
  column->fill = spec.fill;
  column->data.assign(rows(), spec.fill);
  std::vector<T>& data = column->data;
  added_.push_back(std::move(column));
  return data;
}

template <class T>
std::vector<T>* ColumnTable::find(const ColumnSpec<T>& spec) {
  Stored* s = stored(spec.name);
  if (!s) return nullptr;
  if (s->type() != typeid(T))
    throw std::logic_error("column '" + std::string(spec.name) + "' of table '" + name_ +
                           "' read with another element type");
  return &static_cast<StoredColumn<T>*>(s)->data;
}

template <class T>
std::vector<T>& ColumnTable::get(const ColumnSpec<T>& spec) {
  std::vector<T>* column = find(spec);
  if (!column)
    throw std::logic_error("table '" + name_ + "' has no column '" + std::string(spec.name) +
                           "' (the module that owns it adds it when it initialises)");
  return *column;
}

}  // namespace plansim

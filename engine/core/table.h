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
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
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

/// Which rows a compaction keeps: old row i moves to new_row[i], or is dropped (kNoRow).
struct RowMap {
  std::vector<std::uint32_t> new_row;
  std::uint32_t kept = 0;
  /// Keeps the rows whose `drop` flag is 0, in their order.
  static RowMap keep_unless(const std::vector<std::uint8_t>& drop);
  bool keeps_all() const { return kept == new_row.size(); }
  /// Where a link to old row `row` points after the compaction (kNoRow for a dropped row or a
  /// link that pointed nowhere).
  std::uint32_t operator()(std::uint32_t row) const {
    return row < new_row.size() ? new_row[row] : kNoRow;
  }
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

/// Keeps the rows `map` keeps in one column, in parallel; the single gather of the engine.
template <class T>
void gather_column(std::vector<T>& column, const RowMap& map) {
  std::vector<T> out(map.kept);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, column.size(), 1 << 16),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i != r.end(); ++i)
                        if (map.new_row[i] != kNoRow) out[map.new_row[i]] = std::move(column[i]);
                    });
  column.swap(out);
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

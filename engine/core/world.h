// The World: structure-of-arrays agent tables of one run (one scenario, one replicate).
//
// Each table keeps one contiguous column per attribute and a stable 64-bit id per agent apart
// from its row. Rows change when the tables are compacted (once a year, after removals); links
// between tables are row indices, rewritten by compact_rows(). Core holds the persons' and
// households' own columns and the zones; every model's columns, tables and state belong to its
// module, which adds them to the persons or keeps them in `modules`.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

#include "core/table.h"

namespace plansim {

enum Sex : std::uint8_t { kMale = 0, kFemale = 1 };

/// Highest level completed (census categories).
enum Education : std::uint8_t {
  kNoSchooling = 0,  // includes children not yet at school
  kPrimary = 1,
  kJuniorHigh = 2,
  kSeniorHigh = 3,
  kCollege = 4,  // college (大专) and above
};
inline constexpr int kEducationLevels = 5;

/// Age is kept in completed years and capped here (the oldest open age group).
inline constexpr int kMaxAge = 110;

/// Persons: one row per simulated person. The core columns are members; modules add the columns
/// they own (ColumnTable::add: the economy's labour status, employer and wage, the services'
/// school and care columns, ...), which every table operation then covers too.
struct PersonTable : ColumnTable {
  static inline const ColumnSpec<std::uint64_t> kId{"id", 0};
  static inline const ColumnSpec<std::uint8_t> kAge{"age", 0};
  static inline const ColumnSpec<std::uint8_t> kSex{"sex", 0};
  static inline const ColumnSpec<std::uint8_t> kEducation{"education", 0};
  static inline const ColumnSpec<std::uint32_t> kHousehold{"household", kNoRow, "households"};
  static inline const ColumnSpec<std::uint32_t> kPartner{"partner", kNoRow, "persons"};
  static inline const ColumnSpec<std::uint8_t> kRemoved{"removed", 0};

  PersonTable() : ColumnTable("persons") {}

  std::vector<std::uint64_t> id;
  std::vector<std::uint8_t> age;         // completed years
  std::vector<std::uint8_t> sex;         // Sex
  std::vector<std::uint8_t> education;   // Education
  std::vector<std::uint32_t> household;  // row in HouseholdTable
  std::vector<std::uint32_t> partner;    // row of the spouse/partner in this table, or kNoRow
  std::vector<std::uint8_t> removed;     // 1 = died or left this year; dropped by compact()
  std::size_t size() const { return id.size(); }
  /// Appends one person (partner kNoRow, not removed, every added column at its fill); returns
  /// the new row.
  std::uint32_t append(std::uint64_t person_id, std::uint8_t person_age, std::uint8_t person_sex,
                       std::uint8_t person_education, std::uint32_t household_row);

 protected:
  void members(ColumnVisitor& v) override {
    member(v, kId, id);
    member(v, kAge, age);
    member(v, kSex, sex);
    member(v, kEducation, education);
    member(v, kHousehold, household);
    member(v, kPartner, partner);
    member(v, kRemoved, removed);
  }
};

/// Households: one row per household, with the household -> members index (CSR) that
/// rebuild_members() derives from persons.household.
struct HouseholdTable : ColumnTable {
  static inline const ColumnSpec<std::uint64_t> kId{"id", 0};
  static inline const ColumnSpec<std::uint16_t> kZone{"zone", 0};
  static inline const ColumnSpec<std::uint8_t> kRemoved{"removed", 0};

  HouseholdTable() : ColumnTable("households") {}

  std::vector<std::uint64_t> id;
  std::vector<std::uint16_t> zone;    // row in the city's zone list
  std::vector<std::uint8_t> removed;  // 1 = dissolved or emigrated; dropped by compact()
  // household -> member rows (CSR), ordered by person row; valid after rebuild_members(). An
  // index, not columns: rebuilt after every change of persons.household. {0}: the valid index of
  // a table without households.
  std::vector<std::uint32_t> member_offset = {0};  // size() + 1 entries
  std::vector<std::uint32_t> member_row;

  std::size_t size() const { return id.size(); }
  std::uint32_t append(std::uint64_t household_id, std::uint16_t household_zone);
  std::uint32_t member_count(std::uint32_t row) const {
    return member_offset[row + 1] - member_offset[row];
  }
  /// Bytes of the columns and of the members index.
  std::size_t bytes() const;

 protected:
  void members(ColumnVisitor& v) override {
    member(v, kId, id);
    member(v, kZone, zone);
    member(v, kRemoved, removed);
  }
};

/// Kind of zone (sub-district): built-out old town, new district with land to develop, or an
/// area designated for transit-oriented development.
enum class ZoneType : std::uint8_t { kOldTown = 0, kNewDistrict = 1, kTodArea = 2 };
inline constexpr int kZoneTypes = 3;

/// A zone (sub-district) as named in the city config, with its geometry when known.
struct ZoneLabel {
  std::string key;      // ASCII key used in scenarios and output, e.g. "linshanzhai"
  std::string name_zh;  // e.g. "林山寨"
  std::string name_en;  // e.g. "Linshanzhai"
  double x_m = std::numeric_limits<double>::quiet_NaN();  // centroid, projected metres (east)
  double y_m = std::numeric_limits<double>::quiet_NaN();  // centroid, projected metres (north)
  double area_km2 = std::numeric_limits<double>::quiet_NaN();
};

/// Data a module keeps in the World: its tables (a ColumnTable, e.g. the economy's firms) or
/// other run state (e.g. the space module's land use). One object per type; the type names itself
/// with `static constexpr std::string_view kName` (for messages and requirement checks).
class ModuleData {
 public:
  ModuleData() = default;
  ModuleData(const ModuleData& other);
  ModuleData& operator=(const ModuleData& other);
  ModuleData(ModuleData&&) noexcept = default;
  ModuleData& operator=(ModuleData&&) noexcept = default;

  /// A fresh T, replacing one that is there.
  template <class T>
  T& emplace() {
    auto entry = std::make_unique<Entry<T>>();
    T& value = entry->value;
    if (Base* old = lookup(typeid(T))) {
      for (auto& e : entries_)
        if (e.get() == old) e = std::move(entry);
    } else {
      entries_.push_back(std::move(entry));
    }
    return value;
  }
  /// The T that is there, or a fresh one.
  template <class T>
  T& ensure() {
    if (T* value = find<T>()) return *value;
    return emplace<T>();
  }
  template <class T>
  T* find() {
    Base* b = lookup(typeid(T));
    return b ? &static_cast<Entry<T>*>(b)->value : nullptr;
  }
  template <class T>
  const T* find() const {
    return const_cast<ModuleData*>(this)->find<T>();
  }
  /// The T that is there; std::logic_error naming it when no module created it.
  template <class T>
  T& get() {
    if (T* value = find<T>()) return *value;
    throw std::logic_error("the World has no " + std::string(T::kName) +
                           " (the module that owns it creates it when it initialises)");
  }
  template <class T>
  const T& get() const {
    return const_cast<ModuleData*>(this)->get<T>();
  }
  /// The module tables, in the order they were created.
  std::vector<ColumnTable*> tables();
  /// f(ColumnTable&) for each module table, in the order they were created (no allocation).
  template <class F>
  void for_each_table(F&& f) {
    for (auto& e : entries_)
      if (ColumnTable* t = e->table()) f(*t);
  }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual std::unique_ptr<Base> clone() const = 0;
    virtual const std::type_info& type() const = 0;
    virtual ColumnTable* table() = 0;
  };
  template <class T>
  struct Entry final : Base {
    T value;
    std::unique_ptr<Base> clone() const override { return std::make_unique<Entry>(*this); }
    const std::type_info& type() const override { return typeid(T); }
    ColumnTable* table() override {
      if constexpr (std::is_base_of_v<ColumnTable, T>)
        return &value;
      else
        return nullptr;
    }
  };
  Base* lookup(const std::type_info& type) const;
  std::vector<std::unique_ptr<Base>> entries_;
};

/// Buffers of compact() and rebuild_members(), kept across years so that the yearly compaction
/// does not allocate once they have grown.
struct CompactionBuffers {
  RowMap persons, households;
  std::vector<std::uint8_t> drop_household;
};

struct World {
  int year = 0;                  // the year being simulated (state at 1 January of `year`)
  double person_weight = 1.0;    // persons represented by one simulated person (1 / run.scale)
  std::vector<ZoneLabel> zones;  // zone row -> labels (set by the synthesis process)
  PersonTable persons;
  HouseholdTable households;
  ModuleData modules;  // tables and state the modules own (firms, facilities, land use, ...)
  std::uint64_t next_person_id = 1;
  std::uint64_t next_household_id = 1;
  CompactionBuffers compaction;

  std::uint16_t zone_count() const { return static_cast<std::uint16_t>(zones.size()); }
  std::uint64_t new_person_id() { return next_person_id++; }
  std::uint64_t new_household_id() { return next_household_id++; }
  // Shorthands for `modules`.
  template <class T>
  T* find() {
    return modules.find<T>();
  }
  template <class T>
  const T* find() const {
    return modules.find<T>();
  }
  template <class T>
  T& get() {
    return modules.get<T>();
  }
  template <class T>
  const T& get() const {
    return modules.get<T>();
  }
};

/// Rebuilds household -> members (CSR) from persons.household, members in row order. Parallel
/// (each thread fills one range of households from a scan of persons.household), deterministic:
/// the index is the same at any thread count. No allocation once the index has grown.
void rebuild_members(World& world);

/// Every table of the World: persons, households and the module tables.
std::vector<ColumnTable*> world_tables(World& world);

/// The one compaction: keeps the rows of `table` that `map` keeps and rewrites every link into
/// `table` held by any table of the World (a link to a dropped row becomes kNoRow).
void compact_rows(World& world, ColumnTable& table, const RowMap& map);

/// Drops removed persons and households, and households left without members; remaps
/// persons.household and persons.partner (a partner who was removed becomes kNoRow) and rebuilds
/// the CSR. Relative row order is kept, so ids stay sorted if they were. Deterministic.
void compact(World& world);

/// Internal consistency: links in range, partners symmetric, no removed rows, no empty
/// household, CSR matching persons.household. Returns a description of the first problem, or "".
std::string check_invariants(const World& world);

}  // namespace plansim

// The economy's data in the World: its person columns (labour status, employer, wage), the firm
// table, and what it takes from a land-use model (ZoneInputs). The economy process creates them in
// initialize(); other modules read them through these types.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/table.h"
#include "core/world.h"

namespace plansim {

/// Labour-market status (economy process).
enum LabourStatus : std::uint8_t {
  kNotInLabourForce = 0,  // children, students, inactive adults
  kEmployed = 1,
  kUnemployed = 2,
  kRetired = 3,
};

/// The economy's columns of the person table; a person the economy has not seen yet (a newborn,
/// an immigrant) is out of the labour force, without a job or a wage.
template <bool kConst>
struct BasicPersonJobs {
  static inline const ColumnSpec<std::uint8_t> kLabourStatus{"labour_status", kNotInLabourForce};
  static inline const ColumnSpec<std::uint32_t> kEmployer{"employer", kNoRow, "firms"};
  static inline const ColumnSpec<float> kWage{"wage_yuan", 0.0f};

  template <class T>
  using Column = std::conditional_t<kConst, const std::vector<T>&, std::vector<T>&>;
  using Persons = std::conditional_t<kConst, const PersonTable&, PersonTable&>;

  /// Binds the columns; std::logic_error when the economy has not added them.
  explicit BasicPersonJobs(Persons persons)
      : labour_status(persons.get(kLabourStatus)),
        employer(persons.get(kEmployer)),
        wage_yuan(persons.get(kWage)) {}

  Column<std::uint8_t> labour_status;  // LabourStatus
  Column<std::uint32_t> employer;      // row in the FirmTable, or kNoRow
  Column<float> wage_yuan;             // annual gross wage, yuan (0 if not employed)
};
using PersonJobs = BasicPersonJobs<false>;
using ConstPersonJobs = BasicPersonJobs<true>;

/// Adds the economy's person columns (at their defaults for persons not seen yet).
inline PersonJobs add_person_jobs(PersonTable& persons) {
  persons.add(PersonJobs::kLabourStatus);
  persons.add(PersonJobs::kEmployer);
  persons.add(PersonJobs::kWage);
  return PersonJobs(persons);
}

/// Firms. Rows are compacted by the economy process (compact_firms), which moves persons.employer
/// with them.
struct FirmTable : ColumnTable {
  static constexpr std::string_view kName = "firms";
  FirmTable() : ColumnTable(std::string(kName)) {}

  std::vector<std::uint64_t> id;
  std::vector<std::uint8_t> sector;  // index into the economy config's sector list
  std::vector<std::uint16_t> zone;
  std::vector<std::uint32_t> employees;  // persons linked through persons.employer
  std::vector<std::uint32_t> vacancies;
  std::vector<float> productivity_yuan;  // value added per worker per year
  std::vector<float> value_added_yuan;   // per year, current prices
  std::vector<float> wage_level_yuan;    // mean annual wage offered
  std::vector<float> rd_spending_yuan;   // per year
  std::vector<std::uint8_t> age;         // years since entry
  std::vector<std::uint8_t> removed;     // 1 = exited this year
  std::size_t size() const { return id.size(); }

 protected:
  void members(ColumnVisitor& v) override {
    member(v, ColumnSpec<std::uint64_t>{"id"}, id);
    member(v, ColumnSpec<std::uint8_t>{"sector"}, sector);
    member(v, ColumnSpec<std::uint16_t>{"zone"}, zone);
    member(v, ColumnSpec<std::uint32_t>{"employees"}, employees);
    member(v, ColumnSpec<std::uint32_t>{"vacancies"}, vacancies);
    member(v, ColumnSpec<float>{"productivity_yuan"}, productivity_yuan);
    member(v, ColumnSpec<float>{"value_added_yuan"}, value_added_yuan);
    member(v, ColumnSpec<float>{"wage_level_yuan"}, wage_level_yuan);
    member(v, ColumnSpec<float>{"rd_spending_yuan"}, rd_spending_yuan);
    member(v, ColumnSpec<std::uint8_t>{"age"}, age);
    member(v, ColumnSpec<std::uint8_t>{"removed"}, removed);
  }
};

/// The general price level that the economy simulates, for the nominal figures of other processes
/// (the housing process's nominal price index): the GDP deflator of the year, base year = 1.
struct PriceLevel {
  static constexpr std::string_view kName = "price level";
  double gdp_deflator = 1.0;
};

/// What the economy takes from a land-use model when one runs (the space module's housing process
/// and TOD interventions publish it; see engine/space/README.md): generalised travel costs between
/// zones, which replace centroid distances in the commuting weights, and the job floor space zoned
/// in each zone, which replaces the config's land for jobs. Absent or empty: the economy uses its
/// own geography.
struct ZoneInputs {
  static constexpr std::string_view kName = "economy zone inputs";
  std::vector<float> travel_cost_minutes;     // [from * zones + to]
  std::vector<double> job_floor_capacity_m2;  // by zone
};

}  // namespace plansim

// Shared helpers of the demography tests and benchmark: synthetic worlds built from fixed shares,
// simple rate sets, hand-built ParamNode trees, and a harness that steps the process.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/process.h"
#include "core/results.h"
#include "core/rng.h"
#include "core/simulation.h"
#include "core/world.h"
#include "population/demography.h"

namespace plansim::demography_test {

/// SplitMix64: builds test worlds (independent of the engine's streams).
class TestRandom {
 public:
  explicit TestRandom(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  int between(int lo, int hi) { return lo + static_cast<int>(uniform() * (hi - lo + 1)); }

 private:
  std::uint64_t state_;
};

/// A district of about `persons` persons in `zones` zones: couples with children (some adult
/// children still at home), three-generation households, single adults and elderly couples.
/// Partners are linked and live together; ids increase with rows; the CSR is built.
inline World make_world(std::size_t persons, std::uint16_t zones, std::uint64_t seed = 7) {
  World world;
  world.year = 2020;
  for (std::uint16_t z = 0; z < zones; ++z)
    world.zones.push_back(
        {"zone" + std::to_string(z), "区" + std::to_string(z), "Zone " + std::to_string(z)});
  TestRandom random(seed);
  auto& p = world.persons;
  auto& h = world.households;
  p.reserve(persons + 8);
  const auto add = [&](std::uint32_t home, int age, Sex sex) {
    const int a = std::clamp(age, 0, kMaxAge);
    const std::uint8_t edu =
        a >= 22 ? static_cast<std::uint8_t>(random.between(1, 4)) : std::uint8_t{kNoSchooling};
    return p.append(world.new_person_id(), static_cast<std::uint8_t>(a), sex, edu, home);
  };
  const auto couple = [&](std::uint32_t home, int man_age, int woman_age) {
    const std::uint32_t m = add(home, man_age, kMale), w = add(home, woman_age, kFemale);
    p.partner[m] = w;
    p.partner[w] = m;
    return std::min(man_age, woman_age);
  };
  while (p.size() < persons) {
    const std::uint32_t home =
        h.append(world.new_household_id(), static_cast<std::uint16_t>(random.next() % zones));
    const double type = random.uniform();
    if (type < 0.45) {  // couple with children
      const int woman = random.between(24, 58);
      couple(home, woman + random.between(-1, 5), woman);
      const int children = random.between(0, 2);
      for (int k = 0; k < children; ++k)
        add(home, std::max(0, woman - random.between(21, 36)),
            random.uniform() < 0.52 ? kMale : kFemale);
    } else if (type < 0.55) {  // three generations: grandparent, couple, child
      add(home, random.between(62, 95), random.uniform() < 0.35 ? kMale : kFemale);
      const int woman = random.between(30, 50);
      couple(home, woman + random.between(0, 4), woman);
      add(home, std::max(0, woman - random.between(22, 32)),
          random.uniform() < 0.52 ? kMale : kFemale);
    } else if (type < 0.78) {  // single adult
      add(home, random.between(18, 90), random.uniform() < 0.5 ? kMale : kFemale);
    } else {  // older couple
      const int woman = random.between(55, 92);
      couple(home, woman + random.between(0, 4), woman);
    }
  }
  rebuild_members(world);
  return world;
}

/// Gompertz-like mortality, flat fertility 20-39, no migration, unions, leaving home or divorce,
/// no calibration: each test switches on what it measures.
inline DemographyRates simple_rates() {
  DemographyRates r;
  r.base_year = 2020;
  for (int a = 0; a < kAges; ++a) {
    r.death_rate[kMale][a] =
        std::min(2.0, 0.0003 * std::exp(0.085 * (a - 20)) + (a == 0 ? 0.006 : 0.0));
    r.death_rate[kFemale][a] = 0.7 * r.death_rate[kMale][a];
    r.fertility_rate[a] = (a >= 20 && a <= 39) ? 0.065 : 0.0;
  }
  r.tfr = 1.3;
  r.calibrate = false;
  r.migration_age_profile = r.migration_profile.schedule();
  for (auto& s : r.union_rate) s.fill(0.0);
  r.leaving_home_rate.fill(0.0);
  return r;
}

/// Zero mortality and fertility (for tests of one other event).
inline DemographyRates no_vital_events() {
  DemographyRates r = simple_rates();
  for (auto& s : r.death_rate) s.fill(0.0);
  r.fertility_rate.fill(0.0);
  return r;
}

/// Union, leaving-home and divorce rates in the shape of the Zhongyuan config.
inline void set_household_rates(DemographyRates& r) {
  for (int a = 0; a < kAges; ++a) {
    r.union_rate[kMale][a] = a >= 22 && a <= 49 ? (a < 35 ? 0.15 : 0.05) : 0.0;
    r.union_rate[kFemale][a] = a >= 20 && a <= 49 ? (a < 33 ? 0.16 : 0.05) : 0.0;
    r.leaving_home_rate[a] = a >= 18 && a <= 40 ? 0.06 : 0.0;
  }
  r.divorce_rate_per_couple = 0.0107;
}

/// Runs a demography process on a test's World with the core's own loop (core/simulation.h
/// ReplicateRun: begin_year, step, end_year of each year, years in order from run.start),
/// recording into its own results.
class Harness {
 public:
  explicit Harness(std::uint64_t seed = 20211116, int start = 2020, int end = 2040) {
    run_.start_year = start;
    run_.end_year = end;
    run_.seed = seed;
    DemographyProcess::declare_series(catalog_);
  }
  /// The weight of a simulated person (World::person_weight, set on the World at initialize).
  void set_weight(double w) { weight_ = w; }
  void initialize(DemographyProcess& process, World& world) {
    world.person_weight = weight_;
    run_on_.reset();
    run_on_ = std::make_unique<ReplicateRun>(
        ProcessSchedule{run_, &catalog_, {"demography"}, {kProcessId}, {&process}}, 0, world);
  }
  /// One year (the next one); returns the index of its row in results().
  std::size_t step(DemographyProcess&, World& world, int year) {
    if (!run_on_ || &run_on_->world() != &world || year != run_on_->next_year())
      throw std::logic_error("Harness::step: initialize(process, world) first; years run in order");
    run_on_->run_year();
    return results().years.size() - 1;
  }
  std::int64_t event(const std::string& key, std::size_t row) const {
    const auto& v = results().events.at(key);
    return row < v.size() ? v[row] : 0;
  }
  const ReplicateResults& results() const { return run_on_->results(); }
  RunSettings& run() { return run_; }
  SeriesCatalog& catalog() { return catalog_; }

  static constexpr ProcessId kProcessId = 2;

 private:
  RunSettings run_;
  SeriesCatalog catalog_;
  double weight_ = 1.0;
  std::unique_ptr<ReplicateRun> run_on_;
};

// ---- hand-built parameter trees (what io/ makes of YAML and CSV) ----

/// Builds located nodes with increasing line numbers in one file.
class TreeBuilder {
 public:
  explicit TreeBuilder(std::string file) : file_(std::move(file)) {}
  SourceLoc next_line(int column = 3) { return SourceLoc{file_, line_++, column}; }
  static ParamNode map(const std::string& path, SourceLoc loc = {}) {
    return ParamNode(ParamNode::Kind::Map, std::move(loc), path);
  }
  ParamNode& sub(ParamNode& parent, const std::string& key) {
    const SourceLoc loc = next_line();
    return parent.set(key, loc, map(join(parent.path(), key), loc));
  }
  void put(ParamNode& parent, const std::string& key, const std::string& value) {
    const SourceLoc loc = next_line();
    parent.set(key, loc,
               ParamNode::scalar(
                   value, SourceLoc{file_, loc.line, loc.column + static_cast<int>(key.size()) + 2},
                   join(parent.path(), key)));
  }
  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

 private:
  std::string file_;
  int line_ = 1;
};

/// A CSV table as io/ delivers it: a Sequence of Maps; header on line 1, row r on line r + 2,
/// cells located at their column.
inline ParamNode csv_table(const std::string& file, const std::string& path,
                           const std::vector<std::string>& header,
                           const std::vector<std::vector<std::string>>& rows) {
  ParamNode table(ParamNode::Kind::Sequence, SourceLoc{file, 1, 1}, path);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const int line = static_cast<int>(r) + 2;
    const std::string row_path = path + "[" + std::to_string(r) + "]";
    ParamNode row(ParamNode::Kind::Map, SourceLoc{file, line, 1}, row_path);
    int column = 1;
    for (std::size_t k = 0; k < header.size(); ++k) {
      row.set(
          header[k], SourceLoc{file, 1, 1},
          ParamNode::scalar(rows[r][k], SourceLoc{file, line, column}, row_path + "." + header[k]));
      column += static_cast<int>(rows[r][k].size()) + 1;
    }
    table.items().push_back(std::move(row));
  }
  return table;
}

/// The city file demography.yaml as in configs/zhongyuan, built by hand (tables from
/// /data: WPP2022 China 2015-2020 mortality, census-based ASFR).
inline ParamNode zhongyuan_city_file() {
  TreeBuilder b("demography.yaml");
  ParamNode root = TreeBuilder::map("", SourceLoc{"demography.yaml", 1, 1});
  b.put(root, "base_year", "2020");
  ParamNode& mortality = b.sub(root, "mortality");
  const std::vector<std::vector<std::string>> m = {
      {"0", "0", "8.246", "7.273"},   {"1", "4", "0.425", "0.377"},
      {"5", "9", "0.343", "0.296"},   {"10", "14", "0.471", "0.302"},
      {"15", "19", "0.563", "0.346"}, {"20", "24", "0.785", "0.478"},
      {"25", "29", "0.967", "0.566"}, {"30", "34", "1.041", "0.605"},
      {"35", "39", "1.295", "0.747"}, {"40", "44", "2.246", "1.180"},
      {"45", "49", "3.448", "1.694"}, {"50", "54", "5.725", "2.734"},
      {"55", "59", "8.369", "3.897"}, {"60", "64", "14.87", "6.953"},
      {"65", "69", "22.99", "11.75"}, {"70", "74", "37.51", "21.30"},
      {"75", "79", "61.18", "37.91"}, {"80", "84", "103.3", "70.74"},
      {"85", "89", "169.4", "121.0"}, {"90", "94", "283.9", "206.7"},
      {"95", "99", "490.0", "338.4"}, {"100", "110", "873.3", "510.0"}};
  mortality.set("table", b.next_line(),
                csv_table("demography_mortality.csv", "mortality.table",
                          {"age_from", "age_to", "m_male_per_1000", "m_female_per_1000"}, m));
  b.put(mortality, "improvement_per_year", "0.015");
  ParamNode& fertility = b.sub(root, "fertility");
  fertility.set("asfr", b.next_line(),
                csv_table("demography_fertility.csv", "fertility.asfr",
                          {"age_from", "age_to", "births_per_1000_women"},
                          {{"15", "19", "4.8"},
                           {"20", "24", "48.0"},
                           {"25", "29", "97.8"},
                           {"30", "34", "70.2"},
                           {"35", "39", "30.1"},
                           {"40", "44", "7.4"},
                           {"45", "49", "1.7"}}));
  b.put(fertility, "tfr", "1.3");
  b.put(root, "sex_ratio_at_birth", "110.58");
  ParamNode& calibration = b.sub(root, "calibration");
  b.put(calibration, "calibrate", "true");
  b.put(calibration, "target_crude_birth_rate_per_1000", "9.5");
  b.put(calibration, "target_crude_death_rate_per_1000", "4.8");
  ParamNode& migration = b.sub(root, "migration");
  b.put(migration, "in_migrants_per_1000", "50");
  b.put(migration, "out_migrants_per_1000", "40");
  ParamNode& profile = b.sub(migration, "age_profile");
  b.put(profile, "childhood_level", "0.02");
  b.put(profile, "childhood_decline", "0.1");
  b.put(profile, "labour_level", "0.06");
  b.put(profile, "labour_location_age", "20");
  b.put(profile, "labour_rise", "0.4");
  b.put(profile, "labour_decline", "0.1");
  b.put(profile, "constant", "0.003");
  ParamNode& households = b.sub(migration, "in_migrant_households");
  b.put(households, "single", "0.55");
  b.put(households, "couple", "0.15");
  b.put(households, "family", "0.30");
  b.put(households, "family_two_children_share", "0.3");
  b.put(migration, "zone_choice", "population");
  {
    const SourceLoc loc = b.next_line();
    ParamNode shares(ParamNode::Kind::Sequence, loc, "migration.in_migrant_education_shares");
    for (const char* v : {"0.025", "0.065", "0.21", "0.25", "0.45"})
      shares.items().push_back(
          ParamNode::scalar(v, loc, "migration.in_migrant_education_shares[]"));
    migration.set("in_migrant_education_shares", loc, std::move(shares));
  }
  ParamNode& unions = b.sub(root, "unions");
  unions.set(
      "rates", b.next_line(),
      csv_table("demography_unions.csv", "unions.rates", {"age_from", "age_to", "male", "female"},
                {{"20", "21", "0", "0.05"},
                 {"22", "25", "0.08", "0.14"},
                 {"26", "29", "0.16", "0.18"},
                 {"30", "34", "0.16", "0.12"},
                 {"35", "49", "0.06", "0.05"}}));
  b.put(unions, "partner_age_gap_years", "2");
  b.put(unions, "max_partner_age_deviation_years", "8");
  ParamNode& leaving = b.sub(root, "leaving_home");
  leaving.set("rates", b.next_line(),
              csv_table("demography_leaving_home.csv", "leaving_home.rates",
                        {"age_from", "age_to", "probability"},
                        {{"18", "21", "0.03"}, {"22", "29", "0.07"}, {"30", "39", "0.05"}}));
  b.put(leaving, "older_generation_gap_years", "15");
  ParamNode& divorce = b.sub(root, "divorce");
  b.put(divorce, "rate_per_couple", "0.0107");
  return root;
}

/// Persons under 15 in a household without a member aged 18 or over ("" when none).
inline std::string child_without_adult(const World& world) {
  const auto& h = world.households;
  const auto& p = world.persons;
  for (std::size_t k = 0; k < h.size(); ++k) {
    bool adult = false, child = false;
    for (std::uint32_t m = h.member_offset[k]; m < h.member_offset[k + 1]; ++m) {
      adult |= p.age[h.member_row[m]] >= kAdultAge;
      child |= p.age[h.member_row[m]] < kChildAgeLimit;
    }
    if (child && !adult) return "household " + std::to_string(h.id[k]);
  }
  return "";
}

}  // namespace plansim::demography_test

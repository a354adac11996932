#include "services/education.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <map>

#include "test_support.h"

namespace plansim {
namespace {

using test::add_household;
using test::add_people;
using test::FlowYaml;
using test::Harness;

// Three zones on a line: a at 0 km, b at 2 km, c at 10 km (1 km² each).
World three_zones() {
  return test::make_world(
      {test::zone("a", 0, 0), test::zone("b", 2000, 0), test::zone("c", 10000, 0)});
}

std::string city_text(const std::string& rows,
                      const std::string& education = "{kindergarten_participation: [1, 1, 1]}") {
  return "{facilities: {schools: [" + rows + "]}, education: " + education + ", " +
         test::kQuietEldercare + "}";
}

std::string row(const std::string& name, const std::string& kind, const std::string& zone,
                int capacity, bool is_public = true) {
  return "{name: " + name + ", kind: " + kind + ", zone: " + zone +
         ", capacity: " + std::to_string(capacity) + ", public: " + (is_public ? "true" : "false") +
         "}, ";
}

struct EducationRun {
  Harness harness;
  explicit EducationRun(const std::string& city, RunSettings run = test::run_settings())
      : harness(run, test::city_with_facilities(city)) {
    const std::string errors = harness.add(std::make_unique<EducationProcess>(), 5);
    EXPECT_EQ(errors, "");
  }
  EducationProcess& process() { return harness.process<EducationProcess>(0); }
};

std::uint16_t zone_of_facility(const World& w, std::uint32_t row) {
  return test::facilities(w).zone[row];
}
std::uint16_t home_zone(const World& w, std::size_t person) {
  return w.households.zone[w.persons.household[person]];
}

TEST(Education, AmpleCapacityPlacesEveryoneInTheHomeZone) {
  World w = three_zones();
  add_people(w, 0, 4, 6);   // kindergarten
  add_people(w, 0, 7, 10);  // primary
  add_people(w, 1, 8, 8);
  add_people(w, 2, 13, 5);  // junior
  add_people(w, 2, 30, 4);  // adults
  EducationRun run(city_text(row("Ka", "kindergarten", "a", 100) +
                             row("Kb", "kindergarten", "b", 100) + row("Pa", "primary", "a", 100) +
                             row("Pb", "primary", "b", 100) + row("Pc", "primary", "c", 100) +
                             row("Jc", "junior_middle", "c", 100) +
                             row("Ja", "junior_middle", "a", 100)));
  run.harness.initialize(w);
  run.harness.run_year(w, 2020);
  const EducationYear& y = run.process().last_year();
  EXPECT_EQ(y.demand[kLevelKindergarten], 6u);
  EXPECT_EQ(y.demand[kLevelPrimary], 18u);
  EXPECT_EQ(y.demand[kLevelJunior], 5u);
  for (int l = 0; l < kSchoolLevels; ++l) EXPECT_EQ(y.unplaced[l], 0u);
  for (std::size_t i = 0; i < w.persons.size(); ++i) {
    const std::uint32_t f = test::school(w)[i];
    if (w.persons.age[i] >= 18) {
      EXPECT_EQ(f, kNoRow);
      continue;
    }
    ASSERT_NE(f, kNoRow) << "person " << i;
    EXPECT_EQ(zone_of_facility(w, f), home_zone(w, i));
    const int expected_kind = w.persons.age[i] <= 5    ? kKindergarten
                              : w.persons.age[i] <= 11 ? kPrimarySchool
                                                       : kJuniorMiddleSchool;
    EXPECT_EQ(test::facilities(w).kind[f], expected_kind);
  }
  EXPECT_DOUBLE_EQ(run.harness.indicator("preschool_enrolment", 0), 100.0);
  EXPECT_DOUBLE_EQ(run.harness.indicator("unplaced_primary", 0), 0.0);
  // Everyone studies in the home zone: the mean distance is the within-zone mean of a 1 km² disc.
  EXPECT_NEAR(run.harness.indicator("mean_school_distance_km", 0),
              2.0 / 3.0 * std::sqrt(1.0 / M_PI), 1e-6);
}

TEST(Education, ZeroCapacityInAZoneOverflowsToTheNearestZone) {
  World w = three_zones();
  add_people(w, 0, 7, 8);  // zone a: 8 pupils, no places at home
  add_people(w, 1, 7, 3);  // zone b: 3 pupils, 5 places
  EducationRun run(city_text(row("Pa", "primary", "a", 0) + row("Pb", "primary", "b", 5) +
                             row("Pc", "primary", "c", 100)));
  run.harness.initialize(w);
  run.harness.run_year(w, 2020);
  std::map<std::string, int> from_a, from_b;
  for (std::size_t i = 0; i < w.persons.size(); ++i) {
    ASSERT_NE(test::school(w)[i], kNoRow);
    const std::string name = test::facilities(w).name[test::school(w)[i]];
    (home_zone(w, i) == 0 ? from_a : from_b)[name]++;
  }
  // b's own pupils first; the 2 places left in b go to a's first pupils (by id); the rest to c.
  EXPECT_EQ(from_b["Pb"], 3);
  EXPECT_EQ(from_a["Pb"], 2);
  EXPECT_EQ(from_a["Pc"], 6);
  for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ(test::facilities(w).name[test::school(w)[i]], "Pb");
  EXPECT_EQ(run.process().last_year().outside_home_zone[kLevelPrimary], 8u);
  // Distances: 3 at home (within-zone mean), 2 at 2 km, 6 at 10 km.
  const double home = 2.0 / 3.0 * std::sqrt(1.0 / M_PI);
  EXPECT_NEAR(run.harness.indicator("mean_school_distance_km", 0),
              (3 * home + 2 * 2.0 + 6 * 10.0) / 11.0, 1e-5);
  // Per-zone places per child: a has none, b 5 places for 3 children.
  const auto& ppc = run.harness.results().zones.at("places_per_child_primary");
  EXPECT_FLOAT_EQ(ppc[0], 0.0f);
  EXPECT_FLOAT_EQ(ppc[1], 5.0f / 3.0f);
  EXPECT_TRUE(std::isnan(ppc[2]));
}

TEST(Education, UnplacedChildrenAreCountedByZoneAndWaitAtTheirFirstChoice) {
  World w = three_zones();
  add_people(w, 0, 13, 7);
  add_people(w, 2, 13, 2);
  EducationRun run(
      city_text(row("Ja", "junior_middle", "a", 4) + row("Jb", "junior_middle", "b", 1)));
  run.harness.initialize(w);
  run.harness.run_year(w, 2020);
  const EducationYear& y = run.process().last_year();
  EXPECT_EQ(y.placed[kLevelJunior], 5u);
  EXPECT_EQ(y.unplaced[kLevelJunior], 4u);
  EXPECT_EQ(y.unplaced_by_zone[kLevelJunior], (std::vector<std::uint32_t>{2, 0, 2}));
  EXPECT_DOUBLE_EQ(run.harness.indicator("unplaced_junior", 0), 4.0);
  finalise_facility_panels(run.harness.results());
  const auto& waiting = run.harness.results().facilities.at("waiting");
  // Columns by facility id: Ja (1), Jb (2). a's unplaced wait for Ja; c's first choice is Jb.
  EXPECT_FLOAT_EQ(waiting[0], 2.0f);
  EXPECT_FLOAT_EQ(waiting[1], 2.0f);
}

// 生师比: enrolled pupils of a level / the teachers of its open facilities; NaN without teachers.
TEST(Education, PupilsPerTeacherDividesEnrolledPupilsByTeachers) {
  World w = three_zones();
  add_people(w, 0, 7, 30);  // 30 primary pupils, 24 places: 6 unplaced
  add_people(w, 0, 4, 5);   // 5 kindergarten children, no kindergarten
  EducationRun run(
      city_text("{name: P1, kind: primary, zone: a, capacity: 20, teachers: 1.5, public: true}, "
                "{name: P2, kind: primary, zone: b, capacity: 4, teachers: 0.5, public: true}, "));
  run.harness.initialize(w);
  run.harness.run_year(w, 2020);
  EXPECT_DOUBLE_EQ(run.harness.indicator("pupils_per_teacher_primary", 0), 24.0 / 2.0);
  EXPECT_TRUE(std::isnan(run.harness.indicator("pupils_per_teacher_kindergarten", 0)));
  EXPECT_TRUE(std::isnan(run.harness.indicator("pupils_per_teacher_junior", 0)));
}

TEST(Education, HomeZonePlacesAreSpreadInProportionToFreePlaces) {
  World w = three_zones();
  add_people(w, 0, 9, 30);
  EducationRun run(city_text(row("P1", "primary", "a", 20) + row("P2", "primary", "a", 40) +
                             row("P3", "primary", "a", 60)));
  run.harness.initialize(w);
  run.harness.run_year(w, 2020);
  EXPECT_EQ(test::facilities(w).occupancy, (std::vector<std::uint32_t>{5, 10, 15}));
}

TEST(Education, ContinuingPupilsKeepTheirPlaceWhenCapacityGrowsAtHome) {
  World w = three_zones();
  add_people(w, 0, 7, 8);
  EducationRun run(city_text(row("Pa", "primary", "a", 5) + row("Pb", "primary", "b", 20)));
  run.harness.initialize(w);
  run.harness.run_year(w, 2020);
  std::vector<std::uint32_t> first = test::school(w);
  EXPECT_EQ(test::facilities(w).occupancy, (std::vector<std::uint32_t>{5, 3}));
  for (auto& a : w.persons.age) ++a;
  add_people(w, 0, 6, 4);  // new pupils
  set_capacity(test::facilities(w), 0, 10);
  run.harness.run_year(w, 2021);
  for (std::size_t i = 0; i < first.size(); ++i) EXPECT_EQ(test::school(w)[i], first[i]) << i;
  // The new pupils fill the 5 new places at home (4 of them).
  for (std::size_t i = first.size(); i < w.persons.size(); ++i) EXPECT_EQ(test::school(w)[i], 0u);
  EXPECT_EQ(test::facilities(w).occupancy, (std::vector<std::uint32_t>{9, 3}));
}

TEST(Education, LeavingTheAgeRangeOrTheWorldFreesThePlace) {
  World w = three_zones();
  add_people(w, 0, 11, 3);
  add_people(w, 0, 14, 2);
  EducationRun run(city_text(row("Pa", "primary", "a", 5) + row("Ja", "junior_middle", "a", 5)));
  run.harness.initialize(w);
  run.harness.run_year(w, 2020);
  for (auto& a : w.persons.age) ++a;
  // One pupil died or left: gone (compacted away) before education's next year, as in a run.
  w.persons.removed[0] = 1;
  compact(w);
  run.harness.run_year(w, 2021);
  // Rows now: 12, 12 (moved up to junior middle), 15, 15 (left school); the primary is empty.
  EXPECT_EQ(test::facilities(w).kind[test::school(w)[0]], kJuniorMiddleSchool);
  EXPECT_EQ(test::facilities(w).kind[test::school(w)[1]], kJuniorMiddleSchool);
  EXPECT_EQ(test::school(w)[2], kNoRow);
  EXPECT_EQ(test::school(w)[3], kNoRow);
  EXPECT_EQ(test::facilities(w).occupancy, (std::vector<std::uint32_t>{0, 2}));
}

TEST(Education, KindergartenParticipationIsBinomialAndPersistsWithAge) {
  World w = three_zones();
  const int n = 4000;
  add_people(w, 1, 3, n);
  EducationRun run(city_text(row("Kb", "kindergarten", "b", 100000),
                             "{kindergarten_participation: [0.6, 0.8, 0.9]}"));
  run.harness.initialize(w);
  run.harness.run_year(w, 2020);
  const double enrolled = static_cast<double>(run.process().last_year().placed[kLevelKindergarten]);
  // Binomial(4000, 0.6): sd = 31; 4 sd.
  EXPECT_NEAR(enrolled, 0.6 * n, 4 * std::sqrt(n * 0.6 * 0.4));
  const std::vector<std::uint32_t> at3 = test::school(w);
  for (auto& a : w.persons.age) ++a;
  run.harness.run_year(w, 2021);
  std::size_t kept = 0, at3_enrolled = 0;
  for (std::size_t i = 0; i < at3.size(); ++i)
    if (at3[i] != kNoRow) {
      ++at3_enrolled;
      kept += test::school(w)[i] != kNoRow;
    }
  EXPECT_EQ(kept, at3_enrolled);  // once wanting a place, always wanting one
  const double at4 = static_cast<double>(run.process().last_year().placed[kLevelKindergarten]);
  EXPECT_NEAR(at4, 0.8 * n, 4 * std::sqrt(n * 0.8 * 0.2));
  EXPECT_NEAR(run.harness.indicator("preschool_enrolment", 1), 100.0 * at4 / n, 1e-9);
}

TEST(Education, KindergartenPublicShareCountsPlaces) {
  World w = three_zones();
  add_people(w, 0, 4, 1);
  EducationRun run(city_text(row("K1", "kindergarten", "a", 300, true) +
                             row("K2", "kindergarten", "b", 100, false)));
  run.harness.initialize(w);
  run.harness.run_year(w, 2020);
  EXPECT_DOUBLE_EQ(run.harness.indicator("kindergarten_public_share", 0), 75.0);
}

// "z3" (built by append: GCC 12 warns falsely on "z" + std::to_string(3) under -O2).
std::string numbered(const char* prefix, int n) {
  std::string s = prefix;
  s += std::to_string(n);
  return s;
}

// A bigger world with scarce, uneven capacity: the invariants of the issue.
World random_world(std::size_t households, std::uint64_t seed) {
  std::vector<ZoneLabel> zones;
  for (int z = 0; z < 6; ++z)
    zones.push_back(test::zone(numbered("z", z), 1500.0 * z, 700.0 * (z % 2), 2.0));
  World w = test::make_world(zones);
  std::uint64_t s = seed;
  const auto next = [&] {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(s >> 33);
  };
  for (std::size_t h = 0; h < households; ++h) {
    const auto zone = static_cast<std::uint16_t>(next() % 6);
    add_household(w, zone, {30 + static_cast<int>(next() % 10), static_cast<int>(next() % 16)});
  }
  return w;
}

std::string random_facilities(std::uint64_t seed) {
  std::string rows;
  std::uint64_t s = seed;
  const char* kinds[] = {"kindergarten", "primary", "junior_middle"};
  for (int z = 0; z < 6; ++z)
    for (int k = 0; k < 3; ++k)
      for (int copy = 0; copy < 2; ++copy) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        std::string name = numbered("F", z);
        name += kinds[k];
        name += std::to_string(copy);
        rows += row(name, kinds[k], numbered("z", z), static_cast<int>((s >> 40) % 120));
      }
  return rows;
}

TEST(Education, InvariantsHoldWithScarceUnevenCapacity) {
  World w = random_world(3000, 11);
  EducationRun run(
      city_text(random_facilities(5), "{kindergarten_participation: [0.7, 0.9, 0.95]}"));
  run.harness.initialize(w);
  for (int year = 2020; year <= 2023; ++year) {
    run.harness.run_year(w, year);
    const EducationYear& y = run.process().last_year();
    std::vector<std::uint32_t> users(test::facilities(w).size(), 0);
    std::array<std::uint64_t, kSchoolLevels> enrolled{};
    for (std::size_t i = 0; i < w.persons.size(); ++i) {
      const std::uint32_t f = test::school(w)[i];
      if (f == kNoRow) continue;
      ++users[f];
      ++enrolled[test::facilities(w).kind[f]];
      const int age = w.persons.age[i];
      const int level = age <= 5 ? 0 : age <= 11 ? 1 : 2;
      EXPECT_GE(age, 3);
      EXPECT_LE(age, 14);
      EXPECT_EQ(test::facilities(w).kind[f], level) << "a child holds a place of its own level";
    }
    for (std::size_t f = 0; f < test::facilities(w).size(); ++f) {
      EXPECT_LE(users[f], test::facilities(w).capacity[f]) << "facility over capacity";
      EXPECT_EQ(users[f], test::facilities(w).occupancy[f]);
    }
    for (int l = 0; l < kSchoolLevels; ++l) {
      EXPECT_EQ(y.placed[l] + y.unplaced[l], y.demand[l]) << "allocated + unplaced = demand";
      EXPECT_EQ(enrolled[l], y.placed[l]);
    }
    EXPECT_GT(y.unplaced[kLevelPrimary], 0u) << "the test should be scarce";
    for (auto& a : w.persons.age) a = static_cast<std::uint8_t>(a + 1);
  }
}

TEST(Education, ClosedFacilitiesAreDroppedAndPupilsMoved) {
  World w = three_zones();
  add_people(w, 0, 7, 4);
  EducationRun run(
      city_text("{name: Pa, kind: primary, zone: a, capacity: 10, closing_year: 2021}, " +
                row("Pb", "primary", "b", 10)));
  run.harness.initialize(w);
  run.harness.run_year(w, 2020);
  EXPECT_EQ(test::facilities(w).size(), 2u);
  for (auto s : test::school(w)) EXPECT_EQ(s, 0u);
  run.harness.run_year(w, 2021);
  ASSERT_EQ(test::facilities(w).size(), 1u);
  EXPECT_EQ(test::facilities(w).name[0], "Pb");
  for (auto s : test::school(w)) EXPECT_EQ(s, 0u);
  EXPECT_EQ(test::facilities(w).occupancy[0], 4u);
}

TEST(Education, ScaleShrinksCapacitiesAndIndicatorsAreWholeCity) {
  World w = three_zones();
  add_people(w, 0, 7, 10);
  EducationRun run(city_text(row("Pa", "primary", "a", 16)), test::run_settings(2020, 2025, 0.5));
  run.harness.initialize(w);
  EXPECT_EQ(test::facilities(w).capacity[0], 8u);
  run.harness.run_year(w, 2020);
  EXPECT_DOUBLE_EQ(run.harness.indicator("unplaced_primary", 0), 4.0);  // 2 simulated × 2
  finalise_facility_panels(run.harness.results());
  EXPECT_FLOAT_EQ(run.harness.results().facilities.at("capacity")[0], 16.0f);
  EXPECT_FLOAT_EQ(run.harness.results().facilities.at("occupancy")[0], 16.0f);
}

TEST(Education, SameResultsWithOneOrTwoThreads) {
  const auto run_with = [](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    World w = random_world(40000, 3);  // several 16,384-row chunks
    EducationRun run(
        city_text(random_facilities(9), "{kindergarten_participation: [0.7, 0.9, 0.95]}"));
    run.harness.initialize(w);
    for (int year = 2020; year <= 2021; ++year) {
      run.harness.run_year(w, year);
      for (auto& a : w.persons.age) a = static_cast<std::uint8_t>(a + 1);
    }
    return std::make_pair(test::school(w), run.harness.results().indicators);
  };
  const auto one = run_with(1);
  const auto two = run_with(2);
  EXPECT_EQ(one.first, two.first);
  ASSERT_EQ(one.second.size(), two.second.size());
  for (const auto& [key, values] : one.second)
    for (std::size_t k = 0; k < values.size(); ++k) {
      const double a = values[k], b = two.second.at(key)[k];
      EXPECT_TRUE((std::isnan(a) && std::isnan(b)) || a == b) << key;
    }
}

}  // namespace
}  // namespace plansim

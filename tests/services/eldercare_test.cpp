#include "services/eldercare.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>

#include "population/vital_events.h"
#include "test_support.h"

namespace plansim {
namespace {

using test::add_household;
using test::add_people;
using test::Harness;

std::string band(int from, double ip, double iff, double op, double of, double pr, double rc) {
  std::string s = "{from_age: " + std::to_string(from);
  s += ", initial_partial: " + std::to_string(ip);
  s += ", initial_full: " + std::to_string(iff);
  s += ", onset_partial: " + std::to_string(op);
  s += ", onset_full: " + std::to_string(of);
  s += ", progression: " + std::to_string(pr);
  s += ", recovery: " + std::to_string(rc);
  return s + "}";
}

std::string city(const std::string& rows, const std::string& bands,
                 const std::string& seeking = "{partial: 1, full: 1, living_alone_factor: 1}") {
  return "{facilities: {care: [" + rows + "]}, eldercare: {min_age: 60, care_need: [" + bands +
         "], bed_seeking: " + seeking + "}}";
}

std::string home(const std::string& name, const std::string& zone, int beds) {
  return "{name: " + name + ", kind: eldercare_institution, zone: " + zone +
         ", capacity: " + std::to_string(beds) + "},";
}

struct EldercareRun {
  Harness harness;
  explicit EldercareRun(const std::string& city_text, RunSettings run = test::run_settings())
      : harness(run, test::city_with_facilities(city_text)) {
    EXPECT_EQ(harness.add(std::make_unique<EldercareProcess>(), 6), "");
  }
  const EldercareYear& year() { return harness.process<EldercareProcess>(0).last_year(); }
};

World two_zones() { return test::make_world({test::zone("a", 0, 0), test::zone("b", 3000, 0)}); }

const std::string kNoChange = band(60, 0, 0, 0, 0, 0, 0);

TEST(Eldercare, BaseYearCareNeedFollowsPrevalence) {
  World w = two_zones();
  const int n = 20000;
  add_people(w, 0, 72, n);
  add_people(w, 0, 40, 100);
  EldercareRun run(city("", band(60, 0.2, 0.1, 0, 0, 0, 0)));
  run.harness.initialize(w);
  std::array<double, 3> observed{};
  for (std::size_t i = 0; i < w.persons.size(); ++i) {
    if (w.persons.age[i] < 60) {
      EXPECT_EQ(test::care(w).care_need[i], kNoCareNeed);
      continue;
    }
    ++observed[test::care(w).care_need[i]];
  }
  const std::array<double, 3> p = {0.7, 0.2, 0.1};
  double chi2 = 0;
  for (int k = 0; k < 3; ++k) chi2 += std::pow(observed[k] - n * p[k], 2) / (n * p[k]);
  EXPECT_LT(chi2, 13.8);  // chi-square, 2 degrees of freedom, p = 0.001
}

TEST(Eldercare, TransitionsFollowTheBandRates) {
  World w = two_zones();
  const int n = 20000;
  add_people(w, 1, 85, n);  // none at start (no prevalence)
  EldercareRun run(
      city("", band(60, 0, 0, 0, 0, 0, 0) + "," + band(80, 0, 0, 0.15, 0.05, 0.3, 0.2)));
  run.harness.initialize(w);
  run.harness.run_year(w, 2020);  // base year: no transitions
  for (auto c : test::care(w).care_need) EXPECT_EQ(c, kNoCareNeed);
  run.harness.run_year(w, 2021);
  std::array<double, 3> observed{};
  for (auto c : test::care(w).care_need) ++observed[c];
  const std::array<double, 3> p = {0.8, 0.15, 0.05};
  double chi2 = 0;
  for (int k = 0; k < 3; ++k) chi2 += std::pow(observed[k] - n * p[k], 2) / (n * p[k]);
  EXPECT_LT(chi2, 13.8);
  // From partial: progression 0.3, recovery 0.2.
  const double partial = observed[kPartialDependency];
  std::array<double, 3> next{};
  std::vector<std::uint8_t> before = test::care(w).care_need;
  run.harness.run_year(w, 2022);
  for (std::size_t i = 0; i < before.size(); ++i)
    if (before[i] == kPartialDependency) ++next[test::care(w).care_need[i]];
  EXPECT_NEAR(next[kFullDependency], 0.3 * partial, 4 * std::sqrt(partial * 0.3 * 0.7));
  EXPECT_NEAR(next[kNoCareNeed], 0.2 * partial, 4 * std::sqrt(partial * 0.2 * 0.8));
  for (std::size_t i = 0; i < before.size(); ++i)
    if (before[i] == kFullDependency) {
      EXPECT_EQ(test::care(w).care_need[i], kFullDependency);
    }
}

TEST(Eldercare, WaitingListIsFirstComeFirstServedThenById) {
  World w = two_zones();
  add_people(w, 0, 80, 4);  // rows 0..3, ids ascending
  EldercareRun run(city(home("H", "b", 2), kNoChange));
  run.harness.initialize(w);
  for (auto& c : test::care(w).care_need) c = kFullDependency;
  test::care(w).care_wait_since = {2019, 2019, 2018, 0};  // row 3 joins now
  run.harness.run_year(w, 2020);
  EXPECT_EQ(test::care(w).care_bed, (std::vector<std::uint32_t>{0, kNoRow, 0, kNoRow}));
  EXPECT_EQ(test::care(w).care_wait_since, (std::vector<std::int16_t>{0, 2019, 0, 2020}));
  EXPECT_EQ(run.year().admissions, 2u);
  EXPECT_DOUBLE_EQ(run.harness.indicator("eldercare_waiting", 0), 2.0);
  EXPECT_DOUBLE_EQ(run.harness.indicator("eldercare_mean_wait_years", 0), 0.5);  // (1 + 0) / 2
  EXPECT_DOUBLE_EQ(run.harness.indicator("eldercare_bed_occupancy", 0), 100.0);
  EXPECT_DOUBLE_EQ(run.harness.indicator("eldercare_beds_per_1000_elderly", 0), 500.0);
}

TEST(Eldercare, ResidentsKeepBedsAndLeaveOnRecoveryOrDeath) {
  World w = two_zones();
  add_people(w, 0, 80, 5);
  EldercareRun run(city(home("Ha", "a", 2) + home("Hb", "b", 1), kNoChange));
  run.harness.initialize(w);
  for (auto& c : test::care(w).care_need) c = kPartialDependency;
  run.harness.run_year(w, 2020);
  // Home zone first (rows 0, 1 in Ha), then the nearest other zone (row 2 in Hb).
  EXPECT_EQ(test::care(w).care_bed, (std::vector<std::uint32_t>{0, 0, 1, kNoRow, kNoRow}));
  test::care(w).care_need[1] = kNoCareNeed;  // recovers
  w.persons.removed[2] = 1;                  // dies: the demography lists the year's deaths
  w.modules.ensure<VitalEvents>().died_ids = {w.persons.id[2], w.persons.id[2] + 1000};
  compact(w);
  run.harness.run_year(w, 2021);
  // Rows now: old 0, 1, 3, 4. Old 0 keeps its bed; old 3 (waiting since 2020) and old 4 get beds.
  EXPECT_EQ(test::care(w).care_bed, (std::vector<std::uint32_t>{0, kNoRow, 0, 1}));
  EXPECT_EQ(run.year().recoveries, 1u);
  EXPECT_EQ(run.year().deaths, 1u);  // a resident; the other death held no bed
  EXPECT_EQ(run.year().admissions, 2u);
  EXPECT_EQ(test::facilities(w).occupancy, (std::vector<std::uint32_t>{2, 1}));
}

// Beds per 1,000 elderly are the configured beds over the sampled elderly, not rounded by the
// sample: 36 centres of 10 beds at run.scale 0.05 are 18 simulated beds (rounded to the nearest,
// each would be 1 bed, double), and the places a sample allocates sum to about the same.
TEST(Eldercare, BedsPerThousandElderlyAreExactAtAnyScale) {
  for (double scale : {0.05, 0.1, 1.0}) {
    World w = two_zones();
    w.person_weight = 1 / scale;
    const int elderly = static_cast<int>(std::lround(12000 * scale));  // 12,000 in the district
    add_people(w, 0, 75, elderly);
    std::string rows;
    for (int k = 0; k < 36; ++k) rows += home("C" + std::to_string(k), k % 2 ? "a" : "b", 10);
    EldercareRun run(city(rows, kNoChange), test::run_settings(2020, 2025, scale));
    run.harness.initialize(w);
    run.harness.run_year(w, 2020);
    EXPECT_NEAR(run.harness.indicator("eldercare_beds_per_1000_elderly", 0), 30.0, 1e-9) << scale;
    EXPECT_NEAR(static_cast<double>(run.year().beds), 360 * scale, 1.0) << scale;
  }
}

TEST(Eldercare, LivingAloneRaisesTheWishForABed) {
  World w = two_zones();
  const int n = 6000;
  for (int k = 0; k < n; ++k) add_household(w, 0, {75});          // alone
  for (int k = 0; k < n / 2; ++k) add_household(w, 0, {75, 75});  // couples
  EldercareRun run(city(home("H", "a", 100000), band(60, 1.0, 0, 0, 0, 0, 0),
                        "{partial: 0.2, full: 0.5, living_alone_factor: 2}"));
  run.harness.initialize(w);
  run.harness.run_year(w, 2020);
  double alone = 0, together = 0;
  for (std::size_t i = 0; i < w.persons.size(); ++i)
    if (test::care(w).care_bed[i] != kNoRow)
      (i < static_cast<std::size_t>(n) ? alone : together) += 1;
  EXPECT_NEAR(alone, 0.4 * n, 4 * std::sqrt(n * 0.4 * 0.6));
  EXPECT_NEAR(together, 0.2 * n, 4 * std::sqrt(n * 0.2 * 0.8));
}

// Beds hold at most one person each, who is alive and in need; counts agree.
TEST(Eldercare, BedInvariantsHoldOverYearsWithDeaths) {
  World w =
      test::make_world({test::zone("a", 0, 0), test::zone("b", 3000, 0), test::zone("c", 0, 4000)});
  std::uint64_t s = 17;
  const auto next = [&] {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(s >> 33);
  };
  for (int h = 0; h < 5000; ++h)
    add_household(w, static_cast<std::uint16_t>(next() % 3), {60 + static_cast<int>(next() % 35)});
  EldercareRun run(city(
      home("Ha", "a", 60) + home("Hb", "b", 40) +
          "{name: Cc, kind: community_eldercare_centre, zone: c, capacity: 30},",
      band(60, 0.1, 0.05, 0.05, 0.01, 0.1, 0.1) + "," + band(80, 0.2, 0.1, 0.1, 0.03, 0.15, 0.05),
      "{partial: 0.3, full: 0.8, living_alone_factor: 1}"));
  run.harness.initialize(w);
  for (int year = 2020; year <= 2024; ++year) {
    run.harness.run_year(w, year);
    std::vector<std::uint32_t> users(test::facilities(w).size(), 0);
    std::uint64_t waiting = 0;
    for (std::size_t i = 0; i < w.persons.size(); ++i) {
      const std::uint32_t bed = test::care(w).care_bed[i];
      if (test::care(w).care_wait_since[i] != 0) {
        ++waiting;
        EXPECT_EQ(bed, kNoRow);
      }
      if (bed == kNoRow) continue;
      ++users[bed];
      EXPECT_EQ(w.persons.removed[i], 0);
      EXPECT_NE(test::care(w).care_need[i], kNoCareNeed);
    }
    for (std::size_t f = 0; f < test::facilities(w).size(); ++f) {
      EXPECT_LE(users[f], test::facilities(w).capacity[f]);
      EXPECT_EQ(users[f], test::facilities(w).occupancy[f]);
    }
    EXPECT_EQ(run.year().residents + run.year().waiting, run.year().seekers);
    EXPECT_EQ(waiting, run.year().waiting);
    EXPECT_GT(run.year().waiting, 0u) << "the test should be scarce";
    // A sixth of the elderly die; a few newcomers turn 60.
    for (std::size_t i = 0; i < w.persons.size(); ++i)
      if (next() % 6 == 0) w.persons.removed[i] = 1;
    for (auto& a : w.persons.age) a = static_cast<std::uint8_t>(std::min(a + 1, 110));
    compact(w);
    for (int k = 0; k < 600; ++k) add_household(w, static_cast<std::uint16_t>(next() % 3), {60});
  }
}

TEST(Eldercare, SameResultsWithOneOrTwoThreads) {
  const auto run_with = [](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    World w = test::make_world({test::zone("a", 0, 0), test::zone("b", 3000, 0)});
    for (int h = 0; h < 40000; ++h)
      add_household(w, static_cast<std::uint16_t>(h % 2), {60 + h % 40});
    EldercareRun run(city(home("Ha", "a", 500) + home("Hb", "b", 300),
                          band(60, 0.1, 0.05, 0.05, 0.01, 0.1, 0.1),
                          "{partial: 0.3, full: 0.8, living_alone_factor: 1}"));
    run.harness.initialize(w);
    for (int year = 2020; year <= 2022; ++year) run.harness.run_year(w, year);
    return std::make_tuple(test::care(w).care_need, test::care(w).care_bed,
                           test::care(w).care_wait_since);
  };
  EXPECT_EQ(run_with(1), run_with(2));
}

}  // namespace
}  // namespace plansim

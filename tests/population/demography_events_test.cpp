// Statistical tests, one per event type, on a hand-built world of 200,000 persons with fixed
// seeds: observed counts against the expectation computed here from the rates, within 4 sigma.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "demography_test_world.h"

namespace plansim {
namespace {

using namespace demography_test;

constexpr std::size_t kPersons = 200000;

struct Moments {
  double mean = 0, variance = 0;
  void add_bernoulli(double p, double n = 1.0) {
    mean += n * p;
    variance += n * p * (1 - p);
  }
  double sigma() const { return std::sqrt(variance); }
};

#define EXPECT_WITHIN_4_SIGMA(observed, moments)                                          \
  EXPECT_NEAR(static_cast<double>(observed), (moments).mean, 4 * (moments).sigma() + 1.0) \
      << "expected " << (moments).mean << " ± " << (moments).sigma()

TEST(DemographyEvents, DeathsByAgeGroupAndSexMatchTheLifeTableProbabilities) {
  World world = make_world(kPersons, 4, 1);
  DemographyRates rates = simple_rates();
  rates.fertility_rate.fill(0.0);
  std::map<std::pair<int, int>, Moments> expected;  // (sex, 5-year group)
  for (std::size_t i = 0; i < world.persons.size(); ++i) {
    const int sex = world.persons.sex[i], age = world.persons.age[i];
    expected[{sex, age / 5}].add_bernoulli(1 - std::exp(-rates.death_rate[sex][age]));
  }
  DemographyProcess process(rates);
  Harness h;
  h.initialize(process, world);
  const std::size_t before = world.persons.size();
  const std::size_t row = h.step(process, world, 2020);
  std::int64_t total = 0;
  for (const auto& [key, moments] : expected) {
    std::int64_t observed = 0;
    for (int a = key.second * 5; a < std::min(kAges, key.second * 5 + 5); ++a)
      observed += world.get<VitalEvents>().deaths_by_sex_age[key.first * kAges + a];
    total += observed;
    EXPECT_WITHIN_4_SIGMA(observed, moments) << " sex " << key.first << " group " << key.second;
  }
  EXPECT_GT(total, 1000);
  EXPECT_EQ(h.event("deaths", row), total);
  EXPECT_EQ(world.persons.size(), before - static_cast<std::size_t>(total));
  std::int64_t exposure = 0;
  for (auto n : world.get<VitalEvents>().population_by_sex_age) exposure += n;
  EXPECT_EQ(exposure, static_cast<std::int64_t>(before));
}

TEST(DemographyEvents, BirthsAndSexRatioAtBirth) {
  World world = make_world(kPersons, 4, 2);
  DemographyRates rates = simple_rates();
  for (int a = 20; a <= 39; ++a) rates.fertility_rate[a] = 0.2;  // many births: a tight SRB test
  Moments births;
  for (std::size_t i = 0; i < world.persons.size(); ++i)
    if (world.persons.sex[i] == kFemale) {
      const int a = world.persons.age[i];
      births.add_bernoulli(std::exp(-rates.death_rate[kFemale][a]) * rates.fertility_rate[a]);
    }
  DemographyProcess process(rates);
  Harness h;
  h.initialize(process, world);
  const std::uint64_t first_new_id = world.next_person_id;
  const std::size_t row = h.step(process, world, 2020);
  const std::int64_t observed = h.event("births", row);
  EXPECT_WITHIN_4_SIGMA(observed, births);
  ASSERT_EQ(check_invariants(world), "");
  // Newborns: age 0, new ids in increasing row order, in a household with a woman of 21-40.
  std::int64_t newborns = 0, boys = 0;
  for (std::size_t i = 0; i < world.persons.size(); ++i) {
    if (world.persons.id[i] < first_new_id) {
      EXPECT_GE(world.persons.age[i], 1);
      continue;
    }
    ++newborns;
    boys += world.persons.sex[i] == kMale;
    EXPECT_EQ(world.persons.age[i], 0);
    const auto& hh = world.households;
    const std::uint32_t home = world.persons.household[i];
    bool mother = false;
    for (std::uint32_t m = hh.member_offset[home]; m < hh.member_offset[home + 1]; ++m) {
      const std::uint32_t j = hh.member_row[m];
      mother |= world.persons.sex[j] == kFemale && world.persons.age[j] >= 21 &&
                world.persons.age[j] <= 40;
    }
    EXPECT_TRUE(mother);
  }
  EXPECT_EQ(newborns, observed);
  Moments boys_expected;
  boys_expected.add_bernoulli(110.58 / 210.58, static_cast<double>(newborns));
  EXPECT_WITHIN_4_SIGMA(boys, boys_expected);
}

TEST(DemographyEvents, MarketEntryAndUnions) {
  World world = make_world(kPersons, 6, 3);
  DemographyRates rates = no_vital_events();
  set_household_rates(rates);
  rates.leaving_home_rate.fill(0.0);
  rates.divorce_rate_per_couple = 0;
  Moments entrants;
  std::int64_t partnered_before = 0;
  for (std::size_t i = 0; i < world.persons.size(); ++i) {
    if (world.persons.partner[i] != kNoRow) {
      ++partnered_before;
      continue;
    }
    entrants.add_bernoulli(rates.union_rate[world.persons.sex[i]][world.persons.age[i]]);
  }
  DemographyProcess process(rates);
  Harness h;
  h.initialize(process, world);
  const std::uint64_t first_new_household = world.next_household_id;
  const std::size_t row = h.step(process, world, 2020);
  EXPECT_WITHIN_4_SIGMA(process.last_year().market_entrants, entrants);
  const std::int64_t unions = h.event("unions", row);
  EXPECT_GT(unions, 0.35 * entrants.mean);  // both sides are in the market in similar numbers
  EXPECT_EQ(h.event("new_households", row), unions);
  ASSERT_EQ(check_invariants(world), "");
  std::int64_t partnered_after = 0;
  for (std::size_t i = 0; i < world.persons.size(); ++i) {
    const std::uint32_t q = world.persons.partner[i];
    if (q == kNoRow) continue;
    ++partnered_after;
    EXPECT_NE(world.persons.sex[i], world.persons.sex[q]);
    if (world.households.id[world.persons.household[i]] >= first_new_household) {
      EXPECT_EQ(world.persons.household[i],
                world.persons.household[q]);  // a new couple lives together
      const int gap =
          world.persons.sex[i] == kMale ? world.persons.age[i] - world.persons.age[q] : 0;
      EXPECT_LE(std::abs(gap - 2), 8);
    }
  }
  EXPECT_EQ(partnered_after, partnered_before + 2 * unions);
}

TEST(DemographyEvents, LeavingHome) {
  World world = make_world(kPersons, 4, 4);
  DemographyRates rates = no_vital_events();
  for (int a = 18; a <= 40; ++a) rates.leaving_home_rate[a] = 0.06;
  Moments leavers;
  const auto& hh = world.households;
  for (std::size_t i = 0; i < world.persons.size(); ++i) {
    if (world.persons.partner[i] != kNoRow) continue;
    const int age = world.persons.age[i];
    const std::uint32_t home = world.persons.household[i];
    int oldest = 0;
    for (std::uint32_t m = hh.member_offset[home]; m < hh.member_offset[home + 1]; ++m)
      oldest = std::max<int>(oldest, world.persons.age[hh.member_row[m]]);
    if (oldest >= age + rates.older_generation_gap_years)
      leavers.add_bernoulli(rates.leaving_home_rate[age]);
  }
  ASSERT_GT(leavers.mean, 100);
  DemographyProcess process(rates);
  Harness h;
  h.initialize(process, world);
  const std::uint64_t first_new_household = world.next_household_id;
  const std::size_t row = h.step(process, world, 2020);
  EXPECT_WITHIN_4_SIGMA(process.last_year().leaving_home, leavers);
  EXPECT_EQ(h.event("new_households", row), process.last_year().leaving_home);
  ASSERT_EQ(check_invariants(world), "");
  for (std::size_t k = 0; k < world.households.size(); ++k)
    if (world.households.id[k] >= first_new_household) {
      EXPECT_EQ(world.households.member_count(static_cast<std::uint32_t>(k)), 1u);
    }
}

TEST(DemographyEvents, Divorces) {
  World world = make_world(kPersons, 4, 5);
  DemographyRates rates = no_vital_events();
  rates.divorce_rate_per_couple = 0.05;
  Moments divorces;
  for (std::size_t i = 0; i < world.persons.size(); ++i)
    if (world.persons.sex[i] == kMale && world.persons.partner[i] != kNoRow)
      divorces.add_bernoulli(rates.divorce_rate_per_couple);
  DemographyProcess process(rates);
  Harness h;
  h.initialize(process, world);
  const std::size_t row = h.step(process, world, 2020);
  EXPECT_WITHIN_4_SIGMA(h.event("divorces", row), divorces);
  EXPECT_EQ(h.event("new_households", row), h.event("divorces", row));
  EXPECT_EQ(check_invariants(world), "");
}

TEST(DemographyEvents, OutMigrationOfWholeHouseholds) {
  World world = make_world(kPersons, 4, 6);
  DemographyRates rates = no_vital_events();
  rates.out_migrants_per_1000 = 40;
  // The per-age probability, independently: the profile scaled to 40 per 1000 over this world.
  double profile_sum = 0;
  for (std::size_t i = 0; i < world.persons.size(); ++i)
    profile_sum += rates.migration_age_profile[world.persons.age[i]];
  const double scale = 0.040 * static_cast<double>(world.persons.size()) / profile_sum;
  Moments leaving;
  double expected_persons = 0;
  const auto& hh = world.households;
  for (std::uint32_t k = 0; k < hh.size(); ++k) {
    double p = 0;
    const double n = hh.member_count(k);
    for (std::uint32_t m = hh.member_offset[k]; m < hh.member_offset[k + 1]; ++m)
      p += scale * rates.migration_age_profile[world.persons.age[hh.member_row[m]]] / n;
    leaving.mean += n * p;
    leaving.variance += n * n * p * (1 - p);
    expected_persons += n * p;
  }
  // Known answer: the base-year expectation is exactly 40 per 1000 residents.
  EXPECT_NEAR(expected_persons, 0.040 * kPersons, 1e-6 * kPersons);
  std::map<std::uint64_t, std::uint32_t> size_before;
  for (std::uint32_t k = 0; k < hh.size(); ++k) size_before[hh.id[k]] = hh.member_count(k);

  DemographyProcess process(rates);
  Harness h;
  h.initialize(process, world);
  const std::size_t before = world.persons.size();
  const std::size_t row = h.step(process, world, 2020);
  EXPECT_WITHIN_4_SIGMA(h.event("out_migrants", row), leaving);
  EXPECT_EQ(world.persons.size(), before - static_cast<std::size_t>(h.event("out_migrants", row)));
  ASSERT_EQ(check_invariants(world), "");
  for (std::uint32_t k = 0; k < world.households.size(); ++k)  // nobody left alone
    EXPECT_EQ(world.households.member_count(k), size_before.at(world.households.id[k]));
}

TEST(DemographyEvents, InMigration) {
  World world = make_world(kPersons, 4, 7);
  DemographyRates rates = no_vital_events();
  rates.in_migrants_per_1000 = 50;
  std::vector<double> zone_population(4, 0.0);
  for (std::size_t i = 0; i < world.persons.size(); ++i)
    zone_population[world.households.zone[world.persons.household[i]]] += 1;
  DemographyProcess process(rates);
  Harness h;
  h.initialize(process, world);
  const std::uint64_t first_person = world.next_person_id,
                      first_household = world.next_household_id;
  const std::size_t before = world.persons.size();
  const std::size_t row = h.step(process, world, 2020);
  Moments arrivals;  // Poisson
  arrivals.mean = arrivals.variance = 0.050 * kPersons;
  const std::int64_t in = h.event("in_migrants", row);
  EXPECT_WITHIN_4_SIGMA(in, arrivals);
  EXPECT_EQ(world.persons.size(), before + static_cast<std::size_t>(in));
  ASSERT_EQ(check_invariants(world), "");
  EXPECT_EQ(child_without_adult(world), "");

  const auto& hh = world.households;
  std::int64_t households = 0, singles = 0, persons = 0;
  std::vector<std::int64_t> by_zone(4, 0);
  for (std::uint32_t k = 0; k < hh.size(); ++k) {
    if (hh.id[k] < first_household) continue;
    ++households;
    ++by_zone[hh.zone[k]];
    singles += hh.member_count(k) == 1;
    for (std::uint32_t m = hh.member_offset[k]; m < hh.member_offset[k + 1]; ++m) {
      const std::uint32_t i = hh.member_row[m];
      ++persons;
      EXPECT_GE(world.persons.id[i], first_person);
      if (hh.member_count(k) == 1) {
        EXPECT_GE(world.persons.age[i], 18);
      }
    }
  }
  EXPECT_EQ(persons, in);
  EXPECT_EQ(h.event("new_households", row), households);
  Moments single_share;
  single_share.add_bernoulli(rates.in_household_single_share, static_cast<double>(households));
  EXPECT_WITHIN_4_SIGMA(singles, single_share);
  for (int z = 0; z < 4; ++z) {
    Moments zone;
    zone.add_bernoulli(zone_population[z] / kPersons, static_cast<double>(households));
    EXPECT_WITHIN_4_SIGMA(by_zone[z], zone) << " zone " << z;
  }
}

}  // namespace
}  // namespace plansim

// The synthetic Zhongyuan population at scale 0.05 (about 48,000 persons) against its
// marginals, structural rules and determinism.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <map>
#include <memory>

#include "population/synthesis.h"
#include "synthesis_test_config.h"

namespace plansim {
namespace {

constexpr double kScale = 0.05;
constexpr std::uint64_t kSeed = 20211116;

struct Synthesised {
  World world;
  std::vector<FitRow> fit;
  SynthesisStats stats;
};

Synthesised run(std::uint64_t seed, std::uint32_t replicate, double scale = kScale) {
  Synthesised s;
  s.stats = synthesise(test::zhongyuan_2020_config(), scale, RngStreams(seed, replicate), 1,
                       s.world, s.fit);
  return s;
}

class SynthesisZhongyuan : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { population_ = std::make_unique<Synthesised>(run(kSeed, 0)); }
  static void TearDownTestSuite() { population_.reset(); }
  static const World& world() { return population_->world; }
  static const FitRow& fit(const std::string& marginal) {
    for (const FitRow& row : population_->fit)
      if (row.marginal == marginal) return row;
    ADD_FAILURE() << "no fit row " << marginal;
    static const FitRow none;
    return none;
  }
  static std::unique_ptr<Synthesised> population_;
};
std::unique_ptr<Synthesised> SynthesisZhongyuan::population_;

TEST_F(SynthesisZhongyuan, ExactTotalZoneSplitAndWorldBookkeeping) {
  const World& w = world();
  const auto expected = static_cast<std::size_t>(std::llround(962642 * kScale));
  ASSERT_EQ(w.persons.size(), expected);
  EXPECT_EQ(check_invariants(w), "");
  EXPECT_DOUBLE_EQ(w.person_weight, 1.0 / kScale);
  EXPECT_EQ(w.year, 2020);
  ASSERT_EQ(w.zone_count(), 14);
  EXPECT_EQ(w.zones[0].key, "linshanzhai");
  EXPECT_EQ(w.zones[13].name_zh, "柳湖");
  EXPECT_EQ(w.next_person_id, w.persons.size() + 1);
  EXPECT_EQ(w.next_household_id, w.households.size() + 1);
  for (std::size_t i = 0; i < w.persons.size(); ++i) ASSERT_EQ(w.persons.id[i], i + 1);
  for (std::size_t h = 0; h < w.households.size(); ++h) {
    ASSERT_EQ(w.households.id[h], h + 1);
    if (h > 0) {
      ASSERT_LE(w.households.zone[h - 1], w.households.zone[h]);  // zone by zone
    }
  }
  // Persons per zone: the largest-remainder split of the total by share.
  std::vector<double> quotas;
  for (const ZoneSpec& z : test::zhongyuan_2020_config().zones)
    quotas.push_back(z.population_share);
  const auto per_zone = largest_remainder(quotas, static_cast<std::int64_t>(expected));
  std::vector<std::int64_t> counted(14, 0);
  for (std::size_t i = 0; i < w.persons.size(); ++i)
    ++counted[w.households.zone[w.persons.household[i]]];
  EXPECT_EQ(counted, per_zone);
  EXPECT_EQ(fit("population/total").achieved, static_cast<double>(expected) / kScale);
  EXPECT_EQ(fit("zone/xushui").achieved, static_cast<double>(per_zone[11]) / kScale);
}

TEST_F(SynthesisZhongyuan, SexAndAgeSharesWithinHalfAPercentagePoint) {
  const World& w = world();
  const double n = static_cast<double>(w.persons.size());
  double males = 0, a0_14 = 0, a15_59 = 0, a60 = 0, a65 = 0;
  for (std::size_t i = 0; i < w.persons.size(); ++i) {
    const int a = w.persons.age[i];
    males += w.persons.sex[i] == kMale;
    a0_14 += a < 15;
    a15_59 += a >= 15 && a < 60;
    a60 += a >= 60;
    a65 += a >= 65;
  }
  EXPECT_NEAR(males / n, 481261.0 / 962642.0, 0.005);
  EXPECT_NEAR(a0_14 / n, 0.1907, 0.005);
  EXPECT_NEAR(a15_59 / n, 0.6623, 0.005);
  EXPECT_NEAR(a60 / n, 0.1470, 0.005);
  EXPECT_NEAR(a65 / n, 0.1010, 0.005);
  // The open group 95+ is spread over 95..100 with declining numbers.
  std::map<int, int> oldest;
  for (std::size_t i = 0; i < w.persons.size(); ++i)
    if (w.persons.age[i] >= 95) ++oldest[w.persons.age[i]];
  EXPECT_LE(oldest.rbegin()->first, 100);
  // The fit report agrees with what is in the world.
  EXPECT_NEAR(fit("sex/male").achieved, males / kScale, 1e-6);
  EXPECT_NEAR(fit("age/65+").achieved, a65 / kScale, 1e-6);
  EXPECT_NEAR(fit("age/65+").target, 0.1010 * 962642, 1e-6);
}

TEST_F(SynthesisZhongyuan, EducationMatchesTheCensusWithinOnePercentagePoint) {
  // Census shares among persons aged 3+, by level attended (graduates and current students).
  double persons_3_plus = 0, target_3_plus = 0;
  for (const char* level : kEducationKeys) {
    persons_3_plus += fit(std::string("education/") + level).achieved;
    target_3_plus += fit(std::string("education/") + level).target;
  }
  for (const char* level : kEducationKeys) {
    const FitRow& row = fit(std::string("education/") + level);
    EXPECT_NEAR(row.achieved / persons_3_plus, row.target / target_3_plus, 0.01) << level;
  }
  EXPECT_DOUBLE_EQ(fit("education/college").target, 353554);
  // The column holds the level completed: children in school have not completed it yet.
  const World& w = world();
  for (std::size_t i = 0; i < w.persons.size(); ++i) {
    const int a = w.persons.age[i];
    const std::uint8_t most = a < 12   ? kNoSchooling
                              : a < 15 ? kPrimary
                              : a < 18 ? kJuniorHigh
                                       : kCollege;
    ASSERT_LE(w.persons.education[i], most) << "age " << a;
  }
}

TEST_F(SynthesisZhongyuan, HouseholdSizesMatchTheRescaledDistribution) {
  const World& w = world();
  const double households = static_cast<double>(w.households.size());
  EXPECT_NEAR(static_cast<double>(w.persons.size()) / households, 2.82, 0.05);
  const auto config = test::zhongyuan_2020_config();
  const auto target = household_size_distribution(config.households.size_shape, 2.82, 5.4);
  std::array<double, kHouseholdSizeClasses> share{};
  for (std::uint32_t h = 0; h < w.households.size(); ++h)
    share[std::min<std::uint32_t>(w.households.member_count(h), 5) - 1] += 1.0 / households;
  for (int k = 0; k < kHouseholdSizeClasses; ++k)
    EXPECT_NEAR(share[k], target[k], 0.02) << "size " << kHouseholdSizeKeys[k];
  EXPECT_NEAR(fit("households/total").achieved, households / kScale, 1e-6);
  EXPECT_NEAR(fit("households/total").target, static_cast<double>(w.persons.size()) / kScale / 2.82,
              1e-6);
  double typed = 0;
  for (const char* type : kHouseholdTypeKeys)
    typed += fit(std::string("household_type/") + type).achieved;
  EXPECT_NEAR(typed, households / kScale, 1e-6);
  EXPECT_EQ(population_->stats.leftover_persons, 0);
}

TEST_F(SynthesisZhongyuan, PartnersAreSymmetricOfOppositeSexAndCloseInAge) {
  const PersonTable& p = world().persons;
  std::size_t couples = 0;
  double gap_sum = 0;
  for (std::uint32_t i = 0; i < p.size(); ++i) {
    const std::uint32_t q = p.partner[i];
    if (q == kNoRow) continue;
    ASSERT_EQ(p.partner[q], i);
    ASSERT_NE(p.sex[i], p.sex[q]);
    ASSERT_LT(std::abs(int{p.age[i]} - int{p.age[q]}), 20);
    ASSERT_EQ(p.household[i], p.household[q]);
    ASSERT_GE(p.age[i], 20);
    if (p.sex[i] == kMale) {
      ++couples;
      gap_sum += int{p.age[i]} - int{p.age[q]};
    }
  }
  EXPECT_GT(couples, p.size() / 5);
  EXPECT_NEAR(gap_sum / static_cast<double>(couples), 2.0, 0.5);  // husband ~2 years older
}

TEST_F(SynthesisZhongyuan, EveryChildUnder15LivesWithSomeone15YearsOlder) {
  const World& w = world();
  const auto& h = w.households;
  for (std::size_t i = 0; i < w.persons.size(); ++i) {
    if (w.persons.age[i] >= 15) continue;
    const std::uint32_t hh = w.persons.household[i];
    bool adult = false;
    for (std::uint32_t m = h.member_offset[hh]; m < h.member_offset[hh + 1]; ++m)
      adult |= w.persons.age[h.member_row[m]] >= w.persons.age[i] + 15;
    ASSERT_TRUE(adult) << "person " << w.persons.id[i];
  }
}

TEST_F(SynthesisZhongyuan, RecordsEveryMarginalOfTheFitReport) {
  for (const char* key : {"population/total",
                          "sex/male",
                          "sex/female",
                          "age/0-14",
                          "age/15-59",
                          "age/60+",
                          "age/65+",
                          "education/below_primary",
                          "education/primary",
                          "education/junior_high",
                          "education/senior_high",
                          "education/college",
                          "households/total",
                          "household_size/1",
                          "household_size/5+",
                          "household_type/single",
                          "household_type/three_generation",
                          "household_type/elderly_only",
                          "zone/linshanzhai",
                          "zone/liuhu"})
    EXPECT_GT(fit(key).target, 0) << key;
  EXPECT_EQ(population_->fit.size(), 1u + 2 + 4 + 5 + 1 + 5 + 6 + 14);
  EXPECT_GT(population_->stats.ipf_iterations, 2);
  EXPECT_TRUE(population_->stats.ipf_converged);
}

TEST_F(SynthesisZhongyuan, EducationIsIndependentOfZoneWithinAges) {
  // Levels are handed out in a random order within each (sex, age) cell, and every zone has the
  // same age structure, so zone and level are independent among adults: a chi-square test of the
  // 14 x 5 table (52 degrees of freedom; 89.3 is the 0.999 quantile, Wilson-Hilferty).
  const World& w = world();
  std::vector<std::array<double, kEducationLevels>> table(w.zone_count());
  for (std::size_t i = 0; i < w.persons.size(); ++i)
    if (w.persons.age[i] >= 25 && w.persons.age[i] < 60)
      table[w.households.zone[w.persons.household[i]]][w.persons.education[i]] += 1;
  std::vector<double> zone_sum(table.size(), 0);
  std::array<double, kEducationLevels> level_sum{};
  double total = 0;
  for (std::size_t z = 0; z < table.size(); ++z)
    for (int l = 0; l < kEducationLevels; ++l) {
      zone_sum[z] += table[z][l];
      level_sum[l] += table[z][l];
      total += table[z][l];
    }
  double chi_square = 0;
  for (std::size_t z = 0; z < table.size(); ++z)
    for (int l = 0; l < kEducationLevels; ++l) {
      const double expected = zone_sum[z] * level_sum[l] / total;
      chi_square += (table[z][l] - expected) * (table[z][l] - expected) / expected;
    }
  EXPECT_LT(chi_square, 89.3);
  EXPECT_GT(total, 20000);
}

void expect_identical(const World& a, const World& b) {
  EXPECT_EQ(a.persons.id, b.persons.id);
  EXPECT_EQ(a.persons.age, b.persons.age);
  EXPECT_EQ(a.persons.sex, b.persons.sex);
  EXPECT_EQ(a.persons.education, b.persons.education);
  EXPECT_EQ(a.persons.household, b.persons.household);
  EXPECT_EQ(a.persons.partner, b.persons.partner);
  EXPECT_EQ(a.persons.removed, b.persons.removed);
  EXPECT_EQ(a.households.id, b.households.id);
  EXPECT_EQ(a.households.zone, b.households.zone);
  EXPECT_EQ(a.households.member_offset, b.households.member_offset);
  EXPECT_EQ(a.households.member_row, b.households.member_row);
  EXPECT_EQ(a.next_person_id, b.next_person_id);
  EXPECT_EQ(a.next_household_id, b.next_household_id);
}

TEST_F(SynthesisZhongyuan, SameSeedGivesTheSameWorldAtAnyThreadCount) {
  Synthesised one_thread;
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
    one_thread = run(kSeed, 0);
  }
  Synthesised two_threads;
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
    two_threads = run(kSeed, 0);
  }
  expect_identical(one_thread.world, world());
  expect_identical(two_threads.world, world());
  ASSERT_EQ(one_thread.fit.size(), two_threads.fit.size());
  for (std::size_t k = 0; k < one_thread.fit.size(); ++k)
    EXPECT_EQ(one_thread.fit[k].achieved, two_threads.fit[k].achieved)
        << one_thread.fit[k].marginal;
}

TEST_F(SynthesisZhongyuan, AnotherReplicateGivesAnotherWorldWithTheSameMarginals) {
  const Synthesised other = run(kSeed, 1);
  ASSERT_EQ(other.world.persons.size(), world().persons.size());
  EXPECT_NE(other.world.persons.age, world().persons.age);  // households differ, so row order does
  EXPECT_NE(other.world.persons.partner, world().persons.partner);
  EXPECT_EQ(check_invariants(other.world), "");
}

}  // namespace
}  // namespace plansim

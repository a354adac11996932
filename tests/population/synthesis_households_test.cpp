#include "population/synthesis_households.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <numeric>

#include "synthesis_test_config.h"

namespace plansim {
namespace {

// A zone of `n` persons with ages spread like a young city: every age 0..89, both sexes.
void make_zone(std::size_t n, std::vector<std::uint8_t>& age, std::vector<std::uint8_t>& sex) {
  age.resize(n);
  sex.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    age[i] = static_cast<std::uint8_t>((i * 37) % 90);
    sex[i] = static_cast<std::uint8_t>(i % 2);
  }
}

TEST(SynthesisHouseholds, EveryPersonInExactlyOneNonEmptyHousehold) {
  const PopulationConfig config = test::zhongyuan_2020_config();
  std::vector<std::uint8_t> age, sex;
  make_zone(5000, age, sex);
  const RngStreams rng(7, 0);
  const ZoneHouseholds zh = assemble_households(age, sex, config.households, config.formation,
                                                ZoneStreams{rng, 2020, 1, 3});
  ASSERT_EQ(zh.offset.size(), zh.household_count() + 1);
  ASSERT_EQ(zh.member.size(), age.size());
  std::vector<int> seen(age.size(), 0);
  for (std::uint32_t m : zh.member) ++seen[m];
  EXPECT_TRUE(std::all_of(seen.begin(), seen.end(), [](int s) { return s == 1; }));
  for (std::size_t h = 0; h < zh.household_count(); ++h) EXPECT_LT(zh.offset[h], zh.offset[h + 1]);
}

ZoneHouseholds assemble(const std::vector<std::uint8_t>& age, const std::vector<std::uint8_t>& sex,
                        std::uint64_t seed = 7) {
  const PopulationConfig config = test::zhongyuan_2020_config();
  const RngStreams rng(seed, 0);
  return assemble_households(age, sex, config.households, config.formation,
                             ZoneStreams{rng, 2020, 1, 3});
}

TEST(SynthesisHouseholds, EachTypeHasTheStructureItsNameSays) {
  std::vector<std::uint8_t> age, sex;
  make_zone(20000, age, sex);
  const ZoneHouseholds zh = assemble(age, sex);
  std::array<int, kHouseholdTypes> seen{};
  for (std::size_t h = 0; h < zh.household_count(); ++h) {
    const std::uint32_t begin = zh.offset[h], end = zh.offset[h + 1];
    int oldest = 0, youngest = 200, partnered = 0;
    for (std::uint32_t k = begin; k < end; ++k) {
      const std::uint32_t p = zh.member[k];
      oldest = std::max(oldest, int{age[p]});
      youngest = std::min(youngest, int{age[p]});
      if (zh.partner[p] != kNoRow) {
        ++partnered;
        // The partner lives in the same household.
        ASSERT_NE(std::find(zh.member.begin() + begin, zh.member.begin() + end, zh.partner[p]),
                  zh.member.begin() + end);
      }
    }
    const std::uint32_t size = end - begin;
    ++seen[zh.type[h]];
    switch (zh.type[h]) {
      case kSingleHousehold:
        ASSERT_EQ(size, 1u);
        ASSERT_LT(oldest, 60);
        break;
      case kCoupleHousehold:
        ASSERT_EQ(size, 2u);
        ASSERT_EQ(partnered, 2);
        ASSERT_LT(youngest, 60);
        break;
      case kCoupleWithChildrenHousehold:
        ASSERT_GE(size, 3u);
        ASSERT_EQ(partnered, 2);
        ASSERT_GE(oldest - youngest, 18);  // mother's age minus child's age is at least 18
        break;
      case kThreeGenerationHousehold:
        ASSERT_GE(size, 3u);
        ASSERT_GE(oldest - youngest, 45);  // grandparents 45+ years older than grandchildren
        break;
      case kElderlyOnlyHousehold:
        ASSERT_LE(size, 2u);
        ASSERT_GE(youngest, 60);
        break;
      default:
        break;
    }
  }
  for (int t = 0; t < kHouseholdTypes; ++t) EXPECT_GT(seen[t], 0) << kHouseholdTypeKeys[t];
  EXPECT_EQ(zh.leftover_persons, 0);
}

TEST(SynthesisHouseholds, SameStreamsSameHouseholdsOtherSeedOtherHouseholds) {
  std::vector<std::uint8_t> age, sex;
  make_zone(3000, age, sex);
  const ZoneHouseholds a = assemble(age, sex), b = assemble(age, sex), c = assemble(age, sex, 8);
  EXPECT_EQ(a.member, b.member);
  EXPECT_EQ(a.offset, b.offset);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.partner, b.partner);
  EXPECT_NE(a.member, c.member);
}

TEST(SynthesisHouseholds, EmptyZonesAndChildrenWithoutAdultsAreHandledAndCounted) {
  const ZoneHouseholds none = assemble({}, {});
  EXPECT_EQ(none.household_count(), 0u);
  EXPECT_EQ(none.offset, std::vector<std::uint32_t>{0});
  // Three children and nobody old enough to be their parent: each is a leftover household.
  const ZoneHouseholds orphans = assemble({3, 5, 9}, {0, 1, 0});
  EXPECT_EQ(orphans.household_count(), 3u);
  EXPECT_EQ(orphans.leftover_persons, 3);
  EXPECT_EQ(orphans.type,
            (std::vector<std::uint8_t>{kOtherHousehold, kOtherHousehold, kOtherHousehold}));
}

}  // namespace
}  // namespace plansim

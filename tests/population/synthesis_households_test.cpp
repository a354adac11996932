#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "population/synthesis_households.h"
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

}  // namespace
}  // namespace plansim

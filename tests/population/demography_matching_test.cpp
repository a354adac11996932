// The partner matcher: valid couples, maximality, determinism, and a market large enough that an
// all-against-all search would not finish.
#include "population/demography_matching.h"

#include <gtest/gtest.h>

#include <set>

#include "demography_test_world.h"

namespace plansim {
namespace {

using demography_test::TestRandom;

std::vector<MarketEntrant> random_market(std::size_t n, std::uint16_t zones, std::uint64_t seed) {
  TestRandom random(seed);
  std::vector<MarketEntrant> market(n);
  for (std::size_t i = 0; i < n; ++i)
    market[i] = {static_cast<std::uint32_t>(i), static_cast<std::uint16_t>(random.next() % zones),
                 static_cast<std::uint8_t>(random.uniform() < 0.5 ? kMale : kFemale),
                 static_cast<std::uint8_t>(random.between(20, 50))};
  return market;
}

TEST(PartnerMatching, CouplesAreValidAndTheMatchingIsMaximal) {
  const std::uint16_t zones = 5;
  const auto market = random_market(4000, zones, 11);
  const MatchingRules rules{2, 3};
  PartnerMatcher matcher;
  std::vector<Couple> couples;
  matcher.match(market, zones, rules, couples);
  ASSERT_FALSE(couples.empty());
  std::vector<int> used(market.size(), 0);
  std::uint16_t last_zone = 0;
  for (const Couple& c : couples) {
    const MarketEntrant& man = market[c.man_row];
    const MarketEntrant& woman = market[c.woman_row];
    EXPECT_EQ(man.sex, kMale);
    EXPECT_EQ(woman.sex, kFemale);
    EXPECT_EQ(man.zone, woman.zone);
    EXPECT_LE(std::abs(man.age - (woman.age + rules.preferred_age_gap_years)),
              rules.max_age_deviation_years);
    EXPECT_GE(woman.zone, last_zone);  // ordered by zone
    last_zone = woman.zone;
    EXPECT_EQ(++used[c.man_row], 1);
    EXPECT_EQ(++used[c.woman_row], 1);
  }
  // Maximal: no unmatched man and woman of one zone within the window.
  for (const auto& w : market) {
    if (w.sex != kFemale || used[w.row]) continue;
    for (const auto& m : market)
      if (m.sex == kMale && !used[m.row] && m.zone == w.zone) {
        EXPECT_GT(std::abs(m.age - (w.age + rules.preferred_age_gap_years)),
                  rules.max_age_deviation_years);
      }
  }
}

TEST(PartnerMatching, PrefersTheNearestAgeThenTheLowestRow) {
  // One zone: a woman of 26 (preferred man 28), men of 27, 28 (two), 30.
  const std::vector<MarketEntrant> market = {{0, 0, kMale, 27},
                                             {1, 0, kMale, 28},
                                             {2, 0, kFemale, 26},
                                             {3, 0, kMale, 28},
                                             {4, 0, kMale, 30}};
  PartnerMatcher matcher;
  std::vector<Couple> couples;
  matcher.match(market, 1, {2, 8}, couples);
  ASSERT_EQ(couples.size(), 1u);
  EXPECT_EQ(couples[0].man_row, 1u);
  EXPECT_EQ(couples[0].woman_row, 2u);
}

TEST(PartnerMatching, InputOrderDoesNotMatter) {
  auto market = random_market(3000, 3, 5);
  PartnerMatcher matcher;
  std::vector<Couple> a, b;
  matcher.match(market, 3, {2, 5}, a);
  std::reverse(market.begin(), market.end());
  matcher.match(market, 3, {2, 5}, b);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    EXPECT_EQ(a[k].man_row, b[k].man_row);
    EXPECT_EQ(a[k].woman_row, b[k].woman_row);
  }
}

// 200,000 entrants in a single zone: an all-against-all search (4·10^10 pairs) would not finish
// within the test's time; the bucketed search takes milliseconds.
TEST(PartnerMatching, LargeSingleZoneMarketHasNoQuadraticPath) {
  const auto market = random_market(200000, 1, 3);
  PartnerMatcher matcher;
  std::vector<Couple> couples;
  matcher.match(market, 1, {2, 8}, couples);
  std::size_t men = 0;
  for (const auto& e : market) men += e.sex == kMale;
  const std::size_t women = market.size() - men;
  // Ages 20-50 on both sides with a window of ±8 around +2: most of the short side.
  EXPECT_GT(couples.size(), 0.9 * static_cast<double>(std::min(men, women)));
  EXPECT_LE(couples.size(), std::min(men, women));
}

}  // namespace
}  // namespace plansim

#include "core/rounding.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

namespace plansim {
namespace {

std::int64_t sum_of(const std::vector<std::int64_t>& v) {
  return std::accumulate(v.begin(), v.end(), std::int64_t{0});
}

TEST(LargestRemainder, KnownAnswers) {
  EXPECT_EQ(largest_remainder({1.5, 2.5, 3.0}, 7), (std::vector<std::int64_t>{2, 2, 3}));
  EXPECT_EQ(largest_remainder({1.4, 1.6, 2.0}, 5), (std::vector<std::int64_t>{1, 2, 2}));
  // Hamilton's classic example: 3 seats over 6, 3 and 1 votes -> quotas 1.8, 0.9, 0.3.
  EXPECT_EQ(largest_remainder({6, 3, 1}, 3), (std::vector<std::int64_t>{2, 1, 0}));
  // Quotas are rescaled to the total: shares work as well as counts.
  EXPECT_EQ(largest_remainder({0.5, 0.25, 0.25}, 10), (std::vector<std::int64_t>{5, 3, 2}));
  EXPECT_EQ(largest_remainder({0.5, 0.25, 0.25}, 4), (std::vector<std::int64_t>{2, 1, 1}));
}

TEST(LargestRemainder, EdgeCases) {
  EXPECT_EQ(largest_remainder({}, 5), std::vector<std::int64_t>{});
  EXPECT_EQ(largest_remainder({1, 2}, 0), (std::vector<std::int64_t>{0, 0}));
  EXPECT_EQ(largest_remainder({1, 2}, -3), (std::vector<std::int64_t>{0, 0}));
  // No positive quota: spread evenly, the lower indices take the units left over.
  EXPECT_EQ(largest_remainder({0, 0}, 3), (std::vector<std::int64_t>{2, 1}));
  EXPECT_EQ(largest_remainder({0, -1, 0}, 5), (std::vector<std::int64_t>{2, 2, 1}));
  // Negative quotas count as 0.
  EXPECT_EQ(largest_remainder({-4, 1, 3}, 8), (std::vector<std::int64_t>{0, 2, 6}));
}

TEST(LargestRemainder, TiesGoToTheLowerIndex) {
  EXPECT_EQ(largest_remainder({1, 1, 1}, 2), (std::vector<std::int64_t>{1, 1, 0}));
  EXPECT_EQ(largest_remainder({1, 1, 1}, 1), (std::vector<std::int64_t>{1, 0, 0}));
  EXPECT_EQ(largest_remainder({1, 1, 1, 1}, 7), (std::vector<std::int64_t>{2, 2, 2, 1}));
  // Equal remainders after unequal floors: index order, not size, breaks the tie.
  EXPECT_EQ(largest_remainder({2.5, 0.5, 1.0}, 4), (std::vector<std::int64_t>{3, 0, 1}));
  EXPECT_EQ(largest_remainder({0.5, 2.5, 1.0}, 4), (std::vector<std::int64_t>{1, 2, 1}));
  // The same answer every time.
  const std::vector<double> q(50, 0.02);
  const auto first = largest_remainder(q, 33);
  for (int k = 0; k < 5; ++k) EXPECT_EQ(largest_remainder(q, 33), first);
  for (std::size_t i = 0; i < q.size(); ++i) EXPECT_EQ(first[i], i < 33 ? 1 : 0) << i;
}

TEST(LargestRemainder, SumsExactlyAndStaysWithinOneOfEachQuota) {
  std::vector<double> quotas(101);
  for (std::size_t i = 0; i < quotas.size(); ++i) quotas[i] = 1.0 / static_cast<double>(i + 3);
  const double total_quota = std::accumulate(quotas.begin(), quotas.end(), 0.0);
  for (std::int64_t total : {1, 17, 1000, 962642, 123456789}) {
    const auto counts = largest_remainder(quotas, total);
    EXPECT_EQ(sum_of(counts), total);
    for (std::size_t i = 0; i < quotas.size(); ++i) {
      const double exact = quotas[i] * static_cast<double>(total) / total_quota;
      EXPECT_LT(std::abs(static_cast<double>(counts[i]) - exact), 1.0) << i;
    }
  }
  // Quotas that already sum to the total and are whole are kept as they are.
  EXPECT_EQ(largest_remainder({3, 0, 9, 1}, 13), (std::vector<std::int64_t>{3, 0, 9, 1}));
}

TEST(RoundToTotal, IntegerisesQuotasAlreadyScaled) {
  EXPECT_EQ(round_to_total({1.8, 0.9, 0.3}, 3), (std::vector<std::int64_t>{2, 1, 0}));
  EXPECT_EQ(round_to_total({0.5, 0.5, 1.0}, 2), (std::vector<std::int64_t>{1, 0, 1}));
  EXPECT_EQ(round_to_total({}, 2), std::vector<std::int64_t>{});
  EXPECT_EQ(round_to_total({1.5, 1.5}, 0), (std::vector<std::int64_t>{0, 0}));
  // Quotas a rounding error above the total: the floors already sum to it.
  EXPECT_EQ(round_to_total({2.0000000000000004, 1.0}, 3), (std::vector<std::int64_t>{2, 1}));
  // Floors above the total (quotas summing to more): units come off the smallest remainders.
  EXPECT_EQ(round_to_total({2.5, 2.0, 1.25}, 4), (std::vector<std::int64_t>{2, 1, 1}));
  // largest_remainder() is the scaling by total / sum followed by this step.
  const std::vector<double> weights = {52000, 110000, 35000, 58000, 20000, 125000, 62000};
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  for (std::int64_t total : {1, 154, 1000, 98765}) {
    std::vector<double> scaled;
    for (double w : weights) scaled.push_back(w * (static_cast<double>(total) / sum));
    EXPECT_EQ(round_to_total(scaled, total), largest_remainder(weights, total)) << total;
    EXPECT_EQ(sum_of(round_to_total(scaled, total)), total);
  }
}

}  // namespace
}  // namespace plansim

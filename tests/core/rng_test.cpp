// The bulk Philox blocks equal the blocks of the per-subject streams, bit for bit.
#include "core/rng.h"

#include <gtest/gtest.h>

#include <vector>

namespace plansim {
namespace {

TEST(RngStreams, FirstBlocksEqualTheStreams) {
  const RngStreams rng(20211116, 3);
  // Lengths around the vector width, subjects with high bits and tags set.
  for (std::size_t n : {0u, 1u, 15u, 16u, 17u, 33u, 1000u}) {
    std::vector<std::uint64_t> subjects(n);
    for (std::size_t k = 0; k < n; ++k)
      subjects[k] = (std::uint64_t{k % 9} << 56) | (k * 0x9E3779B97F4A7C15ull >> 9);
    std::vector<std::uint32_t> blocks(4 * n);
    rng.first_blocks(2031, 2, subjects.data(), n, blocks.data());
    for (std::size_t k = 0; k < n; ++k) {
      AgentRng stream = rng.stream(2031, 2, subjects[k]);
      for (int w = 0; w < 4; ++w) ASSERT_EQ(blocks[4 * k + w], stream.next32()) << n << " " << k;
      AgentRng again = rng.stream(2031, 2, subjects[k]);
      EXPECT_EQ(uniform_from_block(&blocks[4 * k]), again.uniform());
      EXPECT_EQ(uniform_from_block(&blocks[4 * k + 2]), again.uniform());
    }
  }
}

TEST(RngStreams, FirstBlocksDependOnYearProcessAndSubject) {
  const RngStreams rng(1, 0);
  const std::uint64_t subject = 42;
  std::uint32_t a[4], b[4], c[4], d[4];
  rng.first_blocks(2020, 2, &subject, 1, a);
  rng.first_blocks(2021, 2, &subject, 1, b);
  rng.first_blocks(2020, 3, &subject, 1, c);
  const std::uint64_t other = 43;
  rng.first_blocks(2020, 2, &other, 1, d);
  EXPECT_NE(a[0], b[0]);
  EXPECT_NE(a[0], c[0]);
  EXPECT_NE(a[0], d[0]);
}

}  // namespace
}  // namespace plansim

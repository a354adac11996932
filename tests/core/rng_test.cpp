// The bulk Philox blocks equal the blocks of the per-subject streams, bit for bit.
#include "core/rng.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "core/process.h"

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

TEST(RngSubject, TagInTheTopByteIdBelow) {
  static_assert(rng_subject(0u, 12345) == 12345);  // tag 0: the id's own stream
  static_assert(rng_subject(5u, 7) == ((std::uint64_t{5} << 56) | 7));
  static_assert(rng_subject(255u, kRngIdMask) == ~std::uint64_t{0});
  enum class Purpose : std::uint8_t { kA = 3 };
  static_assert(rng_subject(Purpose::kA, 9) == ((std::uint64_t{3} << 56) | 9));
  EXPECT_EQ(rng_subject(0x10u, 42), 0x1000'0000'0000'002Aull);
  // An id above 56 bits would reach into another purpose's streams; a tag above 255 out of the
  // subject.
  EXPECT_THROW(rng_subject(1u, kRngIdMask + 1), std::out_of_range);
  EXPECT_THROW(rng_subject(1u, ~std::uint64_t{0}), std::out_of_range);
  EXPECT_THROW(rng_subject(256u, 1), std::out_of_range);
}

TEST(RngSubject, TagListsThatShareAStreamAreRejected) {
  constexpr RngPurpose ok[] = {{"a", 0}, {"b", 1}, {"rounds", 64, 50}, {"c", 114}};
  static_assert(rng_tags_distinct(ok));
  // The same tag in lifetime (year 0) and yearly streams is distinct.
  constexpr RngPurpose lifetime_and_yearly[] = {{"need", 0}, {"wish", 0, 1, true}};
  static_assert(rng_tags_distinct(lifetime_and_yearly));
  constexpr RngPurpose same[] = {{"a", 2}, {"b", 3}, {"c", 2}};
  static_assert(!rng_tags_distinct(same));
  constexpr RngPurpose in_a_range[] = {{"rounds", 64, 50}, {"late", 113}};
  static_assert(!rng_tags_distinct(in_a_range));
  constexpr RngPurpose ranges_overlap[] = {{"x", 10, 5}, {"y", 14, 2}};
  static_assert(!rng_tags_distinct(ranges_overlap));
  constexpr RngPurpose past_the_byte[] = {{"rounds", 250, 7}};
  static_assert(!rng_tags_distinct(past_the_byte));
  constexpr RngPurpose empty_range[] = {{"none", 4, 0}};
  static_assert(!rng_tags_distinct(empty_range));
  constexpr RngPurpose lifetime_overlap[] = {{"a", 1, 1, true}, {"b", 1, 1, true}};
  static_assert(!rng_tags_distinct(lifetime_overlap));
  SUCCEED();
}

TEST(RngSubject, StepContextStreamsByPurpose) {
  World world;
  const RngStreams rng(99, 1);
  ReplicateResults results;
  SeriesCatalog catalog;
  Recorder out(results, catalog, 0, 1.0);
  RunSettings run;
  const StepContext ctx{world, rng, out, 17, 2031, run};
  enum Purpose : std::uint8_t { kOwn = 0, kOther = 4 };
  const std::uint64_t id = 123456789;
  EXPECT_EQ(ctx.stream(kOwn, id).next32(), ctx.stream(id).next32());
  EXPECT_EQ(ctx.stream(kOther, id).next32(),
            rng.stream(2031, 17, (std::uint64_t{4} << 56) | id).next32());
  EXPECT_NE(ctx.stream(kOther, id).next32(), ctx.stream(kOwn, id).next32());
  EXPECT_EQ(ctx.lifetime_stream(kOther, id).next32(),
            rng.stream(kRngLifetimeYear, 17, (std::uint64_t{4} << 56) | id).next32());
}

}  // namespace
}  // namespace plansim

// Counter-based random numbers (Random123 Philox4x32-10).
//
// key     = (seed, replicate)
// counter = (agent id low, agent id high, year << 16 | process id, draw block)
//
// A draw depends only on who draws (agent id), for what (process id), when (year) and which
// draw it is: never on the thread, the row or the order of evaluation. This is what makes results
// bit-identical across thread and rank counts.
//
// One process draws for several purposes (a death, a birth, a move), so the 64-bit subject of a
// stream is rng_subject(purpose tag, id): the tag in the top 8 bits, the id (an agent, a
// household, a zone, an index) in the low 56. Draws for one purpose then never shift those for
// another. Each process lists its tags (RngPurpose) and checks them with
// static_assert(rng_tags_distinct(list)).
#pragma once

#include <Random123/philox.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <type_traits>

namespace plansim {

/// Process ids are part of the counter: each process draws from its own streams, so editing one
/// process does not shift another's draws. Ids below 256 are reserved for built-ins.
using ProcessId = std::uint16_t;

class AgentRng;

/// Bits of a stream subject below its purpose tag, and the largest id they hold.
inline constexpr int kRngIdBits = 56;
inline constexpr std::uint64_t kRngIdMask = (std::uint64_t{1} << kRngIdBits) - 1;

/// The stream subject of `id` drawing for purpose `tag`: (tag << 56) | id. Tag 0 is the id's own
/// stream (rng_subject(0, id) == id). Throws std::out_of_range when the tag is above 255 or the id
/// does not fit in 56 bits (it would take another purpose's streams).
constexpr std::uint64_t rng_subject(unsigned tag, std::uint64_t id) {
  if (tag > 0xFFu) throw std::out_of_range("rng_subject: purpose tag above 255");
  if (id > kRngIdMask) throw std::out_of_range("rng_subject: id does not fit in 56 bits");
  return (std::uint64_t{tag} << kRngIdBits) | id;
}
/// The same for a tag given as an enumerator (a process's enum of purposes).
template <class Tag>
requires std::is_enum_v<Tag>
constexpr std::uint64_t rng_subject(Tag tag, std::uint64_t id) {
  return rng_subject(static_cast<unsigned>(tag), id);
}

/// The "year" of the streams of lifetime traits (drawn once, the same in every simulated year).
inline constexpr int kRngLifetimeYear = 0;

/// One purpose a process draws for: its tags [first, first + count) (count > 1 for a family,
/// e.g. one tag per matching round) and whether its streams are drawn in "year" 0 (lifetime
/// traits, the same for a person's whole life) rather than in the simulated year.
struct RngPurpose {
  const char* name;
  unsigned first;
  unsigned count = 1;
  bool lifetime = false;
};

/// True when the purposes of one process never share a stream: no two ranges of the same year
/// kind (lifetime or yearly) overlap, and every range ends by 256. For
/// static_assert(rng_tags_distinct(kMyProcessPurposes)).
template <std::size_t N>
constexpr bool rng_tags_distinct(const RngPurpose (&purposes)[N]) {
  for (std::size_t a = 0; a < N; ++a) {
    if (purposes[a].count == 0 || purposes[a].first + purposes[a].count > 256) return false;
    for (std::size_t b = a + 1; b < N; ++b)
      if (purposes[a].lifetime == purposes[b].lifetime &&
          purposes[a].first < purposes[b].first + purposes[b].count &&
          purposes[b].first < purposes[a].first + purposes[a].count)
        return false;
  }
  return true;
}

/// The random streams of one run (seed, replicate).
class RngStreams {
 public:
  RngStreams(std::uint64_t seed, std::uint32_t replicate);
  /// The stream of one agent (or any other 64-bit subject, e.g. a zone or an alignment step)
  /// for one process in one year.
  AgentRng stream(int year, ProcessId process, std::uint64_t subject) const;
  /// The first Philox block of many streams at once, vectorised (AVX-512 or AVX2 where the CPU
  /// has them, chosen at run time; the same bits on every CPU): out[4k .. 4k+3] are the four words
  /// stream(year, process, subjects[k]) would return from its first four next32() calls, so
  /// uniform_from_block(out + 4k) is its first uniform() and uniform_from_block(out + 4k + 2) its
  /// second. For streaming passes that draw once or twice per agent.
  void first_blocks(int year, ProcessId process, const std::uint64_t* subjects, std::size_t n,
                    std::uint32_t* out) const;
  std::uint64_t seed() const { return seed_; }
  std::uint32_t replicate() const { return replicate_; }

 private:
  friend class AgentRng;
  std::uint64_t seed_;
  std::uint32_t replicate_;
  r123::Philox4x32::key_type key_;
};

/// The uniform on [0, 1) that AgentRng::uniform() makes of two words (53 random bits).
inline double uniform_from_block(const std::uint32_t* words) {
  const std::uint64_t hi = words[0], lo = words[1];
  return static_cast<double>(((hi << 32) | lo) >> 11) * 0x1.0p-53;
}

/// A short-lived generator for one (year, process, subject). Cheap to make; never shared.
class AgentRng {
 public:
  /// Uniform on [0, 1) with 53 random bits.
  double uniform() {
    const std::uint64_t hi = next32();
    const std::uint64_t lo = next32();
    return static_cast<double>(((hi << 32) | lo) >> 11) * 0x1.0p-53;
  }
  /// Uniform on (0, 1): never 0, for logs.
  double uniform_open() {
    double u;
    do u = uniform();
    while (u == 0.0);
    return u;
  }
  bool bernoulli(double p) { return uniform() < p; }
  /// Integer uniform on [0, n).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(next32()) * n) >> 32);
  }
  /// Standard normal (Box-Muller, one of the pair).
  double normal() {
    const double u1 = uniform_open(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  /// Poisson with mean `mean` (inversion for small means, normal approximation above 60).
  std::uint32_t poisson(double mean);
  std::uint32_t next32() {
    if (used_ == 4) refill();
    return block_.v[used_++];
  }

 private:
  friend class RngStreams;
  AgentRng(const r123::Philox4x32::key_type& key, r123::Philox4x32::ctr_type counter)
      : key_(key), counter_(counter) {}
  void refill() {
    block_ = r123::Philox4x32()(counter_, key_);
    ++counter_.v[3];
    used_ = 0;
  }
  r123::Philox4x32::key_type key_;
  r123::Philox4x32::ctr_type counter_;
  r123::Philox4x32::ctr_type block_{};
  int used_ = 4;
};

inline AgentRng RngStreams::stream(int year, ProcessId process, std::uint64_t subject) const {
  r123::Philox4x32::ctr_type c{{static_cast<std::uint32_t>(subject),
                                static_cast<std::uint32_t>(subject >> 32),
                                (static_cast<std::uint32_t>(year) << 16) | process, 0u}};
  return AgentRng(key_, c);
}

}  // namespace plansim

// Counter-based random numbers (Random123 Philox4x32-10).
//
// key     = (seed, replicate)
// counter = (agent id low, agent id high, year << 16 | process id, draw block)
//
// A draw depends only on who draws (agent id), for what (process id), when (year) and which
// draw it is: never on the thread, the row or the order of evaluation. This is what makes results
// bit-identical across thread and rank counts.
#pragma once

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

namespace plansim {

/// Process ids are part of the counter: each process draws from its own streams, so editing one
/// process does not shift another's draws. Ids below 256 are reserved for built-ins.
using ProcessId = std::uint16_t;

class AgentRng;

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

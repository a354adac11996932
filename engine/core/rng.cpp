#include "core/rng.h"

namespace plansim {

RngStreams::RngStreams(std::uint64_t seed, std::uint32_t replicate)
    : seed_(seed), replicate_(replicate) {
  // Philox4x32 has a 64-bit key: fold the 64-bit seed and the replicate into it with a
  // SplitMix64 finaliser so that neighbouring seeds and replicates give unrelated keys.
  std::uint64_t z = seed ^ (0x9E3779B97F4A7C15ull * (static_cast<std::uint64_t>(replicate) + 1));
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  key_ = {{static_cast<std::uint32_t>(z), static_cast<std::uint32_t>(z >> 32)}};
}

std::uint32_t AgentRng::poisson(double mean) {
  if (mean <= 0) return 0;
  if (mean > 60) {
    const double x = mean + std::sqrt(mean) * normal() + 0.5;
    return x <= 0 ? 0u : static_cast<std::uint32_t>(x);
  }
  // Inversion by sequential search.
  const double u = uniform();
  double p = std::exp(-mean), cumulative = p;
  std::uint32_t k = 0;
  while (u > cumulative && k < 1000) {
    ++k;
    p *= mean / k;
    cumulative += p;
  }
  return k;
}

}  // namespace plansim

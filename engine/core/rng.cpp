#include "core/rng.h"

#include <algorithm>

#if defined(__x86_64__)
// GCC 12 reports the deliberately undefined registers inside its AVX-512 headers as uninitialised
// (GCC bug 105593, a false positive); the check stays on for this project's own code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#if !defined(__clang__)  // a GCC-only warning
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif

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

namespace {

// Philox4x32-10 of kLanes counters at once, lane-wise (structure of arrays). Three kernels with
// the same integer arithmetic, hence the same bits as r123::Philox4x32: AVX-512 (16 lanes in one
// register), AVX2 (two registers of 8) and portable C++; the best one the CPU has is chosen once.
constexpr std::size_t kLanes = 16;
constexpr std::uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;
constexpr std::uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;

using Kernel = void (*)(const std::uint32_t* lo, const std::uint32_t* hi, std::uint32_t c2,
                        std::uint32_t key0, std::uint32_t key1, std::uint32_t* out);

void philox_portable(const std::uint32_t* lo, const std::uint32_t* hi, std::uint32_t c2,
                     std::uint32_t key0, std::uint32_t key1, std::uint32_t* out) {
  for (std::size_t j = 0; j < kLanes; ++j) {
    std::uint32_t x0 = lo[j], x1 = hi[j], x2 = c2, x3 = 0, k0 = key0, k1 = key1;
    for (int round = 0; round < 10; ++round) {
      if (round > 0) {
        k0 += kW0;
        k1 += kW1;
      }
      const std::uint64_t p0 = std::uint64_t{kM0} * x0;
      const std::uint64_t p1 = std::uint64_t{kM1} * x2;
      x0 = static_cast<std::uint32_t>(p1 >> 32) ^ x1 ^ k0;
      x1 = static_cast<std::uint32_t>(p1);
      x2 = static_cast<std::uint32_t>(p0 >> 32) ^ x3 ^ k1;
      x3 = static_cast<std::uint32_t>(p0);
    }
    out[4 * j] = x0;
    out[4 * j + 1] = x1;
    out[4 * j + 2] = x2;
    out[4 * j + 3] = x3;
  }
}

#if defined(__x86_64__)
// 32 × 32 → 64-bit products of every 32-bit lane: mul_epu32 multiplies the even lanes; the odd
// lanes are shifted down first. Then the high and low halves are put back into lane order.
__attribute__((target("avx2"))) inline void mulhilo8(__m256i x, __m256i m, __m256i& hi,
                                                     __m256i& lo) {
  const __m256i even = _mm256_mul_epu32(x, m);
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), m);
  lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

__attribute__((target("avx2"))) void philox_avx2(const std::uint32_t* lo, const std::uint32_t* hi,
                                                 std::uint32_t c2, std::uint32_t key0,
                                                 std::uint32_t key1, std::uint32_t* out) {
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(kM0));
  const __m256i m1 = _mm256_set1_epi32(static_cast<int>(kM1));
  for (std::size_t half = 0; half < 2; ++half) {
    __m256i x0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(lo + 8 * half));
    __m256i x1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(hi + 8 * half));
    __m256i x2 = _mm256_set1_epi32(static_cast<int>(c2));
    __m256i x3 = _mm256_setzero_si256();
    std::uint32_t k0 = key0, k1 = key1;
    for (int round = 0; round < 10; ++round) {
      if (round > 0) {
        k0 += kW0;
        k1 += kW1;
      }
      __m256i hi0, lo0, hi1, lo1;
      mulhilo8(x0, m0, hi0, lo0);
      mulhilo8(x2, m1, hi1, lo1);
      x0 = _mm256_xor_si256(_mm256_xor_si256(hi1, x1), _mm256_set1_epi32(static_cast<int>(k0)));
      x1 = lo1;
      x2 = _mm256_xor_si256(_mm256_xor_si256(hi0, x3), _mm256_set1_epi32(static_cast<int>(k1)));
      x3 = lo0;
    }
    alignas(32) std::uint32_t w[4][8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(w[0]), x0);
    _mm256_store_si256(reinterpret_cast<__m256i*>(w[1]), x1);
    _mm256_store_si256(reinterpret_cast<__m256i*>(w[2]), x2);
    _mm256_store_si256(reinterpret_cast<__m256i*>(w[3]), x3);
    for (std::size_t j = 0; j < 8; ++j)
      for (std::size_t k = 0; k < 4; ++k) out[4 * (8 * half + j) + k] = w[k][j];
  }
}

#pragma GCC diagnostic push  // GCC bug 105593 again, where the AVX-512 intrinsics are inlined
#pragma GCC diagnostic ignored "-Wuninitialized"
#if !defined(__clang__)  // a GCC-only warning
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
__attribute__((target("avx512f"))) inline void mulhilo16(__m512i x, __m512i m, __m512i& hi,
                                                         __m512i& lo) {
  const __m512i even = _mm512_mul_epu32(x, m);
  const __m512i odd = _mm512_mul_epu32(_mm512_srli_epi64(x, 32), m);
  lo = _mm512_mask_blend_epi32(0xAAAA, even, _mm512_slli_epi64(odd, 32));
  hi = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(even, 32), odd);
}

__attribute__((target("avx512f"))) void philox_avx512(const std::uint32_t* lo,
                                                      const std::uint32_t* hi, std::uint32_t c2,
                                                      std::uint32_t key0, std::uint32_t key1,
                                                      std::uint32_t* out) {
  const __m512i m0 = _mm512_set1_epi32(static_cast<int>(kM0));
  const __m512i m1 = _mm512_set1_epi32(static_cast<int>(kM1));
  __m512i x0 = _mm512_loadu_si512(lo);
  __m512i x1 = _mm512_loadu_si512(hi);
  __m512i x2 = _mm512_set1_epi32(static_cast<int>(c2));
  __m512i x3 = _mm512_setzero_si512();
  std::uint32_t k0 = key0, k1 = key1;
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k0 += kW0;
      k1 += kW1;
    }
    __m512i hi0, lo0, hi1, lo1;
    mulhilo16(x0, m0, hi0, lo0);
    mulhilo16(x2, m1, hi1, lo1);
    x0 = _mm512_xor_si512(_mm512_xor_si512(hi1, x1), _mm512_set1_epi32(static_cast<int>(k0)));
    x1 = lo1;
    x2 = _mm512_xor_si512(_mm512_xor_si512(hi0, x3), _mm512_set1_epi32(static_cast<int>(k1)));
    x3 = lo0;
  }
  // Interleave the four words of each lane: out[4j + k] = word k of lane j.
  alignas(64) std::uint32_t w[4][16];
  _mm512_store_si512(w[0], x0);
  _mm512_store_si512(w[1], x1);
  _mm512_store_si512(w[2], x2);
  _mm512_store_si512(w[3], x3);
  for (std::size_t j = 0; j < 16; ++j)
    for (std::size_t k = 0; k < 4; ++k) out[4 * j + k] = w[k][j];
}
#pragma GCC diagnostic pop
#endif

Kernel pick_kernel() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return philox_avx512;
  if (__builtin_cpu_supports("avx2")) return philox_avx2;
#endif
  return philox_portable;
}

}  // namespace

void RngStreams::first_blocks(int year, ProcessId process, const std::uint64_t* subjects,
                              std::size_t n, std::uint32_t* out) const {
  static const Kernel philox_lanes = pick_kernel();
  const std::uint32_t c2 = (static_cast<std::uint32_t>(year) << 16) | process;
  std::uint32_t lo[kLanes], hi[kLanes], block[4 * kLanes];
  for (std::size_t begin = 0; begin < n; begin += kLanes) {
    const std::size_t count = std::min(kLanes, n - begin);
    for (std::size_t j = 0; j < kLanes; ++j) {
      const std::uint64_t s = j < count ? subjects[begin + j] : 0;
      lo[j] = static_cast<std::uint32_t>(s);
      hi[j] = static_cast<std::uint32_t>(s >> 32);
    }
    if (count == kLanes) {
      philox_lanes(lo, hi, c2, key_.v[0], key_.v[1], out + 4 * begin);
    } else {
      philox_lanes(lo, hi, c2, key_.v[0], key_.v[1], block);
      std::copy(block, block + 4 * count, out + 4 * begin);
    }
  }
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

// The low-discrepancy design that gives every replicate its parameter vector.
//
// Point k of a d-dimensional Sobol' sequence (Boost.Random's sobol_engine: Joe and Kuo's
// direction numbers, up to 3,667 dimensions), randomised by a digital shift: every coordinate's
// 32 bits are XORed with a word drawn from Philox keyed by the seed (L'Ecuyer and Lemieux 2002,
// "Recent advances in randomized quasi-Monte Carlo methods"). Boost offers no scrambling; the
// shift keeps the net structure (the first 2^m points of each coordinate stay one per interval of
// width 2^-m) and makes every point uniform on the unit cube, so estimates are unbiased.
//
// Point 0 is the (shifted) origin and point k ≥ 1 is Boost's k-th point, so points 0..2^m-1 form
// a (t, m, d)-net. A point depends only on (seed, k, coordinate): replicate k is the same in an
// ensemble of 8 or of 32, on any rank.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace plansim {

class SobolDesign {
 public:
  /// `dimensions` ≥ 1 and at most kMaxDimensions (std::invalid_argument otherwise).
  SobolDesign(std::size_t dimensions, std::uint64_t seed);
  ~SobolDesign();
  SobolDesign(SobolDesign&&) noexcept;
  SobolDesign& operator=(SobolDesign&&) noexcept;

  std::size_t dimensions() const { return shift_.size(); }
  /// The coordinates of point k, each in (0, 1) (the midpoint of its 2^-32 cell, never 0 or 1).
  std::vector<double> point(std::uint64_t k) const;
  void point(std::uint64_t k, double* out) const;

  static constexpr std::size_t kMaxDimensions = 3667;

 private:
  struct Engine;
  std::unique_ptr<Engine> engine_;  // Boost's engine with the direction numbers
  std::vector<std::uint32_t> shift_;
};

}  // namespace plansim

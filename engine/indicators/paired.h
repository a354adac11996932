// Differences between two scenarios, replicate by replicate. Replicate k of two runs of the same
// seed shares its random streams and its parameter draws (common random numbers,
// docs/uncertainty.md), so the difference of replicate k carries only what the scenarios change:
// a paired interval of the mean difference is far narrower than the spread of either ensemble,
// and a change that acts on nothing gives a difference of exactly zero.
//
// Δ of a quantity: the mean of the paired differences with its 95% Student t interval and the
// two-sided paired t test. Δ P(met): the change of the share of replicates meeting a target with
// the exact McNemar test on the discordant pairs (replicates meeting it in one scenario only) and
// a 95% interval (Wald on the paired differences with the Agresti-Min adjustment). "Significant"
// means p < 0.05 for that one comparison (no correction for the many targets compared at once).
//
// Runs of different seeds or replicate numbers cannot be paired: their Δ uses Welch's interval
// and test, and Δ P(met) a two-sample test on the two proportions (Fisher's exact test).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "indicators/targets.h"

namespace plansim {

inline constexpr double kSignificanceLevel = 0.05;

struct DifferenceTest {
  bool paired = false;
  std::size_t count = 0;     // pairs (paired), else the smaller of the two samples
  double mean = 0;           // other − first
  double low = 0, high = 0;  // 95% interval of the mean difference (NaN with too few values)
  double p_value = 0;        // two-sided; NaN with too few values
  bool significant = false;  // p < kSignificanceLevel
};

/// `first` and `other` are one value per replicate. Paired: aligned by replicate (same replicate
/// numbers), a pair with a NaN on either side is left out. Unpaired: NaN values are left out.
/// The statistics are NaN when there are fewer than 2 values (pairs) to estimate from.
DifferenceTest difference_test(const std::vector<double>& first, const std::vector<double>& other,
                               bool paired);

struct ProportionTest {
  bool paired = false;
  std::size_t count = 0;                       // pairs (paired) or the smaller sample
  std::size_t only_first = 0, only_other = 0;  // discordant pairs (paired)
  double delta = 0;                            // P(other) − P(first)
  double low = 0, high = 0;                    // 95% interval of delta
  double p_value = 0;                          // two-sided exact (McNemar; unpaired: Fisher)
  bool significant = false;
};

/// `first` and `other`: per replicate 1 (met), 0 (not met) or NaN (no value: left out).
ProportionTest proportion_test(const std::vector<double>& first, const std::vector<double>& other,
                               bool paired);

/// The quantity `target` scores in each replicate of a row-major [replicate, year] panel aligned
/// with `years` (NaN where it has no value), and whether each meets the target: 1, 0 or NaN.
std::vector<double> scored_by_replicate(const Target& target, const std::vector<int>& years,
                                        const std::vector<double>& panel, std::size_t replicates);
std::vector<double> met_by_replicate(const Target& target, const std::vector<double>& scored);

/// "significant (p = 0.003)", "no significant difference (p = 0.41)", "–" with too few values.
std::string significance_text(double p_value, bool significant);

}  // namespace plansim

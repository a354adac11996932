#include "indicators/paired.h"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/hypergeometric.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdio>
#include <limits>

namespace plansim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kZ975 = 1.959963984540054;  // standard normal 97.5% quantile

struct Moments {
  std::size_t n = 0;
  double mean = kNaN, variance = kNaN;  // sample variance (n − 1)
};

Moments moments(const std::vector<double>& values) {
  Moments m;
  m.n = values.size();
  if (m.n == 0) return m;
  double sum = 0;
  for (double v : values) sum += v;
  m.mean = sum / static_cast<double>(m.n);
  if (m.n < 2) return m;
  double squares = 0;
  for (double v : values) squares += (v - m.mean) * (v - m.mean);
  m.variance = squares / static_cast<double>(m.n - 1);
  return m;
}

// Interval and two-sided p of a mean difference with standard error `se` on `df` degrees of
// freedom. A standard error of 0 (every pair differs by the same amount) is no noise at all.
void t_statistics(DifferenceTest& out, double se, double df) {
  if (!(se > 0)) {
    out.low = out.high = out.mean;
    out.p_value = out.mean == 0 ? 1.0 : 0.0;
  } else {
    const boost::math::students_t t(df);
    const double half = boost::math::quantile(boost::math::complement(t, 0.025)) * se;
    out.low = out.mean - half;
    out.high = out.mean + half;
    out.p_value = 2 * boost::math::cdf(boost::math::complement(t, std::abs(out.mean) / se));
  }
  out.p_value = std::min(out.p_value, 1.0);
  out.significant = out.p_value < kSignificanceLevel;
}

// Two-sided exact p of Fisher's test on the 2×2 table (x1 of n1, x2 of n2): the probability of
// every table with the same margins that is at most as likely as the observed one.
double fisher_exact(std::size_t x1, std::size_t n1, std::size_t x2, std::size_t n2) {
  const std::size_t successes = x1 + x2, total = n1 + n2;
  if (successes == 0 || successes == total) return 1.0;
  const boost::math::hypergeometric_distribution<double> h(successes, n1, total);
  const double observed = boost::math::pdf(h, x1);
  const std::size_t lo = successes > n2 ? successes - n2 : 0, hi = std::min(successes, n1);
  double p = 0;
  for (std::size_t k = lo; k <= hi; ++k) {
    const double q = boost::math::pdf(h, k);
    if (q <= observed * (1 + 1e-7)) p += q;
  }
  return std::min(p, 1.0);
}

}  // namespace

DifferenceTest difference_test(const std::vector<double>& first, const std::vector<double>& other,
                               bool paired) {
  DifferenceTest out;
  out.paired = paired;
  out.mean = out.low = out.high = out.p_value = kNaN;
  if (paired) {
    std::vector<double> d;
    for (std::size_t r = 0; r < first.size() && r < other.size(); ++r)
      if (!std::isnan(first[r]) && !std::isnan(other[r])) d.push_back(other[r] - first[r]);
    const Moments m = moments(d);
    out.count = m.n;
    out.mean = m.mean;
    if (m.n < 2) return out;
    t_statistics(out, std::sqrt(m.variance / static_cast<double>(m.n)),
                 static_cast<double>(m.n - 1));
    return out;
  }
  std::vector<double> a, b;
  for (double v : first)
    if (!std::isnan(v)) a.push_back(v);
  for (double v : other)
    if (!std::isnan(v)) b.push_back(v);
  const Moments ma = moments(a), mb = moments(b);
  out.count = std::min(ma.n, mb.n);
  if (ma.n == 0 || mb.n == 0) return out;
  out.mean = mb.mean - ma.mean;
  if (ma.n < 2 || mb.n < 2) return out;
  // Welch: unequal variances, Welch-Satterthwaite degrees of freedom.
  const double va = ma.variance / static_cast<double>(ma.n);
  const double vb = mb.variance / static_cast<double>(mb.n);
  const double se = std::sqrt(va + vb);
  const double df =
      se > 0
          ? (va + vb) * (va + vb) /
                (va * va / static_cast<double>(ma.n - 1) + vb * vb / static_cast<double>(mb.n - 1))
          : 1.0;
  t_statistics(out, se, df);
  return out;
}

ProportionTest proportion_test(const std::vector<double>& first, const std::vector<double>& other,
                               bool paired) {
  ProportionTest out;
  out.paired = paired;
  out.delta = out.low = out.high = out.p_value = kNaN;
  if (paired) {
    std::size_t n = 0, b = 0, c = 0;
    for (std::size_t r = 0; r < first.size() && r < other.size(); ++r) {
      if (std::isnan(first[r]) || std::isnan(other[r])) continue;
      ++n;
      const bool x = first[r] != 0, y = other[r] != 0;
      b += x && !y;
      c += !x && y;
    }
    out.count = n;
    out.only_first = b;
    out.only_other = c;
    if (n == 0) return out;
    out.delta = (static_cast<double>(c) - static_cast<double>(b)) / static_cast<double>(n);
    // Exact McNemar: under no difference each discordant pair goes either way with 1/2.
    const std::size_t discordant = b + c;
    out.p_value =
        discordant == 0
            ? 1.0
            : std::min(1.0, 2 * boost::math::cdf(
                                    boost::math::binomial(static_cast<double>(discordant), 0.5),
                                    static_cast<double>(std::min(b, c))));
    // Agresti-Min: the Wald interval of the paired difference with 1/2 added to every cell.
    const double nn = static_cast<double>(n) + 2, bb = static_cast<double>(b) + 0.5,
                 cc = static_cast<double>(c) + 0.5;
    const double centre = (cc - bb) / nn;
    const double se = std::sqrt(std::max(0.0, (bb + cc) - (cc - bb) * (cc - bb) / nn)) / nn;
    out.low = std::max(-1.0, centre - kZ975 * se);
    out.high = std::min(1.0, centre + kZ975 * se);
  } else {
    std::size_t n1 = 0, x1 = 0, n2 = 0, x2 = 0;
    for (double v : first)
      if (!std::isnan(v)) ++n1, x1 += v != 0;
    for (double v : other)
      if (!std::isnan(v)) ++n2, x2 += v != 0;
    out.count = std::min(n1, n2);
    if (n1 == 0 || n2 == 0) return out;
    out.delta = static_cast<double>(x2) / static_cast<double>(n2) -
                static_cast<double>(x1) / static_cast<double>(n1);
    out.p_value = fisher_exact(x1, n1, x2, n2);
    // Agresti-Caffo: one success and one failure added to each sample.
    const double p1 = (static_cast<double>(x1) + 1) / (static_cast<double>(n1) + 2);
    const double p2 = (static_cast<double>(x2) + 1) / (static_cast<double>(n2) + 2);
    const double se = std::sqrt(p1 * (1 - p1) / (static_cast<double>(n1) + 2) +
                                p2 * (1 - p2) / (static_cast<double>(n2) + 2));
    out.low = std::max(-1.0, p2 - p1 - kZ975 * se);
    out.high = std::min(1.0, p2 - p1 + kZ975 * se);
  }
  out.significant = out.p_value < kSignificanceLevel;
  return out;
}

std::vector<double> scored_by_replicate(const Target& target, const std::vector<int>& years,
                                        const std::vector<double>& panel, std::size_t replicates) {
  std::vector<double> out(replicates, kNaN);
  const std::size_t columns = years.size();
  if (panel.size() < replicates * columns) return out;
  std::vector<double> row(columns);
  for (std::size_t r = 0; r < replicates; ++r) {
    std::copy_n(panel.begin() + static_cast<std::ptrdiff_t>(r * columns), columns, row.begin());
    out[r] = scored_value(target, years, row);
  }
  return out;
}

std::vector<double> met_by_replicate(const Target& target, const std::vector<double>& scored) {
  std::vector<double> out;
  out.reserve(scored.size());
  for (double v : scored) out.push_back(std::isnan(v) ? kNaN : target_met(target, v) ? 1.0 : 0.0);
  return out;
}

std::string significance_text(double p_value, bool significant) {
  if (std::isnan(p_value)) return "–";
  char buffer[48];
  if (p_value < 0.001)
    std::snprintf(buffer, sizeof buffer, "p < 0.001");
  else
    std::snprintf(buffer, sizeof buffer, "p = %.3f", p_value);
  return (significant ? "significant (" : "no significant difference (") + std::string(buffer) +
         ")";
}

}  // namespace plansim

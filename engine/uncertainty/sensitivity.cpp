#include "uncertainty/sensitivity.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>

#include "core/quantile.h"
#include "uncertainty/design.h"

namespace plansim {
namespace {

// A uniform index below n from the engine, the same on every standard library (the
// distributions of <random> are implementation-defined; the engines are not).
std::size_t below(std::mt19937_64& engine, std::size_t n) {
  return static_cast<std::size_t>(engine() % static_cast<std::uint64_t>(n));
}

// S_i and T_i of every parameter over the base points `points` (with repetition, for the
// bootstrap). f[j * (d + 2) + 0] = f(A_j), + 1 = f(B_j), + 2 + i = f(A_B^(i)_j). The first-order
// estimator takes f(B_j) minus the mean (as SALib does by standardising the outputs): its
// expectation is the same, since f(A_B^(i)) − f(A) has mean 0, but without centring its variance
// grows with the square of the mean, and an output whose mean is large against its spread (a GDP
// of 758 亿元 ± 5) gets indices of ±100 from a few dozen points.
void estimate(const std::vector<double>& f, std::size_t d, const std::vector<std::size_t>& points,
              std::vector<double>& first, std::vector<double>& total) {
  const std::size_t stride = d + 2;
  const double n = static_cast<double>(points.size());
  double sum = 0;
  for (std::size_t j : points) sum += f[j * stride] + f[j * stride + 1];
  const double mean = sum / (2 * n);
  double squares = 0;
  for (std::size_t j : points) {
    squares += (f[j * stride] - mean) * (f[j * stride] - mean);
    squares += (f[j * stride + 1] - mean) * (f[j * stride + 1] - mean);
  }
  const double variance = squares / (2 * n - 1);
  first.assign(d, 0.0);
  total.assign(d, 0.0);
  if (!(variance > 0)) return;
  for (std::size_t i = 0; i < d; ++i) {
    double s = 0, t = 0;
    for (std::size_t j : points) {
      const double a = f[j * stride], b = f[j * stride + 1], ab = f[j * stride + 2 + i];
      s += (b - mean) * (ab - a);    // Saltelli 2010, on centred outputs (below)
      t += (a - ab) * (a - ab) / 2;  // Jansen 1999
    }
    first[i] = s / n / variance;
    total[i] = t / n / variance;
  }
}

}  // namespace

SaltelliDesign saltelli_design(std::size_t base, std::size_t dimensions, std::uint64_t seed) {
  if (base == 0 || dimensions == 0)
    throw std::invalid_argument("a Saltelli design needs at least one point and one parameter");
  SaltelliDesign design;
  design.base = base;
  design.dimensions = dimensions;
  const SobolDesign sobol(2 * dimensions, seed);
  design.rows.reserve(base * design.rows_per_point());
  std::vector<double> u(2 * dimensions);
  for (std::size_t j = 0; j < base; ++j) {
    // Point 0 of a shifted Sobol' sequence is as good as any other: no point is skipped.
    sobol.point(j, u.data());
    const std::vector<double> a(u.begin(), u.begin() + static_cast<std::ptrdiff_t>(dimensions));
    const std::vector<double> b(u.begin() + static_cast<std::ptrdiff_t>(dimensions), u.end());
    design.rows.push_back(a);
    design.rows.push_back(b);
    for (std::size_t i = 0; i < dimensions; ++i) {
      std::vector<double> ab = a;
      ab[i] = b[i];
      design.rows.push_back(std::move(ab));
    }
  }
  return design;
}

std::vector<SobolIndex> sobol_indices(const SaltelliDesign& design,
                                      const std::vector<double>& outputs, std::size_t bootstrap,
                                      std::uint64_t seed) {
  const std::size_t d = design.dimensions, stride = design.rows_per_point();
  if (outputs.size() != design.base * stride)
    throw std::invalid_argument("sobol_indices: " + std::to_string(outputs.size()) +
                                " outputs for a design of " + std::to_string(design.base * stride) +
                                " rows");
  std::vector<std::size_t> points;
  for (std::size_t j = 0; j < design.base; ++j) {
    bool finite = true;
    for (std::size_t k = 0; k < stride; ++k) finite &= std::isfinite(outputs[j * stride + k]);
    if (finite) points.push_back(j);
  }
  std::vector<SobolIndex> out(d);
  if (points.size() < 2) {
    for (SobolIndex& s : out)
      s = {std::nan(""), std::nan(""), std::nan(""), std::nan(""), std::nan(""), std::nan("")};
    return out;
  }
  std::vector<double> first, total;
  estimate(outputs, d, points, first, total);
  std::vector<std::vector<double>> first_draws(d), total_draws(d);
  std::mt19937_64 engine(seed);
  std::vector<std::size_t> resampled(points.size());
  std::vector<double> f, t;
  for (std::size_t b = 0; b < bootstrap; ++b) {
    for (std::size_t& j : resampled) j = points[below(engine, points.size())];
    estimate(outputs, d, resampled, f, t);
    for (std::size_t i = 0; i < d; ++i) {
      first_draws[i].push_back(f[i]);
      total_draws[i].push_back(t[i]);
    }
  }
  for (std::size_t i = 0; i < d; ++i) {
    out[i].first = first[i];
    out[i].total = total[i];
    out[i].first_low = bootstrap ? quantile(first_draws[i], 0.025) : first[i];
    out[i].first_high = bootstrap ? quantile(first_draws[i], 0.975) : first[i];
    out[i].total_low = bootstrap ? quantile(total_draws[i], 0.025) : total[i];
    out[i].total_high = bootstrap ? quantile(total_draws[i], 0.975) : total[i];
  }
  return out;
}

MorrisDesign morris_design(std::size_t trajectories, std::size_t dimensions, std::size_t levels,
                           std::uint64_t seed) {
  if (trajectories == 0 || dimensions == 0 || levels < 2 || levels % 2 != 0)
    throw std::invalid_argument(
        "a Morris design needs at least one trajectory and one parameter and an even number "
        "of levels (at least 2)");
  MorrisDesign design;
  design.trajectories = trajectories;
  design.dimensions = dimensions;
  design.levels = levels;
  const double step = 1.0 / static_cast<double>(levels - 1);
  design.delta = static_cast<double>(levels) / (2.0 * static_cast<double>(levels - 1));
  // Base values on the grid levels from which +Δ stays on the cube: 0, …, 1 − Δ.
  const std::size_t bases = levels / 2;
  std::mt19937_64 engine(seed);
  for (std::size_t t = 0; t < trajectories; ++t) {
    std::vector<double> x(dimensions);
    for (double& v : x) v = static_cast<double>(below(engine, bases)) * step;
    std::vector<std::size_t> order(dimensions);
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t i = dimensions; i > 1; --i) std::swap(order[i - 1], order[below(engine, i)]);
    design.rows.push_back(x);
    for (std::size_t i : order) {
      x[i] += design.delta;
      design.rows.push_back(x);
    }
    design.moved.push_back(order);
  }
  return design;
}

std::vector<MorrisEffect> morris_effects(const MorrisDesign& design,
                                         const std::vector<double>& outputs) {
  const std::size_t d = design.dimensions, per = d + 1;
  if (outputs.size() != design.trajectories * per)
    throw std::invalid_argument("morris_effects: " + std::to_string(outputs.size()) +
                                " outputs for a design of " +
                                std::to_string(design.trajectories * per) + " rows");
  std::vector<std::vector<double>> effects(d);
  for (std::size_t t = 0; t < design.trajectories; ++t)
    for (std::size_t k = 0; k < d; ++k) {
      const double before = outputs[t * per + k], after = outputs[t * per + k + 1];
      if (std::isfinite(before) && std::isfinite(after))
        effects[design.moved[t][k]].push_back((after - before) / design.delta);
    }
  std::vector<MorrisEffect> out(d);
  for (std::size_t i = 0; i < d; ++i) {
    const std::vector<double>& e = effects[i];
    if (e.empty()) {
      out[i] = {std::nan(""), std::nan(""), std::nan("")};
      continue;
    }
    double sum = 0, absolute = 0;
    for (double v : e) sum += v, absolute += std::abs(v);
    const double n = static_cast<double>(e.size());
    out[i].mu = sum / n;
    out[i].mu_star = absolute / n;
    double squares = 0;
    for (double v : e) squares += (v - out[i].mu) * (v - out[i].mu);
    out[i].sigma = e.size() > 1 ? std::sqrt(squares / (n - 1)) : 0.0;
  }
  return out;
}

}  // namespace plansim

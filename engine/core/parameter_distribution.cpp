#include "core/parameter_distribution.h"

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <cmath>
#include <numeric>
#include <vector>

#include "core/param_record.h"

namespace plansim {
namespace {

// Errors become NaN or infinities instead of exceptions: arguments are checked before use.
using Quiet = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>>;
using Normal = boost::math::normal_distribution<double, Quiet>;
using LogNormal = boost::math::lognormal_distribution<double, Quiet>;
using Beta = boost::math::beta_distribution<double, Quiet>;
using Triangular = boost::math::triangular_distribution<double, Quiet>;
using Uniform = boost::math::uniform_distribution<double, Quiet>;

constexpr ParameterDistribution::Kind kKinds[] = {
    ParameterDistribution::Kind::Uniform,    ParameterDistribution::Kind::Normal,
    ParameterDistribution::Kind::LogNormal,  ParameterDistribution::Kind::Beta,
    ParameterDistribution::Kind::Triangular, ParameterDistribution::Kind::Choice};

std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return number_text(v);
}

}  // namespace

std::string_view distribution_kind_name(ParameterDistribution::Kind kind) {
  switch (kind) {
    case ParameterDistribution::Kind::Uniform:
      return "uniform";
    case ParameterDistribution::Kind::Normal:
      return "normal";
    case ParameterDistribution::Kind::LogNormal:
      return "lognormal";
    case ParameterDistribution::Kind::Beta:
      return "beta";
    case ParameterDistribution::Kind::Triangular:
      return "triangular";
    case ParameterDistribution::Kind::Choice:
      return "choice";
  }
  return "?";
}

ParameterDistribution::ParameterDistribution(Kind kind, double a, double b, double c, double low,
                                             double high)
    : kind_(kind), a_(a), b_(b), c_(c), low_(low), high_(high) {
  if (kind_ == Kind::Choice) return;  // the factory sets the values
  cdf_low_ = std::isinf(low_) ? 0.0 : base_cdf(low_);
  const double cdf_high = std::isinf(high_) ? 1.0 : base_cdf(high_);
  mass_ = cdf_high - cdf_low_;
}

ParameterDistribution ParameterDistribution::uniform(double low, double high) {
  return {Kind::Uniform, low, high, 0, low, high};
}
ParameterDistribution ParameterDistribution::normal(double mean, double sd, double low,
                                                    double high) {
  return {Kind::Normal, mean, sd, 0, low, high};
}
ParameterDistribution ParameterDistribution::lognormal(double meanlog, double sdlog, double low,
                                                       double high) {
  return {Kind::LogNormal, meanlog, sdlog, 0, std::max(0.0, low), high};
}
ParameterDistribution ParameterDistribution::beta(double alpha, double beta, double low,
                                                  double high) {
  return {Kind::Beta, alpha, beta, 0, low, high};
}
ParameterDistribution ParameterDistribution::triangular(double low, double mode, double high) {
  return {Kind::Triangular, low, high, mode, low, high};
}

ParameterDistribution ParameterDistribution::choice(std::vector<double> values,
                                                    std::vector<double> weights) {
  if (values.empty()) values = {0.0};
  if (weights.size() != values.size()) weights.assign(values.size(), 1.0);
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t i, std::size_t j) { return values[i] < values[j]; });
  double total = 0;
  for (double w : weights) total += w;
  ParameterDistribution d(Kind::Choice, 0, 0, 0, values[order.front()], values[order.back()]);
  for (std::size_t i : order) {
    d.values_.push_back(values[i]);
    d.weights_.push_back(total > 0 ? weights[i] / total : 1.0 / static_cast<double>(values.size()));
  }
  return d;
}

double ParameterDistribution::base_cdf(double x) const {
  switch (kind_) {
    case Kind::Uniform:
      return boost::math::cdf(Uniform(a_, b_), std::clamp(x, a_, b_));
    case Kind::Normal:
      return boost::math::cdf(Normal(a_, b_), x);
    case Kind::LogNormal:
      return x <= 0 ? 0.0 : boost::math::cdf(LogNormal(a_, b_), x);
    case Kind::Beta: {
      const double t = std::clamp((x - low_) / (high_ - low_), 0.0, 1.0);
      return boost::math::cdf(Beta(a_, b_), t);
    }
    case Kind::Triangular:
      return boost::math::cdf(Triangular(a_, c_, b_), std::clamp(x, a_, b_));
    case Kind::Choice:
      break;  // handled by cdf()
  }
  return 0;
}

double ParameterDistribution::base_quantile(double p) const {
  switch (kind_) {
    case Kind::Uniform:
      return boost::math::quantile(Uniform(a_, b_), p);
    case Kind::Normal:
      return boost::math::quantile(Normal(a_, b_), p);
    case Kind::LogNormal:
      return boost::math::quantile(LogNormal(a_, b_), p);
    case Kind::Beta:
      return low_ + (high_ - low_) * boost::math::quantile(Beta(a_, b_), p);
    case Kind::Triangular:
      return boost::math::quantile(Triangular(a_, c_, b_), p);
    case Kind::Choice:
      break;  // handled by quantile()
  }
  return 0;
}

double ParameterDistribution::base_density(double x) const {
  switch (kind_) {
    case Kind::Uniform:
      return boost::math::pdf(Uniform(a_, b_), x);
    case Kind::Normal:
      return boost::math::pdf(Normal(a_, b_), x);
    case Kind::LogNormal:
      return x <= 0 ? 0.0 : boost::math::pdf(LogNormal(a_, b_), x);
    case Kind::Beta:
      return boost::math::pdf(Beta(a_, b_), (x - low_) / (high_ - low_)) / (high_ - low_);
    case Kind::Triangular:
      return boost::math::pdf(Triangular(a_, c_, b_), x);
    case Kind::Choice:
      break;  // handled by density()
  }
  return 0;
}

double ParameterDistribution::density(double x) const {
  if (kind_ == Kind::Choice) {
    double p = 0;
    for (std::size_t i = 0; i < values_.size(); ++i)
      if (values_[i] == x) p += weights_[i];
    return p;
  }
  if (!in_support(x) || mass_ <= 0) return 0.0;
  return base_density(x) / mass_;
}

double ParameterDistribution::log_density(double x) const {
  const double d = density(x);
  return d > 0 ? std::log(d) : -kInfinity;
}

double ParameterDistribution::cdf(double x) const {
  if (kind_ == Kind::Choice) {
    double p = 0;
    for (std::size_t i = 0; i < values_.size() && values_[i] <= x; ++i) p += weights_[i];
    return std::min(p, 1.0);
  }
  if (x <= low_) return 0.0;
  if (x >= high_) return 1.0;
  return std::clamp((base_cdf(x) - cdf_low_) / mass_, 0.0, 1.0);
}

double ParameterDistribution::quantile(double p) const {
  if (kind_ == Kind::Choice) {
    double cumulative = 0;
    for (std::size_t i = 0; i + 1 < values_.size(); ++i) {
      cumulative += weights_[i];
      if (p <= cumulative) return values_[i];
    }
    return values_.back();
  }
  if (p <= 0) return low_;
  if (p >= 1) return high_;
  return std::clamp(base_quantile(cdf_low_ + p * mass_), low_, high_);
}

double ParameterDistribution::mean() const {
  if (kind_ == Kind::Choice) {
    double m = 0;
    for (std::size_t i = 0; i < values_.size(); ++i) m += weights_[i] * values_[i];
    return m;
  }
  if (mass_ >= 1.0 - 1e-15) {
    switch (kind_) {
      case Kind::Uniform:
        return 0.5 * (a_ + b_);
      case Kind::Normal:
        return a_;
      case Kind::LogNormal:
        return std::exp(a_ + 0.5 * b_ * b_);
      case Kind::Beta:
        return low_ + (high_ - low_) * a_ / (a_ + b_);
      case Kind::Triangular:
        return (a_ + b_ + c_) / 3.0;
      case Kind::Choice:
        break;
    }
  }
  // Truncated: the mean of the quantile function (midpoint rule over p).
  constexpr int kPoints = 4096;
  double sum = 0;
  for (int i = 0; i < kPoints; ++i) sum += quantile((i + 0.5) / kPoints);
  return sum / kPoints;
}

double ParameterDistribution::sd() const {
  const double m = mean();
  if (kind_ == Kind::Choice) {
    double v = 0;
    for (std::size_t i = 0; i < values_.size(); ++i)
      v += weights_[i] * (values_[i] - m) * (values_[i] - m);
    return std::sqrt(v);
  }
  constexpr int kPoints = 4096;
  double sum = 0;
  for (int i = 0; i < kPoints; ++i) {
    const double d = quantile((i + 0.5) / kPoints) - m;
    sum += d * d;
  }
  return std::sqrt(sum / kPoints);
}

namespace {
bool equal_weights(const std::vector<double>& w) {
  return std::all_of(w.begin(), w.end(),
                     [&](double x) { return std::fabs(x - w.front()) < 1e-12; });
}
std::string number_list(const std::vector<double>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + number(v[i]);
  return out;
}
}  // namespace

std::string ParameterDistribution::describe() const {
  std::string text(distribution_kind_name(kind_));
  switch (kind_) {
    case Kind::Choice:
      text += "(" + number_list(values_) + ")";
      if (!equal_weights(weights_)) text += " with probabilities " + number_list(weights_);
      return text;
    case Kind::Uniform:
      return text + "(" + number(a_) + ", " + number(b_) + ")";
    case Kind::Triangular:
      return text + "(" + number(a_) + ", " + number(c_) + ", " + number(b_) + ")";
    case Kind::Normal:
    case Kind::LogNormal:
    case Kind::Beta: {
      text += "(" + number(a_) + ", " + number(b_) + ")";
      const bool default_support =
          (kind_ == Kind::Normal && std::isinf(low_) && std::isinf(high_)) ||
          (kind_ == Kind::LogNormal && low_ == 0 && std::isinf(high_)) ||
          (kind_ == Kind::Beta && low_ == 0 && high_ == 1);
      if (!default_support) text += " on [" + number(low_) + ", " + number(high_) + "]";
      return text;
    }
  }
  return text;
}

std::string ParameterDistribution::to_yaml() const {
  std::string out = "{dist: " + std::string(distribution_kind_name(kind_));
  const auto add = [&](const char* key, double v) {
    if (!std::isinf(v)) out += std::string(", ") + key + ": " + number(v);
  };
  switch (kind_) {
    case Kind::Uniform:
      add("low", a_), add("high", b_);
      break;
    case Kind::Normal:
      add("mean", a_), add("sd", b_), add("low", low_), add("high", high_);
      break;
    case Kind::LogNormal:
      add("meanlog", a_), add("sdlog", b_);
      if (low_ > 0) add("low", low_);
      add("high", high_);
      break;
    case Kind::Beta:
      add("alpha", a_), add("beta", b_), add("low", low_), add("high", high_);
      break;
    case Kind::Triangular:
      add("low", a_), add("mode", c_), add("high", b_);
      break;
    case Kind::Choice:
      out += ", values: [" + number_list(values_) + "]";
      if (!equal_weights(weights_)) out += ", weights: [" + number_list(weights_) + "]";
      break;
  }
  return out + "}";
}

bool is_distribution(const ParamNode& node) { return node.is_map() && node.peek("dist"); }

std::optional<ParameterDistribution> read_distribution(const ParamNode& node, Diagnostics& diags) {
  const ParamRecorder::Pause pause;  // its keys are the distribution's, not the parameter's
  const std::size_t errors_before = diags.size();
  const std::string where = node.path().empty() ? std::string("distribution") : node.path();
  if (!node.is_map()) {
    diags.error(node.loc(), where +
                                ": expected a distribution such as {dist: uniform, low: 0.8, "
                                "high: 1.5}, got " +
                                describe_node(node));
    return std::nullopt;
  }
  std::vector<std::string> names;
  for (ParameterDistribution::Kind k : kKinds) names.emplace_back(distribution_kind_name(k));
  const std::string name = node.required_string("dist", diags);
  std::optional<ParameterDistribution::Kind> kind;
  for (ParameterDistribution::Kind k : kKinds)
    if (name == distribution_kind_name(k)) kind = k;
  if (!kind) {
    if (!name.empty()) {
      const ParamNode* at = node.find("dist");
      std::string message = where + ".dist: unknown distribution '" + name + "'";
      const std::string hint = closest_match(name, names);
      message += hint.empty() ? " (known: " : " (did you mean '" + hint + "'?; known: ";
      for (std::size_t i = 0; i < names.size(); ++i) message += (i ? ", " : "") + names[i];
      diags.error(at->loc(), message + ")");
    }
    // Parameters of an unknown distribution are not checked further.
    node.mark_all_used();
    return std::nullopt;
  }
  const double inf = ParameterDistribution::kInfinity;
  const auto bad = [&](const char* key, const std::string& message) {
    const ParamNode* at = node.find(key);
    diags.error(at ? at->loc() : node.loc(), where + "." + key + ": " + message);
  };
  std::optional<ParameterDistribution> out;
  switch (*kind) {
    case ParameterDistribution::Kind::Uniform: {
      const double low = node.required_number("low", diags);
      const double high = node.required_number("high", diags);
      if (diags.size() == errors_before && !(low < high))
        bad("high", number(high) + " must be above low (" + number(low) + ")");
      out = ParameterDistribution::uniform(low, high);
      break;
    }
    case ParameterDistribution::Kind::Normal: {
      const double mean = node.required_number("mean", diags);
      const double sd = node.required_number("sd", diags);
      const double low = node.number("low", -inf, diags);
      const double high = node.number("high", inf, diags);
      if (diags.size() == errors_before) {
        if (!(sd > 0)) bad("sd", number(sd) + " must be positive");
        if (!(low < high)) bad("high", number(high) + " must be above low (" + number(low) + ")");
      }
      out = ParameterDistribution::normal(mean, sd, low, high);
      break;
    }
    case ParameterDistribution::Kind::LogNormal: {
      const double meanlog = node.required_number("meanlog", diags);
      const double sdlog = node.required_number("sdlog", diags);
      const double low = node.number("low", 0.0, diags, 0.0);
      const double high = node.number("high", inf, diags);
      if (diags.size() == errors_before) {
        if (!(sdlog > 0)) bad("sdlog", number(sdlog) + " must be positive");
        if (!(low < high)) bad("high", number(high) + " must be above low (" + number(low) + ")");
      }
      out = ParameterDistribution::lognormal(meanlog, sdlog, low, high);
      break;
    }
    case ParameterDistribution::Kind::Beta: {
      const double alpha = node.required_number("alpha", diags);
      const double beta = node.required_number("beta", diags);
      const double low = node.number("low", 0.0, diags);
      const double high = node.number("high", 1.0, diags);
      if (diags.size() == errors_before) {
        if (!(alpha > 0)) bad("alpha", number(alpha) + " must be positive");
        if (!(beta > 0)) bad("beta", number(beta) + " must be positive");
        if (!(low < high)) bad("high", number(high) + " must be above low (" + number(low) + ")");
      }
      out = ParameterDistribution::beta(alpha, beta, low, high);
      break;
    }
    case ParameterDistribution::Kind::Triangular: {
      const double low = node.required_number("low", diags);
      const double mode = node.required_number("mode", diags);
      const double high = node.required_number("high", diags);
      if (diags.size() == errors_before) {
        if (!(low < high))
          bad("high", number(high) + " must be above low (" + number(low) + ")");
        else if (mode < low || mode > high)
          bad("mode", number(mode) + " must lie in [low, high] = [" + number(low) + ", " +
                          number(high) + "]");
      }
      out = ParameterDistribution::triangular(low, mode, high);
      break;
    }
    case ParameterDistribution::Kind::Choice: {
      const ParamNode* values_node = node.require("values", diags);
      const std::vector<double> values = node.numbers("values", diags);
      const std::vector<double> weights = node.numbers("weights", diags, 0.0);
      const ParamNode* weights_node = node.find("weights");
      if (diags.size() == errors_before && values_node) {
        if (values.empty()) {
          bad("values", "a choice needs at least one value, e.g. values: [1.0, 1.2, 1.5]");
        } else {
          std::vector<double> sorted = values;
          std::sort(sorted.begin(), sorted.end());
          if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
            bad("values", "every value must be different (give a repeated value more weight)");
          if (weights_node && weights.size() != values.size())
            bad("weights", std::to_string(weights.size()) + " weight(s) for " +
                               std::to_string(values.size()) + " value(s): give one per value");
          else if (weights_node && !(std::accumulate(weights.begin(), weights.end(), 0.0) > 0))
            bad("weights", "at least one weight must be positive");
        }
      }
      out = ParameterDistribution::choice(values, weights);
      break;
    }
  }
  // A truncation that leaves (almost) no probability is a mistake, not a distribution.
  if (diags.size() == errors_before && out && !(out->truncated_mass() > 1e-12))
    diags.error(node.loc(), where + ": [low, high] leaves no probability under " + out->describe());
  node.report_unused(diags);
  if (diags.size() != errors_before) return std::nullopt;
  return out;
}

}  // namespace plansim

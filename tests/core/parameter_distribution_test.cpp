#include "core/parameter_distribution.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/rng.h"

namespace plansim {
namespace {

// A distribution map as the YAML reader would build it: {key: value, ...} on line 1 of p.yaml,
// each value at column 10 * (its position + 1).
ParamNode flow(std::initializer_list<std::pair<const char*, const char*>> kv) {
  ParamNode root(ParamNode::Kind::Map, SourceLoc{"p.yaml", 1, 1}, "prior");
  int column = 2;
  for (auto [k, v] : kv) {
    root.set(k, SourceLoc{"p.yaml", 1, column},
             ParamNode::scalar(v, SourceLoc{"p.yaml", 1, column + 5}, std::string("prior.") + k));
    column += 10;
  }
  return root;
}

ParameterDistribution read_ok(const ParamNode& node) {
  Diagnostics d;
  const auto dist = read_distribution(node, d);
  EXPECT_TRUE(d.empty()) << d.format();
  return dist.value_or(ParameterDistribution::uniform(0, 1));
}

std::string read_error(const ParamNode& node) {
  Diagnostics d;
  EXPECT_FALSE(read_distribution(node, d).has_value());
  return d.format();
}

TEST(ParameterDistribution, KnownAnswers) {
  const ParameterDistribution u =
      read_ok(flow({{"dist", "uniform"}, {"low", "0.8"}, {"high", "1.6"}}));
  EXPECT_DOUBLE_EQ(u.density(1.0), 1.25);
  EXPECT_DOUBLE_EQ(u.density(2.0), 0.0);
  EXPECT_DOUBLE_EQ(u.cdf(1.2), 0.5);
  EXPECT_DOUBLE_EQ(u.quantile(0.25), 1.0);
  EXPECT_DOUBLE_EQ(u.mean(), 1.2);
  EXPECT_EQ(u.log_density(0.5), -ParameterDistribution::kInfinity);

  const ParameterDistribution n =
      read_ok(flow({{"dist", "normal"}, {"mean", "1.1"}, {"sd", "0.1"}}));
  EXPECT_NEAR(n.quantile(0.975), 1.1 + 0.1 * 1.959963985, 1e-9);
  EXPECT_NEAR(n.density(1.1), 1.0 / (0.1 * std::sqrt(2 * M_PI)), 1e-12);
  EXPECT_NEAR(n.sd(), 0.1, 1e-3);

  // Truncated at the mean: the half-normal, mean + sd·sqrt(2/π), density doubled.
  const ParameterDistribution half =
      read_ok(flow({{"dist", "normal"}, {"mean", "0"}, {"sd", "1"}, {"low", "0"}}));
  EXPECT_NEAR(half.truncated_mass(), 0.5, 1e-15);
  EXPECT_NEAR(half.density(0.5), 2 * std::exp(-0.125) / std::sqrt(2 * M_PI), 1e-12);
  EXPECT_NEAR(half.mean(), std::sqrt(2 / M_PI), 1e-4);
  EXPECT_NEAR(half.quantile(0.5), 0.6744897502, 1e-9);
  EXPECT_EQ(half.density(-0.1), 0.0);

  const ParameterDistribution ln =
      read_ok(flow({{"dist", "lognormal"}, {"meanlog", "0.1"}, {"sdlog", "0.2"}}));
  EXPECT_NEAR(ln.quantile(0.5), std::exp(0.1), 1e-12);
  EXPECT_NEAR(ln.mean(), std::exp(0.1 + 0.02), 1e-12);

  // Beta(2, 5) scaled to [10, 20]: mean 10 + 10 · 2/7.
  const ParameterDistribution b = read_ok(
      flow({{"dist", "beta"}, {"alpha", "2"}, {"beta", "5"}, {"low", "10"}, {"high", "20"}}));
  EXPECT_NEAR(b.mean(), 10 + 20.0 / 7, 1e-12);
  EXPECT_NEAR(b.cdf(b.quantile(0.3)), 0.3, 1e-12);
  EXPECT_NEAR(b.density(12), 30 * 0.2 * std::pow(0.8, 4) / 10, 1e-12);  // 30 x (1-x)^4 / width

  const ParameterDistribution t =
      read_ok(flow({{"dist", "triangular"}, {"low", "0"}, {"mode", "1"}, {"high", "3"}}));
  EXPECT_NEAR(t.cdf(1), 1.0 / 3, 1e-12);
  EXPECT_NEAR(t.density(1), 2.0 / 3, 1e-12);
  EXPECT_NEAR(t.mean(), 4.0 / 3, 1e-12);
  EXPECT_NEAR(t.quantile(1.0 / 3), 1.0, 1e-12);
}

// {dist: choice, values: [...], weights: [...]} as the YAML reader would build it (line 2).
ParamNode choice_node(std::vector<const char*> values, std::vector<const char*> weights) {
  ParamNode root(ParamNode::Kind::Map, SourceLoc{"p.yaml", 2, 1}, "prior");
  root.set("dist", SourceLoc{"p.yaml", 2, 2},
           ParamNode::scalar("choice", SourceLoc{"p.yaml", 2, 8}, "prior.dist"));
  const auto list = [](const char* key, const std::vector<const char*>& items, int column) {
    ParamNode seq(ParamNode::Kind::Sequence, SourceLoc{"p.yaml", 2, column},
                  std::string("prior.") + key);
    for (std::size_t i = 0; i < items.size(); ++i)
      seq.items().push_back(
          ParamNode::scalar(items[i], SourceLoc{"p.yaml", 2, column + 1 + 5 * static_cast<int>(i)},
                            std::string("prior.") + key + "[" + std::to_string(i) + "]"));
    return seq;
  };
  root.set("values", SourceLoc{"p.yaml", 2, 20}, list("values", values, 28));
  if (!weights.empty())
    root.set("weights", SourceLoc{"p.yaml", 2, 50}, list("weights", weights, 59));
  return root;
}

TEST(ParameterDistribution, ChoiceKnownAnswers) {
  // Values are sorted with their weights: 1.0 (0.25), 1.2 (0.5), 1.5 (0.25).
  const ParameterDistribution c = read_ok(choice_node({"1.5", "1.0", "1.2"}, {"1", "1", "2"}));
  EXPECT_EQ(c.kind(), ParameterDistribution::Kind::Choice);
  EXPECT_DOUBLE_EQ(c.low(), 1.0);
  EXPECT_DOUBLE_EQ(c.high(), 1.5);
  EXPECT_DOUBLE_EQ(c.density(1.2), 0.5);
  EXPECT_DOUBLE_EQ(c.density(1.1), 0.0);
  EXPECT_DOUBLE_EQ(c.cdf(1.1), 0.25);
  EXPECT_DOUBLE_EQ(c.cdf(1.2), 0.75);
  EXPECT_DOUBLE_EQ(c.quantile(0.2), 1.0);
  EXPECT_DOUBLE_EQ(c.quantile(0.25), 1.0);
  EXPECT_DOUBLE_EQ(c.quantile(0.26), 1.2);
  EXPECT_DOUBLE_EQ(c.quantile(0.5), 1.2);  // the median
  EXPECT_DOUBLE_EQ(c.quantile(0.99), 1.5);
  EXPECT_DOUBLE_EQ(c.mean(), 0.25 * 1.0 + 0.5 * 1.2 + 0.25 * 1.5);
  EXPECT_NEAR(c.sd(), std::sqrt(0.25 * 0.050625 + 0.5 * 0.000625 + 0.25 * 0.075625), 1e-12);
  EXPECT_EQ(c.describe(), "choice(1, 1.2, 1.5) with probabilities 0.25, 0.5, 0.25");
  EXPECT_EQ(c.to_yaml(), "{dist: choice, values: [1, 1.2, 1.5], weights: [0.25, 0.5, 0.25]}");
  // Equal weights when none are given; each value a third of the uniforms.
  const ParameterDistribution e = read_ok(choice_node({"3", "4", "5"}, {}));
  EXPECT_EQ(e.describe(), "choice(3, 4, 5)");
  EXPECT_DOUBLE_EQ(e.quantile(0.3), 3.0);
  EXPECT_DOUBLE_EQ(e.quantile(0.4), 4.0);
  EXPECT_DOUBLE_EQ(e.quantile(0.7), 5.0);
  EXPECT_DOUBLE_EQ(e.mean(), 4.0);
}

TEST(ParameterDistribution, ChoiceErrors) {
  EXPECT_EQ(read_error(choice_node({}, {})),
            "p.yaml:2:28: error: prior.values: a choice needs at least one value, e.g. values: "
            "[1.0, 1.2, 1.5]\n");
  EXPECT_EQ(read_error(choice_node({"1", "1"}, {})),
            "p.yaml:2:28: error: prior.values: every value must be different (give a repeated "
            "value more weight)\n");
  EXPECT_EQ(read_error(choice_node({"1", "2"}, {"1"})),
            "p.yaml:2:59: error: prior.weights: 1 weight(s) for 2 value(s): give one per value\n");
  EXPECT_EQ(read_error(choice_node({"1", "2"}, {"0", "0"})),
            "p.yaml:2:59: error: prior.weights: at least one weight must be positive\n");
  EXPECT_EQ(read_error(choice_node({"1", "2"}, {"1", "-1"})),
            "p.yaml:2:65: error: prior.weights[1]: -1 is out of range (must be at least 0)\n");
  EXPECT_EQ(read_error(choice_node({"1", "x"}, {})),
            "p.yaml:2:34: error: prior.values[1]: expected a number, got 'x'\n");
}

TEST(ParameterDistribution, DescribeAndYaml) {
  EXPECT_EQ(ParameterDistribution::uniform(0.8, 1.5).describe(), "uniform(0.8, 1.5)");
  EXPECT_EQ(ParameterDistribution::normal(1, 0.5, 0).describe(), "normal(1, 0.5) on [0, inf]");
  EXPECT_EQ(ParameterDistribution::beta(2, 3).describe(), "beta(2, 3)");
  EXPECT_EQ(ParameterDistribution::triangular(0, 1, 3).to_yaml(),
            "{dist: triangular, low: 0, mode: 1, high: 3}");
  EXPECT_EQ(ParameterDistribution::normal(1, 0.5, 0).to_yaml(),
            "{dist: normal, mean: 1, sd: 0.5, low: 0}");
  EXPECT_EQ(ParameterDistribution::lognormal(0, 1).to_yaml(),
            "{dist: lognormal, meanlog: 0, sdlog: 1}");
}

// Draws by inversion of Philox uniforms follow the distribution: chi-square over 20
// equiprobable bins (19 degrees of freedom; 43.82 is the 0.999 quantile).
TEST(ParameterDistribution, InversionSamplesFollowTheDistribution) {
  const std::vector<ParameterDistribution> all = {
      ParameterDistribution::uniform(-1, 3),        ParameterDistribution::normal(2, 0.5),
      ParameterDistribution::normal(0, 1, -0.5, 2), ParameterDistribution::lognormal(0.2, 0.4),
      ParameterDistribution::beta(0.7, 2.5, 1, 4),  ParameterDistribution::triangular(0, 2, 3),
  };
  const RngStreams rng(42, 0);
  constexpr int kBins = 20, kDraws = 6000;
  for (std::size_t k = 0; k < all.size(); ++k) {
    const ParameterDistribution& d = all[k];
    std::vector<int> counts(kBins, 0);
    for (int i = 0; i < kDraws; ++i) {
      const double x = d.quantile(rng.stream(0, 0, k * kDraws + i).uniform_open());
      ASSERT_TRUE(d.in_support(x)) << d.describe() << " gave " << x;
      const int bin = std::min(kBins - 1, static_cast<int>(d.cdf(x) * kBins));
      ++counts[bin];
    }
    double chi2 = 0;
    const double expected = static_cast<double>(kDraws) / kBins;
    for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
    EXPECT_LT(chi2, 43.82) << d.describe();
  }
}

TEST(ParameterDistribution, BadInputIsReportedAtItsLocation) {
  EXPECT_EQ(read_error(flow({{"dist", "unifrom"}, {"low", "0"}, {"high", "1"}})),
            "p.yaml:1:7: error: prior.dist: unknown distribution 'unifrom' (did you mean "
            "'uniform'?; known: uniform, normal, lognormal, beta, triangular, choice)\n");
  EXPECT_EQ(read_error(flow({{"dist", "uniform"}, {"low", "2"}, {"high", "1"}})),
            "p.yaml:1:27: error: prior.high: 1 must be above low (2)\n");
  EXPECT_EQ(read_error(flow({{"dist", "normal"}, {"mean", "1"}, {"sd", "0"}})),
            "p.yaml:1:27: error: prior.sd: 0 must be positive\n");
  EXPECT_EQ(read_error(flow({{"dist", "normal"}, {"mean", "1"}})),
            "p.yaml:1:1: error: prior: missing required key 'sd'\n");
  EXPECT_EQ(read_error(flow({{"dist", "normal"}, {"mean", "x"}, {"sd", "1"}})),
            "p.yaml:1:17: error: prior.mean: expected a number, got 'x'\n");
  EXPECT_EQ(read_error(flow({{"dist", "triangular"}, {"low", "0"}, {"mode", "5"}, {"high", "3"}})),
            "p.yaml:1:27: error: prior.mode: 5 must lie in [low, high] = [0, 3]\n");
  EXPECT_EQ(read_error(flow({{"dist", "beta"}, {"alpha", "-1"}, {"beta", "2"}})),
            "p.yaml:1:17: error: prior.alpha: -1 must be positive\n");
  EXPECT_EQ(read_error(flow({{"dist", "uniform"}, {"low", "0"}, {"hihg", "1"}})),
            "p.yaml:1:1: error: prior: missing required key 'high'\n"
            "p.yaml:1:22: error: prior.hihg: unknown key 'hihg' in 'prior' (did you mean "
            "'high'?)\n");
  EXPECT_EQ(read_error(flow({{"dist", "normal"}, {"mean", "0"}, {"sd", "1"}, {"low", "50"}})),
            "p.yaml:1:1: error: prior: [low, high] leaves no probability under normal(0, 1) on "
            "[50, inf]\n");
  EXPECT_EQ(read_error(ParamNode::scalar("1.2", SourceLoc{"p.yaml", 3, 4}, "x")),
            "p.yaml:3:4: error: x: expected a distribution such as {dist: uniform, low: 0.8, "
            "high: 1.5}, got '1.2'\n");
}

}  // namespace
}  // namespace plansim

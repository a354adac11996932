#include "uncertainty/parameter_space.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "io/scenario_loader.h"
#include "io/yaml_loader.h"

namespace plansim {
namespace {

ParamNode yaml(const std::string& text, const std::string& file) {
  Diagnostics d;
  ParamNode node = parse_yaml(text, file, d);
  EXPECT_TRUE(d.empty()) << d.format();
  return node;
}

// A city map as the scenario loader builds it: file stem -> tree of the file.
ParamNode city(std::initializer_list<std::pair<const char*, const char*>> files) {
  ParamNode root(ParamNode::Kind::Map, SourceLoc{"city", 0, 0}, "");
  for (auto [stem, text] : files)
    root.entries().push_back(
        {stem, SourceLoc{std::string(stem) + ".yaml", 1, 1},
         std::make_unique<ParamNode>(yaml(text, std::string(stem) + ".yaml"))});
  return root;
}

const char* kDemography = R"(
fertility:
  tfr: {2020: 1.3, 2025: {dist: triangular, low: 0.9, mode: 1.1, high: 1.3}}
migration:
  in_migrants_per_1000: {2020: {dist: normal, mean: 50, sd: 5, low: 0}}
  out_migrants_per_1000: {2020: {dist: normal, mean: 40, sd: 5, low: 0}}
)";
const char* kEconomy = R"(
projection:
  deflator_growth: {dist: uniform, low: 0.005, high: 0.025}
)";

ParameterSpace find_ok(const ParamNode& scenario, const ParamNode& c, std::uint64_t seed = 1) {
  Diagnostics d;
  ParameterSpace space = ParameterSpace::find(scenario, c, seed, d);
  EXPECT_TRUE(d.empty()) << d.format();
  return space;
}

std::string find_errors(const ParamNode& scenario, const ParamNode& c) {
  Diagnostics d;
  ParameterSpace::find(scenario, c, 1, d);
  return d.format();
}

std::vector<std::string> keys(const ParameterSpace& s) {
  std::vector<std::string> out;
  for (const auto& p : s.parameters()) out.push_back(p.key + "@" + std::to_string(p.coordinate));
  return out;
}

TEST(ParameterSpace, CityDistributionsFirstThenTheScenarios) {
  const ParamNode c = city({{"demography", kDemography}, {"economy", kEconomy}});
  const ParamNode s = yaml(R"(
processes: [demography, economy]
economy: {projection: {deflator_growth: {dist: uniform, low: 0.01, high: 0.02}}}
housing: {price_growth: {dist: normal, mean: 0.03, sd: 0.01}}
)",
                           "s.yaml");
  const ParameterSpace space = find_ok(s, c);
  // The scenario's deflator replaces the city's and keeps its coordinate; its own new parameter
  // comes after every city distribution.
  EXPECT_EQ(keys(space), (std::vector<std::string>{
                             "demography.fertility.tfr.2025@0",
                             "demography.migration.in_migrants_per_1000.2020@1",
                             "demography.migration.out_migrants_per_1000.2020@2",
                             "economy.projection.deflator_growth@3", "housing.price_growth@4"}));
  EXPECT_EQ(space.coordinates(), 5u);
  EXPECT_TRUE(space.parameters()[0].in_city);
  EXPECT_FALSE(space.parameters()[3].in_city);
  EXPECT_EQ(space.parameters()[3].distribution.describe(), "uniform(0.01, 0.02)");
  EXPECT_EQ(space.parameters()[0].loc.str(), "demography.yaml:3:26");
  EXPECT_EQ(space.describe(), "5 uncertain parameters (3 city config, 2 scenario)");
}

// Replicate k's values depend on (seed, k) and the coordinates only: a scenario that adds a
// parameter of its own, or fixes one of the city's, leaves every other draw as it was (common
// random numbers between scenarios).
TEST(ParameterSpace, AddingOrFixingAParameterKeepsTheOtherDraws) {
  const ParamNode c = city({{"demography", kDemography}, {"economy", kEconomy}});
  const ParameterSpace base = find_ok(yaml("processes: [demography]\n", "a.yaml"), c, 42);
  const ParameterSpace added = find_ok(
      yaml("processes: [demography]\nhousing: {x: {dist: uniform, low: 0, high: 1}}\n", "b.yaml"),
      c, 42);
  const ParameterSpace fixed = find_ok(
      yaml("processes: [demography]\ndemography: {fertility: {tfr: 1.2}}\n", "c.yaml"), c, 42);
  ASSERT_EQ(base.parameters().size(), 4u);
  ASSERT_EQ(added.parameters().size(), 5u);
  ASSERT_EQ(fixed.parameters().size(), 3u);  // the city's tfr knot is replaced whole
  EXPECT_EQ(fixed.parameters()[0].key, "demography.migration.in_migrants_per_1000.2020");
  for (std::uint32_t k : {0u, 1u, 7u, 31u}) {
    const auto a = base.values(k), b = added.values(k), f = fixed.values(k);
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], b[i]) << k;
    EXPECT_EQ(a[1], f[0]);
    EXPECT_EQ(a[3], f[2]);
  }
  // Another seed, other draws.
  EXPECT_NE(find_ok(yaml("processes: [demography]\n", "a.yaml"), c, 43).values(3), base.values(3));
}

TEST(ParameterSpace, ScenarioValuesShadowTheCitysDistributions) {
  const ParamNode c = city({{"demography", kDemography},
                            {"facilities",
                             "eldercare: {bed_seeking: {full: {dist: uniform, "
                             "low: 0.2, high: 0.4}, partial: 0.06}}\n"}});
  // A knot set with --set path.YEAR is laid over the city's trajectory: only its year replaces.
  ParamNode s = yaml("processes: [demography, eldercare]\n", "s.yaml");
  Diagnostics d;
  ASSERT_TRUE(apply_set_override(s, "demography.fertility.tfr.2030=1.0", 1, d)) << d.format();
  ASSERT_TRUE(apply_set_override(s, "eldercare.bed_seeking.full=0.35", 2, d)) << d.format();
  const ParameterSpace space = find_ok(s, c);
  // tfr.2025 stays uncertain (the knot patch sets 2030); eldercare's block lives in
  // facilities.yaml and the scenario's eldercare: block replaces its value.
  EXPECT_EQ(keys(space),
            (std::vector<std::string>{"demography.fertility.tfr.2025@0",
                                      "demography.migration.in_migrants_per_1000.2020@1",
                                      "demography.migration.out_migrants_per_1000.2020@2"}));
  ASSERT_TRUE(apply_set_override(s, "demography.fertility.tfr.2025=1.0", 3, d)) << d.format();
  EXPECT_EQ(find_ok(s, c).parameters().front().key,
            "demography.migration.in_migrants_per_1000.2020");
}

TEST(ParameterSpace, ASharedDrawGivesTheSameQuantile) {
  const ParamNode s = yaml(R"(
demography:
  a: {dist: normal, mean: 50, sd: 5, draw: growth}
  b: {dist: uniform, low: 0, high: 2, draw: growth}
  c: {dist: uniform, low: 0, high: 2}
)",
                           "s.yaml");
  const ParameterSpace space = find_ok(s, ParamNode(ParamNode::Kind::Map, {}, ""));
  EXPECT_EQ(space.coordinates(), 2u);
  EXPECT_EQ(space.describe(), "3 uncertain parameters (scenario), 1 shared draw");
  const auto& p = space.parameters();
  for (std::uint32_t k = 0; k < 64; ++k) {
    const auto v = space.values(k);
    EXPECT_NEAR(p[0].distribution.cdf(v[0]), p[1].distribution.cdf(v[1]), 1e-9) << k;
  }
}

double correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

// Normal parameters under a Gaussian copula have the declared correlation (512 replicates: the
// sampling sd of r is about (1 - rho²)/√512 ≈ 0.02; tolerance 0.06).
TEST(ParameterSpace, CorrelationsHoldAcrossReplicates) {
  const ParamNode c = city({{"demography", kDemography}, {"uncertainty", R"(
correlations:
  - {between: [demography.migration.in_migrants_per_1000.2020, demography.migration.out_migrants_per_1000.2020], rho: 0.7}
)"}});
  const ParamNode s = yaml(R"(
uncertainty:
  correlations:
    - {between: [demography.fertility.tfr.2025, demography.migration.in_migrants_per_1000.2020], rho: -0.4}
)",
                           "s.yaml");
  const ParameterSpace space = find_ok(s, c);
  EXPECT_EQ(space.correlations().size(), 2u);
  std::vector<double> in, out, tfr_score, in_score;
  const auto& p = space.parameters();
  for (std::uint32_t k = 0; k < 512; ++k) {
    const auto v = space.values(k);
    in.push_back(v[1]);
    out.push_back(v[2]);
    tfr_score.push_back(p[0].distribution.cdf(v[0]));
    in_score.push_back(p[1].distribution.cdf(v[1]));
  }
  EXPECT_NEAR(correlation(in, out), 0.7, 0.06);
  // Rank correlation of a Gaussian copula: (6/π) asin(rho/2).
  EXPECT_NEAR(correlation(tfr_score, in_score), 6 / M_PI * std::asin(-0.2), 0.06);
  // Uncorrelated coordinates keep their plain Sobol' values.
  const ParameterSpace plain = find_ok(yaml("{}\n", "p.yaml"), city({{"demography", kDemography}}));
  for (std::uint32_t k = 0; k < 8; ++k) EXPECT_EQ(plain.values(k)[0], space.values(k)[0]);
}

TEST(ParameterSpace, CentralModeHoldsEveryParameterAtItsMedian) {
  const ParamNode c = city({{"demography", kDemography}});
  const ParameterSpace space = find_ok(yaml("uncertainty: {parameters: central}\n", "s.yaml"), c);
  EXPECT_EQ(space.mode(), ParameterMode::Central);
  EXPECT_EQ(space.describe(), "3 uncertain parameters (city config), held at their medians");
  for (std::uint32_t k : {0u, 5u}) {
    const auto v = space.values(k);
    EXPECT_NEAR(v[0], 1.1, 1e-12);
    EXPECT_NEAR(v[1], 50, 1e-9);
    EXPECT_NEAR(v[2], 40, 1e-9);
  }
}

TEST(ParameterSpace, RealiseReplacesDistributionsAndMarksTheOriginal) {
  const ParamNode c = city({{"demography", kDemography}, {"economy", kEconomy}});
  ParameterSpace space = find_ok(yaml("{}\n", "s.yaml"), c);
  const std::vector<double> values{1.05, 52.5, 41.0, 0.0125};
  const ParamNode real = space.realise(c, values);
  const ParamNode* demography = real.peek("demography");
  const ParamNode* knot = demography->peek("fertility")->peek("tfr")->peek("2025");
  ASSERT_TRUE(knot && knot->is_scalar());
  EXPECT_EQ(knot->text(), "1.05");
  EXPECT_EQ(knot->loc().str(), "demography.yaml:3:26");
  EXPECT_EQ(demography->peek("fertility")->peek("tfr")->peek("2020")->text(), "1.3");
  // Reading the realised value marks the distribution read; the economy file nobody read keeps
  // its parameter out of the run.
  Diagnostics d;
  EXPECT_EQ(demography->find("fertility")->find("tfr")->number("2025", 0, d), 1.05);
  demography->find("migration")->find("in_migrants_per_1000")->number("2020", 0, d);
  demography->find("migration")->find("out_migrants_per_1000")->number("2020", 0, d);
  EXPECT_TRUE(d.empty());
  EXPECT_TRUE(space.parameters()[0].node->was_read());
  space.keep_read();
  EXPECT_EQ(space.parameters().size(), 3u);
  EXPECT_EQ(space.parameters().back().key, "demography.migration.out_migrants_per_1000.2020");
  EXPECT_EQ(exact_number_text(0.1 + 0.2), "0.30000000000000004");
}

TEST(ParameterSpace, BadDeclarationsAreReportedAtTheirLocation) {
  const ParamNode c = city({{"demography", kDemography},
                            {"uncertainty", "correlations:\n  - {between: [x, y], rho: 2}\n"}});
  const ParamNode s = yaml(R"(run: {seed: {dist: uniform, low: 0, high: 9}}
uncertainty:
  parameters: centre
  correlations:
    - {between: [demography.fertility.tfr.2025, demography.migration.in_migrants_per_1000.202], rho: 0.2}
    - {between: [a, a], rho: 0.5}
    - {between: [demography.fertility.tfr.2025], rho: 0.5}
    - {between: [demography.fertility.tfr.2025, demography.migration.in_migrants_per_1000.2020], rho: 1}
  posterir: x.h5
demography:
  bad: {dist: normal, mean: 1, sd: -1}
  d: {dist: uniform, low: 0, high: 1, draw: 7up}
)",
                           "s.yaml");
  EXPECT_EQ(find_errors(s, c),
            "s.yaml:1:13: error: run.seed: a distribution cannot stand in 'run:' (it is read "
            "once, before the replicates draw their parameters); give a number\n"
            "s.yaml:3:15: error: uncertainty.parameters: unknown mode 'centre' (did you mean "
            "'central'?; sampled: every replicate draws its values; central: every distribution "
            "at its median)\n"
            "s.yaml:5:49: error: uncertainty.correlations[0].between: "
            "'demography.migration.in_migrants_per_1000.202' is no uncertain parameter or shared "
            "draw of this run (did you mean 'demography.migration.in_migrants_per_1000.2020'?)\n"
            "s.yaml:6:18: error: uncertainty.correlations[1].between: 'a' is no uncertain "
            "parameter or shared draw of this run\n"
            "s.yaml:6:21: error: uncertainty.correlations[1].between: 'a' is no uncertain "
            "parameter or shared draw of this run\n"
            "s.yaml:7:17: error: uncertainty.correlations[2].between: expected two names, [A, B] "
            "(a parameter's key or a shared draw's name)\n"
            "s.yaml:8:103: error: uncertainty.correlations[3].rho: 1 must lie strictly between -1 "
            "and 1 (for a perfect dependence, give both parameters the same `draw:`)\n"
            "s.yaml:9:3: error: uncertainty.posterir: unknown key 'posterir' in 'uncertainty' (did "
            "you mean 'posterior'?)\n"
            "s.yaml:11:36: error: demography.bad.sd: -1 must be positive\n"
            "s.yaml:12:45: error: demography.d.draw: a shared draw's name starts with a letter, "
            "e.g. draw: growth\n"
            "uncertainty.yaml:2:16: error: correlations[0].between: 'x' is no uncertain "
            "parameter or shared draw of this run\n"
            "uncertainty.yaml:2:19: error: correlations[0].between: 'y' is no uncertain "
            "parameter or shared draw of this run\n"
            "uncertainty.yaml:2:28: error: correlations[0].rho: 2 is out of range (must be [-1, "
            "1])\n");
}

TEST(ParameterSpace, ImpossibleCorrelationsAreRefused) {
  const ParamNode s = yaml(R"(
demography:
  a: {dist: uniform, low: 0, high: 1}
  b: {dist: uniform, low: 0, high: 1}
  c: {dist: uniform, low: 0, high: 1}
uncertainty:
  correlations:
    - {between: [demography.a, demography.b], rho: 0.9}
    - {between: [demography.b, demography.c], rho: 0.9}
    - {between: [demography.a, demography.c], rho: -0.9}
)",
                           "s.yaml");
  EXPECT_EQ(find_errors(s, ParamNode(ParamNode::Kind::Map, {}, "")),
            "s.yaml:8:7: error: uncertainty correlations: these correlations cannot hold together "
            "(their matrix is not positive definite); weaken some of them\n");
}

}  // namespace
}  // namespace plansim

// Ensemble statistics: type-7 quantiles (known answers, the same as numpy.percentile), NaN
// handling, independence of the replicates' order, per-year summaries; and, with real
// Simulation runs of a small random process, that replicate k does not depend on how many
// replicates a run has, and that the ensemble band has the binomial spread it should.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "core/simulation.h"
#include "indicators/ensemble.h"
#include "indicators/exogenous.h"
#include "io/yaml_loader.h"

namespace plansim {
namespace {

/// Bit-for-bit equality (NaN equal to NaN).
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

TEST(EnsembleQuantiles, DistributionLeavesNaNOut) {
  const double nan = std::nan("");
  const Distribution d = distribution({4, nan, 1, 3, nan, 2, 5});
  EXPECT_EQ(d.count, 5u);
  EXPECT_DOUBLE_EQ(d.mean, 3.0);
  EXPECT_DOUBLE_EQ(d.p05, 1.2);
  EXPECT_DOUBLE_EQ(d.p95, 4.8);
  const Distribution none = distribution({nan, nan});
  EXPECT_EQ(none.count, 0u);
  EXPECT_TRUE(std::isnan(none.mean) && std::isnan(none.p05) && std::isnan(none.p95));
}

TEST(EnsembleQuantiles, IndependentOfTheOrderOfValues) {
  // Values whose floating-point sum depends on the order of addition.
  std::vector<double> values = {1e16, 1.0, -1e16, 3.5, 0.1, 0.2, 0.3, 1e-8, 7e15, -7e15};
  const Distribution reference = distribution(values);
  std::sort(values.begin(), values.end());
  do {
    const Distribution d = distribution(values);
    ASSERT_EQ(std::memcmp(&d.mean, &reference.mean, sizeof(double)), 0);
    ASSERT_EQ(std::memcmp(&d.p05, &reference.p05, sizeof(double)), 0);
    ASSERT_EQ(std::memcmp(&d.p95, &reference.p95, sizeof(double)), 0);
  } while (std::next_permutation(values.begin(), values.begin() + 6));
}

ReplicateResults replicate(std::uint32_t number, std::vector<double> population) {
  ReplicateResults r;
  r.replicate = number;
  r.years = {2020, 2021, 2022};
  r.indicators["population"] = std::move(population);
  return r;
}

TEST(EnsembleSummaries, PerIndicatorAndYear) {
  const double nan = std::nan("");
  std::vector<ReplicateResults> replicates = {
      replicate(0, {100, 110, nan}), replicate(1, {100, 120, 130}), replicate(2, {100, 130, 150})};
  replicates[1].indicators["gdp"] = {1, 2, 3};  // only one replicate has it
  const EnsembleSummary s = summarise_ensemble(replicates);
  EXPECT_EQ(s.years, (std::vector<int>{2020, 2021, 2022}));
  EXPECT_EQ(s.replicates, 3u);
  ASSERT_EQ(s.indicators.size(), 2u);
  const SeriesSummary& population = s.indicators.at("population");
  EXPECT_EQ(population.mean, (std::vector<double>{100, 120, 140}));
  EXPECT_EQ(population.count, (std::vector<std::uint32_t>{3, 3, 2}));
  EXPECT_DOUBLE_EQ(population.p05[1], 111.0);  // h = 0.1 between 110 and 120
  EXPECT_DOUBLE_EQ(population.p95[1], 129.0);
  EXPECT_DOUBLE_EQ(population.p05[2], 131.0);  // h = 0.05 between 130 and 150
  EXPECT_DOUBLE_EQ(population.p95[2], 149.0);
  EXPECT_EQ(s.indicators.at("gdp").count, (std::vector<std::uint32_t>{1, 1, 1}));
  EXPECT_EQ(s.indicators.at("gdp").p95, (std::vector<double>{1, 2, 3}));

  // The order in which replicates arrive does not matter.
  std::reverse(replicates.begin(), replicates.end());
  const EnsembleSummary reversed = summarise_ensemble(replicates);
  for (const auto& [key, series] : s.indicators) {
    EXPECT_TRUE(same_bits(series.mean, reversed.indicators.at(key).mean)) << key;
    EXPECT_TRUE(same_bits(series.p05, reversed.indicators.at(key).p05)) << key;
    EXPECT_TRUE(same_bits(series.p95, reversed.indicators.at(key).p95)) << key;
  }
  replicates[0].years = {2020, 2021, 2023};
  EXPECT_THROW(summarise_ensemble(replicates), std::invalid_argument);
  EXPECT_TRUE(summarise_ensemble({}).indicators.empty());
}

// ---- real runs: a process that tosses one coin per subject each year ----

class CoinProcess final : public Process {
 public:
  void configure(ConfigureContext& ctx) override {
    subjects_ = static_cast<std::uint64_t>(ctx.params.integer("subjects", 2000, ctx.diags, 1));
    p_ = ctx.params.probability("p", 0.3, ctx.diags);
    ctx.catalog.declare({SeriesKind::Indicator, "heads_share", "%", "正面比例", "Share of heads",
                         "subjects whose coin came up heads this year × 100 / subjects"});
  }
  void step(StepContext& ctx) override {
    std::uint64_t heads = 0;
    for (std::uint64_t subject = 0; subject < subjects_; ++subject)
      heads += ctx.stream(subject).bernoulli(p_);
    ctx.out.indicator("heads_share", 100.0 * static_cast<double>(heads) / subjects_);
  }

 private:
  std::uint64_t subjects_ = 0;
  double p_ = 0;
};

Registry test_registry() {
  Registry registry;
  registry.add("coin", 250, "one coin per subject each year",
               [] { return std::make_unique<CoinProcess>(); });
  registry.add("exogenous", 11, "exogenous trajectories",
               [] { return std::make_unique<ExogenousIndicators>(); });
  return registry;
}

/// Configures a scenario given as YAML text (no city).
Simulation configure(const std::string& yaml, const Registry& registry) {
  Diagnostics diags;
  const ParamNode scenario = parse_yaml(yaml, "scenario.yaml", diags);
  const ParamNode city(ParamNode::Kind::Map, SourceLoc{}, "");
  Simulation sim = Simulation::configure(scenario, city, registry, diags);
  EXPECT_TRUE(diags.empty()) << diags.format();
  return sim;
}

std::string scenario(int replicates) {
  return "run: {start: 2020, end: 2025, replicates: " + std::to_string(replicates) +
         ", seed: 20211116}\nprocesses: [coin, exogenous]\ncoin: {subjects: 2000, p: 0.3}\n"
         "exogenous: {urbanisation_rate: {2020: 99.23, 2025: 99.48}}\n";
}

std::vector<ReplicateResults> run_all(const Simulation& sim) {
  std::vector<ReplicateResults> results;
  for (std::uint32_t r = 0; r < sim.run().replicates; ++r) results.push_back(sim.run_replicate(r));
  return results;
}

TEST(EnsembleRuns, ReplicateKDoesNotDependOnTheNumberOfReplicates) {
  const Registry registry = test_registry();
  const std::vector<ReplicateResults> three = run_all(configure(scenario(3), registry));
  const Simulation five_sim = configure(scenario(5), registry);
  // Run the larger ensemble backwards too: the order of replicates does not matter either.
  std::vector<ReplicateResults> five(5);
  for (std::uint32_t r = 5; r-- > 0;) five[r] = five_sim.run_replicate(r);
  for (std::size_t k = 0; k < three.size(); ++k) {
    EXPECT_EQ(three[k].years, five[k].years);
    ASSERT_EQ(three[k].indicators.size(), five[k].indicators.size());
    for (const auto& [key, values] : three[k].indicators)
      EXPECT_TRUE(same_bits(values, five[k].indicators.at(key))) << "replicate " << k << " " << key;
  }
  // Different replicates do draw differently.
  EXPECT_NE(five[0].indicators.at("heads_share"), five[1].indicators.at("heads_share"));
  // Exogenous trajectories are the same in every replicate.
  EXPECT_EQ(five[0].indicators.at("urbanisation_rate"), five[4].indicators.at("urbanisation_rate"));

  // Summaries of the same replicates are bit-identical however they were produced.
  const std::vector<ReplicateResults> first_three(five.begin(), five.begin() + 3);
  const EnsembleSummary a = summarise_ensemble(three), b = summarise_ensemble(first_three);
  for (const auto& [key, series] : a.indicators) {
    EXPECT_TRUE(same_bits(series.mean, b.indicators.at(key).mean)) << key;
    EXPECT_TRUE(same_bits(series.p95, b.indicators.at(key).p95)) << key;
  }
}

TEST(EnsembleRuns, BandHasTheBinomialSpread) {
  const Registry registry = test_registry();
  const std::vector<ReplicateResults> runs = run_all(configure(scenario(40), registry));
  const EnsembleSummary s = summarise_ensemble(runs);
  const SeriesSummary& heads = s.indicators.at("heads_share");
  // One replicate's share: binomial(2000, 0.3) / 2000 × 100, sd = 100 √(0.21 / 2000).
  const double sd = 100 * std::sqrt(0.3 * 0.7 / 2000);
  const double sd_of_mean = sd / std::sqrt(40.0);
  // Sampling sd of a 5% / 95% quantile of 40 normal values: √(q(1-q)/n) / φ(z_q) × sd.
  const double sd_of_quantile = std::sqrt(0.05 * 0.95 / 40) / 0.10314 * sd;
  for (std::size_t y = 0; y < s.years.size(); ++y) {
    EXPECT_EQ(heads.count[y], 40u);
    EXPECT_NEAR(heads.mean[y], 30.0, 4 * sd_of_mean) << s.years[y];
    EXPECT_NEAR(heads.p05[y], 30.0 - 1.6449 * sd, 4 * sd_of_quantile) << s.years[y];
    EXPECT_NEAR(heads.p95[y], 30.0 + 1.6449 * sd, 4 * sd_of_quantile) << s.years[y];
    EXPECT_LT(heads.p05[y], heads.mean[y]);
    EXPECT_GT(heads.p95[y], heads.mean[y]);
  }
  // The exogenous series has no spread at all.
  const SeriesSummary& urbanisation = s.indicators.at("urbanisation_rate");
  EXPECT_EQ(urbanisation.p05, urbanisation.p95);
  EXPECT_DOUBLE_EQ(urbanisation.mean.back(), 99.48);
}

}  // namespace
}  // namespace plansim

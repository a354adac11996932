// ABC-SMC on problems with known answers, without the city model: the building blocks
// (weighted quantiles, effective sample size, systematic resampling), the posterior of a normal
// mean and of two parameters, determinism, and resuming after an interruption.
#include "calib/abc_smc.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "core/rng.h"

namespace plansim {
namespace {

namespace fs = std::filesystem;

TEST(AbcBuildingBlocks, WeightedQuantileEssAndResampling) {
  const std::vector<double> values = {3, 1, 2, 4};
  const std::vector<double> weights = {0.1, 0.2, 0.3,
                                       0.4};  // sorted: 1 (.2), 2 (.3), 3 (.1), 4 (.4)
  EXPECT_EQ(weighted_quantile(values, weights, 0.2), 1);
  EXPECT_EQ(weighted_quantile(values, weights, 0.5), 2);
  EXPECT_EQ(weighted_quantile(values, weights, 0.55), 3);
  EXPECT_EQ(weighted_quantile(values, weights, 0.61), 4);
  EXPECT_DOUBLE_EQ(effective_sample_size({0.25, 0.25, 0.25, 0.25}), 4.0);
  EXPECT_DOUBLE_EQ(effective_sample_size({1.0, 0, 0, 0}), 1.0);
  // Systematic resampling: each index appears floor or ceil of n · w times.
  const std::vector<double> w = {0.5, 0.125, 0.375};
  const std::vector<std::uint32_t> picks = systematic_resample(w, 8, 0.3);
  EXPECT_EQ(picks, (std::vector<std::uint32_t>{0, 0, 0, 0, 1, 2, 2, 2}));
  EXPECT_EQ(weighted_index({0.5, 0.625, 1.0}, 0.55), 1u);
  EXPECT_EQ(weighted_index({0.5, 0.625, 1.0}, 0.0), 0u);
  EXPECT_EQ(weighted_index({0.5, 0.625, 1.0}, 0.999), 2u);
  EXPECT_EQ(candidate_replicate(2, 5), 2u * (1u << 20) + 5u);
}

// y = θ + e, e ~ N(0, σ) per simulation (its own Philox stream); one observation y = 3.
struct NormalMean {
  double sigma = 0.5;
  std::vector<double> observed = {3.0};
  mutable int simulations = 0;
  int fail_after = -1;  // throw on this simulation (an interruption)

  AbcProblem problem(std::vector<ParameterDistribution> priors) const {
    AbcProblem p;
    p.priors = std::move(priors);
    p.simulate = [this](const std::vector<double>& theta, std::uint32_t replicate) {
      if (fail_after >= 0 && simulations >= fail_after) throw std::runtime_error("interrupted");
      ++simulations;
      ReplicateResults r;
      r.replicate = replicate;
      r.years = {2021};
      const RngStreams rng(99, replicate);
      for (std::size_t k = 0; k < theta.size(); ++k)
        r.indicators["y" + std::to_string(k)] = {theta[k] +
                                                 sigma * rng.stream(2021, 1, k).normal()};
      return r;
    };
    p.summarise = [n = observed.size()](const ReplicateResults& r) {
      std::vector<double> s;
      for (std::size_t k = 0; k < n; ++k) s.push_back(r.indicators.at("y" + std::to_string(k))[0]);
      return s;
    };
    p.distance = [this](const std::vector<double>& s) {
      double sum = 0;
      for (std::size_t k = 0; k < s.size(); ++k) {
        const double z = (s[k] - observed[k]) / sigma;
        sum += z * z;
      }
      return std::sqrt(sum / static_cast<double>(s.size()));
    };
    return p;
  }
};

class TempStore {
 public:
  TempStore() {
    std::string pattern = (fs::temp_directory_path() / "plansim-abc-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempStore() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  AbcStorage storage(bool resume = false) const { return {path_ / "parts", "test", resume}; }

 private:
  fs::path path_;
};

// With a flat prior the posterior of θ is close to N(3, σ): as the tolerance falls, the
// weighted mean approaches 3 and the spread σ (plus what the tolerance leaves).
TEST(AbcSmc, NormalMeanWithAFlatPrior) {
  NormalMean model;
  AbcSettings s;
  s.particles = 400;
  s.max_generations = 7;
  s.seed = 5;
  TempStore store;
  const AbcResult r =
      run_abc_smc(model.problem({ParameterDistribution::uniform(0, 10)}), s, store.storage());
  ASSERT_EQ(r.generations.size(), 7u) << r.stop_reason;
  const AbcGeneration& last = r.generations.back();
  const auto e = posterior_estimates(last, {"theta"}, {ParameterDistribution::uniform(0, 10)});
  EXPECT_NEAR(e[0].mean, 3.0, 0.15);
  EXPECT_GT(e[0].sd, 0.4);
  EXPECT_LT(e[0].sd, 0.75);
  EXPECT_LT(e[0].p05, 3.0);
  EXPECT_GT(e[0].p95, 3.0);
  EXPECT_LT(e[0].p95 - e[0].p05, 0.3 * (e[0].prior_p95 - e[0].prior_p05));
  // Tolerances fall; weights are normalised; the first generation is the prior sample.
  EXPECT_EQ(r.generations[0].epsilon, std::numeric_limits<double>::infinity());
  for (std::size_t g = 2; g < r.generations.size(); ++g)
    EXPECT_LT(r.generations[g].epsilon, r.generations[g - 1].epsilon);
  double total = 0;
  for (double w : last.weights) total += w;
  EXPECT_NEAR(total, 1.0, 1e-12);
  for (std::size_t i = 0; i < last.weights.size(); ++i) EXPECT_LE(last.distances[i], last.epsilon);
}

// Two parameters, a normal prior on one: each posterior mean lies between its prior mean and
// the observation, as the conjugate answer says (prior N(0, 1), σ = 0.5: mean 0.8 y). The
// proposal population is resampled in every generation (resample_below_ess = 1): the weights
// then come from the resampled mixture, and the answer is the same.
TEST(AbcSmc, TwoParametersAndAnInformativePrior) {
  NormalMean model;
  model.observed = {2.0, -1.0};
  AbcSettings s;
  s.particles = 400;
  s.max_generations = 7;
  s.seed = 9;
  s.resample_below_ess = 1.0;
  TempStore store;
  const std::vector<ParameterDistribution> priors = {ParameterDistribution::normal(0, 1),
                                                     ParameterDistribution::uniform(-5, 5)};
  const AbcResult r = run_abc_smc(model.problem(priors), s, store.storage());
  const auto e = posterior_estimates(r.generations.back(), {"a", "b"}, priors);
  EXPECT_NEAR(e[0].mean, 0.8 * 2.0, 0.25);
  EXPECT_NEAR(e[1].mean, -1.0, 0.25);
  for (std::size_t g = 1; g < r.generations.size(); ++g)
    EXPECT_TRUE(r.generations[g].proposal_resampled);
}

TEST(AbcSmc, SameSeedSamePosteriorAndAnotherSeedAnother) {
  NormalMean model;
  AbcSettings s;
  s.particles = 60;
  s.max_generations = 4;
  s.seed = 3;
  const std::vector<ParameterDistribution> priors = {ParameterDistribution::uniform(0, 10)};
  TempStore a, b, c;
  const AbcResult first = run_abc_smc(model.problem(priors), s, a.storage());
  const AbcResult again = run_abc_smc(model.problem(priors), s, b.storage());
  s.seed = 4;
  const AbcResult other = run_abc_smc(model.problem(priors), s, c.storage());
  ASSERT_EQ(first.generations.size(), again.generations.size());
  EXPECT_EQ(first.generations.back().particles, again.generations.back().particles);
  EXPECT_EQ(first.generations.back().weights, again.generations.back().weights);
  EXPECT_NE(first.generations.back().particles, other.generations.back().particles);
}

// A calibration interrupted in the middle of a generation and resumed from its store gives the
// posterior of an uninterrupted one, without simulating again what was finished.
TEST(AbcSmc, ResumeAfterAnInterruptionGivesTheSamePosterior) {
  const std::vector<ParameterDistribution> priors = {ParameterDistribution::uniform(0, 10)};
  AbcSettings s;
  s.particles = 50;
  s.max_generations = 4;
  s.seed = 11;
  NormalMean whole;
  TempStore reference;
  const AbcResult expected = run_abc_smc(whole.problem(priors), s, reference.storage());

  TempStore store;
  NormalMean interrupted;
  interrupted.fail_after = 120;  // in generation 1 or 2
  EXPECT_THROW(run_abc_smc(interrupted.problem(priors), s, store.storage()), std::runtime_error);
  NormalMean resumed;
  const AbcResult result = run_abc_smc(resumed.problem(priors), s, store.storage(true));
  EXPECT_EQ(result.generations.back().particles, expected.generations.back().particles);
  EXPECT_EQ(result.generations.back().weights, expected.generations.back().weights);
  EXPECT_EQ(result.generations.back().distances, expected.generations.back().distances);
  EXPECT_EQ(resumed.simulations + 120, whole.simulations);
}

}  // namespace
}  // namespace plansim

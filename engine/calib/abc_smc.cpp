#include "calib/abc_smc.h"

#include <Eigen/Cholesky>
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <stdexcept>

#include "core/rng.h"
#include "dist/work.h"

namespace plansim {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// Streams of the calibration itself: year 0 (the model draws only in calendar years) and process
// ids above every model process.
constexpr ProcessId kProposalStream = 0xFFFE;
constexpr ProcessId kResampleStream = 0xFFFC;
constexpr int kProposalAttempts = 1000;

// What every rank needs to derive the candidates of one batch.
struct Plan {
  bool done = false;
  std::uint32_t generation = 0;
  double epsilon = kInfinity;
  std::uint32_t batch_start = 0;
  std::uint32_t batch_size = 0;
  std::uint64_t dimension = 0;
  std::vector<double> ancestors;   // [j * dimension + p]; empty in generation 0 (the prior)
  std::vector<double> weights;     // of the ancestors, normalised
  std::vector<double> cumulative;  // their cumulative sums (last = 1)
  std::vector<double> cholesky;    // kernel covariance = L Lᵀ, L row-major lower triangular
};

// ---- a small binary encoding of the plan (broadcast to every rank) ----

void put(std::string& out, const void* p, std::size_t n) {
  out.append(static_cast<const char*>(p), n);
}
template <class T>
void put_value(std::string& out, T v) {
  put(out, &v, sizeof v);
}
void put_vector(std::string& out, const std::vector<double>& v) {
  put_value<std::uint64_t>(out, v.size());
  if (!v.empty()) put(out, v.data(), v.size() * sizeof(double));
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  template <class T>
  T value() {
    T v{};
    take(&v, sizeof v);
    return v;
  }
  std::vector<double> vector() {
    const auto n = value<std::uint64_t>();
    if (n > bytes_.size() / sizeof(double)) throw std::runtime_error("malformed calibration plan");
    std::vector<double> v(n);
    if (n) take(v.data(), n * sizeof(double));
    return v;
  }

 private:
  void take(void* p, std::size_t n) {
    if (bytes_.size() - at_ < n) throw std::runtime_error("malformed calibration plan");
    std::memcpy(p, bytes_.data() + at_, n);
    at_ += n;
  }
  std::string_view bytes_;
  std::size_t at_ = 0;
};

std::string encode(const Plan& p) {
  std::string out;
  put_value<std::uint8_t>(out, p.done);
  put_value(out, p.generation);
  put_value(out, p.epsilon);
  put_value(out, p.batch_start);
  put_value(out, p.batch_size);
  put_value(out, p.dimension);
  put_vector(out, p.ancestors);
  put_vector(out, p.weights);
  put_vector(out, p.cumulative);
  put_vector(out, p.cholesky);
  return out;
}

Plan decode(std::string_view bytes) {
  Reader r(bytes);
  Plan p;
  p.done = r.value<std::uint8_t>() != 0;
  p.generation = r.value<std::uint32_t>();
  p.epsilon = r.value<double>();
  p.batch_start = r.value<std::uint32_t>();
  p.batch_size = r.value<std::uint32_t>();
  p.dimension = r.value<std::uint64_t>();
  p.ancestors = r.vector();
  p.weights = r.vector();
  p.cumulative = r.vector();
  p.cholesky = r.vector();
  return p;
}

/// What identifies a generation's proposals (its folder of finished simulations): everything
/// but the batch.
std::string population_digest(const Plan& p) {
  Plan copy = p;
  copy.batch_start = copy.batch_size = 0;
  const std::string bytes = encode(copy);
  // FNV-1a, 64 bits: a fingerprint, not a security measure.
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
  return text;
}

bool in_support(const std::vector<ParameterDistribution>& priors,
                const std::vector<double>& theta) {
  for (std::size_t p = 0; p < priors.size(); ++p)
    if (!(priors[p].density(theta[p]) > 0)) return false;
  return true;
}

/// The parameters of candidate c: from the prior in generation 0; else an ancestor drawn by
/// weight, moved by the Gaussian kernel, drawn again until inside the prior's support.
std::vector<double> propose(const Plan& plan, const std::vector<ParameterDistribution>& priors,
                            std::uint64_t seed, std::uint32_t candidate) {
  const RngStreams streams(seed, plan.generation);
  AgentRng rng = streams.stream(0, kProposalStream, candidate);
  const std::size_t P = priors.size();
  std::vector<double> theta(P);
  if (plan.ancestors.empty()) {
    for (std::size_t p = 0; p < P; ++p) theta[p] = priors[p].quantile(rng.uniform_open());
    return theta;
  }
  std::vector<double> z(P);
  std::uint32_t j = 0;
  for (int attempt = 0; attempt < kProposalAttempts; ++attempt) {
    j = weighted_index(plan.cumulative, rng.uniform());
    for (std::size_t p = 0; p < P; ++p) z[p] = rng.normal();
    for (std::size_t p = 0; p < P; ++p) {
      double v = plan.ancestors[j * P + p];
      for (std::size_t q = 0; q <= p; ++q) v += plan.cholesky[p * P + q] * z[q];
      theta[p] = v;
    }
    if (in_support(priors, theta)) return theta;
  }
  // A kernel far wider than the prior: keep the ancestor itself (inside the support).
  for (std::size_t p = 0; p < P; ++p) theta[p] = plan.ancestors[j * P + p];
  return theta;
}

/// Σ = scale × weighted covariance of the generation, as its Cholesky factor L (row-major). A
/// degenerate direction gets a small jitter so that the kernel stays a proper density.
std::vector<double> kernel_cholesky(const AbcGeneration& g, double scale,
                                    const std::vector<ParameterDistribution>& priors) {
  const std::size_t P = g.dimension, N = g.weights.size();
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(P));
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t p = 0; p < P; ++p)
      mean[static_cast<Eigen::Index>(p)] += g.weights[i] * g.value(i, p);
  Eigen::MatrixXd cov =
      Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(P), static_cast<Eigen::Index>(P));
  for (std::size_t i = 0; i < N; ++i) {
    Eigen::VectorXd d(static_cast<Eigen::Index>(P));
    for (std::size_t p = 0; p < P; ++p)
      d[static_cast<Eigen::Index>(p)] = g.value(i, p) - mean[static_cast<Eigen::Index>(p)];
    cov.noalias() += g.weights[i] * d * d.transpose();
  }
  cov *= scale;
  double jitter = 0;
  for (int attempt = 0; attempt < 40; ++attempt) {
    Eigen::MatrixXd m = cov;
    for (std::size_t p = 0; p < P; ++p) {
      const double sd = priors[p].sd();
      m(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(p)) +=
          jitter * (std::isfinite(sd) && sd > 0 ? sd * sd : 1.0);
    }
    const Eigen::LLT<Eigen::MatrixXd> llt(m);
    if (llt.info() == Eigen::Success) {
      const Eigen::MatrixXd L = llt.matrixL();
      std::vector<double> out(P * P, 0.0);
      for (std::size_t p = 0; p < P; ++p)
        for (std::size_t q = 0; q <= p; ++q)
          out[p * P + q] = L(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(q));
      return out;
    }
    jitter = jitter == 0 ? 1e-12 : jitter * 10;
  }
  throw std::runtime_error("calibration: the kernel covariance is not positive definite");
}

/// Importance weights π(θ_i) / Σ_j W_j K(θ_i | a_j) of a generation's particles, normalised.
std::vector<double> importance_weights(const AbcGeneration& g, const Plan& plan,
                                       const std::vector<ParameterDistribution>& priors) {
  const std::size_t P = g.dimension, N = g.particles.size() / std::max<std::size_t>(P, 1);
  const std::size_t M = plan.weights.size();
  std::vector<double> log_w(N);
  std::vector<double> y(P), terms(M);
  for (std::size_t i = 0; i < N; ++i) {
    double log_prior = 0;
    for (std::size_t p = 0; p < P; ++p) log_prior += priors[p].log_density(g.value(i, p));
    double top = -kInfinity;
    for (std::size_t j = 0; j < M; ++j) {
      // y = L⁻¹ (θ_i − a_j) by forward substitution; the kernel is exp(−|y|² / 2).
      double q = 0;
      for (std::size_t p = 0; p < P; ++p) {
        double v = g.value(i, p) - plan.ancestors[j * P + p];
        for (std::size_t r = 0; r < p; ++r) v -= plan.cholesky[p * P + r] * y[r];
        y[p] = v / plan.cholesky[p * P + p];
        q += y[p] * y[p];
      }
      terms[j] = std::log(plan.weights[j]) - 0.5 * q;
      top = std::max(top, terms[j]);
    }
    double sum = 0;
    for (double t : terms) sum += std::exp(t - top);
    log_w[i] = log_prior - (top + std::log(sum));
  }
  const double top = *std::max_element(log_w.begin(), log_w.end());
  std::vector<double> w(N);
  double total = 0;
  for (std::size_t i = 0; i < N; ++i) total += (w[i] = std::exp(log_w[i] - top));
  for (double& v : w) v /= total;
  return w;
}

std::vector<double> cumulative_of(const std::vector<double>& w) {
  std::vector<double> c(w.size());
  double sum = 0;
  for (std::size_t i = 0; i < w.size(); ++i) c[i] = (sum += w[i]);
  if (!c.empty()) c.back() = 1.0;
  return c;
}

/// The plan of the first batch of generation `next` after `previous`.
Plan next_generation_plan(const AbcGeneration& previous, const AbcSettings& s,
                          const std::vector<ParameterDistribution>& priors, bool& resampled) {
  Plan plan;
  plan.generation = previous.index + 1;
  plan.dimension = previous.dimension;
  plan.epsilon = std::max(
      s.min_epsilon, weighted_quantile(previous.distances, previous.weights, s.tolerance_quantile));
  plan.cholesky = kernel_cholesky(previous, s.kernel_scale, priors);
  const std::size_t N = previous.weights.size(), P = previous.dimension;
  resampled = previous.ess < s.resample_below_ess * static_cast<double>(N);
  if (resampled) {
    const RngStreams streams(s.seed, plan.generation);
    const double u = streams.stream(0, kResampleStream, 0).uniform();
    const std::vector<std::uint32_t> picks = systematic_resample(previous.weights, N, u);
    plan.ancestors.reserve(N * P);
    for (std::uint32_t j : picks)
      for (std::size_t p = 0; p < P; ++p) plan.ancestors.push_back(previous.value(j, p));
    plan.weights.assign(N, 1.0 / static_cast<double>(N));
  } else {
    plan.ancestors = previous.particles;
    plan.weights = previous.weights;
  }
  plan.cumulative = cumulative_of(plan.weights);
  return plan;
}

std::uint32_t batch_size(std::uint32_t need, double rate) {
  const double expected = static_cast<double>(need) / std::clamp(rate, 0.01, 1.0);
  return std::max<std::uint32_t>(8, static_cast<std::uint32_t>(std::ceil(1.1 * expected)));
}

}  // namespace

std::uint32_t candidate_replicate(std::uint32_t generation, std::uint32_t candidate) {
  return generation * kMaxCandidatesPerGeneration + candidate;
}

double weighted_quantile(const std::vector<double>& values, const std::vector<double>& weights,
                         double q) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  double total = 0;
  for (double w : weights) total += w;
  double cumulative = 0;
  for (std::size_t i : order) {
    cumulative += weights[i];
    if (cumulative >= q * total * (1 - 1e-12)) return values[i];
  }
  return order.empty() ? kInfinity : values[order.back()];
}

std::vector<PosteriorEstimate> posterior_estimates(
    const AbcGeneration& g, const std::vector<std::string>& parameters,
    const std::vector<ParameterDistribution>& priors) {
  std::vector<PosteriorEstimate> out;
  const std::size_t N = g.weights.size();
  for (std::size_t p = 0; p < g.dimension; ++p) {
    PosteriorEstimate e;
    e.parameter = p < parameters.size() ? parameters[p] : std::to_string(p);
    std::vector<double> values(N);
    for (std::size_t i = 0; i < N; ++i) values[i] = g.value(i, p);
    double mean = 0;
    for (std::size_t i = 0; i < N; ++i) mean += g.weights[i] * values[i];
    double variance = 0;
    for (std::size_t i = 0; i < N; ++i)
      variance += g.weights[i] * (values[i] - mean) * (values[i] - mean);
    e.mean = mean;
    e.sd = std::sqrt(variance);
    e.median = weighted_quantile(values, g.weights, 0.5);
    e.p05 = weighted_quantile(values, g.weights, 0.05);
    e.p95 = weighted_quantile(values, g.weights, 0.95);
    if (p < priors.size()) {
      e.prior_mean = priors[p].mean();
      e.prior_p05 = priors[p].quantile(0.05);
      e.prior_p95 = priors[p].quantile(0.95);
    }
    out.push_back(std::move(e));
  }
  return out;
}

double effective_sample_size(const std::vector<double>& weights) {
  double sum = 0;
  for (double w : weights) sum += w * w;
  return sum > 0 ? 1.0 / sum : 0.0;
}

std::vector<std::uint32_t> systematic_resample(const std::vector<double>& weights, std::size_t n,
                                               double u) {
  std::vector<std::uint32_t> out;
  out.reserve(n);
  double cumulative = weights.empty() ? 1.0 : weights[0];
  std::uint32_t j = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double point = (static_cast<double>(k) + u) / static_cast<double>(n);
    while (point >= cumulative && j + 1 < weights.size()) cumulative += weights[++j];
    out.push_back(j);
  }
  return out;
}

std::uint32_t weighted_index(const std::vector<double>& cumulative, double u) {
  const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
  return static_cast<std::uint32_t>(std::min<std::ptrdiff_t>(
      it - cumulative.begin(), static_cast<std::ptrdiff_t>(cumulative.size()) - 1));
}

AbcResult run_abc_smc(const AbcProblem& problem, const AbcSettings& settings,
                      const AbcStorage& storage, const AbcObserver& observer) {
  const bool leader = MpiSession::rank() == 0;
  const std::size_t P = problem.priors.size();
  const std::uint32_t N = settings.particles;
  AbcResult result;

  // Rank 0's state: the plan of the next batch and the generation being filled.
  Plan plan;
  plan.dimension = P;
  plan.batch_size = N;  // generation 0: exactly N draws from the prior, all accepted
  AbcGeneration filling;
  bool resampled = false;
  std::uint64_t examined = 0;   // candidates looked at in index order in this generation
  std::uint64_t simulated = 0;  // candidates simulated in this generation (all batches)

  const auto start_generation = [&](const Plan& p) {
    filling = AbcGeneration{};
    filling.index = p.generation;
    filling.epsilon = p.epsilon;
    filling.dimension = P;
    filling.proposal_resampled = resampled;
    examined = simulated = 0;
  };
  start_generation(plan);

  for (;;) {
    std::string bytes = leader ? encode(plan) : std::string();
    MpiSession::broadcast(bytes);
    const Plan current = decode(bytes);
    if (current.done) break;

    const ItemStore store(storage.directory / ("generation-" + std::to_string(current.generation)),
                          storage.fingerprint + " " + population_digest(current));
    if (leader && current.batch_start == 0) store.open(storage.resume);
    std::vector<WorkItem> items;
    for (std::uint32_t c = current.batch_start; c < current.batch_start + current.batch_size; ++c)
      items.push_back({current.generation, c});
    const auto compute = [&](const WorkItem& item) {
      return problem.simulate(propose(current, problem.priors, settings.seed, item.replicate),
                              candidate_replicate(current.generation, item.replicate));
    };
    std::uint64_t finished_in_batch = 0;
    const auto done = [&](const WorkItem&) {
      ++finished_in_batch;
      if (observer.simulation_done)
        observer.simulation_done(current.generation, simulated + finished_in_batch);
    };
    const std::vector<ReplicateResults> results =
        run_work_items(items, compute, &store, done, problem.concurrent);
    if (!leader) continue;

    // Accept in candidate order until N particles: the outcome never depends on batch sizes.
    simulated += current.batch_size;
    for (std::size_t k = 0; k < results.size() && filling.weights.size() < N; ++k) {
      const std::uint32_t c = current.batch_start + static_cast<std::uint32_t>(k);
      ++examined;
      const std::vector<double> summary = problem.summarise(results[k]);
      const double d = problem.distance(summary);
      if (current.generation > 0 && !(d <= current.epsilon)) continue;
      const std::vector<double> theta = propose(current, problem.priors, settings.seed, c);
      filling.particles.insert(filling.particles.end(), theta.begin(), theta.end());
      filling.summaries.insert(filling.summaries.end(), summary.begin(), summary.end());
      filling.observations = summary.size();
      filling.distances.push_back(d);
      filling.candidates.push_back(c);
      filling.weights.push_back(1.0);
    }
    const std::uint32_t accepted = static_cast<std::uint32_t>(filling.weights.size());
    if (accepted < N) {
      if (simulated >= settings.max_simulations) {
        plan.done = true;
        result.stop_reason = "generation " + std::to_string(current.generation) + " accepted " +
                             std::to_string(accepted) + " of " + std::to_string(N) +
                             " particles in " + std::to_string(simulated) +
                             " simulations (method.max_simulations); the posterior is generation " +
                             std::to_string(current.generation - 1);
        continue;
      }
      plan = current;
      plan.batch_start = current.batch_start + current.batch_size;
      const double rate =
          accepted > 0 ? static_cast<double>(accepted) / static_cast<double>(examined) : 0.01;
      plan.batch_size =
          std::min<std::uint32_t>(batch_size(N - accepted, rate),
                                  static_cast<std::uint32_t>(settings.max_simulations - simulated));
      continue;
    }

    // The generation is complete.
    filling.simulations = examined;
    filling.acceptance_rate = static_cast<double>(N) / static_cast<double>(examined);
    if (current.generation == 0)
      filling.weights.assign(N, 1.0 / N);
    else
      filling.weights = importance_weights(filling, current, problem.priors);
    filling.ess = effective_sample_size(filling.weights);
    result.generations.push_back(filling);
    if (observer.generation_done) observer.generation_done(filling);

    const AbcGeneration& last = result.generations.back();
    if (last.index + 1 >= settings.max_generations) {
      result.stop_reason =
          "reached method.generations (" + std::to_string(settings.max_generations) + ")";
    } else if (last.index > 0 && last.acceptance_rate < settings.min_acceptance_rate) {
      result.stop_reason = "the acceptance rate fell below method.min_acceptance_rate";
    } else if (last.index > 0 && last.epsilon <= settings.min_epsilon) {
      result.stop_reason = "the tolerance reached method.min_epsilon";
    }
    Plan next;
    if (result.stop_reason.empty()) {
      next = next_generation_plan(last, settings, problem.priors, resampled);
      if (last.index > 0 && !(next.epsilon < last.epsilon))
        result.stop_reason = "the tolerance no longer decreases";
      if (!std::isfinite(next.epsilon))
        result.stop_reason = "no simulation of generation " + std::to_string(last.index) +
                             " reproduced every fitted observation";
    }
    if (!result.stop_reason.empty()) {
      plan = Plan{};
      plan.done = true;
      continue;
    }
    const double rate = last.index == 0 ? 0.7 * settings.tolerance_quantile : last.acceptance_rate;
    next.batch_start = 0;
    next.batch_size = std::min<std::uint32_t>(batch_size(N, rate), settings.max_simulations);
    plan = next;
    start_generation(plan);
  }
  return result;
}

}  // namespace plansim

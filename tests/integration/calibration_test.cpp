// `plansim calibrate` end to end on the Zhongyuan model at a small sample: a known-answer
// calibration (observations made by the model itself with known parameters), the same posterior
// at 1 and 2 threads, under MPI and after a kill, and bad calibration files.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli_runner.h"
#include "io/hdf5_posterior.h"
#include "io/hdf5_reader.h"

namespace plansim::testing {
namespace {

namespace fs = std::filesystem;

const std::string kProcesses = "[synthesis, demography, exogenous, indicators]";

bool have_mpirun() { return std::system("command -v mpirun >/dev/null 2>&1") == 0; }

void write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

// A calibration of the baseline at 0.5% of the district, 2020-2022: the TFR (a plain number) and
// the gross in-migration, out-migration held at 40‰.
std::string calibration(const fs::path& dir, const std::string& observed, int particles,
                        int generations, const std::string& fit) {
  return "calibration:\n"
         "  name: known-answer\n"
         "  scenario: " +
         std::string(PLANSIM_SOURCE_DIR) +
         "/scenarios/baseline.yaml\n"
         "  set:\n"
         "    run.end: 2022\n"
         "    run.scale: 0.005\n"
         "    processes: " +
         kProcesses +
         "\n"
         "    demography.migration.out_migrants_per_1000: 40\n"
         "  parameters:\n"
         "    demography.fertility.tfr: {dist: uniform, low: 0.5, high: 2.5}\n"
         "    demography.migration.in_migrants_per_1000: {dist: uniform, low: 20, high: 70}\n"
         "  observed: " +
         observed +
         "\n"
         "  fit:\n" +
         fit + "  method: {particles: " + std::to_string(particles) +
         ", generations: " + std::to_string(generations) +
         ", seed: 3}\n"
         "  output: " +
         (dir / "posterior.h5").string() + "\n";
}

const std::string kFit =
    "    population_year_end: {tolerance: 3000}\n"
    "    births: {relative_tolerance: 0.1}\n";

// Observations made by the model: TFR 1.1, in-migration 43‰ against 40‰ out (net +3‰).
std::string truth_observations(const fs::path& dir) {
  const fs::path truth = dir / "truth.h5";
  const CliResult r = run_plansim(
      "run scenarios/baseline.yaml -q --no-summary --seed 777 --replicates 2 --set run.end=2022 "
      "--set run.scale=0.005 --set 'processes=" +
      kProcesses +
      "' "
      "--set demography.fertility.tfr=1.1 --set demography.migration.in_migrants_per_1000=43 "
      "--set demography.migration.out_migrants_per_1000=40 -o '" +
      truth.string() + "'");
  EXPECT_EQ(r.status, 0) << r.err;
  const ResultsFile file(truth.string());
  const auto population = file.indicator("population_year_end");
  const auto births = file.events("births");
  // The mean of two replicates: observations with a little less noise than one.
  const auto mean = [](const ResultsFile::Matrix& m, std::size_t column) {
    return 0.5 * (m.at(0, column) + m.at(1, column));
  };
  const fs::path observed = dir / "observed.yaml";
  write(observed,
        "series:\n"
        "  population_year_end:\n"
        "    {unit: persons, timing: year_end, status: D, source: model, values: {2021: " +
            std::to_string(mean(population, 1)) + ", 2022: " + std::to_string(mean(population, 2)) +
            "}}\n"
            "  births:\n"
            "    {unit: persons, timing: calendar_year, status: D, source: model, values: {2021: " +
            std::to_string(mean(births, 1)) + ", 2022: " + std::to_string(mean(births, 2)) +
            "}}\n");
  return observed.string();
}

// Every generation of a posterior file, read with the HDF5 C API as a user's tool would: its
// particles [particles, parameters], normalised weights, distances within its tolerance and the
// tolerances decreasing.
void expect_generations(const fs::path& file, std::size_t generations, std::size_t particles,
                        std::size_t parameters) {
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(f, 0) << file;
  double previous_epsilon = INFINITY;
  for (std::size_t g = 0; g < generations; ++g) {
    char name[32];
    std::snprintf(name, sizeof name, "/generations/%03zu", g);
    SCOPED_TRACE(name);
    const hid_t group = H5Gopen2(f, name, H5P_DEFAULT);
    ASSERT_GE(group, 0);
    const auto read = [&](const char* dataset, std::vector<hsize_t>& dims) {
      const hid_t d = H5Dopen2(group, dataset, H5P_DEFAULT);
      const hid_t space = H5Dget_space(d);
      dims.assign(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space)), 0);
      H5Sget_simple_extent_dims(space, dims.data(), nullptr);
      std::size_t n = 1;
      for (hsize_t x : dims) n *= static_cast<std::size_t>(x);
      std::vector<double> values(n);
      H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
      H5Sclose(space);
      H5Dclose(d);
      return values;
    };
    std::vector<hsize_t> dims;
    read("particles", dims);
    EXPECT_EQ(dims, (std::vector<hsize_t>{particles, parameters}));
    const std::vector<double> weights = read("weights", dims);
    double sum = 0;
    for (double w : weights) sum += w;
    EXPECT_NEAR(sum, 1.0, 1e-12);
    double epsilon = 0;
    const hid_t a = H5Aopen(group, "epsilon", H5P_DEFAULT);
    H5Aread(a, H5T_NATIVE_DOUBLE, &epsilon);
    H5Aclose(a);
    if (g == 0) {
      EXPECT_TRUE(std::isinf(epsilon));
    } else {
      EXPECT_LT(epsilon, previous_epsilon);
      for (double d : read("distances", dims)) EXPECT_LE(d, epsilon);
    }
    previous_epsilon = epsilon;
    H5Gclose(group);
  }
  H5Fclose(f);
}

TEST(Calibration, KnownAnswerFromTheModelItself) {
  TempDir dir;
  const std::string observed = truth_observations(dir.path());
  const fs::path file = dir / "calibration.yaml";
  write(file, calibration(dir.path(), observed, 40, 4, kFit));
  const CliResult r = run_plansim("calibrate '" + file.string() + "' --threads 2");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("Posterior 后验"), std::string::npos) << r.out;
  const StoredPosterior posterior = read_posterior((dir / "posterior.h5").string());
  ASSERT_EQ(posterior.parameters.size(), 2u);
  EXPECT_EQ(posterior.particles, 40u);
  EXPECT_EQ(posterior.generation, 3u);
  const double truth[] = {1.1, 43.0};
  for (std::size_t p = 0; p < 2; ++p) {
    const PosteriorEstimate& e = posterior.estimates[p];
    RecordProperty(e.parameter, std::to_string(e.mean) + " [" + std::to_string(e.p05) + ", " +
                                    std::to_string(e.p95) + "], prior [" +
                                    std::to_string(e.prior_p05) + ", " +
                                    std::to_string(e.prior_p95) + "]");
    EXPECT_LE(e.p05, truth[p]) << e.parameter;
    EXPECT_GE(e.p95, truth[p]) << e.parameter;
    EXPECT_LT(e.p95 - e.p05, 0.6 * (e.prior_p95 - e.prior_p05)) << e.parameter;
  }
  expect_generations(dir / "posterior.h5", 4, 40, 2);
  // The scenario fragment names both parameters with their posterior means.
  const std::string fragment = slurp(dir / "posterior.yaml");
  EXPECT_NE(fragment.find("tfr: "), std::string::npos) << fragment;
  EXPECT_NE(fragment.find("in_migrants_per_1000: "), std::string::npos) << fragment;
  EXPECT_FALSE(fs::exists(dir / "posterior.h5.parts"));
}

// A small calibration, its posterior read back.
StoredPosterior calibrate_small(const fs::path& dir, const std::string& observed,
                                const std::string& prefix, const std::string& extra,
                                int expected_status = 0) {
  const fs::path file = dir / "calibration.yaml";
  write(file, calibration(dir, observed, 12, 3, kFit));
  const CliResult r = run_plansim("calibrate '" + file.string() + "' -q " + extra, prefix);
  EXPECT_EQ(r.status, expected_status) << r.err;
  if (r.status != 0) return {};
  return read_posterior((dir / "posterior.h5").string());
}

void expect_same_posterior(const StoredPosterior& a, const StoredPosterior& b) {
  EXPECT_EQ(a.generation, b.generation);
  EXPECT_EQ(a.values, b.values);
  EXPECT_EQ(a.weights, b.weights);
  EXPECT_EQ(a.distances, b.distances);
  EXPECT_FALSE(a.values.empty());
}

TEST(Calibration, SamePosteriorAtAnyThreadOrRankCountAndAfterAKill) {
  TempDir dir;
  const std::string observed = truth_observations(dir.path());
  TempDir one, two, mpi, killed;
  const StoredPosterior reference = calibrate_small(one.path(), observed, "", "--threads 1");
  expect_same_posterior(reference, calibrate_small(two.path(), observed, "", "--threads 2"));
#ifdef PLANSIM_WITH_MPI
  if (have_mpirun())
    expect_same_posterior(
        reference,
        calibrate_small(mpi.path(), observed, "mpirun --oversubscribe --allow-run-as-root -n 3",
                        "--threads 1"));
#endif
  // Killed in the middle of generation 1 (12 simulations in generation 0), then resumed.
  calibrate_small(killed.path(), observed, "PLANSIM_TEST_KILL_AFTER_ITEMS=17", "--threads 1", 3);
  EXPECT_TRUE(fs::exists(killed / "posterior.h5.parts"));
  EXPECT_FALSE(fs::exists(killed / "posterior.h5"));
  expect_same_posterior(reference,
                        calibrate_small(killed.path(), observed, "", "--threads 1 --resume"));
}

// A scenario with uncertainty: {posterior: ...} runs replicate k with a posterior particle drawn
// by weight; a value the scenario sets itself is kept; a missing posterior is bad input.
TEST(Calibration, RunsTakeTheirParametersFromThePosterior) {
  TempDir dir;
  const std::string observed = truth_observations(dir.path());
  calibrate_small(dir.path(), observed, "", "--threads 2");
  const fs::path posterior = dir / "posterior.h5";
  write(dir / "uncertain.yaml",
        "scenario: {name: uncertain, extends: " + std::string(PLANSIM_SOURCE_DIR) +
            "/scenarios/baseline.yaml}\n"
            "run: {end: 2022, scale: 0.005, replicates: 4}\n"
            "processes: " +
            kProcesses +
            "\n"
            "demography: {migration: {out_migrants_per_1000: 40}}\n"
            "uncertainty: {posterior: posterior.h5}\n");
  write(dir / "child.yaml",
        "scenario: {name: child, extends: uncertain.yaml}\n"
        "demography: {fertility: {tfr: 1.6}}\n");
  const auto out = (dir / "u.h5").string(), child = (dir / "c.h5").string();
  const CliResult r =
      run_plansim("run '" + (dir / "uncertain.yaml").string() + "' -q -o '" + out + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  const CliResult c = run_plansim("run '" + (dir / "child.yaml").string() + "' -o '" + child + "'");
  ASSERT_EQ(c.status, 0) << c.err;
  EXPECT_NE(c.err.find("demography.fertility.tfr (set at"), std::string::npos) << c.err;
  const ResultsFile a(out), b(child);
  // The same particles in both scenarios (same seed), one per replicate.
  const std::vector<double> particles = a.scalar("posterior_particle");
  ASSERT_EQ(particles.size(), 4u);
  EXPECT_EQ(particles, b.scalar("posterior_particle"));
  for (double j : particles) EXPECT_LT(j, 12.0);
  EXPECT_EQ(a.meta_strings().at("posterior_parameters"),
            "demography.fertility.tfr; demography.migration.in_migrants_per_1000");
  EXPECT_EQ(b.meta_strings().at("posterior_parameters"),
            "demography.migration.in_migrants_per_1000");
  // TFR 1.6 in every replicate of the child: more births than the posterior's (mean about 1).
  const auto births_a = a.events("births"), births_b = b.events("births");
  double sum_a = 0, sum_b = 0;
  for (std::size_t k = 0; k < 4; ++k) sum_a += births_a.at(k, 2), sum_b += births_b.at(k, 2);
  EXPECT_GT(sum_b, sum_a);

  // Both sources in one block: the posterior replaces the prior it calibrates (the TFR's
  // distribution), the design draws the rest (out-migration), the same draws in every replicate
  // whatever the posterior.
  write(dir / "mixed.yaml",
        "scenario: {name: mixed, extends: " + std::string(PLANSIM_SOURCE_DIR) +
            "/scenarios/baseline.yaml}\n"
            "run: {end: 2022, scale: 0.005, replicates: 4}\n"
            "processes: " +
            kProcesses +
            "\n"
            "demography:\n"
            "  fertility: {tfr: {dist: uniform, low: 5, high: 6}}\n"
            "  migration: {out_migrants_per_1000: {dist: uniform, low: 35, high: 45}}\n"
            "uncertainty: {posterior: posterior.h5, parameters: sampled}\n");
  const auto mixed = (dir / "x.h5").string();
  const CliResult x =
      run_plansim("run '" + (dir / "mixed.yaml").string() + "' -q -o '" + mixed + "'");
  ASSERT_EQ(x.status, 0) << x.err;
  const ResultsFile xf(mixed);
  EXPECT_EQ(xf.scalar("posterior_particle"), particles);
  EXPECT_EQ(xf.parameter("demography.fertility.tfr"), a.parameter("demography.fertility.tfr"));
  for (double tfr : xf.parameter("demography.fertility.tfr")) EXPECT_LT(tfr, 2.5);  // the prior's
  const std::vector<double> out_rates = xf.parameter("demography.migration.out_migrants_per_1000");
  ASSERT_EQ(out_rates.size(), 4u);
  for (double v : out_rates) EXPECT_TRUE(v >= 35 && v <= 45) << v;
  EXPECT_NE(out_rates[1], out_rates[2]);

  write(dir / "missing.yaml",
        "scenario: {name: missing, extends: uncertain.yaml}\n"
        "uncertainty: {posterior: nowhere.h5}\n");
  const CliResult m = run_plansim("run '" + (dir / "missing.yaml").string() + "' -o '" +
                                  (dir / "m.h5").string() + "'");
  EXPECT_EQ(m.status, 2);
  EXPECT_NE(m.err.find((dir / "missing.yaml").string() + ":2:26: error: uncertainty.posterior: " +
                       (dir / "nowhere.h5").string() + ": no such file"),
            std::string::npos)
      << m.err;
  EXPECT_FALSE(fs::exists(dir / "m.h5"));

  // A posterior of a process the scenario does not run is refused whole, not particle by particle.
  write(dir / "without.yaml",
        "scenario: {name: without, extends: uncertain.yaml}\nprocesses: [synthesis, indicators]\n");
  const CliResult w = run_plansim("run '" + (dir / "without.yaml").string() + "' -o '" +
                                  (dir / "w.h5").string() + "'");
  EXPECT_EQ(w.status, 2);
  EXPECT_NE(w.err.find((dir / "uncertain.yaml").string() +
                       ":5:26: error: uncertainty.posterior: " + (dir / "posterior.h5").string() +
                       " sets demography.fertility.tfr, a parameter of the demography process, "
                       "which the scenario does not run (add 'demography' to processes:, or give "
                       "uncertainty.posterior: none to use the point estimates the scenarios "
                       "write)\n1 error;"),
            std::string::npos)
      << w.err;
  EXPECT_FALSE(fs::exists(dir / "w.h5"));

  // A scenario's own uncertainty: block has no part in calibrating it (every particle sets the
  // free parameters itself): it is neither an error nor used.
  TempDir again;
  std::string text = calibration(again.path(), observed, 12, 2, kFit);
  const std::string baseline = std::string(PLANSIM_SOURCE_DIR) + "/scenarios/baseline.yaml";
  text.replace(text.find(baseline), baseline.size(), (dir / "uncertain.yaml").string());
  write(again / "calibration.yaml", text);
  const CliResult u = run_plansim("calibrate '" + (again / "calibration.yaml").string() + "' -q");
  EXPECT_EQ(u.status, 0) << u.err;
  EXPECT_TRUE(fs::exists(again / "posterior.h5"));
}

TEST(Calibration, EveryBadInputIsReportedBeforeAnythingRuns) {
  TempDir dir;
  const fs::path observed = dir / "observed.yaml";
  write(observed,
        "series:\n"
        "  births: {unit: persons, timing: calendar_year, status: F, source: s, "
        "values: {2021: 80, 2022: 70}}\n");
  const fs::path file = dir / "bad.yaml";
  write(file,
        "calibration:\n"
        "  scenario: " +
            std::string(PLANSIM_SOURCE_DIR) +
            "/scenarios/baseline.yaml\n"
            "  set: {run.end: 2022, run.scael: 0.01, processes: " +
            kProcesses +
            "}\n"
            "  parameters:\n"
            "    demography.fertility.tfr: {dist: unifrom, low: 0.5, high: 2}\n"
            "    demography.migration.in_migrants_per_100: {dist: uniform, low: 20, high: 70}\n"
            "    demography.mortality.level: {dist: normal, mean: 1, sd: 0.5}\n"
            "  observed: " +
            observed.string() +
            "\n"
            "  fit:\n"
            "    birth: {relative_tolerance: 0.1}\n"
            "    births: {tolerance: 5, relative_tolerance: 0.1}\n"
            "  method: {particles: 1, generatoins: 3}\n"
            "  output: " +
            (dir / "out.h5").string() + "\n");
  const CliResult r = run_plansim("calibrate '" + file.string() + "'");
  EXPECT_EQ(r.status, 2) << r.err;
  const std::string f = file.string();
  for (const std::string& expected :
       {f + ":5:38: error: calibration.parameters.demography.fertility.tfr.dist: unknown "
            "distribution 'unifrom' (did you mean 'uniform'?",
        f + ":10:5: error: calibration.fit.birth: ",
        f + ":11:48: error: calibration.fit.births: give tolerance or relative_tolerance, not both",
        f + ":12:23: error: calibration.method.particles: 1 is out of range",
        f + ":12:26: error: calibration.method.generatoins: unknown key 'generatoins'"})
    EXPECT_NE(r.err.find(expected), std::string::npos) << expected << "\nin\n" << r.err;
  EXPECT_FALSE(fs::exists(dir / "out.h5"));

  // A file that reads well, with a scenario that refuses what it sets: the typo in `set:`, the
  // unknown parameter path and a prior that reaches a negative mortality level, each at the
  // calibration file's line.
  write(file,
        "calibration:\n"
        "  scenario: " +
            std::string(PLANSIM_SOURCE_DIR) +
            "/scenarios/baseline.yaml\n"
            "  set: {run.end: 2022, run.scael: 0.01, processes: " +
            kProcesses +
            "}\n"
            "  parameters:\n"
            "    demography.migration.in_migrants_per_100: {dist: uniform, low: 20, high: 70}\n"
            "    demography.mortality.level: {dist: normal, mean: 1, sd: 0.5}\n"
            "  observed: " +
            observed.string() +
            "\n"
            "  fit: {births: {relative_tolerance: 0.1}}\n"
            "  output: " +
            (dir / "out.h5").string() + "\n");
  const CliResult s = run_plansim("calibrate '" + file.string() + "'");
  EXPECT_EQ(s.status, 2) << s.err;
  for (const std::string& expected :
       {f + ":3:24: error: calibration.set: run.scael: unknown key 'scael' in 'run' (did you mean "
            "'scale'?)",
        f + ":5:5: error: calibration.parameters: demography.migration.in_migrants_per_100: "
            "unknown key 'in_migrants_per_100'",
        f + ":6:5: error: calibration.parameters: demography.mortality.level"})
    EXPECT_NE(s.err.find(expected), std::string::npos) << expected << "\nin\n" << s.err;
  EXPECT_FALSE(fs::exists(dir / "out.h5"));
  EXPECT_FALSE(fs::exists(dir / "out.h5.parts"));
}

}  // namespace
}  // namespace plansim::testing

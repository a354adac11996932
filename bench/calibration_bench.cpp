// One generation of the baseline's calibration (plansim calibrate): particles simulated per
// second at a 5% and a 10% sample of the district, on 1 and 2 threads. The generation is the
// prior sample (generation 0), where every simulated candidate is a particle; later generations
// simulate 1 / acceptance rate candidates per particle at the same cost per simulation.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli/calibrate.h"

namespace plansim {
namespace {

namespace fs = std::filesystem;

constexpr int kParticles = 64;

void BM_CalibrationGeneration(benchmark::State& state) {
  const double scale = static_cast<double>(state.range(0)) / 100.0;
  const int threads = static_cast<int>(state.range(1));
  const fs::path dir = fs::temp_directory_path() / "plansim_calibration_bench";
  fs::create_directories(dir);
  const fs::path file = dir / "calibration.yaml";
  std::ofstream(file)
      << "calibration:\n"
         "  scenario: "
      << PLANSIM_SOURCE_DIR
      << "/scenarios/baseline.yaml\n"
         "  set: {run.end: 2022, run.scale: "
      << scale
      << ", processes: [synthesis, demography, exogenous, indicators]}\n"
         "  parameters:\n"
         "    demography.fertility.tfr.2021: {dist: uniform, low: 0.7, high: 1.5}\n"
         "    demography.fertility.tfr.2022: {dist: uniform, low: 0.6, high: 1.5}\n"
         "    demography.mortality.level: {dist: uniform, low: 0.6, high: 1.3}\n"
         "    demography.migration.in_migrants_per_1000: {dist: uniform, low: 20, high: 70}\n"
         "    demography.migration.out_migrants_per_1000: {dist: uniform, low: 20, high: 70}\n"
         "  fit:\n"
         "    population_year_end: {relative_tolerance: 0.001}\n"
         "    births: {relative_tolerance: 0.03}\n"
         "  method: {particles: "
      << kParticles
      << ", generations: 1, seed: 1}\n"
         "  output: "
      << (dir / "posterior.h5").string() << "\n";
  CalibrateOptions options;
  options.file = file.string();
  options.threads = threads;
  options.quiet = true;
  std::int64_t particles = 0;
  for (auto _ : state) {
    if (calibrate_command(options) != 0) {
      state.SkipWithError("plansim calibrate failed");
      return;
    }
    particles += kParticles;
  }
  state.SetItemsProcessed(particles);
  state.counters["particles_per_second"] =
      benchmark::Counter(static_cast<double>(particles), benchmark::Counter::kIsRate);
  fs::remove_all(dir);
}
BENCHMARK(BM_CalibrationGeneration)
    ->Args({5, 1})
    ->Args({5, 2})
    ->Args({10, 1})
    ->Args({10, 2})
    ->ArgNames({"scale_percent", "threads"})
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace
}  // namespace plansim

BENCHMARK_MAIN();

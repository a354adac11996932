// Synthesising the whole Zhongyuan base population (scale 1.0, about 0.96 M persons) from the
// real city config: persons per second, and bytes of the person and household tables per person.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>

#include "io/scenario_loader.h"
#include "population/synthesis.h"

namespace plansim {
namespace {

/// The city config of configs/zhongyuan, read as the engine reads it (YAML + CSV tables).
PopulationConfig zhongyuan_config(std::string& problem) {
  const auto dir = std::filesystem::temp_directory_path() / "plansim_synthesis_bench";
  std::filesystem::create_directories(dir);
  const auto scenario = dir / "scenario.yaml";
  std::ofstream(scenario) << "city: " << PLANSIM_SOURCE_DIR << "/configs/zhongyuan\n";
  Diagnostics load_diags;  // other city files are not this benchmark's business
  const LoadedScenario loaded = load_scenario(scenario.string(), {}, load_diags);
  const ParamNode* zones = loaded.city.peek("zones");
  const ParamNode* population = loaded.city.peek("population");
  if (!zones || !population) {
    problem = "configs/zhongyuan has no zones.yaml or population.yaml";
    return {};
  }
  Diagnostics diags;
  PopulationConfig config = read_population_config(*zones, *population, diags);
  if (!diags.empty()) problem = diags.format();
  return config;
}

void BM_SynthesiseZhongyuan(benchmark::State& state) {
  std::string problem;
  const PopulationConfig config = zhongyuan_config(problem);
  if (!problem.empty()) {
    state.SkipWithError(problem.c_str());
    return;
  }
  const double scale = static_cast<double>(state.range(0)) / 100.0;
  std::int64_t persons = 0;
  double bytes_per_person = 0;
  std::uint32_t replicate = 0;
  for (auto _ : state) {
    World world;
    std::vector<FitRow> fit;
    const SynthesisStats stats =
        synthesise(config, scale, RngStreams(20211116, replicate++), 1, world, fit);
    benchmark::DoNotOptimize(world.persons.age.data());
    persons += stats.persons;
    bytes_per_person = static_cast<double>(world.persons.bytes() + world.households.bytes()) /
                       static_cast<double>(stats.persons);
  }
  state.SetItemsProcessed(persons);
  state.counters["bytes_per_person"] = bytes_per_person;
}
BENCHMARK(BM_SynthesiseZhongyuan)->Arg(100)->Arg(10)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace plansim

BENCHMARK_MAIN();

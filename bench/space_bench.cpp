// Location choice of the housing process: the constrained logit (shadow prices) and the
// capacity-respecting assignment of movers, and one whole housing year on a synthetic city.
// Reports movers (or households) per second.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>

#include "space/housing.h"
#include "space/location_choice.h"

namespace plansim {
namespace {

// Segments × zones utilities with a scarce zone in every tenth, as after a station opens.
void BM_ConstrainedLogitAndAssignment(benchmark::State& state) {
  const auto zones = static_cast<Eigen::Index>(state.range(0));
  const auto movers_count = static_cast<std::size_t>(state.range(1));
  const Eigen::Index segments = zones * 4;
  std::mt19937 gen(1);
  std::normal_distribution<double> noise(0.0, 1.0);
  Eigen::MatrixXd u(segments, zones);
  for (Eigen::Index s = 0; s < segments; ++s)
    for (Eigen::Index j = 0; j < zones; ++j) u(s, j) = noise(gen) + (j % 10 == 0 ? 2.0 : 0.0);
  Eigen::VectorXd per_segment =
      Eigen::VectorXd::Constant(segments, static_cast<double>(movers_count) / segments);
  Eigen::VectorXd free =
      Eigen::VectorXd::Constant(zones, 1.5 * static_cast<double>(movers_count) / zones);
  const RngStreams rng(7, 0);
  std::vector<Mover> movers(movers_count);
  for (std::size_t i = 0; i < movers_count; ++i) {
    AgentRng r = rng.stream(2025, 9, i + 1);
    movers[i] = {(static_cast<std::uint64_t>(r.next32()) << 32) | r.next32(),
                 i + 1,
                 static_cast<std::uint32_t>(i),
                 static_cast<std::uint32_t>(i % static_cast<std::size_t>(segments)),
                 r.uniform(),
                 0,
                 0,
                 false};
  }
  for (auto _ : state) {
    const ConstrainedLogit c = constrained_logit(u, per_segment, free, 200, 1e-3);
    std::vector<std::int64_t> remaining(static_cast<std::size_t>(zones));
    for (Eigen::Index j = 0; j < zones; ++j)
      remaining[static_cast<std::size_t>(j)] = static_cast<std::int64_t>(free(j));
    std::vector<Mover> work = movers;
    benchmark::DoNotOptimize(assign_movers(work, c.probability, remaining));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(movers_count));
}
BENCHMARK(BM_ConstrainedLogitAndAssignment)
    ->Args({14, 20000})
    ->Args({100, 200000})
    ->Unit(benchmark::kMillisecond);

// One housing year (triggers, choice, prices, indicators) on `households` households in 14 zones.
void BM_HousingYear(benchmark::State& state) {
  const auto households = static_cast<std::size_t>(state.range(0));
  SpaceConfig config;
  World world;
  for (int z = 0; z < 14; ++z) {
    ZoneLabel label;
    label.key = "z" + std::to_string(z);
    label.x_m = 1500.0 * (z % 7);
    label.y_m = 2000.0 * (z / 7);
    label.area_km2 = 6.0;
    world.zones.push_back(label);
    ZoneLandUseSpec spec;
    spec.key = label.key;
    spec.vacancy_2020 = 0.08;
    spec.dwelling_capacity_ratio = 1.3;
    spec.job_floor_space_m2 = 500000;
    spec.job_floor_capacity_m2 = 800000;
    config.zones.push_back(spec);
  }
  MetroLineSpec line;
  line.line = "1";
  for (int z = 0; z < 7; ++z)
    line.stations.push_back({"s" + std::to_string(z), "a", 1500.0 * z, 0, 2010, 0, {}});
  config.lines = {line};
  std::mt19937 gen(3);
  std::uniform_int_distribution<int> zone(0, 13), size(1, 4), age(0, 85);
  for (std::size_t h = 0; h < households; ++h) {
    const std::uint32_t row =
        world.households.append(world.new_household_id(), static_cast<std::uint16_t>(zone(gen)));
    for (int k = size(gen); k > 0; --k)
      world.persons.append(world.new_person_id(), static_cast<std::uint8_t>(age(gen)), kMale,
                           kPrimary, row);
  }
  rebuild_members(world);
  SeriesCatalog catalog;
  HousingProcess::declare_series(catalog);
  HousingProcess housing(config);
  ReplicateResults results;
  RunSettings run;
  const RngStreams rng(11, 0);
  Recorder init(results, catalog, 0, 1.0);
  StepContext first{world, rng, init, 9, 2020, run};
  housing.initialize(first);
  int year = 2020;
  for (auto _ : state) {
    Recorder out(results, catalog, world.zones.size(), 1.0);
    out.begin_year(year);
    StepContext ctx{world, rng, out, 9, year++, run};
    housing.step(ctx);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(households));
}
BENCHMARK(BM_HousingYear)->Arg(340000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace plansim

BENCHMARK_MAIN();

// One year of the demography process on a synthetic district of about 1 M persons (built from
// fixed household shares, 14 zones, the Zhongyuan rates). Items per second = person-years.
// Arg = worker threads (tbb::global_control).
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include "../tests/population/demography_test_world.h"

namespace plansim {
namespace {

void BM_DemographyYear(benchmark::State& state) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(state.range(0)));
  const World base = demography_test::make_world(1000000, 14, 1);
  Diagnostics diags;
  const ParamNode scenario(ParamNode::Kind::Map, SourceLoc{}, "demography");
  DemographyProcess process(
      read_demography_rates(demography_test::zhongyuan_city_file(), scenario, diags));
  // The process's step alone, the same year again on a fresh copy of the World each time (the
  // test harness runs years in order, so the step is called directly here).
  RunSettings run;
  run.start_year = 2020;
  run.end_year = 2020;
  run.seed = 20211116;
  const RngStreams rng(run.seed, 0);
  SeriesCatalog catalog;
  DemographyProcess::declare_series(catalog);
  ReplicateResults results;
  World world = base;
  {
    Recorder setup(results, catalog, 0, world.person_weight);
    StepContext ctx{world, rng, setup, demography_test::Harness::kProcessId, 2020, run};
    process.initialize(ctx);
  }
  Recorder yearly(results, catalog, world.zone_count(), world.person_weight);
  std::size_t person_years = 0, bytes = 0, persons = 0;
  for (auto _ : state) {
    state.PauseTiming();
    world = base;
    world.year = 2020;
    state.ResumeTiming();
    yearly.begin_year(2020);
    StepContext ctx{world, rng, yearly, demography_test::Harness::kProcessId, 2020, run};
    process.step(ctx);
    person_years += base.persons.size();
    bytes = world.persons.bytes() + world.households.bytes();
    persons = world.persons.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(person_years));
  state.counters["persons"] = static_cast<double>(base.persons.size());
  state.counters["bytes_per_person"] = static_cast<double>(bytes) / static_cast<double>(persons);
}
BENCHMARK(BM_DemographyYear)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace plansim

BENCHMARK_MAIN();

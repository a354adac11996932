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
  demography_test::Harness harness;
  World world = base;
  harness.initialize(process, world);
  std::size_t person_years = 0, bytes = 0, persons = 0;
  for (auto _ : state) {
    state.PauseTiming();
    world = base;
    state.ResumeTiming();
    harness.step(process, world, 2020);
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

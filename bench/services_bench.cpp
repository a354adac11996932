// Benchmarks of the service allocation steps: education (demand by age, counting sort by zone,
// place allocation) and eldercare (care-need transitions, waiting list, bed allocation) on a
// synthetic district of N persons in 14 zones with facilities in proportion to the population
// (Zhongyuan's 2020 places per resident). Reports persons processed per second.
//
//   build/<dir>/services_bench --benchmark_filter=Education
#include <benchmark/benchmark.h>

#include <string>

#include "core/params.h"
#include "core/results.h"
#include "core/rng.h"
#include "io/yaml_loader.h"
#include "services/education.h"
#include "services/eldercare.h"
#include "services/health.h"

namespace plansim {
namespace {

constexpr int kZones = 14;

// N persons in households of 1-5 members, ages 0-99 with fewer old people, zones on a 4 km grid.
World synthetic_district(std::size_t persons) {
  World w;
  w.year = 2020;
  for (int z = 0; z < kZones; ++z) {
    ZoneLabel label;
    label.key = "z" + std::to_string(z);
    label.x_m = 4000.0 * (z % 5);
    label.y_m = 4000.0 * (z / 5);
    label.area_km2 = 14.0;
    w.zones.push_back(label);
  }
  std::uint64_t s = 12345;
  const auto next = [&] {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(s >> 33);
  };
  w.persons.reserve(persons);
  while (w.persons.size() < persons) {
    const auto zone = static_cast<std::uint16_t>(next() % kZones);
    const std::uint32_t h = w.households.append(w.new_household_id(), zone);
    const int size = 1 + static_cast<int>(next() % 5);
    for (int k = 0; k < size && w.persons.size() < persons; ++k) {
      int age = static_cast<int>(next() % 100);
      if (age > 60 && next() % 3 == 0) age -= 40;
      w.persons.append(w.new_person_id(), static_cast<std::uint8_t>(age),
                       static_cast<std::uint8_t>(next() % 2), kNoSchooling, h);
    }
  }
  rebuild_members(w);
  return w;
}

// facilities.yaml text: per zone, kindergartens / schools / eldercare homes sized so that places
// per resident match the Zhongyuan config (places per 1,000 residents: 34.8 kindergarten, 79.7
// primary, 35.6 junior, 4.4 eldercare beds), slightly uneven across zones.
std::string facilities_yaml(std::size_t persons) {
  const double per_zone = static_cast<double>(persons) / kZones;
  std::string rows;
  const auto add = [&](const char* kind, int z, int count, double per_1000) {
    const double unevenness = z % 3 == 0 ? 0.8 : 1.1;
    rows += "{name: f" + std::to_string(z) + kind + ", kind: " + kind + ", zone: z" +
            std::to_string(z) + ", count: " + std::to_string(count) +
            ", capacity: " + std::to_string(per_zone * per_1000 / 1000.0 * unevenness / count) +
            "},";
  };
  for (int z = 0; z < kZones; ++z) {
    add("kindergarten", z, 10, 34.8);
    add("primary", z, 5, 79.7);
    add("junior_middle", z, 2, 35.6);
    add("eldercare_institution", z, 1, 4.4);
  }
  return "{facilities: {all: [" + rows +
         "]}, eldercare: {min_age: 60, care_need: ["
         "{from_age: 60, initial_partial: 0.08, initial_full: 0.03, onset_partial: 0.03, "
         "onset_full: 0.008, progression: 0.1, recovery: 0.15}, "
         "{from_age: 80, initial_partial: 0.25, initial_full: 0.15, onset_partial: 0.09, "
         "onset_full: 0.03, progression: 0.15, recovery: 0.08}]}}";
}

template <class P>
void run_process(benchmark::State& state, ProcessId id) {
  const auto persons = static_cast<std::size_t>(state.range(0));
  World world = synthetic_district(persons);
  Diagnostics diags;
  ParamNode city(ParamNode::Kind::Map, SourceLoc{}, "");
  city.set("facilities", SourceLoc{}, parse_yaml(facilities_yaml(persons), "bench.yaml", diags));
  const ParamNode params(ParamNode::Kind::Map, SourceLoc{}, "");
  RunSettings run;
  run.start_year = 2020;
  run.end_year = 2100;
  SeriesCatalog catalog;
  ConfigureContext cc{params, city, run, diags, catalog};
  P process;
  process.configure(cc);
  if (!diags.empty()) {
    state.SkipWithError(diags.format().c_str());
    return;
  }
  const RngStreams rng(1, 0);
  ReplicateResults results;
  Recorder out(results, catalog, world.zone_count(), 1.0);
  StepContext init{world, rng, out, id, 2020, run};
  process.initialize(init);
  int year = 2020;
  for (auto _ : state) {
    out.begin_year(year);
    StepContext ctx{world, rng, out, id, year, run};
    process.step(ctx);
    ++year;
    if (year > 2100) year = 2021;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(persons));
  state.counters["persons"] = static_cast<double>(persons);
}

void BM_EducationStep(benchmark::State& state) { run_process<EducationProcess>(state, 5); }
void BM_EldercareStep(benchmark::State& state) { run_process<EldercareProcess>(state, 6); }
void BM_HealthStep(benchmark::State& state) { run_process<HealthProcess>(state, 7); }

BENCHMARK(BM_EducationStep)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_EldercareStep)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_HealthStep)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace plansim

BENCHMARK_MAIN();

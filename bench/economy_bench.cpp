// The economy at Zhongyuan scale: 962,642 persons and ~79,000 firms (run.scale 1).
//
//   BM_EconomyYear/threads     one year: labour-force transitions, firm exit/growth/entry,
//                              layoffs, matching, wages, value added, income (begin_year + step)
//   BM_EconomyBaseYear         the base-year build: labour force, firms, assignment of all jobs
//
// Items are persons. Run: build/<dir>/economy_bench --benchmark_counters_tabular=true
// The world is a synthetic population built here (ages, sexes, education, households by zone),
// independent of the synthesis process; the economy reads the real configs/zhongyuan files.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>

#include "cli/central_scenario.h"
#include "core/simulation.h"
#include "economy/economy.h"

namespace plansim {
namespace {

constexpr std::size_t kResidents = 962642;
constexpr ProcessId kEconomyId = 8;

const char* const kZoneKeys[] = {"linshanzhai", "jianshelu",     "mianfanglu", "qinlinglu",
                                 "tongbailu",   "sanguanmiao",   "lvdongcun",  "ruhelu",
                                 "hanghaixilu", "zhongyuanxilu", "xiliuhu",    "xushui",
                                 "lianhu",      "liuhu"};

World make_world(std::size_t persons) {
  std::mt19937_64 g(2020);
  const auto unit = [&] { return static_cast<double>(g() >> 11) * 0x1.0p-53; };
  World w;
  for (const char* key : kZoneKeys) w.zones.push_back({key, "", ""});
  while (w.persons.size() < persons) {
    const auto zone = static_cast<std::uint16_t>(unit() * 14);
    const std::uint32_t h = w.households.append(w.new_household_id(), zone);
    const int size = 1 + static_cast<int>(unit() * 4);
    for (int m = 0; m < size && w.persons.size() < persons; ++m) {
      // Ages: 19% under 15, 66% 15-59, 15% 60-95 (the district's census shares).
      const double u = unit();
      const int age = u < 0.19   ? static_cast<int>(unit() * 15)
                      : u < 0.85 ? 15 + static_cast<int>(unit() * 45)
                                 : 60 + static_cast<int>(unit() * 36);
      const auto education = static_cast<std::uint8_t>(age < 6    ? 0
                                                       : age < 18 ? 1 + (age - 6) / 4
                                                                  : unit() * 5);
      w.persons.append(w.new_person_id(), static_cast<std::uint8_t>(age),
                       static_cast<std::uint8_t>(unit() < 0.5 ? kMale : kFemale), education, h);
    }
  }
  rebuild_members(w);
  w.person_weight = static_cast<double>(kResidents) / static_cast<double>(w.persons.size());
  return w;
}

// The configured economy process and everything a run hands it.
struct Setup {
  std::filesystem::path dir;
  // Every uncertain parameter at its median, as `plansim run` configures 1 replicate.
  std::unique_ptr<CentralScenario> central;
  Registry registry;
  std::unique_ptr<Simulation> simulation;
  EconomyProcess* process = nullptr;
  World world;
  ReplicateResults results;
  std::unique_ptr<RngStreams> rng;
  std::unique_ptr<Recorder> yearly;
  int year = 2020;

  Setup() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "plansim-bench-XXXXXX").string();
    dir = mkdtemp(pattern.data());
    std::filesystem::create_directories(dir / "city");
    const std::filesystem::path source =
        std::filesystem::path(PLANSIM_SOURCE_DIR) / "configs/zhongyuan";
    for (const char* name :
         {"economy.yaml", "economy_sectors.csv", "economy_zones.csv", "economy_participation.csv"})
      std::filesystem::copy_file(source / name, dir / "city" / name);
    std::ofstream(dir / "scenario.yaml")
        << "city: city\nrun: {start: 2020, end: 2100, seed: 1}\nprocesses: [economy]\n";
    registry.add("economy", kEconomyId, "economy", [this] {
      auto p = std::make_unique<EconomyProcess>();
      process = p.get();
      return p;
    });
    Diagnostics diags;
    central = load_central((dir / "scenario.yaml").string(), {}, registry, diags);
    if (diags.empty())
      simulation = std::make_unique<Simulation>(
          Simulation::configure(central->scenario, central->city, registry, diags));
    if (!diags.empty()) throw std::runtime_error(diags.format());
  }
  ~Setup() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  void initialize(World w) {
    world = std::move(w);
    rng = std::make_unique<RngStreams>(1, 0);
    results = ReplicateResults{};
    Recorder setup(results, simulation->catalog(), 0, world.person_weight);
    StepContext ctx{world, *rng, setup, kEconomyId, 2020, simulation->run()};
    process->initialize(ctx);
    yearly = std::make_unique<Recorder>(results, simulation->catalog(), world.zone_count(),
                                        world.person_weight);
    year = 2020;
  }
  void run_year() {
    world.year = year;
    yearly->begin_year(year);
    StepContext ctx{world, *rng, *yearly, kEconomyId, year, simulation->run()};
    process->begin_year(ctx);
    process->step(ctx);
    ++year;
  }
};

void BM_EconomyYear(benchmark::State& state) {
  tbb::global_control threads(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(state.range(0)));
  Setup setup;
  setup.initialize(make_world(kResidents));
  for (auto _ : state) {
    setup.run_year();
    // Ageing between years (what demography would do), outside the timed region.
    state.PauseTiming();
    for (auto& a : setup.world.persons.age) a = static_cast<std::uint8_t>(std::min(kMaxAge, a + 1));
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(setup.world.persons.size()));
  state.counters["firms"] = static_cast<double>(setup.world.get<FirmTable>().size());
  state.counters["persons"] = static_cast<double>(setup.world.persons.size());
}
BENCHMARK(BM_EconomyYear)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("threads")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(8);

void BM_EconomyBaseYear(benchmark::State& state) {
  Setup setup;
  const World world = make_world(kResidents);
  for (auto _ : state) {
    state.PauseTiming();
    World copy = world;
    state.ResumeTiming();
    setup.initialize(std::move(copy));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(world.persons.size()));
  state.counters["firms"] = static_cast<double>(setup.world.get<FirmTable>().size());
}
BENCHMARK(BM_EconomyBaseYear)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace plansim

BENCHMARK_MAIN();

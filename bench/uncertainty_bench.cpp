// The cost of the uncertainty design: points of the scrambled Sobol' design (per replicate, per
// coordinate) and the rows of a Saltelli sensitivity design. Items are design points.
#include <benchmark/benchmark.h>

#include <vector>

#include "uncertainty/design.h"
#include "uncertainty/sensitivity.h"

namespace {

void BM_SobolPoint(benchmark::State& state) {
  const auto dimensions = static_cast<std::size_t>(state.range(0));
  const plansim::SobolDesign design(dimensions, 20211116);
  std::vector<double> point(dimensions);
  std::uint64_t k = 0;
  for (auto _ : state) {
    design.point(k++ % 4096, point.data());
    benchmark::DoNotOptimize(point.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["coordinates"] = static_cast<double>(dimensions);
}
BENCHMARK(BM_SobolPoint)->Arg(4)->Arg(32)->Arg(256);

void BM_SaltelliDesign(benchmark::State& state) {
  const auto dimensions = static_cast<std::size_t>(state.range(0));
  std::size_t rows = 0;
  for (auto _ : state) {
    const plansim::SaltelliDesign design = plansim::saltelli_design(256, dimensions, 7);
    rows = design.rows.size();
    benchmark::DoNotOptimize(design.rows.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(rows));
}
BENCHMARK(BM_SaltelliDesign)->Arg(8)->Arg(32);

}  // namespace

BENCHMARK_MAIN();

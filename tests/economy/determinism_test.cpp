// Same scenario and seed => bit-identical World columns and results with 1 or 2 threads.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include "economy_test_support.h"

namespace plansim::economy_test {
namespace {

struct Snapshot {
  ReplicateResults results;
  World world;
};

Snapshot run_with_threads(int threads) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  Harness h("economy:\n  external_demand_growth: {headquarters: 0.12}\n");
  EXPECT_TRUE(h.diags().empty()) << h.diags().format();
  // 40,000 persons: three person chunks and more than one firm chunk, so that work is split.
  h.start(make_world(40000, 3, /*geometry=*/true));
  for (int year = 2020; year <= 2024; ++year) {
    if (year > 2020) age_one_year(h.world());
    h.run_year();
  }
  return {h.results(), h.world()};
}

TEST(EconomyDeterminism, OneAndTwoThreadsGiveIdenticalColumnsAndIndicators) {
  const Snapshot one = run_with_threads(1);
  const Snapshot two = run_with_threads(2);
  EXPECT_EQ(compare_results(one.results, two.results), "");
  EXPECT_GT(one.world.get<FirmTable>().size(), 2048u);
  const PersonTable& p1 = one.world.persons;
  const PersonTable& p2 = two.world.persons;
  EXPECT_TRUE(same_bytes(ConstPersonJobs(p1).labour_status, ConstPersonJobs(p2).labour_status));
  EXPECT_TRUE(same_bytes(ConstPersonJobs(p1).employer, ConstPersonJobs(p2).employer));
  EXPECT_TRUE(same_bytes(ConstPersonJobs(p1).wage_yuan, ConstPersonJobs(p2).wage_yuan));
  const FirmTable& f1 = one.world.get<FirmTable>();
  const FirmTable& f2 = two.world.get<FirmTable>();
  EXPECT_TRUE(same_bytes(f1.id, f2.id));
  EXPECT_TRUE(same_bytes(f1.sector, f2.sector));
  EXPECT_TRUE(same_bytes(f1.zone, f2.zone));
  EXPECT_TRUE(same_bytes(f1.employees, f2.employees));
  EXPECT_TRUE(same_bytes(f1.vacancies, f2.vacancies));
  EXPECT_TRUE(same_bytes(f1.productivity_yuan, f2.productivity_yuan));
  EXPECT_TRUE(same_bytes(f1.value_added_yuan, f2.value_added_yuan));
  EXPECT_TRUE(same_bytes(f1.wage_level_yuan, f2.wage_level_yuan));
  EXPECT_TRUE(same_bytes(f1.rd_spending_yuan, f2.rd_spending_yuan));
  EXPECT_TRUE(same_bytes(f1.age, f2.age));
  EXPECT_EQ(one.results.scalars, two.results.scalars);
}

}  // namespace
}  // namespace plansim::economy_test

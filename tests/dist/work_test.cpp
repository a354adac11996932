#include "dist/work.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace plansim {
namespace {

namespace fs = std::filesystem;

ReplicateResults fake(const WorkItem& item) {
  ReplicateResults r;
  r.replicate = item.replicate;
  r.years = {2020};
  r.indicators["point_times_100_plus_replicate"] = {100.0 * item.point + item.replicate};
  return r;
}

struct TempFolder {
  fs::path path = fs::temp_directory_path() / ("plansim-work-test-" + std::to_string(::getpid()));
  ~TempFolder() { fs::remove_all(path); }
};

TEST(Work, ItemsArePointMajor) {
  const auto items = make_work_items(2, 3);
  ASSERT_EQ(items.size(), 6u);
  EXPECT_EQ(items[4].point, 1u);
  EXPECT_EQ(items[4].replicate, 1u);
  EXPECT_EQ(items[4].label(), "point 1, replicate 1");
}

TEST(Work, SerialRunReturnsResultsInItemOrder) {
  const auto items = make_work_items(2, 2);
  std::size_t done = 0;
  const auto results = run_work_items(items, fake, nullptr, [&](const WorkItem&) { ++done; });
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(done, 4u);
  EXPECT_EQ(results[3].indicators.at("point_times_100_plus_replicate")[0], 101.0);
}

TEST(Work, ResumeComputesOnlyMissingItems) {
  TempFolder tmp;
  const auto items = make_work_items(1, 4);
  const ItemStore store(tmp.path, "job-a");
  store.open(false);
  store.save(items[1], fake(items[1]));
  store.save(items[3], fake(items[3]));
  std::vector<std::uint32_t> computed;
  const auto results = run_work_items(
      items, [&](const WorkItem& item) { computed.push_back(item.replicate); return fake(item); },
      &store, {});
  EXPECT_EQ(computed, (std::vector<std::uint32_t>{0, 2}));
  for (std::uint32_t r = 0; r < 4; ++r)
    EXPECT_EQ(results[r].indicators.at("point_times_100_plus_replicate")[0], r);
  // Every item is now on disk; a second resume computes nothing.
  computed.clear();
  store.open(true);
  run_work_items(items, [&](const WorkItem& item) { computed.push_back(item.replicate); return fake(item); },
                 &store, {});
  EXPECT_TRUE(computed.empty());
}

TEST(Work, ResumeRefusesAnotherJobsItems) {
  TempFolder tmp;
  ItemStore(tmp.path, "job-a").open(false);
  EXPECT_THROW(ItemStore(tmp.path, "job-b").open(true), std::runtime_error);
  ItemStore(tmp.path, "job-b").open(false);  // without resume it starts afresh
  EXPECT_NO_THROW(ItemStore(tmp.path, "job-b").open(true));
}

TEST(Work, FailingItemIsNamed) {
  const auto items = make_work_items(1, 3);
  try {
    run_work_items(items, [](const WorkItem& item) -> ReplicateResults {
      if (item.replicate == 2) throw std::runtime_error("boom");
      return fake(item);
    }, nullptr, {});
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("point 0, replicate 2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("boom"), std::string::npos);
  }
}

}  // namespace
}  // namespace plansim

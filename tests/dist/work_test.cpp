#include "dist/work.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>

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
  const auto results = run_work_items(items,
                                      [&](const WorkItem& item) {
                                        computed.push_back(item.replicate);
                                        return fake(item);
                                      },
                                      &store, {});
  EXPECT_EQ(computed, (std::vector<std::uint32_t>{0, 2}));
  for (std::uint32_t r = 0; r < 4; ++r)
    EXPECT_EQ(results[r].indicators.at("point_times_100_plus_replicate")[0], r);
  // Every item is now on disk; a second resume computes nothing.
  computed.clear();
  store.open(true);
  run_work_items(items,
                 [&](const WorkItem& item) {
                   computed.push_back(item.replicate);
                   return fake(item);
                 },
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
    run_work_items(items,
                   [](const WorkItem& item) -> ReplicateResults {
                     if (item.replicate == 2) throw std::runtime_error("boom");
                     return fake(item);
                   },
                   nullptr, {});
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("point 0, replicate 2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("boom"), std::string::npos);
  }
}

// A fake environment for the launcher checks.
EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    const auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

TEST(Launch, PlainStartIsOneTask) {
  const Launch l = detect_launch(env_of({}));
  EXPECT_EQ(l.launcher, "");
  EXPECT_EQ(l.tasks, 1);
  EXPECT_EQ(launch_mismatch(l, 1, true), "");
}

TEST(Launch, SrunStepIsReadButNotTheBatchScript) {
  // Inside `srun -n 3`: the step's task count and this task's index.
  const Launch step = detect_launch(
      env_of({{"SLURM_STEP_NUM_TASKS", "3"}, {"SLURM_PROCID", "2"}, {"SLURM_NTASKS", "3"}}));
  EXPECT_EQ(step.launcher, "srun");
  EXPECT_EQ(step.tasks, 3);
  EXPECT_EQ(step.task_index, 2);
  // The batch script of an --ntasks=9 job is one process: SLURM_NTASKS alone is not a launch.
  const Launch batch = detect_launch(env_of({{"SLURM_NTASKS", "9"}, {"SLURM_PROCID", "0"}}));
  EXPECT_EQ(batch.tasks, 1);
}

TEST(Launch, MpirunIsPreferredOverAnEnclosingSrun) {
  const Launch l = detect_launch(env_of({{"SLURM_STEP_NUM_TASKS", "1"},
                                         {"OMPI_COMM_WORLD_SIZE", "4"},
                                         {"OMPI_COMM_WORLD_RANK", "1"}}));
  EXPECT_EQ(l.launcher, "mpirun");
  EXPECT_EQ(l.tasks, 4);
  EXPECT_EQ(l.task_index, 1);
  const Launch pmi = detect_launch(env_of({{"PMI_SIZE", "2"}, {"PMI_RANK", "0"}}));
  EXPECT_EQ(pmi.tasks, 2);
  EXPECT_EQ(detect_launch(env_of({{"SLURM_STEP_NUM_TASKS", "x2"}})).tasks, 1) << "not a number";
}

TEST(Launch, SeveralTasksThatMpiDoesNotConnectAreRefusedWithHowToLaunch) {
  const Launch srun{"srun", 2, 0};
  EXPECT_EQ(launch_mismatch(srun, 2, true), "") << "srun --mpi=pmix: one MPI job of 2";
  const std::string m = launch_mismatch(srun, 1, true);
  EXPECT_NE(m.find("srun started 2 tasks"), std::string::npos) << m;
  EXPECT_NE(m.find("srun --mpi=pmix"), std::string::npos) << m;
  EXPECT_NE(m.find("PLANSIM_INDEPENDENT_TASKS=1"), std::string::npos) << m;
  const std::string serial_build = launch_mismatch({"mpirun", 4, 0}, 1, false);
  EXPECT_NE(serial_build.find("built without MPI"), std::string::npos) << serial_build;
  const std::string foreign = launch_mismatch({"mpirun", 4, 0}, 1, true);
  EXPECT_NE(foreign.find("does not belong to the MPI library"), std::string::npos) << foreign;
  EXPECT_NE(launch_mismatch({"srun", 4, 0}, 2, true).find("MPI connects 2 of them"),
            std::string::npos);
  // Every line fits a terminal.
  std::istringstream lines(m);
  for (std::string line; std::getline(lines, line);) EXPECT_LE(line.size(), 100u) << line;
}

}  // namespace
}  // namespace plansim

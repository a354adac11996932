// MPI runs, sweeps and resume: results must equal a serial run byte for byte.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_runner.h"
#include "io/hdf5_reader.h"

namespace plansim::testing {
namespace {

namespace fs = std::filesystem;

const std::string kSample =
    "run scenarios/baseline.yaml --scale 0.01 --set run.end=2024 --replicates 4 --seed 9 -q "
    "--no-summary --threads 1";

// Every dataset of the groups that hold results is byte-identical.
void expect_same_datasets(const std::string& a_path, const std::string& b_path) {
  const ResultsFile a(a_path), b(b_path);
  std::size_t compared = 0;
  for (const char* group : {"indicators", "events", "zones", "scalars"}) {
    ASSERT_EQ(a.keys(group), b.keys(group)) << group;
    for (const auto& key : a.keys(group)) {
      const std::string path = std::string("/") + group + "/" + key;
      EXPECT_EQ(a.raw(path), b.raw(path)) << path;
      ++compared;
    }
  }
  EXPECT_EQ(a.raw("/synthesis/achieved"), b.raw("/synthesis/achieved"));
  EXPECT_GT(compared, 10u);
}

bool have_mpirun() { return std::system("command -v mpirun >/dev/null 2>&1") == 0; }

std::string mpirun(int ranks) {
  return "mpirun --oversubscribe --allow-run-as-root -n " + std::to_string(ranks) + " ";
}

TEST(Cluster, MpiRunsEqualTheSerialRun) {
#ifndef PLANSIM_WITH_MPI
  GTEST_SKIP() << "built without MPI";
#endif
  if (!have_mpirun()) GTEST_SKIP() << "mpirun not installed";
  TempDir dir;
  const auto serial = (dir / "serial.h5").string();
  ASSERT_EQ(run_plansim(kSample + " -o '" + serial + "'").status, 0);
  for (int ranks : {1, 2, 3}) {
    const auto out = (dir / ("mpi" + std::to_string(ranks) + ".h5")).string();
    const CliResult r = run_plansim(kSample + " -o '" + out + "'", mpirun(ranks));
    ASSERT_EQ(r.status, 0) << r.err;
    expect_same_datasets(serial, out);
    EXPECT_EQ(ResultsFile(out).meta_numbers().at("ranks"), ranks);
  }
}

TEST(Cluster, ResumeAfterAKillGivesTheUninterruptedFile) {
  TempDir dir;
  const auto whole = (dir / "whole.h5").string();
  ASSERT_EQ(run_plansim(kSample + " -o '" + whole + "'").status, 0);
  const auto resumed = (dir / "resumed.h5").string();
  const CliResult killed =
      run_plansim(kSample + " -o '" + resumed + "'", "PLANSIM_TEST_KILL_AFTER_ITEMS=2");
  EXPECT_EQ(killed.status, 3) << killed.err;
  ASSERT_FALSE(fs::exists(resumed)) << "a killed run must not leave the output file";
  ASSERT_TRUE(fs::exists(resumed + ".parts"));
  std::size_t parts = 0;
  for (const auto& e : fs::directory_iterator(resumed + ".parts"))
    parts += e.path().extension() == ".bin";
  EXPECT_EQ(parts, 2u);
  const CliResult again = run_plansim(kSample + " --resume -o '" + resumed + "'");
  ASSERT_EQ(again.status, 0) << again.err;
  expect_same_datasets(whole, resumed);
  EXPECT_FALSE(fs::exists(resumed + ".parts")) << "parts are removed after success";
}

TEST(Cluster, SweepWritesOneFilePerPointAndResumes) {
  TempDir dir;
  const std::string sweep = "sweep tests/integration/fixtures/sweep_small.yaml -q --threads 1 -o ";
  const auto whole = dir / "whole";
  ASSERT_EQ(run_plansim(sweep + "'" + whole.string() + "'").status, 0);
  for (const char* f : {"point-000.h5", "point-001.h5", "point-002.h5", "index.csv"})
    EXPECT_TRUE(fs::exists(whole / f)) << f;
  const std::string index = slurp(whole / "index.csv");
  EXPECT_NE(index.find("demography.fertility.tfr=1.6"), std::string::npos) << index;
  // Points differ (different seeds), replicates within a point too.
  EXPECT_NE(ResultsFile((whole / "point-000.h5").string()).raw("/events/births"),
            ResultsFile((whole / "point-001.h5").string()).raw("/events/births"));
  // Interrupted after 3 of 6 items, then resumed: identical files.
  const auto resumed = dir / "resumed";
  const CliResult killed =
      run_plansim(sweep + "'" + resumed.string() + "'", "PLANSIM_TEST_KILL_AFTER_ITEMS=3");
  EXPECT_EQ(killed.status, 3);
  ASSERT_EQ(run_plansim(sweep + "'" + resumed.string() + "' --resume").status, 0);
  for (const char* f : {"point-000.h5", "point-001.h5", "point-002.h5"})
    expect_same_datasets((whole / f).string(), (resumed / f).string());
  // Under MPI the sweep gives the same files.
  if (have_mpirun()) {
#ifdef PLANSIM_WITH_MPI
    const auto mpi = dir / "mpi";
    const CliResult r = run_plansim(sweep + "'" + mpi.string() + "'", mpirun(3));
    ASSERT_EQ(r.status, 0) << r.err;
    for (const char* f : {"point-000.h5", "point-001.h5", "point-002.h5"})
      expect_same_datasets((whole / f).string(), (mpi / f).string());
#endif
  }
}

TEST(Cluster, SrunWithoutMpiIsRefusedBeforeAnythingRuns) {
  // What srun -n 2 without --mpi=pmix gives each task: the step's size, no PMIx.
  TempDir dir;
  const auto out = (dir / "out.h5").string();
  const CliResult first =
      run_plansim(kSample + " -o '" + out + "'", "SLURM_STEP_NUM_TASKS=2 SLURM_PROCID=0");
  EXPECT_EQ(first.status, 2);
  EXPECT_NE(first.err.find("error: srun started 2 tasks, but MPI connects none of them"),
            std::string::npos)
      << first.err;
  EXPECT_NE(first.err.find("srun --mpi=pmix"), std::string::npos) << first.err;
  const CliResult second =
      run_plansim(kSample + " -o '" + out + "'", "SLURM_STEP_NUM_TASKS=2 SLURM_PROCID=1");
  EXPECT_EQ(second.status, 2);
  EXPECT_EQ(second.err, "") << "only the first task explains";
  const CliResult sweep = run_plansim(
      "sweep tests/integration/fixtures/sweep_small.yaml -q -o '" + (dir / "sweep").string() + "'",
      "SLURM_STEP_NUM_TASKS=3");
  EXPECT_EQ(sweep.status, 2) << sweep.err;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(dir / "sweep"));
  // One task, or tasks declared independent, run.
  EXPECT_EQ(run_plansim(kSample + " -o '" + out + "'", "SLURM_STEP_NUM_TASKS=1").status, 0);
  EXPECT_EQ(run_plansim(kSample + " -o '" + out + "'",
                        "SLURM_STEP_NUM_TASKS=2 PLANSIM_INDEPENDENT_TASKS=1")
                .status,
            0);
  // The batch script of a many-task job is one process.
  EXPECT_EQ(run_plansim("check scenarios/baseline.yaml", "SLURM_NTASKS=9").status, 0);
}

TEST(Cluster, SweepPointRunsOneElementOfAJobArray) {
  TempDir dir;
  const std::string sweep = "sweep tests/integration/fixtures/sweep_small.yaml -q --threads 1 -o ";
  const auto whole = dir / "whole";
  ASSERT_EQ(run_plansim(sweep + "'" + whole.string() + "'").status, 0);
  const auto array = dir / "array";
  for (int point : {2, 0, 1}) {
    const CliResult r =
        run_plansim(sweep + "'" + array.string() + "' --point " + std::to_string(point));
    ASSERT_EQ(r.status, 0) << r.err;
    if (point == 2) {
      EXPECT_TRUE(fs::exists(array / "point-002.h5"));
      EXPECT_FALSE(fs::exists(array / "point-000.h5")) << "only the chosen point is computed";
    }
  }
  for (const char* f : {"point-000.h5", "point-001.h5", "point-002.h5"})
    expect_same_datasets((whole / f).string(), (array / f).string());
  EXPECT_EQ(slurp(whole / "index.csv"), slurp(array / "index.csv"));
  for (const auto& e : fs::directory_iterator(array))
    EXPECT_NE(e.path().filename().string().rfind(".parts", 0), 0u) << e.path() << " left behind";
  const CliResult bad = run_plansim(sweep + "'" + (dir / "bad").string() + "' --point 3");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("--point 3: the sweep has 3 point(s), numbered 0 to 2"), std::string::npos)
      << bad.err;
  EXPECT_FALSE(fs::exists(dir / "bad"));
}

TEST(Cluster, SweepTypoIsReportedWithHint) {
  TempDir dir;
  const CliResult r = run_plansim("sweep tests/integration/fixtures/sweep_typo.yaml -q -o '" +
                                  dir.path().string() + "/out'");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("sweep_typo.yaml:4:3: error: sweep.gird: unknown key 'gird'"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("did you mean 'grid'?"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.path() / "out"));
}

}  // namespace
}  // namespace plansim::testing

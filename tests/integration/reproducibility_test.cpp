// Same scenario and seed => byte-identical datasets at any thread count; other seeds differ.
#include <gtest/gtest.h>

#include "cli_runner.h"
#include "io/hdf5_reader.h"

namespace plansim::testing {
namespace {

const char* kGroups[] = {"indicators", "events", "zones", "scalars"};

std::string run_sample(const TempDir& dir, const std::string& name, const std::string& extra,
                       int replicates = 2) {
  const auto out = dir / name;
  const CliResult r = run_plansim(
      "run scenarios/baseline.yaml --scale 0.03 --set run.end=2027 "
      "--replicates " +
      std::to_string(replicates) + " -q --no-summary -o '" + out.string() + "' " + extra);
  EXPECT_EQ(r.status, 0) << r.err;
  return out.string();
}

TEST(Reproducibility, ThreadCountDoesNotChangeAnyDataset) {
  TempDir dir;
  const ResultsFile one(run_sample(dir, "t1.h5", "--threads 1 --seed 11"));
  const ResultsFile two(run_sample(dir, "t2.h5", "--threads 2 --seed 11"));
  std::size_t compared = 0;
  for (const char* group : kGroups) {
    const auto keys = one.keys(group);
    ASSERT_EQ(keys, two.keys(group)) << group;
    for (const auto& key : keys) {
      const std::string path = std::string("/") + group + "/" + key;
      EXPECT_EQ(one.raw(path), two.raw(path)) << path;
      ++compared;
    }
  }
  EXPECT_EQ(one.raw("/synthesis/achieved"), two.raw("/synthesis/achieved"));
  EXPECT_GT(compared, 20u);
}

TEST(Reproducibility, DifferentSeedsGiveDifferentResults) {
  TempDir dir;
  const ResultsFile a(run_sample(dir, "a.h5", "--seed 1"));
  const ResultsFile b(run_sample(dir, "b.h5", "--seed 2"));
  EXPECT_NE(a.raw("/events/births"), b.raw("/events/births"));
  EXPECT_NE(a.raw("/indicators/population"), b.raw("/indicators/population"));
}

TEST(Reproducibility, ReplicateKDoesNotDependOnTheNumberOfReplicates) {
  TempDir dir;
  const ResultsFile two(run_sample(dir, "r2.h5", "--seed 5"));
  const ResultsFile three(run_sample(dir, "r3.h5", "--seed 5", 3));
  const auto p2 = two.indicator("population"), p3 = three.indicator("population");
  for (std::size_t rep = 0; rep < 2; ++rep)
    for (std::size_t y = 0; y < p2.cols; ++y) EXPECT_EQ(p2.at(rep, y), p3.at(rep, y));
}

}  // namespace
}  // namespace plansim::testing

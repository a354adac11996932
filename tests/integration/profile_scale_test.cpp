// plansim run --profile, the /meta profile attribute, and run.scale above 1 (oversampling).
#include <gtest/gtest.h>

#include "cli_runner.h"
#include "io/hdf5_reader.h"

namespace plansim::testing {
namespace {

TEST(Profile, PrintedAndRecordedInMeta) {
  TempDir dir;
  const auto out = dir / "profile.h5";
  const CliResult r = run_plansim(
      "run scenarios/bench/demography.yaml --scale 0.01 --set run.end=2022 --threads 2 -q "
      "--no-summary --profile -o '" +
      out.string() + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("profile: wall and CPU time per process and phase"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("demography"), std::string::npos) << r.err;
  const std::string csv = ResultsFile(out.string()).meta_strings().at("profile");
  EXPECT_EQ(csv.rfind("process,phase,calls,wall_s,cpu_s\n", 0), 0u) << csv;
  // Three simulated years: three calls of each process's yearly step.
  EXPECT_NE(csv.find("\ndemography,step,3,"), std::string::npos) << csv;
  // The parts of the demography's step, each timed every year.
  for (const char* part : {"mortality and births", "partnership draws", "unions", "out-migration",
                           "in-migration", "compaction"})
    EXPECT_NE(csv.find("\ndemography,step: " + std::string(part) + ",3,"), std::string::npos)
        << part << "\n"
        << csv;
  EXPECT_NE(r.err.find("step: compaction"), std::string::npos) << r.err;
  EXPECT_NE(csv.find("\nsynthesis,initialize,1,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\nrun,load,1,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\nrun,simulate,1,"), std::string::npos) << csv;
}

TEST(Scale, OversamplingKeepsTheWholeCityCounts) {
  TempDir dir;
  const auto out = dir / "twice.h5";
  const CliResult r = run_plansim(
      "run scenarios/bench/demography.yaml --scale 2 --set run.end=2020 "
      "-q --no-summary -o '" +
      out.string() + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  ResultsFile file(out.string());
  // 1,925,284 simulated persons, each standing for half a resident: the census total.
  EXPECT_EQ(file.indicator("population").at(0, 0), 962642.0);
  EXPECT_EQ(file.meta_numbers().at("scale"), 2.0);
}

TEST(Scale, BeyondWhatTheTablesHoldIsAnInputError) {
  TempDir dir;
  const auto out = dir / "never.h5";
  const CliResult r =
      run_plansim("run scenarios/bench/demography.yaml --scale 10000 -q -o '" + out.string() + "'");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("population.yaml:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("more than the person table can hold"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace plansim::testing

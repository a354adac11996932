// Uncertain parameters end to end: replicate k draws the same parameter vector (and so gives the
// same results) whatever the ensemble size, thread count or rank count; the values are recorded
// with their distributions; invalid draws are refused before anything runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "cli_runner.h"
#include "io/hdf5_reader.h"

namespace plansim::testing {
namespace {

namespace fs = std::filesystem;

const std::string kRun =
    "run tests/integration/fixtures/uncertain.yaml --scale 0.005 --set run.end=2021 -q "
    "--no-summary --seed 3 ";

std::string run_uncertain(const TempDir& dir, const std::string& name, const std::string& extra,
                          const std::string& prefix = "") {
  const std::string out = (dir / name).string();
  const CliResult r = run_plansim(kRun + extra + " -o '" + out + "'", prefix);
  EXPECT_EQ(r.status, 0) << r.err;
  return out;
}

const std::vector<std::string> kKeys = {
    "demography.fertility.tfr.2022", "demography.migration.in_migrants_per_1000.2020",
    "demography.migration.out_migrants_per_1000.2020", "demography.mortality.improvement_per_year",
    "economy.deflator_growth"};

// The first `rows` rows of every parameter (the fixture's own, the shipped ranges of the baseline
// and city config it extends, the posterior's) and of the births and GDP series agree exactly.
void expect_same_first_rows(const ResultsFile& a, const ResultsFile& b, std::size_t rows) {
  const std::vector<std::string> keys = a.keys("parameters");
  ASSERT_EQ(b.keys("parameters"), keys);
  for (const std::string& key : kKeys)
    ASSERT_NE(std::find(keys.begin(), keys.end(), key), keys.end()) << key;
  for (const std::string& key : keys) {
    const auto x = a.parameter(key), y = b.parameter(key);
    ASSERT_GE(x.size(), rows);
    ASSERT_GE(y.size(), rows);
    for (std::size_t r = 0; r < rows; ++r) EXPECT_EQ(x[r], y[r]) << key << " replicate " << r;
  }
  for (const char* series : {"population", "gdp"}) {
    const auto x = a.indicator(series), y = b.indicator(series);
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t c = 0; c < x.cols; ++c) EXPECT_EQ(x.at(r, c), y.at(r, c)) << series;
  }
}

bool have_mpirun() { return std::system("command -v mpirun >/dev/null 2>&1") == 0; }

TEST(Uncertainty, ReplicateKDrawsTheSameParametersAtAnySizeThreadsAndRanks) {
  TempDir dir;
  const ResultsFile eight(run_uncertain(dir, "r8.h5", "--replicates 8 --threads 1"));
  const ResultsFile thirty_two(run_uncertain(dir, "r32.h5", "--replicates 32 --threads 2"));
  expect_same_first_rows(eight, thirty_two, 8);
  const ResultsFile eight_two_threads(run_uncertain(dir, "r8t2.h5", "--replicates 8 --threads 2"));
  expect_same_first_rows(eight, eight_two_threads, 8);
  for (const std::string& key : kKeys)
    EXPECT_EQ(eight.raw("/parameters/" + key), eight_two_threads.raw("/parameters/" + key));
#ifdef PLANSIM_WITH_MPI
  if (have_mpirun()) {
    const ResultsFile mpi(run_uncertain(dir, "r8mpi.h5", "--replicates 8 --threads 1",
                                        "mpirun --oversubscribe --allow-run-as-root -n 3"));
    expect_same_first_rows(eight, mpi, 8);
    for (const std::string& key : kKeys)
      EXPECT_EQ(eight.raw("/parameters/" + key), mpi.raw("/parameters/" + key));
  }
#endif
  // The draws vary between replicates and stay in their supports; the shared draw moves both
  // migration rates together (the same quantile: out = in - 10 for these two normals).
  const auto tfr = thirty_two.parameter("demography.fertility.tfr.2022");
  const auto in = thirty_two.parameter("demography.migration.in_migrants_per_1000.2020");
  const auto out = thirty_two.parameter("demography.migration.out_migrants_per_1000.2020");
  const auto deflator = thirty_two.parameter("economy.deflator_growth");
  std::set<double> distinct(tfr.begin(), tfr.end());
  EXPECT_EQ(distinct.size(), 32u);
  for (std::size_t r = 0; r < 32; ++r) {
    EXPECT_GE(tfr[r], 0.9);
    EXPECT_LE(tfr[r], 1.3);
    EXPECT_NEAR(out[r], in[r] - 10, 1e-9);
    EXPECT_TRUE(deflator[r] == 0.01 || deflator[r] == 0.015 || deflator[r] == 0.02);
  }
  const auto attributes = thirty_two.string_attributes("/parameters/demography.fertility.tfr.2022");
  EXPECT_EQ(attributes.at("distribution"), "triangular(0.9, 1.1, 1.3)");
  EXPECT_EQ(attributes.at("yaml"), "{dist: triangular, low: 0.9, mode: 1.1, high: 1.3}");
  EXPECT_NE(attributes.at("location").find("fixtures/uncertain.yaml:6:"), std::string::npos);
  EXPECT_EQ(
      thirty_two.string_attributes("/parameters/demography.migration.out_migrants_per_1000.2020")
          .at("draw"),
      "migration");
  // The fixture's 5 on top of the baseline's and the city's: every parameter with a coordinate is
  // counted; the posterior's (no coordinate) are named apart.
  std::size_t drawn = 0;
  for (const std::string& key : thirty_two.keys("parameters"))
    drawn +=
        thirty_two.string_attributes("/parameters/" + key).count("source") &&
        thirty_two.string_attributes("/parameters/" + key).at("source").rfind("design", 0) == 0;
  EXPECT_GE(drawn, 30u);
  EXPECT_EQ(thirty_two.meta_strings().at("uncertainty"),
            std::to_string(drawn) + " uncertain parameters (14 city config, " +
                std::to_string(drawn - 14) + " scenario), 6 shared draws, 1 correlation");
  // The fixture's own values of the posterior's parameters are the user's: kept, not replaced.
  EXPECT_NE(
      thirty_two.meta_strings()
          .at("posterior_parameters_kept")
          .find("demography.fertility.tfr.2022 (set at tests/integration/fixtures/uncertain.yaml"),
      std::string::npos);
}

// The parameters act: births follow the drawn fertility of 2022 (the half of the replicates with
// the higher TFR has more births in 2022 than the other half: their TFRs differ by about 20%, the
// sampling noise of a half's births is about 6%), and central mode holds every parameter at its
// median in every replicate.
TEST(Uncertainty, DrawnParametersActAndCentralModeHoldsMedians) {
  TempDir dir;
  const ResultsFile sampled(
      run_uncertain(dir, "s.h5", "--replicates 16 --set run.end=2022 --set run.scale=0.02"));
  const auto tfr = sampled.parameter("demography.fertility.tfr.2022");
  const auto births = sampled.events("births");
  const auto years = sampled.years();
  const std::size_t y2022 =
      static_cast<std::size_t>(std::find(years.begin(), years.end(), 2022) - years.begin());
  std::vector<double> sorted = tfr;
  std::sort(sorted.begin(), sorted.end());
  ASSERT_GT(sorted.back() - sorted.front(), 0.2);
  const double median = 0.5 * (sorted[7] + sorted[8]);
  double births_high = 0, births_low = 0;
  for (std::size_t r = 0; r < tfr.size(); ++r)
    (tfr[r] > median ? births_high : births_low) += births.at(r, y2022);
  EXPECT_GT(births_high, births_low);

  const ResultsFile central(
      run_uncertain(dir, "c.h5", "--replicates 3 --set uncertainty.parameters=central"));
  for (double v : central.parameter("demography.fertility.tfr.2022")) EXPECT_NEAR(v, 1.1, 1e-12);
  for (double v : central.parameter("economy.deflator_growth")) EXPECT_EQ(v, 0.015);
  EXPECT_NE(central.meta_strings().at("uncertainty").find("held at their medians"),
            std::string::npos);
}

TEST(Uncertainty, CheckSaysWhatIsUncertain) {
  const CliResult r = run_plansim("check tests/integration/fixtures/uncertain.yaml");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("uncertainty: 42 uncertain parameters (14 city config, 28 scenario), 6 "
                       "shared draws, 1 correlation"),
            std::string::npos)
      << r.out;
}

// uncertainty.vary draws only the parameters it names (the sensitivity fixture varies 3 of the
// baseline's and city's many); a name that matches nothing is an error at its location.
TEST(Uncertainty, VaryDrawsOnlyTheNamedParameters) {
  const CliResult r = run_plansim("check tests/integration/fixtures/sensitivity/scenario.yaml");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("uncertainty: 3 uncertain parameters (scenario)"), std::string::npos)
      << r.out;
  const CliResult typo =
      run_plansim("check scenarios/baseline.yaml --set 'uncertainty.vary=[economy.projecton]'");
  EXPECT_EQ(typo.status, 2);
  EXPECT_NE(typo.err.find("<command line>:1:63: error: uncertainty.vary: 'economy.projecton' "
                          "names no uncertain parameter of this scenario"),
            std::string::npos)
      << typo.err;
}

// A distribution that can leave the parameter's range is refused before anything runs, naming
// the replicate, its draw and the distribution; no file is written.
TEST(Uncertainty, DrawsOutsideTheParametersRangeAreRefused) {
  TempDir dir;
  const std::string out = (dir / "never.h5").string();
  const CliResult r =
      run_plansim(kRun +
                  "--replicates 64 --set 'demography.mortality.improvement_per_year={dist: normal, "
                  "mean: 0.1, sd: 0.1}' -o '" +
                  out + "'");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("<command line>:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("is out of range (must be [-0.1, 0.2]) (replicate "), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("from normal(0.1, 0.1); keep the distribution inside the parameter's "
                       "range, e.g. with low/high)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("nothing was run or written"), std::string::npos);
  EXPECT_FALSE(fs::exists(out));
  // A bad distribution is reported with every other error, and without a second complaint from
  // the reader that found a map where it wanted a number.
  const CliResult both = run_plansim(
      kRun + "--set 'demography.mortality.level={dist: normal, mean: 1, sd: -1}' --set run.sede=3");
  EXPECT_EQ(both.status, 2);
  EXPECT_NE(both.err.find("<command line>:1:174: error: demography.mortality.level.sd: -1 must be "
                          "positive"),
            std::string::npos)
      << both.err;
  EXPECT_NE(both.err.find("unknown key 'sede'"), std::string::npos) << both.err;
  EXPECT_NE(both.err.find("2 errors; nothing was run or written"), std::string::npos) << both.err;
  // In the run settings a distribution is an error of its own.
  const CliResult seed =
      run_plansim(kRun + "--set 'run.end={dist: uniform, low: 2021, high: 2022}'");
  EXPECT_EQ(seed.status, 2);
  EXPECT_NE(seed.err.find("a distribution cannot stand in 'run:'"), std::string::npos) << seed.err;
}

}  // namespace
}  // namespace plansim::testing

// `plansim sensitivity` end to end on a small fixture
// (tests/integration/fixtures/sensitivity/: 3 uncertain parameters, 0.5%
// sample, 2020-2021): the parameter that drives an output dominates its
// indices, one without effect gets indices of 0 within their intervals; the
// same indices at 1 and 2 threads and over 3 MPI ranks; an interrupted analysis
// resumes to the same result; bad files get every error at its location and
// nothing is written; what a posterior gives is held.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>

#include "cli_runner.h"
#include "core/text.h"

namespace plansim::testing {
namespace {

namespace fs = std::filesystem;

const std::string kDir = "tests/integration/fixtures/sensitivity/";

CliResult analyse(const std::string& file, const fs::path& out, const std::string& extra = "",
                  const std::string& prefix = "") {
  return run_plansim("sensitivity " + kDir + file + " -o '" + out.string() + "' " + extra, prefix);
}

std::string csv_of(const fs::path& h5) {
  fs::path csv = h5;
  csv.replace_extension(".csv");
  return slurp(csv);
}

// The CSV's cells by (output, parameter, column).
struct Indices {
  std::map<std::string, std::map<std::string, std::map<std::string, double>>> cells;
  double at(const std::string& output, const std::string& parameter,
            const std::string& column) const {
    return cells.at(output).at(parameter).at(column);
  }
};

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      cells.push_back(cell);
      cell.clear();
    } else {
      cell += c;
    }
  }
  cells.push_back(cell);
  return cells;
}

Indices parse(const std::string& csv) {
  std::istringstream in(csv.substr(csv.rfind("output,", 16)));  // after the BOM
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = split_csv_line(line);
  Indices indices;
  while (std::getline(in, line)) {
    const std::vector<std::string> cells = split_csv_line(line);
    if (cells.size() != header.size()) continue;
    for (std::size_t c = 9; c < header.size(); ++c)
      indices.cells[cells[0]][cells[7]][header[c]] = cells[c].empty() ? NAN : std::stod(cells[c]);
  }
  return indices;
}

const char* kTfr = "demography.fertility.tfr.2021";
const char* kDeflator = "economy.deflator_growth";
const char* kMigration = "demography.migration.in_migrants_per_1000.2020";

// The Sobol' analysis at 1 thread, shared by the tests that compare with it.
class SensitivitySobol : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    result_ = new CliResult(analyse("sobol.yaml", *dir_ / "t1.h5", "--threads 1"));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete dir_;
  }
  static TempDir* dir_;
  static CliResult* result_;
};
TempDir* SensitivitySobol::dir_ = nullptr;
CliResult* SensitivitySobol::result_ = nullptr;

TEST_F(SensitivitySobol, TheDrivingParameterDominatesAndOneWithoutEffectGetsZero) {
  ASSERT_EQ(result_->status, 0) << result_->err;
  const Indices x = parse(csv_of(*dir_ / "t1.h5"));
  // Births of 2021 follow the 2021 fertility level.
  EXPECT_GT(x.at("births.2021", kTfr, "first_order"), 0.6);
  EXPECT_GT(x.at("births.2021", kTfr, "total"), 0.6);
  for (const char* other : {kDeflator, kMigration})
    EXPECT_LT(x.at("births.2021", other, "total"), x.at("births.2021", kTfr, "total_low"));
  // The deflator acts on prices only: every row's births are those of the row
  // without it (the same random streams), so its indices are 0 and inside their
  // intervals.
  for (const char* index : {"first_order", "total"}) {
    const double v = x.at("births.2021", kDeflator, index);
    EXPECT_NEAR(v, 0.0, 0.02) << index;
    EXPECT_LE(x.at("births.2021", kDeflator, std::string(index) + "_low"), v + 1e-12);
    EXPECT_GE(x.at("births.2021", kDeflator, std::string(index) + "_high"), v - 1e-12);
    EXPECT_LE(x.at("births.2021", kDeflator, std::string(index) + "_low"), 0.02);
  }
  // Intervals contain their estimates.
  for (const char* p : {kTfr, kDeflator, kMigration})
    for (const char* index : {"first_order", "total"}) {
      EXPECT_LE(x.at("births.2021", p, std::string(index) + "_low"),
                x.at("births.2021", p, index) + 1e-12);
      EXPECT_GE(x.at("births.2021", p, std::string(index) + "_high"),
                x.at("births.2021", p, index) - 1e-12);
    }
}

TEST_F(SensitivitySobol, WritesTablesThatFitAndNameTheOutputs) {
  ASSERT_EQ(result_->status, 0) << result_->err;
  fs::path md = *dir_ / "t1.md";
  EXPECT_TRUE(fs::exists(*dir_ / "t1.h5"));
  EXPECT_NE(slurp(md).find("| parameter | S | S 95% | T | T 95% |"), std::string::npos);
  // The terminal table: Chinese and English labels, no line wider than 100
  // columns.
  EXPECT_NE(result_->out.find("出生人口 Births"), std::string::npos) << result_->out;
  EXPECT_NE(result_->out.find(kTfr), std::string::npos);
  std::istringstream lines(result_->out);
  for (std::string line; std::getline(lines, line);) EXPECT_LE(display_width(line), 100u) << line;
  // The fixture's run ends in 2021, before every target: they are left out with
  // a note.
  EXPECT_NE(result_->err.find("left out"), std::string::npos) << result_->err;
  // The parts of the finished analysis are gone.
  EXPECT_FALSE(fs::exists(*dir_ / "t1.h5.parts"));
}

// tools/plot.py draws a chart per output and the overview (when Python has h5py
// and matplotlib).
TEST_F(SensitivitySobol, ThePlotsDrawEveryOutput) {
  ASSERT_EQ(result_->status, 0) << result_->err;
  const fs::path plots = *dir_ / "plots";
  const std::string command = std::string("MPLBACKEND=Agg /usr/bin/python3 '") +
                              PLANSIM_SOURCE_DIR + "/tools/plot.py' '" +
                              (*dir_ / "t1.h5").string() + "' -o '" + plots.string() + "' >'" +
                              (*dir_ / "plot.log").string() + "' 2>&1";
  const int raw = std::system(command.c_str());
  const int status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  if (status == 77 || status == 127) GTEST_SKIP() << "no Python with h5py and matplotlib";
  ASSERT_EQ(status, 0) << slurp(*dir_ / "plot.log");
  for (const char* name :
       {"sensitivity-births.2021.svg", "sensitivity-gdp.2021.svg", "sensitivity-overview.svg"})
    EXPECT_GT(fs::file_size(plots / name), 5000u) << name;
}

bool have_mpirun() { return std::system("command -v mpirun >/dev/null 2>&1") == 0; }

TEST_F(SensitivitySobol, TheSameIndicesAtTwoThreadsAndThreeRanks) {
  ASSERT_EQ(result_->status, 0) << result_->err;
  const std::string one = csv_of(*dir_ / "t1.h5");
  const CliResult two = analyse("sobol.yaml", *dir_ / "t2.h5", "--threads 2 -q");
  ASSERT_EQ(two.status, 0) << two.err;
  EXPECT_EQ(csv_of(*dir_ / "t2.h5"), one);
#ifdef PLANSIM_WITH_MPI
  if (have_mpirun()) {
    const CliResult mpi = analyse("sobol.yaml", *dir_ / "mpi.h5", "--threads 1 -q",
                                  "mpirun --oversubscribe --allow-run-as-root -n 3");
    ASSERT_EQ(mpi.status, 0) << mpi.err;
    EXPECT_EQ(csv_of(*dir_ / "mpi.h5"), one);
  }
#endif
}

TEST(Sensitivity, AnInterruptedAnalysisResumesToTheSameIndices) {
  TempDir dir;
  const CliResult whole = analyse("morris.yaml", dir / "whole.h5", "-q --threads 1");
  ASSERT_EQ(whole.status, 0) << whole.err;
  // Morris: births rise with the fertility level; the deflator moves no birth.
  const Indices x = parse(csv_of(dir / "whole.h5"));
  EXPECT_GT(x.at("births.2021", kTfr, "mu"), 0.0);
  EXPECT_EQ(x.at("births.2021", kDeflator, "mu_star"), 0.0);
  EXPECT_GT(x.at("births.2021", kTfr, "mu_star"), x.at("births.2021", kMigration, "mu_star"));

  const fs::path out = dir / "part.h5";
  const CliResult killed =
      analyse("morris.yaml", out, "-q --threads 1", "PLANSIM_TEST_KILL_AFTER_ITEMS=5");
  EXPECT_EQ(killed.status, 3) << killed.err;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(fs::exists(out.string() + ".parts"));
  // Without --resume the partial runs are not silently discarded.
  const CliResult refused = analyse("morris.yaml", out, "-q --threads 1");
  EXPECT_EQ(refused.status, 2);
  EXPECT_NE(refused.err.find("--resume"), std::string::npos) << refused.err;
  const CliResult resumed = analyse("morris.yaml", out, "-q --threads 2 --resume");
  ASSERT_EQ(resumed.status, 0) << resumed.err;
  EXPECT_EQ(csv_of(out), csv_of(dir / "whole.h5"));
  EXPECT_FALSE(fs::exists(out.string() + ".parts"));
}

TEST(Sensitivity, ABadFileGetsEveryErrorAtItsLocationAndNothingIsWritten) {
  TempDir dir;
  const fs::path out = dir / "bad.h5";
  const CliResult r = analyse("bad.yaml", out);
  EXPECT_EQ(r.status, 2) << r.err;
  const std::string file = kDir + "bad.yaml";
  for (const std::string& expected :
       {file + ":5:", file + ":6:11: error: sensitivity.morris: the method is sobol",
        file + ":7:", file + ":8:16: error: sensitivity.parameters: 'no_such_parameter'",
        file + ":10:", file + ":12:9: error: sensitivity.outputs.indicators: 'no_such_indicator'",
        file + ":13:9: error: sensitivity.outputs.indicators: 2030 is outside "
               "the run",
        file + ":14:3:"})
    EXPECT_NE(r.err.find(expected), std::string::npos) << expected << "\n" << r.err;
  EXPECT_NE(r.err.find("nothing was run or written"), std::string::npos);
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out.string() + ".parts"));

  // A bad override is reported at its line of the file's set:.
  const CliResult set = analyse("bad_set.yaml", out);
  EXPECT_EQ(set.status, 2);
  EXPECT_NE(set.err.find(kDir + "bad_set.yaml:4:"), std::string::npos) << set.err;

  // The output may not be an input, and with -o '' there is no output.
  const CliResult onto_input =
      run_plansim("sensitivity " + kDir + "morris.yaml -o " + kDir + "scenario.yaml");
  EXPECT_EQ(onto_input.status, 2);
  EXPECT_NE(onto_input.err.find("is an input"), std::string::npos) << onto_input.err;
  const CliResult empty = run_plansim("sensitivity " + kDir + "morris.yaml -o ''");
  EXPECT_EQ(empty.status, 2);

  // A parameter the scenario fixes (here with --set) is no longer uncertain:
  // naming it is an error.
  const CliResult fixed = analyse("morris.yaml", out, "--set economy.deflator_growth=0.02");
  EXPECT_EQ(fixed.status, 2);
  EXPECT_NE(fixed.err.find("morris.yaml:10:16: error: sensitivity.parameters: "
                           "'economy.deflator_growth' is not an uncertain parameter"),
            std::string::npos)
      << fixed.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST(Sensitivity, WhatAPosteriorGivesIsHeldAndTheRestVaried) {
  TempDir dir;
  const CliResult r = analyse("morris_posterior.yaml", dir / "p.h5", "--threads 2");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("(uncertainty.posterior) gives demography."), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("held at the scenario's point estimates"), std::string::npos);
  // Only the deflator is varied (parameters:), and it moves no birth.
  const Indices x = parse(csv_of(dir / "p.h5"));
  ASSERT_EQ(x.cells.at("births.2021").size(), 1u);
  EXPECT_EQ(x.at("births.2021", kDeflator, "mu_star"), 0.0);
  EXPECT_NE(r.out.find("constant over the design"), std::string::npos) << r.out;
}

TEST(Sensitivity, HelpTeachesTheFile) {
  const CliResult r = run_plansim("sensitivity --help");
  EXPECT_EQ(r.status, 0);
  for (const char* expected : {"method: sobol", "morris:", "outputs:", "--resume", "tools/plot.py"})
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected;
}

}  // namespace
}  // namespace plansim::testing

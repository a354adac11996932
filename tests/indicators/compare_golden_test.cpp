// `plansim compare` on two small results files written here (a baseline and a policy scenario,
// with their scorecards): the output in each format against golden files, the differences and
// their intervals (paired and unpaired), refusal of files of other cities or schema versions,
// and tools/plot.py drawing PNGs from the same files.
//
// Golden files: tests/indicators/golden/compare.{txt,csv,md}. After an intended change of the
// output, regenerate them with
//   PLANSIM_REGENERATE_GOLDEN=1 build/<dir>/tests/indicators_tests --gtest_filter='CompareGolden.*'
// and review the diff.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/compare.h"
#include "core/text.h"
#include "core/version.h"
#include "indicators/ensemble.h"
#include "indicators/exogenous.h"
#include "indicators/observed.h"
#include "indicators/scorecard.h"
#include "io/hdf5_observed.h"
#include "io/hdf5_scorecard.h"
#include "io/hdf5_writer.h"

namespace plansim {
namespace {

namespace fs = std::filesystem;

/// A fresh directory that is also the working directory while alive, so that the file names in
/// the output are the short relative names given on the command line.
class WorkingDir {
 public:
  WorkingDir() : previous_(fs::current_path()) {
    std::string pattern = (fs::temp_directory_path() / "plansim-compare-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
    fs::current_path(path_);
  }
  ~WorkingDir() {
    std::error_code ignored;
    fs::current_path(previous_, ignored);
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path previous_, path_;
};

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

SeriesCatalog make_catalog() {
  SeriesCatalog c;
  c.declare({SeriesKind::Indicator, "population", "persons", "常住人口", "Resident population",
             "persons living in the district at the start of the year"});
  c.declare({SeriesKind::Indicator, "gdp", "亿元", "地区生产总值", "GDP (current prices)",
             "value added of all firms, current prices"});
  c.declare({SeriesKind::Indicator, "gdp_real", "亿元 (2020 prices)", "地区生产总值(不变价)",
             "GDP (2020 prices)", "GDP deflated to 2020 prices"});
  c.declare({SeriesKind::Indicator, "urbanisation_rate", "%", "常住人口城镇化率",
             "Urbanisation rate of residents",
             std::string(kExogenousPrefix) + "trajectory given in the scenario"});
  return c;
}

Targets make_targets() {
  Targets targets;
  targets.plan_zh = "规划纲要";
  targets.plan_en = "The plan";
  const auto target = [](std::string key, std::string indicator, TargetMeasure measure,
                         TargetComparison comparison, double value, int first, int year,
                         std::string unit, std::string zh, std::string en) {
    Target t;
    t.key = std::move(key);
    t.indicator = std::move(indicator);
    t.measure = measure;
    t.comparison = comparison;
    t.value = value;
    t.first_year = first;
    t.year = year;
    t.unit = std::move(unit);
    t.label_zh = std::move(zh);
    t.label_en = std::move(en);
    t.source = "test";
    return t;
  };
  targets.targets = {
      target("gdp", "gdp", TargetMeasure::Level, TargetComparison::AtLeast, 1000, 2025, 2025,
             "亿元", "地区生产总值", "GDP (current prices)"),
      target("gdp_growth", "gdp_real", TargetMeasure::AverageGrowth, TargetComparison::AtLeast, 5,
             2021, 2025, "% per year", "地区生产总值年均增长", "GDP, average real growth"),
      target("urbanisation_rate", "urbanisation_rate", TargetMeasure::Level,
             TargetComparison::Above, 99.23, 2025, 2025, "%", "常住人口城镇化率",
             "Urbanisation rate of residents"),
      target("life_expectancy", "life_expectancy", TargetMeasure::Level, TargetComparison::AtLeast,
             83, 2025, 2025, "years", "人均预期寿命", "Life expectancy at birth"),
      target("population_2035", "population", TargetMeasure::Level, TargetComparison::AtMost,
             1000000, 2035, 2035, "persons", "常住人口", "Resident population"),
  };
  targets.targets.back().assumption = "a test assumption";
  return targets;
}

/// Three replicates of 2020-2035. The policy scenario adds residents and output.
std::vector<ReplicateResults> make_replicates(bool policy) {
  std::vector<ReplicateResults> out;
  for (std::uint32_t r = 0; r < 3; ++r) {
    ReplicateResults rep;
    rep.replicate = r;
    for (int year = 2020; year <= 2035; ++year) {
      const int t = year - 2020;
      rep.years.push_back(year);
      double population = 962642 + 1500.0 * t + 250.0 * r * t;
      double gdp = 709.3 * std::pow(1.07, t) * (1 + 0.01 * (static_cast<double>(r) - 1));
      if (policy) {
        population += 400.0 * t + 10.0 * r;
        gdp *= 1 + 0.002 * t;
      }
      rep.indicators["population"].push_back(population);
      rep.indicators["gdp"].push_back(gdp);
      rep.indicators["gdp_real"].push_back(gdp / std::pow(1.02, t));
      rep.indicators["urbanisation_rate"].push_back(99.23 + 0.02 * t);
    }
    out.push_back(std::move(rep));
  }
  return out;
}

void write_run(const std::string& path, const std::string& scenario, bool policy,
               std::uint64_t seed = 7, const std::string& city = "郑州市中原区") {
  const SeriesCatalog catalog = make_catalog();
  RunOutput output;
  output.catalog = &catalog;
  output.replicates = make_replicates(policy);
  output.meta.scenario_name = scenario;
  output.meta.city_name = city;
  output.meta.seed = seed;
  output.meta.replicates = 3;
  output.meta.start_year = 2020;
  output.meta.end_year = 2035;
  const Targets targets = make_targets();
  const Scorecard card = compute_scorecard(targets, output.replicates, catalog);
  const EnsembleSummary summary = summarise_ensemble(output.replicates);
  const PlanOutput plan{targets, card, summary};
  output.plan = &plan;
  // Observed years: population (persons, rounded to 100) and the urbanisation rate.
  ObservedData observed;
  observed.area = "the district";
  ObservedSeries population;
  population.key = "population";
  population.label_zh = "常住人口";
  population.label_en = "Resident population";
  population.unit = "persons";
  population.values = {{2021, 964100, {}}, {2022, 966000, {}}};
  population.precision = 100;
  population.status = "F";
  population.source = "test";
  ObservedSeries urban = population;
  urban.key = "urbanisation_rate";
  urban.label_zh = "常住人口城镇化率";
  urban.label_en = "Urbanisation rate of residents";
  urban.unit = "%";
  urban.values = {{2021, 99.35, {}}};
  urban.precision = 0.01;
  observed.series = {population, urban};
  const Hindcast hindcast = compute_hindcast(observed, output.replicates, catalog);
  const HindcastOutput observed_part{observed, hindcast};
  output.hindcast = &observed_part;
  write_results(path, output);
}

struct Output {
  int status;
  std::string out, err;
};

Output compare(const std::vector<std::string>& files, const std::string& format) {
  std::ostringstream out, err;
  const int status = compare_command(files, format, out, err);
  return {status, out.str(), err.str()};
}

void expect_golden(const std::string& text, const std::string& name) {
  const fs::path golden = fs::path(PLANSIM_SOURCE_DIR) / "tests" / "indicators" / "golden" / name;
  if (std::getenv("PLANSIM_REGENERATE_GOLDEN")) {
    std::ofstream(golden, std::ios::binary) << text;
    GTEST_SKIP() << "regenerated " << golden;
  }
  ASSERT_TRUE(fs::exists(golden)) << golden
                                  << " is missing; see the comment at the top of "
                                     "this file to regenerate it";
  EXPECT_EQ(text, slurp(golden)) << "differs from " << golden;
}

TEST(CompareGolden, TerminalTable) {
  WorkingDir dir;
  write_run("baseline.h5", "baseline", false);
  write_run("combined.h5", "combined", true);
  const Output o = compare({"baseline.h5", "combined.h5"}, "table");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.err, "");
  expect_golden(o.out, "compare.txt");
}

TEST(CompareGolden, Csv) {
  WorkingDir dir;
  write_run("baseline.h5", "baseline", false);
  write_run("combined.h5", "combined", true);
  const Output o = compare({"baseline.h5", "combined.h5"}, "csv");
  ASSERT_EQ(o.status, 0) << o.err;
  expect_golden(o.out, "compare.csv");
}

TEST(CompareGolden, SummaryViewOfThreeFiles) {
  // More than two files: the summary view by default, a column per file; --view full still
  // gives every indicator.
  WorkingDir dir;
  write_run("baseline.h5", "baseline", false);
  write_run("combined.h5", "combined", true);
  write_run("other.h5", "other", true, 8);
  std::ostringstream out, err;
  ASSERT_EQ(compare_command({"baseline.h5", "combined.h5", "other.h5"}, "table", out, err), 0)
      << err.str();
  EXPECT_EQ(out.str().find("\nIndicators\n"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("P(met) by scenario"), std::string::npos) << out.str();
  CompareOptions full;
  full.view = "full";
  std::ostringstream full_out;
  ASSERT_EQ(compare_command({"baseline.h5", "combined.h5", "other.h5"}, full, full_out, err), 0);
  EXPECT_NE(full_out.str().find("\nIndicators\n"), std::string::npos) << full_out.str();
  expect_golden(out.str(), "compare_summary.txt");
}

TEST(CompareGolden, YearsAndByteOrderMark) {
  WorkingDir dir;
  write_run("baseline.h5", "baseline", false);
  write_run("combined.h5", "combined", true);
  CompareOptions options;
  options.format = "csv";
  options.years = {2030};
  options.bom = true;
  std::ostringstream out, err;
  ASSERT_EQ(compare_command({"baseline.h5", "combined.h5"}, options, out, err), 0) << err.str();
  const std::string text = out.str();
  ASSERT_EQ(text.rfind("\xEF\xBB\xBF", 0), 0u) << "no byte order mark";
  EXPECT_NE(text.find(",2030,"), std::string::npos) << text;
  EXPECT_EQ(text.find("indicator,gdp,GDP (current prices),地区生产总值,亿元,simulated,baseline.h5,"
                      "baseline,2025"),
            std::string::npos)
      << text;
  // A year no file covers is an error (exit 2); so is an unknown view.
  options.years = {1990};
  std::ostringstream none, none_err;
  EXPECT_EQ(compare_command({"baseline.h5", "combined.h5"}, options, none, none_err), 2);
  EXPECT_NE(none_err.str().find("--years"), std::string::npos) << none_err.str();
  CompareOptions bad_view;
  bad_view.view = "brief";
  EXPECT_EQ(compare_command({"baseline.h5"}, bad_view, none, none_err), 2);
}

TEST(CompareGolden, Markdown) {
  WorkingDir dir;
  write_run("baseline.h5", "baseline", false);
  write_run("combined.h5", "combined", true);
  const Output o = compare({"baseline.h5", "combined.h5"}, "markdown");
  ASSERT_EQ(o.status, 0) << o.err;
  expect_golden(o.out, "compare.md");
}

/// The cells of the CSV row whose first cells are `prefix` (comma-separated, no quoting needed).
std::vector<std::string> csv_row(const std::string& csv, const std::string& prefix) {
  std::istringstream lines(csv);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(prefix, 0) != 0) continue;
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream parts(line);
    while (std::getline(parts, cell, ',')) cells.push_back(cell);
    if (line.back() == ',') cells.emplace_back();
    return cells;
  }
  ADD_FAILURE() << "no row " << prefix << " in\n" << csv;
  return {};
}

TEST(CompareValues, PairedDifferencesAndTheirInterval) {
  WorkingDir dir;
  write_run("baseline.h5", "baseline", false);
  write_run("combined.h5", "combined", true);
  const Output o = compare({"baseline.h5", "combined.h5"}, "csv");
  ASSERT_EQ(o.status, 0) << o.err;
  // Columns: section,key,label_en,label_zh,unit,origin,file,scenario,year,mean,p05,p95,
  //          delta_mean,delta_p05,delta_p95,delta_pairing,...
  // Population in 2025 (t = 5): baseline 970142 + 1250 r; the policy adds 2000 + 10 r.
  const auto base = csv_row(o.out,
                            "indicator,population,Resident "
                            "population,常住人口,persons,simulated,baseline.h5,baseline,2025");
  ASSERT_GE(base.size(), 16u);
  EXPECT_EQ(base[9], "971392");   // mean of 970142, 971392, 972642
  EXPECT_EQ(base[10], "970267");  // type 7: h = 0.1
  EXPECT_EQ(base[11], "972517");
  EXPECT_EQ(base[12], "");  // no difference for the first file
  const auto policy = csv_row(o.out,
                              "indicator,population,Resident "
                              "population,常住人口,persons,simulated,combined.h5,combined,2025");
  ASSERT_GE(policy.size(), 16u);
  EXPECT_EQ(policy[12], "2010");  // paired differences 2000, 2010, 2020
  EXPECT_EQ(policy[13], "2001");
  EXPECT_EQ(policy[14], "2019");
  EXPECT_EQ(policy[15], "paired");
  // The paired t interval of the mean difference (sd 10 on 3 pairs, t(0.975, 2) = 4.302653)
  // and its test (columns delta_low, delta_high, delta_p_value, …, difference).
  ASSERT_EQ(policy.size(), 31u);
  EXPECT_NEAR(std::stod(policy[24]), 2010 - 4.302653 * 10 / std::sqrt(3.0), 1e-3);
  EXPECT_NEAR(std::stod(policy[25]), 2010 + 4.302653 * 10 / std::sqrt(3.0), 1e-3);
  EXPECT_LT(std::stod(policy[26]), 1e-4);
  EXPECT_EQ(policy[30], "significant");
  // Exogenous series are marked and do not differ.
  const auto urban = csv_row(o.out,
                             "indicator,urbanisation_rate,Urbanisation rate of "
                             "residents,常住人口城镇化率,%,exogenous,combined.h5,combined,2035");
  ASSERT_GE(urban.size(), 16u);
  EXPECT_EQ(urban[12], "0");
  // Targets: the not-simulated one says why.
  const auto life = csv_row(o.out, "target,life_expectancy");
  ASSERT_EQ(life.size(), 31u);
  EXPECT_EQ(life[21], "indicator 'life_expectancy' is not recorded in this run");
  // Against observed years: the simulated mean, the observed figure and the interval test.
  const auto observed = csv_row(o.out,
                                "hindcast,population,Resident population,常住人口,persons,"
                                "simulated,baseline.h5,baseline,2022");
  ASSERT_EQ(observed.size(), 31u);
  EXPECT_EQ(observed[9], "966142");  // mean of 962642 + 1500·2 + 250·r·2, r = 0, 1, 2
  EXPECT_EQ(observed[22], "966000");
  EXPECT_EQ(observed[23], "yes");
}

TEST(CompareValues, UnpairedWhenSeedsDiffer) {
  WorkingDir dir;
  write_run("baseline.h5", "baseline", false, 7);
  write_run("other_seed.h5", "combined", true, 8);
  const Output o = compare({"baseline.h5", "other_seed.h5"}, "csv");
  ASSERT_EQ(o.status, 0) << o.err;
  const auto policy = csv_row(o.out,
                              "indicator,population,Resident "
                              "population,常住人口,persons,simulated,other_seed.h5,combined,2025");
  ASSERT_GE(policy.size(), 16u);
  // All nine pairs: (972142 + 1260 j) - (970142 + 1250 i), i, j in 0..2.
  std::vector<double> d;
  for (int j = 0; j < 3; ++j)
    for (int i = 0; i < 3; ++i) d.push_back(2000 + 1260.0 * j - 1250.0 * i);
  std::sort(d.begin(), d.end());
  double sum = 0;
  for (double v : d) sum += v;
  EXPECT_EQ(policy[12], format_exact(sum / 9));
  EXPECT_EQ(policy[13], format_exact(quantile_sorted(d, 0.05)));
  EXPECT_EQ(policy[14], format_exact(quantile_sorted(d, 0.95)));
  EXPECT_EQ(policy[12], "2010");
  EXPECT_EQ(policy[15], "all pairs");
  const Output table = compare({"baseline.h5", "other_seed.h5"}, "table");
  EXPECT_NE(table.out.find("else over all pairs of replicates"), std::string::npos) << table.out;
}

TEST(CompareValues, TableColumnsAlignWithChineseLabels) {
  WorkingDir dir;
  write_run("baseline.h5", "baseline", false);
  write_run("combined.h5", "combined", true);
  const Output o = compare({"baseline.h5", "combined.h5"}, "table");
  // In every row of the indicator table the scenario name starts at the same display column.
  std::istringstream lines(o.out);
  std::string line;
  std::vector<std::size_t> columns;
  bool in_indicators = false;
  while (std::getline(lines, line)) {
    if (line == "Indicators")
      in_indicators = true;
    else if (line == "Targets")
      in_indicators = false;
    if (!in_indicators) continue;
    for (const char* scenario : {"  baseline  ", "  combined  ", "  scenario  "}) {
      const std::size_t at = line.find(scenario);
      if (at != std::string::npos) columns.push_back(display_width(line.substr(0, at)));
    }
  }
  ASSERT_EQ(columns.size(), 9u) << o.out;  // header + 4 indicators × 2 files
  for (std::size_t c : columns) EXPECT_EQ(c, columns.front()) << o.out;
}

TEST(CompareRefuses, FilesOfAnotherCity) {
  WorkingDir dir;
  write_run("baseline.h5", "baseline", false);
  write_run("jinshui.h5", "baseline", false, 7, "郑州市金水区");
  const Output o = compare({"baseline.h5", "jinshui.h5"}, "table");
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err,
            "error: cannot compare baseline.h5 (city '郑州市中原区') with jinshui.h5 (city "
            "'郑州市金水区'): files of different cities; compare scenarios of one city\n");
}

TEST(CompareRefuses, FilesOfAnotherSchemaVersion) {
  WorkingDir dir;
  write_run("baseline.h5", "baseline", false);
  write_run("newer.h5", "combined", true);
  {  // Pretend a later plansim wrote it.
    // (Through the group: HDF5 1.10 cannot write an attribute opened with H5Aopen_by_name.)
    const hid_t file = H5Fopen("newer.h5", H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    const hid_t meta = H5Gopen2(file, "meta", H5P_DEFAULT);
    ASSERT_GE(meta, 0);
    const hid_t attribute = H5Aopen(meta, "schema_version", H5P_DEFAULT);
    ASSERT_GE(attribute, 0);
    const int newer = kSchemaVersion + 1;
    EXPECT_GE(H5Awrite(attribute, H5T_NATIVE_INT, &newer), 0);
    H5Aclose(attribute);
    H5Gclose(meta);
    H5Fclose(file);
  }
  const Output o = compare({"baseline.h5", "newer.h5"}, "csv");
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  const std::string v = std::to_string(kSchemaVersion), w = std::to_string(kSchemaVersion + 1);
  EXPECT_EQ(o.err, "error: cannot compare baseline.h5 (results schema " + v +
                       ") with newer.h5 (results schema " + w +
                       "): files of different schema versions; re-run the scenarios with one "
                       "plansim version\n");
}

TEST(CompareRefuses, BadArguments) {
  WorkingDir dir;
  write_run("baseline.h5", "baseline", false);
  Output o = compare({"baseline.h5"}, "markdwn");
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err,
            "error: unknown format 'markdwn' (did you mean 'markdown'?; one of table, csv, "
            "markdown, json)\n");
  o = compare({}, "table");
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "error: compare needs at least one results file\n");
  o = compare({"baseline.h5", "absent.h5"}, "table");
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.err, "error: absent.h5: no such file\n");
  std::ofstream("notes.h5") << "text\n";
  o = compare({"baseline.h5", "notes.h5"}, "table");
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.err, "error: notes.h5: not an HDF5 file\n");
  // One file alone is a table without differences.
  o = compare({"baseline.h5"}, "table");
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out.find("Δ"), std::string::npos) << o.out;
}

// ---- plots from the same files ----

/// Width and height from a PNG's IHDR chunk; {0, 0} when the file is not a PNG.
std::pair<unsigned, unsigned> png_size(const fs::path& path) {
  const std::string bytes = slurp(path);
  if (bytes.size() < 24 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return {0, 0};
  const auto be32 = [&](std::size_t at) {
    unsigned v = 0;
    for (std::size_t k = 0; k < 4; ++k) v = (v << 8) | static_cast<unsigned char>(bytes[at + k]);
    return v;
  };
  return {be32(16), be32(20)};
}

TEST(ComparePlots, PngsForEveryIndicatorAndTheScorecard) {
  WorkingDir dir;
  write_run("baseline.h5", "baseline", false);
  write_run("combined.h5", "combined", true);
  // Debian's interpreter first (python3-h5py installs there), then whatever python3 is on PATH.
  // plot.py exits with 77 when h5py or matplotlib is missing; the shell gives 127 for no python.
  for (const char* python : {"/usr/bin/python3", "python3"}) {
    fs::remove_all("plots");
    const std::string command = std::string("MPLBACKEND=Agg ") + python + " '" +
                                PLANSIM_SOURCE_DIR + "/tools/plot.py' baseline.h5 combined.h5 " +
                                "-o plots --dpi 80 >plot.log 2>&1";
    const int raw = std::system(command.c_str());
    const int status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    if (status == 77 || status == 127) continue;
    ASSERT_EQ(status, 0) << python << ":\n" << slurp("plot.log");
    for (const char* name :
         {"population.png", "gdp.png", "gdp_real.png", "urbanisation_rate.png", "scorecard.png"}) {
      const fs::path png = fs::path("plots") / name;
      ASSERT_TRUE(fs::exists(png)) << png << "\n" << slurp("plot.log");
      const auto [width, height] = png_size(png);
      EXPECT_GE(width, 400u) << png;
      EXPECT_GE(height, 250u) << png;
      // Non-trivial: lines, a band, labels and text compress to well over a blank canvas.
      EXPECT_GT(fs::file_size(png), 15000u) << png;
    }
    return;
  }
  GTEST_SKIP() << "no Python with h5py and matplotlib";
}

}  // namespace
}  // namespace plansim

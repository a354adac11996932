// Observed years and the hindcast: reading observed.yaml (the city's real file and one test per
// class of bad input), the comparison with an ensemble (known answers), and the /observed and
// /hindcast datasets of a results file.
#include "indicators/observed.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "indicators/ensemble.h"
#include "io/hdf5_observed.h"
#include "io/hdf5_reader.h"
#include "io/hdf5_writer.h"
#include "io/scenario_loader.h"
#include "io/yaml_loader.h"

namespace plansim {
namespace {

namespace fs = std::filesystem;

const std::string kGood = R"(area: a district
series:
  population_year_end:
    unit: persons
    timing: year_end
    values: {2021: 1000, 2022: 1010}
    precision: 10
    status: F
    source: bulletin
  births:
    label_zh: 出生人口
    unit: persons
    timing: calendar_year
    values: {2022: 20, 2021: 30}
    status: F
    source: bulletin
  gdp:
    unit: 亿元
    timing: calendar_year
    values: {2021: 700}
    status: D
    source: derived
context:
  china_births:
    unit: million persons
    timing: calendar_year
    values: {2021: 10.62}
    status: F
    source: NBS
)";

ObservedData read_text(const std::string& text, Diagnostics& diags) {
  const ParamNode tree = parse_yaml(text, "observed.yaml", diags);
  ObservedData data = read_observed(tree, diags);
  tree.report_unused(diags);
  return data;
}

std::string errors_of(const std::string& text) {
  Diagnostics diags;
  read_text(text, diags);
  return diags.format();
}

SeriesCatalog catalog() {
  SeriesCatalog c;
  c.declare({SeriesKind::Indicator, "population_year_end", "persons", "年末常住人口",
             "Year-end resident population", ""});
  c.declare({SeriesKind::Event, "births", "persons", "出生人口", "Births", ""});
  return c;
}

// Replicate k: population_year_end = 1000 + 10k in 2021 and 1000 + 20k in 2022; births 25 + k.
std::vector<ReplicateResults> ensemble(int replicates) {
  std::vector<ReplicateResults> out;
  for (int k = 0; k < replicates; ++k) {
    ReplicateResults r;
    r.replicate = static_cast<std::uint32_t>(k);
    r.years = {2020, 2021, 2022};
    r.indicators["population_year_end"] = {990.0, 1000.0 + 10 * k, 1000.0 + 20 * k};
    r.events["births"] = {5, 25 + k, 25 + k};
    out.push_back(std::move(r));
  }
  return out;
}

TEST(Observed, ReadsEverySeriesInFileOrderWithSortedYears) {
  Diagnostics diags;
  const ObservedData data = read_text(kGood, diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  EXPECT_EQ(data.area, "a district");
  ASSERT_EQ(data.series.size(), 3u);
  EXPECT_EQ(data.series[0].key, "population_year_end");
  EXPECT_EQ(data.series[0].timing, ObservedTiming::YearEnd);
  EXPECT_EQ(data.series[0].precision, 10);
  EXPECT_EQ(data.series[1].timing, ObservedTiming::CalendarYear);
  ASSERT_EQ(data.series[1].values.size(), 2u);
  EXPECT_EQ(data.series[1].values[0].year, 2021);
  EXPECT_EQ(data.series[1].values[0].value, 30);
  EXPECT_EQ(data.series[1].at(2022), 20);
  EXPECT_FALSE(data.series[1].at(2023).has_value());
  ASSERT_EQ(data.context.size(), 1u);
  EXPECT_EQ(data.context[0].key, "china_births");
}

TEST(Observed, BadInputIsReportedAtItsLocation) {
  std::string text = kGood;
  text.replace(text.find("timing: year_end"), 16, "timing: year-end");
  text.replace(text.find("{2021: 1000"), 11, "{20x1: 1000");
  text.replace(text.find("status: D"), 9, "status: X");
  text.replace(text.find("    source: derived\n"), 20, "    sourse: derived\n");
  EXPECT_EQ(errors_of(text),
            "observed.yaml:5:13: error: series.population_year_end.timing: unknown timing "
            "'year-end' (one of year_end: a stock on 31 December; calendar_year: a flow or rate "
            "of the year)\n"
            "observed.yaml:6:14: error: series.population_year_end.values: '20x1' is not a year\n"
            "observed.yaml:18:5: error: series.gdp: missing required key 'source'\n"
            "observed.yaml:21:13: error: series.gdp.status: 'X' must be F (found in a source) or "
            "D (derived from found figures)\n"
            "observed.yaml:22:5: error: series.gdp.sourse: unknown key 'sourse' in 'series.gdp' "
            "(did you mean 'source'?)\n");
  EXPECT_EQ(errors_of("series:\n  births: 5\n"),
            "observed.yaml:2:11: error: series.births: expected a map with unit, timing, values, "
            "status and source, got '5'\n");
  EXPECT_EQ(errors_of("series:\n  births: {unit: persons, timing: calendar_year, values: [1, 2], "
                      "status: F, source: s}\n"),
            "observed.yaml:2:58: error: series.births.values: expected a map of year: value, e.g. "
            "{2021: 965300, 2022: 968900}\n");
  EXPECT_EQ(errors_of("area: x\n"), "observed.yaml:1:1: error: missing required key 'series'\n");
}

TEST(Observed, UnitsMustMatchTheSimulatedSeries) {
  std::string text = kGood;
  text.replace(text.find("unit: persons\n    timing: calendar"), 13, "unit: 万人    ");
  Diagnostics diags;
  const ObservedData data = read_text(text, diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  check_observed_units(data, catalog(), diags);  // gdp is not simulated: no error for it
  EXPECT_EQ(diags.format(),
            "observed.yaml:12:11: error: series.births.unit: '万人' is not the unit of the "
            "simulated series births ('persons')\n");
}

TEST(Observed, HindcastAgainstAnEnsembleKnownAnswers) {
  Diagnostics diags;
  const ObservedData data = read_text(kGood, diags);
  const Hindcast h = compute_hindcast(data, ensemble(5), catalog());
  EXPECT_EQ(h.replicates, 5u);
  ASSERT_EQ(h.rows.size(), 5u);
  // population 2021: values 1000..1040, mean 1020, p05 = 1002, p95 = 1038 (type 7).
  const HindcastRow& p21 = h.rows[0];
  EXPECT_EQ(p21.key, "population_year_end");
  EXPECT_EQ(p21.year, 2021);
  EXPECT_EQ(p21.label_en, "Year-end resident population");  // from the catalog
  EXPECT_DOUBLE_EQ(p21.mean, 1020);
  EXPECT_DOUBLE_EQ(p21.p05, 1002);
  EXPECT_DOUBLE_EQ(p21.p95, 1038);
  EXPECT_DOUBLE_EQ(p21.error, 20);
  EXPECT_DOUBLE_EQ(p21.relative_error, 0.02);
  EXPECT_TRUE(p21.within_interval);  // 1000 ± 5 meets [1002, 1038]
  // population 2022: values 1000..1080: [1004, 1076] meets 1010 ± 5.
  EXPECT_TRUE(h.rows[1].within_interval);
  // births 2021: 25..29, observed 30 (exact): outside [25.2, 28.8].
  const HindcastRow& b21 = h.rows[2];
  EXPECT_EQ(b21.label_zh, "出生人口");
  EXPECT_DOUBLE_EQ(b21.mean, 27);
  EXPECT_FALSE(b21.within_interval);
  EXPECT_FALSE(h.rows[3].within_interval);  // 2022: 20 against [25.2, 28.8]
  // gdp: not simulated.
  const HindcastRow& gdp = h.rows[4];
  EXPECT_FALSE(gdp.simulated());
  EXPECT_EQ(gdp.note, "not simulated in this run");
  EXPECT_TRUE(std::isnan(gdp.mean));
}

TEST(Observed, HindcastIsStoredInTheResultsFile) {
  Diagnostics diags;
  const ObservedData data = read_text(kGood, diags);
  const SeriesCatalog c = catalog();
  RunOutput output;
  output.catalog = &c;
  output.replicates = ensemble(3);
  output.meta.scenario_yaml = "run: {}\n";
  const std::string path = (fs::temp_directory_path() / "plansim_observed_test.h5").string();
  const Hindcast h = compute_hindcast(data, output.replicates, c);
  const HindcastOutput hindcast{data, h};
  output.hindcast = &hindcast;
  write_results(path, output);
  const StoredHindcast stored = read_hindcast(path);
  ASSERT_TRUE(stored.has_hindcast);
  EXPECT_EQ(stored.hindcast.area, "a district");
  EXPECT_EQ(stored.hindcast.replicates, 3u);
  ASSERT_EQ(stored.hindcast.rows.size(), h.rows.size());
  for (std::size_t i = 0; i < h.rows.size(); ++i) {
    const HindcastRow& a = h.rows[i];
    const HindcastRow& b = stored.hindcast.rows[i];
    EXPECT_EQ(a.key, b.key);
    EXPECT_EQ(a.year, b.year);
    EXPECT_EQ(a.timing, b.timing);
    EXPECT_EQ(a.observed, b.observed);
    EXPECT_EQ(a.within_interval, b.within_interval);
    EXPECT_EQ(a.note, b.note);
    EXPECT_TRUE(a.mean == b.mean || (std::isnan(a.mean) && std::isnan(b.mean)));
  }
  // /observed/<key> on the /years axis, NaN where there is no figure.
  const ResultsFile file(path);
  EXPECT_EQ(file.shape("/observed/births"), std::vector<std::size_t>{3});
  const auto attributes = file.string_attributes("/observed/population_year_end");
  EXPECT_EQ(attributes.at("timing"), "year_end");
  EXPECT_EQ(attributes.at("source"), "bulletin");
  fs::remove(path);
}

// The city's own file: every series is one the baseline simulates (with its unit), and no year
// from 2023 on is in the project (reserved for out-of-sample validation).
TEST(Observed, ZhongyuanFileMatchesTheBaselineAndStopsIn2022) {
  Diagnostics diags;
  const LoadedScenario loaded =
      load_scenario(std::string(PLANSIM_SOURCE_DIR) + "/scenarios/baseline.yaml", {}, diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  const ParamNode* file = loaded.city.find("observed");
  ASSERT_NE(file, nullptr);
  const ObservedData data = read_observed(*file, diags);
  file->report_unused(diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  EXPECT_GE(data.series.size(), 6u);
  for (const auto* group : {&data.series, &data.context})
    for (const ObservedSeries& s : *group)
      for (const ObservedValue& v : s.values) EXPECT_LE(v.year, 2022) << s.key;
}

}  // namespace
}  // namespace plansim

// The "exogenous" process: interpolation of trajectories, the series it declares and records,
// and one test per class of bad input in its scenario block (message and location).
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <set>

#include "core/simulation.h"
#include "indicators/exogenous.h"
#include "io/yaml_loader.h"

namespace plansim {
namespace {

TEST(ExogenousTrajectory, LinearBetweenYearsHeldOutside) {
  const ExogenousTrajectory t{"x", Trajectory::linear({{2020, 10}, {2025, 20}, {2035, 0}})};
  EXPECT_DOUBLE_EQ(t.at(2015), 10);
  EXPECT_DOUBLE_EQ(t.at(2020), 10);
  EXPECT_DOUBLE_EQ(t.at(2022), 14);
  EXPECT_DOUBLE_EQ(t.at(2025), 20);
  EXPECT_DOUBLE_EQ(t.at(2030), 10);
  EXPECT_DOUBLE_EQ(t.at(2035), 0);
  EXPECT_DOUBLE_EQ(t.at(2040), 0);
  const ExogenousTrajectory single{"y", Trajectory::linear({{2020, 41.63}})};
  EXPECT_DOUBLE_EQ(single.at(2035), 41.63);
}

TEST(ExogenousSeriesList, KeysAreUniqueAndLabelled) {
  std::set<std::string_view> keys;
  for (const ExogenousSeries& s : exogenous_series()) {
    EXPECT_TRUE(keys.insert(s.key).second) << s.key;
    EXPECT_FALSE(s.unit.empty() || s.label_zh.empty() || s.label_en.empty() || s.definition.empty())
        << s.key;
    EXPECT_LT(s.lowest, s.highest) << s.key;
  }
  for (const char* key : {"urbanisation_rate", "good_air_days_share", "water_class3_share",
                          "energy_intensity_drop", "co2_intensity_drop", "green_coverage", "fdi",
                          "digital_core_share", "rd_platforms", "sponge_city_share"})
    EXPECT_TRUE(keys.count(key)) << key;
}

struct Configured {
  Diagnostics diags;
  SeriesCatalog catalog;
  std::unique_ptr<ExogenousIndicators> process = std::make_unique<ExogenousIndicators>();
  ParamNode params, city;
};

/// Configures the process with `block` (the scenario's exogenous: block), then reports unread
/// keys as Simulation::configure does.
std::unique_ptr<Configured> configure(const std::string& block, SeriesCatalog catalog = {}) {
  auto c = std::make_unique<Configured>();
  c->catalog = std::move(catalog);
  c->params = parse_yaml(block, "scenario.yaml", c->diags);
  c->city = ParamNode(ParamNode::Kind::Map, SourceLoc{}, "");
  EXPECT_TRUE(c->diags.empty()) << c->diags.format();
  const RunSettings run;
  ConfigureContext ctx{c->params, c->city, run, c->diags, c->catalog};
  c->process->configure(ctx);
  c->params.report_unused(c->diags);
  return c;
}

void expect_one_error(const Diagnostics& diags, const std::string& file, int line, int column,
                      const std::string& message) {
  ASSERT_EQ(diags.size(), 1u) << diags.format();
  const Diagnostic& d = diags.errors().front();
  EXPECT_EQ(d.loc.file, file);
  EXPECT_EQ(d.loc.line, line);
  EXPECT_EQ(d.loc.column, column);
  EXPECT_EQ(d.message, message);
}

TEST(ExogenousProcess, DeclaresAndRecordsEachTrajectory) {
  auto c =
      configure("urbanisation_rate: {2020: 99.23, 2025: 99.48}\ngreen_coverage: {2020: 41.63}\n");
  ASSERT_TRUE(c->diags.empty()) << c->diags.format();
  const SeriesInfo* info = c->catalog.find("urbanisation_rate", SeriesKind::Indicator);
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->unit, "%");
  EXPECT_EQ(info->label_zh, "常住人口城镇化率");
  EXPECT_TRUE(is_exogenous_description(info->description)) << info->description;
  EXPECT_NE(info->description.find("exogenous.urbanisation_rate"), std::string::npos);
  EXPECT_EQ(c->catalog.find("fdi", SeriesKind::Indicator), nullptr);  // no trajectory, not declared
  ASSERT_EQ(c->process->trajectories().size(), 2u);

  // Recorded each year through the Recorder.
  ReplicateResults results;
  Recorder out(results, c->catalog, 0, 1.0);
  World world;
  const RngStreams rng(1, 0);
  const RunSettings run;
  for (int year = 2020; year <= 2026; ++year) {
    out.begin_year(year);
    StepContext ctx{world, rng, out, 11, year, run};
    c->process->step(ctx);
  }
  const std::vector<double>& urban = results.indicators.at("urbanisation_rate");
  ASSERT_EQ(urban.size(), 7u);
  EXPECT_DOUBLE_EQ(urban[0], 99.23);
  EXPECT_DOUBLE_EQ(urban[2], 99.33);
  EXPECT_DOUBLE_EQ(urban[5], 99.48);
  EXPECT_DOUBLE_EQ(urban[6], 99.48);
  EXPECT_EQ(results.indicators.at("green_coverage"), std::vector<double>(7, 41.63));
  EXPECT_FALSE(is_exogenous_description("simulated: exogenous: no"));
}

// ---- one test per class of bad input ----

TEST(ExogenousProcessErrors, UnknownSeriesWithHint) {
  auto c = configure("urbanization_rate: {2020: 99.23}\n");
  ASSERT_EQ(c->diags.size(), 1u) << c->diags.format();
  const Diagnostic& d = c->diags.errors().front();
  EXPECT_EQ(d.loc.line, 1);
  EXPECT_EQ(d.loc.column, 1);
  EXPECT_EQ(d.message.rfind("urbanization_rate: unknown exogenous series 'urbanization_rate' (did "
                            "you mean 'urbanisation_rate'?; known: urbanisation_rate, fdi, ",
                            0),
            0u)
      << d.message;
}

TEST(ExogenousProcessErrors, KeyIsNotAYear) {
  auto c = configure("fdi: {2020: 2.4, next: 2.5}\n");
  expect_one_error(c->diags, "scenario.yaml", 1, 18,
                   "fdi.next: 'next' is not a year (expected e.g. 2025: value)");
}

TEST(ExogenousProcessErrors, YearsMustIncrease) {
  auto c = configure("fdi:\n  2025: 2.8\n  2020: 2.4\n");
  expect_one_error(c->diags, "scenario.yaml", 3, 3,
                   "fdi.2020: years must increase (2020 comes after 2025)");
}

TEST(ExogenousProcessErrors, ValueOutOfRange) {
  auto c = configure("green_coverage: {2020: 141.63}\n");
  expect_one_error(c->diags, "scenario.yaml", 1, 24,
                   "green_coverage.2020: 141.63 is out of range (must be [0, 100])");
}

TEST(ExogenousProcessErrors, WrongType) {
  auto c = configure("fdi: {2020: many}\n");
  expect_one_error(c->diags, "scenario.yaml", 1, 13, "fdi.2020: expected a number, got 'many'");
}

TEST(ExogenousProcessErrors, NotAMapOfYears) {
  auto c = configure("fdi: [2.4, 2.5]\n");
  expect_one_error(c->diags, "scenario.yaml", 1, 6,
                   "fdi: expected a map of year: value, e.g. {2020: 99.23, 2025: 99.4}");
}

TEST(ExogenousProcessErrors, SeriesRecordedByAnotherProcess) {
  SeriesCatalog catalog;
  catalog.declare({SeriesKind::Indicator, "fdi", "亿美元", "实际利用外资", "FDI", "simulated"});
  auto c = configure("fdi: {2020: 2.4}\n", catalog);
  expect_one_error(c->diags, "scenario.yaml", 1, 1,
                   "fdi: 'fdi' is recorded by another process of this scenario; it cannot also be "
                   "given as an exogenous trajectory");
}

TEST(ExogenousProcessErrors, EveryErrorIsReported) {
  auto c = configure("fdi: {2020: x}\ngreen_coverage: {2020: -1}\nsponge: {2020: 1}\n");
  EXPECT_EQ(c->diags.size(), 3u) << c->diags.format();
  EXPECT_TRUE(c->process->trajectories().empty());
}

}  // namespace
}  // namespace plansim

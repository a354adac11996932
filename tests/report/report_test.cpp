// The report's data and page: what report_data() reads from results files (targets per file,
// zone panels, geometry and metro of the city config), how bad input is refused (exit 2, nothing
// written), and that inlined text cannot close the page's scripts.
#include "report/report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../integration/cli_runner.h"
#include "core/diagnostics.h"

namespace plansim {
namespace {
namespace fs = std::filesystem;
using plansim::testing::run_plansim;
using plansim::testing::slurp;
using plansim::testing::TempDir;

/// One small run of a scenario, shared by the tests of this file.
const std::string& results(const std::string& scenario) {
  static std::map<std::string, std::string> paths;
  static TempDir dir;
  if (!paths.count(scenario)) {
    const std::string path = (dir / (scenario + ".h5")).string();
    const auto run = run_plansim("run scenarios/" + scenario +
                                 ".yaml --scale 0.01 --replicates 2 --set run.end=2026 -q "
                                 "--no-summary -o " +
                                 path);
    EXPECT_EQ(run.status, 0) << run.err;
    paths[scenario] = path;
  }
  return paths[scenario];
}

TEST(ReportData, TargetsZonesMapAndProvenanceOfEveryFile) {
  ReportOptions options;
  options.files = {results("baseline"), results("combined")};
  const nlohmann::json data = report_data(options);
  ASSERT_EQ(data["scenarios"].size(), 2u);
  EXPECT_EQ(data["scenarios"][0]["name"], "baseline");
  EXPECT_EQ(data["scenarios"][1]["letter"], "B");
  EXPECT_FALSE(data["scenarios"][1]["scenario_yaml"].get<std::string>().empty());
  EXPECT_FALSE(data["scenarios"][1]["interventions"].empty());  // combined opens stations

  ASSERT_FALSE(data["targets"].empty());
  for (const auto& target : data["targets"]) ASSERT_EQ(target["results"].size(), 2u) << target;
  const auto gdp = std::find_if(data["targets"].begin(), data["targets"].end(),
                                [](const auto& t) { return t["key"] == "gdp"; });
  ASSERT_NE(gdp, data["targets"].end());
  const auto& score = (*gdp)["results"][0];
  EXPECT_EQ(score["replicates"], 2);
  const double p = score["p_met"], low = score["p_met_low"], high = score["p_met_high"];
  EXPECT_LE(low, p);
  EXPECT_GE(high, p);
  EXPECT_GT(high - low, 0.3);  // two replicates say little: a wide interval

  // Zone panels: [year][zone] means, facilities' capacity by zone among them.
  for (const char* key :
       {"population_density", "places_kindergarten_by_zone", "eldercare_beds_by_zone"}) {
    ASSERT_TRUE(data["zone_panels"].contains(key)) << key;
    const auto& values = data["zone_panels"][key]["values"][1];
    EXPECT_EQ(values["by_year"].size(), values["years"].size()) << key;
    EXPECT_EQ(values["by_year"][0].size(), data["zones"].size()) << key;
  }
  // Map: a polygon per zone (schematic for Zhongyuan) and the metro network.
  ASSERT_TRUE(data["geometry"].is_object());
  EXPECT_EQ(data["geometry"]["features"].size(), data["zones"].size());
  EXPECT_TRUE(data["geometry"]["schematic"].get<bool>());
  ASSERT_TRUE(data["metro"].is_array());
  EXPECT_FALSE(data["metro"].empty());
  // Indicators: mean and percentiles by year for each file.
  const auto& population = data["indicators"]["population"]["series"][0];
  EXPECT_EQ(population["mean"].size(), population["years"].size());
  EXPECT_TRUE(data["indicators"]["gdp"]["target"].get<bool>());
  // The assumptions the run used, from /assumptions, with rationale and location.
  const auto& assumptions = data["scenarios"][0]["assumptions"];
  ASSERT_GT(assumptions.size(), 50u);
  const auto in_migration = std::find_if(assumptions.begin(), assumptions.end(), [](const auto& a) {
    return a["parameter"] == "demography.migration.in_migrants_per_1000";
  });
  ASSERT_NE(in_migration, assumptions.end());
  EXPECT_FALSE((*in_migration)["rationale"].get<std::string>().empty());
  // The baseline's calibrated rate and the assumption that holds it after the observed years.
  EXPECT_NE((*in_migration)["location"].get<std::string>().find("scenarios/baseline.yaml"),
            std::string::npos);
}

TEST(ReportCommand, WritesOnePageAndRefusesBadInputWithoutWriting) {
  TempDir dir;
  const std::string page = (dir / "report.html").string();
  ReportOptions options;
  options.files = {results("baseline")};
  options.output = page;
  std::ostringstream err;
  if (find_echarts("").empty()) GTEST_SKIP() << "ECharts not installed (tools/install-deps.sh)";
  ASSERT_EQ(report_command(options, err), 0) << err.str();
  const std::string html = slurp(page);
  EXPECT_NE(html.find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_NE(html.find("echarts"), std::string::npos);
  EXPECT_EQ(html.find("/*PLANSIM_"), std::string::npos);  // every placeholder filled

  // A geometry without one of the zones: exit 2, the message names the zone, nothing written.
  const std::string geometry = (dir / "zones.geojson").string();
  std::ofstream(geometry) << R"({"type":"FeatureCollection","features":[{"type":"Feature",)"
                             R"("properties":{"key":"linshanzhai"},"geometry":null}]})";
  options.geometry = geometry;
  options.output = (dir / "bad.html").string();
  std::ostringstream bad;
  EXPECT_EQ(report_command(options, bad), 2);
  EXPECT_NE(bad.str().find("jianshelu"), std::string::npos) << bad.str();
  EXPECT_NE(bad.str().find("zones.geojson"), std::string::npos) << bad.str();
  EXPECT_FALSE(fs::exists(options.output));
  // Not GeoJSON at all.
  std::ofstream(geometry) << "{ not json";
  std::ostringstream broken;
  EXPECT_EQ(report_command(options, broken), 2);
  EXPECT_NE(broken.str().find("not valid GeoJSON"), std::string::npos) << broken.str();
  // A missing results file: exit 1, nothing written.
  options.geometry.clear();
  options.files = {(dir / "missing.h5").string()};
  std::ostringstream missing;
  EXPECT_EQ(report_command(options, missing), 1);
  EXPECT_FALSE(fs::exists(options.output));
  // No ECharts where it was asked for: exit 2.
  options.files = {results("baseline")};
  options.echarts = (dir / "none.js").string();
  std::ostringstream no_echarts;
  EXPECT_EQ(report_command(options, no_echarts), 2);
  EXPECT_NE(no_echarts.str().find("ECharts"), std::string::npos);
  EXPECT_FALSE(fs::exists(options.output));
}

// The results and the geometry are read and checked before ECharts is looked for: a damaged
// or invalid input is reported as such on a machine without ECharts, not hidden behind it.
TEST(ReportCommand, InputErrorsComeBeforeTheMissingECharts) {
  TempDir dir;
  ReportOptions options;
  options.echarts = (dir / "none.js").string();
  options.output = (dir / "report.html").string();
  options.files = {(dir / "missing.h5").string()};
  std::ostringstream missing;
  EXPECT_EQ(report_command(options, missing), 1);
  EXPECT_NE(missing.str().find("missing.h5"), std::string::npos) << missing.str();
  EXPECT_EQ(missing.str().find("ECharts"), std::string::npos) << missing.str();
  options.files = {results("baseline")};
  options.geometry = (dir / "zones.geojson").string();
  std::ofstream(options.geometry) << "{ not json";
  std::ostringstream broken;
  EXPECT_EQ(report_command(options, broken), 2);
  EXPECT_NE(broken.str().find("not valid GeoJSON"), std::string::npos) << broken.str();
  EXPECT_EQ(broken.str().find("ECharts"), std::string::npos) << broken.str();
  EXPECT_FALSE(fs::exists(options.output));
}

TEST(ReportHtml, InlinedTextCannotCloseTheScripts) {
  nlohmann::json data = {{"city", "x"}, {"note", "</script><script>alert(1)</script>"}};
  const std::string html = report_html(data, "var a = '</script>';");
  std::size_t closings = 0;
  for (std::size_t at = 0; (at = html.find("</script>", at)) != std::string::npos; ++at) ++closings;
  EXPECT_EQ(closings, 3u);  // data, ECharts and the report's script each close once
  EXPECT_NE(html.find("<\\/script><script>alert(1)<\\/script>"), std::string::npos);
}

}  // namespace
}  // namespace plansim

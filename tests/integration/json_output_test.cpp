// --format json of check, inspect and compare: valid JSON carrying the same facts as the text.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "io/hdf5_reader.h"

namespace plansim::testing {
namespace {

using nlohmann::json;

const std::string kSample =
    " --scale 0.01 --set run.end=2026 --replicates 3 --seed 4 -q --no-summary --threads 1";

TEST(JsonOutput, CheckOfAGoodScenario) {
  const CliResult r = run_plansim("check scenarios/baseline.yaml --format json");
  ASSERT_EQ(r.status, 0) << r.err;
  const json doc = json::parse(r.out);
  EXPECT_EQ(doc["ok"], true);
  EXPECT_TRUE(doc["errors"].empty());
  EXPECT_EQ(doc["run"]["start"], 2020);
  EXPECT_EQ(doc["processes"].front(), "synthesis");
  EXPECT_EQ(doc["files_read"].front(), "scenarios/baseline.yaml");
  // The text form lists the same yearly order.
  const CliResult text = run_plansim("check scenarios/baseline.yaml");
  std::string order;
  for (const auto& p : doc["processes"])
    order += (order.empty() ? "" : " → ") + p.get<std::string>();
  EXPECT_NE(text.out.find(order), std::string::npos) << text.out;
}

TEST(JsonOutput, CheckErrorsCarryTheirLocationsAndStatus2) {
  const std::string bad = "check scenarios/baseline.yaml --set run.ends=3 --set run.scale=20000";
  const CliResult r = run_plansim(bad + " --format json");
  EXPECT_EQ(r.status, 2);
  const json doc = json::parse(r.out);
  EXPECT_EQ(doc["ok"], false);
  ASSERT_EQ(doc["errors"].size(), 2u) << r.out;
  EXPECT_EQ(doc["errors"][0]["file"], "<command line>");
  EXPECT_EQ(doc["errors"][0]["line"], 1);
  EXPECT_EQ(doc["errors"][0]["column"], 54);  // run.ends=3 at 45, its value at 54
  EXPECT_NE(doc["errors"][0]["message"].get<std::string>().find("did you mean 'end'?"),
            std::string::npos);
  // Each error's text is the line the text form prints.
  const CliResult text = run_plansim(bad);
  for (const auto& e : doc["errors"])
    EXPECT_NE(text.err.find(e["text"].get<std::string>()), std::string::npos) << text.err;
  EXPECT_FALSE(doc.contains("run"));
}

TEST(JsonOutput, InspectAndCompareGiveTheFileContents) {
  TempDir dir;
  const auto a = (dir / "a.h5").string(), b = (dir / "b.h5").string();
  ASSERT_EQ(run_plansim("run scenarios/baseline.yaml -o '" + a + "'" + kSample).status, 0);
  ASSERT_EQ(run_plansim("run scenarios/tod.yaml -o '" + b + "'" + kSample).status, 0);

  const CliResult inspect = run_plansim("inspect '" + a + "' --format json");
  ASSERT_EQ(inspect.status, 0) << inspect.err;
  const json file = json::parse(inspect.out);
  const ResultsFile results(a);
  EXPECT_EQ(file["years"].get<std::vector<int>>(), results.years());
  EXPECT_EQ(file["meta"]["seed"], 4);
  EXPECT_EQ(file["meta"]["scenario_name"], "baseline");
  std::vector<std::string> keys;
  for (const auto& s : file["series"]["indicators"]) keys.push_back(s["key"]);
  EXPECT_EQ(keys, results.keys("indicators"));
  const json& first = file["series"]["indicators"][0];
  const ResultsFile::Matrix m = results.indicator(first["key"]);
  double sum = 0;
  for (std::size_t r = 0; r < m.rows; ++r) sum += m.at(r, m.cols - 1);
  EXPECT_DOUBLE_EQ(first["mean_last_year"].get<double>(), sum / static_cast<double>(m.rows));
  EXPECT_EQ(file["zones"].size(), results.zone_labels().size());

  const CliResult compare = run_plansim("compare '" + a + "' '" + b + "' --format json");
  ASSERT_EQ(compare.status, 0) << compare.err;
  const json c = json::parse(compare.out);
  ASSERT_EQ(c["files"].size(), 2u);
  EXPECT_EQ(c["files"][1]["delta_pairing"], "paired");
  EXPECT_EQ(c["years"], json::array({2025}));
  // Δ of a paired comparison: the mean of B − A replicate by replicate = mean(B) − mean(A).
  const ResultsFile other(b);
  for (const auto& indicator : c["indicators"]) {
    const json& base = indicator["values"][0];
    const json& tod = indicator["values"][1];
    ASSERT_EQ(tod["file"], "B");
    if (base["mean"].is_null() || tod["mean"].is_null()) continue;
    EXPECT_NEAR(tod["delta"]["mean"].get<double>(),
                tod["mean"].get<double>() - base["mean"].get<double>(),
                1e-9 * (1 + std::fabs(base["mean"].get<double>())))
        << indicator["key"];
  }
  ASSERT_FALSE(c["targets"].empty());
  for (const auto& target : c["targets"])
    for (const auto& f : target["files"])
      EXPECT_TRUE(f["status"] == "met" || f["status"] == "at risk" || f["status"] == "missed" ||
                  f["status"] == "not simulated")
          << f;
}

}  // namespace
}  // namespace plansim::testing

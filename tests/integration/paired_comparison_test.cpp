// Paired comparison end to end: the baseline and the eldercare-beds scenario with the same
// uncertain assumption (a TFR drawn per replicate) and the same seed share their parameter draws
// and random streams by replicate, so `plansim compare` tests the difference replicate by
// replicate: the beds target moves significantly, a target the beds cannot touch reports no
// significant difference. The answer is the same whatever thread count ran the scenarios.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "cli_runner.h"
#include "io/hdf5_reader.h"

namespace plansim::testing {
namespace {

namespace fs = std::filesystem;

// A scenario of the repository with an uncertain TFR, at a small sample to 2025.
std::string uncertain(const TempDir& dir, const std::string& name) {
  const fs::path file = dir / (name + ".yaml");
  std::ofstream(file) << "scenario: {name: " << name << ", extends: " << PLANSIM_SOURCE_DIR
                      << "/scenarios/" << name << ".yaml}\n"
                      << "run: {end: 2025, scale: 0.02, replicates: 8, seed: 11}\n"
                      << "demography: {fertility: {tfr: {dist: uniform, low: 0.8, high: 1.4}}}\n";
  return file.string();
}

// One CSV line split into fields (quoted fields may hold commas).
std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"' && quoted && i + 1 < line.size() && line[i + 1] == '"') {
      out.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

// The CSV row of `section`/`key` for file `file`, as column name → value.
std::map<std::string, std::string> row(const std::string& csv, const std::string& section,
                                       const std::string& key, const std::string& file) {
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);
  const std::vector<std::string> head = fields(line);
  while (std::getline(lines, line)) {
    const std::vector<std::string> f = fields(line);
    std::map<std::string, std::string> r;
    for (std::size_t i = 0; i < head.size() && i < f.size(); ++i) r[head[i]] = f[i];
    if (r["section"] == section && r["key"] == key && r["file"] == file) return r;
  }
  return {};
}

TEST(PairedComparison, ARealInterventionIsSignificantAndNoEffectIsNot) {
  TempDir dir;
  const std::string a = (dir / "a.h5").string(), b = (dir / "b.h5").string(),
                    b2 = (dir / "b2.h5").string();
  for (const auto& [name, out, threads] :
       {std::tuple<std::string, std::string, int>{"baseline", a, 1},
        {"eldercare_beds", b, 1},
        {"eldercare_beds", b2, 2}}) {
    const CliResult r =
        run_plansim("run '" + uncertain(dir, name) + "' -q --no-summary --threads " +
                    std::to_string(threads) + " -o '" + out + "'");
    ASSERT_EQ(r.status, 0) << r.err;
  }
  // The replicates really differ in their assumption: P(met) of a demographic target is not
  // 0 or 1 by construction, and the TFR drawn is the same in both scenarios.
  EXPECT_EQ(ResultsFile(a).parameter("demography.fertility.tfr"),
            ResultsFile(b).parameter("demography.fertility.tfr"));

  const CliResult c = run_plansim("compare '" + a + "' '" + b + "' --format csv");
  ASSERT_EQ(c.status, 0) << c.err;
  const auto beds = row(c.out, "target", "eldercare_beds_per_1000_elderly", b);
  ASSERT_FALSE(beds.empty()) << c.out;
  EXPECT_EQ(beds.at("delta_pairing"), "paired");
  EXPECT_EQ(beds.at("difference").rfind("significant", 0), 0u) << c.out;
  EXPECT_GT(std::stod(beds.at("delta_low")), 0.0);  // more beds per 1,000 elderly, for sure
  EXPECT_LT(std::stod(beds.at("delta_p_value")), 0.001);
  // Life expectancy: the beds leave mortality alone, replicate by replicate.
  const auto life = row(c.out, "target", "life_expectancy", b);
  ASSERT_FALSE(life.empty()) << c.out;
  EXPECT_EQ(life.at("difference"), "no significant difference") << c.out;

  // The terminal table says it in words.
  const CliResult t = run_plansim("compare '" + a + "' '" + b + "' --view full");
  ASSERT_EQ(t.status, 0) << t.err;
  EXPECT_NE(t.out.find("no significant difference"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("significant (value"), std::string::npos) << t.out;

  // The same comparison with the policy run at 2 threads: the same bytes.
  const CliResult c2 = run_plansim("compare '" + a + "' '" + b2 + "' --format csv");
  ASSERT_EQ(c2.status, 0) << c2.err;
  std::string expected = c.out;
  for (std::size_t at = expected.find(b); at != std::string::npos; at = expected.find(b, at + 1))
    expected.replace(at, b.size(), b2);
  EXPECT_EQ(c2.out, expected);
}

// The shipped ranges (the baseline's own distributions and posterior, no extra one): a scenario
// that differs only in a parameter with no effect on any target — the share of dependent elderly
// seeking a bed, which lengthens the waiting list (it acts: that difference is significant) but
// moves no scored quantity (beds per 1,000 elderly count the supply) — reports no significant
// difference for every target, although the replicates differ widely in their assumptions; and a
// scenario that fixes the TFR path (the most common override) keeps every other draw of the
// baseline replicate by replicate, so its comparison stays paired.
TEST(PairedComparison, TheShippedRangesStayPairedAndAParameterWithoutEffectIsNoDifference) {
  TempDir dir;
  const std::string run =
      "run scenarios/baseline.yaml --scale 0.02 --set run.end=2025 "
      "--replicates 8 --seed 11 -q --no-summary ";
  const std::string a = (dir / "a.h5").string(), b = (dir / "b.h5").string(),
                    c = (dir / "c.h5").string();
  for (const auto& [extra, out] :
       {std::pair<std::string, std::string>{"", a},
        {"--set eldercare.bed_seeking.full=0.5 --set eldercare.bed_seeking.partial=0.1", b},
        {"--set demography.fertility.tfr=0.9", c}}) {
    const CliResult r = run_plansim(run + extra + " -o '" + out + "'");
    ASSERT_EQ(r.status, 0) << r.err;
  }
  const ResultsFile base(a), low_fertility(c);
  // The replicates differ in their assumptions.
  const auto demand = base.parameter("economy.external_demand_growth.tech_services");
  EXPECT_GT(*std::max_element(demand.begin(), demand.end()) -
                *std::min_element(demand.begin(), demand.end()),
            0.02);
  // Fixing the TFR path leaves every other draw, city or scenario, as it was.
  const std::vector<std::string> keys = base.keys("parameters");
  std::size_t compared = 0;
  for (const std::string& key : keys) {
    if (key.rfind("demography.fertility.tfr", 0) == 0) continue;
    EXPECT_EQ(base.parameter(key), low_fertility.parameter(key)) << key;
    ++compared;
  }
  EXPECT_GT(compared, 35u);

  const CliResult cmp = run_plansim("compare '" + a + "' '" + b + "' --format csv");
  ASSERT_EQ(cmp.status, 0) << cmp.err;
  std::istringstream lines(cmp.out);
  std::string line;
  std::getline(lines, line);
  const std::vector<std::string> head = fields(line);
  std::size_t targets = 0;
  while (std::getline(lines, line)) {
    const std::vector<std::string> f = fields(line);
    std::map<std::string, std::string> r;
    for (std::size_t i = 0; i < head.size() && i < f.size(); ++i) r[head[i]] = f[i];
    if (r["file"] != b || r["difference"].empty()) continue;
    if (r["section"] == "target") {
      ++targets;
      EXPECT_EQ(r["difference"], "no significant difference") << r["key"];
      EXPECT_EQ(r["delta_pairing"], "paired") << r["key"];
    }
  }
  EXPECT_GE(targets, 15u) << cmp.out;
  const auto waiting = row(cmp.out, "indicator", "eldercare_waiting", b);
  ASSERT_FALSE(waiting.empty()) << cmp.out;
  EXPECT_EQ(waiting.at("difference"), "significant") << cmp.out;
}

}  // namespace
}  // namespace plansim::testing

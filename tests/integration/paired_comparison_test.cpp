// Paired comparison end to end: the baseline and the eldercare-beds scenario with the same
// uncertain assumption (a TFR drawn per replicate) and the same seed share their parameter draws
// and random streams by replicate, so `plansim compare` tests the difference replicate by
// replicate: the beds target moves significantly, a target the beds cannot touch reports no
// significant difference. The answer is the same whatever thread count ran the scenarios.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace plansim::testing

// `# A:` comments: which key each belongs to (trailing, block, continuation lines, what ends a
// block), and which of them a run used (read values only; a scenario's value replaces the
// configuration's assumption and says so).
#include "io/assumptions.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace plansim {
namespace {
namespace fs = std::filesystem;

TEST(AssumptionComments, TrailingBlockAndContinuation) {
  const std::string yaml =
      "# A: a file header is no key's assumption\n"
      "\n"
      "rates:\n"
      "  in_per_1000: 50    # A: assumption — gross in-migration\n"
      "  out_per_1000: 40   # F: a fact, not an assumption\n"
      "  # A: assumption — the first line of a block\n"
      "  #   and its continuation\n"
      "  improvement: 0.015\n"
      "  # F: a fact block\n"
      "  label: \"# A: inside quotes is text\"\n"
      "  # A: assumption — ended by a blank line\n"
      "\n"
      "  loose: 1\n"
      "  # A: a block before a list\n"
      "  shares: [0.9, 0.96]\n"
      "  # A: first\n"
      "  # F: another tag ends the block\n"
      "  tagged: 2\n";
  const std::map<int, std::string> comments = assumption_comments(yaml);
  ASSERT_EQ(comments.count(4), 1u);
  EXPECT_EQ(comments.at(4), "gross in-migration");
  EXPECT_EQ(comments.count(5), 0u);
  ASSERT_EQ(comments.count(8), 1u);
  EXPECT_EQ(comments.at(8), "the first line of a block and its continuation");
  EXPECT_EQ(comments.count(10), 0u);  // '#' inside a quoted string
  EXPECT_EQ(comments.count(13), 0u);  // a blank line separates it from its block
  ASSERT_EQ(comments.count(15), 1u);
  EXPECT_EQ(comments.at(15), "a block before a list");
  EXPECT_EQ(comments.count(18), 0u);
  EXPECT_EQ(comments.count(3), 0u);  // the header stands apart
  EXPECT_EQ(comments.size(), 3u);
}

class TempTree {
 public:
  TempTree() {
    std::string pattern = (fs::temp_directory_path() / "plansim-assumptions-XXXXXX").string();
    root_ = mkdtemp(pattern.data());
    fs::create_directories(root_ / "city");
  }
  ~TempTree() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(root_ / name) << text;
  }
  std::string path(const std::string& name) const { return (root_ / name).string(); }

 private:
  fs::path root_;
};

TEST(UsedAssumptions, ReadValuesOnlyAndScenarioValuesReplaceThem) {
  TempTree tree;
  tree.write("city/demo.yaml",
             "migration:\n"
             "  in_per_1000: 50     # A: assumption — gross in-migration\n"
             "  out_per_1000: 40    # A: assumption — gross out-migration\n"
             "  unused: 3           # A: assumption — nobody reads this\n"
             "  # A: assumption — a list\n"
             "  shares: [0.5, 0.5]\n");
  tree.write("scenario.yaml",
             "scenario: {name: t}\n"
             "city: city\n"
             "demo:\n"
             "  migration:\n"
             "    out_per_1000: 45   # A: assumption — the scenario's own reason\n");
  Diagnostics diags;
  LoadedScenario loaded =
      load_scenario(tree.path("scenario.yaml"), {"demo.migration.in_per_1000=60"}, diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  // A process reads the city's block and the scenario's overrides.
  const ParamNode* city = loaded.city.find("demo")->find("migration");
  city->find("in_per_1000");
  city->find("out_per_1000");
  city->find("shares");
  const ParamNode* scenario = loaded.scenario.find("demo")->find("migration");
  scenario->find("in_per_1000");
  scenario->find("out_per_1000");

  const std::vector<AssumptionRecord> used = used_assumptions(loaded);
  ASSERT_EQ(used.size(), 3u) << [&] {
    std::string all;
    for (const auto& a : used) all += a.parameter + " = " + a.value + " @ " + a.location + "\n";
    return all;
  }();
  // The scenario's own assumption, with its own rationale.
  EXPECT_EQ(used[0].parameter, "demo.migration.out_per_1000");
  EXPECT_EQ(used[0].value, "45");
  EXPECT_EQ(used[0].rationale, "the scenario's own reason");
  EXPECT_NE(used[0].location.find("scenario.yaml:5"), std::string::npos) << used[0].location;
  // --set replaced an assumed value: the value used, naming what it replaced.
  EXPECT_EQ(used[1].parameter, "demo.migration.in_per_1000");
  EXPECT_EQ(used[1].value, "60");
  EXPECT_NE(used[1].rationale.find("replacing the assumed 50"), std::string::npos)
      << used[1].rationale;
  EXPECT_NE(used[1].location.find("<command line>"), std::string::npos) << used[1].location;
  // A list covered by a block comment; the unread value is not listed.
  EXPECT_EQ(used[2].parameter, "demo.migration.shares");
  EXPECT_EQ(used[2].value, "[0.5, 0.5]");
  EXPECT_EQ(used[2].rationale, "a list");
}

}  // namespace
}  // namespace plansim

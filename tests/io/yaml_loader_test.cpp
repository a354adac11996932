#include "io/yaml_loader.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>

namespace plansim {
namespace {

std::string fixture(const std::string& name) {
  return std::string(PLANSIM_SOURCE_DIR) + "/tests/io/fixtures/" + name;
}

// Walks "a.b[2].c"-style steps without marking anything as read.
const ParamNode& at(const ParamNode& root,
                    std::initializer_list<std::variant<const char*, int>> steps) {
  const ParamNode* node = &root;
  for (const auto& step : steps) {
    if (std::holds_alternative<int>(step)) {
      const auto index = static_cast<std::size_t>(std::get<int>(step));
      EXPECT_TRUE(node->is_sequence() && index < node->items().size()) << node->path();
      node = &node->items().at(index);
    } else {
      const ParamNode* child = node->peek(std::get<const char*>(step));
      EXPECT_NE(child, nullptr) << node->path() << " has no " << std::get<const char*>(step);
      if (!child) return *node;
      node = child;
    }
  }
  return *node;
}

const ParamNode::Entry& entry(const ParamNode& map, const std::string& key) {
  for (const auto& e : map.entries())
    if (e.key == key) return e;
  ADD_FAILURE() << "no key " << key << " in " << map.path();
  return map.entries().front();
}

TEST(YamlLoader, KeepsLineColumnAndPathOfEveryKeyAndValue) {
  const std::string text =
      "run:\n"
      "  start: 2020\n"
      "interventions:\n"
      "  - {year: 2022, open_stations: {line: \"6\"}}\n"
      "  - year: 2023\n"
      "  - year: 2024\n"
      "    upzone: {zones: [柳湖]}\n";
  Diagnostics diags;
  const ParamNode root = parse_yaml(text, "t.yaml", diags);
  ASSERT_TRUE(diags.empty()) << diags.format();

  const ParamNode& start = at(root, {"run", "start"});
  EXPECT_EQ(start.path(), "run.start");
  EXPECT_EQ(start.text(), "2020");
  EXPECT_EQ(start.loc().str(), "t.yaml:2:10");
  EXPECT_EQ(entry(at(root, {"run"}), "start").key_loc.str(), "t.yaml:2:3");

  const ParamNode& year = at(root, {"interventions", 2, "year"});
  EXPECT_EQ(year.path(), "interventions[2].year");
  EXPECT_EQ(year.loc().str(), "t.yaml:6:11");
  EXPECT_EQ(entry(at(root, {"interventions", 2}), "year").key_loc.str(), "t.yaml:6:5");

  const ParamNode& line = at(root, {"interventions", 0, "open_stations", "line"});
  EXPECT_EQ(line.path(), "interventions[0].open_stations.line");
  EXPECT_EQ(line.loc().str(), "t.yaml:4:40");  // the opening quote

  const ParamNode& zone = at(root, {"interventions", 2, "upzone", "zones", 0});
  EXPECT_EQ(zone.path(), "interventions[2].upzone.zones[0]");
  EXPECT_EQ(zone.text(), "柳湖");
  EXPECT_EQ(zone.loc().str(), "t.yaml:7:22");
  EXPECT_EQ(at(root, {"interventions"}).loc().str(), "t.yaml:4:3");
}

TEST(YamlLoader, Utf8KeysAndValuesWithColumnsInCharacters) {
  const std::string text =
      "名称: 中原区\n"
      "街道: {中原路: 0.6, 须水: 0.4}\n";
  Diagnostics diags;
  const ParamNode root = parse_yaml(text, "t.yaml", diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  EXPECT_EQ(at(root, {"名称"}).text(), "中原区");
  EXPECT_EQ(at(root, {"名称"}).loc().str(), "t.yaml:1:5");
  const ParamNode& xushui = at(root, {"街道", "须水"});
  EXPECT_EQ(xushui.path(), "街道.须水");
  EXPECT_EQ(xushui.text(), "0.4");
  EXPECT_EQ(xushui.loc().str(), "t.yaml:2:20");
  EXPECT_EQ(entry(at(root, {"街道"}), "须水").key_loc.str(), "t.yaml:2:16");
}

TEST(YamlLoader, ByteOrderMarkIsNotAColumn) {
  Diagnostics diags;
  const ParamNode root = parse_yaml("\xEF\xBB\xBF名: 1\n", "t.yaml", diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  EXPECT_EQ(at(root, {"名"}).loc().str(), "t.yaml:1:4");
}

TEST(YamlLoader, QuotedScalarsAreStringsAndPlainOnesKeepTheirRawText) {
  const std::string text =
      "plain: 2035\n"
      "double: \"2035\"\n"
      "single: '7'\n"
      "tagged: !!str 5\n"
      "block: |\n"
      "  line\n"
      "flag: yes\n"
      "ratio: +25%\n";
  Diagnostics diags;
  const ParamNode root = parse_yaml(text, "t.yaml", diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  EXPECT_FALSE(at(root, {"plain"}).quoted());
  EXPECT_TRUE(at(root, {"double"}).quoted());
  EXPECT_TRUE(at(root, {"single"}).quoted());
  EXPECT_TRUE(at(root, {"tagged"}).quoted());
  EXPECT_TRUE(at(root, {"block"}).quoted());
  EXPECT_EQ(at(root, {"block"}).text(), "line\n");
  EXPECT_FALSE(at(root, {"flag"}).quoted());
  EXPECT_EQ(at(root, {"flag"}).text(), "yes");
  EXPECT_EQ(at(root, {"ratio"}).text(), "+25%");

  EXPECT_EQ(root.integer("plain", 0, diags), 2035);
  EXPECT_TRUE(root.boolean("flag", false, diags));
  EXPECT_EQ(root.string("double", "", diags), "2035");
  EXPECT_TRUE(diags.empty()) << diags.format();
  EXPECT_EQ(root.integer("double", 0, diags), 0);
  EXPECT_EQ(diags.format(), "t.yaml:2:9: error: double: expected an integer, got '2035'\n");
}

TEST(YamlLoader, EmptyValuesAndNullsBecomeNullNodesLocatedWhereTheyAreWritten) {
  const std::string text =
      "a:\n"
      "b: ~\n"
      "c: null\n"
      "d: \"null\"\n"
      "e:\n"
      "  - 1\n"
      "  -\n"
      "  - x\n"
      "f:\n";
  Diagnostics diags;
  const ParamNode root = parse_yaml(text, "t.yaml", diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  EXPECT_TRUE(at(root, {"a"}).is_null());
  EXPECT_EQ(at(root, {"a"}).loc().str(), "t.yaml:1:1");  // at its key: the next line is not it
  EXPECT_TRUE(at(root, {"b"}).is_null());
  EXPECT_EQ(at(root, {"b"}).loc().str(), "t.yaml:2:4");
  EXPECT_TRUE(at(root, {"c"}).is_null());
  EXPECT_TRUE(at(root, {"d"}).is_scalar());
  EXPECT_EQ(at(root, {"d"}).text(), "null");
  const ParamNode& empty_item = at(root, {"e", 1});
  EXPECT_TRUE(empty_item.is_null());
  EXPECT_EQ(empty_item.path(), "e[1]");
  EXPECT_EQ(empty_item.loc().str(), "t.yaml:7:4");  // just after its dash
  EXPECT_TRUE(at(root, {"f"}).is_null());
  EXPECT_EQ(at(root, {"f"}).loc().str(), "t.yaml:9:1");

  const ParamNode empty = parse_yaml("# only a comment\n", "t.yaml", diags);
  EXPECT_TRUE(empty.is_null());
  EXPECT_EQ(empty.loc().str(), "t.yaml:1:1");
  EXPECT_TRUE(diags.empty());
}

TEST(YamlLoader, UnclosedBracketIsReportedAtYamlCppsMark) {
  Diagnostics diags;
  // yaml-cpp gives up at the colon of "b:", which cannot stand inside the open list.
  const ParamNode root = parse_yaml("a: [1, 2\nb: 3\n", "t.yaml", diags);
  EXPECT_TRUE(root.is_null());
  EXPECT_EQ(diags.format(), "t.yaml:2:2: error: malformed YAML: end of sequence flow not found\n");
}

TEST(YamlLoader, BadIndentationIsReported) {
  Diagnostics diags;
  const ParamNode root = parse_yaml("run:\n  start: 2020\n end: 2035\n", "t.yaml", diags);
  EXPECT_TRUE(root.is_null());
  EXPECT_EQ(diags.format(), "t.yaml:3:2: error: malformed YAML: end of map not found\n");
}

TEST(YamlLoader, EveryDuplicateKeyIsReportedAndTheFirstValueKept) {
  const std::string text =
      "run:\n"
      "  start: 2020\n"
      "  end: 2035\n"
      "  start: 2021\n"
      "run: 1\n";
  Diagnostics diags;
  const ParamNode root = parse_yaml(text, "t.yaml", diags);
  EXPECT_EQ(diags.format(),
            "t.yaml:4:3: error: run.start: duplicate key 'start' (first set at t.yaml:2:3)\n"
            "t.yaml:5:1: error: run: duplicate key 'run' (first set at t.yaml:1:1)\n");
  EXPECT_EQ(at(root, {"run", "start"}).text(), "2020");
  EXPECT_EQ(at(root, {"run"}).entries().size(), 2u);
}

TEST(YamlLoader, NonScalarMapKeysAreReported) {
  const std::string text =
      "? [a, b]\n"
      ": 1\n"
      "ok: 2\n"
      "m:\n"
      "  {x: 1}: 2\n";
  Diagnostics diags;
  const ParamNode root = parse_yaml(text, "t.yaml", diags);
  EXPECT_EQ(diags.format(),
            "t.yaml:1:3: error: a map key must be plain text, got a list\n"
            "t.yaml:5:3: error: m: a map key must be plain text, got a map\n");
  EXPECT_EQ(at(root, {"ok"}).text(), "2");
  EXPECT_TRUE(at(root, {"m"}).entries().empty());
}

TEST(YamlLoader, ASecondDocumentIsReported) {
  Diagnostics diags;
  const ParamNode root = parse_yaml("a: 1\n---\nb: 2\n", "t.yaml", diags);
  EXPECT_EQ(diags.format(),
            "t.yaml:2:1: error: a second YAML document starts here; a file holds one document "
            "(remove the '---' separator)\n");
  EXPECT_EQ(at(root, {"a"}).text(), "1");
}

TEST(YamlLoader, AliasesAreCopiedWithPathsOfTheirOwn) {
  Diagnostics diags;
  const ParamNode root = parse_yaml("a: &shared {b: 1}\nc: *shared\n", "t.yaml", diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  EXPECT_EQ(at(root, {"c", "b"}).path(), "c.b");
  EXPECT_EQ(at(root, {"c", "b"}).loc().str(), "t.yaml:1:16");  // the anchor's value
}

TEST(YamlLoader, LoadsAFileWithItsNameInEveryLocation) {
  Diagnostics diags;
  const std::string path = fixture("yaml/zones_sample.yaml");
  const ParamNode root = load_yaml_file(path, diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  const ParamNode& first = at(root, {"zones", 0, "name_zh"});
  EXPECT_EQ(first.path(), "zones[0].name_zh");
  EXPECT_EQ(first.text(), "中原路");
  EXPECT_EQ(first.loc().str(), path + ":4:14");
  const ParamNode& second = at(root, {"zones", 1, "name_zh"});
  EXPECT_EQ(second.text(), "林山寨");
  EXPECT_EQ(second.loc().str(), path + ":5:33");
}

TEST(YamlLoader, MissingFileIsReportedAtTheFileOrWhereItWasNamed) {
  const std::string missing = fixture("yaml/no_such_file.yaml");
  Diagnostics diags;
  EXPECT_TRUE(load_yaml_file(missing, diags).is_null());
  EXPECT_EQ(diags.format(),
            missing + ":1:1: error: cannot read '" + missing + "': No such file or directory\n");

  Diagnostics referenced;
  load_yaml_file(missing, referenced, SourceLoc{"child.yaml", 2, 30}, "scenario.extends");
  EXPECT_EQ(referenced.format(), "child.yaml:2:30: error: scenario.extends: cannot read '" +
                                     missing + "': No such file or directory\n");

  Diagnostics directory;
  load_yaml_file(fixture("yaml"), directory);
  EXPECT_EQ(directory.format(), fixture("yaml") + ":1:1: error: cannot read '" + fixture("yaml") +
                                    "': Is a directory\n");
}

}  // namespace
}  // namespace plansim

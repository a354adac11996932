#include "io/scenario_loader.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "core/simulation.h"
#include "io/yaml_loader.h"

namespace plansim {
namespace {

std::string fixture(const std::string& name) {
  return std::string(PLANSIM_SOURCE_DIR) + "/tests/io/fixtures/" + name;
}

// Walks keys and list indices without marking anything as read.
const ParamNode& at(const ParamNode& root,
                    std::initializer_list<std::variant<const char*, int>> steps) {
  const ParamNode* node = &root;
  for (const auto& step : steps) {
    if (std::holds_alternative<int>(step)) {
      const auto index = static_cast<std::size_t>(std::get<int>(step));
      if (!node->is_sequence() || index >= node->items().size()) {
        ADD_FAILURE() << "'" << node->path() << "' has no item " << index;
        return *node;
      }
      node = &node->items()[index];
    } else {
      const ParamNode* child = node->peek(std::get<const char*>(step));
      if (!child) {
        ADD_FAILURE() << "'" << node->path() << "' has no key " << std::get<const char*>(step);
        return *node;
      }
      node = child;
    }
  }
  return *node;
}

const ParamNode::Entry& entry(const ParamNode& map, const std::string& key) {
  for (const auto& e : map.entries())
    if (e.key == key) return e;
  ADD_FAILURE() << "no key " << key << " in '" << map.path() << "'";
  return map.entries().front();
}

std::vector<std::string> keys(const ParamNode& map) {
  std::vector<std::string> out;
  for (const auto& e : map.entries()) out.push_back(e.key);
  return out;
}

// ---- extends and merging ----

TEST(ScenarioLoader, ChildIsMergedOverItsParentKeepingTheLocationOfWhatEachSets) {
  const std::string child = fixture("scenarios/child.yaml");
  const std::string base = fixture("scenarios/base.yaml");
  Diagnostics diags;
  const LoadedScenario loaded = load_scenario(child, {}, diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  const ParamNode& s = loaded.scenario;
  EXPECT_EQ(loaded.scenario_path, child);

  // Maps merge key by key, in the parent's order.
  EXPECT_EQ(keys(s), (std::vector<std::string>{"scenario", "city", "run", "processes", "demography",
                                               "interventions"}));
  EXPECT_EQ(keys(at(s, {"run"})),
            (std::vector<std::string>{"start", "end", "replicates", "seed", "scale"}));
  EXPECT_EQ(at(s, {"run", "start"}).loc().str(), base + ":5:10");
  EXPECT_EQ(at(s, {"run", "end"}).text(), "2025");
  EXPECT_EQ(at(s, {"run", "end"}).loc().str(), child + ":4:8");
  EXPECT_EQ(entry(at(s, {"run"}), "end").key_loc.str(), child + ":4:3");
  EXPECT_EQ(at(s, {"run", "seed"}).loc().str(), child + ":5:9");
  EXPECT_EQ(at(s, {"run", "replicates"}).loc().str(), base + ":7:15");
  EXPECT_EQ(at(s, {"run"}).loc().str(), child + ":4:3");
  EXPECT_EQ(entry(s, "run").key_loc.str(), child + ":3:1");
  EXPECT_EQ(at(s, {"scenario", "name"}).text(), "child");
  EXPECT_EQ(at(s, {"scenario", "extends"}).loc().str(), child + ":2:34");

  // Deeper maps merge too; what the child does not say stays the parent's.
  EXPECT_EQ(at(s, {"demography", "fertility", "tfr"}).text(), "1.5");
  EXPECT_EQ(at(s, {"demography", "fertility", "tfr"}).loc().str(), child + ":8:10");
  EXPECT_EQ(at(s, {"demography", "mortality", "improvement_per_year"}).loc().str(),
            base + ":16:27");

  // Lists are replaced whole.
  ASSERT_EQ(at(s, {"interventions"}).items().size(), 1u);
  const ParamNode& zone = at(s, {"interventions", 0, "add_beds", "zone"});
  EXPECT_EQ(zone.text(), "林山寨");
  EXPECT_EQ(zone.path(), "interventions[0].add_beds.zone");
  EXPECT_EQ(zone.loc().str(), child + ":10:35");

  // The parent's {csv: ...} is read relative to the parent.
  const ParamNode& asfr = at(s, {"demography", "fertility", "asfr"});
  ASSERT_TRUE(asfr.is_sequence());
  ASSERT_EQ(asfr.items().size(), 2u);
  const ParamNode& rate = at(asfr, {1, "rate"});
  EXPECT_EQ(rate.text(), "0.052");
  EXPECT_EQ(rate.path(), "demography.fertility.asfr[1].rate");
  EXPECT_EQ(rate.loc().str(), fixture("scenarios/fertility.csv") + ":4:7");

  EXPECT_EQ(loaded.files_read,
            (std::vector<std::string>{
                child, base, fixture("scenarios/fertility.csv"), fixture("city/population.yaml"),
                fixture("city/tables/age_shape.csv"), fixture("city/zones.yaml")}));
}

TEST(ScenarioLoader, ExtendsChainsMergeFromTheOldestAncestor) {
  const std::string grandchild = fixture("scenarios/grandchild.yaml");
  Diagnostics diags;
  const LoadedScenario loaded = load_scenario(grandchild, {}, diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  const ParamNode& run = at(loaded.scenario, {"run"});
  EXPECT_EQ(at(run, {"start"}).text(), "2020");  // base
  EXPECT_EQ(at(run, {"end"}).text(), "2025");    // child
  EXPECT_EQ(at(run, {"replicates"}).text(), "5");
  EXPECT_EQ(at(run, {"replicates"}).loc().str(), grandchild + ":5:19");
  EXPECT_EQ(at(loaded.scenario, {"scenario", "name"}).text(), "grandchild");
  ASSERT_GE(loaded.files_read.size(), 3u);
  EXPECT_EQ(loaded.files_read[0], grandchild);
  EXPECT_EQ(loaded.files_read[1], fixture("scenarios/child.yaml"));
  EXPECT_EQ(loaded.files_read[2], fixture("scenarios/base.yaml"));
}

TEST(ScenarioLoader, MergeOverMergesMapsAndReplacesEverythingElse) {
  Diagnostics diags;
  ParamNode base = parse_yaml("a: {x: 1, y: [1, 2]}\nb: 1\nd: {k: v}\n", "b.yaml", diags);
  ParamNode over = parse_yaml("a: {y: [3]}\nc: 2\nd: 5\n", "o.yaml", diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  merge_over(base, std::move(over));
  EXPECT_EQ(keys(base), (std::vector<std::string>{"a", "b", "d", "c"}));
  EXPECT_EQ(at(base, {"a", "x"}).loc().str(), "b.yaml:1:8");
  ASSERT_EQ(at(base, {"a", "y"}).items().size(), 1u);
  EXPECT_EQ(at(base, {"a", "y", 0}).loc().str(), "o.yaml:1:9");
  EXPECT_EQ(at(base, {"a"}).loc().str(), "o.yaml:1:4");
  EXPECT_EQ(entry(base, "a").key_loc.str(), "o.yaml:1:1");
  EXPECT_EQ(at(base, {"b"}).loc().str(), "b.yaml:2:4");
  EXPECT_TRUE(at(base, {"d"}).is_scalar());  // a scalar replaces a map whole
  EXPECT_EQ(at(base, {"d"}).loc().str(), "o.yaml:3:4");
}

// A distribution is one value: a child's replaces the parent's whole, never key by key (a
// uniform over a normal keeps no `mean`).
TEST(ScenarioLoader, MergeOverReplacesADistributionWhole) {
  Diagnostics diags;
  ParamNode base =
      parse_yaml("a: {dist: normal, mean: 1, sd: 0.1}\nb: {dist: uniform, low: 0, high: 1}\n",
                 "b.yaml", diags);
  ParamNode over =
      parse_yaml("a: {dist: uniform, low: 0.5, high: 1.5}\nb: {low: 0.2}\n", "o.yaml", diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  merge_over(base, std::move(over));
  EXPECT_EQ(keys(at(base, {"a"})), (std::vector<std::string>{"dist", "low", "high"}));
  EXPECT_EQ(keys(at(base, {"b"})), (std::vector<std::string>{"low"}));
}

// ---- the city folder and CSV tables ----

TEST(ScenarioLoader, CityFilesAreKeyedByStemInNameOrderWithTheirTables) {
  Diagnostics diags;
  const LoadedScenario loaded = load_scenario(fixture("scenarios/base.yaml"), {}, diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  EXPECT_EQ(loaded.city_dir, fixture("city"));
  EXPECT_EQ(keys(loaded.city), (std::vector<std::string>{"population", "zones"}));  // no notes.txt

  const ParamNode& zones = at(loaded.city, {"zones"});
  const ParamNode& xushui = at(zones, {"zones", 1, "name_zh"});
  EXPECT_EQ(xushui.text(), "须水");
  EXPECT_EQ(xushui.path(), "zones[1].name_zh");
  EXPECT_EQ(xushui.loc().str(), fixture("city/zones.yaml") + ":4:28");

  const ParamNode& shape = at(loaded.city, {"population", "age_shape"});
  ASSERT_TRUE(shape.is_sequence());
  ASSERT_EQ(shape.items().size(), 2u);
  EXPECT_EQ(at(shape, {0, "note"}).text(), "young, by 5-year group");
  const ParamNode& quoted = at(shape, {1, "note"});
  EXPECT_EQ(quoted.text(), "a \"quoted\" word");
  EXPECT_EQ(quoted.path(), "age_shape[1].note");
  EXPECT_EQ(quoted.loc().str(), fixture("city/tables/age_shape.csv") + ":4:17");
  Diagnostics reading;
  EXPECT_DOUBLE_EQ(at(shape, {0, "male"}).as_number(reading).value_or(0), 0.031);
  EXPECT_TRUE(reading.empty());
}

TEST(ScenarioLoader, CityCanBeChosenOnTheCommandLine) {
  Diagnostics diags;
  const LoadedScenario loaded =
      load_scenario(fixture("scenarios/missing_city.yaml"), {"city=" + fixture("city")}, diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  EXPECT_EQ(loaded.city_dir, fixture("city"));
  EXPECT_EQ(keys(loaded.city), (std::vector<std::string>{"population", "zones"}));
}

// ---- --set overrides ----

TEST(ScenarioLoader, SetOverridesNestedPathsAndListItemsAtTheirCommandLineLocation) {
  const std::vector<std::string> overrides = {
      "run.seed=7",
      "demography.fertility.tfr=1.5",
      "interventions[0].year=2024",
      "interventions[3]={year: 2030, add_beds: {zone: 须水, beds: 100}}",
      "new_block.a.b=[1, 2]",
      "run.label=\"7\"",
      "zone_names.中原=中原区",
      "run.seed=8",
      "demography.mortality={improvement_per_year: 0}",
  };
  Diagnostics diags;
  const LoadedScenario loaded = load_scenario(fixture("scenarios/base.yaml"), overrides, diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  const ParamNode& s = loaded.scenario;

  // Later overrides win; the location is the last --set that said it.
  EXPECT_EQ(at(s, {"run", "seed"}).text(), "8");
  EXPECT_EQ(at(s, {"run", "seed"}).loc().str(), "<command line>:8:10");
  EXPECT_EQ(entry(at(s, {"run"}), "seed").key_loc.str(), "<command line>:8:10");
  EXPECT_EQ(at(s, {"run", "start"}).text(), "2020");

  const ParamNode& tfr = at(s, {"demography", "fertility", "tfr"});
  EXPECT_EQ(tfr.text(), "1.5");
  EXPECT_FALSE(tfr.quoted());
  EXPECT_EQ(tfr.path(), "demography.fertility.tfr");
  EXPECT_EQ(tfr.loc().str(), "<command line>:2:26");
  EXPECT_TRUE(at(s, {"demography", "fertility", "asfr"}).is_sequence());

  // A list item changes in place; [size] appends one.
  const ParamNode& interventions = at(s, {"interventions"});
  ASSERT_EQ(interventions.items().size(), 4u);
  EXPECT_EQ(at(interventions, {0, "year"}).text(), "2024");
  EXPECT_EQ(at(interventions, {0, "year"}).loc().str(), "<command line>:3:23");
  EXPECT_TRUE(at(interventions, {0, "open_stations"}).is_map());
  const ParamNode& zone = at(interventions, {3, "add_beds", "zone"});
  EXPECT_EQ(zone.text(), "须水");
  EXPECT_EQ(zone.path(), "interventions[3].add_beds.zone");
  EXPECT_EQ(zone.loc().str(), "<command line>:4:48");

  // Missing intermediate maps are created; the value is YAML.
  const ParamNode& b = at(s, {"new_block", "a", "b"});
  ASSERT_TRUE(b.is_sequence());
  ASSERT_EQ(b.items().size(), 2u);
  EXPECT_EQ(b.items()[1].text(), "2");
  EXPECT_EQ(b.items()[1].path(), "new_block.a.b[1]");
  EXPECT_EQ(b.items()[1].loc().str(), "<command line>:5:19");
  EXPECT_EQ(entry(s, "new_block").key_loc.str(), "<command line>:5:15");

  EXPECT_TRUE(at(s, {"run", "label"}).quoted());
  EXPECT_EQ(at(s, {"run", "label"}).text(), "7");

  const ParamNode& name = at(s, {"zone_names", "中原"});
  EXPECT_EQ(name.text(), "中原区");
  EXPECT_EQ(name.path(), "zone_names.中原");
  EXPECT_EQ(name.loc().str(), "<command line>:7:15");  // columns count characters

  // A map given with --set replaces the map whole.
  EXPECT_EQ(keys(at(s, {"demography", "mortality"})),
            std::vector<std::string>{"improvement_per_year"});
}

TEST(ScenarioLoader, EveryMalformedSetIsReportedAtItsCommandLineLocationAndChangesNothing) {
  const std::vector<std::string> overrides = {
      "run.seed",     "=7",       "interventions[x].year=1", "interventions[7].year=1",
      "run.seed.x=1", "run[0]=1", "run.seed=[1, 2",          "scenario.extends=other.yaml",
      "a..b=1",
  };
  Diagnostics diags;
  const LoadedScenario loaded = load_scenario(fixture("scenarios/base.yaml"), overrides, diags);
  EXPECT_EQ(diags.format(),
            "<command line>:1:1: error: --set 'run.seed': expected key=value (e.g. run.seed=7)\n"
            "<command line>:2:2: error: --set '=7': the key before '=' is empty\n"
            "<command line>:3:23: error: interventions[x].year: bad list index '[x]' (expected a "
            "number such as [0])\n"
            "<command line>:4:23: error: interventions[7].year: index 7 is out of range: "
            "'interventions' has 3 items ([3] appends one)\n"
            "<command line>:5:12: error: run.seed.x: 'run.seed' is a scalar ('20211116'), not a "
            "map\n"
            "<command line>:6:8: error: run[0]: 'run' is a map, not a list\n"
            "<command line>:7:15: error: run.seed: malformed YAML: end of sequence flow not found\n"
            "<command line>:8:18: error: scenario.extends: cannot be set with --set: extends is "
            "resolved before overrides apply; write it in the scenario file\n"
            "<command line>:9:6: error: a..b: empty name in the key (check the dots)\n");
  EXPECT_EQ(at(loaded.scenario, {"run", "seed"}).text(), "20211116");
  EXPECT_EQ(at(loaded.scenario, {"interventions"}).items().size(), 3u);
  EXPECT_EQ(loaded.scenario.peek("a"), nullptr);
}

// ---- errors in files, at their locations ----

TEST(ScenarioLoader, MissingScenarioFileIsReportedAtItsFirstLine) {
  const std::string missing = fixture("scenarios/no_such_scenario.yaml");
  Diagnostics diags;
  const LoadedScenario loaded = load_scenario(missing, {}, diags);
  EXPECT_EQ(diags.format(),
            missing + ":1:1: error: cannot read '" + missing + "': No such file or directory\n");
  EXPECT_TRUE(loaded.scenario.is_map());
  EXPECT_TRUE(loaded.files_read.empty());
}

TEST(ScenarioLoader, MissingExtendsTargetIsReportedAtTheExtendsValue) {
  const std::string orphan = fixture("scenarios/missing_parent.yaml");
  Diagnostics diags;
  load_scenario(orphan, {}, diags);
  EXPECT_EQ(diags.format(), orphan + ":2:35: error: scenario.extends: cannot read '" +
                                fixture("scenarios/no_such_parent.yaml") +
                                "': No such file or directory\n");
}

TEST(ScenarioLoader, ExtendsCycleIsReportedAtTheExtendsThatClosesIt) {
  const std::string a = fixture("scenarios/cycle_a.yaml");
  const std::string b = fixture("scenarios/cycle_b.yaml");
  Diagnostics diags;
  const LoadedScenario loaded = load_scenario(a, {}, diags);
  EXPECT_EQ(diags.format(), b + ":2:30: error: scenario.extends: cycle of extends: " + a + " -> " +
                                b + " -> " + a + "\n");
  EXPECT_EQ(loaded.files_read, (std::vector<std::string>{a, b}));
  EXPECT_EQ(at(loaded.scenario, {"scenario", "name"}).text(), "a");
}

TEST(ScenarioLoader, MissingCityDirectoryIsReportedAtTheCityValue) {
  const std::string scenario = fixture("scenarios/missing_city.yaml");
  Diagnostics diags;
  const LoadedScenario loaded = load_scenario(scenario, {}, diags);
  EXPECT_EQ(diags.format(), scenario + ":3:7: error: city: cannot read directory '" +
                                fixture("no_such_city") + "': No such file or directory\n");
  EXPECT_TRUE(loaded.city.entries().empty());
  EXPECT_EQ(loaded.city_dir, "");
}

TEST(ScenarioLoader, MissingCsvFileIsReportedAtTheCsvValue) {
  const std::string scenario = fixture("scenarios/missing_csv.yaml");
  Diagnostics diags;
  const LoadedScenario loaded = load_scenario(scenario, {}, diags);
  EXPECT_EQ(diags.format(), scenario +
                                ":4:17: error: demography.fertility.asfr: cannot read CSV "
                                "file '" +
                                fixture("scenarios/no_such_table.csv") +
                                "': No such file or directory\n");
  EXPECT_TRUE(at(loaded.scenario, {"demography", "fertility", "asfr"}).is_sequence());
}

TEST(ScenarioLoader, MalformedScenarioFileIsReportedInThatFile) {
  const std::string scenario = fixture("scenarios/malformed.yaml");
  Diagnostics diags;
  const LoadedScenario loaded = load_scenario(scenario, {}, diags);
  // yaml-cpp gives up at the colon of "processes:", which cannot stand inside the open map.
  EXPECT_EQ(diags.format(), scenario + ":3:10: error: malformed YAML: end of map flow not found\n");
  EXPECT_TRUE(loaded.scenario.is_map());
}

// ---- locations survive loading and merging: what readers report ----

TEST(ScenarioLoader, WrongTypesAndRangesAreReportedWhereEachFileOrOverrideSetThem) {
  const std::string parent = fixture("scenarios/typo_parent.yaml");
  const std::string child = fixture("scenarios/typo_child.yaml");
  Diagnostics diags;
  const LoadedScenario loaded = load_scenario(child, {"run.end=2019"}, diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  read_run_settings(loaded.scenario, diags);
  EXPECT_EQ(diags.format(),
            child + ":5:10: error: run.scale: 20000 is out of range (must be [1e-06, 10000])\n" +
                parent + ":6:15: error: run.replicates: expected an integer, got 'many'\n" +
                "<command line>:1:9: error: run.end: 2019 is before run.start (2020)\n");
}

TEST(ScenarioLoader, UnknownKeysAreReportedInTheFileOrOverrideThatSetThem) {
  const std::string parent = fixture("scenarios/typo_parent.yaml");
  const std::string child = fixture("scenarios/typo_child.yaml");
  Diagnostics diags;
  const LoadedScenario loaded = load_scenario(child, {"run.thread=4"}, diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  Diagnostics values;  // type and range errors are the previous test's business
  read_run_settings(loaded.scenario, values);
  loaded.scenario.find("scenario")->mark_all_used();
  loaded.scenario.report_unused(diags);
  EXPECT_EQ(diags.format(),
            child + ":4:3: error: run.sede: unknown key 'sede' in 'run' (did you mean 'seed'?)\n" +
                parent +
                ":7:3: error: run.scael: unknown key 'scael' in 'run' (did you mean "
                "'scale'?)\n" +
                "<command line>:1:12: error: run.thread: unknown key 'thread' in 'run'\n");
}

TEST(ScenarioLoader, StartDateGivesThePartialFirstYear) {
  const std::string base = fixture("scenarios/base.yaml");
  Diagnostics diags;
  const LoadedScenario census = load_scenario(base, {"run.start_date=2020-11-01"}, diags);
  const RunSettings run = read_run_settings(census.scenario, diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  EXPECT_EQ(run.start_day_of_year, 305);
  EXPECT_DOUBLE_EQ(run.year_fraction(2020), 61.0 / 366.0);
  const LoadedScenario bad =
      load_scenario(base, {"run.start_date=2020-13-01", "run.start_date=2021-03-01"}, diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  read_run_settings(bad.scenario, diags);  // the later --set wins
  EXPECT_EQ(diags.format(),
            "<command line>:2:16: error: run.start_date: 2021-03-01 is not in run.start (2020)\n");
  for (const char* text : {"run.start_date=2020-02-30", "run.start_date=November"}) {
    Diagnostics d;
    const LoadedScenario s = load_scenario(base, {text}, d);
    read_run_settings(s.scenario, d);
    EXPECT_NE(d.format().find("<command line>:1:16: error: run.start_date: "), std::string::npos)
        << d.format();
  }
}

}  // namespace
}  // namespace plansim

// Nothing is presented as a lever that the lever catalogue (docs/levers.yaml) does not run: every
// key a scenario file or a sweep sets, and every `--set key=value` example of the documentation,
// is a catalogued lever or a part of one (a knot of a trajectory, a sector of a by-sector rate, an
// intervention's action). Run settings (`run.*`) and the scenario's own bookkeeping (`scenario`,
// `city`, `processes`) are not levers.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "io/yaml_loader.h"

namespace plansim {
namespace {

namespace fs = std::filesystem;
const std::string kSource = PLANSIM_SOURCE_DIR;

std::set<std::string> catalogue_keys() {
  Diagnostics d;
  const ParamNode root = load_yaml_file(kSource + "/docs/levers.yaml", d);
  EXPECT_TRUE(d.empty()) << d.format();
  std::set<std::string> keys;
  if (const ParamNode* list = root.peek("levers"))
    for (const ParamNode& item : list->items())
      if (const ParamNode* key = item.peek("key")) keys.insert(key->text());
  return keys;
}

// `path` is a catalogued key or lies under one ("demography.fertility.tfr.2022" under
// "demography.fertility.tfr").
bool is_lever(const std::set<std::string>& levers, const std::string& path) {
  for (const std::string& k : levers)
    if (path == k || path.rfind(k + ".", 0) == 0) return true;
  return false;
}

bool is_setting(const std::string& path) {
  return path == "scenario" || path == "city" || path == "processes" ||
         path.rfind("scenario.", 0) == 0 || path == "run" || path.rfind("run.", 0) == 0 ||
         path == "uncertainty" || path.rfind("uncertainty.", 0) == 0;
}

// The dotted paths a scenario tree sets: leaves of maps; a list is one value, except
// policy.interventions, whose items each name their action (policy.<action>).
void collect(const ParamNode& node, const std::string& path, std::vector<std::string>& out) {
  if (path == "policy.interventions" && node.is_sequence()) {
    for (const ParamNode& item : node.items())
      for (const auto& e : item.entries())
        if (e.key != "year" && e.key != "years") out.push_back("policy." + e.key);
    return;
  }
  if (!node.is_map() || node.entries().empty()) {
    out.push_back(path);
    return;
  }
  for (const auto& e : node.entries())
    collect(*e.value, path.empty() ? e.key : path + "." + e.key, out);
}

TEST(LeverDocs, EveryKeyTheScenariosAndSweepsSetIsACataloguedLever) {
  const std::set<std::string> levers = catalogue_keys();
  ASSERT_FALSE(levers.empty());
  std::size_t files = 0;
  for (const char* folder : {"scenarios", "sweeps"})
    for (const auto& entry : fs::directory_iterator(kSource + "/" + folder)) {
      if (entry.path().extension() != ".yaml") continue;
      ++files;
      Diagnostics d;
      const ParamNode root = load_yaml_file(entry.path().string(), d);
      ASSERT_TRUE(d.empty()) << d.format();
      std::vector<std::string> paths;
      if (const ParamNode* sweep = root.peek("sweep")) {
        for (const char* part : {"grid", "set"})
          if (const ParamNode* m = sweep->peek(part))
            for (const auto& e : m->entries()) paths.push_back(e.key);
      } else {
        collect(root, "", paths);
      }
      for (const std::string& path : paths) {
        if (is_setting(path)) continue;
        EXPECT_TRUE(is_lever(levers, path))
            << entry.path().filename().string() << " sets " << path
            << ", which docs/levers.yaml does not catalogue (add it there, or do not present it)";
      }
    }
  EXPECT_GE(files, 5u);
}

TEST(LeverDocs, EverySetExampleOfTheDocumentationIsACataloguedLever) {
  const std::set<std::string> levers = catalogue_keys();
  std::vector<fs::path> docs = {kSource + "/README.md"};
  for (const auto& entry : fs::recursive_directory_iterator(kSource + "/docs"))
    if (entry.path().extension() == ".md") docs.push_back(entry.path());
  for (const auto& entry : fs::recursive_directory_iterator(kSource + "/engine"))
    if (entry.path().extension() == ".md") docs.push_back(entry.path());
  // `--set a.b=...`: dotted keys only (`--set key=value` is the syntax's placeholder).
  const std::regex set_example(R"(--set ([a-z_0-9]+(\.[a-z_0-9]+)+)=)");
  std::size_t examples = 0;
  for (const fs::path& doc : docs) {
    std::ifstream in(doc);
    int number = 0;
    for (std::string line; std::getline(in, line);) {
      ++number;
      for (std::sregex_iterator it(line.begin(), line.end(), set_example), end; it != end; ++it) {
        const std::string key = (*it)[1];
        if (is_setting(key)) continue;
        ++examples;
        EXPECT_TRUE(is_lever(levers, key)) << fs::relative(doc, kSource).string() << ":" << number
                                           << ": --set " << key << " is not a catalogued lever";
      }
    }
  }
  EXPECT_GE(examples, 3u);
}

}  // namespace
}  // namespace plansim

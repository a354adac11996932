// No status decided by construction: every target of the city's targets file is listed under a
// plausible scenario of docs/target_status.yaml, and that scenario gives it a status other than
// the baseline's (one replicate of a small sample; both runs share the seed).
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli/central_scenario.h"
#include "cli/register_builtin.h"
#include "core/simulation.h"
#include "indicators/scorecard.h"
#include "indicators/targets.h"
#include "io/scenario_loader.h"
#include "io/yaml_loader.h"

namespace plansim {
namespace {

const std::string kSource = PLANSIM_SOURCE_DIR;

struct StatusScenario {
  std::string name, why, scenario = "scenarios/baseline.yaml";
  std::vector<std::string> sets, run;
  std::vector<std::string> targets;
};

std::vector<std::string> overrides(const ParamNode* map, const std::string& prefix = "") {
  std::vector<std::string> out;
  if (!map || !map->is_map()) return out;
  for (const auto& e : map->entries()) {
    std::string value = e.value->is_scalar() ? e.value->text() : e.value->to_yaml();
    while (!value.empty() && value.back() == '\n') value.pop_back();
    out.push_back(prefix + e.key + "=" + value);
  }
  return out;
}

std::vector<StatusScenario> load() {
  Diagnostics d;
  const ParamNode root = load_yaml_file(kSource + "/docs/target_status.yaml", d);
  std::vector<StatusScenario> out;
  if (!d.empty()) {
    ADD_FAILURE() << d.format();
    return out;
  }
  const std::vector<std::string> defaults = overrides(root.peek("run"), "run.");
  const ParamNode* list = root.peek("scenarios");
  for (const ParamNode& item : list ? list->items() : std::vector<ParamNode>{}) {
    StatusScenario s;
    s.name = item.peek("name") ? item.peek("name")->text() : "";
    s.why = item.peek("why") ? item.peek("why")->text() : "";
    if (const ParamNode* file = item.peek("scenario")) s.scenario = file->text();
    s.sets = overrides(item.peek("set"));
    s.run = defaults;
    for (const std::string& o : overrides(item.peek("run"), "run.")) s.run.push_back(o);
    if (const ParamNode* targets = item.peek("targets"))
      for (const ParamNode& t : targets->items()) s.targets.push_back(t.text());
    out.push_back(std::move(s));
  }
  return out;
}

const std::vector<StatusScenario>& scenarios() {
  static const std::vector<StatusScenario> all = load();
  return all;
}

// The status of every target in one run of `scenario` with `sets`.
std::map<std::string, TargetStatus> statuses(const std::string& scenario,
                                             const std::vector<std::string>& sets) {
  Diagnostics d;
  Registry registry;
  register_builtin_processes(registry);
  const auto loaded = load_central(kSource + "/" + scenario, sets, registry, d);
  const ParamNode* file = loaded->city.find("targets");
  const Targets targets = file ? read_targets(*file, d) : Targets{};
  const Simulation sim = Simulation::configure(loaded->scenario, loaded->city, registry, d);
  EXPECT_TRUE(d.empty()) << scenario << ":\n" << d.format();
  std::map<std::string, TargetStatus> out;
  if (!d.empty()) return out;
  const Scorecard card = compute_scorecard(targets, {sim.run_replicate(0)}, sim.catalog());
  for (const ScorecardRow& row : card.rows) out[row.target.key] = row.status;
  return out;
}

class TargetStatus_ : public testing::TestWithParam<std::size_t> {};

TEST_P(TargetStatus_, APlausibleScenarioChangesTheStatus) {
  const StatusScenario& s = scenarios().at(GetParam());
  const auto base = statuses("scenarios/baseline.yaml", s.run);
  std::vector<std::string> sets = s.run;
  sets.insert(sets.end(), s.sets.begin(), s.sets.end());
  const auto other = statuses(s.scenario, sets);
  for (const std::string& key : s.targets) {
    ASSERT_TRUE(base.count(key)) << key << " is not a target of the city";
    EXPECT_NE(base.at(key), other.at(key))
        << key << " keeps the status '" << status_name(base.at(key)) << "' under " << s.name << " ("
        << s.why << ")";
  }
}

INSTANTIATE_TEST_SUITE_P(Docs, TargetStatus_, testing::Range<std::size_t>(0, scenarios().size()),
                         [](const testing::TestParamInfo<std::size_t>& info) {
                           return scenarios().at(info.param).name;
                         });

TEST(TargetStatusCatalogue, EveryTargetOfTheCityHasAScenario) {
  Diagnostics d;
  const ParamNode file = load_yaml_file(kSource + "/configs/zhongyuan/targets.yaml", d);
  const Targets targets = read_targets(file, d);
  ASSERT_TRUE(d.empty()) << d.format();
  std::set<std::string> listed;
  for (const StatusScenario& s : scenarios()) {
    EXPECT_FALSE(s.why.empty()) << s.name << ": say why the scenario is plausible";
    listed.insert(s.targets.begin(), s.targets.end());
  }
  for (const Target& t : targets.targets)
    EXPECT_TRUE(listed.count(t.key)) << t.key << " is in no scenario of docs/target_status.yaml";
}

}  // namespace
}  // namespace plansim

// A module outside the engine adds its own person column and runs with the built-in processes: the
// column follows every append and compaction of the year (births, deaths, moves, household
// changes), and nothing of core knows about it.
#include <gtest/gtest.h>

#include <memory>

#include "cli/central_scenario.h"
#include "cli/register_builtin.h"
#include "core/simulation.h"
#include "io/scenario_loader.h"

namespace plansim {
namespace {

// The test module's column: a number derived from the person's id, written by its own process.
const ColumnSpec<std::uint64_t> kTag{"test_tag", 0};
std::uint64_t tag_of(std::uint64_t id) { return id * 7 + 3; }

class TaggingProcess final : public Process {
 public:
  void configure(ConfigureContext&) override {}
  void initialize(StepContext& ctx) override { tag_new_persons(ctx.world.persons); }
  void step(StepContext& ctx) override {
    // Every person tagged before carries its own tag (the column moved with the rows); persons
    // added since (born or arrived this year) carry the column's fill.
    const PersonTable& p = ctx.world.persons;
    const std::vector<std::uint64_t>& tag = p.get(kTag);
    ASSERT_EQ(tag.size(), p.size());
    for (std::size_t i = 0; i < p.size(); ++i) {
      const std::uint64_t expected = p.id[i] <= last_tagged_id_ ? tag_of(p.id[i]) : 0;
      ASSERT_EQ(tag[i], expected) << "person " << p.id[i] << " in " << ctx.year;
    }
    checked_years += 1;
    tag_new_persons(ctx.world.persons);
  }
  int checked_years = 0;
  std::size_t newcomers = 0;

 private:
  void tag_new_persons(PersonTable& p) {
    std::vector<std::uint64_t>& tag = p.add(kTag);  // added once, then the same column
    for (std::size_t i = 0; i < p.size(); ++i)
      if (tag[i] == 0) {
        tag[i] = tag_of(p.id[i]);
        newcomers += checked_years > 0;
      }
    if (p.size() > 0) last_tagged_id_ = p.id.back();  // ids increase with row
  }
  std::uint64_t last_tagged_id_ = 0;
};

TEST(ModuleColumn, APersonColumnOfATestModuleFollowsTheYear) {
  Registry registry;
  register_builtin_processes(registry);
  TaggingProcess* tagger = nullptr;
  registry.add("tagger", 250, "test module with a person column of its own", [&tagger] {
    auto process = std::make_unique<TaggingProcess>();
    tagger = process.get();
    return process;
  });
  Diagnostics diags;
  const auto loaded = load_central(
      std::string(PLANSIM_SOURCE_DIR) + "/scenarios/baseline.yaml",
      {"run.scale=0.01", "run.end=2022",
       "processes=[synthesis, policy, demography, economy, education, eldercare, health, "
       "housing, exogenous, indicators, tagger]"},
      registry, diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  Simulation sim = Simulation::configure(loaded->scenario, loaded->city, registry, diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  ASSERT_NE(tagger, nullptr);
  sim.run_replicate(0);
  EXPECT_EQ(tagger->checked_years, 3);  // 2020, 2021, 2022
  EXPECT_GT(tagger->newcomers, 0u);     // births and immigrants got the fill, then their tag
}

}  // namespace
}  // namespace plansim

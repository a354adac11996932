// The synthesis as the yearly loop runs it: configured from a scenario and city trees,
// initialised once per replicate, recording its fit report and scalars.
#include <gtest/gtest.h>

#include "core/simulation.h"
#include "population/synthesis.h"
#include "synthesis_test_config.h"

namespace plansim {

// The located trees of zones.yaml and population.yaml (synthesis_config_test.cpp).
ParamNode zhongyuan_zones_tree();
ParamNode zhongyuan_population_tree();

namespace {

ParamNode scalar(const std::string& path, const std::string& text) {
  return ParamNode::scalar(text, SourceLoc{"scenario.yaml", 1, 1}, path);
}

TEST(SynthesisProcess, RunsInTheYearlyLoopAndRecordsItsFitReport) {
  Registry registry;
  registry.add("synthesis", 1, "base-year synthetic population",
               [] { return std::make_unique<SynthesisProcess>(); });
  ParamNode scenario(ParamNode::Kind::Map, SourceLoc{"scenario.yaml", 1, 1}, "");
  ParamNode& run = scenario.set("run", {}, ParamNode(ParamNode::Kind::Map, {}, "run"));
  run.set("start", {}, scalar("run.start", "2020"));
  run.set("end", {}, scalar("run.end", "2020"));
  run.set("seed", {}, scalar("run.seed", "5"));
  run.set("scale", {}, scalar("run.scale", "0.01"));
  ParamNode processes(ParamNode::Kind::Sequence, {}, "processes");
  processes.items().push_back(scalar("processes[0]", "synthesis"));
  scenario.set("processes", {}, std::move(processes));
  ParamNode& params =
      scenario.set("synthesis", {}, ParamNode(ParamNode::Kind::Map, {}, "synthesis"));
  ParamNode& ipf = params.set("ipf", {}, ParamNode(ParamNode::Kind::Map, {}, "synthesis.ipf"));
  ipf.set("max_iterations", {}, scalar("synthesis.ipf.max_iterations", "500"));
  ParamNode city(ParamNode::Kind::Map, SourceLoc{"configs/zhongyuan", 0, 0}, "");
  city.set("zones", {}, zhongyuan_zones_tree());
  city.set("population", {}, zhongyuan_population_tree());

  Diagnostics diags;
  const Simulation sim = Simulation::configure(scenario, city, registry, diags);
  ASSERT_TRUE(diags.empty()) << diags.format();  // every key of both city files was read
  const ReplicateResults results = sim.run_replicate(0);
  ASSERT_EQ(results.zone_labels.size(), 14u);
  EXPECT_EQ(results.zone_labels[10].name_en, "Xiliuhu");
  ASSERT_FALSE(results.synthesis_fit.empty());
  EXPECT_EQ(results.synthesis_fit.front().marginal, "population/total");
  EXPECT_DOUBLE_EQ(results.synthesis_fit.front().achieved, 9626.0 / 0.01);
  ASSERT_TRUE(results.scalars.count("synthesis_ipf_iterations"));
  EXPECT_GT(results.scalars.at("synthesis_ipf_iterations"), 2);
  EXPECT_EQ(results.scalars.at("synthesis_leftover_persons"), 0);
  EXPECT_TRUE(results.indicators.empty());  // fit rows are not series
}

}  // namespace
}  // namespace plansim

// The debug build's invariant checks (cmake --preset debug, PLANSIM_DEBUG_CHECKS): after each
// hook of each process the scheduler checks the World's invariants and, after initialize() and
// step(), the process's own, and stops the run at the first broken one. A Release build never
// calls them.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "core/simulation.h"

namespace plansim {
namespace {

// A test-only process: a World of one household of one person, which it breaks in `break_year`
// either in its own invariant or in the World's (a one-sided partner link).
class BrittleProcess final : public Process {
 public:
  enum class Breaks { Nothing, OwnInvariant, World };
  explicit BrittleProcess(Breaks breaks) : breaks_(breaks) {}
  void configure(ConfigureContext&) override {}
  void initialize(StepContext& ctx) override {
    World& w = ctx.world;
    w.zones.push_back(ZoneLabel{});
    const std::uint32_t h = w.households.append(1, 0);
    w.persons.append(1, 40, kFemale, kCollege, h);
    rebuild_members(w);
    broken_ = false;
  }
  void step(StepContext& ctx) override {
    ++steps;
    if (ctx.year != kBreakYear) return;
    if (breaks_ == Breaks::OwnInvariant) broken_ = true;
    if (breaks_ == Breaks::World) ctx.world.persons.partner[0] = 5;  // a row that does not exist
  }
  std::string check_invariants(const World&) const override {
    return broken_ ? "the test process's counter went negative" : "";
  }
  static constexpr int kBreakYear = 2021;
  int steps = 0;

 private:
  Breaks breaks_;
  bool broken_ = false;
};

ParamNode scalar(const std::string& text, const std::string& path) {
  return ParamNode::scalar(text, SourceLoc{"scenario.yaml", 1, 1}, path);
}

ParamNode scenario() {
  const SourceLoc at{"scenario.yaml", 1, 1};
  ParamNode run(ParamNode::Kind::Map, at, "run");
  run.set("start", at, scalar("2020", "run.start"));
  run.set("end", at, scalar("2022", "run.end"));
  ParamNode processes(ParamNode::Kind::Sequence, at, "processes");
  processes.items().push_back(scalar("brittle", "processes[0]"));
  ParamNode root(ParamNode::Kind::Map, at, "");
  root.set("run", at, std::move(run));
  root.set("processes", at, std::move(processes));
  return root;
}

struct Outcome {
  int steps = 0;      // steps the test process ran
  std::string error;  // what the run threw; "" when it finished
};

Outcome run_with(BrittleProcess::Breaks breaks) {
  Registry registry;
  Outcome result;
  BrittleProcess* process = nullptr;
  registry.add("brittle", 251, "test process that breaks an invariant", [&] {
    auto p = std::make_unique<BrittleProcess>(breaks);
    process = p.get();
    return p;
  });
  Diagnostics diags;
  const ParamNode city(ParamNode::Kind::Map, SourceLoc{"city", 1, 1}, "");
  Simulation sim = Simulation::configure(scenario(), city, registry, diags);
  EXPECT_TRUE(diags.empty()) << diags.format();
  try {
    sim.run_replicate(0);
  } catch (const std::logic_error& e) {
    result.error = e.what();
  }
  result.steps = process ? process->steps : -1;
  return result;
}

TEST(DebugChecks, AnIntactRunPasses) {
  const Outcome r = run_with(BrittleProcess::Breaks::Nothing);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.steps, 3);
}

TEST(DebugChecks, ABrokenProcessInvariantStopsTheRunInADebugBuild) {
  const Outcome r = run_with(BrittleProcess::Breaks::OwnInvariant);
  if constexpr (kDebugChecks) {
    EXPECT_EQ(r.error,
              "invariant broken after brittle step in 2021: the test process's counter went "
              "negative");
    EXPECT_EQ(r.steps, 2);  // 2022 never ran
  } else {
    EXPECT_EQ(r.error, "");  // compiled out
    EXPECT_EQ(r.steps, 3);
  }
}

TEST(DebugChecks, ABrokenWorldStopsTheRunInADebugBuild) {
  const Outcome r = run_with(BrittleProcess::Breaks::World);
  if constexpr (kDebugChecks) {
    EXPECT_EQ(r.error,
              "invariant broken after brittle step in 2021: person 1 has a one-sided partner link");
    EXPECT_EQ(r.steps, 2);
  } else {
    EXPECT_EQ(r.error, "");
    EXPECT_EQ(r.steps, 3);
  }
}

}  // namespace
}  // namespace plansim

// What a process needs of the others (ProcessNeeds), checked by Simulation::configure before
// anything runs: data that a listed process reads and no listed process makes is a note of what
// the run leaves out, or an error at the reader's list item when it cannot do without it.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/simulation.h"

namespace plansim {
namespace {

class IdleProcess final : public Process {
 public:
  void configure(ConfigureContext&) override {}
  void step(StepContext&) override {}
};

ParamNode scenario(const std::vector<std::string>& listed) {
  const SourceLoc at{"scenario.yaml", 1, 1};
  const auto scalar = [&](const std::string& text, const std::string& path, int column) {
    return ParamNode::scalar(text, SourceLoc{"scenario.yaml", 3, column}, path);
  };
  ParamNode run(ParamNode::Kind::Map, at, "run");
  run.set("start", at, scalar("2020", "run.start", 1));
  run.set("end", at, scalar("2021", "run.end", 1));
  ParamNode processes(ParamNode::Kind::Sequence, at, "processes");
  for (std::size_t i = 0; i < listed.size(); ++i)
    processes.items().push_back(
        scalar(listed[i], "processes[" + std::to_string(i) + "]", static_cast<int>(13 + 10 * i)));
  ParamNode root(ParamNode::Kind::Map, at, "");
  root.set("run", at, std::move(run));
  root.set("processes", at, std::move(processes));
  return root;
}

// maker makes "tide tables"; reader reads them and does without; needy cannot.
Registry registry() {
  Registry r;
  const auto idle = [] { return std::make_unique<IdleProcess>(); };
  ProcessNeeds maker;
  maker.makes = {"tide tables"};
  r.add("maker", 241, "makes the tide tables", idle, maker);
  ProcessNeeds reader;
  reader.reads = {{"tide tables", "the harbour opens at noon every day"}};
  r.add("reader", 242, "reads them if there are any", idle, reader);
  ProcessNeeds needy;
  needy.reads = {{"tide tables", ""}};
  r.add("needy", 243, "cannot work without them", idle, needy);
  return r;
}

struct Configured {
  std::vector<Diagnostic> notes;
  std::string errors;
};

Configured configure(const std::vector<std::string>& listed) {
  const Registry r = registry();
  Diagnostics diags;
  const ParamNode city(ParamNode::Kind::Map, SourceLoc{"city", 1, 1}, "");
  const Simulation sim = Simulation::configure(scenario(listed), city, r, diags);
  return {sim.notes(), diags.format()};
}

TEST(ProcessNeeds, DataThatAListedProcessMakesIsNoNote) {
  for (const auto& listed : std::vector<std::vector<std::string>>{
           {"maker", "reader"}, {"reader", "maker"}, {"maker", "needy", "reader"}}) {
    const Configured c = configure(listed);
    EXPECT_EQ(c.errors, "");
    EXPECT_TRUE(c.notes.empty()) << c.notes.front().message;
  }
}

TEST(ProcessNeeds, DataNoListedProcessMakesIsANoteOfWhatTheRunLeavesOut) {
  const Configured c = configure({"reader"});
  EXPECT_EQ(c.errors, "");
  ASSERT_EQ(c.notes.size(), 1u);
  EXPECT_EQ(c.notes[0].loc.str(), "scenario.yaml:3:13");
  EXPECT_EQ(c.notes[0].message,
            "processes[0]: reader reads the tide tables that maker makes, which this scenario "
            "does not run: the harbour opens at noon every day");
}

TEST(ProcessNeeds, DataAProcessCannotDoWithoutIsAnErrorAtItsListItem) {
  const Configured c = configure({"reader", "needy"});
  EXPECT_EQ(c.errors,
            "scenario.yaml:3:23: error: processes[1]: needy reads the tide tables that maker "
            "makes; add it to processes:\n");
  ASSERT_EQ(c.notes.size(), 1u);  // and the reader's note
}

}  // namespace
}  // namespace plansim

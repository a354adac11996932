#include "core/params.h"

#include <gtest/gtest.h>

namespace plansim {
namespace {

ParamNode map_with(std::initializer_list<std::pair<const char*, const char*>> kv) {
  ParamNode root(ParamNode::Kind::Map, SourceLoc{"s.yaml", 1, 1}, "run");
  int line = 2;
  for (auto [k, v] : kv) {
    root.set(k, SourceLoc{"s.yaml", line, 3},
             ParamNode::scalar(v, SourceLoc{"s.yaml", line, 10}, std::string("run.") + k));
    ++line;
  }
  return root;
}

TEST(Params, TypedGettersAndRanges) {
  ParamNode run = map_with({{"start", "2020"}, {"scale", "1.5"}, {"seed", "abc"}});
  Diagnostics d;
  EXPECT_EQ(run.integer("start", 0, d, 1900, 2200), 2020);
  EXPECT_EQ(run.number("scale", 1.0, d, 0.0, 1.0), 1.0);  // out of range -> fallback
  EXPECT_EQ(run.integer("seed", 7, d), 7);                // wrong type -> fallback
  EXPECT_EQ(run.integer("absent", 9, d), 9);
  ASSERT_EQ(d.size(), 2u);
  const std::string text = d.format();
  EXPECT_NE(text.find("s.yaml:3:10: error: run.scale: 1.5 is out of range (must be [0, 1])"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("s.yaml:4:10: error: run.seed: expected an integer, got 'abc'"),
            std::string::npos)
      << text;
}

TEST(Params, UnusedKeysGetDidYouMean) {
  ParamNode run = map_with({{"start", "2020"}, {"ned", "2035"}});
  Diagnostics d;
  run.integer("start", 0, d);
  run.integer("end", 0, d);
  run.report_unused(d);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d.format(),
            "s.yaml:3:3: error: run.ned: unknown key 'ned' in 'run' (did you mean 'end'?)\n");
}

TEST(Params, ToYamlRoundTripsStructure) {
  ParamNode root(ParamNode::Kind::Map, SourceLoc{}, "");
  ParamNode& run = root.set("run", {}, ParamNode(ParamNode::Kind::Map, {}, "run"));
  run.set("start", {}, ParamNode::scalar("2020", {}, "run.start"));
  ParamNode list(ParamNode::Kind::Sequence, {}, "processes");
  list.items().push_back(ParamNode::scalar("demography", {}, "processes[0]"));
  root.set("processes", {}, std::move(list));
  EXPECT_EQ(root.to_yaml(), "run:\n  start: 2020\nprocesses: [demography]\n");
}

}  // namespace
}  // namespace plansim

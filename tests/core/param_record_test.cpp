// The describe pass (core/param_record.h): what the getters record, the stand-ins for absent
// keys, and that nothing changes outside a describe pass.
#include "core/param_record.h"

#include <gtest/gtest.h>

#include "core/params.h"
#include "core/trajectory.h"

namespace plansim {
namespace {

// demo.yaml: {rates: {level: 1.5, table: [{age: 3}]}, name: x}
ParamNode demo_file() {
  const SourceLoc at{"demo.yaml", 1, 1};
  ParamNode root(ParamNode::Kind::Map, at, "");
  ParamNode rates(ParamNode::Kind::Map, at, "rates");
  rates.set("level", at, ParamNode::scalar("1.5", at, "rates.level"));
  ParamNode table(ParamNode::Kind::Sequence, at, "rates.table");
  ParamNode row(ParamNode::Kind::Map, at, "rates.table[0]");
  row.set("age", at, ParamNode::scalar("3", at, "rates.table[0].age"));
  table.items().push_back(row);
  rates.set("table", at, table);
  root.set("rates", at, rates);
  root.set("name", at, ParamNode::scalar("x", at, "name"));
  return root;
}

const ParamField& field(const ParamRecorder& r, const std::string& doc, const std::string& path) {
  static const ParamField none;
  auto it = r.fields().find({doc, path});
  return it == r.fields().end() ? none : it->second;
}

TEST(ParamRecord, GettersRecordTypeRangeDefaultAndReader) {
  const ParamNode file = demo_file();
  ParamRecorder recorder;
  recorder.add_document(file, "demo");
  {
    const ParamRecorder::Reader reader("demography", true);
    Diagnostics d;
    const ParamNode* rates = file.find("rates");
    ASSERT_NE(rates, nullptr);
    rates->number("level", 1.0, d, 0.0, 10.0);
    rates->integer("iterations", 200, d, 1, 1000);  // absent: the default is recorded
    for (const ParamNode& row : rates->find("table")->items())
      row.required_integer("age", d, 0, 110);
    file.required_string("name", d);
    EXPECT_TRUE(d.empty());
  }
  const ParamField& level = field(recorder, "demo", "rates.level");
  EXPECT_EQ(level.type, ParamType::kNumber);
  EXPECT_EQ(level.lo, 0.0);
  EXPECT_EQ(level.hi, 10.0);
  EXPECT_EQ(level.fallback, "1");
  EXPECT_FALSE(level.required);
  EXPECT_FALSE(level.by_year);      // read as written, not from a year's tree
  EXPECT_TRUE(level.distribution);  // a process on the realised trees
  EXPECT_EQ(level.readers, std::set<std::string>{"demography"});
  const ParamField& iterations = field(recorder, "demo", "rates.iterations");
  EXPECT_EQ(iterations.type, ParamType::kInteger);
  EXPECT_EQ(iterations.fallback, "200");
  const ParamField& age = field(recorder, "demo", "rates.table[].age");
  EXPECT_EQ(age.type, ParamType::kInteger);
  EXPECT_TRUE(age.required);
  EXPECT_EQ(age.hi, 110.0);
  EXPECT_EQ(field(recorder, "demo", "name").type, ParamType::kString);
}

TEST(ParamRecord, AbsentSectionsAreAskedThroughAStandIn) {
  const ParamNode file = demo_file();
  ParamRecorder recorder;
  recorder.add_document(file, "demo");
  const ParamRecorder::Reader reader("economy", false);
  Diagnostics d;
  const ParamNode* shocks = file.find("shocks");  // absent: an empty map of the recorder's
  ASSERT_NE(shocks, nullptr);
  EXPECT_TRUE(shocks->is_map());
  EXPECT_FALSE(file.has("shocks"));  // has() still says what is there
  shocks->number("size", 0.1, d, -1.0, 1.0);
  const ParamField& size = field(recorder, "demo", "shocks.size");
  EXPECT_EQ(size.type, ParamType::kNumber);
  EXPECT_EQ(size.fallback, "0.1");
  EXPECT_FALSE(size.distribution);  // not a process on the realised trees
  recorder.set_stubs(false);
  EXPECT_EQ(file.find("other"), nullptr);
}

TEST(ParamRecord, AYearsTreeAllowsATrajectory) {
  const ParamNode file = demo_file();
  ParamRecorder recorder;
  recorder.add_document(file, "demo");
  const ParamRecorder::Reader reader("demography", true);
  Diagnostics d;
  const ParamNode year = evaluated_at(file, 2025, d);
  year.find("rates")->number("level", 1.0, d, 0.0, 10.0);
  EXPECT_TRUE(field(recorder, "demo", "rates.level").by_year);
  year.find("rates")->number("absent", 1.0, d, 0.0, 10.0);
  EXPECT_TRUE(field(recorder, "demo", "rates.absent").by_year);
}

TEST(ParamRecord, NothingIsRecordedOrStoodInWithoutAReaderOrARecorder) {
  const ParamNode file = demo_file();
  Diagnostics d;
  EXPECT_EQ(file.find("shocks"), nullptr);  // no recorder: absent is absent
  ParamRecorder recorder;
  recorder.add_document(file, "demo");
  EXPECT_EQ(file.find("shocks"), nullptr);  // no reader named: loading, not reading
  file.find("rates")->number("level", 1.0, d);
  EXPECT_TRUE(recorder.fields().empty());
  {
    const ParamRecorder::Reader reader("demography", true);
    const ParamRecorder::Pause pause;
    file.find("rates")->number("level", 1.0, d);
  }
  EXPECT_TRUE(recorder.fields().empty());
}

TEST(ParamRecord, PathsDropListIndicesAndKnots) {
  EXPECT_EQ(normalised_param_path("zones[3].x_m"), "zones[].x_m");
  bool collapsed = false;
  EXPECT_EQ(normalised_param_path("fertility.tfr.2025", &collapsed), "fertility.tfr");
  EXPECT_TRUE(collapsed);
  EXPECT_EQ(normalised_param_path("quit_rate.step.2024", &collapsed), "quit_rate");
  EXPECT_TRUE(collapsed);
  EXPECT_EQ(normalised_param_path("a[0][1].b", &collapsed), "a[][].b");
  EXPECT_FALSE(collapsed);
}

}  // namespace
}  // namespace plansim

// Trajectories in the parameter layer (core/trajectory.h, core/param_layer.h) as a user writes
// them: YAML values, `--set` knots and whole values, `extends`, the overlay of a scenario block
// over a city file, evaluation year by year, and every class of bad input with its location.
#include <gtest/gtest.h>

#include <string>

#include "core/param_layer.h"
#include "core/trajectory.h"
#include "io/scenario_loader.h"
#include "io/yaml_loader.h"

namespace plansim {
namespace {

ParamNode yaml(const std::string& text, const std::string& file = "s.yaml") {
  Diagnostics d;
  ParamNode n = parse_yaml(text, file, d);
  EXPECT_TRUE(d.empty()) << d.format();
  return n;
}

// The value of `key` (a number or a trajectory) of the map `tree` in `year`, through the overlay.
double value_in(const ParamNode& city, const ParamNode& scenario, const char* key, int year,
                Diagnostics& d) {
  const ParamNode c = evaluated_at(city, year, d);
  const ParamNode s = evaluated_at(scenario, year, d, &city);
  return ParamLayer(&c, &s, d).number(key, -1, 0, 500);
}

TEST(Trajectory, LinearStepAndConstant) {
  const Trajectory t = Trajectory::linear({{2030, 1.0}, {2020, 1.3}, {2022, 1.08}});
  EXPECT_DOUBLE_EQ(t.at(2015), 1.3);  // held before the first year
  EXPECT_DOUBLE_EQ(t.at(2020), 1.3);
  EXPECT_DOUBLE_EQ(t.at(2021), 1.19);
  EXPECT_DOUBLE_EQ(t.at(2022), 1.08);
  EXPECT_DOUBLE_EQ(t.at(2026), 1.04);
  EXPECT_DOUBLE_EQ(t.at(2030), 1.0);
  EXPECT_DOUBLE_EQ(t.at(2040), 1.0);  // held after the last
  const Trajectory s = Trajectory::step({{2020, 0.05}, {2024, 0.03}});
  EXPECT_DOUBLE_EQ(s.at(2019), 0.05);
  EXPECT_DOUBLE_EQ(s.at(2023), 0.05);
  EXPECT_DOUBLE_EQ(s.at(2024), 0.03);
  EXPECT_DOUBLE_EQ(s.at(2050), 0.03);
  EXPECT_DOUBLE_EQ(Trajectory::constant(2.5).at(1990), 2.5);
  EXPECT_TRUE(Trajectory::constant(2.5).is_constant());
  EXPECT_FALSE(t.is_constant());
}

TEST(Trajectory, RecognisedAndRead) {
  const ParamNode root = yaml(
      "a: {2020: 1.3, 2030: 1.0}\nb: {step: {2020: 0.05, 2024: 0.03}}\nc: 2\n"
      "d: {2020: 1, next: 2}\ne: {2020x: 1}\n");
  EXPECT_TRUE(is_trajectory(*root.peek("a")));
  EXPECT_TRUE(is_trajectory(*root.peek("b")));
  EXPECT_FALSE(is_trajectory(*root.peek("c")));
  EXPECT_FALSE(is_trajectory(*root.peek("d")));
  EXPECT_FALSE(is_trajectory(*root.peek("e")));
  Diagnostics d;
  const auto a = read_trajectory(*root.peek("a"), d, 0, 10);
  const auto b = read_trajectory(*root.peek("b"), d, 0, 1);
  const auto c = read_trajectory(*root.peek("c"), d, 0, 10);
  ASSERT_TRUE(a && b && c) << d.format();
  EXPECT_DOUBLE_EQ(a->at(2025), 1.15);
  EXPECT_EQ(b->form(), Trajectory::Form::kStep);
  EXPECT_DOUBLE_EQ(b->at(2025), 0.03);
  EXPECT_DOUBLE_EQ(c->at(2025), 2.0);
  EXPECT_EQ(knot_years({&root}), (std::vector<int>{2020, 2024, 2030}));
}

TEST(Trajectory, EvaluatedTreeHoldsTheYearsValuesAndMarksTheOriginalRead) {
  const ParamNode city = yaml(
      "fertility: {tfr: {2020: 1.3, 2022: 1.08, 2030: 1.0}}\n"
      "migration: {in: {step: {2020: 50, 2024: 30}}, out: 40, typo: 1}\n",
      "city.yaml");
  Diagnostics d;
  const auto read = [&](int year) {
    const ParamNode e = evaluated_at(city, year, d);
    const ParamNode& f = *e.find("fertility");
    const ParamNode& m = *e.find("migration");
    return std::array<double, 3>{f.number("tfr", 0, d, 0, 10), m.number("in", 0, d, 0, 500),
                                 m.number("out", 0, d, 0, 500)};
  };
  EXPECT_EQ(read(2020), (std::array<double, 3>{1.3, 50, 40}));
  EXPECT_EQ(read(2021), (std::array<double, 3>{1.19, 50, 40}));
  EXPECT_EQ(read(2026), (std::array<double, 3>{1.04, 30, 40}));
  EXPECT_EQ(read(2035), (std::array<double, 3>{1.0, 30, 40}));
  ASSERT_TRUE(d.empty()) << d.format();
  // Reading the copies marked the original: only the misspelt key is unknown.
  city.report_unused(d);
  ASSERT_EQ(d.size(), 1u) << d.format();
  EXPECT_NE(d.format().find("city.yaml:2:56: error: migration.typo: unknown key 'typo'"),
            std::string::npos)
      << d.format();
}

TEST(Trajectory, KnotValuesAreCheckedAtTheirLocationInEveryYearTheyReach) {
  const ParamNode city =
      yaml("tfr: {2020: 1.3, 2040: -1}\nrate: {2020: 0.1, 2025: abc}\n", "city.yaml");
  Diagnostics d;
  // A run 2020-2030, and the knot years outside it, read as the processes do.
  read_by_year<int>(2020, 2030, {&city}, [&](int year) {
    const ParamNode e = evaluated_at(city, year, d);
    e.number("tfr", 1, d, 0, 10);
    e.number("rate", 0, d, 0, 1);
    return 0;
  });
  const std::string text = d.format();
  EXPECT_NE(text.find("city.yaml:1:24: error: tfr.2040: -1 is out of range (must be [0, 10])"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("city.yaml:2:25: error: rate.2025: expected a number, got 'abc'"),
            std::string::npos)
      << text;
  EXPECT_EQ(d.size(), 2u) << "each error once, not once per year:\n" << text;
}

TEST(Trajectory, ATrajectoryWhereOneValueIsReadOnceSaysSo) {
  const ParamNode run = yaml("scale: {2020: 0.1, 2025: 0.2}\nseed: {2020: 1, x: 2}\n");
  Diagnostics d;
  run.number("scale", 1, d, 0, 1);
  run.integer("seed", 1, d);
  const std::string text = d.format();
  EXPECT_NE(text.find("s.yaml:1:8: error: scale: expected a number, got a map (a trajectory by "
                      "year; this value is read once for the whole run, so it must be a single "
                      "value)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("seed: expected an integer, got a map (a trajectory is {2020: 1.3, 2030: "
                      "1.0} or {step: {2020: 0.05, 2024: 0.03}}: every key a year)"),
            std::string::npos)
      << text;
}

TEST(ParamOverlay, TheScenarioValueReplacesTheCitysWhole) {
  const ParamNode city = yaml("tfr: {2020: 1.3, 2022: 1.08, 2030: 1.0}\nout: 40\n", "city.yaml");
  Diagnostics d;
  // A number over a trajectory, a trajectory over a number: neither mixes with the city's knots.
  const ParamNode low = yaml("tfr: 1.1\nout: {2020: 40, 2025: 20}\n");
  EXPECT_DOUBLE_EQ(value_in(city, low, "tfr", 2022, d), 1.1);
  EXPECT_DOUBLE_EQ(value_in(city, low, "out", 2022, d), 32);
  const ParamNode path = yaml("tfr: {2025: 1.5}\n");
  EXPECT_DOUBLE_EQ(value_in(city, path, "tfr", 2020, d), 1.5);
  const ParamNode none = yaml("{}\n");
  EXPECT_DOUBLE_EQ(value_in(city, none, "tfr", 2026, d), 1.04);
  EXPECT_DOUBLE_EQ(value_in(city, none, "out", 2026, d), 40);
  EXPECT_TRUE(d.empty()) << d.format();
}

// The two forms of --set on a trajectory, as a calibration sets its free parameters.
ParamNode scenario_with(const std::string& text, const std::vector<std::string>& sets,
                        Diagnostics& d) {
  ParamNode root = parse_yaml(text, "scenario.yaml", d);
  for (std::size_t i = 0; i < sets.size(); ++i)
    apply_set_override(root, sets[i], static_cast<int>(i + 1), d);
  return root;
}

TEST(ParamOverlay, SetOneKnotOrTheWholeValue) {
  const ParamNode city =
      yaml("fertility: {tfr: {2020: 1.3, 2022: 1.08, 2030: 1.0}, level: 1}\n", "city.yaml");
  const ParamNode& city_fertility = *city.peek("fertility");
  const auto tfr = [&](const ParamNode& scenario, int year, Diagnostics& d) {
    const ParamNode* block = scenario.peek("demography");
    const ParamNode* f = block ? block->peek("fertility") : nullptr;
    const ParamNode empty(ParamNode::Kind::Map, SourceLoc{}, "");
    return value_in(city_fertility, f ? *f : empty, "tfr", year, d);
  };
  Diagnostics d;
  // A knot of a trajectory the scenario has: the map entry at its year.
  const ParamNode own = scenario_with("demography: {fertility: {tfr: {2020: 1.3, 2030: 1.0}}}\n",
                                      {"demography.fertility.tfr.2022=1.08"}, d);
  EXPECT_DOUBLE_EQ(tfr(own, 2021, d), 1.19);
  EXPECT_DOUBLE_EQ(tfr(own, 2026, d), 1.04);
  // A knot where the scenario has no value: laid over the city's trajectory, whose other knots
  // stay.
  const ParamNode knot =
      scenario_with("demography: {}\n",
                    {"demography.fertility.tfr.2022=0.9", "demography.fertility.tfr.2025=0.8"}, d);
  EXPECT_DOUBLE_EQ(tfr(knot, 2020, d), 1.3);
  EXPECT_DOUBLE_EQ(tfr(knot, 2021, d), 1.1);
  EXPECT_DOUBLE_EQ(tfr(knot, 2022, d), 0.9);
  EXPECT_DOUBLE_EQ(tfr(knot, 2025, d), 0.8);
  EXPECT_DOUBLE_EQ(tfr(knot, 2030, d), 1.0);
  // The whole value: a number, or a trajectory written inline.
  const ParamNode whole = scenario_with("demography: {}\n", {"demography.fertility.tfr=1.1"}, d);
  EXPECT_DOUBLE_EQ(tfr(whole, 2022, d), 1.1);
  const ParamNode inline_path =
      scenario_with("demography: {}\n", {"demography.fertility.tfr={2020: 1.3, 2035: 1.6}"}, d);
  EXPECT_DOUBLE_EQ(tfr(inline_path, 2035, d), 1.6);
  EXPECT_DOUBLE_EQ(tfr(inline_path, 2022, d), 1.3 + 2 * 0.3 / 15);
  // Then a knot of it.
  const ParamNode then_knot = scenario_with(
      "demography: {}\n",
      {"demography.fertility.tfr={2020: 1.3, 2035: 1.6}", "demography.fertility.tfr.2025=1.0"}, d);
  EXPECT_DOUBLE_EQ(tfr(then_knot, 2025, d), 1.0);
  EXPECT_DOUBLE_EQ(tfr(then_knot, 2035, d), 1.6);
  EXPECT_TRUE(d.empty()) << d.format();
}

TEST(ParamOverlay, AKnotOverAConstantIsAnErrorWithTheWholeValueToWrite) {
  const ParamNode city = yaml("migration: {in: 50}\n", "city.yaml");
  const ParamNode& city_migration = *city.peek("migration");
  Diagnostics d;
  const ParamNode s = scenario_with("demography: {}\n", {"demography.migration.in.2022=30"}, d);
  ASSERT_TRUE(d.empty()) << d.format();
  value_in(city_migration, *s.peek("demography")->peek("migration"), "in", 2022, d);
  ASSERT_EQ(d.size(), 1u) << d.format();
  EXPECT_EQ(
      d.format(),
      "<command line>:1:30: error: demography.migration.in: --set demography.migration.in.YEAR "
      "sets one year of a trajectory, but the value in effect is the constant 50 "
      "(city.yaml:1:17); set the whole value instead, e.g. --set "
      "'demography.migration.in={2021: 50, 2022: 30}'\n");
  // A knot on a number the scenario itself has: the same advice, from --set.
  Diagnostics e;
  scenario_with("demography: {migration: {in: 50}}\n", {"demography.migration.in.2022=30"}, e);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NE(e.format().find("give the whole trajectory, e.g. --set "
                            "'demography.migration.in={2021: 50, 2022: 30}'"),
            std::string::npos)
      << e.format();
}

TEST(ParamOverlay, ExtendsReplacesATrajectoryWhole) {
  ParamNode parent = yaml("demography: {fertility: {tfr: {2020: 1.3, 2022: 1.08, 2030: 1.0}}}\n");
  merge_over(parent, yaml("demography: {fertility: {tfr: {2025: 1.5, 2035: 1.6}}}\n"));
  const ParamNode& tfr = *parent.peek("demography")->peek("fertility")->peek("tfr");
  ASSERT_TRUE(tfr.is_map());
  ASSERT_EQ(tfr.entries().size(), 2u);
  EXPECT_EQ(tfr.entries()[0].key, "2025");
  // Sections still merge key by key.
  ParamNode base = yaml("demography: {fertility: {tfr: 1.3}, migration: {in: 50}}\n");
  merge_over(base, yaml("demography: {fertility: {tfr: {2020: 1.3, 2030: 1.0}}}\n"));
  EXPECT_NE(base.peek("demography")->peek("migration"), nullptr);
  EXPECT_TRUE(is_trajectory(*base.peek("demography")->peek("fertility")->peek("tfr")));
}

}  // namespace
}  // namespace plansim

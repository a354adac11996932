#include "policy/policy.h"

#include <gtest/gtest.h>

#include "../services/test_support.h"
#include "services/facility_table.h"
#include "services/interventions.h"
#include "space/tod_interventions.h"

namespace plansim {
namespace {

using test::FlowYaml;

ParamNode city_with_zones() {
  ParamNode city(ParamNode::Kind::Map, SourceLoc{"configs/test", 0, 0}, "");
  city.set(
      "zones", SourceLoc{"configs/test/zones.yaml", 1, 1},
      FlowYaml::parse("{zones: [{key: xushui, name_zh: 须水, name_en: Xushui, type: new_district, "
                      "population_share: 0.5}, "
                      "{key: liuhu, name_zh: 柳湖, name_en: Liuhu, type: new_district, "
                      "population_share: 0.5}]}",
                      "configs/test/zones.yaml"));
  // The facilities the tests close or hire staff for.
  city.set("facilities", SourceLoc{"configs/test/facilities.yaml", 1, 1},
           FlowYaml::parse("{facilities: {list: [{name: H1, kind: hospital, zone: liuhu, capacity: "
                           "300}, {name: H2, kind: hospital, zone: liuhu, capacity: 100}, {name: "
                           "Old, kind: primary, zone: xushui, capacity: 10}, {name: Old school, "
                           "kind: primary, zone: xushui, capacity: 10}]}}",
                           "configs/test/facilities.yaml"));
  return city;
}

struct Configured {
  Configured() {
    add_facility_handlers(policy);
    add_tod_handlers(policy);
  }
  std::unique_ptr<ParamNode> block;
  PolicyProcess policy;
  Diagnostics diags;
  SeriesCatalog catalog;
  RunSettings run = test::run_settings(2020, 2030);
};

// Configures the policy process with `policy:` block text (flow YAML, one line per item).
std::unique_ptr<Configured> configure(const std::string& block, bool with_zones = true,
                                      double scale = 1.0) {
  auto c = std::make_unique<Configured>();
  c->run.scale = scale;
  c->block = std::make_unique<ParamNode>(FlowYaml::parse(block, "scenarios/test.yaml", "policy"));
  static ParamNode zones_city = city_with_zones();
  static const ParamNode empty_city(ParamNode::Kind::Map, SourceLoc{}, "");
  ConfigureContext ctx{*c->block, with_zones ? zones_city : empty_city, c->run, c->diags,
                       c->catalog};
  c->policy.configure(ctx);
  c->block->report_unused(c->diags);
  return c;
}

World world_with_zones() {
  World w = test::make_world({test::zone("xushui", 0, 0), test::zone("liuhu", 3000, 0)});
  w.zones[0].name_zh = "须水";
  return w;
}

void run_years(Configured& c, World& w, int from, int to) {
  ReplicateResults results;
  Recorder out(results, c.catalog, w.zone_count(), 1.0);
  const RngStreams rng(1, 0);
  StepContext init{w, rng, out, 4, from, c.run};
  c.policy.initialize(init);
  for (int year = from; year <= to; ++year) {
    StepContext ctx{w, rng, out, 4, year, c.run};
    c.policy.step(ctx);
  }
}

TEST(PolicyConfig, AcceptsYearsInEveryForm) {
  auto c = configure(
      "{interventions: [\n"
      "{year: 2022, add_places: {kind: kindergarten, zone: 须水, places: 540}},\n"
      "{years: 2021-2025, add_beds: {zone: liuhu, beds_per_year: 200}},\n"
      "{years: [2023, 2024], hire_staff: {kind: hospital, doctors: 30, nurses_per_year: 10}},\n"
      "{year: 2026, open_facility: {name: New school, kind: primary, zone: Xushui, capacity: 1800, "
      "teachers: 100}},\n"
      "{year: 2027, close_facility: {name: Old school}}]}");
  ASSERT_EQ(c->diags.format(), "");
  const auto& list = c->policy.interventions();
  ASSERT_EQ(list.size(), 5u);
  EXPECT_EQ(list[1].action, "add_beds");
  EXPECT_EQ(list[1].schedule.first_year, 2021);
  EXPECT_EQ(list[1].schedule.last_year, 2025);
  EXPECT_EQ(list[2].schedule.years(), 2);
  EXPECT_EQ(list[4].path, "policy.interventions[4]");
}

TEST(PolicyConfig, YearOutsideTheRunIsAnError) {
  auto c = configure(
      "{interventions: [\n"
      "{year: 2019, add_places: {kind: primary, zone: xushui, places: 10}},\n"
      "{years: 2028-2031, add_beds: {zone: liuhu, beds: 10}},\n"
      "{years: 2025-2022, add_beds: {zone: liuhu, beds: 10}}]}");
  EXPECT_EQ(c->diags.format(),
            "scenarios/test.yaml:2:8: error: policy.interventions[0].year: 2019 is before "
            "run.start (2020)\n"
            "scenarios/test.yaml:3:9: error: policy.interventions[1].years: 2031 is after run.end "
            "(2030)\n"
            "scenarios/test.yaml:4:9: error: policy.interventions[2].years: the range ends (2022) "
            "before it starts (2025)\n");
}

TEST(PolicyConfig, UnknownZoneGetsAHint) {
  auto c = configure(
      "{interventions: [{year: 2022, add_places: {kind: primary, zone: xushiu, places: 10}}]}");
  EXPECT_EQ(
      c->diags.format(),
      "scenarios/test.yaml:1:65: error: policy.interventions[0].add_places.zone: unknown zone "
      "'xushiu' (did you mean 'xushui'?; zones: xushui, liuhu)\n");
}

TEST(PolicyConfig, UnknownOrUnsuitableKindIsAnError) {
  auto c = configure(
      "{interventions: [\n"
      "{year: 2022, add_places: {kind: kindergarden, zone: xushui, places: 10}},\n"
      "{year: 2022, add_places: {kind: hospital, zone: xushui, places: 10}}]}");
  EXPECT_EQ(c->diags.format(),
            "scenarios/test.yaml:2:33: error: policy.interventions[0].add_places.kind: unknown "
            "facility kind 'kindergarden' (did you mean 'kindergarten'?); kinds: kindergarten, "
            "primary, junior_middle\n"
            "scenarios/test.yaml:3:33: error: policy.interventions[1].add_places.kind: add_places "
            "does not apply to 'hospital' (kinds: kindergarten, primary, junior_middle)\n");
}

TEST(PolicyConfig, NegativeOrMissingAmountsAreErrors) {
  auto c = configure(
      "{interventions: [\n"
      "{year: 2022, add_beds: {zone: liuhu, beds: -30}},\n"
      "{year: 2022, add_beds: {zone: liuhu}},\n"
      "{year: 2022, add_beds: {zone: liuhu, beds: 5, beds_per_year: 5}}]}");
  EXPECT_EQ(
      c->diags.format(),
      "scenarios/test.yaml:2:44: error: policy.interventions[0].add_beds.beds: -30 is out of "
      "range (must be [0, 10000000])\n"
      "scenarios/test.yaml:3:24: error: policy.interventions[1].add_beds: missing required key "
      "'beds' (total) or 'beds_per_year'\n"
      "scenarios/test.yaml:4:62: error: policy.interventions[2].add_beds.beds_per_year: give "
      "either beds (total) or beds_per_year, not both\n");
}

TEST(PolicyConfig, UnknownActionAndUnknownKeysGetHints) {
  auto c = configure(
      "{interventions: [\n"
      "{year: 2022, add_place: {kind: primary}},\n"
      "{year: 2022, add_beds: {zone: liuhu, beds: 5, pubic: false}}]}");
  EXPECT_EQ(c->diags.format(),
            "scenarios/test.yaml:2:14: error: policy.interventions[0].add_place: unknown "
            "intervention 'add_place' (did you mean 'add_places'?; known: add_places, add_beds, "
            "open_facility, close_facility, hire_staff, open_stations, upzone, mixed_use)\n"
            "scenarios/test.yaml:3:47: error: policy.interventions[1].add_beds.pubic: unknown "
            "key 'pubic' in 'policy.interventions[1].add_beds' (did you mean 'public'?)\n");
}

TEST(PolicyConfig, OnceOnlyActionsRejectARange) {
  auto c = configure("{interventions: [{years: 2021-2022, close_facility: {name: X}}]}");
  EXPECT_EQ(c->diags.format(),
            "scenarios/test.yaml:1:26: error: policy.interventions[0]: "
            "close_facility happens once: give a single year\n");
}

TEST(PolicyConfig, YearAndYearsTogetherIsAnError) {
  auto c = configure(
      "{interventions: [{year: 2022, years: 2021-2023, hire_staff: {kind: hospital, nurses: 5}}]}");
  EXPECT_EQ(c->diags.format(),
            "scenarios/test.yaml:1:38: error: policy.interventions[0].years: "
            "give either year or years, not both\n");
}

TEST(Policy, AddPlacesCreatesOneFacilityAndGrowsItWithExactTotals) {
  auto c = configure(
      "{interventions: [{years: 2021-2025, add_places: {kind: kindergarten, zone: 须水, places: "
      "1001}}]}",
      true, 0.1);
  ASSERT_EQ(c->diags.format(), "");
  World w = world_with_zones();
  FacilityRecord existing;
  existing.id = 7;
  existing.name = "K";
  append_facility(test::facilities(w), existing);
  std::vector<std::uint32_t> capacity_by_year;
  std::vector<double> exact_by_year;
  run_years(*c, w, 2020, 2020);
  EXPECT_EQ(test::facilities(w).size(), 1u);
  for (int year = 2021; year <= 2026; ++year) {
    ReplicateResults results;
    Recorder out(results, c->catalog, w.zone_count(), 1.0);
    const RngStreams rng(1, 0);
    StepContext ctx{w, rng, out, 4, year, c->run};
    c->policy.step(ctx);
    capacity_by_year.push_back(test::facilities(w).capacity.back());
    exact_by_year.push_back(test::facilities(w).capacity_exact.back());
  }
  ASSERT_EQ(test::facilities(w).size(), 2u);
  EXPECT_EQ(test::facilities(w).id[1], 8u);
  EXPECT_EQ(test::facilities(w).kind[1], kKindergarten);
  EXPECT_EQ(test::facilities(w).zone[1], 0u);
  EXPECT_EQ(test::facilities(w).opening_year[1], 2021);
  EXPECT_EQ(test::facilities(w).name[1], "xushui new kindergarten places (2021)");
  // 1001 places × 0.1 = 100.1 in all, 20.02 a year, not rounded; the places allocated are
  // floor(exact + u) with the offset of facility 8, u = frac(8 × 0.618…) = 0.944.
  for (std::size_t k = 0; k < exact_by_year.size(); ++k)
    EXPECT_NEAR(exact_by_year[k], 20.02 * static_cast<double>(std::min<std::size_t>(k + 1, 5)),
                1e-9)
        << k;
  EXPECT_EQ(capacity_by_year, (std::vector<std::uint32_t>{20, 40, 61, 81, 101, 101}));
}

TEST(Policy, OpenCloseAndHire) {
  auto c = configure(
      "{interventions: [\n"
      "{year: 2021, open_facility: {name: Care home, kind: eldercare_institution, zone: liuhu, "
      "capacity: 300, nurses: 20, public: false}},\n"
      "{year: 2022, close_facility: {name: Old}},\n"
      "{years: 2021-2022, hire_staff: {kind: hospital, zone: liuhu, doctors: 40}}]}");
  ASSERT_EQ(c->diags.format(), "");
  World w = world_with_zones();
  FacilityRecord h1, h2, old;
  h1.id = 1, h1.kind = kHospital, h1.zone = 1, h1.capacity_exact = 300, h1.name = "H1";
  h2.id = 2, h2.kind = kHospital, h2.zone = 1, h2.capacity_exact = 100, h2.name = "H2";
  old.id = 3, old.kind = kPrimarySchool, old.name = "Old";
  append_facility(test::facilities(w), h1);
  append_facility(test::facilities(w), h2);
  append_facility(test::facilities(w), old);
  run_years(*c, w, 2020, 2023);
  ASSERT_EQ(test::facilities(w).size(), 4u);
  EXPECT_EQ(test::facilities(w).name[3], "Care home");
  EXPECT_EQ(test::facilities(w).id[3], 4u);
  EXPECT_EQ(test::facilities(w).capacity[3], 300u);
  EXPECT_EQ(test::facilities(w).is_public[3], 0);
  EXPECT_FLOAT_EQ(test::facilities(w).nurses[3], 20.0f);
  EXPECT_EQ(test::facilities(w).closing_year[2], 2022);
  // 40 doctors over two years, shared 3:1 by capacity.
  EXPECT_FLOAT_EQ(test::facilities(w).doctors[0], 30.0f);
  EXPECT_FLOAT_EQ(test::facilities(w).doctors[1], 10.0f);
}

TEST(Policy, WithoutAZoneListZonesAreCheckedWhenApplied) {
  // No zone list in the city (it cannot run, but a test World can): the zone is checked against
  // the World when applied.
  auto c = configure("{interventions: [\n{year: 2021, add_beds: {zone: nowhere, beds: 5}}]}",
                     /*with_zones=*/false);
  ASSERT_EQ(c->diags.format(), "");
  World w = world_with_zones();
  try {
    run_years(*c, w, 2020, 2021);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.diagnostics().format(),
              "scenarios/test.yaml:2:31: error: zone: unknown zone "
              "'nowhere' (zones: xushui, liuhu)\n");
  }
}

// What depends on earlier interventions (closing a facility, hiring for one) is checked at
// configure by rehearsing the calendar over the city's facilities and the interventions'.
TEST(PolicyConfig, ClosingAndHiringAreCheckedAgainstTheCalendar) {
  auto c = configure(
      "{interventions: [\n"
      "{year: 2022, close_facility: {name: Ghost}},\n"
      "{year: 2023, close_facility: {name: Old}},\n"
      "{year: 2024, close_facility: {name: Old}},\n"
      "{year: 2025, hire_staff: {kind: hospital, zone: xushui, doctors: 3}},\n"
      "{year: 2026, open_facility: {name: Ghost, kind: hospital, zone: xushui, capacity: 5}},\n"
      "{year: 2027, hire_staff: {kind: hospital, zone: xushui, doctors: 3}},\n"
      "{year: 2028, close_facility: {name: Ghost}}]}");
  EXPECT_EQ(c->diags.format(),
            "scenarios/test.yaml:2:37: error: close_facility.name: no facility named 'Ghost' is "
            "open in 2022\n"
            "scenarios/test.yaml:4:37: error: close_facility.name: no facility named 'Old' is "
            "open in 2024\n"
            "scenarios/test.yaml:5:26: error: hire_staff: no open hospital in zone 'xushui' in "
            "2025\n");
}

TEST(Policy, ExtraHandlersCanBeAdded) {
  struct Counter final : InterventionAction {
    int* calls;
    explicit Counter(int* c) : calls(c) {}
    void apply(InterventionContext&) override { ++*calls; }
  };
  int calls = 0;
  auto c = std::make_unique<Configured>();
  c->policy.add_handler("open_stations", [&](InterventionParseContext& ctx) {
    ctx.body.string("line", "", ctx.diags);
    return std::make_unique<Counter>(&calls);
  });
  c->block = std::make_unique<ParamNode>(FlowYaml::parse(
      "{interventions: [{years: 2022-2024, open_stations: {line: \"6\"}}]}", "s.yaml", "policy"));
  const ParamNode city(ParamNode::Kind::Map, SourceLoc{}, "");
  ConfigureContext ctx{*c->block, city, c->run, c->diags, c->catalog};
  c->policy.configure(ctx);
  c->block->report_unused(c->diags);
  ASSERT_EQ(c->diags.format(), "");
  World w = world_with_zones();
  run_years(*c, w, 2020, 2030);
  EXPECT_EQ(calls, 3);
}

}  // namespace
}  // namespace plansim

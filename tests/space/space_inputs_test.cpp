// Reading land_use.yaml and metro.yaml, and parsing / applying TOD interventions: good input is
// read as written; each class of bad input is reported with its message at its location.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "population/city_zones.h"
#include "space/network.h"
#include "space/space_config.h"
#include "space/tod.h"
#include "space/tod_interventions.h"

namespace plansim {
namespace {

// A small description of a located YAML tree, turned into ParamNodes with paths as io/ makes them.
struct Y {
  struct Entry;  // a key and its value (not std::pair, which needs Y complete)
  enum Kind { kScalar, kMap, kList } kind = kScalar;
  std::string text;
  int line = 1, col = 1;
  std::vector<Entry> entries;
  std::vector<Y> items;
};
struct Y::Entry {
  std::string key;
  Y value;
};
Y s(std::string text, int line, int col = 1) {
  return {Y::kScalar, std::move(text), line, col, {}, {}};
}
Y m(int line, std::vector<Y::Entry> entries) {
  return {Y::kMap, "", line, 1, std::move(entries), {}};
}
Y l(int line, std::vector<Y> items) { return {Y::kList, "", line, 1, {}, std::move(items)}; }

ParamNode build(const Y& y, const std::string& file, const std::string& path) {
  const SourceLoc loc{file, y.line, y.col};
  if (y.kind == Y::kScalar) return ParamNode::scalar(y.text, loc, path);
  if (y.kind == Y::kMap) {
    ParamNode node(ParamNode::Kind::Map, loc, path);
    for (const auto& [key, value] : y.entries)
      node.set(key, SourceLoc{file, value.line, 1},
               build(value, file, path.empty() ? key : path + "." + key));
    return node;
  }
  ParamNode node(ParamNode::Kind::Sequence, loc, path);
  for (std::size_t i = 0; i < y.items.size(); ++i)
    node.items().push_back(build(y.items[i], file, path + "[" + std::to_string(i) + "]"));
  return node;
}

Y zone_row(const char* key, int line, const char* type = "old_town", const char* floor = "1000") {
  return m(line, {{"key", s(key, line, 10)},
                  {"type", s(type, line, 30)},
                  {"vacancy_2020", s("0.05", line, 50)},
                  {"dwelling_capacity_ratio", s("1.5", line, 70)},
                  {"job_floor_space_m2", s(floor, line, 90)},
                  {"job_floor_capacity_m2", s("2000", line, 110)}});
}

Y metro_file() {
  auto station = [](const char* name, const char* x, int line) {
    return m(line,
             {{"name", s(name, line, 10)}, {"x_m", s(x, line, 20)}, {"y_m", s("0", line, 30)}});
  };
  return m(
      1, {{"lines",
           l(2, {m(3, {{"line", s("1", 3, 11)},
                       {"sections",
                        l(4, {m(5, {{"section", s("phase1", 5, 18)},
                                    {"opened", s("2013", 6, 15)},
                                    {"stations", l(7, {station("west", "-2000", 8),
                                                       station("east", "2000", 9)})}})})}}),
                 m(10, {{"line", s("6", 10, 11)},
                        {"sections",
                         l(11, {m(12, {{"section", s("west", 12, 18)},
                                       {"planned", s("2022", 13, 16)},
                                       {"stations", l(14, {station("far", "-6000", 15),
                                                           station("west", "-2000", 16)})}}),
                                m(17, {{"section", s("east", 17, 18)},
                                       {"planned", s("2025", 18, 16)},
                                       {"stations", l(19, {station("hub", "6000", 20)})}})})}})})},
          {"travel", m(21, {{"walk_speed_kmh", s("5", 22, 19)}})}});
}

// A zone of zones.yaml (geometry left out: only the housing process needs it).
Y city_zone(const char* key, int line) {
  return m(line, {{"key", s(key, line, 10)},
                  {"name_zh", s(key, line, 20)},
                  {"name_en", s(key, line, 30)},
                  {"type", s("old_town", line, 40)},
                  {"population_share", s("0.5", line, 50)}});
}

ParamNode city_with(const Y& land_use, const Y& metro, bool with_zones = true) {
  ParamNode city(ParamNode::Kind::Map, SourceLoc{}, "");
  city.set("land_use", SourceLoc{}, build(land_use, "land_use.yaml", ""));
  city.set("metro", SourceLoc{}, build(metro, "metro.yaml", ""));
  if (with_zones)
    city.set("zones", SourceLoc{},
             build(m(1, {{"zones", l(2, {city_zone("west_town", 3), city_zone("east_town", 4)})}}),
                   "zones.yaml", ""));
  return city;
}

Y good_land_use() {
  return m(1,
           {{"zones", l(2, {zone_row("west_town", 3, "new_district"), zone_row("east_town", 4)})},
            {"housing_market", m(5, {{"base_move_rate", s("0.05", 6, 19)},
                                     {"build_share", m(7, {{"tod_area", s("0.2", 8, 15)}})}})}});
}

bool has_error(const Diagnostics& d, const std::string& where, const std::string& text) {
  for (const auto& e : d.errors())
    if (e.loc.str() == where && e.message.find(text) != std::string::npos) return true;
  ADD_FAILURE() << "no error at " << where << " containing '" << text << "' in:\n" << d.format();
  return false;
}

TEST(SpaceConfig, ReadsLandUseMetroAndParameters) {
  const ParamNode city = city_with(good_land_use(), metro_file());
  Diagnostics d;
  const SpaceConfig c = read_space_config(city, d);
  ASSERT_TRUE(d.empty()) << d.format();
  ASSERT_EQ(c.zones.size(), 2u);
  EXPECT_EQ(c.zones[0].type, ZoneType::kNewDistrict);
  EXPECT_DOUBLE_EQ(c.zones[1].dwelling_capacity_ratio, 1.5);
  EXPECT_DOUBLE_EQ(c.market.base_move_rate, 0.05);
  EXPECT_DOUBLE_EQ(c.market.build_share[2], 0.2);
  EXPECT_DOUBLE_EQ(c.travel.walk_speed_kmh, 5.0);
  ASSERT_EQ(c.lines.size(), 2u);
  ASSERT_EQ(c.lines[1].stations.size(), 3u);
  EXPECT_EQ(c.lines[1].stations[2].section, "east");
  EXPECT_EQ(c.lines[1].stations[2].planned_year, 2025);
  EXPECT_EQ(c.lines[0].stations[0].opened_year, 2013);
  // Every key was read: nothing is left for the unknown-key report.
  Diagnostics unused;
  city.peek("land_use")->report_unused(unused);
  city.peek("metro")->report_unused(unused);
  EXPECT_TRUE(unused.empty()) << unused.format();
}

TEST(SpaceConfig, ZoneKeysMustMatchZonesYaml) {
  Y land_use = m(1, {{"zones", l(2, {zone_row("west_twn", 3), zone_row("east_town", 4)})}});
  Diagnostics d;
  read_space_config(city_with(land_use, metro_file()), d);
  has_error(d, "land_use.yaml:3:10",
            "zones[0].key: 'west_twn' is not a zone of zones.yaml (did you mean 'west_town'?)");
  has_error(d, "land_use.yaml:2:1", "zone 'west_town' of zones.yaml has no land use");
}

TEST(SpaceConfig, OutOfRangeAndUnknownValues) {
  Y land_use = m(1, {{"zones", l(2, {zone_row("west_town", 3, "suburb"),
                                     zone_row("east_town", 4, "old_town", "5000")})}});
  Diagnostics d;
  read_space_config(city_with(land_use, metro_file()), d);
  has_error(d, "land_use.yaml:3:30", "zones[0].type: unknown zone type 'suburb'");
  has_error(d, "land_use.yaml:4:110",
            "job_floor_capacity_m2: 2000 is below job_floor_space_m2 (5000)");
  EXPECT_EQ(d.size(), 2u) << d.format();
}

TEST(SpaceConfig, SectionNeedsOpenedOrPlanned) {
  Y metro =
      m(1,
        {{"lines",
          l(2, {m(3, {{"line", s("1", 3, 11)},
                      {"sections",
                       l(4, {m(5, {{"section", s("a", 5, 18)},
                                   {"stations", l(7, {m(8, {{"name", s("x", 8, 10)},
                                                            {"x_m", s("0", 8, 20)}})})}})})}})})}});
  Diagnostics d;
  read_space_config(city_with(good_land_use(), metro), d);
  has_error(d, "metro.yaml:5:1", "lines[0].sections[0]: missing 'opened'");
  has_error(d, "metro.yaml:8:1", "lines[0].sections[0].stations[0]: missing required key 'y_m'");
}

TEST(SpaceConfig, MissingFilesAreReported) {
  ParamNode city(ParamNode::Kind::Map, SourceLoc{"configs/x", 0, 0}, "");
  Diagnostics d;
  read_space_config(city, d);
  EXPECT_NE(d.format().find("land_use: the city config needs land_use.yaml"), std::string::npos)
      << d.format();
  EXPECT_NE(d.format().find("metro: the city config needs metro.yaml"), std::string::npos);
}

// ---- TOD interventions ----

TodCatalog catalog() {
  const ParamNode city = city_with(good_land_use(), metro_file());
  CityCatalog cities;
  Diagnostics d;
  const TodCatalog c =
      make_tod_catalog(cities.get<CityZones>(city, d).keys(), cities.get<CityMetro>(city, d).lines);
  EXPECT_TRUE(d.empty()) << d.format();
  return c;
}

TEST(TodCatalog, NamesTheCatalogueZonesAndStations) {
  const TodCatalog c = catalog();
  EXPECT_EQ(c.zone_keys, (std::vector<std::string>{"west_town", "east_town"}));
  ASSERT_EQ(c.stations.size(), 5u);
  EXPECT_EQ(c.stations[0].opened_year, 2013);
  EXPECT_EQ(c.stations[4].line, "6");
  EXPECT_EQ(c.stations[4].opened_year, 0);
}

ParamNode body(const Y& y, const char* kind) {
  return build(y, "tod.yaml", std::string("interventions[0].") + kind);
}

TEST(TodParse, OpenStationsBySectionAndByName) {
  Diagnostics d;
  TodIntervention t;
  ASSERT_TRUE(parse_tod_intervention(
      "open_stations",
      body(m(3, {{"line", s("6", 3, 20)}, {"section", s("west", 3, 35)}}), "open_stations"), 2022,
      catalog(), d, t))
      << d.format();
  EXPECT_EQ(t.kind, TodKind::kOpenStations);
  EXPECT_EQ(t.stations, (std::vector<std::string>{"far", "west"}));
  ASSERT_TRUE(parse_tod_intervention(
      "open_stations",
      body(m(3, {{"line", s("6", 3, 20)}, {"stations", l(3, {s("hub", 3, 40)})}}), "open_stations"),
      2025, catalog(), d, t));
  EXPECT_EQ(t.stations, (std::vector<std::string>{"hub"}));
  EXPECT_EQ(t.year, 2025);
}

TEST(TodParse, UnknownLineWithHint) {
  Diagnostics d;
  TodIntervention t;
  EXPECT_FALSE(parse_tod_intervention(
      "open_stations",
      body(m(3, {{"line", s("16", 3, 20)}, {"section", s("west", 3, 35)}}), "open_stations"), 2022,
      catalog(), d, t));
  has_error(d, "tod.yaml:3:20",
            "interventions[0].open_stations.line: unknown metro line '16' (did you mean '1'?)");
}

TEST(TodParse, UnknownStationWithHint) {
  Diagnostics d;
  TodIntervention t;
  EXPECT_FALSE(parse_tod_intervention(
      "open_stations",
      body(m(3, {{"line", s("6", 3, 20)}, {"stations", l(3, {s("hubb", 3, 40)})}}),
           "open_stations"),
      2022, catalog(), d, t));
  has_error(d, "tod.yaml:3:40",
            "interventions[0].open_stations.stations[0]: no station 'hubb' on line 6 (did you mean "
            "'hub'?)");
}

TEST(TodParse, StationAlreadyOpen) {
  Diagnostics d;
  TodIntervention t;
  EXPECT_FALSE(parse_tod_intervention(
      "open_stations",
      body(m(3, {{"line", s("1", 3, 20)}, {"stations", l(3, {s("east", 3, 40)})}}),
           "open_stations"),
      2022, catalog(), d, t));
  has_error(d, "tod.yaml:3:40", "station east of line 1 is already open (since 2013)");
}

TEST(TodParse, UnknownSection) {
  Diagnostics d;
  TodIntervention t;
  EXPECT_FALSE(parse_tod_intervention(
      "open_stations",
      body(m(3, {{"line", s("6", 3, 20)}, {"section", s("north", 3, 35)}}), "open_stations"), 2022,
      catalog(), d, t));
  has_error(d, "tod.yaml:3:35", "line 6 has no section 'north' (sections: west, east)");
}

TEST(TodParse, UpzoneByZonesWithChanges) {
  Diagnostics d;
  TodIntervention t;
  ASSERT_TRUE(parse_tod_intervention("upzone",
                                     body(m(4, {{"zones", l(4, {s("east_town", 4, 20)})},
                                                {"residential_capacity", s("+25%", 4, 50)},
                                                {"jobs_capacity", s("+40000", 4, 80)}}),
                                          "upzone"),
                                     2023, catalog(), d, t))
      << d.format();
  EXPECT_EQ(t.zones, (std::vector<std::string>{"east_town"}));
  ASSERT_TRUE(t.residential_capacity && t.jobs_capacity);
  EXPECT_TRUE(t.residential_capacity->relative);
  EXPECT_DOUBLE_EQ(t.residential_capacity->amount, 0.25);
  EXPECT_FALSE(t.jobs_capacity->relative);
  EXPECT_DOUBLE_EQ(t.jobs_capacity->amount, 40000);
}

TEST(TodParse, UnknownZoneWithHint) {
  Diagnostics d;
  TodIntervention t;
  EXPECT_FALSE(parse_tod_intervention("upzone",
                                      body(m(4, {{"zones", l(4, {s("east_twn", 4, 20)})},
                                                 {"residential_capacity", s("+25%", 4, 50)}}),
                                           "upzone"),
                                      2023, catalog(), d, t));
  has_error(
      d, "tod.yaml:4:20",
      "interventions[0].upzone.zones[0]: unknown zone 'east_twn' (did you mean 'east_town'?)");
}

TEST(TodParse, MalformedCapacityChange) {
  Diagnostics d;
  TodIntervention t;
  EXPECT_FALSE(parse_tod_intervention("upzone",
                                      body(m(4, {{"zones", l(4, {s("east_town", 4, 20)})},
                                                 {"residential_capacity", s("lots", 4, 50)},
                                                 {"jobs_capacity", s("-150%", 4, 70)}}),
                                           "upzone"),
                                      2023, catalog(), d, t));
  has_error(
      d, "tod.yaml:4:50",
      "upzone.residential_capacity: expected a change like \"+25%\" or \"+5000\", got 'lots'");
  has_error(d, "tod.yaml:4:70", "upzone.jobs_capacity: -150% would remove more than all capacity");
}

TEST(TodParse, ZonesAndStationsTogetherOrNeither) {
  Diagnostics d;
  TodIntervention t;
  EXPECT_FALSE(parse_tod_intervention("upzone",
                                      body(m(4, {{"zones", l(4, {s("east_town", 4, 20)})},
                                                 {"line", s("6", 4, 40)},
                                                 {"section", s("west", 4, 50)},
                                                 {"jobs_capacity", s("+1", 4, 70)}}),
                                           "upzone"),
                                      2023, catalog(), d, t));
  has_error(d, "tod.yaml:4:1",
            "interventions[0].upzone: give either zones or a line with stations, not both");
  Diagnostics d2;
  EXPECT_FALSE(parse_tod_intervention(
      "upzone", body(m(5, {{"jobs_capacity", s("+1", 5, 70)}}), "upzone"), 2023, catalog(), d2, t));
  has_error(d2, "tod.yaml:5:1",
            "interventions[0].upzone: missing 'zones' or 'line' with 'stations' or 'section'");
}

TEST(TodParse, UpzoneNeedsACapacityChange) {
  Diagnostics d;
  TodIntervention t;
  EXPECT_FALSE(parse_tod_intervention(
      "upzone", body(m(6, {{"zones", l(6, {s("east_town", 6, 20)})}}), "upzone"), 2023, catalog(),
      d, t));
  has_error(d, "tod.yaml:6:1", "missing 'residential_capacity' or 'jobs_capacity'");
}

TEST(TodParse, MixedUseNeedsStationsAndFloorPerDwelling) {
  Diagnostics d;
  TodIntervention t;
  EXPECT_FALSE(parse_tod_intervention("mixed_use",
                                      body(m(7, {{"line", s("6", 7, 20)},
                                                 {"section", s("west", 7, 30)},
                                                 {"radius_m", s("-5", 7, 40)}}),
                                           "mixed_use"),
                                      2023, catalog(), d, t));
  has_error(d, "tod.yaml:7:40", "interventions[0].mixed_use.radius_m: -5 is out of range");
  has_error(d, "tod.yaml:7:1",
            "interventions[0].mixed_use: missing required key 'job_floor_m2_per_dwelling'");
}

// ---- applying interventions to a World ----

World two_zone_world() {
  World w;
  ZoneLabel a, b;
  a.key = "west_town";
  a.x_m = -2000;
  a.y_m = 0;
  a.area_km2 = std::numbers::pi;  // radius 1 km
  b.key = "east_town";
  b.x_m = 6000;
  b.y_m = 0;
  b.area_km2 = std::numbers::pi;
  w.zones = {a, b};
  for (std::uint64_t h = 0; h < 100; ++h) w.households.append(h + 1, h < 60 ? 0 : 1);
  w.households.member_offset.assign(w.households.size() + 1, 0);
  Diagnostics d;
  install_land_use(w, read_space_config(city_with(good_land_use(), metro_file()), d));
  return w;
}

TEST(TodApply, InstallDerivesTheStockFromHouseholds) {
  const World w = two_zone_world();
  EXPECT_DOUBLE_EQ(w.get<LandUse>().dwellings[0], std::ceil(60 / 0.95));
  EXPECT_DOUBLE_EQ(w.get<LandUse>().dwelling_capacity[0], std::ceil(std::ceil(60 / 0.95) * 1.5));
  ASSERT_EQ(w.get<LandUse>().station_name.size(), 5u);
  EXPECT_EQ(w.get<LandUse>().station_opening_year[0], 2013);
  EXPECT_EQ(w.get<LandUse>().station_opening_year[2], kNeverOpens);
}

TEST(TodApply, InstallNeedsCentroids) {
  World w = two_zone_world();
  w.zones[1].x_m = std::numeric_limits<double>::quiet_NaN();
  Diagnostics d;
  const SpaceConfig c = read_space_config(city_with(good_land_use(), metro_file()), d);
  try {
    install_land_use(w, c);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("zone 'east_town' has no centroid or area"),
              std::string::npos);
  }
}

TEST(TodApply, OpenStationsSetsTheOpeningYear) {
  World w = two_zone_world();
  Diagnostics d;
  TodIntervention t;
  ASSERT_TRUE(parse_tod_intervention(
      "open_stations",
      body(m(3, {{"line", s("6", 3, 20)}, {"section", s("west", 3, 35)}}), "open_stations"), 2022,
      catalog(), d, t));
  apply_tod_intervention(w, t);
  EXPECT_EQ(w.get<LandUse>().station_opening_year[2], 2022);
  EXPECT_EQ(w.get<LandUse>().station_opening_year[3], 2022);
  EXPECT_EQ(w.get<LandUse>().station_opening_year[4], kNeverOpens);
  EXPECT_EQ(open_stations_mask(w.get<LandUse>(), 2021)[2], 0);
  EXPECT_EQ(open_stations_mask(w.get<LandUse>(), 2022)[2], 1);
}

TEST(TodApply, UpzoneByZoneAndAroundStations) {
  World w = two_zone_world();
  const double capacity0 = w.get<LandUse>().dwelling_capacity[0],
               capacity1 = w.get<LandUse>().dwelling_capacity[1];
  Diagnostics d;
  TodIntervention t;
  ASSERT_TRUE(parse_tod_intervention("upzone",
                                     body(m(4, {{"zones", l(4, {s("east_town", 4, 20)})},
                                                {"residential_capacity", s("+20%", 4, 50)}}),
                                          "upzone"),
                                     2023, catalog(), d, t));
  apply_tod_intervention(w, t);
  EXPECT_DOUBLE_EQ(w.get<LandUse>().dwelling_capacity[1], capacity1 * 1.2);
  EXPECT_DOUBLE_EQ(w.get<LandUse>().dwelling_capacity[0], capacity0);
  // Station "west" of line 6 sits on west_town's centroid: 64% of the zone lies within 800 m.
  ASSERT_TRUE(parse_tod_intervention("upzone",
                                     body(m(5, {{"line", s("6", 5, 20)},
                                                {"stations", l(5, {s("west", 5, 30)})},
                                                {"jobs_capacity", s("+1000", 5, 50)},
                                                {"residential_capacity", s("+50%", 5, 70)}}),
                                          "upzone"),
                                     2023, catalog(), d, t))
      << d.format();
  apply_tod_intervention(w, t);
  EXPECT_NEAR(w.get<LandUse>().dwelling_capacity[0], capacity0 * (1 + 0.5 * 0.64),
              capacity0 * 0.005);
  EXPECT_DOUBLE_EQ(w.get<LandUse>().job_floor_capacity_m2[0], 3000.0);  // the whole absolute amount
  EXPECT_EQ(w.get<LandUse>().zone_type[0], static_cast<std::uint8_t>(ZoneType::kTodArea));
  // Down-zoning stops at the built stock.
  ASSERT_TRUE(parse_tod_intervention("upzone",
                                     body(m(6, {{"zones", l(6, {s("west_town", 6, 20)})},
                                                {"residential_capacity", s("-100%", 6, 50)}}),
                                          "upzone"),
                                     2024, catalog(), d, t));
  apply_tod_intervention(w, t);
  EXPECT_DOUBLE_EQ(w.get<LandUse>().dwelling_capacity[0], w.get<LandUse>().dwellings[0]);
}

TEST(TodApply, MixedUseAddsJobFloorAndMarksTheArea) {
  World w = two_zone_world();
  Diagnostics d;
  TodIntervention t;
  ASSERT_TRUE(parse_tod_intervention("mixed_use",
                                     body(m(7, {{"line", s("6", 7, 20)},
                                                {"stations", l(7, {s("west", 7, 30)})},
                                                {"job_floor_m2_per_dwelling", s("10", 7, 50)}}),
                                          "mixed_use"),
                                     2023, catalog(), d, t))
      << d.format();
  const double before = w.get<LandUse>().job_floor_capacity_m2[0];
  apply_tod_intervention(w, t);
  EXPECT_NEAR(w.get<LandUse>().mixed_use_share[0], 0.64, 0.005);
  EXPECT_NEAR(w.get<LandUse>().job_floor_capacity_m2[0],
              before + 0.64 * w.get<LandUse>().dwelling_capacity[0] * 10, 1.0);
  EXPECT_EQ(w.get<LandUse>().mixed_use_share[1], 0.0);
}

TEST(TodPolicy, ActionsParseAndApplyOnceInTheirYear) {
  World w = two_zone_world();
  const ParamNode item = build(
      m(3, {{"year", s("2022", 3, 10)},
            {"open_stations", m(3, {{"line", s("6", 3, 40)}, {"section", s("west", 3, 55)}})}}),
      "tod.yaml", "policy.interventions[0]");
  RunSettings run;
  Diagnostics d;
  const ParamNode city = city_with(good_land_use(), metro_file());
  SeriesCatalog series;
  ConfigureContext configure{item, city, run, d, series};
  InterventionParseContext pc{
      item, *item.peek("open_stations"), "open_stations", {2022, 2022}, run, configure, d};
  std::unique_ptr<InterventionAction> action = parse_tod_action(pc);
  ASSERT_TRUE(action) << d.format();
  const InterventionSchedule schedule{2022, 2022};
  InterventionContext ctx{w, 2022, 1.0, schedule};
  action->apply(ctx);
  EXPECT_EQ(w.get<LandUse>().station_opening_year[2], 2022);
  // A year range is refused: a station opens, a zone is rezoned, once.
  const ParamNode ranged = build(m(4, {{"years", s("2022-2024", 4, 11)},
                                       {"upzone", m(4, {{"zones", l(4, {s("east_town", 4, 40)})},
                                                        {"jobs_capacity", s("+5%", 4, 60)}})}}),
                                 "tod.yaml", "policy.interventions[1]");
  InterventionParseContext pc2{
      ranged, *ranged.peek("upzone"), "upzone", {2022, 2024}, run, configure, d};
  EXPECT_FALSE(parse_tod_action(pc2));
  has_error(d, "tod.yaml:4:11", "policy.interventions[1]: upzone happens once: give `year:`");
}

TEST(TodApply, NeedsTheLandUseOfTheHousingProcess) {
  World w;
  w.zones.resize(2);
  TodIntervention t;
  t.path = "interventions[0].open_stations";
  EXPECT_THROW(apply_tod_intervention(w, t), std::logic_error);
}

}  // namespace
}  // namespace plansim

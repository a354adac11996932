#include "services/facilities.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace plansim {
namespace {

using test::FlowYaml;

ServicesConfig read(const std::string& text, Diagnostics& d, bool with_zones = true) {
  static std::vector<std::unique_ptr<ParamNode>>
      keep;  // the config refers to nothing, but keep trees alive
  auto city = std::make_unique<ParamNode>(test::city_with_facilities(text));
  if (with_zones)
    city->set("zones", SourceLoc{"configs/test/zones.yaml", 1, 1},
              FlowYaml::parse(
                  "{zones: [{key: xushui, name_zh: 须水, name_en: Xushui, type: new_district, "
                  "population_share: 0.5}, "
                  "{key: liuhu, name_zh: 柳湖, name_en: Liuhu, type: new_district, "
                  "population_share: 0.5}]}",
                  "configs/test/zones.yaml"));
  ServicesConfig c = read_services_config(*city, d);
  city->find("facilities")->report_unused(d);
  keep.push_back(std::move(city));
  return c;
}

std::string wrap(const std::string& rows, const std::string& extra = "") {
  return "{facilities: {schools: [" + rows + "]}, " + test::kQuietEldercare + extra + "}";
}

TEST(FacilitiesConfig, ReadsRowsExpandsCountsAndDefaults) {
  Diagnostics d;
  const ServicesConfig c = read(
      wrap("{name: Xushui kindergarten, kind: kindergarten, zone: xushui, capacity: 240, count: 3, "
           "teachers: 16, public: false, source: \"A: test\"},\n"
           "{name: Liuhu hospital, kind: hospital, zone: 柳湖, capacity: 500, doctors: 120, "
           "nurses: 200, opening_year: 2023, closing_year: 2030}",
           ", health: {catchment_radius_km: 0.8}"),
      d);
  ASSERT_EQ(d.format(), "");
  ASSERT_EQ(c.facilities.size(), 4u);
  EXPECT_EQ(c.facilities[0].name, "Xushui kindergarten 1");
  EXPECT_EQ(c.facilities[2].name, "Xushui kindergarten 3");
  EXPECT_EQ(c.facilities[2].kind, kKindergarten);
  EXPECT_FALSE(c.facilities[1].is_public);
  EXPECT_DOUBLE_EQ(c.facilities[1].teachers, 16.0);
  EXPECT_EQ(c.facilities[3].kind, kHospital);
  EXPECT_EQ(c.facilities[3].zone, "柳湖");
  EXPECT_EQ(c.facilities[3].opening_year, 2023);
  EXPECT_EQ(c.facilities[3].closing_year, 2030);
  EXPECT_EQ(c.facilities[0].opening_year, 1900);
  EXPECT_DOUBLE_EQ(c.health.catchment_radius_km, 0.8);
  EXPECT_EQ(c.education.kindergarten_participation.size(), 3u);
}

TEST(FacilitiesConfig, BuildScalesCapacitiesAndResolvesZones) {
  Diagnostics d;
  const ServicesConfig c =
      read(wrap("{name: K, kind: kindergarten, zone: Xushui, capacity: 245, teachers: 10},"
                "{name: H, kind: hospital, zone: liuhu, capacity: 3, doctors: 8}"),
           d);
  ASSERT_EQ(d.format(), "");
  World w = test::make_world({test::zone("liuhu", 0, 0), test::zone("xushui", 0, 0)});
  w.zones[1].name_en = "Xushui";
  build_facilities(w, c.facilities, 0.1);
  ASSERT_EQ(test::facilities(w).size(), 2u);
  EXPECT_EQ(test::facilities(w).id, (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(test::facilities(w).zone, (std::vector<std::uint16_t>{1, 0}));
  // Not rounded: 245 × 0.1 and 3 × 0.1; the places allocated are floor(x + u) with the ids'
  // offsets u = frac(id × 0.618…): 0.618 and 0.236.
  EXPECT_EQ(test::facilities(w).capacity_exact, (std::vector<double>{245 * 0.1, 3 * 0.1}));
  EXPECT_EQ(test::facilities(w).capacity, (std::vector<std::uint32_t>{25, 0}));
  EXPECT_FLOAT_EQ(test::facilities(w).teachers[0], 1.0f);
  EXPECT_FLOAT_EQ(test::facilities(w).doctors[1], 0.8f);
  build_facilities(w, c.facilities, 0.1);  // a second service process: already built
  EXPECT_EQ(test::facilities(w).size(), 2u);
}

TEST(FacilitiesConfig, UnknownKindIsReportedWithAHint) {
  Diagnostics d;
  read(wrap("{name: K, kind: kindergarden, zone: xushui, capacity: 10}"), d);
  EXPECT_EQ(
      d.format(),
      "configs/test/facilities.yaml:1:41: error: facilities.schools[0].kind: unknown facility "
      "kind 'kindergarden' (did you mean 'kindergarten'?); kinds: kindergarten, primary, "
      "junior_middle, eldercare_institution, community_eldercare_centre, hospital, "
      "community_health_centre, community_health_station\n");
}

TEST(FacilitiesConfig, UnknownZoneIsReportedWithAHint) {
  Diagnostics d;
  read(wrap("{name: K, kind: primary, zone: xushiu, capacity: 10}"), d);
  EXPECT_EQ(d.format(),
            "configs/test/facilities.yaml:1:56: error: facilities.schools[0].zone: "
            "unknown zone 'xushiu' (did you mean 'xushui'?; zones: xushui, liuhu)\n");
}

TEST(FacilitiesConfig, NegativeCapacityIsOutOfRange) {
  Diagnostics d;
  read(wrap("{name: K, kind: primary, zone: xushui, capacity: -5}"), d);
  EXPECT_EQ(d.format(),
            "configs/test/facilities.yaml:1:74: error: facilities.schools[0].capacity: "
            "-5 is out of range (must be [0, 10000000])\n");
}

TEST(FacilitiesConfig, MissingRequiredKeyIsReportedAtTheRow) {
  Diagnostics d;
  read(wrap("{name: K, kind: primary, capacity: 5}"), d);
  EXPECT_EQ(d.format(),
            "configs/test/facilities.yaml:1:25: error: facilities.schools[0]: missing "
            "required key 'zone'\n");
}

TEST(FacilitiesConfig, UnknownColumnGetsDidYouMean) {
  Diagnostics d;
  read(wrap("{name: K, kind: primary, zone: xushui, capacity: 5, teachres: 3}"), d);
  EXPECT_EQ(d.format(),
            "configs/test/facilities.yaml:1:77: error: facilities.schools[0].teachres: "
            "unknown key 'teachres' in 'facilities.schools[0]' (did you mean "
            "'teachers'?)\n");
}

TEST(FacilitiesConfig, ClosingYearMustFollowOpeningYear) {
  Diagnostics d;
  read(wrap("{name: K, kind: primary, zone: xushui, capacity: 5, opening_year: 2024, closing_year: "
            "2022}"),
       d);
  EXPECT_EQ(d.format(),
            "configs/test/facilities.yaml:1:111: error: facilities.schools[0].closing_year: "
            "2022 is not after opening_year (2024)\n");
}

TEST(FacilitiesConfig, ParticipationMustMatchAgesAndNotFall) {
  Diagnostics d;
  read(wrap("", ",\neducation: {kindergarten_participation: [0.9, 0.8, 0.95]}"), d);
  EXPECT_EQ(d.format(),
            "configs/test/facilities.yaml:2:47: error: "
            "education.kindergarten_participation[1]: participation must not fall "
            "with age (0.8 after 0.9)\n");
  Diagnostics d2;
  read(wrap("",
            ",\neducation: {kindergarten_ages: [2, 5], kindergarten_participation: [0.9, 0.9, "
            "0.95]}"),
       d2);
  EXPECT_EQ(d2.format(),
            "configs/test/facilities.yaml:2:68: error: "
            "education.kindergarten_participation: expected 4 probabilities (one per "
            "age 2-5), got 3\n");
}

TEST(FacilitiesConfig, CareNeedBandsAreChecked) {
  Diagnostics d;
  read(
      "{facilities: {}, eldercare: {min_age: 60, care_need: [\n"
      "{from_age: 65, initial_partial: 0.7, initial_full: 0.5, onset_partial: 0, onset_full: 0, "
      "progression: 0, recovery: 0},\n"
      "{from_age: 65, initial_partial: 0, initial_full: 0, onset_partial: 0, onset_full: 0, "
      "progression: 0, recovery: 1.5}]}}",
      d);
  EXPECT_EQ(
      d.format(),
      "configs/test/facilities.yaml:1:54: error: eldercare.care_need: the first band must start "
      "at min_age (60), not 65\n"
      "configs/test/facilities.yaml:2:1: error: eldercare.care_need[0]: initial_partial + "
      "initial_full exceeds 1\n"
      "configs/test/facilities.yaml:3:12: error: eldercare.care_need[1].from_age: age bands "
      "must ascend (65 after 65)\n"
      "configs/test/facilities.yaml:3:112: error: eldercare.care_need[1].recovery: 1.5 is out "
      "of range (must be [0, 1])\n");
}

TEST(FacilitiesConfig, ASecondReaderDoesNotRepeatErrors) {
  ParamNode city =
      test::city_with_facilities(wrap("{name: K, kind: school, zone: a, capacity: 1}"));
  Diagnostics d;
  read_services_config(city, d);
  read_services_config(city, d);
  EXPECT_EQ(d.size(), 1u) << d.format();
}

TEST(FacilitiesConfig, ZonesUnknownToTheWorldStopTheRunWithLocations) {
  Diagnostics d;
  const ServicesConfig c = read(wrap("{name: K, kind: primary, zone: nowhere, capacity: 5},\n"
                                     "{name: L, kind: primary, zone: liuhu, capacity: 5}"),
                                d, /*with_zones=*/false);
  ASSERT_EQ(d.format(), "");
  World w = test::make_world({test::zone("liuhu", 0, 0), test::zone("lianhu", 0, 0)});
  try {
    build_facilities(w, c.facilities, 1.0);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.diagnostics().format(),
              "configs/test/facilities.yaml:1:56: error: facilities: "
              "unknown zone 'nowhere' (zones: liuhu, lianhu)\n");
  }
  EXPECT_EQ(test::facilities(w).size(), 0u);
}

TEST(FacilitiesConfig, MissingFileIsReported) {
  ParamNode city(ParamNode::Kind::Map, SourceLoc{"configs/test", 0, 0}, "");
  Diagnostics d;
  read_services_config(city, d);
  EXPECT_NE(d.format().find("the city config has no facilities.yaml"), std::string::npos);
}

TEST(Facilities, CompactionDropsClosedFacilitiesAndRemapsPersons) {
  World w = test::make_world({test::zone("a", 0, 0)});
  test::add_people(w, 0, 7, 3);
  for (int k = 0; k < 4; ++k) {
    FacilityRecord r;
    r.id = static_cast<std::uint64_t>(10 + k);
    r.name = "F" + std::to_string(k);
    r.kind = k < 2 ? kPrimarySchool : kEldercareInstitution;
    r.closing_year = k % 2 == 0 ? 2022 : 0;
    append_facility(test::facilities(w), r);
  }
  test::school(w) = {0, 1, kNoRow};
  test::care(w).care_bed = {2, 3, 3};
  EXPECT_EQ(compact_facilities(w, 2021), 0u);
  EXPECT_EQ(compact_facilities(w, 2022), 2u);
  EXPECT_EQ(test::facilities(w).id, (std::vector<std::uint64_t>{11, 13}));
  EXPECT_EQ(test::facilities(w).name, (std::vector<std::string>{"F1", "F3"}));
  EXPECT_EQ(test::school(w), (std::vector<std::uint32_t>{kNoRow, 0, kNoRow}));
  EXPECT_EQ(test::care(w).care_bed, (std::vector<std::uint32_t>{kNoRow, 1, 1}));
}

TEST(Facilities, CandidateListsPutTheHomeZoneFirstThenDistance) {
  World w =
      test::make_world({test::zone("a", 0, 0), test::zone("b", 5000, 0), test::zone("c", 1000, 0)});
  w.zones[1].x_m = std::numeric_limits<double>::quiet_NaN();  // b: position unknown -> last
  const std::uint16_t zones[] = {1, 2, 0, 2};
  for (int k = 0; k < 4; ++k) {
    FacilityRecord r;
    r.id = static_cast<std::uint64_t>(k + 1);
    r.kind = kPrimarySchool;
    r.zone = zones[k];
    append_facility(test::facilities(w), r);
  }
  ZoneDistances dist;
  dist.build(w.zones);
  CandidateLists lists;
  lists.build(test::facilities(w), dist, 2020, [](int kind) { return kind == kPrimarySchool; });
  ASSERT_EQ(lists.size(0), 4u);
  EXPECT_EQ(lists.home_count(0), 1u);
  EXPECT_EQ(std::vector<std::uint32_t>(lists.facilities(0), lists.facilities(0) + 4),
            (std::vector<std::uint32_t>{2, 1, 3, 0}));  // home, c (id 2 then 4), b unknown
  EXPECT_FLOAT_EQ(lists.distances(0)[1], 1.0f);
  EXPECT_TRUE(std::isnan(lists.distances(0)[3]));
}

}  // namespace
}  // namespace plansim

// Results file: write a small hand-made run, read every dataset and attribute back; atomic
// writes and clean failures; identical bytes for identical inputs; the human summary; and a
// plain h5py reader (tools/h5_example.py) when Python with h5py is available.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "core/sha256.h"
#include "core/text.h"
#include "core/version.h"
#include "io/hdf5_reader.h"
#include "io/hdf5_writer.h"
#include "support/temp_dir.h"

namespace plansim {
namespace {

namespace fs = std::filesystem;

using testing::TempDir;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// ---- the hand-made run: 2 replicates, 3 years, 2 zones ----

const std::vector<int> kYears = {2020, 2021, 2022};

SeriesCatalog make_catalog() {
  SeriesCatalog catalog;
  catalog.declare({SeriesKind::Indicator, "population", "persons", "常住人口",
                   "Resident population", "Persons living in the district on 31 December."});
  catalog.declare({SeriesKind::Indicator, "crude_birth_rate", "per 1000", "出生率",
                   "Crude birth rate", "Births per 1000 mid-year residents."});
  catalog.declare({SeriesKind::Event, "births", "persons", "出生人数", "Births",
                   "Live births during the year."});
  catalog.declare({SeriesKind::Zone, "residents", "persons", "分区常住人口",
                   "Residents by sub-district", "Persons living in each sub-district."});
  catalog.declare({SeriesKind::Facility, "kindergarten_places", "places", "幼儿园学位",
                   "Kindergarten places", "Places offered by each kindergarten."});
  return catalog;
}

// Known values as functions of (replicate, year row, zone), so every cell is checkable.
double population_value(std::size_t r, std::size_t y) { return 962642.0 + 1000.0 * r + 10.0 * y; }
double birth_rate_value(std::size_t r, std::size_t y) { return 9.5 + 0.25 * r - 0.5 * y; }
std::int64_t births_value(std::size_t r, std::size_t y) {
  return static_cast<std::int64_t>(9000 + 100 * r + y);
}
float residents_value(std::size_t r, std::size_t y, std::size_t z) {
  return 50000.5f + static_cast<float>(r) + 10.0f * static_cast<float>(y) +
         1000.0f * static_cast<float>(z);
}

float places_value(std::uint64_t id, std::size_t r, std::size_t y) {
  return static_cast<float>(100 * id + 10 * r + y);
}

ReplicateResults make_replicate(std::uint32_t r) {
  ReplicateResults results;
  results.replicate = r;
  results.years = kYears;
  results.zone_labels = {{"linshanzhai", "林山寨", "Linshanzhai"},
                         {"mianfanglu", "棉纺路", "Mianfanglu"}};
  for (std::size_t y = 0; y < kYears.size(); ++y) {
    results.indicators["population"].push_back(population_value(r, y));
    results.indicators["crude_birth_rate"].push_back(birth_rate_value(r, y));
    results.events["births"].push_back(births_value(r, y));
    for (std::size_t z = 0; z < 2; ++z)
      results.zones["residents"].push_back(residents_value(r, y, z));
  }
  // Facility 3 in both replicates; 7 only in replicate 0, 9 only in replicate 1.
  results.facility_ids = {3, r == 0 ? 7u : 9u};
  results.facility_names = {"第一幼儿园", r == 0 ? "棉纺路幼儿园" : "须水幼儿园"};
  for (std::size_t y = 0; y < kYears.size(); ++y)
    for (std::uint64_t id : results.facility_ids)
      results.facilities["kindergarten_places"].push_back(places_value(id, r, y));
  results.scalars["fertility_calibration_factor"] = 1.0 + 0.5 * r;
  // Same marginals in a different order per replicate: the writer matches them by name.
  if (r == 0)
    results.synthesis_fit = {
        {"sex/female", 480.0, 478.0}, {"age_group/60+", 140.0, 141.0}, {"zone/empty", 0.0, 3.0}};
  else
    results.synthesis_fit = {
        {"zone/empty", 0.0, 0.0}, {"sex/female", 480.0, 484.0}, {"age_group/60+", 140.0, 133.0}};
  return results;
}

struct Fixture {
  SeriesCatalog catalog = make_catalog();
  RunOutput output;
  Fixture() {
    RunMeta& meta = output.meta;
    meta.engine_version = "0.1.0";
    meta.git_sha = "0123456789ab";
    meta.command_line = "plansim run scenarios/baseline.yaml -o out.h5";
    meta.schema_version = kSchemaVersion;
    meta.scenario_name = "baseline";
    meta.city_name = "中原区";
    meta.scenario_yaml = "scenario: {name: baseline}\nrun: {start: 2020, end: 2022}\n";
    meta.seed = 20211116;
    meta.replicates = 2;
    meta.threads = 2;
    meta.ranks = 1;
    meta.start_year = 2020;
    meta.end_year = 2022;
    meta.scale = 0.5;
    meta.wall_time_seconds = 1.25;
    meta.files_read = {"scenarios/baseline.yaml", "configs/zhongyuan/zones.yaml"};
    meta.extra = {{"note", "测试运行"}};
    output.catalog = &catalog;
    // Given out of order: rows are written by replicate number.
    output.replicates = {make_replicate(1), make_replicate(0)};
  }
};

std::string write_fixture(const TempDir& dir, const std::string& name = "results.h5") {
  Fixture fixture;
  const std::string path = dir.file(name);
  write_results(path, fixture.output);
  return path;
}

// ---- round trip ----

TEST(Hdf5Results, MetaHoldsEveryRunMetaField) {
  TempDir dir;
  const ResultsFile file(write_fixture(dir));
  const auto strings = file.meta_strings();
  EXPECT_EQ(strings.at("engine_version"), "0.1.0");
  EXPECT_EQ(strings.at("git_sha"), "0123456789ab");
  EXPECT_EQ(strings.at("command_line"), "plansim run scenarios/baseline.yaml -o out.h5");
  EXPECT_EQ(strings.at("scenario_name"), "baseline");
  EXPECT_EQ(strings.at("city_name"), "中原区");
  EXPECT_EQ(strings.at("scenario_yaml"), Fixture().output.meta.scenario_yaml);
  // Computed by the writer when the caller leaves it empty.
  EXPECT_EQ(strings.at("scenario_sha256"), sha256_hex(Fixture().output.meta.scenario_yaml));
  EXPECT_EQ(strings.at("note"), "测试运行");
  EXPECT_EQ(strings.size(), 8u);

  const auto numbers = file.meta_numbers();
  EXPECT_EQ(numbers.at("schema_version"), kSchemaVersion);
  EXPECT_EQ(numbers.at("seed"), 20211116.0);
  EXPECT_EQ(numbers.at("replicates"), 2.0);
  EXPECT_EQ(numbers.at("threads"), 2.0);
  EXPECT_EQ(numbers.at("ranks"), 1.0);
  EXPECT_EQ(numbers.at("start_year"), 2020.0);
  EXPECT_EQ(numbers.at("end_year"), 2022.0);
  EXPECT_EQ(numbers.at("scale"), 0.5);
  EXPECT_EQ(numbers.at("wall_time_seconds"), 1.25);
  EXPECT_EQ(numbers.size(), 9u);

  EXPECT_EQ(file.meta_list("files_read"),
            (std::vector<std::string>{"scenarios/baseline.yaml", "configs/zhongyuan/zones.yaml"}));
  EXPECT_TRUE(file.meta_list("no_such_list").empty());
}

TEST(Hdf5Results, YearsAndReplicateNumbers) {
  TempDir dir;
  const ResultsFile file(write_fixture(dir));
  EXPECT_EQ(file.years(), kYears);
  EXPECT_EQ(file.shape("/years"), std::vector<std::size_t>{3});
  EXPECT_EQ(file.replicate_numbers(), (std::vector<unsigned>{0, 1}));
}

TEST(Hdf5Results, IndicatorsByReplicateAndYearWithTheirLabels) {
  TempDir dir;
  const ResultsFile file(write_fixture(dir));
  ASSERT_EQ(file.keys("indicators"), (std::vector<std::string>{"crude_birth_rate", "population"}));
  const auto population = file.indicator("population");
  const auto birth_rate = file.indicator("crude_birth_rate");
  ASSERT_EQ(population.rows, 2u);
  ASSERT_EQ(population.cols, 3u);
  EXPECT_EQ(file.shape("/indicators/population"), (std::vector<std::size_t>{2, 3}));
  for (std::size_t r = 0; r < 2; ++r)
    for (std::size_t y = 0; y < 3; ++y) {
      EXPECT_EQ(population.at(r, y), population_value(r, y));
      EXPECT_EQ(birth_rate.at(r, y), birth_rate_value(r, y));
    }
  const SeriesInfo info = file.series_info("indicators", "population");
  EXPECT_EQ(info.kind, SeriesKind::Indicator);
  EXPECT_EQ(info.key, "population");
  EXPECT_EQ(info.unit, "persons");
  EXPECT_EQ(info.label_zh, "常住人口");
  EXPECT_EQ(info.label_en, "Resident population");
  EXPECT_EQ(info.description, "Persons living in the district on 31 December.");
  EXPECT_EQ(file.string_attributes("/indicators/crude_birth_rate").at("unit"), "per 1000");
}

TEST(Hdf5Results, EventsAreInt64Counts) {
  TempDir dir;
  const ResultsFile file(write_fixture(dir));
  ASSERT_EQ(file.keys("events"), std::vector<std::string>{"births"});
  const auto births = file.events("births");
  ASSERT_EQ(births.rows, 2u);
  ASSERT_EQ(births.cols, 3u);
  for (std::size_t r = 0; r < 2; ++r)
    for (std::size_t y = 0; y < 3; ++y)
      EXPECT_EQ(births.at(r, y), static_cast<double>(births_value(r, y)));
  EXPECT_EQ(file.raw("/events/births").size(), 6 * sizeof(std::int64_t));
  const SeriesInfo info = file.series_info("events", "births");
  EXPECT_EQ(info.kind, SeriesKind::Event);
  EXPECT_EQ(info.label_zh, "出生人数");
  EXPECT_EQ(info.unit, "persons");
}

TEST(Hdf5Results, ZonePanelsAndZoneLabels) {
  TempDir dir;
  const ResultsFile file(write_fixture(dir));
  EXPECT_EQ(file.keys("zones"), std::vector<std::string>{"residents"});
  std::size_t replicates = 0, years = 0, zones = 0;
  const std::vector<float> residents = file.zones("residents", replicates, years, zones);
  ASSERT_EQ(replicates, 2u);
  ASSERT_EQ(years, 3u);
  ASSERT_EQ(zones, 2u);
  for (std::size_t r = 0; r < 2; ++r)
    for (std::size_t y = 0; y < 3; ++y)
      for (std::size_t z = 0; z < 2; ++z)
        EXPECT_EQ(residents[(r * 3 + y) * 2 + z], residents_value(r, y, z));
  EXPECT_EQ(file.raw("/zones/residents").size(), 12 * sizeof(float));
  EXPECT_EQ(file.zone_keys(), (std::vector<std::string>{"linshanzhai", "mianfanglu"}));
  EXPECT_EQ(file.strings("/zones/zone_name_zh"), (std::vector<std::string>{"林山寨", "棉纺路"}));
  EXPECT_EQ(file.strings("/zones/zone_name_en"),
            (std::vector<std::string>{"Linshanzhai", "Mianfanglu"}));
  const auto labels = file.zone_labels();
  ASSERT_EQ(labels.size(), 2u);
  EXPECT_EQ(labels[1].name_zh, "棉纺路");
  const SeriesInfo info = file.series_info("zones", "residents");
  EXPECT_EQ(info.kind, SeriesKind::Zone);
  EXPECT_EQ(info.label_en, "Residents by sub-district");
}

TEST(Hdf5Results, FacilityPanelsOverTheUnionOfFacilities) {
  TempDir dir;
  const ResultsFile file(write_fixture(dir));
  EXPECT_EQ(file.keys("facilities"), std::vector<std::string>{"kindergarten_places"});
  EXPECT_EQ(file.facility_ids(), (std::vector<std::uint64_t>{3, 7, 9}));
  EXPECT_EQ(file.facility_names(),
            (std::vector<std::string>{"第一幼儿园", "棉纺路幼儿园", "须水幼儿园"}));
  std::size_t replicates = 0, years = 0, facilities = 0;
  const std::vector<float> places =
      file.facilities("kindergarten_places", replicates, years, facilities);
  ASSERT_EQ(replicates, 2u);
  ASSERT_EQ(years, 3u);
  ASSERT_EQ(facilities, 3u);
  auto cell = [&](std::size_t r, std::size_t y, std::size_t f) {
    return places[(r * 3 + y) * 3 + f];
  };
  for (std::size_t y = 0; y < 3; ++y) {
    EXPECT_EQ(cell(0, y, 0), places_value(3, 0, y));
    EXPECT_EQ(cell(0, y, 1), places_value(7, 0, y));
    EXPECT_TRUE(std::isnan(cell(0, y, 2)));  // facility 9 is not in replicate 0
    EXPECT_EQ(cell(1, y, 0), places_value(3, 1, y));
    EXPECT_TRUE(std::isnan(cell(1, y, 1)));
    EXPECT_EQ(cell(1, y, 2), places_value(9, 1, y));
  }
  const SeriesInfo info = file.series_info("facilities", "kindergarten_places");
  EXPECT_EQ(info.kind, SeriesKind::Facility);
  EXPECT_EQ(info.label_zh, "幼儿园学位");
}

TEST(Hdf5Results, ScalarsPerReplicate) {
  TempDir dir;
  const ResultsFile file(write_fixture(dir));
  EXPECT_EQ(file.keys("scalars"), std::vector<std::string>{"fertility_calibration_factor"});
  EXPECT_EQ(file.scalar("fertility_calibration_factor"), (std::vector<double>{1.0, 1.5}));
}

TEST(Hdf5Results, SynthesisFitMatchedByMarginalName) {
  TempDir dir;
  const ResultsFile file(write_fixture(dir));
  // "marginal" is the group's axis (a dimension scale), not a series.
  EXPECT_EQ(file.keys("synthesis"),
            (std::vector<std::string>{"achieved", "relative_error", "target"}));
  const auto fit = file.synthesis();
  // The first replicate's order.
  ASSERT_EQ(fit.marginals, (std::vector<std::string>{"sex/female", "age_group/60+", "zone/empty"}));
  ASSERT_EQ(fit.target.rows, 2u);
  ASSERT_EQ(fit.target.cols, 3u);
  EXPECT_EQ(fit.target.at(1, 0), 480.0);
  EXPECT_EQ(fit.achieved.at(0, 0), 478.0);
  EXPECT_EQ(fit.achieved.at(1, 0), 484.0);  // given second in replicate 1
  EXPECT_EQ(fit.achieved.at(1, 1), 133.0);
  EXPECT_DOUBLE_EQ(fit.relative_error.at(0, 0), (478.0 - 480.0) / 480.0);
  EXPECT_DOUBLE_EQ(fit.relative_error.at(1, 1), (133.0 - 140.0) / 140.0);
  EXPECT_EQ(fit.relative_error.at(0, 2), 0.0);  // target 0: defined as 0
  EXPECT_EQ(fit.achieved.at(0, 2), 3.0);
}

TEST(Hdf5Results, EmptyRunStillHasEveryGroup) {
  TempDir dir;
  SeriesCatalog catalog;
  RunOutput output;
  output.catalog = &catalog;
  output.replicates.resize(1);
  const std::string path = dir.file("empty.h5");
  write_results(path, output);
  const ResultsFile file(path);
  EXPECT_TRUE(file.years().empty());
  EXPECT_TRUE(file.keys("indicators").empty());
  EXPECT_TRUE(file.zone_keys().empty());
  EXPECT_TRUE(file.synthesis().marginals.empty());
  EXPECT_EQ(file.meta_numbers().at("schema_version"), kSchemaVersion);  // 0 means "this writer's"
  EXPECT_EQ(file.meta_strings().at("scenario_sha256"), sha256_hex(""));
  EXPECT_FALSE(file.describe().empty());
}

// ---- atomic writes ----

TEST(Hdf5Results, OnlyTheFinalFileRemainsAfterSuccess) {
  TempDir dir;
  write_fixture(dir);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"results.h5"});
}

TEST(Hdf5Results, RewritingReplacesTheWholeFile) {
  TempDir dir;
  const std::string path = write_fixture(dir);
  Fixture fixture;
  fixture.output.replicates.pop_back();  // keep replicate 1 only
  write_results(path, fixture.output);
  const ResultsFile file(path);
  EXPECT_EQ(file.replicate_numbers(), std::vector<unsigned>{1});
  EXPECT_EQ(file.indicator("population").at(0, 2), population_value(1, 2));
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"results.h5"});
}

TEST(Hdf5Results, MissingDirectoryLeavesNoFileAndSaysWhy) {
  TempDir dir;
  Fixture fixture;
  const std::string path = dir.file("no_such_dir/results.h5");
  try {
    write_results(path, fixture.output);
    FAIL() << "expected IoError";
  } catch (const IoError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("cannot write results file '" + path + "'"), std::string::npos)
        << message;
    EXPECT_NE(message.find("cannot create '" + path + ".tmp-" + std::to_string(::getpid()) +
                           "': No such file or directory"),
              std::string::npos)
        << message;
  }
  EXPECT_TRUE(dir.entries().empty());
}

TEST(Hdf5Results, FailedRenameRemovesTheTemporaryFile) {
  TempDir dir;
  Fixture fixture;
  // The target is a non-empty directory: the temporary file is written, the rename fails.
  const std::string path = dir.file("results.h5");
  fs::create_directory(path);
  std::ofstream(path + "/keep").put('x');
  try {
    write_results(path, fixture.output);
    FAIL() << "expected IoError";
  } catch (const IoError& error) {
    const std::string message = error.what();
    EXPECT_NE(
        message.find("cannot rename '" + path + ".tmp-" + std::to_string(::getpid()) + "' to it"),
        std::string::npos)
        << message;
  }
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"results.h5"});
  EXPECT_TRUE(fs::is_directory(path));
}

// A full disk: the process's file size limit (as `ulimit -f`) makes writes fail with EFBIG as a
// full disk fails them with ENOSPC. Limits from nothing to one byte short of the file, so that the
// write fails at its start, inside it and at its last byte; each ends in the documented IoError,
// leaves no file, and the process goes on (HDF5 itself never met the failure) to write the file
// once the limit is lifted.
TEST(Hdf5Results, AFullDiskIsAnErrorAtEveryPointOfTheWrite) {
  TempDir dir;
  const std::string path = write_fixture(dir);
  const std::uintmax_t size = fs::file_size(path);
  EXPECT_LT(size, std::uintmax_t{1} << 20) << "the saved file ends where HDF5's file ends";
  fs::remove(path);
  rlimit original{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &original), 0);
  const auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);
  for (const std::uintmax_t limit : {std::uintmax_t{0}, std::uintmax_t{512}, size / 2, size - 1}) {
    SCOPED_TRACE("file size limit " + std::to_string(limit) + " of " + std::to_string(size));
    Fixture fixture;
    rlimit limited = original;
    limited.rlim_cur = static_cast<rlim_t>(limit);
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limited), 0);
    std::string message;
    try {
      write_results(path, fixture.output);
    } catch (const IoError& error) {
      message = error.what();
    }
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &original), 0);
    EXPECT_NE(
        message.find("cannot write results file '" + path + "': cannot finish '" + path + ".tmp-" +
                     std::to_string(::getpid()) + "': file write failed: File too large"),
        std::string::npos)
        << message;
    EXPECT_TRUE(dir.entries().empty());
  }
  std::signal(SIGXFSZ, previous_handler);
  write_fixture(dir);
  EXPECT_EQ(fs::file_size(path), size);
  EXPECT_EQ(ResultsFile(path).replicate_numbers(), (std::vector<unsigned>{0, 1}));
}

// ---- inconsistent results: one test per class, message checked, nothing written ----

struct BadOutput {
  const char* name;
  std::function<void(Fixture&)> spoil;
  const char* message;
};

// Test names show the class, not the bytes of the parameter.
void PrintTo(const BadOutput& bad, std::ostream* out) { *out << bad.name; }

class Hdf5BadOutput : public ::testing::TestWithParam<BadOutput> {};

TEST_P(Hdf5BadOutput, ThrowsIoErrorAndWritesNothing) {
  TempDir dir;
  Fixture fixture;
  GetParam().spoil(fixture);
  try {
    write_results(dir.file("results.h5"), fixture.output);
    FAIL() << "expected IoError";
  } catch (const IoError& error) {
    EXPECT_EQ(std::string(error.what()), std::string("write_results: ") + GetParam().message);
  }
  EXPECT_TRUE(dir.entries().empty());
}

// replicates[0] is replicate 1 and replicates[1] is replicate 0 (see Fixture).
INSTANTIATE_TEST_SUITE_P(
    EachClass, Hdf5BadOutput,
    ::testing::Values(
        BadOutput{"MissingSeries",
                  [](Fixture& f) { f.output.replicates[0].indicators.erase("crude_birth_rate"); },
                  "replicate 1 lacks indicator 'crude_birth_rate' that replicate 0 has"},
        BadOutput{"MissingEvent", [](Fixture& f) { f.output.replicates[1].events.clear(); },
                  "replicate 0 lacks event 'births' that replicate 1 has"},
        BadOutput{"MissingScalar", [](Fixture& f) { f.output.replicates[1].scalars.clear(); },
                  "replicate 0 lacks scalar 'fertility_calibration_factor' that replicate 1 has"},
        BadOutput{"Undeclared",
                  [](Fixture& f) {
                    for (auto& r : f.output.replicates) r.indicators["gdp"] = {1, 2, 3};
                  },
                  "indicator 'gdp' is not declared in the catalog"},
        BadOutput{"WrongKind",
                  [](Fixture& f) {
                    for (auto& r : f.output.replicates) r.events["population"] = {1, 2, 3};
                  },
                  "event 'population' is not declared in the catalog"},
        BadOutput{"WrongLength",
                  [](Fixture& f) { f.output.replicates[1].indicators["population"].pop_back(); },
                  "indicator 'population' of replicate 0 has 2 values for 3 years"},
        BadOutput{"WrongZonePanelLength",
                  [](Fixture& f) { f.output.replicates[0].zones["residents"].push_back(1.0f); },
                  "zone series 'residents' of replicate 1 has 7 values for 3 years x 2 zones"},
        BadOutput{"OtherYears", [](Fixture& f) { f.output.replicates[0].years[2] = 2023; },
                  "replicate 1 has other years than replicate 0"},
        BadOutput{"OtherZones",
                  [](Fixture& f) { f.output.replicates[0].zone_labels[1].name_zh = "其他"; },
                  "replicate 1 has other zone labels than replicate 0"},
        BadOutput{"DuplicateReplicate", [](Fixture& f) { f.output.replicates[0].replicate = 0; },
                  "replicate 0 appears twice"},
        BadOutput{"OtherMarginals",
                  [](Fixture& f) { f.output.replicates[0].synthesis_fit.pop_back(); },
                  "replicate 1 has other synthesis marginals than replicate 0"},
        BadOutput{"RepeatedMarginal",
                  [](Fixture& f) {
                    auto& fit = f.output.replicates[1].synthesis_fit;
                    fit.push_back(fit.front());
                  },
                  "replicate 0 has synthesis marginal 'sex/female' twice"},
        BadOutput{"FacilityRenamed",
                  [](Fixture& f) { f.output.replicates[0].facility_names[0] = "新名字"; },
                  "facility 3 is named '第一幼儿园' in replicate 0 but '新名字' in replicate 1"},
        BadOutput{"FacilityNamesMissing",
                  [](Fixture& f) { f.output.replicates[1].facility_names.pop_back(); },
                  "replicate 0 has 2 facility ids but 1 facility names"},
        BadOutput{"FacilityListedTwice",
                  [](Fixture& f) {
                    auto& r = f.output.replicates[1];
                    r.facility_ids[1] = 3;
                    r.facility_names[1] = r.facility_names[0];
                  },
                  "replicate 0 lists facility 3 twice"},
        BadOutput{
            "WrongFacilityPanelLength",
            [](Fixture& f) { f.output.replicates[0].facilities["kindergarten_places"].pop_back(); },
            "facility series 'kindergarten_places' of replicate 1 has 5 values for 3 years "
            "x 2 facilities"},
        BadOutput{"BadLinkName",
                  [](Fixture& f) {
                    for (auto& r : f.output.replicates) r.scalars["a/b"] = 1;
                  },
                  "scalar key 'a/b' cannot be an HDF5 dataset name"},
        BadOutput{"ReservedZoneName",
                  [](Fixture& f) {
                    f.catalog.declare({SeriesKind::Zone, "zone_key", "", "", "", ""});
                    for (auto& r : f.output.replicates) r.zones["zone_key"] = r.zones["residents"];
                  },
                  "zone series key 'zone_key' is reserved for the zone labels"},
        BadOutput{"ReservedAxisName",
                  [](Fixture& f) {
                    f.catalog.declare({SeriesKind::Indicator, "year", "", "", "", ""});
                    for (auto& r : f.output.replicates)
                      r.indicators["year"] = std::vector<double>(r.years.size(), 2020.0);
                  },
                  "indicator key 'year' is reserved for the year axis"},
        BadOutput{"StaleScenarioDigest",
                  [](Fixture& f) { f.output.meta.scenario_sha256 = sha256_hex("other text"); },
                  "meta.scenario_sha256 is not the SHA-256 of meta.scenario_yaml"},
        BadOutput{"OtherSchema", [](Fixture& f) { f.output.meta.schema_version = 999; },
                  "meta.schema_version 999 differs from this writer's schema 2"},
        BadOutput{"ExtraShadowsField",
                  [](Fixture& f) {
                    f.output.meta.extra.push_back({"seed", "1"});
                  },
                  "meta.extra attribute 'seed' has the name of a RunMeta field"},
        BadOutput{"ExtraTwice",
                  [](Fixture& f) {
                    f.output.meta.extra.push_back({"note", "again"});
                  },
                  "meta.extra attribute 'note' appears twice"},
        BadOutput{"NoCatalog", [](Fixture& f) { f.output.catalog = nullptr; }, "no series catalog"},
        BadOutput{"NoReplicates", [](Fixture& f) { f.output.replicates.clear(); },
                  "no replicates to write"}),
    [](const ::testing::TestParamInfo<BadOutput>& info) { return info.param.name; });

// ---- determinism ----

TEST(Hdf5Results, SameInputsGiveIdenticalDatasetBytes) {
  TempDir dir;
  const ResultsFile first(write_fixture(dir, "first.h5"));
  const ResultsFile second(write_fixture(dir, "second.h5"));
  std::size_t compared = 0;
  for (const char* group : {"indicators", "events", "zones", "facilities", "scalars", "synthesis"})
    for (const std::string& key : first.keys(group)) {
      const std::string path = std::string("/") + group + "/" + key;
      const auto bytes = first.raw(path);
      EXPECT_FALSE(bytes.empty()) << path;
      EXPECT_EQ(bytes, second.raw(path)) << path;
      ++compared;
    }
  for (const char* path :
       {"/years", "/replicate", "/zones/zone_key", "/zones/zone_name_zh", "/facilities/facility_id",
        "/facilities/facility_name", "/indicators/year", "/indicators/replicate", "/zones/zone",
        "/facilities/facility", "/synthesis/marginal"})
    EXPECT_EQ(first.raw(path), second.raw(path)) << path;
  EXPECT_EQ(compared, 9u);  // 2 indicators, 1 event, 1 zone and 1 facility panel, 1 scalar,
                            // 3 synthesis
}

TEST(Hdf5Results, SameInputsGiveIdenticalFiles) {
  // No object timestamps: the whole file, not only the data, is reproducible.
  TempDir dir;
  const std::string first = slurp(write_fixture(dir, "first.h5"));
  const std::string second = slurp(write_fixture(dir, "second.h5"));
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(sha256_hex(first), sha256_hex(second));
}

TEST(Hdf5Results, NoObjectCarriesATimestamp) {
  // Two writes a second apart differ only if some object (the root group included) keeps times.
  TempDir dir;
  const std::string path = write_fixture(dir);
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  std::vector<std::string> timed;
  auto visit = [](hid_t, const char* name, const H5O_info_t* info, void* data) -> herr_t {
    if (info->atime != 0 || info->mtime != 0 || info->ctime != 0 || info->btime != 0)
      static_cast<std::vector<std::string>*>(data)->push_back(name);
    return 0;
  };
  std::size_t objects = 0;
  auto count = [](hid_t, const char*, const H5O_info_t*, void* data) -> herr_t {
    ++*static_cast<std::size_t*>(data);
    return 0;
  };
  EXPECT_GE(H5Ovisit2(file, H5_INDEX_NAME, H5_ITER_NATIVE, visit, &timed, H5O_INFO_TIME), 0);
  EXPECT_GE(H5Ovisit2(file, H5_INDEX_NAME, H5_ITER_NATIVE, count, &objects, H5O_INFO_BASIC), 0);
  H5Fclose(file);
  EXPECT_GT(objects, 20u);
  EXPECT_EQ(timed, std::vector<std::string>{}) << "objects with times";
}

TEST(Hdf5Results, RawGivesStoredLittleEndianBytes) {
  TempDir dir;
  const ResultsFile file(write_fixture(dir));
  const auto bytes = file.raw("/years");
  ASSERT_EQ(bytes.size(), 12u);
  EXPECT_EQ(bytes[0] | bytes[1] << 8, 2020);  // int32 little-endian
  const auto names = file.raw("/zones/zone_key");
  EXPECT_EQ(std::string(names.begin(), names.end()), std::string("linshanzhai\0mianfanglu\0", 23));
}

// ---- reader errors ----

void expect_io_error(const std::function<void()>& action, const std::string& expected) {
  try {
    action();
    FAIL() << "expected IoError containing: " << expected;
  } catch (const IoError& error) {
    EXPECT_NE(std::string(error.what()).find(expected), std::string::npos) << error.what();
  }
}

TEST(Hdf5Reader, MissingFile) {
  TempDir dir;
  const std::string path = dir.file("absent.h5");
  expect_io_error([&] { ResultsFile file(path); }, path + ": no such file");
}

TEST(Hdf5Reader, NotAnHdf5File) {
  TempDir dir;
  const std::string path = dir.file("text.h5");
  std::ofstream(path) << "scenario: {name: baseline}\n";
  expect_io_error([&] { ResultsFile file(path); }, path + ": not an HDF5 file");
}

TEST(Hdf5Reader, Directory) {
  TempDir dir;
  const std::string path = dir.file("results.h5");
  fs::create_directory(path);
  expect_io_error([&] { ResultsFile file(path); }, path + ": is a directory, not a file");
}

TEST(Hdf5Reader, MissingDatasetNamesItAndSuggestsTheNearest) {
  TempDir dir;
  const std::string path = write_fixture(dir);
  const ResultsFile file(path);
  expect_io_error([&] { file.indicator("populaton"); },
                  path + ": no dataset '/indicators/populaton' (did you mean 'population'?)");
  expect_io_error([&] { file.events("population"); }, "no dataset '/events/population'");
  expect_io_error([&] { file.raw("/nowhere/at/all"); }, "no dataset '/nowhere/at/all'");
}

TEST(Hdf5Reader, WrongShapeOrGroup) {
  TempDir dir;
  const ResultsFile file(write_fixture(dir));
  std::size_t r = 0, y = 0, z = 0;
  expect_io_error([&] { file.zones("zone_key", r, y, z); }, "'/zones/zone_key' is not numeric");
  expect_io_error([&] { file.series_info("scalars", "fertility_calibration_factor"); },
                  "group 'scalars' is not indicators, events, zones or facilities");
  EXPECT_TRUE(file.keys("no_such_group").empty());
}

TEST(Hdf5Reader, MatrixAtChecksBounds) {
  TempDir dir;
  const ResultsFile file(write_fixture(dir));
  const auto population = file.indicator("population");
  EXPECT_THROW(population.at(2, 0), std::out_of_range);
  EXPECT_THROW(population.at(0, 3), std::out_of_range);
}

// ---- human summary ----

TEST(Hdf5Describe, MentionsEachSeriesWithUnitLabelsAndMeans) {
  TempDir dir;
  const std::string text = ResultsFile(write_fixture(dir)).describe();
  for (const char* expected : {"population",
                               "Resident population",
                               "常住人口",
                               "crude_birth_rate",
                               "per 1000",
                               "出生率",
                               "births",
                               "出生人数",
                               "residents",
                               "分区常住人口",
                               "林山寨",
                               "Mianfanglu",
                               "fertility_calibration_factor",
                               "kindergarten_places",
                               "幼儿园学位",
                               "float32 [replicate 2 x year 3 x facility 3]",
                               "2020-2022 (3)",
                               "mean 2020",
                               "mean 2022",
                               "float32 [replicate 2 x year 3 x zone 2]",
                               "中原区",
                               "20211116",
                               "(2 lines, ",
                               "configs/zhongyuan/zones.yaml",
                               "测试运行"})
    EXPECT_NE(text.find(expected), std::string::npos) << "missing " << expected << " in\n" << text;
  // Base-year and final-year means over the two replicates.
  EXPECT_NE(text.find("963142"), std::string::npos) << text;  // (962642 + 963642) / 2
  EXPECT_NE(text.find("963162"), std::string::npos) << text;  // ... + 20
  EXPECT_NE(text.find("9.625"), std::string::npos) << text;   // (9.5 + 9.75) / 2
  EXPECT_NE(text.find("8.625"), std::string::npos) << text;
  // The largest synthesis misfit: replicate 1, age 60+: 7/140 = 0.05.
  EXPECT_NE(text.find("largest |relative error| 0.05 (age_group/60+, replicate 1)"),
            std::string::npos)
      << text;
}

TEST(Hdf5Describe, TableColumnsAlignByDisplayWidth) {
  TempDir dir;
  const std::string text = ResultsFile(write_fixture(dir)).describe();
  // The indicator table: header and two rows, right-aligned last column => equal display widths,
  // although the Chinese labels have different byte lengths.
  std::istringstream lines(text);
  std::string line;
  std::vector<std::string> table;
  bool in_table = false;
  while (std::getline(lines, line)) {
    if (line.rfind("indicators (", 0) == 0) {
      in_table = true;
      continue;
    }
    if (in_table && line.empty()) break;
    if (in_table) table.push_back(line);
  }
  ASSERT_EQ(table.size(), 4u) << text;  // header, rule, two rows
  const std::size_t width = display_width(table[0]);
  for (const std::string& row : table) EXPECT_EQ(display_width(row), width) << "\n" << text;
  // The label_zh column starts at the same display column in every row.
  const std::size_t header_column = display_width(table[0].substr(0, table[0].find("label_zh")));
  EXPECT_EQ(display_width(table[2].substr(0, table[2].find("出生率"))), header_column);
  EXPECT_EQ(display_width(table[3].substr(0, table[3].find("常住人口"))), header_column);
}

TEST(Hdf5Describe, TablesFitANarrowTerminal) {
  TempDir dir;
  const std::string text = ResultsFile(write_fixture(dir)).describe(60);
  std::istringstream lines(text);
  std::string line;
  bool in_tables = false;
  while (std::getline(lines, line)) {
    in_tables |= line.rfind("indicators (", 0) == 0;  // provenance lines above are not tables
    if (in_tables && line.rfind("  ", 0) == 0) {
      EXPECT_LE(display_width(line), 60u) << line;
    }
  }
  EXPECT_TRUE(in_tables) << text;
}

// ---- a reader with nothing from us: h5py ----

TEST(Hdf5Python, H5pyExampleReadsTheFile) {
  TempDir dir;
  const std::string path = write_fixture(dir);
  const std::string output = dir.file("example.txt");
  // Debian's interpreter first (python3-h5py installs there), then whatever python3 is first on
  // PATH. The script exits with 77 when h5py is missing; the shell gives 127 for no interpreter.
  for (const char* python : {"/usr/bin/python3", "python3"}) {
    const std::string command = std::string(python) + " '" + PLANSIM_SOURCE_DIR +
                                "/tools/h5_example.py' '" + path + "' population residents >'" +
                                output + "' 2>&1";
    const int raw = std::system(command.c_str());
    const int status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    if (status == 77 || status == 127) continue;
    const std::string text = slurp(output);
    ASSERT_EQ(status, 0) << python << ":\n" << text;
    for (const char* expected : {"baseline", "中原区", "Resident population", "常住人口", "persons",
                                 "962642", "林山寨", "棉纺路", "scenarios/baseline.yaml"})
      EXPECT_NE(text.find(expected), std::string::npos) << "missing " << expected << " in\n"
                                                        << text;
    return;
  }
  GTEST_SKIP() << "no Python with h5py";
}

}  // namespace
}  // namespace plansim

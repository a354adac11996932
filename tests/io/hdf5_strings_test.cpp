// Strings in plansim's HDF5 files: every one fixed-length UTF-8 (nothing in HDF5's global heap,
// which has no checksum), label datasets and tables chunked with Fletcher32, and the readers
// still accept the variable-length strings of older files.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "io/hdf5_handles.h"
#include "io/hdf5_posterior.h"
#include "io/hdf5_reader.h"
#include "io/hdf5_sensitivity.h"
#include "io/hdf5_writer.h"
#include "support/temp_dir.h"

namespace plansim {
namespace {

namespace fs = std::filesystem;

using testing::TempDir;

/// A small run with labels in Chinese, an empty label, and one ending in spaces.
std::string write_small_results(const TempDir& dir) {
  static const SeriesCatalog catalog = [] {
    SeriesCatalog c;
    c.declare({SeriesKind::Indicator, "population", "persons", "常住人口", "Resident population",
               "Persons living in the district."});
    c.declare({SeriesKind::Zone, "residents", "persons", "分区常住人口", "Residents",
               "Residents of each zone."});
    c.declare({SeriesKind::Facility, "places", "places", "学位", "Places", "Places."});
    return c;
  }();
  RunOutput output;
  output.catalog = &catalog;
  output.meta.engine_version = "0.1.0";
  output.meta.scenario_name = "baseline";
  output.meta.city_name = "中原区";
  output.meta.scenario_yaml = "scenario: {name: baseline}\n";
  output.meta.files_read = {"scenarios/baseline.yaml", ""};
  output.meta.extra = {{"note", "ends in spaces  "}};
  output.meta.assumptions = {{"demography.tfr", "1.1", "a guess", "demography.yaml:3:5"}};
  ReplicateResults r;
  r.replicate = 0;
  r.years = {2020, 2021};
  r.zone_labels = {{"linshanzhai", "林山寨", "Linshanzhai"}, {"x", "", ""}};
  r.indicators["population"] = {1.0, 2.0};
  r.zones["residents"] = {1, 2, 3, 4};
  r.facility_ids = {7};
  r.facility_names = {"中原区第一幼儿园"};
  r.facilities["places"] = {10, 11};
  r.synthesis_fit = {{"age_group/60+", 5, 6}};
  output.replicates = {r};
  const std::string path = dir.file("results.h5");
  write_results(path, output);
  return path;
}

struct Walk {
  std::vector<std::string> variable;   // objects and attributes with a variable-length string
  std::vector<std::string> unchecked;  // string or table datasets without Fletcher32
  std::size_t strings = 0;             // string types seen (attributes, datasets, members)
};

/// True when `type` is or holds a variable-length string; counts the string types in it.
bool holds_variable_string(hid_t type, Walk& walk) {
  const H5T_class_t type_class = H5Tget_class(type);
  if (type_class == H5T_STRING) {
    ++walk.strings;
    return H5Tis_variable_str(type) > 0;
  }
  bool found = false;
  if (type_class == H5T_COMPOUND) {
    for (int i = 0; i < H5Tget_nmembers(type); ++i) {
      const hid_t member = H5Tget_member_type(type, static_cast<unsigned>(i));
      found |= holds_variable_string(member, walk);
      H5Tclose(member);
    }
  } else if (type_class == H5T_VLEN || type_class == H5T_ARRAY) {
    const hid_t base = H5Tget_super(type);
    found = holds_variable_string(base, walk);
    H5Tclose(base);
  }
  return found;
}

herr_t check_attribute(hid_t object, const char* name, const H5A_info_t*, void* data) {
  auto* walk = static_cast<Walk*>(data);
  const hid_t attribute = H5Aopen(object, name, H5P_DEFAULT);
  const hid_t type = H5Aget_type(attribute);
  if (holds_variable_string(type, *walk)) walk->variable.push_back(std::string("@") + name);
  H5Tclose(type);
  H5Aclose(attribute);
  return 0;
}

herr_t check_object(hid_t root, const char* name, const H5O_info_t* info, void* data) {
  auto* walk = static_cast<Walk*>(data);
  const hid_t object = H5Oopen(root, name, H5P_DEFAULT);
  const std::size_t before = walk->variable.size();
  hsize_t index = 0;
  H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &index, check_attribute, walk);
  for (std::size_t i = before; i < walk->variable.size(); ++i)
    walk->variable[i] = std::string("/") + name + walk->variable[i];
  if (info->type == H5O_TYPE_DATASET) {
    const hid_t type = H5Dget_type(object);
    const H5T_class_t type_class = H5Tget_class(type);
    if (holds_variable_string(type, *walk)) walk->variable.push_back(std::string("/") + name);
    const hid_t space = H5Dget_space(object);
    const hssize_t points = H5Sget_simple_extent_npoints(space);
    if ((type_class == H5T_STRING || type_class == H5T_COMPOUND) && points > 0) {
      const hid_t plist = H5Dget_create_plist(object);
      if (H5Pget_filter_by_id2(plist, H5Z_FILTER_FLETCHER32, nullptr, nullptr, nullptr, 0, nullptr,
                               nullptr) < 0)
        walk->unchecked.push_back(std::string("/") + name);
      H5Pclose(plist);
    }
    H5Sclose(space);
    H5Tclose(type);
  }
  H5Oclose(object);
  return 0;
}

/// Every object and attribute of the file at `path`.
Walk walk_file(const std::string& path) {
  Walk walk;
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(file, 0) << path;
  if (file < 0) return walk;
  const auto silence = H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  (void)silence;
  EXPECT_GE(H5Ovisit(file, H5_INDEX_NAME, H5_ITER_INC, check_object, &walk), 0);
  H5Fclose(file);
  return walk;
}

TEST(Hdf5Strings, AResultsFileHasNoVariableLengthStringAnywhere) {
  TempDir dir;
  const Walk walk = walk_file(write_small_results(dir));
  EXPECT_GT(walk.strings, 40u);  // the walk saw the attributes and the label datasets
  EXPECT_EQ(walk.variable, std::vector<std::string>{});
  EXPECT_EQ(walk.unchecked, std::vector<std::string>{}) << "string datasets without Fletcher32";
}

TEST(Hdf5Strings, PosteriorAndSensitivityFilesHaveNoVariableLengthString) {
  TempDir dir;
  PosteriorData posterior;
  posterior.calibration_name = "fertility";
  posterior.parameters = {"demography.fertility.tfr", "迁入率"};
  posterior.observations = {{"births", 2021, 8000, 100, 1}, {"population_year_end", 2022, 9, 1, 1}};
  AbcGeneration g;
  g.index = 0;
  g.dimension = 2;
  g.observations = 2;
  g.particles = {1, 2, 3, 4};
  g.weights = {0.5, 0.5};
  g.distances = {0.1, 0.2};
  g.summaries = {1, 2, 3, 4};
  g.candidates = {1, 2};
  posterior.generations = {g};
  posterior.estimates = {{"demography.fertility.tfr", 1, 1, 0.9, 1.1, 0.1, 1, 0.8, 1.2},
                         {"迁入率", 2, 2, 1, 3, 0.5, 2, 1, 3}};
  const std::string posterior_path = dir.file("posterior.h5");
  write_posterior(posterior_path, posterior);
  const Walk posterior_walk = walk_file(posterior_path);
  EXPECT_GT(posterior_walk.strings, 10u);
  EXPECT_EQ(posterior_walk.variable, std::vector<std::string>{});
  // Read back: the table's text and numbers.
  const StoredPosterior stored = read_posterior(posterior_path);
  ASSERT_EQ(stored.estimates.size(), 2u);
  EXPECT_EQ(stored.estimates[1].parameter, "迁入率");
  EXPECT_EQ(stored.estimates[1].p95, 3);
  EXPECT_EQ(stored.parameters, posterior.parameters);

  SensitivityData sensitivity;
  sensitivity.method = "morris";
  sensitivity.parameters = {"a", "b"};
  sensitivity.parameter_keys = {"x.a", "x.b"};
  sensitivity.distributions = {"uniform(0, 1)", "uniform(1, 2)"};
  sensitivity.outputs = {"population"};
  sensitivity.output_label_zh = {"常住人口"};
  sensitivity.output_label_en = {"Population"};
  sensitivity.output_unit = {"persons"};
  sensitivity.output_goal = {""};
  sensitivity.output_mean = {1};
  sensitivity.output_sd = {0};
  sensitivity.output_met_share = {0.5};
  sensitivity.mu_star = {1, 2};
  sensitivity.mu = {1, -2};
  sensitivity.sigma = {0, 1};
  const std::string sensitivity_path = dir.file("sensitivity.h5");
  write_sensitivity(sensitivity_path, sensitivity);
  const Walk sensitivity_walk = walk_file(sensitivity_path);
  EXPECT_GT(sensitivity_walk.strings, 10u);
  EXPECT_EQ(sensitivity_walk.variable, std::vector<std::string>{});
}

TEST(Hdf5Strings, FixedLengthTextReadsBackExactly) {
  TempDir dir;
  const ResultsFile file(write_small_results(dir));
  // Trailing spaces are kept (NUL padding), an empty string stays empty, UTF-8 bytes unchanged.
  EXPECT_EQ(file.meta_strings().at("note"), "ends in spaces  ");
  EXPECT_EQ(file.meta_list("files_read"),
            (std::vector<std::string>{"scenarios/baseline.yaml", ""}));
  EXPECT_EQ(file.strings("/zones/zone_name_zh"), (std::vector<std::string>{"林山寨", ""}));
  EXPECT_EQ(file.strings("/facilities/facility_name"),
            std::vector<std::string>{"中原区第一幼儿园"});
  EXPECT_EQ(file.strings("/assumptions/location"), std::vector<std::string>{"demography.yaml:3:5"});
  EXPECT_EQ(file.string_attributes("/zones/zone_key").at("_Encoding"), "utf-8");
  file.verify();  // reads the label datasets too (checksummed now)
}

// ---- files of older plansim versions: variable-length strings ----

struct OldRecord {
  const char* key;
  double value;
  const char* note;
};

TEST(Hdf5Strings, ReadersAcceptVariableLengthStringsOfOlderFiles) {
  TempDir dir;
  const std::string path = dir.file("old.h5");
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  const h5::Datatype text = h5::utf8_string_type();
  {  // a string attribute and a string dataset
    const hid_t scalar = H5Screate(H5S_SCALAR);
    const hid_t attribute = H5Acreate2(file, "title", text.get(), scalar, H5P_DEFAULT, H5P_DEFAULT);
    const char* title = "plansim results: 林山寨";
    ASSERT_GE(H5Awrite(attribute, text.get(), &title), 0);
    H5Aclose(attribute);
    H5Sclose(scalar);
    const hsize_t two = 2;
    const hid_t space = H5Screate_simple(1, &two, nullptr);
    const hid_t dataset =
        H5Dcreate2(file, "labels", text.get(), space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const char* labels[] = {"棉纺路", ""};
    ASSERT_GE(H5Dwrite(dataset, text.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, labels), 0);
    H5Dclose(dataset);
    H5Sclose(space);
  }
  {  // a table with variable-length text members
    const hid_t type = H5Tcreate(H5T_COMPOUND, sizeof(OldRecord));
    H5Tinsert(type, "key", offsetof(OldRecord, key), text.get());
    H5Tinsert(type, "value", offsetof(OldRecord, value), H5T_NATIVE_DOUBLE);
    H5Tinsert(type, "note", offsetof(OldRecord, note), text.get());
    const OldRecord rows[] = {{"births", 1.5, "exogenous"}, {"deaths", -2, nullptr}};
    const hsize_t two = 2;
    const hid_t space = H5Screate_simple(1, &two, nullptr);
    const hid_t dataset =
        H5Dcreate2(file, "table", type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows), 0);
    H5Dclose(dataset);
    H5Sclose(space);
    H5Tclose(type);
  }
  H5Fclose(file);

  const h5::File reopened(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  ASSERT_TRUE(reopened.valid());
  EXPECT_EQ(h5::read_string_attribute(reopened.get(), "title"), "plansim results: 林山寨");
  const h5::Dataset labels(H5Dopen2(reopened.get(), "labels", H5P_DEFAULT));
  EXPECT_EQ(h5::read_strings(labels.get(), false), (std::vector<std::string>{"棉纺路", ""}));
  const h5::Dataset table(H5Dopen2(reopened.get(), "table", H5P_DEFAULT));
  const std::vector<h5::TableField> fields = {
      {"key", offsetof(OldRecord, key), h5::TableField::Text},
      {"value", offsetof(OldRecord, value), h5::TableField::F64},
      {"note", offsetof(OldRecord, note), h5::TableField::Text},
      {"absent", offsetof(OldRecord, note), h5::TableField::Text},  // not in the file: left alone
  };
  std::vector<OldRecord> rows(h5::table_rows(table.get()), OldRecord{nullptr, 0, nullptr});
  ASSERT_EQ(rows.size(), 2u);
  const std::vector<std::string> texts =
      h5::read_table(table.get(), fields, rows.data(), sizeof(OldRecord), rows.size());
  EXPECT_STREQ(rows[0].key, "births");
  EXPECT_EQ(rows[0].value, 1.5);
  EXPECT_STREQ(rows[0].note, "exogenous");
  EXPECT_STREQ(rows[1].key, "deaths");
  EXPECT_EQ(rows[1].value, -2);
  EXPECT_STREQ(rows[1].note, "");
}

TEST(Hdf5Strings, TablesRoundTripWithEachTextColumnAsLongAsItsLongestValue) {
  TempDir dir;
  const std::string path = dir.file("table.h5");
  const std::vector<h5::TableField> fields = {
      {"key", offsetof(OldRecord, key), h5::TableField::Text},
      {"value", offsetof(OldRecord, value), h5::TableField::F64},
      {"note", offsetof(OldRecord, note), h5::TableField::Text},
  };
  const std::vector<OldRecord> rows = {{"births", 1.5, ""}, {"人口", -2, nullptr}};
  {
    const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    const h5::PackedTable packed = h5::pack_table(fields, rows.data(), sizeof(OldRecord), 2);
    EXPECT_EQ(H5Tget_size(packed.type.get()), 6u + 8u + 1u);  // "births", a double, 1 at least
    const hsize_t two = 2;
    const hid_t space = H5Screate_simple(1, &two, nullptr);
    const h5::PropertyList properties = h5::table_creation_properties(2);
    const hid_t dataset = H5Dcreate2(file, "table", packed.type.get(), space, H5P_DEFAULT,
                                     properties.get(), H5P_DEFAULT);
    ASSERT_GE(H5Dwrite(dataset, packed.memory_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT,
                       packed.bytes.data()),
              0);
    H5Dclose(dataset);
    H5Sclose(space);
    H5Fclose(file);
  }
  const h5::File file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  const h5::Dataset table(H5Dopen2(file.get(), "table", H5P_DEFAULT));
  std::vector<OldRecord> back(h5::table_rows(table.get()), OldRecord{nullptr, 0, nullptr});
  const std::vector<std::string> texts =
      h5::read_table(table.get(), fields, back.data(), sizeof(OldRecord), back.size());
  ASSERT_EQ(back.size(), 2u);
  EXPECT_STREQ(back[0].key, "births");
  EXPECT_STREQ(back[0].note, "");
  EXPECT_STREQ(back[1].key, "人口");
  EXPECT_EQ(back[1].value, -2);
}

}  // namespace
}  // namespace plansim

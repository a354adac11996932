#include "io/hdf5_observed.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>

#include "indicators/targets.h"  // enum_from_name (inline)
#include "io/hdf5_handles.h"
#include "io/hdf5_sections.h"
#include "io/hdf5_writer.h"

namespace plansim {
namespace {

using h5::creation_properties;

namespace fs = std::filesystem;

// Dimension scales: /hindcast_row (the axis of /hindcast) and /observed/year.
constexpr const char* kHindcastAxis = "hindcast_row";
constexpr const char* kObservedYearAxis = "year";

// One row of /hindcast in memory.
struct HindcastRecord {
  const char* key;
  const char* label_zh;
  const char* label_en;
  const char* unit;
  const char* timing;
  std::int32_t year;
  double observed;
  double precision;
  double mean;
  double p05;
  double p95;
  double error;
  double relative_error;
  std::uint8_t within_interval;
  std::uint32_t replicates;
  const char* note;
};

using Field = h5::TableField;

const std::vector<Field>& hindcast_fields() {
  static const std::vector<Field> fields = {
      {"key", offsetof(HindcastRecord, key), Field::Text},
      {"label_zh", offsetof(HindcastRecord, label_zh), Field::Text},
      {"label_en", offsetof(HindcastRecord, label_en), Field::Text},
      {"unit", offsetof(HindcastRecord, unit), Field::Text},
      {"timing", offsetof(HindcastRecord, timing), Field::Text},
      {"year", offsetof(HindcastRecord, year), Field::I32},
      {"observed", offsetof(HindcastRecord, observed), Field::F64},
      {"precision", offsetof(HindcastRecord, precision), Field::F64},
      {"mean", offsetof(HindcastRecord, mean), Field::F64},
      {"p05", offsetof(HindcastRecord, p05), Field::F64},
      {"p95", offsetof(HindcastRecord, p95), Field::F64},
      {"error", offsetof(HindcastRecord, error), Field::F64},
      {"relative_error", offsetof(HindcastRecord, relative_error), Field::F64},
      {"within_interval", offsetof(HindcastRecord, within_interval), Field::U8},
      {"replicates", offsetof(HindcastRecord, replicates), Field::U32},
      {"note", offsetof(HindcastRecord, note), Field::Text},
  };
  return fields;
}

h5::Dataset create_dataset(hid_t parent, const std::string& name, hid_t file_type, hsize_t size) {
  const h5::Dataspace space(h5::check_id(H5Screate_simple(1, &size, nullptr),
                                         "cannot create the dataspace of '" + name + "'"));
  // The table: one chunk with Fletcher32, like the series.
  const h5::PropertyList properties = H5Tget_class(file_type) == H5T_COMPOUND
                                          ? h5::table_creation_properties(size)
                                          : creation_properties(H5P_DATASET_CREATE);
  if (H5Tget_class(file_type) == H5T_FLOAT) {  // NaN where there is no figure (CF _FillValue)
    const double nan = std::numeric_limits<double>::quiet_NaN();
    h5::check_status(H5Pset_fill_value(properties.get(), H5T_NATIVE_DOUBLE, &nan),
                     "cannot set the fill value of '" + name + "'");
  }
  return h5::Dataset(h5::check_id(H5Dcreate2(parent, name.c_str(), file_type, space.get(),
                                             H5P_DEFAULT, properties.get(), H5P_DEFAULT),
                                  "cannot create dataset '" + name + "'"));
}

bool link_exists(hid_t parent, const std::string& name) {
  const htri_t found = H5Lexists(parent, name.c_str(), H5P_DEFAULT);
  if (found < 0) H5Eclear2(H5E_DEFAULT);
  return found > 0;
}

void write_double(hid_t object, const std::string& name, double value) {
  h5::write_numeric_attribute(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

void write_int_array_attribute(hid_t object, const std::string& name,
                               const std::vector<std::int32_t>& values) {
  const hsize_t count = values.size();
  const h5::Dataspace space(
      h5::check_id(H5Screate_simple(1, &count, nullptr),
                   "cannot create the dataspace of attribute '" + name + "'"));
  const h5::Attribute attribute(h5::check_id(
      H5Acreate2(object, name.c_str(), H5T_STD_I32LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
      "cannot create attribute '" + name + "'"));
  if (!values.empty())
    h5::check_status(H5Awrite(attribute.get(), H5T_NATIVE_INT32, values.data()),
                     "cannot write attribute '" + name + "'");
}

void write_observed_group(hid_t file, const ObservedData& observed, const std::vector<int>& years) {
  const h5::Group group = h5::create_group(file, "observed");
  h5::write_string_attribute(group.get(), "area", observed.area);
  const h5::Dataset year_axis =
      h5::write_axis(group.get(), kObservedYearAxis, years, "calendar year");
  for (const ObservedSeries& s : observed.series) {
    std::vector<double> values(years.size(), std::numeric_limits<double>::quiet_NaN());
    std::vector<std::int32_t> observed_years;
    for (const ObservedValue& v : s.values) {
      observed_years.push_back(v.year);
      for (std::size_t j = 0; j < years.size(); ++j)
        if (years[j] == v.year) values[j] = v.value;
    }
    const h5::Dataset dataset = create_dataset(group.get(), s.key, H5T_IEEE_F64LE, years.size());
    if (!values.empty())
      h5::check_status(
          H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          "cannot write /observed/" + s.key);
    const hid_t d = dataset.get();
    h5::write_string_attribute(d, "unit", s.unit);
    h5::write_string_attribute(d, "label_zh", s.label_zh);
    h5::write_string_attribute(d, "label_en", s.label_en);
    h5::write_string_attribute(d, "timing", std::string(timing_name(s.timing)));
    write_double(d, "precision", s.precision);
    h5::write_string_attribute(d, "status", s.status);
    h5::write_string_attribute(d, "source", s.source);
    h5::write_string_attribute(d, "note", s.note);
    write_int_array_attribute(d, "observed_years", observed_years);
    h5::write_cf_attributes(d, s.unit, s.label_en);
    h5::write_nan_fill_attribute(d);
    h5::attach_dimension_scale(d, year_axis.get(), 0);
  }
}

void write_hindcast_table(hid_t file, const Hindcast& hindcast) {
  std::vector<std::string> timings;
  for (const HindcastRow& r : hindcast.rows) timings.emplace_back(timing_name(r.timing));
  std::vector<HindcastRecord> records;
  for (std::size_t i = 0; i < hindcast.rows.size(); ++i) {
    const HindcastRow& r = hindcast.rows[i];
    records.push_back({r.key.c_str(), r.label_zh.c_str(), r.label_en.c_str(), r.unit.c_str(),
                       timings[i].c_str(), r.year, r.observed, r.precision, r.mean, r.p05, r.p95,
                       r.error, r.relative_error, static_cast<std::uint8_t>(r.within_interval),
                       r.replicates, r.note.c_str()});
  }
  // Text as fixed-length strings (nothing in HDF5's unchecksummed global heap), in one chunk
  // with Fletcher32.
  const h5::PackedTable table =
      h5::pack_table(hindcast_fields(), records.data(), sizeof(HindcastRecord), records.size());
  const h5::Dataset dataset = create_dataset(file, "hindcast", table.type.get(), records.size());
  if (!records.empty())
    h5::check_status(H5Dwrite(dataset.get(), table.memory_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT,
                              table.bytes.data()),
                     "cannot write /hindcast");
  // Its axis: the row number, as the dimension scale /hindcast_row.
  std::vector<int> rows(records.size());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<int>(i);
  const h5::Dataset axis = h5::write_axis(file, kHindcastAxis, rows, "row number");
  h5::attach_dimension_scale(dataset.get(), axis.get(), 0);
  h5::write_string_attribute(dataset.get(), "long_name", "the run against the observed years");
  const std::int32_t replicates = static_cast<std::int32_t>(hindcast.replicates);
  h5::write_numeric_attribute(dataset.get(), "replicates", H5T_STD_I32LE, H5T_NATIVE_INT32,
                              &replicates);
}

double read_double_attribute(hid_t object, const char* name) {
  const h5::Attribute attribute(
      h5::check_id(H5Aopen(object, name, H5P_DEFAULT), std::string("cannot open '") + name + "'"));
  double value = 0;
  h5::check_status(H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value),
                   std::string("cannot read attribute '") + name + "'");
  return value;
}

}  // namespace

namespace detail {

void write_hindcast_groups(hid_t file, const HindcastOutput& hindcast,
                           const std::vector<int>& years) {
  write_observed_group(file, hindcast.observed, years);
  write_hindcast_table(file, hindcast.hindcast);
}

}  // namespace detail

StoredHindcast read_hindcast(const std::string& path) {
  const h5::ErrorSilencer silence;
  StoredHindcast out;
  try {
    std::error_code ignored;
    if (!fs::exists(path, ignored)) throw IoError("no such file");
    h5::File file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    if (!file.valid()) throw IoError("cannot open: " + h5::error_description());
    if (link_exists(file.get(), "observed")) {
      const h5::Group group(
          h5::check_id(H5Gopen2(file.get(), "observed", H5P_DEFAULT), "cannot open /observed"));
      out.hindcast.area = h5::read_string_attribute_or_empty(group.get(), "area");
    }
    if (!link_exists(file.get(), "hindcast")) return out;
    const h5::Dataset dataset(
        h5::check_id(H5Dopen2(file.get(), "hindcast", H5P_DEFAULT), "cannot open /hindcast"));
    std::vector<HindcastRecord> records;
    std::vector<std::string> texts;  // what the records' text fields point to
    try {
      records.resize(h5::table_rows(dataset.get()));
      texts = h5::read_table(dataset.get(), hindcast_fields(), records.data(),
                             sizeof(HindcastRecord), records.size());
    } catch (const IoError& error) {
      throw IoError(std::string("/hindcast: ") + error.what());
    }
    out.hindcast.replicates =
        static_cast<std::uint32_t>(read_double_attribute(dataset.get(), "replicates"));
    const auto text = [](const char* s) { return std::string(s ? s : ""); };
    std::string problem;
    for (const HindcastRecord& r : records) {
      HindcastRow row;
      row.key = text(r.key);
      row.label_zh = text(r.label_zh);
      row.label_en = text(r.label_en);
      row.unit = text(r.unit);
      if (const auto t = enum_from_name(text(r.timing), timing_name, kAllTimings))
        row.timing = *t;
      else if (problem.empty())
        problem = "unknown timing '" + text(r.timing) + "' in /hindcast";
      row.year = r.year;
      row.observed = r.observed;
      row.precision = r.precision;
      row.mean = r.mean;
      row.p05 = r.p05;
      row.p95 = r.p95;
      row.error = r.error;
      row.relative_error = r.relative_error;
      row.within_interval = r.within_interval != 0;
      row.replicates = r.replicates;
      row.note = text(r.note);
      out.hindcast.rows.push_back(std::move(row));
    }
    if (!problem.empty()) throw IoError(problem);
    out.has_hindcast = true;
  } catch (const IoError& error) {
    throw IoError(path + ": " + error.what());
  }
  return out;
}

}  // namespace plansim

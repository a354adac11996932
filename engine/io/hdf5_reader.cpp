#include "io/hdf5_reader.h"

#include <hdf5_hl.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "core/diagnostics.h"
#include "core/text.h"
#include "core/version.h"
#include "io/hdf5_handles.h"

namespace plansim {

namespace {

/// "/<group>/<key>" of a series (the groups: kSeriesKinds, core/results.h).
std::string series_path(SeriesKind kind, const std::string& key) {
  return "/" + std::string(series_kind_info(kind).group) + "/" + key;
}

// More values than any dataset of a run holds (a full run: ~10^7); a damaged header may claim 2^60.
constexpr std::size_t kMaxDatasetValues = std::size_t{1} << 31;
}  // namespace

struct ResultsFile::Impl {
  std::string path;
  h5::File file;

  [[noreturn]] void error(const std::string& message) const {
    throw IoError(path + ": " + message);
  }

  /// Runs an HDF5-reading step, prefixing any IoError with the file name.
  template <class Step>
  auto guarded(Step&& step) const {
    const h5::ErrorSilencer silence;
    try {
      return step();
    } catch (const IoError& e) {
      const std::string message = e.what();
      if (message.rfind(path + ": ", 0) == 0) throw;
      error(message);
    }
  }

  /// True when every component of an absolute path exists.
  bool exists(const std::string& object_path) const {
    std::size_t position = 0;
    while (position != std::string::npos) {
      position = object_path.find('/', position + 1);
      const std::string prefix = object_path.substr(0, position);
      if (prefix.empty() || prefix == "/") continue;
      const htri_t found = H5Lexists(file.get(), prefix.c_str(), H5P_DEFAULT);
      if (found <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return false;
      }
    }
    return true;
  }

  std::vector<std::string> datasets_in(const std::string& group_path) const;
  /// Whether the dataset at `path` is an HDF5 dimension scale (an axis, not a series).
  bool is_dimension_scale(const std::string& path) const;

  h5::Dataset open_dataset(const std::string& dataset_path) const {
    const std::string absolute =
        dataset_path.rfind('/', 0) == 0 ? dataset_path : "/" + dataset_path;
    if (!exists(absolute)) {
      std::string message = "no dataset '" + absolute + "'";
      const std::size_t slash = absolute.rfind('/');
      const std::string parent = slash == 0 ? "/" : absolute.substr(0, slash);
      if (exists(parent)) {
        const std::string hint = closest_match(absolute.substr(slash + 1), datasets_in(parent));
        if (!hint.empty()) message += " (did you mean '" + hint + "'?)";
      }
      error(message);
    }
    h5::Dataset dataset(H5Dopen2(file.get(), absolute.c_str(), H5P_DEFAULT));
    if (!dataset.valid()) {
      H5Eclear2(H5E_DEFAULT);
      error("'" + absolute + "' is not a dataset");
    }
    return dataset;
  }

  h5::Group open_group(const std::string& group_path) const {
    if (!exists(group_path)) error("no group '" + group_path + "'");
    h5::Group group(H5Gopen2(file.get(), group_path.c_str(), H5P_DEFAULT));
    if (!group.valid()) {
      H5Eclear2(H5E_DEFAULT);
      error("'" + group_path + "' is not a group");
    }
    return group;
  }

  static std::vector<std::size_t> extent(hid_t dataset) {
    const h5::Dataspace space(h5::check_id(H5Dget_space(dataset), "cannot read a dataspace"));
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0) h5::fail("cannot read a dataspace");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    return {dims.begin(), dims.end()};
  }

  /// The length of a one-dimensional axis dataset (/years, /replicate, /zones/zone_key, …),
  /// from its extent alone.
  std::size_t axis_length(const std::string& dataset_path) const {
    const h5::Dataset dataset = open_dataset(dataset_path);
    const std::vector<std::size_t> dims = extent(dataset.get());
    if (dims.size() != 1)
      error("'" + dataset_path + "' has " + std::to_string(dims.size()) +
            " dimensions, expected 1 (the file is damaged or was not written by plansim)");
    return dims[0];
  }

  /// The extents a series must have: replicates × years (× zones or facilities).
  std::vector<std::size_t> series_shape(const std::string& third_axis = "") const {
    std::vector<std::size_t> shape{axis_length("/replicate"), axis_length("/years")};
    if (!third_axis.empty()) shape.push_back(axis_length(third_axis));
    return shape;
  }

  /// All values of a numeric dataset of the given rank, converted to `memory_type`. With
  /// `expected`, its extents must equal those (checked before anything is read or allocated).
  template <class T>
  std::vector<T> read_numeric(const std::string& dataset_path, hid_t memory_type,
                              std::size_t expected_rank, std::vector<std::size_t>& dims,
                              const std::vector<std::size_t>* expected = nullptr) const {
    const h5::Dataset dataset = open_dataset(dataset_path);
    const h5::Datatype type(h5::check_id(H5Dget_type(dataset.get()), "cannot read a type"));
    const H5T_class_t type_class = H5Tget_class(type.get());
    if (type_class != H5T_INTEGER && type_class != H5T_FLOAT)
      error("'" + dataset_path + "' is not numeric");
    dims = extent(dataset.get());
    if (dims.size() != expected_rank)
      error("'" + dataset_path + "' has " + std::to_string(dims.size()) + " dimensions, expected " +
            std::to_string(expected_rank));
    if (expected && dims != *expected) {
      const auto text = [](const std::vector<std::size_t>& v) {
        std::string t;
        for (std::size_t d : v) t += (t.empty() ? "" : " × ") + std::to_string(d);
        return t;
      };
      error("'" + dataset_path + "' is " + text(dims) + ", but the file's axes make it " +
            text(*expected) + " (the file is damaged or was not written by plansim)");
    }
    std::size_t count = 1;
    for (std::size_t d : dims) {
      // A damaged header can claim any extent: refuse what no run writes before allocating.
      if (d > 0 && count > kMaxDatasetValues / d)
        error("'" + dataset_path + "' claims more than " + std::to_string(kMaxDatasetValues) +
              " values (the file is damaged)");
      count *= d;
    }
    std::vector<T> values(count);
    if (count > 0 &&
        H5Dread(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0) {
      // Fletcher32 (every numeric dataset plansim writes) or a damaged compressed chunk.
      const std::string cause = h5::error_description();
      error("cannot read '" + dataset_path + "': " + (cause.empty() ? "" : cause + " ") +
            "(the file is damaged)");
    }
    return values;
  }

  Matrix read_matrix(const std::string& dataset_path,
                     const std::vector<std::size_t>* expected = nullptr) const {
    std::vector<std::size_t> dims;
    Matrix matrix;
    matrix.values = read_numeric<double>(dataset_path, H5T_NATIVE_DOUBLE, 2, dims, expected);
    matrix.rows = dims[0];
    matrix.cols = dims[1];
    return matrix;
  }

  /// (name, value as text) of every non-string scalar attribute of /meta, integers exact.
  std::vector<std::pair<std::string, std::string>> meta_number_texts() const;
};

namespace {

herr_t collect_link_name(hid_t, const char* name, const H5L_info_t*, void* client) {
  static_cast<std::vector<std::string>*>(client)->emplace_back(name);
  return 0;
}

bool is_label_dataset(const std::string& name) {
  return name == "zone_key" || name == "zone_name_zh" || name == "zone_name_en" ||
         name == "facility_id" || name == "facility_name";
}

/// Short decimal text: up to 6 significant digits, no exponent for everyday magnitudes.
std::string format_number(double value) {
  if (std::isnan(value)) return "n/a";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  const double magnitude = std::fabs(value);
  if (value == 0) return "0";
  if (magnitude >= 1e-3 && magnitude < 1e12) {
    const int integer_digits =
        magnitude >= 1 ? static_cast<int>(std::floor(std::log10(magnitude))) + 1 : 0;
    const int decimals = std::max(0, 6 - integer_digits);
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    std::string text = buffer;
    if (text.find('.') != std::string::npos) {
      text.erase(text.find_last_not_of('0') + 1);
      if (text.back() == '.') text.pop_back();
    }
    return text;
  }
  std::snprintf(buffer, sizeof buffer, "%.4g", value);
  return buffer;
}

/// Mean over replicates (rows) of one year (column), ignoring NaN; NaN when nothing is left.
double column_mean(const ResultsFile::Matrix& matrix, std::size_t column) {
  double sum = 0;
  std::size_t count = 0;
  for (std::size_t r = 0; r < matrix.rows; ++r) {
    const double value = matrix.values[r * matrix.cols + column];
    if (std::isnan(value)) continue;
    sum += value;
    ++count;
  }
  return count ? sum / static_cast<double>(count) : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

bool ResultsFile::Impl::is_dimension_scale(const std::string& path) const {
  const h5::Dataset dataset(H5Dopen2(file.get(), path.c_str(), H5P_DEFAULT));
  if (!dataset.valid()) {
    H5Eclear2(H5E_DEFAULT);
    return false;
  }
  const htri_t scale = H5DSis_scale(dataset.get());
  if (scale < 0) H5Eclear2(H5E_DEFAULT);
  return scale > 0;
}

std::vector<std::string> ResultsFile::Impl::datasets_in(const std::string& group_path) const {
  std::vector<std::string> names;
  if (!exists(group_path)) return names;
  const h5::Group group = open_group(group_path);
  hsize_t index = 0;
  h5::check_status(
      H5Literate(group.get(), H5_INDEX_NAME, H5_ITER_INC, &index, collect_link_name, &names),
      "cannot list '" + group_path + "'");
  std::vector<std::string> datasets;
  for (const std::string& name : names) {
    // An object that is listed but does not open is damaged: refuse it rather than leave a
    // series out of the file's contents.
    const h5::Handle<H5Oclose> object(H5Oopen(group.get(), name.c_str(), H5P_DEFAULT));
    if (!object.valid())
      h5::fail("cannot open '" + group_path + "/" + name + "' (the file is damaged)");
    if (H5Iget_type(object.get()) == H5I_DATASET) datasets.push_back(name);
  }
  return datasets;
}

std::vector<std::pair<std::string, std::string>> ResultsFile::Impl::meta_number_texts() const {
  std::vector<std::pair<std::string, std::string>> texts;
  const h5::Group meta = open_group("/meta");
  for (const std::string& name : h5::attribute_names(meta.get())) {
    const h5::Attribute attribute(
        h5::check_id(H5Aopen(meta.get(), name.c_str(), H5P_DEFAULT), "cannot open '" + name + "'"));
    const h5::Datatype type(h5::check_id(H5Aget_type(attribute.get()), "cannot read a type"));
    const h5::Dataspace space(h5::check_id(H5Aget_space(attribute.get()), "cannot read a space"));
    if (H5Sget_simple_extent_npoints(space.get()) != 1) continue;
    const H5T_class_t type_class = H5Tget_class(type.get());
    if (type_class == H5T_INTEGER && H5Tget_sign(type.get()) == H5T_SGN_NONE) {
      std::uint64_t value = 0;
      h5::check_status(H5Aread(attribute.get(), H5T_NATIVE_UINT64, &value),
                       "cannot read /meta " + name);
      texts.emplace_back(name, std::to_string(value));
    } else if (type_class == H5T_INTEGER) {
      std::int64_t value = 0;
      h5::check_status(H5Aread(attribute.get(), H5T_NATIVE_INT64, &value),
                       "cannot read /meta " + name);
      texts.emplace_back(name, std::to_string(value));
    } else if (type_class == H5T_FLOAT) {
      double value = 0;
      h5::check_status(H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value),
                       "cannot read /meta " + name);
      texts.emplace_back(name, format_number(value));
    }
  }
  return texts;
}

double ResultsFile::Matrix::at(std::size_t r, std::size_t c) const {
  if (r >= rows || c >= cols)
    throw std::out_of_range("Matrix::at(" + std::to_string(r) + ", " + std::to_string(c) +
                            ") outside " + std::to_string(rows) + " x " + std::to_string(cols));
  return values[r * cols + c];
}

ResultsFile::ResultsFile(const std::string& path) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  const h5::ErrorSilencer silence;
  std::error_code ignored;
  if (!std::filesystem::exists(path, ignored)) impl_->error("no such file");
  if (std::filesystem::is_directory(path, ignored)) impl_->error("is a directory, not a file");
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    impl_->error("not an HDF5 file");
  }
  // Lock where the file system can; do not fail where it cannot (some cluster file systems).
  const h5::PropertyList access(H5Pcreate(H5P_FILE_ACCESS));
  if (access.valid()) H5Pset_file_locking(access.get(), true, true);
  impl_->file =
      h5::File(H5Fopen(path.c_str(), H5F_ACC_RDONLY, access.valid() ? access.get() : H5P_DEFAULT));
  if (!impl_->file.valid()) impl_->error("cannot open: " + h5::error_description());
  impl_->guarded([&] {
    if (!impl_->exists("/meta") ||
        H5Aexists_by_name(impl_->file.get(), "/meta", "schema_version", H5P_DEFAULT) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      impl_->error("not a plansim results file (no /meta schema_version attribute)");
    }
    const h5::Group meta = impl_->open_group("/meta");
    const h5::Attribute attribute(h5::check_id(H5Aopen(meta.get(), "schema_version", H5P_DEFAULT),
                                               "cannot open /meta schema_version"));
    int schema = 0;
    h5::check_status(H5Aread(attribute.get(), H5T_NATIVE_INT, &schema),
                     "cannot read /meta schema_version");
    if (schema > kSchemaVersion)
      impl_->error("written with results schema " + std::to_string(schema) +
                   ", newer than this reader's " + std::to_string(kSchemaVersion) +
                   "; use a newer plansim");
    if (schema < 1) impl_->error("invalid /meta schema_version " + std::to_string(schema));
    return 0;
  });
}

ResultsFile::~ResultsFile() {
  if (impl_) {
    const h5::ErrorSilencer silence;
    impl_->file.reset();
  }
}
ResultsFile::ResultsFile(ResultsFile&&) noexcept = default;
ResultsFile& ResultsFile::operator=(ResultsFile&&) noexcept = default;

const std::string& ResultsFile::path() const { return impl_->path; }

std::map<std::string, std::string> ResultsFile::meta_strings() const {
  return impl_->guarded([&] {
    std::map<std::string, std::string> strings;
    const h5::Group meta = impl_->open_group("/meta");
    for (const std::string& name : h5::attribute_names(meta.get())) {
      const h5::Attribute attribute(h5::check_id(H5Aopen(meta.get(), name.c_str(), H5P_DEFAULT),
                                                 "cannot open /meta " + name));
      const h5::Datatype type(h5::check_id(H5Aget_type(attribute.get()), "cannot read a type"));
      const h5::Dataspace space(
          h5::check_id(H5Aget_space(attribute.get()), "cannot read a dataspace"));
      if (H5Tget_class(type.get()) != H5T_STRING ||
          H5Sget_simple_extent_type(space.get()) != H5S_SCALAR)
        continue;
      strings[name] = h5::read_strings(attribute.get(), true).front();
    }
    return strings;
  });
}

std::map<std::string, double> ResultsFile::meta_numbers() const {
  return impl_->guarded([&] {
    std::map<std::string, double> numbers;
    for (const auto& [name, text] : impl_->meta_number_texts()) {
      const h5::Attribute attribute(h5::check_id(
          H5Aopen_by_name(impl_->file.get(), "/meta", name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
          "cannot open /meta " + name));
      double value = 0;
      h5::check_status(H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value),
                       "cannot read /meta " + name);
      numbers[name] = value;
    }
    return numbers;
  });
}

std::vector<std::string> ResultsFile::meta_list(const std::string& name) const {
  return impl_->guarded([&] {
    if (H5Aexists_by_name(impl_->file.get(), "/meta", name.c_str(), H5P_DEFAULT) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      return std::vector<std::string>{};
    }
    const h5::Attribute attribute(h5::check_id(
        H5Aopen_by_name(impl_->file.get(), "/meta", name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
        "cannot open /meta " + name));
    return h5::read_strings(attribute.get(), true);
  });
}

std::vector<int> ResultsFile::years() const {
  return impl_->guarded([&] {
    std::vector<std::size_t> dims;
    return impl_->read_numeric<int>("/years", H5T_NATIVE_INT, 1, dims);
  });
}

namespace {

herr_t collect_dataset_path(hid_t, const char* name, const H5O_info_t* info, void* client) {
  if (info->type == H5O_TYPE_DATASET)
    static_cast<std::vector<std::string>*>(client)->push_back(std::string("/") + name);
  return 0;
}

/// Numbers, fixed-length strings, and compound types of them (no variable-length data).
bool fixed_size_type(hid_t type) {
  switch (H5Tget_class(type)) {
    case H5T_INTEGER:
    case H5T_FLOAT:
      return true;
    case H5T_STRING:
      return H5Tis_variable_str(type) == 0;
    case H5T_COMPOUND: {
      const int members = H5Tget_nmembers(type);
      if (members <= 0) return false;
      for (int i = 0; i < members; ++i) {
        const h5::Datatype member(H5Tget_member_type(type, static_cast<unsigned>(i)));
        if (!member.valid() || !fixed_size_type(member.get())) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

}  // namespace

void ResultsFile::verify() const {
  impl_->guarded([&] {
    std::vector<std::string> paths;
    h5::check_status(
        H5Ovisit(impl_->file.get(), H5_INDEX_NAME, H5_ITER_INC, collect_dataset_path, &paths),
        "cannot list the datasets (the file is damaged)");
    std::vector<std::string> damaged;
    std::string first_cause;
    for (const std::string& dataset_path : paths) {
      const h5::Dataset dataset = impl_->open_dataset(dataset_path);
      const h5::Datatype type(h5::check_id(H5Dget_type(dataset.get()), "cannot read a type"));
      // Numbers, fixed-length strings and tables of them: all checksummed (Fletcher32) in
      // plansim's files. Variable-length strings (files of older plansim versions) live in the
      // global heap, which has no checksum: not read here.
      if (!fixed_size_type(type.get())) continue;
      const h5::Dataspace space(h5::check_id(H5Dget_space(dataset.get()), "cannot read a space"));
      const hssize_t points = H5Sget_simple_extent_npoints(space.get());
      const std::size_t size = H5Tget_size(type.get());
      if (points < 0 || size == 0 || static_cast<std::size_t>(points) > kMaxDatasetValues ||
          (points > 0 && size > kMaxDatasetValues * 8 / static_cast<std::size_t>(points)))
        impl_->error("'" + dataset_path + "' has an impossible extent (the file is damaged)");
      std::vector<unsigned char> bytes(static_cast<std::size_t>(points) * size);
      if (!bytes.empty() &&
          H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()) < 0) {
        if (first_cause.empty()) first_cause = h5::error_description();
        H5Eclear2(H5E_DEFAULT);
        damaged.push_back("'" + dataset_path + "'");
      }
    }
    if (damaged.empty()) return 0;
    std::string list;
    for (std::size_t i = 0; i < damaged.size(); ++i)
      list += (i == 0 ? "" : i + 1 == damaged.size() ? " and " : ", ") + damaged[i];
    impl_->error("cannot read " + list + ": " + (first_cause.empty() ? "" : first_cause + " ") +
                 "(the file is damaged)");
  });
}

std::vector<unsigned> ResultsFile::replicate_numbers() const {
  return impl_->guarded([&] {
    std::vector<std::size_t> dims;
    return impl_->read_numeric<unsigned>("/replicate", H5T_NATIVE_UINT, 1, dims);
  });
}

std::vector<std::string> ResultsFile::keys(const std::string& group) const {
  return impl_->guarded([&] {
    const std::string group_path = group.rfind('/', 0) == 0 ? group : "/" + group;
    std::vector<std::string> names = impl_->datasets_in(group_path);
    if (group_path == "/zones" || group_path == "/facilities")
      names.erase(std::remove_if(names.begin(), names.end(), is_label_dataset), names.end());
    // The group's axes (dimension scales: year, replicate, zone, ...) are not series.
    names.erase(std::remove_if(names.begin(), names.end(),
                               [&](const std::string& name) {
                                 return impl_->is_dimension_scale(group_path + "/" + name);
                               }),
                names.end());
    return names;
  });
}

ResultsFile::Matrix ResultsFile::indicator(const std::string& key) const {
  return impl_->guarded([&] {
    const std::vector<std::size_t> shape = impl_->series_shape();
    return impl_->read_matrix(series_path(SeriesKind::Indicator, key), &shape);
  });
}

ResultsFile::Matrix ResultsFile::events(const std::string& key) const {
  return impl_->guarded([&] {
    const std::vector<std::size_t> shape = impl_->series_shape();
    return impl_->read_matrix(series_path(SeriesKind::Event, key), &shape);
  });
}

std::vector<float> ResultsFile::zones(const std::string& key, std::size_t& replicates,
                                      std::size_t& years, std::size_t& zones) const {
  return impl_->guarded([&] {
    std::vector<std::size_t> dims;
    const std::vector<std::size_t> shape = impl_->series_shape("/zones/zone_key");
    std::vector<float> values = impl_->read_numeric<float>(series_path(SeriesKind::Zone, key),
                                                           H5T_NATIVE_FLOAT, 3, dims, &shape);
    replicates = dims[0];
    years = dims[1];
    zones = dims[2];
    return values;
  });
}

std::vector<float> ResultsFile::facilities(const std::string& key, std::size_t& replicates,
                                           std::size_t& years, std::size_t& facilities) const {
  return impl_->guarded([&] {
    std::vector<std::size_t> dims;
    const std::vector<std::size_t> shape = impl_->series_shape("/facilities/facility_id");
    std::vector<float> values = impl_->read_numeric<float>(series_path(SeriesKind::Facility, key),
                                                           H5T_NATIVE_FLOAT, 3, dims, &shape);
    replicates = dims[0];
    years = dims[1];
    facilities = dims[2];
    return values;
  });
}

std::vector<double> ResultsFile::scalar(const std::string& key) const {
  return impl_->guarded([&] {
    std::vector<std::size_t> dims;
    const std::vector<std::size_t> shape{impl_->axis_length("/replicate")};
    return impl_->read_numeric<double>("/scalars/" + key, H5T_NATIVE_DOUBLE, 1, dims, &shape);
  });
}

std::vector<double> ResultsFile::parameter(const std::string& key) const {
  return impl_->guarded([&] {
    std::vector<std::size_t> dims;
    return impl_->read_numeric<double>("/parameters/" + key, H5T_NATIVE_DOUBLE, 1, dims);
  });
}

ResultsFile::SynthesisFit ResultsFile::synthesis() const {
  return impl_->guarded([&] {
    SynthesisFit fit;
    {
      const h5::Dataset dataset = impl_->open_dataset("/synthesis/marginal");
      fit.marginals = h5::read_strings(dataset.get(), false);
    }
    fit.target = impl_->read_matrix("/synthesis/target");
    fit.achieved = impl_->read_matrix("/synthesis/achieved");
    fit.relative_error = impl_->read_matrix("/synthesis/relative_error");
    return fit;
  });
}

SeriesInfo ResultsFile::series_info(const std::string& group, const std::string& key) const {
  SeriesInfo info;
  if (const SeriesKindInfo* kind = series_kind_of_group(group))
    info.kind = kind->kind;
  else
    impl_->error("series_info: group '" + group +
                 "' is not indicators, events, zones or facilities");
  return impl_->guarded([&] {
    const std::string dataset_path = "/" + group + "/" + key;
    const h5::Dataset dataset = impl_->open_dataset(dataset_path);
    info.key = key;
    try {
      info.unit = h5::read_string_attribute(dataset.get(), "unit");
      info.label_zh = h5::read_string_attribute(dataset.get(), "label_zh");
      info.label_en = h5::read_string_attribute(dataset.get(), "label_en");
      info.description = h5::read_string_attribute(dataset.get(), "description");
    } catch (const IoError& e) {
      impl_->error(dataset_path + ": " + e.what());
    }
    return info;
  });
}

std::vector<std::string> ResultsFile::zone_keys() const { return strings("/zones/zone_key"); }

std::vector<ZoneLabel> ResultsFile::zone_labels() const {
  const std::vector<std::string> keys = strings("/zones/zone_key");
  const std::vector<std::string> names_zh = strings("/zones/zone_name_zh");
  const std::vector<std::string> names_en = strings("/zones/zone_name_en");
  if (names_zh.size() != keys.size() || names_en.size() != keys.size())
    impl_->error("/zones zone_key, zone_name_zh and zone_name_en differ in length");
  std::vector<ZoneLabel> labels(keys.size());
  for (std::size_t z = 0; z < keys.size(); ++z) labels[z] = {keys[z], names_zh[z], names_en[z]};
  return labels;
}

std::vector<std::uint64_t> ResultsFile::facility_ids() const {
  return impl_->guarded([&] {
    std::vector<std::size_t> dims;
    if (!impl_->exists("/facilities/facility_id")) return std::vector<std::uint64_t>{};
    return impl_->read_numeric<std::uint64_t>("/facilities/facility_id", H5T_NATIVE_UINT64, 1,
                                              dims);
  });
}

std::vector<std::string> ResultsFile::facility_names() const {
  if (!impl_->guarded([&] { return impl_->exists("/facilities/facility_name"); })) return {};
  return strings("/facilities/facility_name");
}

std::vector<std::size_t> ResultsFile::shape(const std::string& dataset_path) const {
  return impl_->guarded([&] {
    const h5::Dataset dataset = impl_->open_dataset(dataset_path);
    return Impl::extent(dataset.get());
  });
}

std::vector<std::string> ResultsFile::strings(const std::string& dataset_path) const {
  return impl_->guarded([&] {
    const h5::Dataset dataset = impl_->open_dataset(dataset_path);
    try {
      return h5::read_strings(dataset.get(), false);
    } catch (const IoError& e) {
      impl_->error(dataset_path + ": " + e.what());
    }
  });
}

std::map<std::string, std::string> ResultsFile::string_attributes(
    const std::string& object_path) const {
  return impl_->guarded([&] {
    if (!impl_->exists(object_path)) impl_->error("no object '" + object_path + "'");
    const h5::Handle<H5Oclose> object(
        h5::check_id(H5Oopen(impl_->file.get(), object_path.c_str(), H5P_DEFAULT),
                     "cannot open '" + object_path + "'"));
    std::map<std::string, std::string> attributes;
    for (const std::string& name : h5::attribute_names(object.get())) {
      const h5::Attribute attribute(h5::check_id(H5Aopen(object.get(), name.c_str(), H5P_DEFAULT),
                                                 "cannot open attribute '" + name + "'"));
      const h5::Datatype type(h5::check_id(H5Aget_type(attribute.get()), "cannot read a type"));
      if (H5Tget_class(type.get()) != H5T_STRING) continue;
      const std::vector<std::string> values = h5::read_strings(attribute.get(), true);
      if (values.size() == 1) attributes[name] = values.front();
    }
    return attributes;
  });
}

std::vector<unsigned char> ResultsFile::raw(const std::string& dataset_path) const {
  return impl_->guarded([&] {
    const h5::Dataset dataset = impl_->open_dataset(dataset_path);
    const h5::Datatype type(h5::check_id(H5Dget_type(dataset.get()), "cannot read a type"));
    std::vector<unsigned char> bytes;
    if (H5Tget_class(type.get()) == H5T_STRING) {
      for (const std::string& text : h5::read_strings(dataset.get(), false)) {
        bytes.insert(bytes.end(), text.begin(), text.end());
        bytes.push_back(0);
      }
      return bytes;
    }
    const h5::Dataspace space(h5::check_id(H5Dget_space(dataset.get()), "cannot read a space"));
    const hssize_t points = H5Sget_simple_extent_npoints(space.get());
    if (points < 0) h5::fail("cannot count the values of '" + dataset_path + "'");
    bytes.resize(static_cast<std::size_t>(points) * H5Tget_size(type.get()));
    // Read in the stored type itself: the bytes as they are in the file, whatever the platform.
    if (!bytes.empty())
      h5::check_status(
          H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()),
          "cannot read '" + dataset_path + "'");
    return bytes;
  });
}

std::string ResultsFile::describe(std::size_t max_width) const {
  std::ostringstream out;
  out << "plansim results file " << impl_->path << "\n\n";

  // ---- provenance ----
  const std::map<std::string, std::string> strings = meta_strings();
  std::vector<std::pair<std::string, std::string>> meta_rows;
  for (const auto& [name, value] : strings) {
    if (value.find('\n') != std::string::npos) {
      const auto lines = std::count(value.begin(), value.end(), '\n') + (value.back() != '\n');
      std::ostringstream summary;  // multi-line text (the scenario YAML): its size only
      summary << '(' << lines << " lines, " << value.size() << " bytes)";
      meta_rows.emplace_back(name, summary.str());
    } else {
      meta_rows.emplace_back(name, value);
    }
  }
  for (auto& row : impl_->guarded([&] { return impl_->meta_number_texts(); }))
    meta_rows.push_back(std::move(row));
  std::sort(meta_rows.begin(), meta_rows.end());
  const std::vector<std::string> files_read = meta_list("files_read");
  out << "meta\n";
  {
    TextTable table({"attribute", "value"}, {TextTable::Align::Left, TextTable::Align::Left});
    for (auto& [name, value] : meta_rows) table.add({name, value});
    for (std::size_t i = 0; i < files_read.size(); ++i)
      table.add({i == 0 ? "files_read" : "", files_read[i]});
    std::string rendered = table.terminal("  ", max_width);
    rendered.erase(0, rendered.find('\n') + 1);       // no header row and rule: names speak for
    out << rendered.substr(rendered.find('\n') + 1);  // themselves
  }

  const std::vector<int> year_list = years();
  const std::vector<unsigned> replicates = replicate_numbers();
  out << "\nyears       ";
  if (year_list.empty())
    out << "none\n";
  else
    out << year_list.front() << "-" << year_list.back() << " (" << year_list.size() << ")\n";
  out << "replicates  " << replicates.size();
  if (!replicates.empty()) {
    out << " (";
    for (std::size_t r = 0; r < replicates.size(); ++r) out << (r ? ", " : "") << replicates[r];
    out << ")";
  }
  out << "\n";

  const std::string first_year = year_list.empty() ? "first" : std::to_string(year_list.front());
  const std::string last_year = year_list.empty() ? "last" : std::to_string(year_list.back());
  const std::string row_shape = "[replicate " + std::to_string(replicates.size()) + " x year " +
                                std::to_string(year_list.size());

  // ---- yearly series: indicators and events ----
  for (const SeriesKind kind : {SeriesKind::Indicator, SeriesKind::Event}) {
    const std::string group(series_kind_info(kind).group);
    const std::vector<std::string> names = keys(group);
    out << "\n"
        << group << " (" << names.size() << ")  " << element_name(series_kind_info(kind).element)
        << " " << row_shape << "]\n";
    if (names.empty()) continue;
    TextTable table(
        {"key", "unit", "label_en", "label_zh", "mean " + first_year, "mean " + last_year},
        {TextTable::Align::Left, TextTable::Align::Left, TextTable::Align::Left,
         TextTable::Align::Left, TextTable::Align::Right, TextTable::Align::Right});
    for (const std::string& key : names) {
      const SeriesInfo info = series_info(group, key);
      const Matrix values = kind == SeriesKind::Indicator ? indicator(key) : events(key);
      const bool has_years = values.cols > 0;
      table.add({key, info.unit, info.label_en, info.label_zh,
                 has_years ? format_number(column_mean(values, 0)) : "n/a",
                 has_years ? format_number(column_mean(values, values.cols - 1)) : "n/a"});
    }
    out << table.terminal("  ", max_width);
  }

  // ---- zone panels ----
  const std::vector<ZoneLabel> labels = zone_labels();
  const std::vector<std::string> zone_names = keys("zones");
  out << "\nzones (" << zone_names.size() << ")  float32 " << row_shape << " x zone "
      << labels.size() << "]\n";
  if (!zone_names.empty()) {
    TextTable table({"key", "unit", "label_en", "label_zh"},
                    {TextTable::Align::Left, TextTable::Align::Left, TextTable::Align::Left,
                     TextTable::Align::Left});
    for (const std::string& key : zone_names) {
      const SeriesInfo info = series_info("zones", key);
      table.add({key, info.unit, info.label_en, info.label_zh});
    }
    out << table.terminal("  ", max_width);
  }
  if (!labels.empty()) {
    out << "  zone labels\n";
    TextTable table({"#", "zone_key", "zone_name_zh", "zone_name_en"},
                    {TextTable::Align::Right, TextTable::Align::Left, TextTable::Align::Left,
                     TextTable::Align::Left});
    for (std::size_t z = 0; z < labels.size(); ++z)
      table.add({std::to_string(z), labels[z].key, labels[z].name_zh, labels[z].name_en});
    out << table.terminal("    ", max_width);
  }

  // ---- facility panels ----
  const std::vector<std::string> facility_series = keys("facilities");
  const std::vector<std::uint64_t> ids = facility_ids();
  if (!facility_series.empty() || !ids.empty()) {
    out << "\nfacilities (" << facility_series.size() << ")  float32 " << row_shape
        << " x facility " << ids.size() << "]\n";
    TextTable table({"key", "unit", "label_en", "label_zh"},
                    {TextTable::Align::Left, TextTable::Align::Left, TextTable::Align::Left,
                     TextTable::Align::Left});
    for (const std::string& key : facility_series) {
      const SeriesInfo info = series_info("facilities", key);
      table.add({key, info.unit, info.label_en, info.label_zh});
    }
    if (!facility_series.empty()) out << table.terminal("  ", max_width);
  }

  // ---- per-replicate scalars ----
  const std::vector<std::string> scalar_names = keys("scalars");
  out << "\nscalars (" << scalar_names.size() << ")  float64 [replicate " << replicates.size()
      << "]\n";
  if (!scalar_names.empty()) {
    TextTable table({"key", "mean", "min", "max"},
                    {TextTable::Align::Left, TextTable::Align::Right, TextTable::Align::Right,
                     TextTable::Align::Right});
    for (const std::string& key : scalar_names) {
      const std::vector<double> values = scalar(key);
      double sum = 0, low = std::numeric_limits<double>::infinity(), high = -low;
      for (double v : values) {
        sum += v;
        low = std::min(low, v);
        high = std::max(high, v);
      }
      const bool any = !values.empty();
      table.add({key, any ? format_number(sum / static_cast<double>(values.size())) : "n/a",
                 any ? format_number(low) : "n/a", any ? format_number(high) : "n/a"});
    }
    out << table.terminal("  ", max_width);
  }

  // ---- uncertain parameters (docs/uncertainty.md) ----
  const std::vector<std::string> parameter_names = keys("parameters");
  if (!parameter_names.empty()) {
    out << "\nparameters (" << parameter_names.size() << ")  float64 [replicate "
        << replicates.size() << "]\n";
    TextTable table({"key", "distribution", "mean", "min", "max"},
                    {TextTable::Align::Left, TextTable::Align::Left, TextTable::Align::Right,
                     TextTable::Align::Right, TextTable::Align::Right});
    table.shrinkable(1);
    for (const std::string& key : parameter_names) {
      const std::vector<double> values = parameter(key);
      const auto attributes = string_attributes("/parameters/" + key);
      const auto dist = attributes.find("distribution");
      double sum = 0, low = std::numeric_limits<double>::infinity(), high = -low;
      for (double v : values) {
        sum += v;
        low = std::min(low, v);
        high = std::max(high, v);
      }
      const bool any = !values.empty();
      table.add({key, dist == attributes.end() ? "" : dist->second,
                 any ? format_number(sum / static_cast<double>(values.size())) : "n/a",
                 any ? format_number(low) : "n/a", any ? format_number(high) : "n/a"});
    }
    out << table.terminal("  ", max_width);
  }

  // ---- synthesis fit ----
  if (impl_->guarded([&] { return impl_->exists("/synthesis/marginal"); })) {
    const SynthesisFit fit = synthesis();
    out << "\nsynthesis (" << fit.marginals.size() << " marginals)  float64 [replicate "
        << fit.target.rows << " x marginal " << fit.target.cols << "]";
    double worst = -1;
    std::size_t worst_row = 0, worst_column = 0;
    for (std::size_t r = 0; r < fit.relative_error.rows; ++r)
      for (std::size_t m = 0; m < fit.relative_error.cols; ++m) {
        const double error = std::fabs(fit.relative_error.at(r, m));
        if (error > worst) {
          worst = error;
          worst_row = r;
          worst_column = m;
        }
      }
    if (worst >= 0 && worst_column < fit.marginals.size())
      out << "\n  largest |relative error| " << format_number(worst) << " ("
          << fit.marginals[worst_column] << ", replicate "
          << (worst_row < replicates.size() ? replicates[worst_row] : worst_row) << ")";
    out << "\n";
  }

  // ---- anything else (e.g. /targets, /scorecard, /summary added by the plan scorecard) ----
  const std::vector<std::string> others = impl_->guarded([&] {
    std::vector<std::string> names;
    const h5::Group root = impl_->open_group("/");
    hsize_t index = 0;
    h5::check_status(
        H5Literate(root.get(), H5_INDEX_NAME, H5_ITER_INC, &index, collect_link_name, &names),
        "cannot list '/'");
    static const char* const kDescribed[] = {"meta",      "years",     "replicate",  "indicators",
                                             "events",    "zones",     "facilities", "scalars",
                                             "synthesis", "parameters"};
    // Axes of the root's tables (/target, /hindcast_row) go with their tables.
    names.erase(std::remove_if(names.begin(), names.end(),
                               [&](const std::string& name) {
                                 return std::find(std::begin(kDescribed), std::end(kDescribed),
                                                  name) != std::end(kDescribed) ||
                                        impl_->is_dimension_scale("/" + name);
                               }),
                names.end());
    return names;
  });
  if (!others.empty()) {
    out << "\nalso in this file:";
    for (const std::string& name : others) out << " /" << name;
    out << "\n";
  }
  return out.str();
}

}  // namespace plansim

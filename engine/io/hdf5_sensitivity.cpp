#include "io/hdf5_sensitivity.h"

#include <filesystem>

#include "io/hdf5_handles.h"
#include "io/hdf5_writer.h"

namespace plansim {
namespace {

using h5::write_dataset;

namespace fs = std::filesystem;

constexpr const char* kKind = "plansim sensitivity";
constexpr std::int32_t kSensitivitySchema = 1;

h5::Dataset write_strings(hid_t parent, const std::string& name,
                          const std::vector<std::string>& values) {
  const h5::FixedStrings packed = h5::pack_strings(values);
  h5::Dataset dataset = write_dataset(parent, name, packed.type.get(), packed.type.get(),
                                      {values.size()}, packed.bytes.data());
  h5::write_encoding_attribute(dataset.get());
  return dataset;
}

void write_int_attribute(hid_t object, const std::string& name, std::int64_t value) {
  h5::write_numeric_attribute(object, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
}

// A float64 dataset on named axes, with their scales attached (netCDF-4 dimensions).
void write_table(hid_t file, const std::string& name, const std::vector<double>& values,
                 const std::vector<std::pair<hsize_t, hid_t>>& axes, const std::string& what) {
  std::vector<hsize_t> dims;
  for (const auto& [size, scale] : axes) dims.push_back(size);
  const h5::Dataset dataset =
      write_dataset(file, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, dims, values.data());
  for (unsigned a = 0; a < axes.size(); ++a)
    h5::attach_dimension_scale(dataset.get(), axes[a].second, a);
  h5::write_string_attribute(dataset.get(), "long_name", what);
}

void write_file(const std::string& path, const SensitivityData& d) {
  const h5::PropertyList access(
      h5::check_id(H5Pcreate(H5P_FILE_ACCESS), "cannot create file access properties"));
  h5::check_status(H5Pset_fclose_degree(access.get(), H5F_CLOSE_STRONG),
                   "cannot set the close degree");
  // The root group too is created without object times (identical inputs, identical files).
  const h5::PropertyList creation = h5::creation_properties(H5P_FILE_CREATE);
  // Built in memory and saved whole: a full disk fails save(), never a write inside HDF5.
  h5::MemoryFile file = h5::MemoryFile::create(path, access.get(), creation.get());
  const hid_t f = file.get();
  {
    const h5::Group meta = h5::create_group(f, "meta");
    const hid_t m = meta.get();
    h5::write_string_attribute(m, "kind", kKind);
    write_int_attribute(m, "schema_version", kSensitivitySchema);
    h5::write_string_attribute(m, "engine_version", d.engine_version);
    h5::write_string_attribute(m, "git_sha", d.git_sha);
    h5::write_string_attribute(m, "command_line", d.command_line);
    h5::write_string_attribute(m, "sensitivity_file", d.sa_file);
    h5::write_string_attribute(m, "sensitivity_yaml", d.sa_yaml);
    h5::write_string_attribute(m, "scenario_name", d.scenario_name);
    h5::write_string_attribute(m, "scenario_yaml", d.scenario_yaml);
    h5::write_string_attribute(m, "city", d.city);
    h5::write_string_attribute(m, "method", d.method);
    h5::write_string_attribute(m, "design", d.design_description);
    h5::write_numeric_attribute(m, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &d.seed);
    if (d.method == "sobol") {
      write_int_attribute(m, "base", d.base);
      write_int_attribute(m, "bootstrap", d.bootstrap);
    } else {
      write_int_attribute(m, "trajectories", d.trajectories);
      write_int_attribute(m, "levels", d.levels);
    }
    write_int_attribute(m, "replicates_per_row", d.replicates);
    write_int_attribute(m, "threads", d.threads);
    write_int_attribute(m, "ranks", d.ranks);
    const double wall = d.wall_time_seconds;
    h5::write_numeric_attribute(m, "wall_time_seconds", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &wall);
    h5::write_string_attribute(m, "notes", d.notes);
  }
  const hsize_t P = d.parameters.size(), O = d.outputs.size(), R = d.rows;
  const h5::Dataset parameter = write_strings(f, "parameter", d.parameters);
  h5::make_dimension_scale(parameter.get(), "parameter");
  const h5::Dataset output = write_strings(f, "output", d.outputs);
  h5::make_dimension_scale(output.get(), "output");
  std::vector<std::uint32_t> rows(R);
  for (hsize_t r = 0; r < R; ++r) rows[r] = static_cast<std::uint32_t>(r);
  const h5::Dataset row =
      write_dataset(f, "row", H5T_STD_U32LE, H5T_NATIVE_UINT32, {R}, rows.data());
  h5::make_dimension_scale(row.get(), "row");
  const auto on = [&](const std::string& name, const std::vector<std::string>& values,
                      hid_t scale) {
    const h5::Dataset dataset = write_strings(f, name, values);
    h5::attach_dimension_scale(dataset.get(), scale, 0);
  };
  on("parameter_keys", d.parameter_keys, parameter.get());
  on("distribution", d.distributions, parameter.get());
  on("output_label_zh", d.output_label_zh, output.get());
  on("output_label_en", d.output_label_en, output.get());
  on("output_unit", d.output_unit, output.get());
  on("output_goal", d.output_goal, output.get());
  write_table(f, "design", d.design, {{R, row.get()}, {P, parameter.get()}},
              "the design point on the unit cube (the quantile of each parameter)");
  write_table(f, "values", d.values, {{R, row.get()}, {P, parameter.get()}},
              "the parameter value each row used");
  write_table(f, "outputs", d.results, {{R, row.get()}, {O, output.get()}},
              "each row's output (the mean over its random streams)");
  write_table(f, "output_mean", d.output_mean, {{O, output.get()}}, "mean of the output");
  write_table(f, "output_sd", d.output_sd, {{O, output.get()}},
              "standard deviation of the output over the design");
  write_table(f, "output_met_share", d.output_met_share, {{O, output.get()}},
              "share of the design's independent rows meeting the target (NaN: no target)");
  const std::vector<std::pair<hsize_t, hid_t>> index_axes = {{O, output.get()},
                                                             {P, parameter.get()}};
  if (d.method == "sobol") {
    write_table(f, "first_order", d.first, index_axes,
                "Sobol' first-order index S (Saltelli 2010)");
    write_table(f, "first_order_low", d.first_low, index_axes, "S: 2.5% bootstrap quantile");
    write_table(f, "first_order_high", d.first_high, index_axes, "S: 97.5% bootstrap quantile");
    write_table(f, "total", d.total, index_axes, "Sobol' total index T (Jansen 1999)");
    write_table(f, "total_low", d.total_low, index_axes, "T: 2.5% bootstrap quantile");
    write_table(f, "total_high", d.total_high, index_axes, "T: 97.5% bootstrap quantile");
  } else {
    write_table(f, "mu_star", d.mu_star, index_axes,
                "Morris mu*: mean absolute elementary effect, output units per unit of quantile");
    write_table(f, "mu", d.mu, index_axes, "Morris mu: mean elementary effect (its sign)");
    write_table(f, "sigma", d.sigma, index_axes,
                "Morris sigma: standard deviation of the elementary effects");
  }
  file.save_replacing(path);
}

}  // namespace

void write_sensitivity(const std::string& path, const SensitivityData& data) {
  const h5::ErrorSilencer silence;
  std::error_code ec;
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  try {
    write_file(path, data);
  } catch (const IoError& error) {
    throw IoError("cannot write sensitivity file '" + path + "': " + error.what());
  }
}

}  // namespace plansim

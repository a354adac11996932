#include "io/hdf5_posterior.h"

#include <cstddef>
#include <cstdio>
#include <filesystem>

#include "core/version.h"
#include "io/hdf5_handles.h"
#include "io/hdf5_writer.h"

namespace plansim {
namespace {

using h5::create_group;

using h5::write_dataset;

namespace fs = std::filesystem;

constexpr const char* kKind = "plansim posterior";
constexpr std::int32_t kPosteriorSchema = 1;

void write_doubles(hid_t parent, const std::string& name, const std::vector<double>& values,
                   std::vector<hsize_t> dims) {
  write_dataset(parent, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, dims, values.data());
}

void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values) {
  const h5::FixedStrings packed = h5::pack_strings(values);
  const h5::Dataset dataset = write_dataset(parent, name, packed.type.get(), packed.type.get(),
                                            {values.size()}, packed.bytes.data());
  h5::write_encoding_attribute(dataset.get());
}

void write_double_attribute(hid_t object, const std::string& name, double value) {
  h5::write_numeric_attribute(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}
void write_int_attribute(hid_t object, const std::string& name, std::int64_t value) {
  h5::write_numeric_attribute(object, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
}

// ---- compound tables ----

struct ObservationRecord {
  const char* key;
  std::int32_t year;
  double observed, tolerance, weight;
};

struct EstimateRecord {
  const char* parameter;
  double mean, median, p05, p95, sd, prior_mean, prior_p05, prior_p95;
};

const std::vector<h5::TableField>& observation_fields() {
  using F = h5::TableField;
  static const std::vector<F> fields = {
      {"key", offsetof(ObservationRecord, key), F::Text},
      {"year", offsetof(ObservationRecord, year), F::I32},
      {"observed", offsetof(ObservationRecord, observed), F::F64},
      {"tolerance", offsetof(ObservationRecord, tolerance), F::F64},
      {"weight", offsetof(ObservationRecord, weight), F::F64},
  };
  return fields;
}

constexpr const char* kEstimateFields[] = {"mean", "median",     "p05",       "p95",
                                           "sd",   "prior_mean", "prior_p05", "prior_p95"};

const std::vector<h5::TableField>& estimate_fields() {
  static const std::vector<h5::TableField> fields = [] {
    std::vector<h5::TableField> f = {
        {"parameter", offsetof(EstimateRecord, parameter), h5::TableField::Text}};
    for (std::size_t k = 0; k < 8; ++k)
      f.push_back({kEstimateFields[k], offsetof(EstimateRecord, mean) + k * sizeof(double),
                   h5::TableField::F64});
    return f;
  }();
  return fields;
}

/// A table of fixed-length text and numbers (nothing in HDF5's global heap).
template <class Record>
void write_records(hid_t parent, const std::string& name, const std::vector<h5::TableField>& fields,
                   const std::vector<Record>& records) {
  const h5::PackedTable table =
      h5::pack_table(fields, records.data(), sizeof(Record), records.size());
  write_dataset(parent, name, table.type.get(), table.memory_type.get(), {records.size()},
                table.bytes.data());
}

void write_generation(hid_t parent, const std::string& name, const AbcGeneration& g) {
  const h5::Group group = create_group(parent, name);
  const hid_t id = group.get();
  const hsize_t n = g.weights.size();
  write_doubles(id, "particles", g.particles, {n, g.dimension});
  write_doubles(id, "weights", g.weights, {n});
  write_doubles(id, "distances", g.distances, {n});
  write_doubles(id, "summaries", g.summaries, {n, g.observations});
  write_dataset(id, "candidates", H5T_STD_U32LE, H5T_NATIVE_UINT32, {n}, g.candidates.data());
  write_int_attribute(id, "generation", g.index);
  write_double_attribute(id, "epsilon", g.epsilon);
  write_int_attribute(id, "simulations", static_cast<std::int64_t>(g.simulations));
  write_double_attribute(id, "acceptance_rate", g.acceptance_rate);
  write_double_attribute(id, "ess", g.ess);
  write_int_attribute(id, "proposal_resampled", g.proposal_resampled ? 1 : 0);
}

void write_file(const std::string& path, const PosteriorData& d) {
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
    const h5::Group meta = create_group(f, "meta");
    const hid_t m = meta.get();
    h5::write_string_attribute(m, "kind", kKind);
    write_int_attribute(m, "schema_version", kPosteriorSchema);
    h5::write_string_attribute(m, "engine_version", d.engine_version);
    h5::write_string_attribute(m, "git_sha", d.git_sha);
    h5::write_string_attribute(m, "command_line", d.command_line);
    h5::write_string_attribute(m, "calibration_name", d.calibration_name);
    h5::write_string_attribute(m, "calibration_file", d.calibration_file);
    h5::write_string_attribute(m, "calibration_yaml", d.calibration_yaml);
    h5::write_string_attribute(m, "scenario_yaml", d.scenario_yaml);
    h5::write_numeric_attribute(m, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &d.seed);
    write_int_attribute(m, "threads", d.threads);
    write_int_attribute(m, "ranks", d.ranks);
    write_double_attribute(m, "wall_time_seconds", d.wall_time_seconds);
    write_int_attribute(m, "generations", static_cast<std::int64_t>(d.generations.size()));
    write_int_attribute(
        m, "particles",
        static_cast<std::int64_t>(d.generations.empty() ? 0 : d.generations.back().weights.size()));
    h5::write_string_attribute(m, "stop_reason", d.stop_reason);
  }
  write_strings(f, "parameters", d.parameters);
  std::vector<std::string> priors;
  std::vector<double> prior_summary(3 * d.priors.size());
  for (std::size_t p = 0; p < d.priors.size(); ++p) {
    priors.push_back(d.priors[p].to_yaml());
    prior_summary[p] = d.priors[p].mean();
    prior_summary[d.priors.size() + p] = d.priors[p].quantile(0.05);
    prior_summary[2 * d.priors.size() + p] = d.priors[p].quantile(0.95);
  }
  write_strings(f, "priors", priors);
  {
    const h5::Dataset summary = write_dataset(f, "prior_summary", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                                              {3, d.priors.size()}, prior_summary.data());
    h5::write_string_array_attribute(summary.get(), "statistics", {"mean", "p05", "p95"});
  }
  {
    std::vector<ObservationRecord> records;
    for (const PosteriorObservation& o : d.observations)
      records.push_back({o.key.c_str(), o.year, o.observed, o.tolerance, o.weight});
    write_records(f, "observations", observation_fields(), records);
  }
  {
    const h5::Group generations = create_group(f, "generations");
    for (const AbcGeneration& g : d.generations) {
      char name[16];
      std::snprintf(name, sizeof name, "%03u", g.index);
      write_generation(generations.get(), name, g);
    }
  }
  if (!d.generations.empty()) {
    write_generation(f, "posterior", d.generations.back());
    const h5::Group posterior(
        h5::check_id(H5Gopen2(f, "posterior", H5P_DEFAULT), "cannot open /posterior"));
    std::vector<EstimateRecord> records;
    for (const PosteriorEstimate& e : d.estimates)
      records.push_back({e.parameter.c_str(), e.mean, e.median, e.p05, e.p95, e.sd, e.prior_mean,
                         e.prior_p05, e.prior_p95});
    write_records(posterior.get(), "estimates", estimate_fields(), records);
  }
  file.save_replacing(path);
}

std::vector<double> read_doubles(hid_t parent, const std::string& name,
                                 std::vector<hsize_t>& dims) {
  const h5::Dataset dataset(
      h5::check_id(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), "cannot open '" + name + "'"));
  const h5::Dataspace space(h5::check_id(H5Dget_space(dataset.get()), "cannot read a dataspace"));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  dims.assign(static_cast<std::size_t>(std::max(rank, 0)), 0);
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  std::size_t n = 1;
  for (hsize_t d : dims) n *= d;
  std::vector<double> out(n);
  if (n)
    h5::check_status(
        H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()),
        "cannot read '" + name + "'");
  return out;
}

}  // namespace

void write_posterior(const std::string& path, const PosteriorData& data) {
  const h5::ErrorSilencer silence;
  std::error_code ec;
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  try {
    write_file(path, data);
  } catch (const IoError& error) {
    throw IoError("cannot write posterior file '" + path + "': " + error.what());
  }
}

StoredPosterior read_posterior(const std::string& path) {
  const h5::ErrorSilencer silence;
  StoredPosterior out;
  try {
    std::error_code ignored;
    if (!fs::exists(path, ignored)) throw IoError("no such file");
    if (H5Fis_hdf5(path.c_str()) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      throw IoError("not an HDF5 file");
    }
    h5::File file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    if (!file.valid()) throw IoError("cannot open: " + h5::error_description());
    const hid_t f = file.get();
    if (H5Lexists(f, "meta", H5P_DEFAULT) <= 0 ||
        H5Aexists_by_name(f, "meta", "kind", H5P_DEFAULT) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      throw IoError("not a posterior file of plansim calibrate (no /meta kind)");
    }
    const h5::Group meta(h5::check_id(H5Gopen2(f, "meta", H5P_DEFAULT), "cannot open /meta"));
    if (h5::read_string_attribute(meta.get(), "kind") != kKind)
      throw IoError("not a posterior file of plansim calibrate (it is a '" +
                    h5::read_string_attribute(meta.get(), "kind") + "')");
    out.calibration_name = h5::read_string_attribute_or_empty(meta.get(), "calibration_name");
    out.stop_reason = h5::read_string_attribute_or_empty(meta.get(), "stop_reason");
    {
      const h5::Dataset parameters(
          h5::check_id(H5Dopen2(f, "parameters", H5P_DEFAULT), "cannot open /parameters"));
      out.parameters = h5::read_strings(parameters.get(), false);
    }
    if (H5Lexists(f, "posterior", H5P_DEFAULT) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      throw IoError("has no /posterior (the calibration completed no generation)");
    }
    const h5::Group posterior(
        h5::check_id(H5Gopen2(f, "posterior", H5P_DEFAULT), "cannot open /posterior"));
    std::vector<hsize_t> dims;
    out.values = read_doubles(posterior.get(), "particles", dims);
    if (dims.size() != 2 || dims[1] != out.parameters.size())
      throw IoError("/posterior/particles is not [particle, " +
                    std::to_string(out.parameters.size()) + "]");
    out.particles = dims[0];
    out.weights = read_doubles(posterior.get(), "weights", dims);
    if (dims.size() != 1 || dims[0] != out.particles)
      throw IoError("/posterior/weights is not [" + std::to_string(out.particles) + "]");
    out.distances = read_doubles(posterior.get(), "distances", dims);
    {
      const h5::Attribute generation(h5::check_id(
          H5Aopen(posterior.get(), "generation", H5P_DEFAULT), "cannot open the generation"));
      std::int64_t g = 0;
      h5::check_status(H5Aread(generation.get(), H5T_NATIVE_INT64, &g),
                       "cannot read the generation");
      out.generation = static_cast<std::uint32_t>(g);
    }
    {
      const h5::Dataset estimates(h5::check_id(H5Dopen2(posterior.get(), "estimates", H5P_DEFAULT),
                                               "cannot open /posterior/estimates"));
      try {
        std::vector<EstimateRecord> records(h5::table_rows(estimates.get()));
        const std::vector<std::string> texts =
            h5::read_table(estimates.get(), estimate_fields(), records.data(),
                           sizeof(EstimateRecord), records.size());
        for (const EstimateRecord& r : records)
          out.estimates.push_back({r.parameter ? r.parameter : "", r.mean, r.median, r.p05, r.p95,
                                   r.sd, r.prior_mean, r.prior_p05, r.prior_p95});
      } catch (const IoError& error) {
        throw IoError(std::string("/posterior/estimates: ") + error.what());
      }
    }
  } catch (const IoError& error) {
    throw IoError(path + ": " + error.what());
  }
  return out;
}

}  // namespace plansim

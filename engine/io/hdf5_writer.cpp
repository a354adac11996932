#include "io/hdf5_writer.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "core/sha256.h"
#include "core/version.h"
#include "io/hdf5_handles.h"
#include "io/hdf5_sections.h"

namespace plansim {
namespace {

using h5::create_group;
using h5::creation_properties;

// Dimension scales (HDF5 H5DS, netCDF-4 dimensions): every series group holds the coordinates
// of its axes under these names, so that xarray and netCDF tools open one group on its own.
constexpr const char* kReplicateAxis = "replicate";
constexpr const char* kYearAxis = "year";
constexpr const char* kZoneAxis = "zone";
constexpr const char* kFacilityAxis = "facility";
constexpr const char* kMarginalAxis = "marginal";
constexpr const char* kAssumptionAxis = "assumption";
// Names in /zones that hold the zone labels rather than a series.
constexpr const char* kZoneKeyDataset = "zone_key";
constexpr const char* kZoneNameZhDataset = "zone_name_zh";
constexpr const char* kZoneNameEnDataset = "zone_name_en";
// Names in /facilities that hold the facility labels.
constexpr const char* kFacilityIdDataset = "facility_id";
constexpr const char* kFacilityNameDataset = "facility_name";

// Attribute names of /meta taken by RunMeta fields (an `extra` entry may not reuse them).
const std::set<std::string>& reserved_meta_names() {
  static const std::set<std::string> names = {
      "engine_version",    "git_sha",       "command_line",    "schema_version", "scenario_name",
      "city_name",         "scenario_yaml", "scenario_sha256", "seed",           "replicates",
      "threads",           "ranks",         "start_year",      "end_year",       "scale",
      "wall_time_seconds", "files_read"};
  return names;
}

const char* kind_name(SeriesKind kind) {
  if (kind == SeriesKind::Indicator) return "indicator";
  if (kind == SeriesKind::Event) return "event";
  if (kind == SeriesKind::Zone) return "zone";
  if (kind == SeriesKind::Facility) return "facility";
  return "other";
}

/// The checked, ordered view of a RunOutput that the file is written from.
struct Layout {
  std::vector<const ReplicateResults*> rows;  // by replicate number
  std::vector<int> years;
  std::vector<ZoneLabel> zones;
  std::vector<std::string> indicator_keys, event_keys, zone_keys, facility_keys,
      scalar_keys;  // sorted
  // Facility columns: every facility id of any replicate, ascending, with its name.
  std::vector<std::uint64_t> facility_ids;
  std::vector<std::string> facility_names;
  std::vector<std::string> marginals;  // in the first replicate's order
};

[[noreturn]] void invalid(const std::string& message) {
  throw IoError("write_results: " + message);
}

/// The stored type of a kind's datasets (kSeriesKinds' element), little-endian as the rest.
hid_t file_type(SeriesKind kind) {
  switch (series_kind_info(kind).element) {
    case SeriesElement::Float64:
      return H5T_IEEE_F64LE;
    case SeriesElement::Int64:
      return H5T_STD_I64LE;
    case SeriesElement::Float32:
      return H5T_IEEE_F32LE;
  }
  return H5T_IEEE_F64LE;  // unreachable: the switch covers every element (-Wswitch)
}

void check_link_name(const std::string& key, const char* what) {
  if (key.empty() || key == "." || key.find('/') != std::string::npos)
    invalid(std::string(what) + " key '" + key + "' cannot be an HDF5 dataset name");
  for (const char* axis : {kReplicateAxis, kYearAxis, kZoneAxis, kFacilityAxis})
    if (key == axis)
      invalid(std::string(what) + " key '" + key + "' is reserved for the " + axis + " axis");
}

/// The union of the keys of one map over all replicates; every replicate must hold each key.
template <class Map>
std::vector<std::string> common_keys(const std::vector<const ReplicateResults*>& rows,
                                     const Map ReplicateResults::*member, const char* what) {
  std::set<std::string> all;
  for (const ReplicateResults* row : rows)
    for (const auto& [key, values] : row->*member) all.insert(key);
  for (const ReplicateResults* row : rows)
    for (const std::string& key : all)
      if (!(row->*member).count(key)) {
        const ReplicateResults* holder = nullptr;
        for (const ReplicateResults* other : rows)
          if ((other->*member).count(key)) holder = other;
        invalid("replicate " + std::to_string(row->replicate) + " lacks " + what + " '" + key +
                "' that replicate " + std::to_string(holder->replicate) + " has");
      }
  return {all.begin(), all.end()};
}

void check_declared(const SeriesCatalog& catalog, const std::string& key, SeriesKind kind) {
  if (!catalog.find(key, kind))
    invalid(std::string(kind_name(kind)) + " '" + key + "' is not declared in the catalog");
}

bool same_labels(const std::vector<ZoneLabel>& a, const std::vector<ZoneLabel>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const ZoneLabel& x, const ZoneLabel& y) {
                      return x.key == y.key && x.name_zh == y.name_zh && x.name_en == y.name_en;
                    });
}

Layout check_output(const RunOutput& output) {
  if (!output.catalog) invalid("no series catalog");
  if (output.replicates.empty()) invalid("no replicates to write");
  const SeriesCatalog& catalog = *output.catalog;

  Layout layout;
  for (const ReplicateResults& replicate : output.replicates) layout.rows.push_back(&replicate);
  std::stable_sort(layout.rows.begin(), layout.rows.end(),
                   [](const ReplicateResults* a, const ReplicateResults* b) {
                     return a->replicate < b->replicate;
                   });
  for (std::size_t i = 1; i < layout.rows.size(); ++i)
    if (layout.rows[i]->replicate == layout.rows[i - 1]->replicate)
      invalid("replicate " + std::to_string(layout.rows[i]->replicate) + " appears twice");

  const ReplicateResults& first = *layout.rows.front();
  layout.years = first.years;
  layout.zones = first.zone_labels;
  for (const ReplicateResults* row : layout.rows) {
    if (row->years != layout.years)
      invalid("replicate " + std::to_string(row->replicate) + " has other years than replicate " +
              std::to_string(first.replicate));
    if (!same_labels(row->zone_labels, layout.zones))
      invalid("replicate " + std::to_string(row->replicate) +
              " has other zone labels than replicate " + std::to_string(first.replicate));
  }
  for (const ZoneLabel& zone : layout.zones)
    if (zone.key.empty()) invalid("a zone has an empty key");

  layout.indicator_keys = common_keys(layout.rows, &ReplicateResults::indicators, "indicator");
  layout.event_keys = common_keys(layout.rows, &ReplicateResults::events, "event");
  layout.zone_keys = common_keys(layout.rows, &ReplicateResults::zones, "zone series");
  layout.scalar_keys = common_keys(layout.rows, &ReplicateResults::scalars, "scalar");

  const std::size_t year_count = layout.years.size();
  const std::size_t zone_count = layout.zones.size();
  for (const std::string& key : layout.indicator_keys) {
    check_link_name(key, "indicator");
    check_declared(catalog, key, SeriesKind::Indicator);
    for (const ReplicateResults* row : layout.rows)
      if (row->indicators.find(key)->second.size() != year_count)
        invalid("indicator '" + key + "' of replicate " + std::to_string(row->replicate) + " has " +
                std::to_string(row->indicators.find(key)->second.size()) + " values for " +
                std::to_string(year_count) + " years");
  }
  for (const std::string& key : layout.event_keys) {
    check_link_name(key, "event");
    check_declared(catalog, key, SeriesKind::Event);
    for (const ReplicateResults* row : layout.rows)
      if (row->events.find(key)->second.size() != year_count)
        invalid("event '" + key + "' of replicate " + std::to_string(row->replicate) + " has " +
                std::to_string(row->events.find(key)->second.size()) + " values for " +
                std::to_string(year_count) + " years");
  }
  for (const std::string& key : layout.zone_keys) {
    check_link_name(key, "zone series");
    if (key == kZoneKeyDataset || key == kZoneNameZhDataset || key == kZoneNameEnDataset)
      invalid("zone series key '" + key + "' is reserved for the zone labels");
    check_declared(catalog, key, SeriesKind::Zone);
    for (const ReplicateResults* row : layout.rows)
      if (row->zones.find(key)->second.size() != year_count * zone_count)
        invalid("zone series '" + key + "' of replicate " + std::to_string(row->replicate) +
                " has " + std::to_string(row->zones.find(key)->second.size()) + " values for " +
                std::to_string(year_count) + " years x " + std::to_string(zone_count) + " zones");
  }
  for (const std::string& key : layout.scalar_keys) check_link_name(key, "scalar");

  // Facilities may differ between replicates (openings are events of the run): the columns are
  // the union of their ids; a facility absent from a replicate is NaN there.
  layout.facility_keys = common_keys(layout.rows, &ReplicateResults::facilities, "facility series");
  std::map<std::uint64_t, std::pair<std::string, std::uint32_t>>
      name_of;  // id -> (name, replicate)
  for (const ReplicateResults* row : layout.rows) {
    if (row->facility_names.size() != row->facility_ids.size())
      invalid("replicate " + std::to_string(row->replicate) + " has " +
              std::to_string(row->facility_ids.size()) + " facility ids but " +
              std::to_string(row->facility_names.size()) + " facility names");
    for (std::size_t i = 0; i < row->facility_ids.size(); ++i) {
      const auto [it, inserted] = name_of.emplace(
          row->facility_ids[i], std::make_pair(row->facility_names[i], row->replicate));
      if (!inserted && it->second.first != row->facility_names[i])
        invalid("facility " + std::to_string(row->facility_ids[i]) + " is named '" +
                it->second.first + "' in replicate " + std::to_string(it->second.second) +
                " but '" + row->facility_names[i] + "' in replicate " +
                std::to_string(row->replicate));
      if (!inserted && it->second.second == row->replicate)
        invalid("replicate " + std::to_string(row->replicate) + " lists facility " +
                std::to_string(row->facility_ids[i]) + " twice");
    }
  }
  for (const auto& [id, name] : name_of) {
    layout.facility_ids.push_back(id);
    layout.facility_names.push_back(name.first);
  }
  for (const std::string& key : layout.facility_keys) {
    check_link_name(key, "facility series");
    if (key == kFacilityIdDataset || key == kFacilityNameDataset)
      invalid("facility series key '" + key + "' is reserved for the facility labels");
    check_declared(catalog, key, SeriesKind::Facility);
    for (const ReplicateResults* row : layout.rows)
      if (row->facilities.find(key)->second.size() != year_count * row->facility_ids.size())
        invalid("facility series '" + key + "' of replicate " + std::to_string(row->replicate) +
                " has " + std::to_string(row->facilities.find(key)->second.size()) +
                " values for " + std::to_string(year_count) + " years x " +
                std::to_string(row->facility_ids.size()) + " facilities");
  }

  // Synthesis marginals: the first replicate's order; every replicate the same set, once each.
  for (const FitRow& row : first.synthesis_fit) layout.marginals.push_back(row.marginal);
  for (const ReplicateResults* row : layout.rows) {
    std::set<std::string> seen;
    for (const FitRow& fit : row->synthesis_fit)
      if (!seen.insert(fit.marginal).second)
        invalid("replicate " + std::to_string(row->replicate) + " has synthesis marginal '" +
                fit.marginal + "' twice");
    if (seen != std::set<std::string>(layout.marginals.begin(), layout.marginals.end()))
      invalid("replicate " + std::to_string(row->replicate) +
              " has other synthesis marginals than replicate " + std::to_string(first.replicate));
  }

  const RunMeta& meta = output.meta;
  if (meta.schema_version != 0 && meta.schema_version != kSchemaVersion)
    invalid("meta.schema_version " + std::to_string(meta.schema_version) +
            " differs from this writer's schema " + std::to_string(kSchemaVersion));
  if (!meta.scenario_sha256.empty() && meta.scenario_sha256 != sha256_hex(meta.scenario_yaml))
    invalid("meta.scenario_sha256 is not the SHA-256 of meta.scenario_yaml");
  std::set<std::string> extra_names;
  for (const auto& [name, value] : meta.extra) {
    if (name.empty()) invalid("a meta.extra attribute has an empty name");
    if (reserved_meta_names().count(name))
      invalid("meta.extra attribute '" + name + "' has the name of a RunMeta field");
    if (!extra_names.insert(name).second)
      invalid("meta.extra attribute '" + name + "' appears twice");
  }
  return layout;
}

// ---- writing ----

bool deflate_available() {
  const htri_t available = H5Zfilter_avail(H5Z_FILTER_DEFLATE);
  if (available < 0) H5Eclear2(H5E_DEFAULT);
  return available > 0;
}

/// Creates and fills one dataset. Every non-empty dataset (numbers, fixed-length strings) is
/// chunked (one replicate row per chunk when it has a replicate axis, rank >= 2; one chunk
/// otherwise) with HDF5's Fletcher32 checksum, so that a damaged chunk fails to read instead of
/// giving other numbers; `compress` adds shuffle
/// + deflate (zone panels, where it pays). Floating-point datasets have NaN as fill value, also
/// as CF's `_FillValue` attribute.
h5::Dataset write_dataset(hid_t parent, const std::string& name, hid_t file_type, hid_t memory_type,
                          const std::vector<hsize_t>& dims, const void* data, bool compress) {
  const h5::Dataspace space(
      h5::check_id(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                   "cannot create the dataspace of '" + name + "'"));
  const h5::PropertyList properties = creation_properties(H5P_DATASET_CREATE);
  const bool non_empty = std::all_of(dims.begin(), dims.end(), [](hsize_t d) { return d > 0; });
  // HDF5 applies no filter to variable-length data; plansim writes none (fixed-length strings).
  const bool variable_length = H5Tis_variable_str(file_type) > 0;
  if (non_empty && !dims.empty() && !variable_length) {
    std::vector<hsize_t> chunk = dims;
    if (dims.size() >= 2) chunk[0] = 1;
    h5::check_status(H5Pset_chunk(properties.get(), static_cast<int>(chunk.size()), chunk.data()),
                     "cannot chunk '" + name + "'");
    if (compress && dims.size() >= 2 && deflate_available()) {
      h5::check_status(H5Pset_shuffle(properties.get()), "cannot shuffle '" + name + "'");
      h5::check_status(H5Pset_deflate(properties.get(), 4), "cannot compress '" + name + "'");
    }
    // Last in the pipeline: the checksum covers the bytes as stored.
    h5::check_status(H5Pset_fletcher32(properties.get()), "cannot checksum '" + name + "'");
  }
  const bool floating = H5Tget_class(file_type) == H5T_FLOAT;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (floating)
    h5::check_status(H5Pset_fill_value(properties.get(), H5T_NATIVE_DOUBLE, &nan),
                     "cannot set the fill value of '" + name + "'");
  h5::Dataset dataset(h5::check_id(H5Dcreate2(parent, name.c_str(), file_type, space.get(),
                                              H5P_DEFAULT, properties.get(), H5P_DEFAULT),
                                   "cannot create dataset '" + name + "'"));
  if (non_empty)
    h5::check_status(H5Dwrite(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
                     "cannot write dataset '" + name + "'");
  // netCDF wants _FillValue in the variable's own type.
  if (floating)
    h5::write_numeric_attribute(dataset.get(), "_FillValue", file_type, H5T_NATIVE_DOUBLE, &nan);
  return dataset;
}

h5::Dataset write_string_dataset(hid_t parent, const std::string& name,
                                 const std::vector<std::string>& values) {
  // Fixed-length (as long as the longest value): chunked and checksummed like the numbers, and
  // nothing in HDF5's unchecksummed global heap.
  const h5::FixedStrings packed = h5::pack_strings(values);
  h5::Dataset dataset = write_dataset(parent, name, packed.type.get(), packed.type.get(),
                                      {values.size()}, packed.bytes.data(), false);
  h5::write_encoding_attribute(dataset.get());
  return dataset;
}

/// plansim's own attributes and their CF names (`units` in UDUNITS form, `long_name`).
void write_series_attributes(hid_t dataset, const SeriesInfo& info) {
  h5::write_string_attribute(dataset, "unit", info.unit);
  h5::write_string_attribute(dataset, "label_zh", info.label_zh);
  h5::write_string_attribute(dataset, "label_en", info.label_en);
  h5::write_string_attribute(dataset, "description", info.description);
  h5::write_string_attribute(dataset, "units", h5::udunits(info.unit));
  h5::write_string_attribute(dataset, "long_name", info.label_en);
}

/// The coordinates of one group's axes, as dimension scales in that group. The year and
/// replicate scales repeat /years and /replicate, so that each group opens on its own.
class GroupAxes {
 public:
  GroupAxes(hid_t group, const Layout& layout, bool with_year) {
    std::vector<std::uint32_t> numbers;
    for (const ReplicateResults* row : layout.rows) numbers.push_back(row->replicate);
    add(kReplicateAxis,
        write_dataset(group, kReplicateAxis, H5T_STD_U32LE, H5T_NATIVE_UINT32, {numbers.size()},
                      numbers.data(), false),
        "replicate number");
    if (with_year)
      add(kYearAxis,
          write_dataset(group, kYearAxis, H5T_STD_I32LE, H5T_NATIVE_INT, {layout.years.size()},
                        layout.years.data(), false),
          "calendar year");
  }
  /// Makes `dataset` (already in the group) the scale of `axis`.
  void add(const char* axis, h5::Dataset dataset, const std::string& long_name) {
    h5::make_dimension_scale(dataset.get(), axis);
    h5::write_string_attribute(dataset.get(), "long_name", long_name);
    scales_.emplace_back(axis, std::move(dataset));
  }
  /// Attaches the scales of `axes` to the axes of `dataset`, in order.
  void attach(hid_t dataset, std::initializer_list<const char*> axes) const {
    unsigned index = 0;
    for (const char* axis : axes) {
      for (const auto& [name, scale] : scales_)
        if (name == axis) h5::attach_dimension_scale(dataset, scale.get(), index);
      ++index;
    }
  }

 private:
  std::vector<std::pair<std::string, h5::Dataset>> scales_;
};

void write_meta(hid_t file, const RunMeta& meta) {
  const h5::Group group = create_group(file, "meta");
  const hid_t g = group.get();
  const int schema_version = meta.schema_version == 0 ? kSchemaVersion : meta.schema_version;
  const std::string scenario_sha256 =
      meta.scenario_sha256.empty() ? sha256_hex(meta.scenario_yaml) : meta.scenario_sha256;

  h5::write_string_attribute(g, "engine_version", meta.engine_version);
  h5::write_string_attribute(g, "git_sha", meta.git_sha);
  h5::write_string_attribute(g, "command_line", meta.command_line);
  h5::write_numeric_attribute(g, "schema_version", H5T_STD_I32LE, H5T_NATIVE_INT, &schema_version);
  h5::write_string_attribute(g, "scenario_name", meta.scenario_name);
  h5::write_string_attribute(g, "city_name", meta.city_name);
  h5::write_string_attribute(g, "scenario_yaml", meta.scenario_yaml);
  h5::write_string_attribute(g, "scenario_sha256", scenario_sha256);
  h5::write_numeric_attribute(g, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &meta.seed);
  h5::write_numeric_attribute(g, "replicates", H5T_STD_U32LE, H5T_NATIVE_UINT32, &meta.replicates);
  h5::write_numeric_attribute(g, "threads", H5T_STD_I32LE, H5T_NATIVE_INT, &meta.threads);
  h5::write_numeric_attribute(g, "ranks", H5T_STD_I32LE, H5T_NATIVE_INT, &meta.ranks);
  h5::write_numeric_attribute(g, "start_year", H5T_STD_I32LE, H5T_NATIVE_INT, &meta.start_year);
  h5::write_numeric_attribute(g, "end_year", H5T_STD_I32LE, H5T_NATIVE_INT, &meta.end_year);
  h5::write_numeric_attribute(g, "scale", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &meta.scale);
  h5::write_numeric_attribute(g, "wall_time_seconds", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                              &meta.wall_time_seconds);
  h5::write_string_array_attribute(g, "files_read", meta.files_read);
  for (const auto& [name, value] : meta.extra) h5::write_string_attribute(g, name, value);
}

void write_file(const std::string& file_path, const RunOutput& output, const Layout& layout) {
  const h5::PropertyList access(
      h5::check_id(H5Pcreate(H5P_FILE_ACCESS), "cannot create file access properties"));
  // Strong close: closing the file closes every object still open in it.
  h5::check_status(H5Pset_fclose_degree(access.get(), H5F_CLOSE_STRONG),
                   "cannot set the close degree");
  h5::use_checksummed_metadata(access.get());
  // The root group too is created without object times (identical inputs, identical files).
  const h5::PropertyList creation = h5::creation_properties(H5P_FILE_CREATE);
  // Built in memory and saved whole: a full disk fails save(), never a write inside HDF5.
  h5::MemoryFile file = h5::MemoryFile::create(file_path, access.get(), creation.get());
  const hid_t f = file.get();
  const SeriesCatalog& catalog = *output.catalog;
  const std::size_t replicate_count = layout.rows.size();
  const std::size_t year_count = layout.years.size();
  const std::size_t zone_count = layout.zones.size();

  write_meta(f, output.meta);
  h5::write_string_attribute(f, "Conventions", "CF-1.8");
  h5::write_string_attribute(
      f, "title", "plansim results: " + output.meta.scenario_name + ", " + output.meta.city_name);
  h5::write_string_attribute(f, "source", "plansim " + output.meta.engine_version);

  // The root axes, as dimension scales "years" and "replicate".
  const h5::Dataset years = write_dataset(f, "years", H5T_STD_I32LE, H5T_NATIVE_INT, {year_count},
                                          layout.years.data(), false);
  h5::make_dimension_scale(years.get(), "years");
  std::vector<std::uint32_t> replicate_numbers;
  for (const ReplicateResults* row : layout.rows) replicate_numbers.push_back(row->replicate);
  const h5::Dataset replicates = write_dataset(f, "replicate", H5T_STD_U32LE, H5T_NATIVE_UINT32,
                                               {replicate_count}, replicate_numbers.data(), false);
  h5::make_dimension_scale(replicates.get(), "replicate");

  {
    const h5::Group group = create_group(f, series_kind_info(SeriesKind::Indicator).group);
    const GroupAxes axes(group.get(), layout, true);
    std::vector<double> buffer(replicate_count * year_count);
    for (const std::string& key : layout.indicator_keys) {
      for (std::size_t r = 0; r < replicate_count; ++r) {
        const std::vector<double>& values = layout.rows[r]->indicators.find(key)->second;
        std::copy(values.begin(), values.end(), buffer.begin() + r * year_count);
      }
      const h5::Dataset dataset =
          write_dataset(group.get(), key, file_type(SeriesKind::Indicator), H5T_NATIVE_DOUBLE,
                        {replicate_count, year_count}, buffer.data(), false);
      write_series_attributes(dataset.get(), *catalog.find(key, SeriesKind::Indicator));
      axes.attach(dataset.get(), {kReplicateAxis, kYearAxis});
    }
  }
  {
    const h5::Group group = create_group(f, series_kind_info(SeriesKind::Event).group);
    const GroupAxes axes(group.get(), layout, true);
    std::vector<std::int64_t> buffer(replicate_count * year_count);
    for (const std::string& key : layout.event_keys) {
      for (std::size_t r = 0; r < replicate_count; ++r) {
        const std::vector<std::int64_t>& values = layout.rows[r]->events.find(key)->second;
        std::copy(values.begin(), values.end(), buffer.begin() + r * year_count);
      }
      const h5::Dataset dataset =
          write_dataset(group.get(), key, file_type(SeriesKind::Event), H5T_NATIVE_INT64,
                        {replicate_count, year_count}, buffer.data(), false);
      write_series_attributes(dataset.get(), *catalog.find(key, SeriesKind::Event));
      axes.attach(dataset.get(), {kReplicateAxis, kYearAxis});
    }
  }
  {
    const h5::Group group = create_group(f, series_kind_info(SeriesKind::Zone).group);
    std::vector<std::string> keys, names_zh, names_en;
    for (const ZoneLabel& zone : layout.zones) {
      keys.push_back(zone.key);
      names_zh.push_back(zone.name_zh);
      names_en.push_back(zone.name_en);
    }
    GroupAxes axes(group.get(), layout, true);
    axes.add(kZoneAxis, write_string_dataset(group.get(), kZoneAxis, keys), "zone key");
    // The labels are auxiliary coordinates of the zone axis (CF `coordinates`).
    const std::string zone_coordinates =
        std::string(kZoneKeyDataset) + " " + kZoneNameZhDataset + " " + kZoneNameEnDataset;
    for (const auto& [name, values, long_name] :
         {std::tuple{kZoneKeyDataset, &keys, "zone key"},
          std::tuple{kZoneNameZhDataset, &names_zh, "zone name (Chinese)"},
          std::tuple{kZoneNameEnDataset, &names_en, "zone name (English)"}}) {
      const h5::Dataset labels = write_string_dataset(group.get(), name, *values);
      h5::write_string_attribute(labels.get(), "long_name", long_name);
      axes.attach(labels.get(), {kZoneAxis});
    }
    const std::size_t panel = year_count * zone_count;
    std::vector<float> buffer(replicate_count * panel);
    for (const std::string& key : layout.zone_keys) {
      for (std::size_t r = 0; r < replicate_count; ++r) {
        const std::vector<float>& values = layout.rows[r]->zones.find(key)->second;
        std::copy(values.begin(), values.end(), buffer.begin() + r * panel);
      }
      const h5::Dataset dataset =
          write_dataset(group.get(), key, file_type(SeriesKind::Zone), H5T_NATIVE_FLOAT,
                        {replicate_count, year_count, zone_count}, buffer.data(), true);
      write_series_attributes(dataset.get(), *catalog.find(key, SeriesKind::Zone));
      h5::write_string_attribute(dataset.get(), "coordinates", zone_coordinates);
      axes.attach(dataset.get(), {kReplicateAxis, kYearAxis, kZoneAxis});
    }
  }
  {
    const h5::Group group = create_group(f, series_kind_info(SeriesKind::Facility).group);
    GroupAxes axes(group.get(), layout, true);
    axes.add(kFacilityAxis,
             write_dataset(group.get(), kFacilityAxis, H5T_STD_U64LE, H5T_NATIVE_UINT64,
                           {layout.facility_ids.size()}, layout.facility_ids.data(), false),
             "facility id");
    const std::string facility_coordinates =
        std::string(kFacilityIdDataset) + " " + kFacilityNameDataset;
    {
      const h5::Dataset ids =
          write_dataset(group.get(), kFacilityIdDataset, H5T_STD_U64LE, H5T_NATIVE_UINT64,
                        {layout.facility_ids.size()}, layout.facility_ids.data(), false);
      h5::write_string_attribute(ids.get(), "long_name", "facility id");
      axes.attach(ids.get(), {kFacilityAxis});
      const h5::Dataset names =
          write_string_dataset(group.get(), kFacilityNameDataset, layout.facility_names);
      h5::write_string_attribute(names.get(), "long_name", "facility name");
      axes.attach(names.get(), {kFacilityAxis});
    }
    const std::size_t facility_count = layout.facility_ids.size();
    const std::size_t panel = year_count * facility_count;
    std::vector<float> buffer(replicate_count * panel);
    for (const std::string& key : layout.facility_keys) {
      std::fill(buffer.begin(), buffer.end(), std::numeric_limits<float>::quiet_NaN());
      for (std::size_t r = 0; r < replicate_count; ++r) {
        const ReplicateResults& row = *layout.rows[r];
        const std::vector<float>& values = row.facilities.find(key)->second;
        const std::size_t columns = row.facility_ids.size();
        for (std::size_t c = 0; c < columns; ++c) {
          const std::size_t column = static_cast<std::size_t>(
              std::lower_bound(layout.facility_ids.begin(), layout.facility_ids.end(),
                               row.facility_ids[c]) -
              layout.facility_ids.begin());
          for (std::size_t y = 0; y < year_count; ++y)
            buffer[r * panel + y * facility_count + column] = values[y * columns + c];
        }
      }
      const h5::Dataset dataset =
          write_dataset(group.get(), key, file_type(SeriesKind::Facility), H5T_NATIVE_FLOAT,
                        {replicate_count, year_count, facility_count}, buffer.data(), true);
      write_series_attributes(dataset.get(), *catalog.find(key, SeriesKind::Facility));
      h5::write_string_attribute(dataset.get(), "coordinates", facility_coordinates);
      axes.attach(dataset.get(), {kReplicateAxis, kYearAxis, kFacilityAxis});
    }
  }
  {
    const h5::Group group = create_group(f, "scalars");
    const GroupAxes axes(group.get(), layout, false);
    std::vector<double> buffer(replicate_count);
    for (const std::string& key : layout.scalar_keys) {
      for (std::size_t r = 0; r < replicate_count; ++r)
        buffer[r] = layout.rows[r]->scalars.find(key)->second;
      const h5::Dataset dataset = write_dataset(group.get(), key, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                                                {replicate_count}, buffer.data(), false);
      axes.attach(dataset.get(), {kReplicateAxis});
    }
  }
  {
    // The uncertain parameters: the value of every replicate row, the distribution as attributes.
    const h5::Group group = create_group(f, "parameters");
    const GroupAxes axes(group.get(), layout, false);
    for (const ParameterRecord& p : output.parameters) {
      if (p.values.size() != replicate_count)
        throw IoError("parameter '" + p.key + "' has " + std::to_string(p.values.size()) +
                      " values for " + std::to_string(replicate_count) + " replicates");
      std::vector<double> by_row(replicate_count);
      for (std::size_t r = 0; r < replicate_count; ++r)
        by_row[r] = p.values[static_cast<std::size_t>(layout.rows[r] - output.replicates.data())];
      const h5::Dataset dataset =
          write_dataset(group.get(), p.key, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {replicate_count},
                        by_row.data(), false);
      h5::write_string_attribute(dataset.get(), "distribution", p.distribution);
      h5::write_string_attribute(dataset.get(), "yaml", p.yaml);
      h5::write_string_attribute(dataset.get(), "location", p.location);
      h5::write_string_attribute(dataset.get(), "draw", p.draw);
      h5::write_string_attribute(dataset.get(), "source", p.source);
      axes.attach(dataset.get(), {kReplicateAxis});
      if (p.coordinate)
        h5::write_numeric_attribute(dataset.get(), "coordinate", H5T_STD_U32LE, H5T_NATIVE_UINT32,
                                    &*p.coordinate);
    }
  }
  {
    // The assumptions the run used: four string columns of one row per assumption.
    const h5::Group group = create_group(f, "assumptions");
    std::vector<std::string> parameter, value, rationale, location;
    for (const AssumptionRecord& a : output.meta.assumptions) {
      parameter.push_back(a.parameter);
      value.push_back(a.value);
      rationale.push_back(a.rationale);
      location.push_back(a.location);
    }
    // Its axis: the row number (an HDF5 dimension scale must be a dataset).
    std::vector<std::int32_t> rows(parameter.size());
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<std::int32_t>(i);
    h5::Dataset row_scale = write_dataset(group.get(), kAssumptionAxis, H5T_STD_I32LE,
                                          H5T_NATIVE_INT32, {rows.size()}, rows.data(), false);
    h5::make_dimension_scale(row_scale.get(), kAssumptionAxis);
    h5::write_string_attribute(row_scale.get(), "long_name", "row number");
    for (const auto& [name, column] :
         {std::pair{"parameter", &parameter}, std::pair{"value", &value},
          std::pair{"rationale", &rationale}, std::pair{"location", &location}}) {
      const h5::Dataset dataset = write_string_dataset(group.get(), name, *column);
      h5::attach_dimension_scale(dataset.get(), row_scale.get(), 0);
    }
  }
  {
    const h5::Group group = create_group(f, "synthesis");
    const std::size_t marginal_count = layout.marginals.size();
    GroupAxes axes(group.get(), layout, false);
    axes.add(kMarginalAxis, write_string_dataset(group.get(), kMarginalAxis, layout.marginals),
             "census marginal");
    std::map<std::string, std::size_t> column_of;
    for (std::size_t m = 0; m < marginal_count; ++m) column_of[layout.marginals[m]] = m;
    std::vector<double> target(replicate_count * marginal_count);
    std::vector<double> achieved(target.size()), relative_error(target.size());
    for (std::size_t r = 0; r < replicate_count; ++r)
      for (const FitRow& fit : layout.rows[r]->synthesis_fit) {
        const std::size_t cell = r * marginal_count + column_of.at(fit.marginal);
        target[cell] = fit.target;
        achieved[cell] = fit.achieved;
        relative_error[cell] = fit.target == 0 ? 0.0 : (fit.achieved - fit.target) / fit.target;
      }
    const std::vector<hsize_t> dims = {replicate_count, marginal_count};
    for (const auto& [name, values] :
         {std::pair{"target", &target}, std::pair{"achieved", &achieved},
          std::pair{"relative_error", &relative_error}}) {
      const h5::Dataset dataset = write_dataset(group.get(), name, H5T_IEEE_F64LE,
                                                H5T_NATIVE_DOUBLE, dims, values->data(), false);
      axes.attach(dataset.get(), {kReplicateAxis, kMarginalAxis});
    }
  }
  if (output.plan) detail::write_plan_groups(f, *output.plan, catalog, layout.years);
  if (output.hindcast) detail::write_hindcast_groups(f, *output.hindcast, layout.years);
  file.save_replacing(file_path);
}

}  // namespace

void write_results(const std::string& path, const RunOutput& output) {
  const Layout layout = check_output(output);  // before any file exists
  const h5::ErrorSilencer silence;
  try {
    write_file(path, output, layout);
  } catch (const IoError& error) {
    throw IoError("cannot write results file '" + path + "': " + error.what());
  }
}

void disable_hdf5_exit_handler() { H5dont_atexit(); }

}  // namespace plansim

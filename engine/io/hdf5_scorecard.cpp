#include "io/hdf5_scorecard.h"

#include <hdf5_hl.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>

#include "indicators/exogenous.h"
#include "io/hdf5_handles.h"
#include "io/hdf5_sections.h"
#include "io/hdf5_writer.h"

namespace plansim {
namespace {

using h5::create_group;
using h5::creation_properties;

namespace fs = std::filesystem;

// Dimension scales: /target (the axis of /scorecard), /summary/statistic and /summary/year.
constexpr const char* kScorecardAxis = "target";
constexpr const char* kStatisticAxis = "statistic";
constexpr const char* kSummaryYearAxis = "year";

constexpr const char* kQuantileDefinition =
    "type 7 (linear interpolation between order statistics; numpy.percentile default) over the "
    "replicates with a value, NaN left out";

/// One row of /scorecard in memory (strings owned elsewhere while writing, by HDF5 when read).
struct ScorecardRecord {
  const char* target_key;
  const char* indicator;
  const char* label_zh;
  const char* label_en;
  const char* unit;
  const char* measure;
  const char* comparison;
  double target;
  std::int32_t first_year;
  std::int32_t year;
  double mean;
  double p05;
  double p95;
  double probability_met;
  std::uint32_t replicates;
  const char* status;
  const char* origin;
  const char* note;
};

using Field = h5::TableField;

const std::vector<Field>& scorecard_fields() {
  static const std::vector<Field> fields = {
      {"target_key", offsetof(ScorecardRecord, target_key), Field::Text},
      {"indicator", offsetof(ScorecardRecord, indicator), Field::Text},
      {"label_zh", offsetof(ScorecardRecord, label_zh), Field::Text},
      {"label_en", offsetof(ScorecardRecord, label_en), Field::Text},
      {"unit", offsetof(ScorecardRecord, unit), Field::Text},
      {"measure", offsetof(ScorecardRecord, measure), Field::Text},
      {"comparison", offsetof(ScorecardRecord, comparison), Field::Text},
      {"target", offsetof(ScorecardRecord, target), Field::F64},
      {"first_year", offsetof(ScorecardRecord, first_year), Field::I32},
      {"year", offsetof(ScorecardRecord, year), Field::I32},
      {"mean", offsetof(ScorecardRecord, mean), Field::F64},
      {"p05", offsetof(ScorecardRecord, p05), Field::F64},
      {"p95", offsetof(ScorecardRecord, p95), Field::F64},
      {"probability_met", offsetof(ScorecardRecord, probability_met), Field::F64},
      {"replicates", offsetof(ScorecardRecord, replicates), Field::U32},
      {"status", offsetof(ScorecardRecord, status), Field::Text},
      {"origin", offsetof(ScorecardRecord, origin), Field::Text},
      {"note", offsetof(ScorecardRecord, note), Field::Text},
  };
  return fields;
}

h5::Dataset create_dataset(hid_t parent, const std::string& name, hid_t file_type,
                           const std::vector<hsize_t>& dims) {
  const h5::Dataspace space(h5::check_id(
      dims.empty() ? H5Screate(H5S_SCALAR)
                   : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
      "cannot create the dataspace of '" + name + "'"));
  const h5::PropertyList properties = creation_properties(H5P_DATASET_CREATE);
  if (H5Tget_class(file_type) == H5T_FLOAT) {  // NaN where a value does not exist (CF _FillValue)
    const double nan = std::numeric_limits<double>::quiet_NaN();
    h5::check_status(H5Pset_fill_value(properties.get(), H5T_NATIVE_DOUBLE, &nan),
                     "cannot set the fill value of '" + name + "'");
  }
  // Numeric arrays and the table carry a Fletcher32 checksum like the series
  // (docs/hdf5-layout.md).
  const bool non_empty = std::all_of(dims.begin(), dims.end(), [](hsize_t d) { return d > 0; });
  const H5T_class_t type_class = H5Tget_class(file_type);
  if (!dims.empty() && non_empty && (type_class == H5T_FLOAT || type_class == H5T_COMPOUND)) {
    h5::check_status(H5Pset_chunk(properties.get(), static_cast<int>(dims.size()), dims.data()),
                     "cannot chunk '" + name + "'");
    h5::check_status(H5Pset_fletcher32(properties.get()), "cannot checksum '" + name + "'");
  }
  return h5::Dataset(h5::check_id(H5Dcreate2(parent, name.c_str(), file_type, space.get(),
                                             H5P_DEFAULT, properties.get(), H5P_DEFAULT),
                                  "cannot create dataset '" + name + "'"));
}

void write_double(hid_t object, const std::string& name, double value) {
  h5::write_numeric_attribute(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}
void write_int(hid_t object, const std::string& name, std::int32_t value) {
  h5::write_numeric_attribute(object, name, H5T_STD_I32LE, H5T_NATIVE_INT32, &value);
}

bool link_exists(hid_t parent, const std::string& name) {
  const htri_t found = H5Lexists(parent, name.c_str(), H5P_DEFAULT);
  if (found < 0) H5Eclear2(H5E_DEFAULT);
  return found > 0;
}

void write_targets(hid_t file, const Targets& targets) {
  const h5::Group group = create_group(file, "targets");
  const hid_t g = group.get();
  h5::write_string_attribute(g, "plan_zh", targets.plan_zh);
  h5::write_string_attribute(g, "plan_en", targets.plan_en);
  h5::write_string_attribute(g, "plan_source", targets.plan_source);
  write_double(g, "met_at_least", targets.thresholds.met_at_least);
  write_double(g, "missed_at_most", targets.thresholds.missed_at_most);
  std::vector<std::string> order;
  for (const Target& t : targets.targets) order.push_back(t.key);
  h5::write_string_array_attribute(g, "order", order);
  for (const Target& t : targets.targets) {
    const h5::Dataset dataset = create_dataset(g, t.key, H5T_IEEE_F64LE, {});
    h5::check_status(
        H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &t.value),
        "cannot write target '" + t.key + "'");
    const hid_t d = dataset.get();
    h5::write_string_attribute(d, "indicator", t.indicator);
    h5::write_string_attribute(d, "measure", std::string(measure_name(t.measure)));
    h5::write_string_attribute(d, "comparison", std::string(comparison_symbol(t.comparison)));
    write_double(d, "value", t.value);
    write_int(d, "first_year", t.first_year);
    write_int(d, "year", t.year);
    h5::write_string_attribute(d, "unit", t.unit);
    h5::write_string_attribute(d, "label_zh", t.label_zh);
    h5::write_string_attribute(d, "label_en", t.label_en);
    h5::write_string_attribute(d, "attribute", std::string(attribute_name(t.attribute)));
    h5::write_string_attribute(d, "level", std::string(level_name(t.level)));
    h5::write_string_attribute(d, "source", t.source);
    h5::write_string_attribute(d, "assumption", t.assumption);
    h5::write_cf_attributes(d, t.unit, t.label_en);
  }
}

void write_scorecard_table(hid_t file, const Scorecard& card) {
  // Keep the strings alive while HDF5 copies them.
  std::vector<std::string> measures, comparisons, statuses;
  for (const ScorecardRow& row : card.rows) {
    measures.emplace_back(measure_name(row.target.measure));
    comparisons.emplace_back(comparison_symbol(row.target.comparison));
    statuses.emplace_back(status_name(row.status));
  }
  std::vector<ScorecardRecord> records;
  for (std::size_t i = 0; i < card.rows.size(); ++i) {
    const ScorecardRow& row = card.rows[i];
    const Target& t = row.target;
    records.push_back({t.key.c_str(), t.indicator.c_str(), t.label_zh.c_str(), t.label_en.c_str(),
                       t.unit.c_str(), measures[i].c_str(), comparisons[i].c_str(), t.value,
                       t.first_year, t.year, row.mean, row.p05, row.p95, row.probability_met,
                       row.replicates, statuses[i].c_str(),
                       row.exogenous ? "exogenous" : "simulated", row.note.c_str()});
  }
  // Text as fixed-length strings (nothing in HDF5's unchecksummed global heap), in one chunk
  // with Fletcher32.
  const h5::PackedTable table =
      h5::pack_table(scorecard_fields(), records.data(), sizeof(ScorecardRecord), records.size());
  const h5::Dataset dataset = create_dataset(file, "scorecard", table.type.get(), {records.size()});
  if (!records.empty())
    h5::check_status(H5Dwrite(dataset.get(), table.memory_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT,
                              table.bytes.data()),
                     "cannot write /scorecard");
  // Its axis: the target keys, as the dimension scale /target.
  std::vector<std::string> keys;
  for (const ScorecardRow& row : card.rows) keys.push_back(row.target.key);
  const h5::Dataset axis = h5::write_axis(file, kScorecardAxis, keys, "plan target");
  h5::attach_dimension_scale(dataset.get(), axis.get(), 0);
  h5::write_string_attribute(dataset.get(), "long_name", "scorecard: the plan targets");
  write_int(dataset.get(), "replicates", static_cast<std::int32_t>(card.replicates));
  write_double(dataset.get(), "met_at_least", card.thresholds.met_at_least);
  write_double(dataset.get(), "missed_at_most", card.thresholds.missed_at_most);
}

void write_summary(hid_t file, const EnsembleSummary& summary, const SeriesCatalog& catalog) {
  const h5::Group group = create_group(file, "summary");
  const hid_t g = group.get();
  std::vector<std::string> statistics(std::begin(kSummaryStatistics), std::end(kSummaryStatistics));
  h5::write_string_array_attribute(g, "statistics", statistics);
  h5::write_string_attribute(g, "quantiles", kQuantileDefinition);
  write_int(g, "replicates", static_cast<std::int32_t>(summary.replicates));
  const std::size_t years = summary.years.size();
  // Its axes: statistic (mean, p05, p95) and year, as dimension scales in the group.
  const h5::Dataset statistic_axis =
      h5::write_axis(g, kStatisticAxis, statistics, "ensemble statistic");
  const h5::Dataset year_axis = h5::write_axis(g, kSummaryYearAxis, summary.years, "calendar year");
  std::vector<double> buffer(3 * years);
  for (const auto& [key, s] : summary.indicators) {
    if (s.mean.size() != years)
      throw IoError("summary of '" + key + "' has " + std::to_string(s.mean.size()) +
                    " years, the run " + std::to_string(years));
    std::copy(s.mean.begin(), s.mean.end(), buffer.begin());
    std::copy(s.p05.begin(), s.p05.end(), buffer.begin() + static_cast<std::ptrdiff_t>(years));
    std::copy(s.p95.begin(), s.p95.end(), buffer.begin() + static_cast<std::ptrdiff_t>(2 * years));
    const h5::Dataset dataset = create_dataset(g, key, H5T_IEEE_F64LE, {3, years});
    if (years > 0)
      h5::check_status(
          H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()),
          "cannot write /summary/" + key);
    const hid_t d = dataset.get();
    h5::write_string_array_attribute(d, "statistics", statistics);
    h5::write_string_attribute(d, "quantiles", kQuantileDefinition);
    write_int(d, "replicates", static_cast<std::int32_t>(summary.replicates));
    const SeriesInfo* info = catalog.find(key, SeriesKind::Indicator);
    h5::write_string_attribute(d, "unit", info ? info->unit : "");
    h5::write_string_attribute(d, "label_zh", info ? info->label_zh : "");
    h5::write_string_attribute(d, "label_en", info ? info->label_en : "");
    h5::write_string_attribute(d, "description", info ? info->description : "");
    h5::write_string_attribute(
        d, "origin",
        info && is_exogenous_description(info->description) ? "exogenous" : "simulated");
    h5::write_cf_attributes(d, info ? info->unit : "", info ? info->label_en : key);
    h5::write_nan_fill_attribute(d);
    h5::attach_dimension_scale(d, statistic_axis.get(), 0);
    h5::attach_dimension_scale(d, year_axis.get(), 1);
  }
}

// ---- reading ----

herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* client) {
  static_cast<std::vector<std::string>*>(client)->emplace_back(name);
  return 0;
}

std::vector<std::string> link_names(hid_t group) {
  std::vector<std::string> names;
  hsize_t index = 0;
  h5::check_status(H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &index, collect_name, &names),
                   "cannot list a group");
  return names;
}

double read_double(hid_t object, const std::string& name) {
  if (H5Aexists(object, name.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    throw IoError("attribute '" + name + "' is missing");
  }
  const h5::Attribute attribute(
      h5::check_id(H5Aopen(object, name.c_str(), H5P_DEFAULT), "cannot open '" + name + "'"));
  double value = 0;
  h5::check_status(H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value),
                   "cannot read attribute '" + name + "'");
  return value;
}

template <class Enum, std::size_t N>
Enum parse_name(const std::string& text, std::string_view (*name)(Enum), const Enum (&values)[N],
                const std::string& what) {
  if (const auto parsed = enum_from_name(text, name, values)) return *parsed;
  throw IoError(what + " '" + text + "' is not known to this reader");
}

Target read_target(hid_t group, const std::string& key) {
  const h5::Dataset dataset(
      h5::check_id(H5Dopen2(group, key.c_str(), H5P_DEFAULT), "cannot open target '" + key + "'"));
  const hid_t d = dataset.get();
  Target t;
  t.key = key;
  t.indicator = h5::read_string_attribute(d, "indicator");
  t.measure = parse_name(h5::read_string_attribute(d, "measure"), measure_name, kAllMeasures,
                         "target '" + key + "': measure");
  t.comparison = parse_name(h5::read_string_attribute(d, "comparison"), comparison_symbol,
                            kAllComparisons, "target '" + key + "': comparison");
  t.value = read_double(d, "value");
  t.first_year = static_cast<int>(read_double(d, "first_year"));
  t.year = static_cast<int>(read_double(d, "year"));
  t.unit = h5::read_string_attribute(d, "unit");
  t.label_zh = h5::read_string_attribute(d, "label_zh");
  t.label_en = h5::read_string_attribute(d, "label_en");
  t.attribute = parse_name(h5::read_string_attribute(d, "attribute"), attribute_name,
                           kAllAttributes, "target '" + key + "': attribute");
  t.level = parse_name(h5::read_string_attribute(d, "level"), level_name, kAllLevels,
                       "target '" + key + "': level");
  t.source = h5::read_string_attribute_or_empty(d, "source");
  t.assumption = h5::read_string_attribute_or_empty(d, "assumption");
  return t;
}

void read_targets_group(hid_t file, StoredScorecard& out) {
  const h5::Group group(
      h5::check_id(H5Gopen2(file, "targets", H5P_DEFAULT), "cannot open /targets"));
  const hid_t g = group.get();
  Targets& targets = out.targets;
  targets.plan_zh = h5::read_string_attribute_or_empty(g, "plan_zh");
  targets.plan_en = h5::read_string_attribute_or_empty(g, "plan_en");
  targets.plan_source = h5::read_string_attribute_or_empty(g, "plan_source");
  targets.thresholds.met_at_least = read_double(g, "met_at_least");
  targets.thresholds.missed_at_most = read_double(g, "missed_at_most");
  std::vector<std::string> order;
  if (H5Aexists(g, "order") > 0) {
    const h5::Attribute attribute(
        h5::check_id(H5Aopen(g, "order", H5P_DEFAULT), "cannot open order"));
    order = h5::read_strings(attribute.get(), true);
  } else {
    H5Eclear2(H5E_DEFAULT);
    order = link_names(g);
  }
  for (const std::string& key : order) targets.targets.push_back(read_target(g, key));
  out.has_targets = true;
}

void read_scorecard_table(hid_t file, StoredScorecard& out) {
  const h5::Dataset dataset(
      h5::check_id(H5Dopen2(file, "scorecard", H5P_DEFAULT), "cannot open /scorecard"));
  std::vector<ScorecardRecord> records;
  std::vector<std::string> texts;  // what the records' text fields point to
  try {
    records.resize(h5::table_rows(dataset.get()));
    texts = h5::read_table(dataset.get(), scorecard_fields(), records.data(),
                           sizeof(ScorecardRecord), records.size());
  } catch (const IoError& error) {
    throw IoError(std::string("/scorecard: ") + error.what());
  }
  Scorecard& card = out.scorecard;
  card.plan_zh = out.targets.plan_zh;
  card.plan_en = out.targets.plan_en;
  card.replicates = static_cast<std::uint32_t>(read_double(dataset.get(), "replicates"));
  card.thresholds.met_at_least = read_double(dataset.get(), "met_at_least");
  card.thresholds.missed_at_most = read_double(dataset.get(), "missed_at_most");
  std::string problem;
  const auto text = [](const char* s) { return std::string(s ? s : ""); };
  for (const ScorecardRecord& r : records) {
    ScorecardRow row;
    const std::string key = text(r.target_key);
    // (Targets::find lives in the indicators library, which io does not link.)
    const auto stored = std::find_if(out.targets.targets.begin(), out.targets.targets.end(),
                                     [&](const Target& t) { return t.key == key; });
    if (stored != out.targets.targets.end()) {
      row.target = *stored;
    } else {  // a scorecard without /targets: what the table itself says
      row.target.key = key;
      row.target.indicator = text(r.indicator);
      row.target.label_zh = text(r.label_zh);
      row.target.label_en = text(r.label_en);
      row.target.unit = text(r.unit);
      row.target.value = r.target;
      row.target.first_year = r.first_year;
      row.target.year = r.year;
      if (auto m = enum_from_name(text(r.measure), measure_name, kAllMeasures))
        row.target.measure = *m;
      if (auto c = enum_from_name(text(r.comparison), comparison_symbol, kAllComparisons))
        row.target.comparison = *c;
    }
    row.mean = r.mean;
    row.p05 = r.p05;
    row.p95 = r.p95;
    row.probability_met = r.probability_met;
    row.replicates = r.replicates;
    row.exogenous = text(r.origin) == "exogenous";
    row.note = text(r.note);
    if (auto s = enum_from_name(text(r.status), status_name, kAllStatuses))
      row.status = *s;
    else if (problem.empty())
      problem = "unknown status '" + text(r.status) + "' in /scorecard";
    card.rows.push_back(std::move(row));
  }
  if (!problem.empty()) throw IoError(problem);
  out.has_scorecard = true;
}

void read_summary_group(hid_t file, StoredScorecard& out) {
  {
    const h5::Dataset years(
        h5::check_id(H5Dopen2(file, "years", H5P_DEFAULT), "cannot open /years"));
    const h5::Dataspace space(h5::check_id(H5Dget_space(years.get()), "cannot read a dataspace"));
    out.summary.years.resize(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
    if (!out.summary.years.empty())
      h5::check_status(H5Dread(years.get(), H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                               out.summary.years.data()),
                       "cannot read /years");
  }
  const h5::Group group(
      h5::check_id(H5Gopen2(file, "summary", H5P_DEFAULT), "cannot open /summary"));
  out.summary.replicates = static_cast<std::uint32_t>(read_double(group.get(), "replicates"));
  const std::size_t years = out.summary.years.size();
  for (const std::string& key : link_names(group.get())) {
    const h5::Dataset dataset(h5::check_id(H5Dopen2(group.get(), key.c_str(), H5P_DEFAULT),
                                           "cannot open /summary/" + key));
    if (H5DSis_scale(dataset.get()) > 0) continue;  // an axis (statistic, year), not a series
    const h5::Dataspace space(h5::check_id(H5Dget_space(dataset.get()), "cannot read a dataspace"));
    hsize_t dims[2] = {0, 0};
    if (H5Sget_simple_extent_ndims(space.get()) != 2 ||
        H5Sget_simple_extent_dims(space.get(), dims, nullptr) < 0 || dims[0] != 3 ||
        dims[1] != years)
      throw IoError("/summary/" + key + " is not [3, " + std::to_string(years) + "]");
    std::vector<double> buffer(3 * years);
    if (years > 0)
      h5::check_status(
          H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()),
          "cannot read /summary/" + key);
    SeriesSummary s;
    const auto years_signed = static_cast<std::ptrdiff_t>(years);
    s.mean.assign(buffer.begin(), buffer.begin() + years_signed);
    s.p05.assign(buffer.begin() + years_signed, buffer.begin() + 2 * years_signed);
    s.p95.assign(buffer.begin() + 2 * years_signed, buffer.end());
    out.summary_origin[key] = h5::read_string_attribute_or_empty(dataset.get(), "origin");
    out.summary.indicators.emplace(key, std::move(s));
  }
  out.has_summary = true;
}

h5::File open_read_only(const std::string& path) {
  std::error_code ignored;
  if (!fs::exists(path, ignored)) throw IoError(path + ": no such file");
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    throw IoError(path + ": not an HDF5 file");
  }
  h5::File file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!file.valid()) throw IoError(path + ": cannot open: " + h5::error_description());
  return file;
}

}  // namespace

namespace detail {

void write_plan_groups(hid_t file, const PlanOutput& plan, const SeriesCatalog& catalog,
                       const std::vector<int>& years) {
  if (plan.summary.years != years)
    throw IoError("the summary covers " + std::to_string(plan.summary.years.size()) +
                  " years, not the run's " + std::to_string(years.size()));
  write_targets(file, plan.targets);
  write_scorecard_table(file, plan.scorecard);
  write_summary(file, plan.summary, catalog);
}

}  // namespace detail

StoredScorecard read_scorecard(const std::string& path) {
  const h5::ErrorSilencer silence;
  StoredScorecard out;
  try {
    const h5::File file = open_read_only(path);
    if (link_exists(file.get(), "targets")) read_targets_group(file.get(), out);
    if (link_exists(file.get(), "scorecard")) read_scorecard_table(file.get(), out);
    if (link_exists(file.get(), "summary")) read_summary_group(file.get(), out);
  } catch (const IoError& error) {
    const std::string message = error.what();
    if (message.rfind(path + ": ", 0) == 0) throw;
    throw IoError(path + ": " + message);
  }
  return out;
}

ResultsIdentity read_results_identity(const std::string& path) {
  const h5::ErrorSilencer silence;
  ResultsIdentity identity;
  try {
    const h5::File file = open_read_only(path);
    if (!link_exists(file.get(), "meta") ||
        H5Aexists_by_name(file.get(), "meta", "schema_version", H5P_DEFAULT) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      throw IoError(path + ": not a plansim results file (no /meta schema_version attribute)");
    }
    const h5::Group meta(
        h5::check_id(H5Gopen2(file.get(), "meta", H5P_DEFAULT), "cannot open /meta"));
    identity.schema_version = static_cast<int>(read_double(meta.get(), "schema_version"));
    identity.city_name = h5::read_string_attribute_or_empty(meta.get(), "city_name");
    identity.scenario_name = h5::read_string_attribute_or_empty(meta.get(), "scenario_name");
  } catch (const IoError& error) {
    const std::string message = error.what();
    if (message.rfind(path + ": ", 0) == 0) throw;
    throw IoError(path + ": " + message);
  }
  return identity;
}

}  // namespace plansim

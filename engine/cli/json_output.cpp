#include "cli/json_output.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <tuple>

#include "io/hdf5_reader.h"

namespace plansim {

using json = nlohmann::ordered_json;

json number_or_null(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

json exact_number(double value) {
  if (std::isfinite(value) && value == std::trunc(value) && std::fabs(value) < 9007199254740992.0)
    return json(static_cast<std::int64_t>(value));
  return number_or_null(value);
}

std::string json_text(const json& document) {
  // Invalid UTF-8 (a label from a broken file) is replaced rather than thrown on.
  return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

json diagnostics_json(const Diagnostics& diags) {
  std::vector<Diagnostic> sorted = diags.errors();
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.loc.file, a.loc.line, a.loc.column) <
           std::tie(b.loc.file, b.loc.line, b.loc.column);
  });
  json errors = json::array();
  for (const Diagnostic& d : sorted) {
    json e = {{"file", d.loc.file}, {"message", d.message}};
    e["line"] = d.loc.line > 0 ? json(d.loc.line) : json(nullptr);
    e["column"] = d.loc.column > 0 ? json(d.loc.column) : json(nullptr);
    e["text"] = (d.loc.file.empty() ? std::string() : d.loc.str() + ": ") + "error: " + d.message;
    errors.push_back(std::move(e));
  }
  return errors;
}

namespace {

// Mean over replicates (rows) of one year (column), ignoring NaN.
double column_mean(const ResultsFile::Matrix& m, std::size_t column) {
  double sum = 0;
  std::size_t count = 0;
  for (std::size_t r = 0; r < m.rows; ++r) {
    const double v = m.values[r * m.cols + column];
    if (std::isnan(v)) continue;
    sum += v;
    ++count;
  }
  return count ? sum / static_cast<double>(count) : std::nan("");
}

json series_json(const ResultsFile& file, const std::string& group, const std::string& key) {
  const SeriesInfo info = file.series_info(group, key);
  json s = {{"key", key},
            {"unit", info.unit},
            {"label_en", info.label_en},
            {"label_zh", info.label_zh},
            {"description", info.description},
            {"path", "/" + group + "/" + key},
            {"shape", file.shape("/" + group + "/" + key)}};
  if (group == "indicators" || group == "events") {
    const ResultsFile::Matrix m = group == "indicators" ? file.indicator(key) : file.events(key);
    s["mean_first_year"] = m.cols ? number_or_null(column_mean(m, 0)) : json(nullptr);
    s["mean_last_year"] = m.cols ? number_or_null(column_mean(m, m.cols - 1)) : json(nullptr);
  }
  return s;
}

}  // namespace

json inspect_json(const ResultsFile& file) {
  json meta = json::object();
  for (const auto& [name, value] : file.meta_strings()) meta[name] = value;
  for (const auto& [name, value] : file.meta_numbers()) meta[name] = exact_number(value);
  meta["files_read"] = file.meta_list("files_read");
  json doc = {{"path", file.path()},
              {"meta", meta},
              {"years", file.years()},
              {"replicates", file.replicate_numbers()}};
  json groups = json::object();
  std::vector<std::string> group_names;
  for (const SeriesKindInfo& kind : kSeriesKinds) group_names.emplace_back(kind.group);
  group_names.emplace_back("scalars");
  for (const std::string& group : group_names) {
    json series = json::array();
    for (const std::string& key : file.keys(group)) {
      if (group == "scalars") {
        series.push_back(
            {{"key", key}, {"path", "/scalars/" + key}, {"shape", file.shape("/scalars/" + key)}});
        continue;
      }
      series.push_back(series_json(file, group, key));
    }
    groups[group] = std::move(series);
  }
  doc["series"] = std::move(groups);
  json zones = json::array();
  for (const ZoneLabel& z : file.zone_labels())
    zones.push_back({{"key", z.key}, {"name_zh", z.name_zh}, {"name_en", z.name_en}});
  doc["zones"] = std::move(zones);
  json facilities = json::array();
  const auto ids = file.facility_ids();
  const auto names = file.facility_names();
  for (std::size_t i = 0; i < ids.size(); ++i)
    facilities.push_back({{"id", ids[i]}, {"name", i < names.size() ? names[i] : ""}});
  doc["facilities"] = std::move(facilities);
  return doc;
}

}  // namespace plansim

#include "core/results.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace plansim {

void SeriesCatalog::declare(SeriesInfo info) {
  if (const SeriesInfo* old = find(info.key, info.kind)) {
    if (old->unit != info.unit || old->label_en != info.label_en)
      throw std::logic_error("series '" + info.key + "' declared twice with different metadata");
    return;
  }
  series_.push_back(std::move(info));
}

const SeriesInfo* SeriesCatalog::find(std::string_view key, SeriesKind kind) const {
  for (const SeriesInfo& s : series_)
    if (s.kind == kind && s.key == key) return &s;
  return nullptr;
}

Recorder::Recorder(ReplicateResults& results, const SeriesCatalog& catalog, std::size_t zone_count,
                   double person_weight)
    : results_(results), catalog_(catalog), zone_count_(zone_count), weight_(person_weight) {}

void Recorder::begin_year(int year) {
  year_ = year;
  results_.years.push_back(year);
}

void Recorder::check_declared(std::string_view key, SeriesKind kind) const {
  if (!catalog_.find(key, kind))
    throw std::logic_error("series '" + std::string(key) + "' recorded but not declared");
}

void Recorder::indicator(std::string_view key, double value) {
  check_declared(key, SeriesKind::Indicator);
  auto& v = results_.indicators[std::string(key)];
  v.resize(row() + 1, std::numeric_limits<double>::quiet_NaN());
  v[row()] = value;
}

void Recorder::event(std::string_view key, std::int64_t simulated_count) {
  check_declared(key, SeriesKind::Event);
  auto& v = results_.events[std::string(key)];
  v.resize(row() + 1, 0);
  v[row()] += std::llround(static_cast<double>(simulated_count) * weight_);
}

std::int64_t Recorder::event_count(std::string_view key) const {
  auto it = results_.events.find(key);
  if (it == results_.events.end() || it->second.size() <= row()) return 0;
  return it->second[row()];
}

void Recorder::zone(std::string_view key, const std::vector<float>& values_by_zone) {
  check_declared(key, SeriesKind::Zone);
  if (values_by_zone.size() != zone_count_)
    throw std::logic_error("zone series '" + std::string(key) + "' has the wrong length");
  auto& v = results_.zones[std::string(key)];
  v.resize((row() + 1) * zone_count_, std::numeric_limits<float>::quiet_NaN());
  std::copy(values_by_zone.begin(), values_by_zone.end(), v.begin() + row() * zone_count_);
}

void Recorder::facility(std::string_view key, const std::vector<std::uint64_t>& ids,
                        const std::vector<std::string>& names, const std::vector<float>& values) {
  check_declared(key, SeriesKind::Facility);
  if (ids.size() != values.size() || names.size() != values.size())
    throw std::logic_error("facility series '" + std::string(key) + "' has mismatched lengths");
  auto& cells = results_.facility_cells[std::string(key)];
  for (std::size_t i = 0; i < ids.size(); ++i) {
    cells.push_back({row(), ids[i], values[i]});
    results_.facility_name_by_id[ids[i]] = names[i];
  }
}

void finalise_facility_panels(ReplicateResults& results) {
  // Columns: every facility id seen in any year, ascending (ids are stable, so this order does
  // not depend on when a facility opened or which process recorded it).
  std::vector<std::uint64_t> ids;
  for (const auto& [id, name] : results.facility_name_by_id) ids.push_back(id);
  results.facility_ids = ids;
  results.facility_names.clear();
  for (auto id : ids) results.facility_names.push_back(results.facility_name_by_id[id]);
  const std::size_t years = results.years.size(), columns = ids.size();
  for (const auto& [key, cells] : results.facility_cells) {
    auto& panel = results.facilities[key];
    panel.assign(years * columns, std::numeric_limits<float>::quiet_NaN());
    for (const auto& c : cells) {
      const std::size_t col =
          static_cast<std::size_t>(std::lower_bound(ids.begin(), ids.end(), c.id) - ids.begin());
      panel[c.year_row * columns + col] = c.value;
    }
  }
  results.facility_cells.clear();
}

void Recorder::scalar(std::string_view key, double value) {
  results_.scalars[std::string(key)] = value;
}

void Recorder::fit(FitRow row) { results_.synthesis_fit.push_back(std::move(row)); }

}  // namespace plansim

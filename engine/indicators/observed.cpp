#include "indicators/observed.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "core/text.h"
#include "indicators/ensemble.h"
#include "indicators/targets.h"  // enum_from_name
#include "indicators/yaml_fields.h"

namespace plansim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

ObservedSeries read_series(const std::string& key, const SourceLoc& key_loc, const ParamNode& node,
                           Diagnostics& diags) {
  ObservedSeries s;
  s.key = key;
  s.loc = key_loc;
  if (!is_plain_key(key))
    diags.error(key_loc, node.path() + ": key '" + key +
                             "' must be letters, digits and '_' (it names the simulated series)");
  if (!node.is_map()) {
    diags.error(node.loc(), node.path() +
                                ": expected a map with unit, timing, values, status "
                                "and source, got " +
                                describe_node(node));
    return s;
  }
  s.label_zh = node.string("label_zh", "", diags);
  s.label_en = node.string("label_en", "", diags);
  s.unit = required_text(node, "unit", diags);
  if (const ParamNode* unit = node.find("unit")) s.unit_loc = unit->loc();
  if (const ParamNode* timing = node.require("timing", diags)) {
    const auto text = timing->as_string(diags);
    if (text) {
      if (const auto t = enum_from_name(*text, timing_name, kAllTimings)) {
        s.timing = *t;
      } else {
        diags.error(timing->loc(), timing->path() + ": unknown timing '" + *text +
                                       "' (one of year_end: a stock on 31 December; "
                                       "calendar_year: a flow or rate of the year)");
      }
    }
  }
  s.precision = node.number("precision", 0.0, diags, 0.0);
  s.status = required_text(node, "status", diags);
  if (!s.status.empty() && s.status != "F" && s.status != "D")
    diags.error(node.find("status")->loc(),
                node.path() + ".status: '" + s.status +
                    "' must be F (found in a source) or D (derived from found figures)");
  s.source = required_text(node, "source", diags);
  s.note = node.string("note", "", diags);
  if (const ParamNode* values = node.require("values", diags)) {
    if (!values->is_map() || values->entries().empty()) {
      diags.error(values->loc(), values->path() +
                                     ": expected a map of year: value, e.g. "
                                     "{2021: 965300, 2022: 968900}");
    } else {
      for (const auto& e : values->entries()) {
        int year = 0;
        const auto [end, ec] = std::from_chars(e.key.data(), e.key.data() + e.key.size(), year);
        if (ec != std::errc() || end != e.key.data() + e.key.size() || year < 1900 || year > 2200) {
          diags.error(e.key_loc, values->path() + ": '" + e.key + "' is not a year");
          e.value->mark_all_used();
          continue;
        }
        const auto v = e.value->as_number(diags);
        if (!v) continue;
        s.values.push_back({year, *v, e.value->loc()});
      }
      std::sort(s.values.begin(), s.values.end(),
                [](const ObservedValue& a, const ObservedValue& b) { return a.year < b.year; });
    }
  }
  return s;
}

std::vector<ObservedSeries> read_group(const ParamNode& file, std::string_view group, bool required,
                                       Diagnostics& diags) {
  std::vector<ObservedSeries> out;
  const ParamNode* node = required ? file.require(group, diags) : file.find(group);
  if (!node) return out;
  if (!node->is_map()) {
    diags.error(node->loc(), node->path() + ": expected a map of series");
    return out;
  }
  for (const auto& e : node->entries()) {
    node->find(e.key);  // marks the entry read: a bad entry gets one error, about its value
    out.push_back(read_series(e.key, e.key_loc, *e.value, diags));
  }
  return out;
}

// Values of `key` in `year` over the replicates (indicator first, then event); empty when the
// run did not record it.
std::vector<double> simulated_values(const std::vector<ReplicateResults>& replicates,
                                     const std::string& key, int year) {
  std::vector<double> out;
  for (const ReplicateResults& r : replicates) {
    const auto y = std::find(r.years.begin(), r.years.end(), year);
    if (y == r.years.end()) continue;
    const auto row = static_cast<std::size_t>(y - r.years.begin());
    if (const auto it = r.indicators.find(key); it != r.indicators.end()) {
      if (row < it->second.size() && !std::isnan(it->second[row])) out.push_back(it->second[row]);
    } else if (const auto ev = r.events.find(key); ev != r.events.end()) {
      if (row < ev->second.size()) out.push_back(static_cast<double>(ev->second[row]));
    }
  }
  return out;
}

const SeriesInfo* find_series(const SeriesCatalog& catalog, const std::string& key) {
  if (const SeriesInfo* info = catalog.find(key, SeriesKind::Indicator)) return info;
  return catalog.find(key, SeriesKind::Event);
}

}  // namespace

std::optional<double> ObservedSeries::at(int year) const {
  for (const ObservedValue& v : values)
    if (v.year == year) return v.value;
  return std::nullopt;
}

const ObservedSeries* ObservedData::find(std::string_view key) const {
  for (const ObservedSeries& s : series)
    if (s.key == key) return &s;
  return nullptr;
}

ObservedData read_observed(const ParamNode& file, Diagnostics& diags) {
  ObservedData data;
  if (!file.is_map()) {
    diags.error(file.loc(), "observed: expected a map with area, series and context");
    return data;
  }
  data.area = file.string("area", "", diags);
  data.series = read_group(file, "series", true, diags);
  data.context = read_group(file, "context", false, diags);
  return data;
}

void check_observed_units(const ObservedData& observed, const SeriesCatalog& catalog,
                          Diagnostics& diags) {
  for (const ObservedSeries& s : observed.series) {
    const SeriesInfo* info = find_series(catalog, s.key);
    if (info && !s.unit.empty() && info->unit != s.unit)
      diags.error(s.unit_loc, "series." + s.key + ".unit: '" + s.unit +
                                  "' is not the unit of the "
                                  "simulated series " +
                                  s.key + " ('" + info->unit + "')");
  }
}

Hindcast compute_hindcast(const ObservedData& observed,
                          const std::vector<ReplicateResults>& replicates,
                          const SeriesCatalog& catalog) {
  Hindcast out;
  out.area = observed.area;
  out.replicates = static_cast<std::uint32_t>(replicates.size());
  for (const ObservedSeries& s : observed.series) {
    const SeriesInfo* info = find_series(catalog, s.key);
    for (const ObservedValue& v : s.values) {
      HindcastRow row;
      row.key = s.key;
      row.label_zh = !s.label_zh.empty() ? s.label_zh : info ? info->label_zh : "";
      row.label_en = !s.label_en.empty() ? s.label_en : info ? info->label_en : "";
      row.unit = s.unit;
      row.timing = s.timing;
      row.year = v.year;
      row.observed = v.value;
      row.precision = s.precision;
      row.mean = row.p05 = row.p95 = row.error = row.relative_error = kNaN;
      const std::vector<double> values = simulated_values(replicates, s.key, v.year);
      if (!info) {
        row.note = "not simulated in this run";
      } else if (values.empty()) {
        row.note = "the run does not cover " + std::to_string(v.year);
      } else {
        const Distribution d = distribution(values);
        row.mean = d.mean;
        row.p05 = d.p05;
        row.p95 = d.p95;
        row.replicates = static_cast<std::uint32_t>(d.count);
        row.error = d.mean - v.value;
        row.relative_error = v.value != 0 ? row.error / std::abs(v.value) : kNaN;
        const double half = 0.5 * s.precision;
        row.within_interval = d.p05 <= v.value + half && d.p95 >= v.value - half;
      }
      out.rows.push_back(std::move(row));
    }
  }
  return out;
}

std::string format_hindcast_value(const HindcastRow& row, double value, bool signed_) {
  const bool count = row.unit == "persons" || row.unit == "households";
  if (count && !std::isnan(value)) {
    const std::string text = format_count(std::llround(value));
    return signed_ && value > 0 ? "+" + text : text;
  }
  return format_value(value, signed_);
}

std::string format_hindcast_simulated(const HindcastRow& row) {
  std::string text = format_hindcast_value(row, row.mean);
  if (row.replicates > 1 && row.p95 > row.p05)
    text += " [" + format_hindcast_value(row, row.p05) + ", " +
            format_hindcast_value(row, row.p95) + "]";
  return text;
}

std::string format_hindcast(const Hindcast& h, std::size_t max_width) {
  if (h.rows.empty()) return {};
  std::string title = "Against observed years 与观测年份对照";
  if (!h.area.empty()) title += " — " + h.area;
  std::string out = "\n" + wrap_to_width(title, max_width, "  ");
  out += "\n  " +
         wrap_to_width(std::to_string(h.replicates) +
                           (h.replicates == 1 ? " replicate" : " replicates") +
                           "; simulated = mean [5th, 95th percentile]; error = "
                           "simulated mean − observed; within = the interval meets the "
                           "published figure (± its rounding)",
                       max_width == 0 ? 0 : max_width - 2, "  ") +
         "\n";
  using A = TextTable::Align;
  TextTable table({"指标", "series", "year", "observed", "simulated", "error", "within"},
                  {A::Left, A::Left, A::Right, A::Right, A::Right, A::Right, A::Left});
  for (const HindcastRow& r : h.rows) {
    std::string simulated = "–", error = "–", within = r.note;
    if (r.simulated()) {
      simulated = format_hindcast_simulated(r);
      error = format_hindcast_value(r, r.error, true);
      if (!std::isnan(r.relative_error) && (r.unit == "persons" || r.unit == "households")) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, " (%+.1f%%)", 100.0 * r.relative_error);
        error += buffer;
      }
      within = r.within_interval ? "yes" : "no";
    }
    table.add({r.label_zh, r.key + " (" + r.unit + ")", std::to_string(r.year),
               format_hindcast_value(r, r.observed), simulated, error, within});
  }
  return out + table.terminal("  ", max_width);
}

}  // namespace plansim

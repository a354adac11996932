#include "cli/summary.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "indicators/ensemble.h"

namespace plansim {
namespace {

std::string pad_right(const std::string& s, std::size_t width) {
  const std::size_t w = display_width(s);
  return s + std::string(w < width ? width - w : 0, ' ');
}

std::string pad_left(const std::string& s, std::size_t width) {
  const std::size_t w = display_width(s);
  return std::string(w < width ? width - w : 0, ' ') + s;
}

std::string format_value(double v) {
  char buf[64];
  if (std::isnan(v)) return "–";
  if (std::fabs(v) >= 10000) std::snprintf(buf, sizeof buf, "%.0f", v);
  else if (std::fabs(v) >= 100) std::snprintf(buf, sizeof buf, "%.1f", v);
  else std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

}  // namespace

std::size_t display_width(const std::string& text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    std::uint32_t cp = c;
    std::size_t len = 1;
    if (c >= 0xF0) len = 4, cp = c & 0x07;
    else if (c >= 0xE0) len = 3, cp = c & 0x0F;
    else if (c >= 0xC0) len = 2, cp = c & 0x1F;
    for (std::size_t k = 1; k < len && i + k < text.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    i += len;
    // East Asian wide ranges: Hangul Jamo, CJK radicals to Yi, Hangul, compatibility
    // ideographs, fullwidth forms, CJK extensions.
    const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                      (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
                      (cp >= 0x20000 && cp <= 0x3FFFD);
    width += wide ? 2 : 1;
  }
  return width;
}

std::string format_summary(const RunOutput& output, const SeriesCatalog& catalog) {
  if (output.replicates.empty()) return "";
  const std::vector<int>& years = output.replicates.front().years;
  std::vector<std::size_t> columns;  // year offsets to show
  for (int wanted : {years.front(), 2025, years.back()}) {
    auto it = std::find(years.begin(), years.end(), wanted);
    if (it == years.end()) continue;
    const std::size_t k = static_cast<std::size_t>(it - years.begin());
    if (std::find(columns.begin(), columns.end(), k) == columns.end()) columns.push_back(k);
  }
  static const char* kKeys[] = {"population", "households", "average_household_size",
                                "age_0_14_share", "age_60_plus_share", "age_65_plus_share",
                                "dependency_ratio", "crude_birth_rate", "crude_death_rate",
                                "net_migration_rate"};
  const bool ensemble = output.replicates.size() > 1;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header{"indicator", "指标", "unit"};
  for (std::size_t k : columns) header.push_back(std::to_string(years[k]));
  rows.push_back(header);
  for (const char* key : kKeys) {
    const SeriesInfo* info = catalog.find(key, SeriesKind::Indicator);
    if (!info || !output.replicates.front().indicators.count(key)) continue;
    std::vector<std::string> row{info->label_en, info->label_zh, info->unit};
    for (std::size_t k : columns) {
      std::vector<double> values;
      for (const auto& r : output.replicates) values.push_back(r.indicators.find(key)->second[k]);
      const Distribution s = distribution(values);  // as /summary: one percentile definition
      std::string cell = format_value(s.mean);
      if (ensemble) cell += " [" + format_value(s.p05) + ", " + format_value(s.p95) + "]";
      row.push_back(cell);
    }
    rows.push_back(row);
  }
  std::vector<std::size_t> width(header.size(), 0);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], display_width(row[c]));
  std::string out = "\n" + output.meta.scenario_name + " — " + output.meta.city_name + " (" +
                    std::to_string(output.replicates.size()) + " replicate" +
                    (ensemble ? "s, mean [5th, 95th percentile]" : "") + ")\n";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::string line = " ";
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      line.push_back(' ');
      line.append(c < 3 ? pad_right(rows[r][c], width[c]) : pad_left(rows[r][c], width[c]));
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
    if (r == 0) {
      const std::size_t w = display_width(line);
      out += "  ";
      out.append(w > 2 ? w - 2 : 0, '-');
      out += "\n";
    }
  }
  return out;
}

}  // namespace plansim

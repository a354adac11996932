#include "cli/summary.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/text.h"
#include "indicators/ensemble.h"

namespace plansim {

std::string format_summary(const RunOutput& output, const SeriesCatalog& catalog,
                           std::size_t max_width) {
  if (output.replicates.empty()) return "";
  const std::vector<int>& years = output.replicates.front().years;
  std::vector<std::size_t> columns;  // year offsets to show
  for (int wanted : {years.front(), 2025, years.back()}) {
    auto it = std::find(years.begin(), years.end(), wanted);
    if (it == years.end()) continue;
    const std::size_t k = static_cast<std::size_t>(it - years.begin());
    if (std::find(columns.begin(), columns.end(), k) == columns.end()) columns.push_back(k);
  }
  static const char* kKeys[] = {"population",        "households",        "average_household_size",
                                "age_0_14_share",    "age_60_plus_share", "age_65_plus_share",
                                "dependency_ratio",  "crude_birth_rate",  "crude_death_rate",
                                "net_migration_rate"};
  const bool ensemble = output.replicates.size() > 1;
  // The compact layout (narrow terminals) shows the means only.
  const bool intervals = ensemble && !is_compact(max_width);
  using A = TextTable::Align;
  std::vector<std::string> header{"indicator", "指标", "unit"};
  std::vector<A> align{A::Left, A::Left, A::Left};
  for (std::size_t k : columns) {
    header.push_back(std::to_string(years[k]));
    align.push_back(A::Right);
  }
  TextTable table(header, align);
  table.shrinkable(0);  // the English label and the unit may be cut; the Chinese label and
  table.shrinkable(2);  // the numbers never are
  for (const char* key : kKeys) {
    const SeriesInfo* info = catalog.find(key, SeriesKind::Indicator);
    if (!info || !output.replicates.front().indicators.count(key)) continue;
    std::vector<std::string> row{info->label_en, info->label_zh, info->unit};
    for (std::size_t k : columns) {
      std::vector<double> values;
      for (const auto& r : output.replicates) values.push_back(r.indicators.find(key)->second[k]);
      const Distribution s = distribution(values);  // as /summary: one percentile definition
      std::string cell = format_value(s.mean);
      if (intervals) cell += " [" + format_value(s.p05) + ", " + format_value(s.p95) + "]";
      row.push_back(cell);
    }
    table.add(std::move(row));
  }
  const std::string title = output.meta.scenario_name + " — " + output.meta.city_name + " (" +
                            std::to_string(output.replicates.size()) + " replicate" +
                            (ensemble ? "s" : "") +
                            (intervals  ? ", mean [5th, 95th percentile]"
                             : ensemble ? ", mean"
                                        : "") +
                            ")";
  std::string out = "\n" + wrap_to_width(title, max_width, "  ") + "\n";
  // Say what the intervals carry: the uncertain parameters (/meta uncertainty) and the noise.
  if (ensemble) {
    std::string parameters, posterior;
    bool central = false;
    for (const auto& [key, value] : output.meta.extra) {
      if (key == "uncertainty" && value != "no uncertain parameters") parameters = value;
      if (key == "uncertainty" && value.find("held at their medians") != std::string::npos)
        central = true;
      if (key == "uncertainty_posterior") posterior = "the posterior of " + value;
      if (key == "uncertainty_posterior_not_drawn") posterior = "the posterior not drawn";
    }
    if (!posterior.empty()) parameters += (parameters.empty() ? "" : ", ") + posterior;
    const std::string line = parameters.empty()
                                 ? "Intervals carry Monte Carlo noise only (no uncertain parameter)"
                             : central ? "Intervals carry Monte Carlo noise only: " + parameters +
                                             " (uncertainty.parameters: central)"
                                       : "Intervals carry " + parameters + " and Monte Carlo noise";
    out += "  " + wrap_to_width(line, max_width ? max_width - 2 : 0, "  ") + "\n";
  }
  out += table.terminal("  ", max_width);
  return out;
}

}  // namespace plansim

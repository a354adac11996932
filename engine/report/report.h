// `plansim report A.h5 [B.h5 ...] -o report.html`: one self-contained HTML page for planners —
// which scenario meets which target, trajectories with bands and targets, scenario differences,
// zone maps with metro and facilities, the assumptions the run used and its provenance — in
// Chinese and English. Scripts (Apache ECharts and the report's own), styles and map data are
// inlined: the page needs no network.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace plansim {

struct ReportOptions {
  std::vector<std::string> files;  // results files; the first is the reference of differences
  std::string output;              // the HTML file (written to a temporary file and renamed)
  std::string geometry;            // zones GeoJSON; "" = zones.geojson of the run's city config
  std::string echarts;             // echarts.min.js; "" = found as documented in README.md
};

/// Everything the page shows, as one JSON document (docs/report.md lists its members). Throws
/// IoError (unreadable file) or InputError (files that cannot be compared, bad geometry).
nlohmann::json report_data(const ReportOptions& options);

/// The page: the template with the styles, ECharts, the report's script and `data` inlined.
std::string report_html(const nlohmann::json& data, const std::string& echarts_js);

/// The ECharts file to inline: `explicit_path` when given, else $PLANSIM_ECHARTS, else
/// node_modules/echarts/dist/echarts.min.js under the source tree plansim was built from or the
/// current directory. "" when none exists.
std::string find_echarts(const std::string& explicit_path);

/// The subcommand: 0 written, 1 failure while reading or writing, 2 bad input (nothing written).
int report_command(const ReportOptions& options, std::ostream& err);

}  // namespace plansim

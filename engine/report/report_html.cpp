// The page: template + styles + ECharts + the report's script + the data, in one HTML file.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/diagnostics.h"
#include "io/hdf5_writer.h"
#include "report/report.h"

namespace plansim {

const std::map<std::string, std::string>& report_assets();  // generated (cmake/embed_files.cmake)

namespace fs = std::filesystem;

namespace {

std::string asset(const std::string& name) {
  const auto& assets = report_assets();
  const auto it = assets.find(name);
  if (it == assets.end()) throw std::logic_error("report asset missing: " + name);
  return it->second;
}

/// Text placed inside <script> must not close it early.
std::string script_safe(std::string text) {
  for (std::size_t at = 0; (at = text.find("</", at)) != std::string::npos; at += 3)
    text.replace(at, 2, "<\\/");
  return text;
}

void replace_once(std::string& text, const std::string& marker, const std::string& with) {
  const std::size_t at = text.find(marker);
  if (at == std::string::npos) throw std::logic_error("report template lacks " + marker);
  text.replace(at, marker.size(), with);
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::string report_html(const nlohmann::json& data, const std::string& echarts_js) {
  std::string page = asset("template.html");
  replace_once(page, "/*PLANSIM_STYLE*/", asset("report.css"));
  replace_once(page, "/*PLANSIM_ECHARTS*/", script_safe(echarts_js));
  replace_once(page, "/*PLANSIM_SCRIPT*/", script_safe(asset("report.js")));
  replace_once(page, "/*PLANSIM_DATA*/",
               script_safe(data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
  const std::string title = "plansim — " + data.value("city", std::string());
  replace_once(page, "PLANSIM_TITLE", title);
  return page;
}

std::string find_echarts(const std::string& explicit_path) {
  std::vector<fs::path> candidates;
  if (!explicit_path.empty()) return fs::exists(explicit_path) ? explicit_path : "";
  if (const char* env = std::getenv("PLANSIM_ECHARTS")) candidates.emplace_back(env);
  const fs::path relative = fs::path("node_modules") / "echarts" / "dist" / "echarts.min.js";
  candidates.push_back(fs::path(PLANSIM_SOURCE_DIR) / relative);
  candidates.push_back(relative);
  for (const fs::path& candidate : candidates)
    if (fs::exists(candidate)) return candidate.string();
  return "";
}

int report_command(const ReportOptions& options, std::ostream& err) {
  // The results are read and checked first, so that a damaged or invalid file is reported as
  // such on a machine without ECharts too.
  nlohmann::json data;
  try {
    data = report_data(options);
  } catch (const InputError& e) {
    err << e.what();
    return 2;
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return 1;
  }
  const std::string echarts = find_echarts(options.echarts);
  if (echarts.empty()) {
    err << "error: the report needs Apache ECharts (node_modules/echarts/dist/echarts.min.js): "
           "run tools/install-deps.sh, or give the file with --echarts or $PLANSIM_ECHARTS\n";
    return 2;
  }
  const std::string page = report_html(data, slurp(echarts));
  // Written under a temporary name and renamed: never a half-written page.
  const fs::path output(options.output);
  const fs::path temporary = output.string() + ".tmp-" + std::to_string(::getpid());
  try {
    if (output.has_parent_path()) fs::create_directories(output.parent_path());
    {
      std::ofstream out(temporary, std::ios::binary);
      out << page;
      out.close();
      if (!out) throw IoError("cannot write " + temporary.string());
    }
    fs::rename(temporary, output);
  } catch (const std::exception& e) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    err << "error: cannot write " << output.string() << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace plansim

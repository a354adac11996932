#include "cli/init_city.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <system_error>

namespace plansim {

// Generated from configs/zhongyuan and templates/city (cmake/embed_files.cmake): file name
// "zhongyuan/<name>" or "templates/<path>" -> contents.
const std::map<std::string, std::string>& city_template_sources();

namespace {

namespace fs = std::filesystem;

/// The Zhongyuan files the minimal template copies: what synthesis and demography read.
bool in_minimal_template(const std::string& name) {
  return name == "population.yaml" || name == "demography.yaml" ||
         name == "age_shape_henan_2020.csv" || name == "education_seed_2020.csv" ||
         name.rfind("demography_", 0) == 0;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// What the copy of a Zhongyuan file starts with: where its figures come from.
std::string copied_header(const std::string& template_name) {
  return "# plansim init-city (template " + template_name +
         "): this file is Zhongyuan District's\n"
         "# (Zhengzhou; configs/zhongyuan in the plansim repository, whose README gives the source"
         "\n# of every figure). Replace its figures with your city's, each with its source or "
         "marked\n# as an assumption with its rationale; see ../README.md.\n#\n";
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

/// Relative path -> contents of every file the template writes.
std::map<std::string, std::string> template_files(const std::string& template_name) {
  const auto& sources = city_template_sources();
  std::map<std::string, std::string> files;
  for (const auto& [name, text] : sources) {
    const std::string zhongyuan = "zhongyuan/";
    if (name.rfind(zhongyuan, 0) != 0) continue;
    const std::string file = name.substr(zhongyuan.size());
    if (template_name == "minimal" && !in_minimal_template(file)) continue;
    if (file == "README.md") {
      files["city/README-zhongyuan.md"] = text;
    } else if (ends_with(file, ".yaml") || ends_with(file, ".csv")) {
      files["city/" + file] = copied_header(template_name) + text;
    } else {
      files["city/" + file] = text;  // zones.geojson: JSON has no comments
    }
  }
  const std::string own = "templates/" + template_name + "/";
  for (const auto& [name, text] : sources) {
    if (name.rfind(own, 0) != 0) continue;
    const std::string file = name.substr(own.size());
    files[file == "baseline.yaml" ? file : "city/" + file] = text;
  }
  files["README.md"] = replace_all(sources.at("templates/README.md"), "@TEMPLATE@", template_name);
  return files;
}

}  // namespace

const std::vector<std::string>& city_template_names() {
  static const std::vector<std::string> names = {"minimal", "full"};
  return names;
}

int init_city_command(const InitCityOptions& options) {
  const auto& names = city_template_names();
  if (std::find(names.begin(), names.end(), options.template_name) == names.end()) {
    std::cerr << "error: --template: unknown template '" << options.template_name
              << "' (expected minimal or full); nothing written\n";
    return 2;
  }
  if (options.dir.empty()) {
    std::cerr << "error: init-city: the folder is empty; nothing written\n";
    return 2;
  }
  fs::path dir = fs::path(options.dir).lexically_normal();
  if (dir.filename().empty()) dir = dir.parent_path();  // "new-city/"
  std::error_code ec;
  if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec))) {
    std::cerr << "error: init-city: '" << options.dir
              << "' exists and is not an empty folder; nothing written (choose a new folder)\n";
    return 2;
  }
  // Written under a temporary name beside DIR and renamed at the end: never half a city.
  const bool existed = fs::exists(dir, ec);
  const fs::path parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
  const fs::path staging =
      parent / ("." + dir.filename().string() + ".tmp-" + std::to_string(::getpid()));
  const std::map<std::string, std::string> files = template_files(options.template_name);
  try {
    fs::create_directories(staging / "city");
    for (const auto& [relative, text] : files) {
      std::ofstream out(staging / relative, std::ios::binary);
      out << text;
      out.close();
      if (!out) throw std::runtime_error("cannot write '" + (dir / relative).string() + "'");
    }
    if (existed) fs::remove(dir);
    fs::rename(staging, dir);
  } catch (const std::exception& error) {
    fs::remove_all(staging, ec);
    std::cerr << "error: init-city: " << error.what() << "; nothing written\n";
    return 1;
  }
  if (!options.quiet) {
    std::cout << "wrote " << options.dir << " (template " << options.template_name << ", "
              << files.size() << " files):\n";
    for (const auto& [relative, text] : files)
      std::cout << "  " << (dir / relative).string() << "\n";
    std::cout << "next:\n  plansim check " << (dir / "baseline.yaml").string() << "\n  plansim run "
              << (dir / "baseline.yaml").string() << " --scale 0.1 -o "
              << (dir / "results" / "baseline.h5").string() << "\n  then replace the figures in "
              << (dir / "city").string() << "/ with your city's (" << (dir / "README.md").string()
              << ")\n";
  }
  return 0;
}

}  // namespace plansim

// The report's data: everything read from the results files (and the city's map files) into one
// JSON document that the page's script draws.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "core/diagnostics.h"
#include "core/text.h"
#include "core/version.h"
#include "indicators/ensemble.h"
#include "indicators/exogenous.h"
#include "indicators/paired.h"
#include "indicators/scorecard.h"
#include "io/hdf5_reader.h"
#include "io/hdf5_scorecard.h"
#include "io/hdf5_writer.h"
#include "io/yaml_text.h"
#include "report/report.h"

namespace plansim {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// NaN and infinities become null (JSON has no NaN).
json number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

/// Rounded to `digits` significant digits: keeps the page small without visible loss.
json rounded(double value, int digits = 6) {
  if (!std::isfinite(value)) return nullptr;
  if (value == 0) return 0.0;
  const double scale = std::pow(10.0, digits - 1 - std::floor(std::log10(std::fabs(value))));
  return std::round(value * scale) / scale;
}

/// A YAML node as JSON: scalars that read as numbers become numbers, the rest strings.
json yaml_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& entry : node)
        out[entry.first.as<std::string>()] = yaml_to_json(entry.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& item : node) out.push_back(yaml_to_json(item));
      return out;
    }
    case YAML::NodeType::Scalar: {
      const std::string& text = node.Scalar();
      if (node.Tag() != "!") {  // unquoted: a number when it reads as one
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (!text.empty() && end && *end == '\0' && std::isfinite(value)) return value;
      }
      return text;
    }
    default:
      return nullptr;
  }
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Wilson score interval (95%) of a share of n replicates: honest also at 0 and 1.
std::pair<double, double> wilson(double p, std::size_t n) {
  if (n == 0 || !std::isfinite(p)) return {NAN, NAN};
  const double z = 1.959963984540054, nn = static_cast<double>(n);
  const double centre = (p + z * z / (2 * nn)) / (1 + z * z / nn);
  const double half = z * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / (1 + z * z / nn);
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

/// The city directory of a run: the folder of the zones.yaml it read, tried as recorded and
/// relative to the results file's folder.
fs::path city_directory(const std::vector<std::string>& files_read, const std::string& results) {
  for (const std::string& file : files_read) {
    const fs::path path(file);
    if (path.filename() != "zones.yaml") continue;
    for (const fs::path& candidate : {path, fs::path(results).parent_path() / path})
      if (fs::exists(candidate)) return candidate.parent_path();
  }
  return {};
}

json series_json(const ResultsFile::Matrix& matrix, const std::vector<int>& years) {
  json mean = json::array(), p05 = json::array(), p95 = json::array();
  for (std::size_t y = 0; y < matrix.cols && y < years.size(); ++y) {
    std::vector<double> values(matrix.rows);
    for (std::size_t r = 0; r < matrix.rows; ++r) values[r] = matrix.at(r, y);
    const Distribution d = distribution(values);
    mean.push_back(rounded(d.mean));
    p05.push_back(rounded(d.p05));
    p95.push_back(rounded(d.p95));
  }
  return {{"years", years}, {"mean", mean}, {"p05", p05}, {"p95", p95}};
}

std::string origin_of(const SeriesInfo& info) {
  return is_exogenous_description(info.description) ? "exogenous" : "simulated";
}

}  // namespace

json report_data(const ReportOptions& options) {
  if (options.files.empty()) {
    Diagnostics diags;
    diags.error({std::string(io_text::kCommandLineFile), 0, 0},
                "report needs at least one results file");
    diags.throw_if_any();
  }
  json data;
  data["generator"] = {{"engine_version", kEngineVersion}, {"git_sha", kGitSha}};
  json scenarios = json::array(), indicators = json::object(), targets = json::array();
  json zone_panels = json::object();
  std::map<std::string, std::size_t> target_index;
  std::set<std::string> target_indicators;
  std::vector<std::string> zone_keys;
  fs::path city_dir;
  std::string city_name;

  // The first file's seed, replicates and per-replicate scored values of each target: every
  // other file's difference is taken against them (replicate by replicate when they pair).
  double first_seed = std::numeric_limits<double>::quiet_NaN();
  std::vector<unsigned> first_replicates;
  std::map<std::string, std::pair<Target, std::vector<double>>> first_scored;

  for (std::size_t f = 0; f < options.files.size(); ++f) {
    const std::string& path = options.files[f];
    const ResultsIdentity identity = read_results_identity(path);
    if (f == 0) city_name = identity.city_name;
    if (identity.city_name != city_name) {
      Diagnostics diags;
      diags.error({path, 0, 0}, "results of city '" + identity.city_name + "', but " +
                                    options.files[0] + " is of '" + city_name +
                                    "': a report shows the scenarios of one city");
      diags.throw_if_any();
    }
    const ResultsFile file(path);
    file.verify();
    const StoredScorecard plan = read_scorecard(path);
    const auto strings = file.meta_strings();
    const auto numbers = file.meta_numbers();
    const std::vector<int> years = file.years();
    const std::vector<std::string> files_read = file.meta_list("files_read");
    if (city_dir.empty()) city_dir = city_directory(files_read, path);

    json scenario;
    scenario["file"] = path;
    scenario["letter"] = std::string(1, static_cast<char>('A' + f % 26));
    scenario["name"] =
        identity.scenario_name.empty() ? fs::path(path).stem().string() : identity.scenario_name;
    for (const char* key : {"engine_version", "git_sha", "command_line", "scenario_yaml",
                            "scenario_sha256", "city_name"})
      if (strings.count(key)) scenario[key] = strings.at(key);
    for (const char* key : {"seed", "replicates", "scale", "start_year", "end_year", "threads",
                            "ranks", "wall_time_seconds"})
      if (numbers.count(key)) scenario[key] = number(numbers.at(key));
    if (strings.count("seed") == 0 && numbers.count("seed"))  // exact up to 2^53
      scenario["seed_text"] = format_plain(numbers.at("seed"));
    scenario["files_read"] = files_read;
    scenario["replicate_count"] = file.replicate_numbers().size();
    scenario["years"] = years;
    if (f == 0) {
      first_seed = numbers.count("seed") ? numbers.at("seed") : first_seed;
      first_replicates = file.replicate_numbers();
    }
    // The scenario's description and its interventions (stations opened in a year, ...).
    json interventions = json::array();
    try {
      const YAML::Node resolved =
          YAML::Load(strings.count("scenario_yaml") ? strings.at("scenario_yaml") : "");
      if (resolved["scenario"] && resolved["scenario"]["description"])
        scenario["description"] = resolved["scenario"]["description"].as<std::string>();
      if (resolved["policy"] && resolved["policy"]["interventions"])
        interventions = yaml_to_json(resolved["policy"]["interventions"]);
    } catch (const YAML::Exception&) {
      // an unreadable stored scenario: the page shows the text only
    }
    scenario["interventions"] = interventions;

    // Assumptions the run used (/assumptions), when the file has them.
    json assumptions = json::array();
    const std::vector<std::string> assumption_columns = file.keys("assumptions");
    if (std::find(assumption_columns.begin(), assumption_columns.end(), "parameter") !=
        assumption_columns.end()) {
      const auto parameter = file.strings("/assumptions/parameter");
      const auto value = file.strings("/assumptions/value");
      const auto rationale = file.strings("/assumptions/rationale");
      const auto location = file.strings("/assumptions/location");
      for (std::size_t i = 0; i < parameter.size(); ++i)
        assumptions.push_back({{"parameter", parameter[i]},
                               {"value", i < value.size() ? value[i] : ""},
                               {"rationale", i < rationale.size() ? rationale[i] : ""},
                               {"location", i < location.size() ? location[i] : ""}});
    }
    scenario["assumptions"] = assumptions;
    scenarios.push_back(scenario);

    // Targets and their scores.
    for (const ScorecardRow& row : plan.scorecard.rows) {
      const Target& t = row.target;
      if (!target_index.count(t.key)) {
        target_index[t.key] = targets.size();
        targets.push_back({{"key", t.key},
                           {"indicator", t.indicator},
                           {"label_zh", t.label_zh},
                           {"label_en", t.label_en},
                           {"unit", t.unit},
                           {"measure", std::string(measure_name(t.measure))},
                           {"comparison", std::string(comparison_symbol(t.comparison))},
                           {"value", number(t.value)},
                           {"first_year", t.first_year},
                           {"year", t.year},
                           {"base_year", t.base_year()},
                           {"goal", describe_target(t)},
                           {"goal_short", short_goal(t, false)},
                           {"source", t.source},
                           {"assumption", t.assumption},
                           {"exogenous", row.exogenous},
                           {"results", json::array()}});
        target_indicators.insert(t.indicator);
      }
      json& entry = targets[target_index[t.key]];
      while (entry["results"].size() < f) entry["results"].push_back(nullptr);
      // Δ against the first file (indicators/paired.h).
      json delta = nullptr;
      if (row.status != TargetStatus::NotSimulated) {
        const std::vector<std::string> present = file.keys("indicators");
        std::vector<double> scored;
        if (std::find(present.begin(), present.end(), t.indicator) != present.end()) {
          const ResultsFile::Matrix m = file.indicator(t.indicator);
          scored = scored_by_replicate(t, years, m.values, m.rows);
        }
        if (f == 0) {
          first_scored[t.key] = {t, scored};
        } else if (const auto it = first_scored.find(t.key);
                   it != first_scored.end() && !it->second.second.empty() && !scored.empty()) {
          const bool paired = numbers.count("seed") && numbers.at("seed") == first_seed &&
                              file.replicate_numbers() == first_replicates;
          const DifferenceTest v = difference_test(it->second.second, scored, paired);
          const ProportionTest p =
              proportion_test(met_by_replicate(it->second.first, it->second.second),
                              met_by_replicate(t, scored), paired);
          delta = {{"mean", rounded(v.mean)},
                   {"low", rounded(v.low)},
                   {"high", rounded(v.high)},
                   {"p_value", rounded(v.p_value, 3)},
                   {"p_met", number(p.delta)},
                   {"p_met_low", rounded(p.low, 3)},
                   {"p_met_high", rounded(p.high, 3)},
                   {"p_met_p_value", rounded(p.p_value, 3)},
                   {"paired", paired},
                   {"significant", v.significant || p.significant}};
        }
      }
      const auto [low, high] = wilson(row.probability_met, row.replicates);
      entry["results"].push_back({{"status", std::string(status_name(row.status))},
                                  {"mean", rounded(row.mean)},
                                  {"p05", rounded(row.p05)},
                                  {"p95", rounded(row.p95)},
                                  {"p_met", number(row.probability_met)},
                                  {"p_met_low", rounded(low, 3)},
                                  {"p_met_high", rounded(high, 3)},
                                  {"replicates", row.replicates},
                                  {"note", row.note},
                                  {"delta", delta}});
      if (f == 0) {
        data["plan"] = {{"zh", plan.scorecard.plan_zh},
                        {"en", plan.scorecard.plan_en},
                        {"met_at_least", plan.scorecard.thresholds.met_at_least},
                        {"missed_at_most", plan.scorecard.thresholds.missed_at_most}};
      }
    }

    // Every indicator: mean and 5th-95th percentiles by year (the statistics of /summary).
    for (const std::string& key : file.keys("indicators")) {
      const SeriesInfo info = file.series_info("indicators", key);
      json& entry = indicators[key];
      if (entry.is_null())
        entry = {{"label_zh", info.label_zh}, {"label_en", info.label_en},
                 {"unit", info.unit},         {"description", info.description},
                 {"origin", origin_of(info)}, {"series", json::array()}};
      while (entry["series"].size() < f) entry["series"].push_back(nullptr);
      entry["series"].push_back(series_json(file.indicator(key), years));
    }

    // Observed years (/observed/<key>: float64 [year] on /years, NaN where none), attached to
    // the simulated series they are compared with.
    for (const std::string& key : file.keys("observed")) {
      if (!indicators.contains(key)) continue;  // events and others: not drawn
      const std::vector<unsigned char> bytes = file.raw("/observed/" + key);
      std::vector<double> values(bytes.size() / sizeof(double));
      std::memcpy(values.data(), bytes.data(), values.size() * sizeof(double));
      const auto attributes = file.string_attributes("/observed/" + key);
      json points = json::array();
      for (std::size_t y = 0; y < values.size() && y < years.size(); ++y)
        if (std::isfinite(values[y])) points.push_back({{"year", years[y]}, {"value", values[y]}});
      json& entry = indicators[key];
      if (!entry.contains("observed") || entry["observed"].empty()) {
        entry["observed"] = points;
        for (const char* name : {"source", "status", "timing", "note"})
          if (attributes.count(name)) entry["observed_" + std::string(name)] = attributes.at(name);
      }
    }

    // Zone panels: mean over replicates, [year][zone].
    const std::vector<ZoneLabel> labels = file.zone_labels();
    if (zone_keys.empty())
      for (const ZoneLabel& z : labels) zone_keys.push_back(z.key);
    if (f == 0) {
      json zones = json::array();
      for (const ZoneLabel& z : labels)
        zones.push_back({{"key", z.key}, {"name_zh", z.name_zh}, {"name_en", z.name_en}});
      data["zones"] = zones;
    }
    for (const std::string& key : file.keys("zones")) {
      const SeriesInfo info = file.series_info("zones", key);
      std::size_t reps = 0, nyears = 0, nzones = 0;
      const std::vector<float> values = file.zones(key, reps, nyears, nzones);
      json& entry = zone_panels[key];
      if (entry.is_null())
        entry = {{"label_zh", info.label_zh},
                 {"label_en", info.label_en},
                 {"unit", info.unit},
                 {"description", info.description},
                 {"values", json::array()}};
      while (entry["values"].size() < f) entry["values"].push_back(nullptr);
      // Zones are matched by key: a file may list them in another order.
      std::vector<std::size_t> column(zone_keys.size(), labels.size());
      for (std::size_t z = 0; z < zone_keys.size(); ++z)
        for (std::size_t k = 0; k < labels.size(); ++k)
          if (labels[k].key == zone_keys[z]) column[z] = k;
      json by_year = json::array();
      for (std::size_t y = 0; y < nyears; ++y) {
        json row = json::array();
        for (std::size_t z = 0; z < zone_keys.size(); ++z) {
          double sum = 0;
          std::size_t count = 0;
          for (std::size_t r = 0; r < reps && column[z] < nzones; ++r) {
            const float v = values[(r * nyears + y) * nzones + column[z]];
            if (std::isfinite(v)) {
              sum += v;
              ++count;
            }
          }
          row.push_back(count ? rounded(sum / static_cast<double>(count), 5) : json(nullptr));
        }
        by_year.push_back(row);
      }
      entry["values"].push_back({{"years", years}, {"by_year", by_year}});
    }
  }
  // Pad every per-scenario list to one entry per file.
  for (auto& t : targets)
    while (t["results"].size() < scenarios.size()) t["results"].push_back(nullptr);
  for (auto& [key, entry] : indicators.items()) {
    while (entry["series"].size() < scenarios.size()) entry["series"].push_back(nullptr);
    entry["target"] = target_indicators.count(key) > 0;
  }
  for (auto& [key, entry] : zone_panels.items())
    while (entry["values"].size() < scenarios.size()) entry["values"].push_back(nullptr);

  data["city"] = city_name;
  data["scenarios"] = scenarios;
  data["targets"] = targets;
  data["indicators"] = indicators;
  data["zone_panels"] = zone_panels;

  // Map data: the zones' polygons and the metro network of the city config.
  const fs::path geometry = !options.geometry.empty() ? fs::path(options.geometry)
                            : city_dir.empty()        ? fs::path()
                                                      : city_dir / "zones.geojson";
  data["geometry"] = nullptr;
  data["metro"] = nullptr;
  if (!geometry.empty() && fs::exists(geometry)) {
    json collection;
    try {
      collection = json::parse(read_text(geometry));
    } catch (const json::parse_error& e) {
      Diagnostics diags;
      diags.error({geometry.string(), 0, 0}, std::string("not valid GeoJSON: ") + e.what());
      diags.throw_if_any();
    }
    // Every zone of the results needs a polygon, found by its key.
    Diagnostics diags;
    std::set<std::string> keys;
    for (const auto& feature : collection.value("features", json::array()))
      keys.insert(feature.value("properties", json::object()).value("key", ""));
    for (const std::string& key : zone_keys)
      if (!keys.count(key))
        diags.error({geometry.string(), 0, 0},
                    "no feature with properties.key '" + key + "' (a zone of the results)");
    diags.throw_if_any();
    data["geometry"] = collection;
    data["geometry_file"] = geometry.string();
    const fs::path metro = geometry.parent_path() / "metro.yaml";
    if (fs::exists(metro)) {
      try {
        const YAML::Node node = YAML::LoadFile(metro.string());
        if (node["lines"]) data["metro"] = yaml_to_json(node["lines"]);
      } catch (const YAML::Exception& e) {
        Diagnostics bad;
        bad.error({metro.string(), static_cast<int>(e.mark.line + 1),
                   static_cast<int>(e.mark.column + 1)},
                  e.msg);
        bad.throw_if_any();
      }
    }
  }
  return data;
}

}  // namespace plansim

#include "cli/reference.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/register_builtin.h"
#include "cli/scenario_runs.h"
#include "core/param_record.h"
#include "core/parameter_distribution.h"
#include "core/params.h"

namespace plansim {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// ---- the model: every document's keys as a tree ----

struct KeyNode {
  const ParamField* field = nullptr;    // a value is read here
  std::map<std::string, KeyNode> keys;  // a map's keys ("*": a name of the user's choosing)
  std::unique_ptr<KeyNode> items;       // a list's items
  bool free = false;                    // the keys are names of the user's choosing
};

struct Document {
  std::string name;                          // "scenario" or a city file's stem
  std::map<std::string, ParamField> fields;  // by path (free keys as "*")
  KeyNode root;
  std::set<std::string> readers;
};

// "a[].b" -> {"a", "[]", "b"}.
std::vector<std::string> steps_of(const std::string& path) {
  std::vector<std::string> steps;
  std::string current;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '.') {
      if (!current.empty()) steps.push_back(current);
      current.clear();
    } else if (path.compare(i, 2, "[]") == 0) {
      if (!current.empty()) steps.push_back(current);
      current.clear();
      steps.push_back("[]");
      ++i;
    } else {
      current += path[i];
    }
  }
  if (!current.empty()) steps.push_back(current);
  return steps;
}

std::string path_of(const std::vector<std::string>& steps) {
  std::string out;
  for (const std::string& s : steps) out += s == "[]" ? s : (out.empty() ? "" : ".") + s;
  return out;
}

// How much a type refuses: an integer is a number, and any scalar reads as text.
int strictness(ParamType t) {
  static const std::map<ParamType, int> order = {{ParamType::kUnknown, 0},
                                                 {ParamType::kString, 1},
                                                 {ParamType::kBoolean, 2},
                                                 {ParamType::kNumber, 3},
                                                 {ParamType::kInteger, 4}};
  return order.at(t);
}

// Two reads of one key (`names`: keys of a map of names of the user's choosing, merged into one
// row): a read of one key accepts what every reader accepts; the row of names what any accepts.
void merge_field(ParamField& into, const ParamField& f, bool names) {
  if (into.path.empty()) {
    into = f;
    return;
  }
  if (names) {
    if (strictness(f.type) < strictness(into.type)) into.type = f.type;
    into.lo = std::min(into.lo, f.lo);
    into.hi = std::max(into.hi, f.hi);
    into.required = false;  // what each entry needs may depend on its other values
    into.by_year = into.by_year && f.by_year;
    into.knots = into.knots || f.knots;
    into.knots = into.knots || f.knots;
    into.distribution = into.distribution && f.distribution;
    into.also_string = into.also_string || f.also_string;
    into.readers.insert(f.readers.begin(), f.readers.end());
    if (into.fallback != f.fallback) into.has_fallback = false;
    into.fallback_is_city = into.fallback_is_city && f.fallback_is_city;
    return;
  }
  if (strictness(f.type) > strictness(into.type)) into.type = f.type;
  into.lo = std::max(into.lo, f.lo);
  into.hi = std::min(into.hi, f.hi);
  if (!into.has_fallback && f.has_fallback) {
    into.fallback = f.fallback;
    into.has_fallback = true;
    into.fallback_is_city = f.fallback_is_city;
  }
  into.required = into.required || f.required;
  into.by_year = into.by_year && f.by_year;
  into.knots = into.knots || f.knots;
  into.distribution = into.distribution && f.distribution;
  into.also_string = into.also_string || f.also_string;
  into.readers.insert(f.readers.begin(), f.readers.end());
}

std::map<std::string, Document> build_documents(const ParamRecorder& recorder) {
  // Free maps per document, as step lists.
  std::map<std::string, std::vector<std::vector<std::string>>> free;
  for (const auto& [document, path] : recorder.free_maps())
    free[document].push_back(steps_of(path));
  std::map<std::string, Document> docs;
  for (const auto& [key, f] : recorder.fields()) {
    if (f.readers.empty()) continue;
    std::vector<std::string> steps = steps_of(f.path);
    // Keys below a free map are a name of the user's choosing.
    for (const auto& prefix : free[f.document]) {
      if (steps.size() <= prefix.size()) continue;
      bool match = true;
      for (std::size_t i = 0; i < prefix.size() && match; ++i)
        match = prefix[i] == steps[i] || steps[i] == "*" || prefix[i] == "*";
      if (match && steps[prefix.size()] != "[]") steps[prefix.size()] = "*";
    }
    ParamField g = f;
    g.path = path_of(steps);
    Document& d = docs[f.document];
    d.name = f.document;
    merge_field(d.fields[g.path], g, g.path != f.path);
    d.readers.insert(f.readers.begin(), f.readers.end());
  }
  for (auto& [name, d] : docs) {
    for (auto& [path, f] : d.fields) {
      KeyNode* node = &d.root;
      for (const std::string& s : steps_of(path)) {
        if (s == "[]") {
          if (!node->items) node->items = std::make_unique<KeyNode>();
          node = node->items.get();
        } else {
          if (s == "*") node->free = true;
          node = &node->keys[s];
        }
      }
      node->field = &f;
    }
  }
  return docs;
}

bool unbounded(double v) { return std::isinf(v) || std::abs(v) >= 1e300; }

// ---- units, from the project's naming of keys ----

// The unit a key's name says, by the naming rules of the city files (a suffix names the unit).
std::string unit_of(const std::string& path, const ParamField& f) {
  std::string key =
      path.substr(path.find_last_of('.') == std::string::npos ? 0 : path.find_last_of('.') + 1);
  if (key == "*") return "";
  auto ends = [&](const char* suffix) {
    const std::string s(suffix);
    return key.size() >= s.size() && key.compare(key.size() - s.size(), s.size(), s) == 0;
  };
  auto has = [&](const char* part) { return key.find(part) != std::string::npos; };
  if (ends("_per_1000") || has("_per_1000_")) return "‰ (per 1,000)";
  if (ends("_per_10000") || has("_per_10000_")) return "per 10,000";
  if (ends("_per_100") || ends("_pct") || ends("_percent")) return "%";
  if (ends("_km2")) return "km²";
  if (ends("_m2")) return "m²";
  if (ends("_km")) return "km";
  if (ends("_kmh")) return "km/h";
  if (ends("_minutes")) return "minutes";
  if (ends("_per_ha")) return "per hectare";
  if (ends("_ha")) return "ha";
  if (ends("_per_100m_yuan")) return "per 100 M yuan (每亿元)";
  if (ends("_per_10k") || has("_per_10k_")) return "per 10,000";
  if (ends("_m")) return "m";
  if (ends("_yuan_10k") || ends("_10k_yuan") || has("wan_yuan")) return "10,000 yuan (万元)";
  if (ends("_yuan_100m") || ends("_100m_yuan")) return "100 M yuan (亿元)";
  if (ends("_yuan") || has("_yuan_")) return "yuan (元)";
  if (ends("_years") || ends("_year_count")) return "years";
  if (ends("_days")) return "days";
  if (ends("_per_year") || ends("_growth") || has("_growth_")) return "per year";
  if (key == "year" || ends("_year") || key == "start" || key == "end") {
    if (f.type == ParamType::kInteger) return "calendar year";
  }
  if (has("age") && f.type == ParamType::kInteger) return "years of age";
  if (f.type == ParamType::kNumber && f.lo == 0 && f.hi == 1 &&
      (has("share") || has("rate") || has("probability") || ends("_p")))
    return "share (0-1)";
  if (f.type == ParamType::kNumber && f.lo == 0 && f.hi == 1) return "0-1";
  return "";
}

// ---- the page ----

std::string number_label(double v, ParamType type) {
  if (type == ParamType::kInteger && std::abs(v) < 9e15) {
    std::ostringstream s;
    s << static_cast<long long>(v);
    return s.str();
  }
  return number_text(v);
}

std::string type_label(const ParamField& f) {
  switch (f.type) {
    case ParamType::kNumber:
      return "number";
    case ParamType::kInteger:
      return "integer";
    case ParamType::kBoolean:
      return "true/false";
    case ParamType::kString:
      return "text";
    case ParamType::kUnknown:
      break;
  }
  return "value (checked by the reader)";
}

bool numeric(const ParamField& f) {
  return f.type == ParamType::kNumber || f.type == ParamType::kInteger;
}
bool allows_trajectory(const ParamField& f) { return numeric(f) && (f.by_year || f.knots); }
bool allows_distribution(const ParamField& f) { return numeric(f) && f.distribution; }

std::string range_label(const ParamField& f) {
  if (!numeric(f)) return "";
  const bool lo = !unbounded(f.lo), hi = !unbounded(f.hi);
  if (lo && hi) return "[" + number_label(f.lo, f.type) + ", " + number_label(f.hi, f.type) + "]";
  if (lo) return "≥ " + number_label(f.lo, f.type);
  if (hi) return "≤ " + number_label(f.hi, f.type);
  return "";
}

std::string md_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\";
    out += c;
  }
  return out;
}

std::string key_label(const std::string& path) {
  std::string out;
  for (const std::string& s : steps_of(path))
    out += s == "[]" ? "[]" : (out.empty() ? "" : ".") + (s == "*" ? std::string("<name>") : s);
  return out;
}

std::string readers_label(const std::set<std::string>& readers) {
  std::string out;
  for (const std::string& r : readers) out += (out.empty() ? "" : ", ") + r;
  return out;
}

std::string file_of(const std::string& document) {
  return document == "scenario" ? "scenario" : document + ".yaml";
}
std::string schema_file(const std::string& document) {
  return document == "scenario" ? "scenario.json" : "city/" + document + ".json";
}
std::string anchor_of(const std::string& document) {
  std::string out;
  for (char c : file_of(document))
    if (c != '.') out += c;
  return out;
}

void collect_readers(const KeyNode& node, std::set<std::string>& readers) {
  if (node.field) readers.insert(node.field->readers.begin(), node.field->readers.end());
  for (const auto& [key, child] : node.keys) collect_readers(child, readers);
  if (node.items) collect_readers(*node.items, readers);
}

// A list of maps may be a CSV table; a list of values may not (a table's rows are maps).
bool table_items(const KeyNode& node) { return node.items && !node.items->keys.empty(); }

std::string list_label(const KeyNode& node) {
  return table_items(node) ? "list (or `{csv: file.csv}`)" : "list";
}

void list_rows(const KeyNode& node, const std::string& path, std::ostringstream& out) {
  if (node.items && !node.field) {
    std::set<std::string> readers;
    collect_readers(node, readers);
    out << "| `" << md_escape(key_label(path)) << "` | " << list_label(node) << " | | | | | "
        << md_escape(readers_label(readers)) << " |\n";
  }
  if (node.field && !node.field->readers.empty()) {
    const ParamField& f = *node.field;
    std::string forms;
    if (allows_trajectory(f)) forms += "T";
    if (allows_distribution(f)) forms += forms.empty() ? "D" : " D";
    std::string type = type_label(f);
    if (f.type == ParamType::kUnknown && !node.keys.empty()) type = "map";
    if (f.type == ParamType::kUnknown && node.items) type = list_label(node);
    if (f.also_string) type += " (or text)";
    const std::string fallback =
        f.required ? "**required 必填**"
                   : (f.fallback_is_city
                          ? "the city file's"
                          : (f.has_fallback ? "`" + (f.fallback.empty() ? "\"\"" : f.fallback) + "`"
                                            : ""));
    out << "| `" << md_escape(key_label(path)) << "` | " << type << " | "
        << md_escape(unit_of(path, f)) << " | " << range_label(f) << " | " << md_escape(fallback)
        << " | " << forms << " | " << md_escape(readers_label(f.readers)) << " |\n";
  }
  for (const auto& [key, child] : node.keys)
    list_rows(child, path.empty() ? key : path + "." + key, out);
  if (node.items) {
    for (const auto& [key, child] : node.items->keys) list_rows(child, path + "[]." + key, out);
    if (node.items->field) {
      KeyNode leaf;
      leaf.field = node.items->field;
      list_rows(leaf, path + "[]", out);
    }
  }
}

std::string markdown(const std::map<std::string, Document>& docs,
                     const std::vector<std::string>& order, const std::string& schema_link) {
  std::ostringstream out;
  out << "# City and scenario reference · 城市与情景配置参考\n\n"
         "<!-- Generated by plansim reference from what the readers ask; do not edit by hand. "
         "In the plansim repository: tools/reference.sh. -->\n\n"
         "Every key of every city file and of a scenario, as the code that reads it asks for it: "
         "`plansim reference` prepares the scenarios as `plansim check` does, with every typed "
         "lookup of the parameter layer recorded (`engine/core/param_record.h`), and writes this "
         "page and the JSON Schemas in [`"
      << schema_link << "/`](" << schema_link
      << "/) from the record. So the page is the readers' own declaration: a key a reader stops "
         "asking for, a new default or a new range changes it. In the plansim repository ctest "
         "`Reference.UpToDate` fails until `tools/reference.sh` regenerates it.\n\n"
         "Columns: **type** (number, integer, true/false, text), **unit** (from the key's name: "
         "`_per_1000` ‰, `_km2` km², `_m` m, `_yuan` 元, `_share`/rates in [0, 1] shares; blank "
         "when the name says none — see the file's comments), **range** (what the reader "
         "accepts), **default** (used when the key is absent; **required** when it must be "
         "given; *the city file's*: a scenario key that falls back to the value of the city file's "
         "section of the same name), **forms**: **T** the value may be a trajectory by year "
         "(`{2020: 1.3, 2030: "
         "1.0}` or `{step: {2020: 0.06, 2024: 0.05}}`, docs/parameters.md), **D** it may be a "
         "distribution (`{dist: normal, mean: 1, sd: 0.1}`, docs/uncertainty.md); **read by**: "
         "the process (or front-end reader) that asks. `[]` is every item of a list — a list in "
         "the YAML or a table `{csv: file.csv}` beside it, whose columns are the item's keys; "
         "`<name>` is a key of your choosing.\n\n"
         "Editors: point yaml-language-server (VS Code's YAML extension, Neovim, Emacs, …) at "
         "the schemas with a first line `# yaml-language-server: $schema=<path to>/"
      << schema_link
      << "/city/zones.json` in a city file (`scenario.json` in a scenario), or for a whole "
         "checkout with `.vscode/settings.json` (shipped: `yaml.schemas` maps "
         "`configs/*/NAME.yaml` "
         "and `scenarios/*.yaml`).\n\n";
  out << "| file 文件 | read by 读取者 | schema |\n|---|---|---|\n";
  for (const std::string& name : order) {
    const Document& d = docs.at(name);
    out << "| [`" << file_of(name) << "`](#" << anchor_of(name) << ") | "
        << md_escape(readers_label(d.readers)) << " | [" << schema_file(name) << "](" << schema_link
        << "/" << schema_file(name) << ") |\n";
  }
  for (const std::string& name : order) {
    const Document& d = docs.at(name);
    out << "\n## " << file_of(name) << "\n\n";
    if (name == "scenario")
      out << "A scenario file (`scenarios/*.yaml`). A process's block (`demography:` …) lays its "
             "values over the city file's section of the same name; `processes:` names the "
             "processes run, in order.\n\n";
    out << "| key 键 | type 类型 | unit 单位 | range 范围 | default 默认 | forms | read by "
           "读取者 |\n|---|---|---|---|---|---|---|\n";
    list_rows(d.root, "", out);
  }
  return out.str();
}

// ---- the schemas ----

json number_schema(const ParamField& f) {
  json s = {{"type", f.type == ParamType::kInteger ? "integer" : "number"}};
  if (!unbounded(f.lo)) s["minimum"] = f.lo;
  if (!unbounded(f.hi)) s["maximum"] = f.hi;
  if (!allows_distribution(f)) return s;
  return {{"anyOf", json::array({s, {{"$ref", "#/definitions/distribution"}}})}};
}

json value_schema(const ParamField& f) {
  json s;
  switch (f.type) {
    case ParamType::kNumber:
    case ParamType::kInteger: {
      const json value = number_schema(f);
      if (!allows_trajectory(f)) {
        s = value;
        break;
      }
      const json years = {{"type", "object"},
                          {"patternProperties", {{"^[0-9]{4}$", value}}},
                          {"additionalProperties", false},
                          {"minProperties", 1}};
      s = {{"anyOf", json::array({value,
                                  years,
                                  {{"type", "object"},
                                   {"properties", {{"step", years}}},
                                   {"required", json::array({"step"})},
                                   {"additionalProperties", false}}})}};
      break;
    }
    case ParamType::kBoolean:
      // The loader takes true/false/yes/no/on/off in any case, unquoted.
      s = {{"anyOf", json::array({{{"type", "boolean"}},
                                  {{"type", "string"},
                                   {"pattern",
                                    "^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Yy][Ee][Ss]|[Nn]["
                                    "Oo]|[Oo][Nn]|[Oo][Ff][Ff])$"}}})}};
      break;
    case ParamType::kString:
      s = {{"type", json::array({"string", "number", "boolean"})}};  // any scalar reads as text
      break;
    case ParamType::kUnknown:
      s = json::object();
      break;
  }
  return s;
}

json csv_schema() {
  return {{"type", "object"},
          {"properties", {{"csv", {{"type", "string"}, {"pattern", "\\.csv$"}}}}},
          {"required", json::array({"csv"})},
          {"additionalProperties", false},
          {"description", "a table in a CSV file beside this one, a row per item"}};
}

json node_schema(const KeyNode& node, const std::string& path, const Document& d,
                 const std::vector<std::string>& process_names);

// A scenario inherits the maps of the one it extends key by key, so a key the merged scenario
// must have may be missing from any one file; a list is replaced whole, so its items are complete.
bool inheritable(const Document& d, const std::string& path) {
  return d.name == "scenario" && path.find("[]") == std::string::npos;
}

json map_schema(const KeyNode& node, const std::string& path, const Document& d,
                const std::vector<std::string>& process_names) {
  json properties = json::object();
  json required = json::array();
  for (const auto& [key, child] : node.keys) {
    if (key == "*") continue;
    const std::string child_path = path.empty() ? key : path + "." + key;
    properties[key] = node_schema(child, child_path, d, process_names);
    if (child.field && child.field->required && !inheritable(d, path)) required.push_back(key);
  }
  json s = {{"type", "object"}, {"properties", properties}};
  if (!required.empty()) s["required"] = required;
  if (auto it = node.keys.find("*"); it != node.keys.end())
    s["additionalProperties"] = node_schema(it->second, path + ".*", d, process_names);
  else
    s["additionalProperties"] = false;
  return s;
}

json node_schema(const KeyNode& node, const std::string& path, const Document& d,
                 const std::vector<std::string>& process_names) {
  std::vector<json> forms;
  if (node.field && node.field->type != ParamType::kUnknown) {
    json value = value_schema(*node.field);
    if (d.name == "scenario" && path == "processes[]") value = {{"enum", process_names}};
    forms.push_back(value);
    if (node.field->also_string) forms.push_back({{"type", "string"}});
  }
  if (!node.keys.empty()) forms.push_back(map_schema(node, path, d, process_names));
  if (node.items) {
    forms.push_back(
        {{"type", "array"}, {"items", node_schema(*node.items, path + "[]", d, process_names)}});
    if (table_items(node)) forms.push_back({{"$ref", "#/definitions/csv"}});
  }
  json s;
  if (forms.empty())
    s = json::object();
  else if (forms.size() == 1)
    s = forms.front();
  else
    s = {{"anyOf", forms}};
  if (node.field) {
    std::string description = type_label(*node.field);
    const std::string unit = unit_of(path, *node.field);
    if (!unit.empty()) description += ", " + unit;
    const std::string range = range_label(*node.field);
    if (!range.empty()) description += ", " + range;
    if (node.field->required)
      description += "; required";
    else if (node.field->fallback_is_city)
      description += "; default: the city file's value";
    else if (node.field->has_fallback)
      description += "; default " + (node.field->fallback.empty() ? "\"\"" : node.field->fallback);
    description += "; read by " + readers_label(node.field->readers);
    if (!s.contains("$ref")) s["description"] = description;
  }
  return s;
}

json distribution_schema() {
  // The forms of core/parameter_distribution.h read_distribution().
  const json number = {{"type", "number"}};
  auto kind = [&](const char* name, std::vector<std::string> required,
                  std::vector<std::string> optional) {
    // `draw: NAME` shares one draw between parameters.
    json properties = {{"dist", {{"const", name}}}, {"draw", {{"type", "string"}}}};
    for (const std::string& k : required) properties[k] = number;
    for (const std::string& k : optional) properties[k] = number;
    json req = json::array({"dist"});
    for (const std::string& k : required) req.push_back(k);
    return json{{"type", "object"},
                {"properties", properties},
                {"required", req},
                {"additionalProperties", false}};
  };
  json choice = kind("choice", {}, {});
  choice["properties"]["values"] = {
      {"type", "array"}, {"items", number}, {"minItems", 1}, {"uniqueItems", true}};
  choice["properties"]["weights"] = {{"type", "array"},
                                     {"items", {{"type", "number"}, {"minimum", 0}}}};
  choice["required"].push_back("values");
  return {{"description", "an uncertain value (docs/uncertainty.md)"},
          {"oneOf", json::array({kind("uniform", {"low", "high"}, {}),
                                 kind("normal", {"mean", "sd"}, {"low", "high"}),
                                 kind("lognormal", {"meanlog", "sdlog"}, {"low", "high"}),
                                 kind("beta", {"alpha", "beta"}, {"low", "high"}),
                                 kind("triangular", {"low", "mode", "high"}, {}), choice})}};
}

json document_schema(const Document& d, const std::vector<std::string>& process_names) {
  json s = map_schema(d.root, "", d, process_names);
  json out = {
      {"$schema", "http://json-schema.org/draft-07/schema#"},
      {"$id", "https://plansim.invalid/schema/" + schema_file(d.name)},
      {"title", d.name == "scenario" ? "plansim scenario" : "plansim city file " + file_of(d.name)},
      {"description",
       "Generated by tools/reference.sh (plansim reference) from what the readers ask; "
       "docs/city-reference.md. Read by " +
           readers_label(d.readers) + "."}};
  for (auto it = s.begin(); it != s.end(); ++it) out[it.key()] = it.value();
  out["definitions"] = {{"distribution", distribution_schema()}, {"csv", csv_schema()}};
  return out;
}

// ---- writing or checking ----

bool same_file(const fs::path& path, const std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str() == text;
}

bool emit(const fs::path& path, const std::string& text, bool check, int& stale) {
  if (check) {
    if (!same_file(path, text)) {
      std::cerr << path.string() << ": out of date (regenerate with tools/reference.sh)\n";
      ++stale;
    }
    return true;
  }
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) {
    std::cerr << path.string() << ": error: cannot write\n";
    return false;
  }
  return true;
}

}  // namespace

int reference_command(const ReferenceOptions& options) {
  Registry registry;
  register_builtin_processes(registry);
  ParamRecorder recorder;
  std::vector<std::string> scenarios = options.scenarios;
  std::sort(scenarios.begin(), scenarios.end());
  for (const std::string& scenario : scenarios) {
    if (!fs::is_regular_file(scenario)) {
      std::cerr << scenario << ": error: no such scenario file\n";
      return 2;
    }
    // As written, then with stand-ins for what it leaves out (errors are expected then: only
    // what is asked counts).
    for (const bool stubs : {false, true}) {
      recorder.set_stubs(stubs);
      Diagnostics diags;
      PreparedScenario::prepare(scenario, {}, registry, diags);
    }
  }
  // Every process, also those no scenario given runs, on the first scenario's city.
  if (!scenarios.empty()) {
    std::string all = "processes=[";
    for (std::size_t i = 0; i < registry.names().size(); ++i)
      all += (i ? ", " : "") + registry.names()[i];
    Diagnostics diags;
    PreparedScenario::prepare(scenarios.front(), {all + "]"}, registry, diags);
  }
  const std::map<std::string, Document> docs = build_documents(recorder);
  std::vector<std::string> order;
  for (const std::string& name : recorder.documents())
    if (docs.count(name)) order.push_back(name);
  int stale = 0;
  bool ok = true;
  if (!options.markdown.empty()) {
    const fs::path page(options.markdown);
    std::string link = "schema";
    if (!options.schema_dir.empty()) {
      std::error_code ec;
      const fs::path base = page.parent_path().empty() ? fs::path(".") : page.parent_path();
      link =
          fs::relative(fs::absolute(options.schema_dir), fs::absolute(base), ec).generic_string();
      if (ec || link.empty()) link = options.schema_dir;
    }
    ok = emit(page, markdown(docs, order, link), options.check, stale) && ok;
  }
  if (!options.schema_dir.empty()) {
    // A schema of a document no reader asks for any more is stale too (removed when writing).
    std::set<fs::path> written;
    for (const std::string& name : order)
      written.insert((fs::path(options.schema_dir) / schema_file(name)).lexically_normal());
    std::error_code ec;
    for (fs::recursive_directory_iterator it(options.schema_dir, ec), end; !ec && it != end;
         it.increment(ec)) {
      const fs::path path = it->path().lexically_normal();
      if (path.extension() != ".json" || written.count(path)) continue;
      if (options.check) {
        std::cerr << path.string() << ": no reader asks for this file any more (regenerate with "
                  << "tools/reference.sh)\n";
        ++stale;
      } else {
        fs::remove(path, ec);
      }
    }
    for (const std::string& name : order)
      ok = emit(fs::path(options.schema_dir) / schema_file(name),
                document_schema(docs.at(name), registry.names()).dump(2) + "\n", options.check,
                stale) &&
           ok;
  }
  if (!ok) return 1;
  if (stale) {
    std::cerr << stale
              << " generated file(s) differ from what the readers ask: run tools/reference.sh\n";
    return 1;
  }
  return 0;
}

}  // namespace plansim

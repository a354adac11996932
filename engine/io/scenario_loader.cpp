#include "io/scenario_loader.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string_view>
#include <system_error>

#include "core/parameter_distribution.h"
#include "core/trajectory.h"
#include "io/csv.h"
#include "io/yaml_loader.h"
#include "io/yaml_text.h"

namespace plansim {
namespace {

namespace fs = std::filesystem;

const std::string kCommandLine(io_text::kCommandLineFile);

std::string child_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

std::string item_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

std::string describe(const ParamNode& node) {
  switch (node.kind()) {
    case ParamNode::Kind::Null:
      return "empty";
    case ParamNode::Kind::Scalar:
      return "a scalar ('" + node.text() + "')";
    case ParamNode::Kind::Sequence:
      return "a list";
    case ParamNode::Kind::Map:
      return "a map";
  }
  return "";
}

std::string quoted_path(const std::string& path) {
  return path.empty() ? std::string("the scenario root") : "'" + path + "'";
}

/// A copy of `source` whose paths start at `path` (locations unchanged).
ParamNode rebased(const ParamNode& source, const std::string& path) {
  switch (source.kind()) {
    case ParamNode::Kind::Scalar: {
      ParamNode scalar = ParamNode::scalar(source.text(), source.loc(), path);
      scalar.set_quoted(source.quoted());
      return scalar;
    }
    case ParamNode::Kind::Sequence: {
      ParamNode seq(ParamNode::Kind::Sequence, source.loc(), path);
      for (std::size_t i = 0; i < source.items().size(); ++i)
        seq.items().push_back(rebased(source.items()[i], item_path(path, i)));
      return seq;
    }
    case ParamNode::Kind::Map: {
      ParamNode map(ParamNode::Kind::Map, source.loc(), path);
      for (const auto& e : source.entries())
        map.entries().push_back(
            {e.key, e.key_loc,
             std::make_unique<ParamNode>(rebased(*e.value, child_path(path, e.key)))});
      return map;
    }
    case ParamNode::Kind::Null:
      break;
  }
  return ParamNode(ParamNode::Kind::Null, source.loc(), path);
}

// ---- --set keys: name ('[' index ']')* ('.' name ('[' index ']')*)* ----

struct KeyStep {
  bool is_index = false;
  std::string name;
  std::size_t index = 0;
};

std::optional<std::vector<KeyStep>> parse_key(std::string_view key, std::string& problem) {
  std::vector<KeyStep> steps;
  std::size_t i = 0;
  while (true) {
    const std::size_t start = i;
    while (i < key.size() && key[i] != '.' && key[i] != '[' && key[i] != ']') ++i;
    if (i == start) {
      if (i < key.size() && key[i] == '[')
        problem = "a list index must follow a name (e.g. interventions[0])";
      else if (i < key.size() && key[i] == ']')
        problem = "unexpected ']' in the key";
      else
        problem = "empty name in the key (check the dots)";
      return std::nullopt;
    }
    steps.push_back({false, std::string(key.substr(start, i - start)), 0});
    while (i < key.size() && key[i] == '[') {
      const std::size_t close = key.find(']', i);
      if (close == std::string_view::npos) {
        problem = "unclosed '[' in the key";
        return std::nullopt;
      }
      const std::string_view digits = key.substr(i + 1, close - i - 1);
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
      if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
        problem = "bad list index '[" + std::string(digits) + "]' (expected a number such as [0])";
        return std::nullopt;
      }
      steps.push_back({true, {}, index});
      i = close + 1;
    }
    if (i == key.size()) return steps;
    if (key[i] != '.') {
      problem = "unexpected '" + std::string(1, key[i]) + "' in the key";
      return std::nullopt;
    }
    ++i;
  }
}

// ---- extends chains ----

std::string file_identity(const std::string& path) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  if (ec) canonical = fs::absolute(path, ec).lexically_normal();
  return canonical.string();
}

bool is_regular_file(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

std::vector<std::string>& extra_data_roots() {
  static std::vector<std::string> roots;
  return roots;
}

/// The canonical form of `path` (symlinks of its existing part and `..` resolved).
fs::path canonical_path(const std::string& path) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec) canonical = fs::absolute(path, ec).lexically_normal();
  return canonical;
}

bool below(const fs::path& file, const fs::path& root) {
  auto f = file.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++f) {
    if (r->empty()) continue;  // the trailing "" of a path ending in '/'
    if (f == file.end() || *f != *r) return false;
  }
  return true;
}

void add_root(std::vector<std::string>& roots, const std::string& folder) {
  const std::string canonical = canonical_path(folder).string();
  if (std::find(roots.begin(), roots.end(), canonical) == roots.end()) roots.push_back(canonical);
}

/// Loads `path` and its `scenario.extends` ancestors and merges them, the oldest at the bottom.
ParamNode load_extends_chain(const std::string& path, std::vector<std::string>& files_read,
                             bool& complete, LoadedScenario& roots, Diagnostics& diags) {
  std::vector<ParamNode> chain;  // child first
  std::vector<std::string> names;
  std::vector<std::string> identities;
  std::string current = path;
  SourceLoc referenced_from;
  std::string referenced_key;
  while (true) {
    const std::size_t errors_before = diags.size();
    ParamNode tree = load_yaml_file(current, diags, referenced_from, referenced_key);
    if (tree.is_null() && diags.size() > errors_before) complete = false;
    if (is_regular_file(current)) files_read.push_back(current);
    if (!tree.is_map()) {
      if (!tree.is_null())
        diags.error(tree.loc(),
                    "the scenario file must be a map of sections (scenario:, run:, "
                    "processes:, ...), got " +
                        describe(tree));
      tree = ParamNode(ParamNode::Kind::Map, tree.loc(), "");
    }
    names.push_back(current);
    identities.push_back(file_identity(current));
    const ParamNode* meta = tree.peek("scenario");
    const ParamNode* extends = meta && meta->is_map() ? meta->peek("extends") : nullptr;
    std::optional<ParamNode> extends_value;
    if (extends) extends_value = *extends;
    chain.push_back(std::move(tree));
    if (!extends_value || extends_value->is_null()) break;
    if (!extends_value->is_scalar()) {
      diags.error(extends_value->loc(),
                  "scenario.extends: expected the path of the scenario file "
                  "to extend, got " +
                      describe(*extends_value));
      break;
    }
    const std::string next = io_text::resolve_relative(current, extends_value->text());
    if (!check_data_root(roots, next, extends_value->loc(), "scenario.extends", diags)) {
      complete = false;  // the missing parent's keys are not further errors
      break;
    }
    const auto seen = std::find(identities.begin(), identities.end(), file_identity(next));
    if (seen != identities.end()) {
      std::string cycle;
      for (auto i = static_cast<std::size_t>(seen - identities.begin()); i < names.size(); ++i)
        cycle += names[i] + " -> ";
      diags.error(extends_value->loc(), "scenario.extends: cycle of extends: " + cycle + next);
      break;
    }
    referenced_from = extends_value->loc();
    referenced_key = "scenario.extends";
    current = next;
  }
  ParamNode merged = std::move(chain.back());
  for (std::size_t i = chain.size() - 1; i-- > 0;) merge_over(merged, std::move(chain[i]));
  return merged;
}

// ---- {csv: file.csv} tables ----

void expand_csv_tables(ParamNode& node, const LoadedScenario& roots,
                       std::vector<std::string>& files_read, bool& complete, Diagnostics& diags) {
  if (node.is_map()) {
    const auto& entries = node.entries();
    if (entries.size() == 1 && entries.front().key == "csv" && entries.front().value->is_scalar()) {
      const ParamNode& reference = *entries.front().value;
      const SourceLoc referenced_from = reference.loc();
      const std::string file = io_text::resolve_relative(referenced_from.file, reference.text());
      if (!check_data_root(roots, file, referenced_from, node.path(), diags)) {
        node = ParamNode(ParamNode::Kind::Sequence, node.loc(), node.path());
        complete = false;
        return;
      }
      if (is_regular_file(file)) files_read.push_back(file);
      const std::size_t errors_before = diags.size();
      ParamNode table = load_csv_table(file, node.path(), diags, referenced_from);
      if (table.items().empty() && diags.size() > errors_before) complete = false;
      node = std::move(table);
      return;
    }
    for (auto& e : node.entries()) expand_csv_tables(*e.value, roots, files_read, complete, diags);
  } else if (node.is_sequence()) {
    for (auto& item : node.items()) expand_csv_tables(item, roots, files_read, complete, diags);
  }
}

// ---- the city folder ----

void load_city(LoadedScenario& out, Diagnostics& diags) {
  out.city = ParamNode(ParamNode::Kind::Map, SourceLoc{}, "");
  const ParamNode* city = out.scenario.peek("city");
  if (!city) return;
  if (!city->is_scalar() || city->text().empty()) {
    diags.error(city->loc(),
                "city: expected the path of a city config directory (e.g. "
                "../configs/zhongyuan), got " +
                    describe(*city));
    return;
  }
  const std::string dir = io_text::resolve_relative(city->loc().file, city->text());
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    const std::string reason = fs::exists(dir, ec) ? "not a directory" : std::strerror(ENOENT);
    diags.error(city->loc(), "city: cannot read directory '" + dir + "': " + reason);
    out.complete = false;
    return;
  }
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    // Hidden files are editor and system leftovers, not configs.
    if (it->path().extension() == ".yaml" && name.front() != '.' && it->is_regular_file(ec))
      names.push_back(name);
  }
  if (ec) {
    diags.error(city->loc(), "city: cannot list directory '" + dir + "': " + ec.message());
    return;
  }
  std::sort(names.begin(), names.end());
  out.city_dir = dir;
  out.city = ParamNode(ParamNode::Kind::Map, SourceLoc{dir, 0, 0}, "");
  for (const std::string& name : names) {
    const std::string file = (fs::path(dir) / name).string();
    const std::size_t errors_before = diags.size();
    ParamNode tree = load_yaml_file(file, diags);
    if (tree.is_null() && diags.size() > errors_before) out.complete = false;
    out.files_read.push_back(file);
    expand_csv_tables(tree, out, out.files_read, out.complete, diags);
    out.city.entries().push_back({fs::path(name).stem().string(), SourceLoc{file, 1, 1},
                                  std::make_unique<ParamNode>(std::move(tree))});
  }
}

}  // namespace

void merge_over(ParamNode& base, ParamNode over) {
  // A trajectory or a distribution is one value: the child's replaces the parent's whole, never
  // knot by knot or key by key.
  if (!base.is_map() || !over.is_map() || is_trajectory(base) || is_trajectory(over) ||
      is_distribution(base) || is_distribution(over)) {
    base = std::move(over);
    return;
  }
  ParamNode merged(ParamNode::Kind::Map, over.loc(), over.path());
  merged.entries() = std::move(base.entries());
  for (auto& e : over.entries()) {
    auto it = std::find_if(merged.entries().begin(), merged.entries().end(),
                           [&](const ParamNode::Entry& m) { return m.key == e.key; });
    if (it == merged.entries().end()) {
      merged.entries().push_back(std::move(e));
      continue;
    }
    it->key_loc = e.key_loc;
    merge_over(*it->value, std::move(*e.value));
  }
  base = std::move(merged);
}

bool apply_set_override(ParamNode& root, const std::string& override_text, int index,
                        Diagnostics& diags) {
  return apply_set_override(root, override_text, SourceLoc{kCommandLine, std::max(index, 1), 1},
                            diags);
}

bool apply_set_override(ParamNode& root, const std::string& override_text, const SourceLoc& start,
                        Diagnostics& diags) {
  const int line = std::max(start.line, 1);  // lines and columns are 1-based
  const int first = std::max(start.column, 1);
  const std::string argument = "--set '" + override_text + "'";
  const std::size_t equals = override_text.find('=');
  if (equals == std::string::npos) {
    diags.error(SourceLoc{kCommandLine, line, first},
                argument + ": expected key=value (e.g. run.seed=7)");
    return false;
  }
  const std::string key = override_text.substr(0, equals);
  const std::string value = override_text.substr(equals + 1);
  const int value_column = first + io_text::utf8_length(key) + 1;
  const SourceLoc at{kCommandLine, line, value_column};
  if (key.empty()) {
    diags.error(at, argument + ": the key before '=' is empty");
    return false;
  }
  std::string problem;
  const std::optional<std::vector<KeyStep>> steps = parse_key(key, problem);
  if (!steps) {
    diags.error(at, key + ": " + problem);
    return false;
  }
  if (steps->size() == 2 && steps->at(0).name == "scenario" && steps->at(1).name == "extends") {
    diags.error(at, key +
                        ": cannot be set with --set: extends is resolved before overrides "
                        "apply; write it in the scenario file");
    return false;
  }

  // Parsed where it stands on the command line, so that every location inside the value (and
  // inside its error messages) is exact.
  const std::string positioned = std::string(static_cast<std::size_t>(line - 1), '\n') +
                                 std::string(static_cast<std::size_t>(value_column - 1), ' ') +
                                 value;
  Diagnostics value_diags;
  const ParamNode parsed = parse_yaml(positioned, kCommandLine, value_diags);
  if (!value_diags.empty()) {
    for (const Diagnostic& d : value_diags.errors()) diags.error(d.loc, key + ": " + d.message);
    return false;
  }

  // Applied to a copy, so that a malformed override leaves nothing half-made behind.
  ParamNode trial = root;
  if (trial.is_null()) trial = ParamNode(ParamNode::Kind::Map, root.loc(), "");
  ParamNode* node = &trial;
  std::string path;
  for (std::size_t k = 0; k < steps->size(); ++k) {
    const KeyStep& step = (*steps)[k];
    const bool last = k + 1 == steps->size();
    if (!step.is_index) {
      if (node->is_null()) {
        *node = ParamNode(ParamNode::Kind::Map, at, path);
        // Knots set where the scenario had no value are laid over the value in effect beneath
        // (the city's trajectory; see core/trajectory.h evaluated_at()).
        node->set_knot_patch(is_year_key(step.name));
      }
      if (!node->is_map()) {
        std::string message =
            key + ": " + quoted_path(path) + " is " + describe(*node) + ", not a map";
        if (is_year_key(step.name) && node->is_scalar())
          message += "; a number has no years to set: give the whole trajectory, e.g. --set '" +
                     path + "={" + std::to_string(std::stoi(step.name) - 1) + ": " + node->text() +
                     ", " + step.name + ": " + value + "}'";
        diags.error(at, message);
        return false;
      }
      const std::string next_path = child_path(path, step.name);
      if (last) {
        node->set(step.name, at, rebased(parsed, next_path));
        break;
      }
      ParamNode* child = node->peek_mutable(step.name);
      if (!child)
        child = &node->set(step.name, at, ParamNode(ParamNode::Kind::Null, at, next_path));
      node = child;
      path = next_path;
    } else {
      if (node->is_null()) *node = ParamNode(ParamNode::Kind::Sequence, at, path);
      if (!node->is_sequence()) {
        diags.error(at, key + ": " + quoted_path(path) + " is " + describe(*node) + ", not a list");
        return false;
      }
      auto& items = node->items();
      const std::string next_path = item_path(path, step.index);
      if (step.index > items.size()) {
        diags.error(at, key + ": index " + std::to_string(step.index) + " is out of range: " +
                            quoted_path(path) + " has " + std::to_string(items.size()) +
                            " items ([" + std::to_string(items.size()) + "] appends one)");
        return false;
      }
      if (step.index == items.size())
        items.push_back(ParamNode(ParamNode::Kind::Null, at, next_path));
      if (last) {
        items[step.index] = rebased(parsed, next_path);
        break;
      }
      node = &items[step.index];
      path = next_path;
    }
  }
  root = std::move(trial);
  return true;
}

LoadedScenario load_scenario(const std::string& path, const std::vector<std::string>& set_overrides,
                             Diagnostics& diags, const std::vector<SourceLoc>& set_starts) {
  LoadedScenario out;
  out.scenario_path = path;
  // The scenario's folder and each --data-root; the city's folder once `city:` is known.
  add_root(out.data_roots, fs::path(path).parent_path().empty()
                               ? std::string(".")
                               : fs::path(path).parent_path().string());
  for (const std::string& root : extra_data_roots()) add_root(out.data_roots, root);
  // PLANSIM_DATA_ROOTS=DIR:DIR…, as --data-root, for scripts and the Python module.
  if (const char* env = std::getenv("PLANSIM_DATA_ROOTS")) {
    std::string_view list(env);
    while (!list.empty()) {
      const std::size_t colon = std::min(list.find(':'), list.size());
      if (colon > 0) add_root(out.data_roots, std::string(list.substr(0, colon)));
      list.remove_prefix(std::min(colon + 1, list.size()));
    }
  }
  out.scenario = load_extends_chain(path, out.files_read, out.complete, out, diags);
  out.scenario_chain = out.files_read;  // only the chain so far
  for (std::size_t i = 0; i < set_overrides.size(); ++i)
    apply_set_override(
        out.scenario, set_overrides[i],
        i < set_starts.size() ? set_starts[i] : SourceLoc{kCommandLine, static_cast<int>(i + 1), 1},
        diags);
  if (const ParamNode* city = out.scenario.peek("city");
      city && city->is_scalar() && !city->text().empty())
    add_root(out.data_roots, io_text::resolve_relative(city->loc().file, city->text()));
  expand_csv_tables(out.scenario, out, out.files_read, out.complete, diags);
  load_city(out, diags);
  return out;
}

void set_data_roots(std::vector<std::string> folders) { extra_data_roots() = std::move(folders); }

bool check_data_root(const LoadedScenario& loaded, const std::string& file, const SourceLoc& at,
                     const std::string& key, Diagnostics& diags) {
  const fs::path canonical = canonical_path(file);
  for (const std::string& root : loaded.data_roots)
    if (below(canonical, root)) return true;
  std::string roots;
  for (const std::string& root : loaded.data_roots)
    roots += (roots.empty() ? "'" : ", '") + root + "'";
  diags.error(at, key + ": '" + file + "' lies outside the folders this scenario may read (" +
                      roots + "); give --data-root DIR to allow the folder that holds it");
  return false;
}

namespace {
// The value in `node` written by the newest source of the extends chain, and that source's rank:
// 0 for the scenario itself, -1 for the command line (newer than any file), the chain's size for
// a file outside it.
std::pair<long, SourceLoc> newest_source(const ParamNode& node,
                                         const std::vector<std::string>& chain) {
  const auto it = std::find(chain.begin(), chain.end(), node.loc().file);
  std::pair<long, SourceLoc> newest{it != chain.end() ? static_cast<long>(it - chain.begin())
                                    : node.loc().file == kCommandLine
                                        ? -1
                                        : static_cast<long>(chain.size()),
                                    node.loc()};
  const auto visit = [&](const ParamNode& child) {
    auto candidate = newest_source(child, chain);
    if (candidate.first < newest.first) newest = std::move(candidate);
  };
  for (const auto& e : node.entries()) visit(*e.value);
  for (const auto& item : node.items()) visit(item);
  return newest;
}
}  // namespace

std::vector<Diagnostic> set_aside_unrun_processes(LoadedScenario& loaded,
                                                  const std::vector<std::string>& process_names,
                                                  Diagnostics& diags) {
  std::vector<Diagnostic> notes;
  ParamNode& scenario = loaded.scenario;
  const ParamNode* order = scenario.is_map() ? scenario.peek("processes") : nullptr;
  if (!order || !order->is_sequence()) return notes;  // configure reports it
  std::vector<std::string> listed;
  for (const ParamNode& item : order->items())
    if (item.is_scalar()) listed.push_back(item.text());
  const long list_source = newest_source(*order, loaded.scenario_chain).first;
  const std::string list_loc = order->loc().str();
  // Blocks of processes that do not run leave the tree: nothing reads them, and neither the
  // resolved scenario stored in the output nor the assumptions it records should list them.
  auto& entries = scenario.entries();
  for (auto it = entries.begin(); it != entries.end();) {
    if (std::find(process_names.begin(), process_names.end(), it->key) == process_names.end() ||
        std::find(listed.begin(), listed.end(), it->key) != listed.end()) {
      ++it;
      continue;
    }
    const auto [block_source, newest_value] = newest_source(*it->value, loaded.scenario_chain);
    if (block_source > list_source)
      notes.push_back({it->value->loc(), it->key + ": ignored: process '" + it->key +
                                             "' is not run by this scenario (its processes "
                                             "list, " +
                                             list_loc + ", leaves it out)"});
    else
      diags.error(newest_value, it->key + ": parameters of process '" + it->key +
                                    "', which this scenario does not run (processes at " +
                                    list_loc + "): add it to processes or remove this block");
    it = entries.erase(it);
  }
  return notes;
}

}  // namespace plansim

#include "io/assumptions.h"

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

namespace plansim {
namespace {

std::string trim(std::string_view text) {
  std::size_t b = 0, e = text.size();
  while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
  return std::string(text.substr(b, e - b));
}

/// Position of the '#' that starts a comment on a YAML line (not inside quotes), or npos.
std::size_t comment_start(std::string_view line) {
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      if (i == 0 || std::isspace(static_cast<unsigned char>(line[i - 1])) || line[i - 1] == ':' ||
          line[i - 1] == '[' || line[i - 1] == '{' || line[i - 1] == ',')
        quote = c;
    } else if (c == '#' && (i == 0 || std::isspace(static_cast<unsigned char>(line[i - 1])))) {
      return i;
    }
  }
  return std::string_view::npos;
}

/// "A: assumption — text" -> "text".
std::string rationale_text(std::string text) {
  text = trim(std::string_view(text).substr(2));  // after "A:"
  for (const char* prefix : {"assumption —", "assumption -", "assumption:", "assumption"})
    if (text.rfind(prefix, 0) == 0) {
      text = trim(std::string_view(text).substr(std::string_view(prefix).size()));
      break;
    }
  return text;
}

/// True for a comment that starts a tagged note of its own ("A:", "F:", "N.B.:"...).
bool starts_tag(const std::string& comment) {
  const std::size_t colon = comment.find(':');
  if (colon == std::string::npos || colon == 0 || colon > 4) return false;
  for (std::size_t i = 0; i < colon; ++i)
    if (!std::isupper(static_cast<unsigned char>(comment[i])) && comment[i] != '.') return false;
  return true;
}

std::string value_text(const ParamNode& node) {
  if (node.is_scalar()) return node.text();
  if (node.is_null()) return "";
  const SourceLoc& loc = node.loc();
  if (loc.file.size() > 4 && loc.file.substr(loc.file.size() - 4) == ".csv")
    return "table " + loc.file;
  std::string yaml = node.to_yaml();
  while (!yaml.empty() && (yaml.back() == '\n' || yaml.back() == ' ')) yaml.pop_back();
  if (yaml.find('\n') == std::string::npos && yaml.size() <= 80) return yaml;
  const std::size_t count = node.is_map() ? node.entries().size() : node.items().size();
  return "(" + std::to_string(count) + (node.is_map() ? " keys)" : " items)");
}

/// The node at a dotted path ("a.b[2].c") below `root`, without marking it read; nullptr if none.
const ParamNode* at_path(const ParamNode& root, const std::string& path) {
  const ParamNode* node = &root;
  std::size_t i = 0;
  while (node && i < path.size()) {
    if (path[i] == '.') ++i;
    if (path[i] == '[') {
      const std::size_t close = path.find(']', i);
      if (close == std::string::npos || !node->is_sequence()) return nullptr;
      const std::size_t index = std::stoul(path.substr(i + 1, close - i - 1));
      if (index >= node->items().size()) return nullptr;
      node = &node->items()[index];
      i = close + 1;
      continue;
    }
    const std::size_t end = path.find_first_of(".[", i);
    const std::string key = path.substr(i, end == std::string::npos ? std::string::npos : end - i);
    node = node->is_map() ? node->peek(key) : nullptr;
    i = end == std::string::npos ? path.size() : end;
  }
  return node;
}

class Collector {
 public:
  /// The scenario's tree: a city value it overrides (at "<stem>.<path>" or at "<path>") is
  /// recorded with the scenario's value, naming the assumption it replaces.
  const ParamNode* scenario = nullptr;
  std::string stem;  // of the city file being walked ("" for the scenario itself)
  std::set<std::string> recorded_locations;

  void record(const std::string& path, const ParamNode& value, const std::string& rationale,
              const SourceLoc& loc) {
    if (scenario && !stem.empty()) {
      const ParamNode* over = at_path(*scenario, stem + "." + path);
      if (!over) over = at_path(*scenario, path);
      if (over) {
        const std::string where = over->loc().str();
        if (recorded_locations.count(where)) return;  // the scenario's own A: value
        records.push_back({stem + "." + path, value_text(*over),
                           "set by the scenario, replacing the assumed " + value_text(value) +
                               " (" + loc.str() + "): " + rationale,
                           where});
        recorded_locations.insert(where);
        return;
      }
    }
    const std::string name = stem.empty() ? path : stem + "." + path;
    records.push_back({name, value_text(value), rationale, loc.str()});
    recorded_locations.insert(value.loc().str());
    recorded_locations.insert(loc.str());
  }

  std::vector<AssumptionRecord> records;

  static bool any_read(const ParamNode& node) {
    if (node.was_read()) return true;
    for (const ParamNode::Entry& e : node.entries())
      if (e.value && any_read(*e.value)) return true;
    for (const ParamNode& item : node.items())
      if (any_read(item)) return true;
    return false;
  }

  void walk(const ParamNode& node, const std::string& prefix) {
    if (node.is_map()) {
      for (const ParamNode::Entry& e : node.entries()) {
        if (!e.value) continue;
        const std::string path = prefix.empty() ? e.key : prefix + "." + e.key;
        const std::string* rationale = comment_for(e.key_loc);
        if (!rationale && e.value->is_scalar()) rationale = comment_for(e.value->loc());
        if (rationale) {
          if (e.value->was_read() || any_read(*e.value))
            record(path, *e.value, *rationale, e.key_loc);
          continue;  // the comment covers the whole value
        }
        walk(*e.value, path);
      }
    } else if (node.is_sequence()) {
      for (std::size_t i = 0; i < node.items().size(); ++i) {
        const ParamNode& item = node.items()[i];
        const std::string path = prefix + "[" + std::to_string(i) + "]";
        // A comment on an item's line covers the item (a scalar or a one-line map).
        const std::string* rationale = comment_for(item.loc());
        if (rationale) {
          if (item.was_read() || any_read(item)) record(path, item, *rationale, item.loc());
          continue;
        }
        walk(item, path);
      }
    }
  }

 private:
  std::map<std::string, std::map<int, std::string>> comments_;  // by file

  const std::string* comment_for(const SourceLoc& loc) {
    if (loc.file.empty() || loc.line <= 0) return nullptr;
    const std::string& file = loc.file;
    if (file.size() < 5 ||
        (file.substr(file.size() - 5) != ".yaml" && file.substr(file.size() - 4) != ".yml"))
      return nullptr;
    auto it = comments_.find(file);
    if (it == comments_.end()) {
      std::ifstream in(file, std::ios::binary);
      std::ostringstream text;
      if (in) text << in.rdbuf();
      it = comments_.emplace(file, assumption_comments(text.str())).first;
    }
    const auto line = it->second.find(loc.line);
    return line == it->second.end() ? nullptr : &line->second;
  }
};

}  // namespace

std::map<int, std::string> assumption_comments(std::string_view text) {
  std::map<int, std::string> out;
  std::vector<std::string> lines;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::string pending;  // a block comment waiting for its key
  bool in_block = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    const std::size_t hash = comment_start(line);
    const std::string code = trim(std::string_view(line).substr(0, hash));
    const std::string comment =
        hash == std::string::npos ? "" : trim(std::string_view(line).substr(hash + 1));
    const int number = static_cast<int>(i) + 1;
    if (code.empty()) {
      if (hash == std::string::npos) {  // a blank line ends a block
        pending.clear();
        in_block = false;
        continue;
      }
      if (comment.empty()) continue;  // a bare '#' inside a block
      if (comment.rfind("A:", 0) == 0) {
        pending = rationale_text(comment);
        in_block = true;
      } else if (in_block && !starts_tag(comment)) {
        pending += " " + comment;  // continuation line
      } else {
        pending.clear();
        in_block = false;
      }
      continue;
    }
    // A line of YAML: a trailing A: comment is its own; else a pending block is this key's.
    if (comment.rfind("A:", 0) == 0)
      out[number] = rationale_text(comment);
    else if (in_block && !pending.empty())
      out[number] = pending;
    pending.clear();
    in_block = false;
  }
  return out;
}

std::vector<AssumptionRecord> used_assumptions(const LoadedScenario& loaded) {
  Collector collector;
  collector.walk(loaded.scenario, "");
  collector.scenario = &loaded.scenario;
  if (loaded.city.is_map())
    for (const ParamNode::Entry& e : loaded.city.entries())
      if (e.value) {
        collector.stem = e.key;
        collector.walk(*e.value, "");
      }
  return collector.records;
}

}  // namespace plansim

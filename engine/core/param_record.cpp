#include "core/param_record.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "core/params.h"
#include "core/trajectory.h"

namespace plansim {

ParamRecorder* ParamRecorder::active_ = nullptr;

namespace {

// A value as text for comparing a city's value with a reader's fallback ("0.0150" = "0.015").
std::string comparable(const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (!text.empty() && end == text.c_str() + text.size()) return number_text(v);
  return text;
}

std::string leaf_of(std::string_view path) {
  const std::size_t dot = path.find_last_of('.');
  return std::string(dot == std::string_view::npos ? path : path.substr(dot + 1));
}

int strictness(ParamType t) {
  switch (t) {
    case ParamType::kInteger:
      return 4;
    case ParamType::kNumber:
      return 3;
    case ParamType::kBoolean:
      return 2;
    case ParamType::kString:
      return 1;
    case ParamType::kUnknown:
      break;
  }
  return 0;
}

}  // namespace

std::string normalised_param_path(const std::string& path, bool* collapsed) {
  std::vector<std::string> parts;
  std::string current;
  bool dropped = false;
  auto flush = [&] {
    if (!current.empty()) parts.push_back(current);
    current.clear();
  };
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '.') {
      flush();
    } else if (c == '[') {
      const std::size_t close = path.find(']', i);
      current += "[]";
      if (close == std::string::npos) break;
      i = close;
    } else {
      current += c;
    }
  }
  flush();
  std::string out;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const std::string& p = parts[k];
    const std::string bare = p.substr(0, p.find('['));
    if (is_year_key(bare) || (bare == "step" && k + 1 < parts.size() &&
                              is_year_key(parts[k + 1].substr(0, parts[k + 1].find('['))))) {
      dropped = true;
      break;
    }
    out += (out.empty() ? "" : ".") + p;
  }
  if (collapsed) *collapsed = dropped;
  return out;
}

ParamRecorder::ParamRecorder() {
  if (active_) throw std::logic_error("ParamRecorder: one describe pass at a time");
  active_ = this;
}

ParamRecorder::~ParamRecorder() { active_ = nullptr; }

ParamRecorder::Reader::Reader(std::string name, bool realised) {
  if (!active_) return;
  previous_ = std::move(active_->reader_);
  previous_realised_ = active_->realised_;
  active_->reader_ = std::move(name);
  active_->realised_ = realised;
}

ParamRecorder::Reader::~Reader() {
  if (!active_) return;
  active_->reader_ = std::move(previous_);
  active_->realised_ = previous_realised_;
}

ParamRecorder::Pause::Pause() {
  if (active_) ++active_->pause_depth_;
}

ParamRecorder::Pause::~Pause() {
  if (active_) --active_->pause_depth_;
}

void ParamRecorder::register_tree(const ParamNode& node, const std::string& document) {
  nodes_[&node] = NodeInfo{document, false};
  if (!node.loc().file.empty()) files_.emplace(node.loc().file, document);
  for (const auto& e : node.entries_) register_tree(*e.value, document);
  for (const auto& i : node.items_) register_tree(i, document);
}

void ParamRecorder::add_document(const ParamNode& root, const std::string& document) {
  documents_.insert(document);
  register_tree(root, document);
}

void ParamRecorder::add_city(const ParamNode& city) {
  city_ = &city;
  for (const auto& e : city.entries_) add_document(*e.value, e.key);
}

void ParamRecorder::forget_trees() {
  nodes_.clear();
  files_.clear();
  city_ = nullptr;
}

std::vector<std::string> ParamRecorder::documents() const {
  std::vector<std::string> out;
  for (const std::string& d : documents_)
    if (d != "scenario") out.push_back(d);
  if (documents_.count("scenario")) out.push_back("scenario");
  return out;
}

bool ParamRecorder::resolve(const ParamNode& node, NodeInfo& info) const {
  bool evaluated = false;
  for (const ParamNode* n = &node; n; n = n->origin()) {
    if (auto it = nodes_.find(n); it != nodes_.end()) {
      info = it->second;
      info.evaluated = info.evaluated || evaluated;
      return true;
    }
    if (n->origin()) evaluated = true;
  }
  // A copy made without an origin: its source file says which document it is part of.
  if (auto it = files_.find(node.loc().file); it != files_.end()) {
    info = NodeInfo{it->second, evaluated || node.origin() != nullptr};
    return true;
  }
  return false;
}

ParamField* ParamRecorder::field(const NodeInfo& info, const std::string& raw_path,
                                 bool& collapsed) {
  const std::string path = normalised_param_path(raw_path, &collapsed);
  if (path.empty()) return nullptr;
  ParamField& f = fields_[{info.document, path}];
  if (f.path.empty()) {
    f.document = info.document;
    f.path = path;
    documents_.insert(info.document);
  }
  f.readers.insert(reader_);
  f.distribution = f.distribution && realised_;
  return &f;
}

namespace {
void merge_type(ParamField& f, ParamType type, double lo, double hi) {
  if (type == ParamType::kUnknown) return;
  if (strictness(type) > strictness(f.type)) f.type = type;
  if (type == ParamType::kNumber || type == ParamType::kInteger) {
    f.lo = std::max(f.lo, lo);
    f.hi = std::min(f.hi, hi);
  }
}
}  // namespace

void ParamRecorder::asked(const ParamNode& parent, std::string_view key, ParamType type, double lo,
                          double hi, const std::string* fallback, bool required) {
  if (!recording() || (parent.is_map() && parent.peek("dist"))) return;
  NodeInfo info;
  if (!resolve(parent, info)) return;
  const std::string child =
      parent.path().empty() ? std::string(key) : parent.path() + "." + std::string(key);
  bool collapsed = false;
  ParamField* f = field(info, child, collapsed);
  if (!f) return;
  merge_type(*f, type, lo, hi);
  if (collapsed) f->knots = true;
  if (!collapsed) f->by_year = f->by_year && info.evaluated;
  if (fallback && !f->has_fallback) {
    f->fallback = *fallback;
    f->has_fallback = true;
    if (info.document == "scenario" && city_values_reader_ == reader_) {
      auto it = city_values_.find(std::string(key));
      f->fallback_is_city = it != city_values_.end() && it->second.count(comparable(*fallback));
    }
  }
  f->required = f->required || required;
}

void ParamRecorder::converted(const ParamNode& node, ParamType type, double lo, double hi,
                              bool trajectory) {
  if (!recording()) return;
  NodeInfo info;
  if (!resolve(node, info)) return;
  bool collapsed = false;
  ParamField* f = field(info, node.path(), collapsed);
  if (!f) return;
  merge_type(*f, type, lo, hi);
  if (city_values_reader_ != reader_) {
    city_values_.clear();
    city_values_reader_ = reader_;
  }
  if (info.document != "scenario" && node.is_scalar())
    city_values_[leaf_of(f->path)].insert(comparable(node.text()));
  if (info.document != "scenario" && trajectory && node.is_map()) {  // its knots' values
    const ParamNode* knots = node.peek("step") ? node.peek("step") : &node;
    for (const auto& e : knots->entries_)
      if (e.value->is_scalar()) city_values_[leaf_of(f->path)].insert(comparable(e.value->text()));
  }
  if (collapsed || trajectory) f->knots = true;
  if (!collapsed && !trajectory) f->by_year = f->by_year && info.evaluated;
}

void ParamRecorder::iterated(const ParamNode& map) {
  if (!recording() || map.path().empty() || !map.is_map() || map.peek("dist")) return;
  NodeInfo info;
  if (!resolve(map, info)) return;
  bool collapsed = false;
  const std::string path = normalised_param_path(map.path(), &collapsed);
  if (!collapsed && !path.empty() && !closed_maps_.count({info.document, path}))
    free_maps_.insert({info.document, path});
}

void ParamRecorder::closed(const ParamNode& map) {
  if (!recording()) return;
  NodeInfo info;
  if (!resolve(map, info)) return;
  const std::pair<std::string, std::string> key{info.document, normalised_param_path(map.path())};
  closed_maps_.insert(key);
  free_maps_.erase(key);
}

void ParamRecorder::accepts_string(const ParamNode& node) {
  if (!recording()) return;
  NodeInfo info;
  if (!resolve(node, info)) return;
  bool collapsed = false;
  if (ParamField* f = field(info, node.path(), collapsed)) f->also_string = true;
}

const ParamNode* ParamRecorder::stub(const ParamNode& parent, std::string_view key,
                                     const std::string& path) {
  if (!stubs_on_ || !recording() || !(parent.is_map() || parent.is_null()) || parent.peek("dist"))
    return nullptr;
  NodeInfo info;
  const bool city_root = &parent == city_;
  if (city_root) {
    info.document = std::string(key);
  } else if (!resolve(parent, info)) {
    return nullptr;
  }
  stubs_.push_back(std::make_unique<ParamNode>(ParamNode::Kind::Map, parent.loc(),
                                               city_root ? std::string() : path));
  nodes_[stubs_.back().get()] = info;
  if (city_root) documents_.insert(info.document);
  return stubs_.back().get();
}

}  // namespace plansim

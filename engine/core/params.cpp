#include "core/params.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

#include "core/param_record.h"
#include "core/trajectory.h"

namespace plansim {
namespace {

std::string format_number(double v) {
  std::ostringstream s;
  s.precision(10);
  s << v;
  return s.str();
}

std::optional<double> parse_double(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (*begin == '+') ++begin;
  double value = 0;
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<std::int64_t> parse_int(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (*begin == '+') ++begin;
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

/// An optional sign and decimal digits only (an integer, whatever its size).
bool is_integer_literal(const std::string& text) {
  std::size_t i = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
  if (i == text.size()) return false;
  for (; i < text.size(); ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  return true;
}

}  // namespace

ParamNode::ParamNode(const ParamNode& other)
    : kind_(other.kind_),
      loc_(other.loc_),
      path_(other.path_),
      text_(other.text_),
      quoted_(other.quoted_),
      knot_patch_(other.knot_patch_),
      origin_(other.origin_),
      items_(other.items_),
      used_(other.used_),
      asked_(other.asked_) {
  entries_.reserve(other.entries_.size());
  for (const auto& e : other.entries_)
    entries_.push_back({e.key, e.key_loc, std::make_unique<ParamNode>(*e.value)});
}

ParamNode& ParamNode::operator=(const ParamNode& other) {
  if (this != &other) {
    ParamNode copy(other);
    *this = std::move(copy);
  }
  return *this;
}

ParamNode ParamNode::scalar(std::string text, SourceLoc loc, std::string path) {
  ParamNode node(Kind::Scalar, std::move(loc), std::move(path));
  node.text_ = std::move(text);
  return node;
}

ParamNode& ParamNode::set(const std::string& key, SourceLoc key_loc, ParamNode value) {
  kind_ = Kind::Map;
  for (auto& e : entries_) {
    if (e.key == key) {
      e.key_loc = std::move(key_loc);
      *e.value = std::move(value);
      return *e.value;
    }
  }
  entries_.push_back({key, std::move(key_loc), std::make_unique<ParamNode>(std::move(value))});
  return *entries_.back().value;
}

const ParamNode* ParamNode::peek(std::string_view key) const {
  for (const auto& e : entries_)
    if (e.key == key) return e.value.get();
  return nullptr;
}

ParamNode* ParamNode::peek_mutable(std::string_view key) {
  for (auto& e : entries_)
    if (e.key == key) return e.value.get();
  return nullptr;
}

std::string ParamNode::child_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void ParamNode::mark_used() const {
  used_ = true;
  for (const ParamNode* o = origin_; o; o = o->origin_) {
    // A scalar evaluated from a trajectory stands for the whole trajectory, knots included.
    if (kind_ == Kind::Scalar && o->is_map())
      o->mark_all_used();
    else
      o->used_ = true;
  }
}

void ParamNode::remember_asked(std::string_view key) const {
  for (const ParamNode* n = this; n; n = n->origin_)
    if (std::find(n->asked_.begin(), n->asked_.end(), key) == n->asked_.end())
      n->asked_.emplace_back(key);
}

namespace {
// The describe pass's record of a getter (core/param_record.h); nothing outside one.
void record_asked(const ParamNode& parent, std::string_view key, ParamType type, double lo,
                  double hi, const std::string* fallback, bool required) {
  if (ParamRecorder* r = ParamRecorder::active())
    r->asked(parent, key, type, lo, hi, fallback, required);
}
void record_converted(const ParamNode& node, ParamType type, double lo, double hi) {
  if (ParamRecorder* r = ParamRecorder::active()) r->converted(node, type, lo, hi);
}
constexpr double kInf = std::numeric_limits<double>::infinity();
double bound(std::int64_t v) {
  if (v == std::numeric_limits<std::int64_t>::min()) return -kInf;
  if (v == std::numeric_limits<std::int64_t>::max()) return kInf;
  return static_cast<double>(v);
}
}  // namespace

const ParamNode* ParamNode::find_child(std::string_view key) const {
  mark_used();
  remember_asked(key);
  const ParamNode* child = peek(key);
  if (child) child->mark_used();
  return child;
}

const ParamNode* ParamNode::find(std::string_view key) const {
  record_asked(*this, key, ParamType::kUnknown, -kInf, kInf, nullptr, false);
  const ParamNode* child = find_child(key);
  if (!child)
    if (ParamRecorder* r = ParamRecorder::active()) return r->stub(*this, key, child_path(key));
  return child;
}

void ParamNode::note_iterated() const {
  if (ParamRecorder* r = ParamRecorder::active()) r->iterated(*this);
}

const ParamNode* ParamNode::require(std::string_view key, Diagnostics& diags) const {
  if (kind_ != Kind::Map && kind_ != Kind::Null) {
    type_error("a map", diags);
    return nullptr;
  }
  record_asked(*this, key, ParamType::kUnknown, -kInf, kInf, nullptr, true);
  const ParamNode* child = find(key);
  if (!child) {
    diags.error(loc_, (path_.empty() ? std::string() : path_ + ": ") + "missing required key '" +
                          std::string(key) + "'");
  }
  return child;
}

std::string describe_node(const ParamNode& node) {
  switch (node.kind()) {
    case ParamNode::Kind::Null:
      return "nothing";
    case ParamNode::Kind::Scalar:
      return "'" + node.text() + "'";
    case ParamNode::Kind::Sequence:
      return "a list";
    case ParamNode::Kind::Map:
      return "a map";
  }
  return "?";
}

std::string number_text(double value) { return format_number(value); }

void ParamNode::type_error(const char* expected, Diagnostics& diags) const {
  std::string message = (path_.empty() ? std::string("value") : path_) + ": expected " + expected +
                        ", got " + describe_node(*this);
  if (is_trajectory(*this))
    message +=
        " (a trajectory by year; this value is read once for the whole run, so it must be "
        "a single value)";
  else if (kind_ == Kind::Map &&
           (peek("step") || std::any_of(entries_.begin(), entries_.end(),
                                        [](const Entry& e) { return is_year_key(e.key); })))
    message +=
        " (a trajectory is {2020: 1.3, 2030: 1.0} or {step: {2020: 0.05, 2024: 0.03}}: "
        "every key a year)";
  diags.error(loc_, message);
}

std::optional<double> ParamNode::as_number(Diagnostics& diags, double lo, double hi) const {
  record_converted(*this, ParamType::kNumber, lo, hi);
  mark_used();
  std::optional<double> v =
      (kind_ == Kind::Scalar && !quoted_) ? parse_double(text_) : std::nullopt;
  if (!v) {
    type_error("a number", diags);
    return std::nullopt;
  }
  if (*v < lo || *v > hi) {
    std::string range = "[" + format_number(lo) + ", " + format_number(hi) + "]";
    if (std::isinf(lo)) range = "at most " + format_number(hi);
    if (std::isinf(hi)) range = "at least " + format_number(lo);
    diags.error(loc_, path_ + ": " + text_ + " is out of range (must be " + range + ")");
    return std::nullopt;
  }
  return v;
}

std::optional<std::int64_t> ParamNode::as_integer(Diagnostics& diags, std::int64_t lo,
                                                  std::int64_t hi) const {
  record_converted(*this, ParamType::kInteger, bound(lo), bound(hi));
  mark_used();
  std::optional<std::int64_t> v =
      (kind_ == Kind::Scalar && !quoted_) ? parse_int(text_) : std::nullopt;
  if (!v && kind_ == Kind::Scalar && !quoted_ && is_integer_literal(text_)) {
    // Digits beyond 64 bits (e.g. a seed of 2^63): a number out of range, not "not a number".
    diags.error(loc_, path_ + ": " + text_ + " is out of range (must be [" + std::to_string(lo) +
                          ", " + std::to_string(hi) + "])");
    return std::nullopt;
  }
  if (!v) {
    type_error("an integer", diags);
    return std::nullopt;
  }
  if (*v < lo || *v > hi) {
    std::string range = "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    if (lo == std::numeric_limits<std::int64_t>::min()) range = "at most " + std::to_string(hi);
    if (hi == std::numeric_limits<std::int64_t>::max()) range = "at least " + std::to_string(lo);
    diags.error(loc_, path_ + ": " + text_ + " is out of range (must be " + range + ")");
    return std::nullopt;
  }
  return v;
}

std::optional<bool> ParamNode::as_boolean(Diagnostics& diags) const {
  record_converted(*this, ParamType::kBoolean, -kInf, kInf);
  mark_used();
  if (kind_ == Kind::Scalar && !quoted_) {
    std::string t = text_;
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
    if (t == "true" || t == "yes" || t == "on") return true;
    if (t == "false" || t == "no" || t == "off") return false;
  }
  type_error("true or false", diags);
  return std::nullopt;
}

std::optional<std::string> ParamNode::as_string(Diagnostics& diags) const {
  record_converted(*this, ParamType::kString, -kInf, kInf);
  mark_used();
  if (kind_ != Kind::Scalar) {
    type_error("a string", diags);
    return std::nullopt;
  }
  return text_;
}

double ParamNode::number(std::string_view key, double fallback, Diagnostics& diags, double lo,
                         double hi) const {
  const std::string fallback_text = format_number(fallback);
  record_asked(*this, key, ParamType::kNumber, lo, hi, &fallback_text, false);
  const ParamNode* n = find_child(key);
  if (!n) return fallback;
  return n->as_number(diags, lo, hi).value_or(fallback);
}

std::int64_t ParamNode::integer(std::string_view key, std::int64_t fallback, Diagnostics& diags,
                                std::int64_t lo, std::int64_t hi) const {
  const std::string fallback_text = std::to_string(fallback);
  record_asked(*this, key, ParamType::kInteger, bound(lo), bound(hi), &fallback_text, false);
  const ParamNode* n = find_child(key);
  if (!n) return fallback;
  return n->as_integer(diags, lo, hi).value_or(fallback);
}

bool ParamNode::boolean(std::string_view key, bool fallback, Diagnostics& diags) const {
  const std::string fallback_text = fallback ? "true" : "false";
  record_asked(*this, key, ParamType::kBoolean, -kInf, kInf, &fallback_text, false);
  const ParamNode* n = find_child(key);
  if (!n) return fallback;
  return n->as_boolean(diags).value_or(fallback);
}

std::string ParamNode::string(std::string_view key, const std::string& fallback,
                              Diagnostics& diags) const {
  record_asked(*this, key, ParamType::kString, -kInf, kInf, &fallback, false);
  const ParamNode* n = find_child(key);
  if (!n) return fallback;
  return n->as_string(diags).value_or(fallback);
}

double ParamNode::required_number(std::string_view key, Diagnostics& diags, double lo,
                                  double hi) const {
  record_asked(*this, key, ParamType::kNumber, lo, hi, nullptr, true);
  const ParamNode* n = require(key, diags);
  return n ? n->as_number(diags, lo, hi).value_or(0.0) : 0.0;
}

std::int64_t ParamNode::required_integer(std::string_view key, Diagnostics& diags, std::int64_t lo,
                                         std::int64_t hi) const {
  record_asked(*this, key, ParamType::kInteger, bound(lo), bound(hi), nullptr, true);
  const ParamNode* n = require(key, diags);
  return n ? n->as_integer(diags, lo, hi).value_or(0) : 0;
}

std::string ParamNode::required_string(std::string_view key, Diagnostics& diags) const {
  record_asked(*this, key, ParamType::kString, -kInf, kInf, nullptr, true);
  const ParamNode* n = require(key, diags);
  return n ? n->as_string(diags).value_or(std::string()) : std::string();
}

std::vector<double> ParamNode::numbers(std::string_view key, Diagnostics& diags, double lo,
                                       double hi) const {
  std::vector<double> out;
  record_asked(*this, std::string(key) + "[]", ParamType::kNumber, lo, hi, nullptr, false);
  const ParamNode* n = find_child(key);
  if (!n) return out;
  if (!n->is_sequence()) {
    n->type_error("a list of numbers", diags);
    return out;
  }
  n->mark_used();
  out.reserve(n->items_.size());
  for (const auto& item : n->items_) out.push_back(item.as_number(diags, lo, hi).value_or(0.0));
  return out;
}

void ParamNode::mark_all_used() const {
  mark_used();
  for (const auto& e : entries_) e.value->mark_all_used();
  for (const auto& i : items_) i.mark_all_used();
}

void ParamNode::report_unused(Diagnostics& diags) const {
  for (const auto& e : entries_) {
    if (!e.value->used_) {
      std::string where = path_.empty() ? std::string() : " in '" + path_ + "'";
      std::string message = "unknown key '" + e.key + "'" + where;
      const std::string hint = closest_match(e.key, asked_);
      if (!hint.empty()) message += " (did you mean '" + hint + "'?)";
      diags.error(e.key_loc, child_path(e.key) + ": " + message);
      continue;
    }
    e.value->report_unused(diags);
  }
  for (const auto& i : items_)
    if (i.used_) i.report_unused(diags);
}

namespace {
std::string quote_if_needed(const ParamNode& n) {
  const std::string& t = n.text();
  bool plain = !t.empty() && !n.quoted();
  for (char c : t)
    if (c == ':' || c == '#' || c == '"' || c == '\'' || c == '{' || c == '}' || c == '[' ||
        c == ']' || c == ',' || c == '\n')
      plain = false;
  if (plain) return t;
  std::string out = "\"";
  for (char c : t) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}
}  // namespace

namespace {
bool is_inline(const ParamNode& n) {
  if (n.is_scalar() || n.is_null()) return true;
  if (n.is_map()) return n.entries().empty();
  return std::all_of(n.items().begin(), n.items().end(),
                     [](const ParamNode& i) { return i.is_scalar() || i.is_null(); });
}

std::string inline_yaml(const ParamNode& n) {
  if (n.is_null()) return "null";
  if (n.is_scalar()) return quote_if_needed(n);
  if (n.is_map()) return "{}";
  std::string out = "[";
  for (std::size_t i = 0; i < n.items().size(); ++i)
    out += (i ? ", " : "") + inline_yaml(n.items()[i]);
  return out + "]";
}

void emit_block(const ParamNode& n, int indent, std::string& out) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  if (n.is_map()) {
    for (const auto& e : n.entries()) {
      out += pad + e.key + ":";
      if (is_inline(*e.value)) {
        out += " " + inline_yaml(*e.value) + "\n";
      } else {
        out += "\n";
        emit_block(*e.value, indent + 2, out);
      }
    }
  } else if (n.is_sequence()) {
    for (const auto& item : n.items()) {
      if (is_inline(item)) {
        out += pad + "- " + inline_yaml(item) + "\n";
        continue;
      }
      std::string body;
      emit_block(item, indent + 2, body);
      out += pad + "- " + body.substr(static_cast<std::size_t>(indent + 2));
    }
  } else {
    out += pad + inline_yaml(n) + "\n";
  }
}
}  // namespace

std::string ParamNode::to_yaml() const {
  if (is_inline(*this)) return inline_yaml(*this) + "\n";
  std::string out;
  emit_block(*this, 0, out);
  return out;
}

}  // namespace plansim

#include "core/trajectory.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "core/param_record.h"

namespace plansim {
namespace {

std::vector<Trajectory::Knot> sorted(std::vector<Trajectory::Knot> knots) {
  std::stable_sort(
      knots.begin(), knots.end(),
      [](const Trajectory::Knot& a, const Trajectory::Knot& b) { return a.year < b.year; });
  return knots;
}

int year_of(std::string_view key) {
  int year = 0;
  std::from_chars(key.data(), key.data() + key.size(), year);
  return year;
}

// The map of year: value of a trajectory node (the node itself, or its `step` entry).
const ParamNode& knot_map(const ParamNode& node) {
  return node.entries().size() == 1 && node.entries().front().key == "step"
             ? *node.entries().front().value
             : node;
}

bool is_step(const ParamNode& node) {
  return node.entries().size() == 1 && node.entries().front().key == "step";
}

bool is_year_map(const ParamNode& node) {
  if (!node.is_map() || node.entries().empty()) return false;
  return std::all_of(node.entries().begin(), node.entries().end(),
                     [](const ParamNode::Entry& e) { return is_year_key(e.key); });
}

std::string shortest_text(double v) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return ec == std::errc() ? std::string(buffer, end) : number_text(v);
}

// Parses the knots of a trajectory node without reporting: nullopt when a knot is not a number.
std::optional<std::vector<Trajectory::Knot>> quiet_knots(const ParamNode& map) {
  std::vector<Trajectory::Knot> knots;
  Diagnostics ignored;
  for (const auto& e : map.entries()) {
    if (!e.value->is_scalar() || e.value->quoted()) return std::nullopt;
    // as_number marks the node read, so parse a copy.
    const ParamNode copy = ParamNode::scalar(e.value->text(), e.value->loc(), e.value->path());
    const auto v = copy.as_number(ignored);
    if (!v) return std::nullopt;
    knots.push_back({year_of(e.key), *v});
  }
  return knots;
}

// The entry of `map` whose year is the knot that `year` evaluates to without interpolation
// (the year itself, or the held first or last knot, or the step's knot), else nullptr.
const ParamNode::Entry* exact_entry(const ParamNode& map, bool step, int year) {
  const ParamNode::Entry* best = nullptr;
  const ParamNode::Entry* first = nullptr;
  const ParamNode::Entry* last = nullptr;
  for (const auto& e : map.entries()) {
    const int y = year_of(e.key);
    if (y == year) return &e;
    if (!first || y < year_of(first->key)) first = &e;
    if (!last || y > year_of(last->key)) last = &e;
    if (step && y <= year && (!best || y > year_of(best->key))) best = &e;
  }
  if (year < year_of(first->key)) return first;
  if (year > year_of(last->key)) return last;
  return step ? best : nullptr;
}

ParamNode evaluate(const ParamNode& node, int year, Diagnostics& diags, const ParamNode* beneath);

// A trajectory node evaluated in `year`; `patch_base` is the trajectory its knots are laid over.
ParamNode evaluate_trajectory(const ParamNode& node, int year, const ParamNode* patch_base) {
  // The knots in effect: the node's, over those of patch_base (same form as the base).
  ParamNode merged(ParamNode::Kind::Map, node.loc(), node.path());
  bool step = is_step(node);
  if (patch_base) {
    step = is_step(*patch_base);
    for (const auto& e : knot_map(*patch_base).entries())
      merged.entries().push_back({e.key, e.key_loc, std::make_unique<ParamNode>(*e.value)});
  }
  for (const auto& e : knot_map(node).entries()) {
    auto it = std::find_if(merged.entries().begin(), merged.entries().end(),
                           [&](const ParamNode::Entry& m) { return m.key == e.key; });
    if (it != merged.entries().end())
      *it->value = *e.value;
    else
      merged.entries().push_back({e.key, e.key_loc, std::make_unique<ParamNode>(*e.value)});
  }
  const auto knots = quiet_knots(merged);
  const ParamNode::Entry* exact = exact_entry(merged, step, year);
  if (!knots) {
    // Leave the first knot that is not a number for the reader to report at its location.
    for (const auto& e : merged.entries()) {
      Diagnostics ignored;
      const ParamNode copy = ParamNode::scalar(e.value->text(), e.value->loc(), e.value->path());
      if (!e.value->is_scalar() || e.value->quoted() || !copy.as_number(ignored)) {
        ParamNode bad = *e.value;
        bad.set_origin(&node);
        return bad;
      }
    }
  }
  if (exact) {
    ParamNode value =
        ParamNode::scalar(exact->value->text(), exact->value->loc(), exact->value->path());
    value.set_origin(&node);
    return value;
  }
  const Trajectory t = step ? Trajectory::step(*knots) : Trajectory::linear(*knots);
  ParamNode value = ParamNode::scalar(shortest_text(t.at(year)), node.loc(), node.path());
  value.set_origin(&node);
  return value;
}

std::string knot_example(const ParamNode& patch, const ParamNode* base_value) {
  std::string knots;
  if (base_value && base_value->is_scalar() && !patch.entries().empty()) {
    int first = year_of(patch.entries().front().key);
    for (const auto& e : patch.entries()) first = std::min(first, year_of(e.key));
    knots = std::to_string(first - 1) + ": " + base_value->text();
  }
  for (const auto& e : patch.entries())
    knots += (knots.empty() ? "" : ", ") + e.key + ": " +
             (e.value->is_scalar() ? e.value->text() : std::string("..."));
  return "{" + knots + "}";
}

ParamNode evaluate(const ParamNode& node, int year, Diagnostics& diags, const ParamNode* beneath) {
  if (node.is_knot_patch()) {
    if (beneath && is_trajectory(*beneath)) {
      beneath->mark_all_used();  // its other knots are in effect
      return evaluate_trajectory(node, year, beneath);
    }
    const std::string& path = node.path();
    std::string message =
        path + ": --set " + path + ".YEAR sets one year of a trajectory, but the value in effect ";
    if (beneath && beneath->is_scalar())
      message += "is the constant " + beneath->text() +
                 (beneath->loc().file.empty() ? std::string() : " (" + beneath->loc().str() + ")");
    else
      message += "is not a trajectory";
    message += "; set the whole value instead, e.g. --set '" + path + "=" +
               knot_example(node, beneath) + "'";
    diags.error(node.loc(), message);
    node.mark_all_used();
    if (beneath) beneath->mark_all_used();
    return evaluate_trajectory(node, year, nullptr);
  }
  if (is_trajectory(node)) return evaluate_trajectory(node, year, nullptr);
  switch (node.kind()) {
    case ParamNode::Kind::Map: {
      ParamNode out(ParamNode::Kind::Map, node.loc(), node.path());
      out.set_origin(&node);
      for (const auto& e : node.entries()) {
        const ParamNode* under = beneath && beneath->is_map() ? beneath->peek(e.key) : nullptr;
        out.entries().push_back(
            {e.key, e.key_loc,
             std::make_unique<ParamNode>(evaluate(*e.value, year, diags, under))});
      }
      return out;
    }
    case ParamNode::Kind::Sequence: {
      ParamNode out(ParamNode::Kind::Sequence, node.loc(), node.path());
      out.set_origin(&node);
      for (const auto& item : node.items())
        out.items().push_back(evaluate(item, year, diags, nullptr));
      return out;
    }
    case ParamNode::Kind::Scalar: {
      ParamNode out = ParamNode::scalar(node.text(), node.loc(), node.path());
      out.set_quoted(node.quoted());
      out.set_origin(&node);
      return out;
    }
    case ParamNode::Kind::Null:
      break;
  }
  ParamNode out(ParamNode::Kind::Null, node.loc(), node.path());
  out.set_origin(&node);
  return out;
}

void collect_knot_years(const ParamNode& node, std::set<int>& years) {
  if (is_trajectory(node)) {
    for (const auto& e : knot_map(node).entries()) years.insert(year_of(e.key));
    return;
  }
  for (const auto& e : node.entries()) collect_knot_years(*e.value, years);
  for (const auto& i : node.items()) collect_knot_years(i, years);
}

}  // namespace

Trajectory Trajectory::constant(double value) {
  Trajectory t;
  t.knots_ = {{0, value}};
  return t;
}

Trajectory Trajectory::linear(std::vector<Knot> knots) {
  Trajectory t;
  t.form_ = Form::kLinear;
  t.knots_ = sorted(std::move(knots));
  if (t.knots_.empty()) t.knots_ = {{0, 0.0}};
  return t;
}

Trajectory Trajectory::step(std::vector<Knot> knots) {
  Trajectory t = linear(std::move(knots));
  t.form_ = Form::kStep;
  return t;
}

double Trajectory::at(int year) const {
  if (form_ == Form::kConstant || knots_.size() == 1 || year <= knots_.front().year)
    return knots_.front().value;
  if (year >= knots_.back().year) return knots_.back().value;
  std::size_t k = 1;
  while (knots_[k].year < year) ++k;
  // knots_[k - 1].year < year <= knots_[k].year
  if (knots_[k].year == year) return knots_[k].value;
  if (form_ == Form::kStep) return knots_[k - 1].value;
  const Knot& a = knots_[k - 1];
  const Knot& b = knots_[k];
  const double fraction = static_cast<double>(year - a.year) / static_cast<double>(b.year - a.year);
  return a.value + fraction * (b.value - a.value);
}

bool is_year_key(std::string_view key) {
  return key.size() == 4 &&
         std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_trajectory(const ParamNode& node) {
  const ParamRecorder::Pause pause;
  if (!node.is_map() || node.entries().empty()) return false;
  if (is_step(node)) return is_year_map(*node.entries().front().value);
  return is_year_map(node);
}

std::optional<Trajectory> read_trajectory(const ParamNode& node, Diagnostics& diags, double lo,
                                          double hi) {
  if (ParamRecorder* r = ParamRecorder::active())
    r->converted(node, ParamType::kNumber, lo, hi, /*trajectory=*/true);
  const ParamRecorder::Pause pause;
  if (!is_trajectory(node)) {
    const auto v = node.as_number(diags, lo, hi);
    if (!v) return std::nullopt;
    return Trajectory::constant(*v);
  }
  node.mark_all_used();
  std::vector<Trajectory::Knot> knots;
  bool ok = true;
  for (const auto& e : knot_map(node).entries()) {
    const auto v = e.value->as_number(diags, lo, hi);
    if (!v) {
      ok = false;
      continue;
    }
    knots.push_back({year_of(e.key), *v});
  }
  if (!ok) return std::nullopt;
  return is_step(node) ? Trajectory::step(std::move(knots)) : Trajectory::linear(std::move(knots));
}

ParamNode evaluated_at(const ParamNode& tree, int year, Diagnostics& diags,
                       const ParamNode* beneath) {
  const ParamRecorder::Pause pause;
  return evaluate(tree, year, diags, beneath);
}

std::vector<int> knot_years(const std::vector<const ParamNode*>& trees) {
  const ParamRecorder::Pause pause;
  std::set<int> years;
  for (const ParamNode* tree : trees)
    if (tree) collect_knot_years(*tree, years);
  return {years.begin(), years.end()};
}

}  // namespace plansim

#include "uncertainty/parameter_space.h"

#include <Eigen/Cholesky>
#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "core/param_record.h"
#include "core/trajectory.h"

namespace plansim {
namespace {

// One step of a path into a tree: a map key or a list index.
struct Step {
  std::string key;
  std::size_t index = 0;
  bool is_index = false;
};

std::string key_text(const std::vector<Step>& steps) {
  std::string out;
  for (const Step& s : steps) {
    if (s.is_index)
      out += "[" + std::to_string(s.index) + "]";
    else
      out += (out.empty() ? "" : ".") + s.key;
  }
  return out;
}

// Top-level scenario sections read before any replicate exists: no distribution may stand there.
constexpr const char* kFixedSections[] = {"run", "scenario", "city", "processes", "uncertainty"};

struct Found {
  const ParamNode* node;
  std::vector<Step> steps;  // from the tree's root (a city file: from the file's root)
};

void collect(const ParamNode& node, std::vector<Step>& steps, std::vector<Found>& out) {
  const ParamRecorder::Pause pause;  // a walk over every value, not a reader
  if (is_distribution(node)) {
    out.push_back({&node, steps});
    return;
  }
  if (node.is_map()) {
    for (const auto& e : node.entries()) {
      steps.push_back({e.key, 0, false});
      collect(*e.value, steps, out);
      steps.pop_back();
    }
  } else if (node.is_sequence()) {
    for (std::size_t i = 0; i < node.items().size(); ++i) {
      steps.push_back({"", i, true});
      collect(node.items()[i], steps, out);
      steps.pop_back();
    }
  }
}

// True when the scenario gives a value that replaces the one at `steps` (a path from the
// scenario's root): the path exists, or a value on the way replaces what lies below it whole (a
// number, a list, a distribution, a trajectory; a map of knots set with --set path.YEAR is laid
// over the trajectory beneath, so only its own years replace).
bool replaced_by(const ParamNode& scenario, const std::vector<Step>& steps) {
  const ParamNode* at = &scenario;
  for (const Step& step : steps) {
    if (!at || at->is_null()) return false;
    if (is_distribution(*at) || at->is_scalar()) return true;
    if (at->is_sequence()) return true;  // lists are replaced whole
    if (is_trajectory(*at) && !at->is_knot_patch()) return true;
    if (step.is_index) return false;  // a map where the city has a list: an error elsewhere
    at = at->peek(step.key);
  }
  return at && !at->is_null();
}

const boost::math::normal_distribution<double>& standard_normal() {
  static const boost::math::normal_distribution<double> n(0.0, 1.0);
  return n;
}

}  // namespace

std::string exact_number_text(double value) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, end) : number_text(value);
}

ParameterSpace ParameterSpace::find(const ParamNode& scenario, const ParamNode& city,
                                    std::uint64_t seed, Diagnostics& diags) {
  ParameterSpace space;
  space.seed_ = seed;
  // The distributions' own keys are no parameters (a describe pass, core/param_record.h).
  auto pause = std::make_unique<ParamRecorder::Pause>();
  std::map<std::string, std::size_t> draw_coordinate;  // shared draws by name
  std::map<std::string, std::size_t> city_coordinate;  // city parameters by key (incl. shadowed)
  std::vector<std::string> processes;
  if (const ParamNode* list = scenario.peek("processes"); list && list->is_sequence())
    for (const ParamNode& item : list->items())
      if (item.is_scalar()) processes.push_back(item.text());

  // Reads one distribution map: its coordinate (own, or the shared draw's) and distribution.
  // Read on a copy, so that the loaded tree's marks say only what the processes read.
  const auto read =
      [&](const Found& found, const std::string& key, bool in_city,
          std::optional<std::size_t> coordinate) -> std::optional<UncertainParameter> {
    const ParamNode copy = *found.node;
    space.locations_.push_back(found.node->loc());
    UncertainParameter p;
    p.key = key;
    p.in_city = in_city;
    p.loc = found.node->loc();
    p.node = found.node;
    if (const ParamNode* draw = copy.find("draw")) {
      if (const auto name = draw->as_string(diags)) {
        if (name->empty() || std::isdigit(static_cast<unsigned char>(name->front())))
          diags.error(draw->loc(), key +
                                       ".draw: a shared draw's name starts with a letter, e.g. "
                                       "draw: growth");
        p.draw = *name;
      }
    }
    const auto dist = read_distribution(copy, diags);
    if (!p.draw.empty()) {
      const auto [it, fresh] = draw_coordinate.emplace(p.draw, space.coordinates_);
      if (fresh) ++space.coordinates_;
      p.coordinate = it->second;
    } else if (coordinate) {
      p.coordinate = *coordinate;
    } else {
      p.coordinate = space.coordinates_++;
    }
    if (!dist) {
      space.invalid_.push_back(found.node);
      return std::nullopt;
    }
    p.distribution = *dist;
    return p;
  };

  // The city files, in name order: every distribution takes a coordinate.
  std::vector<UncertainParameter> city_parameters;
  std::vector<bool> shadowed;
  for (const auto& file : city.entries()) {
    std::vector<Found> found;
    std::vector<Step> steps;
    collect(*file.value, steps, found);
    for (const Found& f : found) {
      const std::string key = file.key + "." + key_text(f.steps);
      if (file.key == "uncertainty") {
        diags.error(f.node->loc(), key +
                                       ": uncertainty.yaml declares dependence between "
                                       "parameters; the distributions belong at the values");
        continue;
      }
      auto p = read(f, key, true, std::nullopt);
      if (!p) continue;
      city_coordinate.emplace(key, p->coordinate);
      // Shadowed when the scenario replaces the value: at the same key (economy.x ↔ economy:
      // {x}), or, for a file whose sections are process blocks (facilities.yaml ↔ eldercare:),
      // at the path below the stem.
      std::vector<Step> full{{file.key, 0, false}};
      full.insert(full.end(), f.steps.begin(), f.steps.end());
      bool hidden = replaced_by(scenario, full);
      if (!hidden && !f.steps.empty() && !f.steps.front().is_index &&
          std::find(processes.begin(), processes.end(), f.steps.front().key) != processes.end()) {
        hidden = replaced_by(scenario, f.steps);
        if (hidden) city_coordinate.emplace(key_text(f.steps), p->coordinate);
      }
      city_parameters.push_back(std::move(*p));
      shadowed.push_back(hidden);
    }
  }
  // The scenario: at a city parameter's key, that parameter's coordinate; else a new one.
  std::vector<UncertainParameter> scenario_parameters;
  {
    std::vector<Found> found;
    std::vector<Step> steps;
    collect(scenario, steps, found);
    for (const Found& f : found) {
      const std::string key = key_text(f.steps);
      const std::string section = f.steps.empty() ? "" : f.steps.front().key;
      if (std::find(std::begin(kFixedSections), std::end(kFixedSections), section) !=
          std::end(kFixedSections)) {
        diags.error(f.node->loc(), key + ": a distribution cannot stand in '" + section +
                                       ":' (it is read once, before the replicates draw their "
                                       "parameters); give a number");
        continue;
      }
      const auto at_city = city_coordinate.find(key);
      auto p = read(f, key, false,
                    at_city == city_coordinate.end() ? std::nullopt
                                                     : std::optional<std::size_t>(at_city->second));
      if (p) scenario_parameters.push_back(std::move(*p));
    }
  }
  // A shadowed city distribution is no parameter, but its file is still read (a base year reads
  // the city's own values): it reads as its median.
  for (std::size_t i = 0; i < city_parameters.size(); ++i)
    if (!shadowed[i])
      space.parameters_.push_back(std::move(city_parameters[i]));
    else
      space.replaced_.emplace_back(
          city_parameters[i].node,
          exact_number_text(city_parameters[i].distribution.quantile(0.5)));
  for (auto& p : scenario_parameters) space.parameters_.push_back(std::move(p));

  pause.reset();
  // The scenario's mode and the declared correlations (the city's first, then the scenario's).
  std::vector<const ParamNode*> correlation_lists;
  if (const ParamNode* file = city.peek("uncertainty")) {
    if (!file->is_map()) {
      diags.error(file->loc(), "uncertainty.yaml: expected a map with correlations");
    } else {
      if (const ParamNode* list = file->find("correlations")) correlation_lists.push_back(list);
      file->report_unused(diags);
    }
  }
  const ParamNode* vary = nullptr;  // uncertainty.vary: the only parameters drawn
  if (const ParamNode* block = scenario.find("uncertainty")) {
    if (!block->is_map()) {
      diags.error(block->loc(),
                  "uncertainty: expected a map with parameters (sampled | central), "
                  "correlations and/or posterior (a calibration's posterior file)");
    } else {
      const std::string mode = block->string("parameters", "sampled", diags);
      if (mode == "central") {
        space.mode_ = ParameterMode::Central;
      } else if (mode != "sampled") {
        const ParamNode* at = block->find("parameters");
        const std::string hint = closest_match(mode, {"sampled", "central"});
        diags.error(at->loc(), "uncertainty.parameters: unknown mode '" + mode + "' (" +
                                   (hint.empty() ? "" : "did you mean '" + hint + "'?; ") +
                                   "sampled: every replicate draws its values; central: every "
                                   "distribution at its median)");
      }
      if (const ParamNode* list = block->find("correlations")) correlation_lists.push_back(list);
      vary = block->find("vary");
      // A calibration's posterior file (read by cli/posterior_use.h).
      if (const ParamNode* posterior = block->find("posterior"))
        if (ParamRecorder* r = ParamRecorder::active())
          r->converted(*posterior, ParamType::kString, 0, 0);
      block->report_unused(diags);
    }
  }
  std::map<std::string, std::size_t> name_coordinate;
  for (const auto& p : space.parameters_) name_coordinate.emplace(p.key, p.coordinate);
  for (const auto& [name, c] : draw_coordinate) name_coordinate.emplace(name, c);
  std::vector<std::string> names;
  for (const auto& [name, c] : name_coordinate) names.push_back(name);
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> pair_index;
  for (const ParamNode* list : correlation_lists) {
    if (!list->is_sequence()) {
      diags.error(list->loc(), list->path() + ": expected a list of {between: [A, B], rho: R}");
      continue;
    }
    for (const ParamNode& item : list->items()) {
      if (!item.is_map()) {
        diags.error(item.loc(), item.path() + ": expected {between: [A, B], rho: R}");
        continue;
      }
      ParameterCorrelation c;
      c.loc = item.loc();
      const ParamNode* between = item.require("between", diags);
      c.rho = item.required_number("rho", diags, -1.0, 1.0);
      item.report_unused(diags);
      if (!between) continue;
      between->mark_all_used();
      if (!between->is_sequence() || between->items().size() != 2) {
        diags.error(between->loc(), item.path() +
                                        ".between: expected two names, [A, B] (a "
                                        "parameter's key or a shared draw's name)");
        continue;
      }
      bool ok = true;
      std::size_t coordinate[2] = {0, 0};
      std::string name[2];
      for (int i = 0; i < 2; ++i) {
        const ParamNode& n = between->items()[static_cast<std::size_t>(i)];
        name[i] = n.is_scalar() ? n.text() : "";
        const auto it = name_coordinate.find(name[i]);
        if (it == name_coordinate.end()) {
          const std::string hint = closest_match(name[i], names);
          diags.error(n.loc(), item.path() + ".between: '" + name[i] +
                                   "' is no uncertain parameter or shared draw of this run" +
                                   (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
          ok = false;
          continue;
        }
        coordinate[i] = it->second;
      }
      if (!ok) continue;
      if (coordinate[0] == coordinate[1]) {
        diags.error(between->loc(), item.path() + ".between: '" + name[0] + "' and '" + name[1] +
                                        "' share one draw already");
        continue;
      }
      if (std::fabs(c.rho) >= 1.0) {
        const ParamNode* rho = item.find("rho");
        diags.error(rho ? rho->loc() : item.loc(),
                    item.path() + ".rho: " + number_text(c.rho) +
                        " must lie strictly between -1 and 1 (for a perfect dependence, give "
                        "both parameters the same `draw:`)");
        continue;
      }
      c.first = name[0];
      c.second = name[1];
      c.first_coordinate = std::min(coordinate[0], coordinate[1]);
      c.second_coordinate = std::max(coordinate[0], coordinate[1]);
      // The same pair again (the scenario over the city): the later one holds.
      const auto key = std::make_pair(c.first_coordinate, c.second_coordinate);
      if (const auto it = pair_index.find(key); it != pair_index.end()) {
        space.correlations_[it->second] = c;
      } else {
        pair_index.emplace(key, space.correlations_.size());
        space.correlations_.push_back(c);
      }
    }
  }
  if (!space.correlations_.empty()) {
    std::set<std::size_t> involved;
    for (const auto& c : space.correlations_) {
      involved.insert(c.first_coordinate);
      involved.insert(c.second_coordinate);
    }
    space.correlated_.assign(involved.begin(), involved.end());
    const auto n = static_cast<Eigen::Index>(space.correlated_.size());
    Eigen::MatrixXd matrix = Eigen::MatrixXd::Identity(n, n);
    const auto index = [&](std::size_t coordinate) {
      return static_cast<Eigen::Index>(
          std::lower_bound(space.correlated_.begin(), space.correlated_.end(), coordinate) -
          space.correlated_.begin());
    };
    for (const auto& c : space.correlations_) {
      matrix(index(c.first_coordinate), index(c.second_coordinate)) = c.rho;
      matrix(index(c.second_coordinate), index(c.first_coordinate)) = c.rho;
    }
    const Eigen::LLT<Eigen::MatrixXd> llt(matrix);
    if (llt.info() != Eigen::Success) {
      diags.error(space.correlations_.front().loc,
                  "uncertainty correlations: these correlations cannot hold together (their "
                  "matrix is not positive definite); weaken some of them");
    } else {
      space.cholesky_ = llt.matrixL();
    }
  }
  if (space.coordinates_ > SobolDesign::kMaxDimensions)
    diags.error(scenario.loc(), "uncertainty: " + std::to_string(space.coordinates_) +
                                    " distributions; the design supports at most " +
                                    std::to_string(SobolDesign::kMaxDimensions));
  else if (space.coordinates_ > 0)
    space.design_ = std::make_shared<SobolDesign>(space.coordinates_, seed);
  // uncertainty.vary: [name, ...] draws only the parameters named (a key, a path above keys, or a
  // shared draw's name); every other distribution reads as its median and keeps its coordinate,
  // so the drawn ones take the values they take without the list.
  if (vary) {
    if (!vary->is_sequence()) {
      diags.error(vary->loc(),
                  "uncertainty.vary: expected a list of parameter keys, paths or "
                  "draw names, e.g. [demography.fertility.tfr, migration]");
    } else {
      const auto under = [](const std::string& key, const std::string& path) {
        return key == path || (key.size() > path.size() && key.compare(0, path.size(), path) == 0 &&
                               (key[path.size()] == '.' || key[path.size()] == '['));
      };
      std::vector<std::string> names;
      for (const ParamNode& item : vary->items()) {
        if (!item.is_scalar() || item.text().empty()) {
          diags.error(item.loc(), "uncertainty.vary: expected a parameter key, path or draw name");
          continue;
        }
        const bool any = std::any_of(space.parameters_.begin(), space.parameters_.end(),
                                     [&](const UncertainParameter& p) {
                                       return under(p.key, item.text()) || p.draw == item.text();
                                     });
        // A name of a value the scenario fixes (e.g. with --set) holds nothing, and is no typo.
        const auto fixed_in_scenario = [&](const std::string& path) {
          const ParamNode* node = &scenario;
          std::size_t from = 0;
          while (node && from <= path.size()) {
            const std::size_t dot = path.find('.', from);
            const std::string part = path.substr(from, dot == std::string::npos ? dot : dot - from);
            if (!node->is_map()) return true;  // a number where the path goes on covers it
            node = node->peek(part);
            if (dot == std::string::npos) break;
            from = dot + 1;
          }
          return node != nullptr;
        };
        if (!any && !fixed_in_scenario(item.text())) {
          std::vector<std::string> keys;
          for (const auto& p : space.parameters_) keys.push_back(p.key);
          const std::string hint = closest_match(item.text(), keys);
          diags.error(item.loc(), "uncertainty.vary: '" + item.text() +
                                      "' names no uncertain parameter of this scenario" +
                                      (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
        }
        names.push_back(item.text());
      }
      const auto held = [&](const UncertainParameter& p) {
        return std::none_of(names.begin(), names.end(),
                            [&](const std::string& n) { return under(p.key, n) || p.draw == n; });
      };
      for (const auto& p : space.parameters_)
        if (held(p))
          space.replaced_.emplace_back(p.node, exact_number_text(p.distribution.quantile(0.5)));
      space.parameters_.erase(
          std::remove_if(space.parameters_.begin(), space.parameters_.end(), held),
          space.parameters_.end());
    }
  }
  return space;
}

void ParameterSpace::apply_correlations(std::vector<double>& unit) const {
  if (correlated_.empty() || cholesky_.size() == 0) return;
  const auto n = static_cast<Eigen::Index>(correlated_.size());
  Eigen::VectorXd z(n);
  for (Eigen::Index i = 0; i < n; ++i)
    z(i) = boost::math::quantile(standard_normal(), unit[correlated_[static_cast<std::size_t>(i)]]);
  const Eigen::VectorXd correlated = cholesky_ * z;
  for (Eigen::Index i = 0; i < n; ++i) {
    // Kept inside (0, 1): a quantile of 0 or 1 is infinite for unbounded distributions.
    const double u = boost::math::cdf(standard_normal(), correlated(i));
    unit[correlated_[static_cast<std::size_t>(i)]] = std::clamp(u, 0x1.0p-33, 1.0 - 0x1.0p-33);
  }
}

std::vector<double> ParameterSpace::values_at(const std::vector<double>& unit) const {
  std::vector<double> u = unit;
  apply_correlations(u);
  std::vector<double> out;
  out.reserve(parameters_.size());
  for (const auto& p : parameters_) out.push_back(p.distribution.quantile(u.at(p.coordinate)));
  return out;
}

std::vector<double> ParameterSpace::values(std::uint32_t replicate) const {
  if (mode_ == ParameterMode::Central || !design_) return central();
  return values_at(design_->point(replicate));
}

std::vector<double> ParameterSpace::central() const {
  std::vector<double> out;
  out.reserve(parameters_.size());
  for (const auto& p : parameters_) out.push_back(p.distribution.quantile(0.5));
  return out;
}

namespace {

ParamNode realised(const ParamNode& node,
                   const std::unordered_map<const ParamNode*, const std::string*>& values) {
  if (const auto it = values.find(&node); it != values.end()) {
    ParamNode value = ParamNode::scalar(*it->second, node.loc(), node.path());
    value.set_origin(&node);
    return value;
  }
  ParamNode out;
  switch (node.kind()) {
    case ParamNode::Kind::Scalar:
      out = ParamNode::scalar(node.text(), node.loc(), node.path());
      out.set_quoted(node.quoted());
      break;
    case ParamNode::Kind::Map:
      out = ParamNode(ParamNode::Kind::Map, node.loc(), node.path());
      out.entries().reserve(node.entries().size());
      for (const auto& e : node.entries())
        out.entries().push_back(
            {e.key, e.key_loc, std::make_unique<ParamNode>(realised(*e.value, values))});
      break;
    case ParamNode::Kind::Sequence:
      out = ParamNode(ParamNode::Kind::Sequence, node.loc(), node.path());
      out.items().reserve(node.items().size());
      for (const auto& item : node.items()) out.items().push_back(realised(item, values));
      break;
    case ParamNode::Kind::Null:
      out = ParamNode(ParamNode::Kind::Null, node.loc(), node.path());
      break;
  }
  out.set_knot_patch(node.is_knot_patch());
  out.set_origin(&node);
  return out;
}

}  // namespace

ParamNode ParameterSpace::realise(const ParamNode& tree, const std::vector<double>& values) const {
  const ParamRecorder::Pause pause;
  std::vector<std::string> texts;
  texts.reserve(parameters_.size());
  for (std::size_t i = 0; i < parameters_.size(); ++i)
    texts.push_back(exact_number_text(i < values.size() ? values[i] : 0.0));
  std::unordered_map<const ParamNode*, const std::string*> by_node;
  for (std::size_t i = 0; i < parameters_.size(); ++i)
    by_node.emplace(parameters_[i].node, &texts[i]);
  // A distribution find() refused reads as no number, so that its reader reports nothing new
  // beyond an error at its location (which the caller leaves out).
  static const std::string kNoNumber = "nan";
  for (const ParamNode* node : invalid_) by_node.emplace(node, &kNoNumber);
  for (const auto& [node, median] : replaced_) by_node.emplace(node, &median);
  return realised(tree, by_node);
}

void ParameterSpace::drop_replaced(const std::vector<std::string>& scenario_paths) {
  const auto under = [](const std::string& key, const std::string& path) {
    return key == path || (key.size() > path.size() && key.compare(0, path.size(), path) == 0 &&
                           (key[path.size()] == '.' || key[path.size()] == '['));
  };
  const auto replaced = [&](const UncertainParameter& p) {
    const std::size_t dot = p.key.find('.');
    const std::string below_stem =
        p.in_city && dot != std::string::npos ? p.key.substr(dot + 1) : std::string();
    return std::any_of(scenario_paths.begin(), scenario_paths.end(), [&](const std::string& s) {
      return under(p.key, s) || (!below_stem.empty() && under(below_stem, s));
    });
  };
  for (const auto& p : parameters_)
    if (replaced(p))
      replaced_.emplace_back(p.node, exact_number_text(p.distribution.quantile(0.5)));
  parameters_.erase(std::remove_if(parameters_.begin(), parameters_.end(), replaced),
                    parameters_.end());
}

void ParameterSpace::keep_read() {
  parameters_.erase(std::remove_if(parameters_.begin(), parameters_.end(),
                                   [](const UncertainParameter& p) { return !p.node->was_read(); }),
                    parameters_.end());
}

std::string ParameterSpace::describe() const {
  if (parameters_.empty()) return "no uncertain parameters";
  std::size_t in_city = 0;
  std::set<std::string> draws;
  for (const auto& p : parameters_) {
    in_city += p.in_city;
    if (!p.draw.empty()) draws.insert(p.draw);
  }
  const std::size_t n = parameters_.size();
  std::string text = std::to_string(n) + " uncertain parameter" + (n == 1 ? "" : "s");
  if (in_city == n)
    text += " (city config)";
  else if (in_city == 0)
    text += " (scenario)";
  else
    text += " (" + std::to_string(in_city) + " city config, " + std::to_string(n - in_city) +
            " scenario)";
  if (!draws.empty())
    text += ", " + std::to_string(draws.size()) + " shared draw" + (draws.size() == 1 ? "" : "s");
  if (!correlations_.empty())
    text += ", " + std::to_string(correlations_.size()) + " correlation" +
            (correlations_.size() == 1 ? "" : "s");
  if (mode_ == ParameterMode::Central) text += ", held at their medians";
  return text;
}

}  // namespace plansim

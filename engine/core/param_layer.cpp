#include "core/param_layer.h"

namespace plansim {
namespace {

const ParamNode* map_or_null(const ParamNode* n, Diagnostics& diags) {
  if (!n || n->is_null()) return nullptr;
  if (!n->is_map()) {
    diags.error(n->loc(), (n->path().empty() ? std::string("value") : n->path()) +
                              ": expected a map of parameters");
    return nullptr;
  }
  return n;
}

}  // namespace

ParamLayer::ParamLayer(const ParamNode* city, const ParamNode* scenario, Diagnostics& diags)
    : city_(map_or_null(city, diags)), scenario_(map_or_null(scenario, diags)), diags_(diags) {}

ParamLayer ParamLayer::section(std::string_view key) const {
  return ParamLayer(city_ ? city_->find(key) : nullptr, scenario_ ? scenario_->find(key) : nullptr,
                    diags_);
}

double ParamLayer::number(std::string_view key, double fallback, double lo, double hi) const {
  const double v = city_ ? city_->number(key, fallback, diags_, lo, hi) : fallback;
  return scenario_ ? scenario_->number(key, v, diags_, lo, hi) : v;
}

double ParamLayer::positive_number(std::string_view key, double fallback, double hi) const {
  const double v = number(key, fallback, 0.0, hi);
  if (v <= 0.0) {
    const ParamNode* n = effective(key);
    if (n) diags_.error(n->loc(), n->path() + ": " + n->text() + " must be greater than 0");
    return fallback;
  }
  return v;
}

int ParamLayer::integer(std::string_view key, int fallback, int lo, int hi) const {
  auto v = static_cast<int>(city_ ? city_->integer(key, fallback, diags_, lo, hi) : fallback);
  return scenario_ ? static_cast<int>(scenario_->integer(key, v, diags_, lo, hi)) : v;
}

bool ParamLayer::boolean(std::string_view key, bool fallback) const {
  const bool v = city_ ? city_->boolean(key, fallback, diags_) : fallback;
  return scenario_ ? scenario_->boolean(key, v, diags_) : v;
}

std::string ParamLayer::string(std::string_view key, const std::string& fallback) const {
  std::string v = city_ ? city_->string(key, fallback, diags_) : fallback;
  return scenario_ ? scenario_->string(key, v, diags_) : v;
}

const ParamNode* ParamLayer::effective(std::string_view key) const {
  const ParamNode* s = scenario_ ? scenario_->peek(key) : nullptr;
  return s ? s : (city_ ? city_->peek(key) : nullptr);
}

}  // namespace plansim

#include "economy/economy_interventions.h"

#include <algorithm>
#include <utility>

namespace plansim::economy {

double PolicyPath::at(int year) const {
  if (year < first_year) return 0;
  if (year <= last_year) return levels.at(year);
  const double last = levels.at(last_year);
  if (recovery_years == kNeverRecovers) return last;
  if (recovery_years == 0) return 0;
  // Linear return to the baseline, reached recovery_years after the last year.
  const double left = 1 - static_cast<double>(year - last_year) / recovery_years;
  return left > 0 ? last * left : 0.0;
}

double EconomyPolicies::demand_level(std::size_t s, int year) const {
  double level = 1;
  for (const PolicyPath& shock : demand_shocks)
    if (shock.sector == s) level *= 1 + shock.at(year);
  return level;
}

double EconomyPolicies::rd_subsidy_rate(std::size_t s, int year) const {
  double rate = 0;
  for (const PolicyPath& subsidy : rd_subsidies)
    if (subsidy.sector == s) rate = std::max(rate, subsidy.at(year));
  return rate;
}

const EconomyPolicies& economy_policies(const World& world) {
  static const EconomyPolicies none;
  const EconomyPolicies* policies = world.modules.find<EconomyPolicies>();
  return policies ? *policies : none;
}

CitySectors CitySectors::read(CityReadContext& ctx) {
  CitySectors sectors;
  const ParamNode* table = ctx.file && ctx.file->is_map() ? ctx.file->peek("sectors") : nullptr;
  if (!table || !table->is_sequence()) return sectors;
  for (const ParamNode& row : table->items()) {
    const ParamNode* key = row.is_map() ? row.peek("key") : nullptr;
    sectors.keys.push_back(key && key->is_scalar() ? key->text() : std::string());
  }
  return sectors;
}

namespace {

/// Hands its path to the economy in the first year of its schedule; the path itself says what
/// happens in the later years, including those after the schedule (the recovery).
class EconomyPathAction final : public InterventionAction {
 public:
  EconomyPathAction(bool shock, PolicyPath path) : shock_(shock), path_(std::move(path)) {}
  void apply(InterventionContext& ctx) override {
    if (ctx.year != ctx.schedule.first_year) return;
    EconomyPolicies& policies = ctx.world.modules.ensure<EconomyPolicies>();
    (shock_ ? policies.demand_shocks : policies.rd_subsidies).push_back(path_);
  }

 private:
  bool shock_;
  PolicyPath path_;
};

bool read_sector(InterventionParseContext& ctx, std::size_t& sector) {
  const std::string key = ctx.body.required_string("sector", ctx.diags);
  const ParamNode* n = ctx.body.find("sector");
  if (!n || key.empty()) return false;
  const std::vector<std::string>& known = ctx.configure.city_data<CitySectors>().keys;
  const auto it = std::find(known.begin(), known.end(), key);
  if (it != known.end()) {
    sector = static_cast<std::size_t>(it - known.begin());
    return true;
  }
  std::string message = n->path() + ": unknown sector '" + key + "'";
  const std::string hint = closest_match(key, known);
  message += hint.empty() ? " (sectors: " : " (did you mean '" + hint + "'?; sectors: ";
  for (std::size_t i = 0; i < known.size(); ++i) message += (i ? ", " : "") + known[i];
  ctx.diags.error(n->loc(), message + ")");
  return false;
}

}  // namespace

std::unique_ptr<InterventionAction> parse_economy_action(InterventionParseContext& ctx) {
  // Every key is read whatever fails first, so that all the block's errors are reported at once.
  const bool shock = ctx.action == "demand_shock";
  const char* value_key = shock ? "level" : "rate";
  const std::string example = shock ? "{sector: modern_commerce, level: {2022: -0.10, 2023: "
                                      "-0.06}, recovery_years: 3}"
                                    : "{sector: tech_services, rate: 0.3}";
  bool ok = ctx.require_process(
      "economy", shock ? "it holds the sectors' external demand" : "it holds the sectors' R&D");
  // The base year is the economy's calibration year: it reproduces the published figures.
  if (ctx.schedule.first_year <= ctx.run.start_year) {
    const ParamNode* when = ctx.item.find("year") ? ctx.item.find("year") : ctx.item.find("years");
    const ParamNode& at = when ? *when : ctx.item;
    ctx.diags.error(at.loc(), at.path() + ": " + ctx.action + " starts in " +
                                  std::to_string(ctx.schedule.first_year) +
                                  ", not after run.start (" + std::to_string(ctx.run.start_year) +
                                  ", the base year, which reproduces the published figures)");
    ok = false;
  }
  PolicyPath path;
  path.first_year = ctx.schedule.first_year;
  path.last_year = ctx.schedule.last_year;
  ok &= read_sector(ctx, path.sector);
  // The earlier form under economy: gave the years inside the block.
  if (const ParamNode* years = ctx.body.peek("years")) {  // peek: not a key to document
    ctx.diags.error(years->loc(), years->path() + ": the years of " + ctx.action +
                                      " are the intervention's own (year: or years: beside it); " +
                                      "give the " + (shock ? "levels" : "rates") + " by year as `" +
                                      value_key + ":`, e.g. " + example);
    years->mark_all_used();
    ok = false;
  }
  if (const ParamNode* value = ctx.body.require(value_key, ctx.diags)) {
    // A shock may take up to 95% of the demand away or multiply it; a subsidy pays at most 90%.
    const double lo = shock ? -0.95 : 0.0, hi = shock ? 10.0 : 0.9;
    if (std::optional<Trajectory> levels = read_trajectory(*value, ctx.diags, lo, hi)) {
      path.levels = std::move(*levels);
      // A knot outside the schedule would never be reached (before) or never count (after).
      const ParamNode* knots = value;
      if (value->is_map() && value->entries().size() == 1 && value->entries().front().key == "step")
        knots = value->entries().front().value.get();
      for (const Trajectory::Knot& k : path.levels.knots()) {
        if (path.levels.form() == Trajectory::Form::kConstant) break;  // a number: no years
        if (k.year >= path.first_year && k.year <= path.last_year) continue;
        const ParamNode* knot = knots->is_map() ? knots->peek(std::to_string(k.year)) : nullptr;
        const ParamNode& at = knot ? *knot : *value;
        ctx.diags.error(at.loc(), at.path() + ": " + std::to_string(k.year) +
                                      " is outside the intervention's years (" +
                                      std::to_string(path.first_year) + "-" +
                                      std::to_string(path.last_year) + ")");
        ok = false;
      }
    } else {
      ok = false;
    }
  } else {
    ok = false;
  }
  if (const ParamNode* r = ctx.body.find("recovery_years")) {
    if (r->is_scalar() && !r->quoted() && r->text() == "never") {
      r->mark_all_used();
      path.recovery_years = PolicyPath::kNeverRecovers;
    } else if (const auto v = r->as_integer(ctx.diags, 0, 100)) {
      path.recovery_years = static_cast<int>(*v);
    } else {
      ok = false;
    }
  }
  if (!ok) return nullptr;
  return std::make_unique<EconomyPathAction>(shock, std::move(path));
}

void add_economy_handlers(PolicyProcess& policy) {
  for (const char* action : {"demand_shock", "rd_subsidy"})
    policy.add_handler(action, parse_economy_action);
}

}  // namespace plansim::economy

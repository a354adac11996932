// The TOD interventions as actions of the policy process (engine/policy).
//
// The space module parses and applies the interventions (space/tod.h); these are the policy
// process's handlers for them, so the include goes from policy to space and never back. The
// PolicyProcess constructor (engine/policy/policy.cpp) calls add_tod_handlers(*this), as
// engine/policy/README.md asks of new actions.
//
// Scenario syntax (see space/tod.h for each action's keys):
//   policy:
//     interventions:
//       - {year: 2022, open_stations: {line: "6", section: west}}
//       - {year: 2022, upzone: {line: "6", section: west, radius_m: 800, residential_capacity:
//       "+30%"}}
//
// The policy parse context carries no city config, so line, section, station and zone names are
// checked when the run starts, against the World's metro network and zones (InputError at the
// name's location); the form of each action is checked at configure.
#pragma once

#include <memory>
#include <utility>

#include "policy/policy.h"
#include "space/tod.h"

namespace plansim {

/// One TOD intervention; it changes the World once, in the first year of its schedule.
class TodAction final : public InterventionAction {
 public:
  explicit TodAction(TodIntervention intervention) : intervention_(std::move(intervention)) {}
  void apply(InterventionContext& ctx) override {
    if (ctx.year == ctx.schedule.first_year) apply_tod_intervention(ctx.world, intervention_);
  }
  const TodIntervention& intervention() const { return intervention_; }

 private:
  TodIntervention intervention_;
};

/// Parser of open_stations, upzone and mixed_use for PolicyProcess::add_handler.
inline std::unique_ptr<InterventionAction> parse_tod_action(InterventionParseContext& ctx) {
  if (ctx.schedule.years() > 1) {
    const ParamNode* years = ctx.item.find("years");
    ctx.diags.error(years ? years->loc() : ctx.item.loc(),
                    ctx.item.path() + ": " + ctx.action +
                        " happens once: give `year:` (the year it takes effect), not a range");
    ctx.body.mark_all_used();
    return nullptr;
  }
  TodIntervention intervention;
  if (!parse_tod_intervention(ctx.action, ctx.body, ctx.schedule.first_year, TodCatalog{},
                              ctx.diags, intervention))
    return nullptr;
  return std::make_unique<TodAction>(std::move(intervention));
}

/// Registers the three TOD actions with a policy process.
inline void add_tod_handlers(PolicyProcess& policy) {
  for (const char* action : {"open_stations", "upzone", "mixed_use"})
    policy.add_handler(action, parse_tod_action);
}

}  // namespace plansim

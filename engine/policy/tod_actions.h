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
// Line, section, station and zone names are checked at configure against the city catalogue's
// metro network and zones (the same ones the housing process installs), and the scenario must
// run the housing process; so `plansim check` rejects what the run would.
#pragma once

#include <memory>
#include <utility>

#include "policy/policy.h"
#include "population/city_zones.h"
#include "space/space_config.h"
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
  // Stations and zone capacities live in the housing process's land use (and metro.yaml is the
  // housing process's file: without it, its other keys would go unread).
  if (!ctx.require_process("housing", "it holds the land use and the metro")) {
    ctx.body.mark_all_used();
    return nullptr;
  }
  const TodCatalog catalog = make_tod_catalog(ctx.configure.city_data<CityZones>().keys(),
                                              ctx.configure.city_data<CityMetro>().lines);
  TodIntervention intervention;
  if (!parse_tod_intervention(ctx.action, ctx.body, ctx.schedule.first_year, catalog, ctx.diags,
                              intervention))
    return nullptr;
  return std::make_unique<TodAction>(std::move(intervention));
}

/// Registers the three TOD actions with a policy process.
inline void add_tod_handlers(PolicyProcess& policy) {
  for (const char* action : {"open_stations", "upzone", "mixed_use"})
    policy.add_handler(action, parse_tod_action);
}

}  // namespace plansim

// The TOD interventions as actions of the policy process (policy/policy.h, the calendar and the
// handler registry): the space module parses and applies them (space/tod.h) and registers them
// (add_tod_handlers, called where the processes are registered, cli/register_builtin.cpp), so
// the include goes from space to policy and never back.
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
std::unique_ptr<InterventionAction> parse_tod_action(InterventionParseContext& ctx);

/// Registers the three TOD actions with a policy process.
void add_tod_handlers(PolicyProcess& policy);

}  // namespace plansim

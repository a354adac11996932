// The "policy" process (ProcessId 4): applies the scenario's interventions on the calendar.
//
// Scenario syntax (the core hands each process its own block, so the list lives under policy:):
//   policy:
//     interventions:
//       - {year: 2022, add_places: {kind: kindergarten, zone: xushui, places: 540}}
//       - {years: 2021-2025, add_beds: {zone: liuhu, beds_per_year: 200}}
//       - {year: 2024, close_facility: {name: "Linshanzhai kindergarten 3"}}
// Each item has `year: Y` or `years: A-B` (also `[A, B]`) inside the run, and exactly one action.
// Actions are looked up in a table of handlers (add_handler) that the modules fill with their
// own actions (services: add_places, add_beds, open_facility, close_facility, hire_staff; space:
// open_stations, upzone, mixed_use; economy: demand_shock, rd_subsidy); this module depends on
// core only. `policy` must come before economy, education, eldercare, health and housing in
// `processes:` (its declared order, checked at configure) so that a year's changes count in that
// year.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/process.h"

namespace plansim {

/// When and how an intervention runs, handed to its action.
struct InterventionSchedule {
  int first_year = 0;
  int last_year = 0;
  int years() const { return last_year - first_year + 1; }
  /// 1-based count of this year within the schedule (1 in the first year).
  int nth(int year) const { return year - first_year + 1; }
};

/// What an action sees while the run goes on.
struct InterventionContext {
  World& world;
  int year;
  double scale;  // run.scale: amounts in whole-city units are multiplied by it
  const InterventionSchedule& schedule;
};

/// One parsed intervention action. apply() is called in each year of its schedule, in list
/// order. Every input error is found when the action is parsed (at configure, so `plansim check`
/// reports it); apply() does not fail on input.
struct InterventionCheckContext;

class InterventionAction {
 public:
  virtual ~InterventionAction() = default;
  virtual void apply(InterventionContext& ctx) = 0;
  /// The configure-time rehearsal of the calendar: called in each year of the schedule, years in
  /// order and, within a year, in list order (as apply()), for what depends on earlier actions
  /// (e.g. closing a facility that an earlier one opened). Errors go to ctx.diags.
  virtual void check(InterventionCheckContext&) {}
  /// Called once per replicate before the first year: forget what earlier replicates did.
  virtual void reset() {}
};

/// What a handler sees while parsing its action's block.
struct InterventionParseContext {
  const ParamNode& item;  // the whole list item ({year: ..., add_places: {...}})
  const ParamNode& body;  // the action's own block ({kind: ..., zone: ..., places: ...})
  std::string action;     // the action key, e.g. "add_places"
  InterventionSchedule schedule;
  const RunSettings& run;
  /// The policy process's configure context: the city catalogue (`configure.city_data<T>()`)
  /// every name is checked against, and the processes the scenario runs (`configure.runs()`).
  /// An action is fully checked here: what parses, applies.
  ConfigureContext& configure;
  Diagnostics& diags;

  /// Records an error (at the action key) unless the scenario runs `process`; false then.
  bool require_process(std::string_view process, std::string_view why) {
    if (configure.runs(process)) return true;
    SourceLoc loc = item.loc();
    for (const auto& e : item.entries())
      if (e.key == action) loc = e.key_loc;
    diags.error(loc, item.path() + "." + action + ": needs the " + std::string(process) +
                         " process (" + std::string(why) +
                         "), which the scenario does not run (add '" + std::string(process) +
                         "' to processes:)");
    return false;
  }
};

/// What an action sees in its check() (InterventionAction::check).
struct InterventionCheckContext {
  ConfigureContext& configure;
  int year;
  const InterventionSchedule& schedule;
  /// State the actions of one scenario share during the rehearsal (one object per type, e.g.
  /// the facilities open in each year), created by the module that needs it.
  ModuleData& plan;
  Diagnostics& diags;
};

/// Parses an action block; records every problem in ctx.diags; returns nullptr when unusable.
using InterventionParser =
    std::function<std::unique_ptr<InterventionAction>(InterventionParseContext& ctx)>;

class PolicyProcess final : public Process {
 public:
  /// Adds (or replaces) the handler of an action key. The modules register their actions
  /// (services/interventions.h, space/tod_interventions.h, economy/economy_interventions.h) where
  /// the processes are registered
  /// (cli/register_builtin.cpp); a policy process without handlers knows no action.
  void add_handler(std::string action, InterventionParser parser);
  std::vector<std::string> action_names() const;

  void configure(ConfigureContext& ctx) override;
  void initialize(StepContext& ctx) override;
  /// Applies the interventions due this year, in list order.
  void step(StepContext& ctx) override;

  struct Scheduled {
    std::string path;  // e.g. "policy.interventions[2]"
    std::string action;
    InterventionSchedule schedule;
    std::unique_ptr<InterventionAction> act;
  };
  const std::vector<Scheduled>& interventions() const { return interventions_; }

 private:
  void parse_item(const ParamNode& item, ConfigureContext& ctx);
  std::vector<std::pair<std::string, InterventionParser>> handlers_;
  std::vector<Scheduled> interventions_;
};

}  // namespace plansim

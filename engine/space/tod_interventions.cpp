#include "space/tod_interventions.h"

#include "population/city_zones.h"
#include "space/space_config.h"

namespace plansim {

std::unique_ptr<InterventionAction> parse_tod_action(InterventionParseContext& ctx) {
  // Every problem of the block is reported at once: a range of years or a missing housing process
  // does not hide the errors of the action's own keys.
  bool ok = true;
  if (ctx.schedule.years() > 1) {
    const ParamNode* years = ctx.item.find("years");
    ctx.diags.error(years ? years->loc() : ctx.item.loc(),
                    ctx.item.path() + ": " + ctx.action +
                        " happens once: give `year:` (the year it takes effect), not a range");
    ok = false;
  }
  // Stations and zone capacities live in the housing process's land use.
  ok &= ctx.require_process("housing", "it holds the land use and the metro");
  const TodCatalog catalog = make_tod_catalog(ctx.configure.city_data<CityZones>().keys(),
                                              ctx.configure.city_data<CityMetro>().lines);
  TodIntervention intervention;
  ok &= parse_tod_intervention(ctx.action, ctx.body, ctx.schedule.first_year, catalog, ctx.diags,
                               intervention);
  if (!ok) return nullptr;
  return std::make_unique<TodAction>(std::move(intervention));
}

void add_tod_handlers(PolicyProcess& policy) {
  for (const char* action : {"open_stations", "upzone", "mixed_use"})
    policy.add_handler(action, parse_tod_action);
}

}  // namespace plansim

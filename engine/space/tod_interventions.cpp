#include "space/tod_interventions.h"

#include "population/city_zones.h"
#include "space/space_config.h"

namespace plansim {

std::unique_ptr<InterventionAction> parse_tod_action(InterventionParseContext& ctx) {
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

void add_tod_handlers(PolicyProcess& policy) {
  for (const char* action : {"open_stations", "upzone", "mixed_use"})
    policy.add_handler(action, parse_tod_action);
}

}  // namespace plansim

#include "cli/register_builtin.h"

#include "indicators/demographic_indicators.h"
#include "population/demography.h"
#include "population/synthesis.h"

namespace plansim {

void register_builtin_processes(Registry& registry) {
  registry.add("synthesis", 1, "base-year synthetic population: persons in households by zone (IPF)",
               [] { return std::make_unique<SynthesisProcess>(); });
  registry.add("demography", 2,
               "ageing, mortality, fertility, unions and households, migration",
               [] { return std::make_unique<DemographyProcess>(); });
  registry.add("indicators", 3, "population stocks, crude rates and zone panels of each year",
               [] { return std::make_unique<DemographicIndicators>(); });
}

}  // namespace plansim

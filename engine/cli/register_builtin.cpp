#include "cli/register_builtin.h"

#include "economy/economy.h"
#include "indicators/demographic_indicators.h"
#include "indicators/exogenous.h"
#include "policy/policy.h"
#include "population/demography.h"
#include "population/synthesis.h"
#include "services/education.h"
#include "services/eldercare.h"
#include "services/health.h"
#include "services/interventions.h"
#include "space/housing.h"
#include "space/tod_interventions.h"

namespace plansim {

void register_builtin_processes(Registry& registry) {
  registry.add("synthesis", 1,
               "base-year synthetic population: persons in households by zone (IPF)",
               [] { return std::make_unique<SynthesisProcess>(); });
  registry.add("demography", 2, "ageing, mortality, fertility, unions and households, migration",
               [] { return std::make_unique<DemographyProcess>(); });
  registry.add("indicators", 3, "population stocks, crude rates and zone panels of each year",
               [] { return std::make_unique<DemographicIndicators>(); });
  registry.add("policy", 4,
               "scenario interventions on the calendar (places, beds, facilities, staff, stations, "
               "upzoning)",
               []() -> std::unique_ptr<Process> {
                 auto policy = std::make_unique<PolicyProcess>();
                 add_facility_handlers(*policy);  // services/interventions.h
                 add_tod_handlers(*policy);       // space/tod_interventions.h
                 return policy;
               });
  registry.add("education", 5, "kindergarten and school places allocated by distance",
               [] { return std::make_unique<EducationProcess>(); });
  registry.add("eldercare", 6, "care needs, institutional demand, beds and waiting lists",
               [] { return std::make_unique<EldercareProcess>(); });
  registry.add("health", 7, "doctors, nurses, beds, access; life expectancy from simulated deaths",
               [] { return std::make_unique<HealthProcess>(); });
  registry.add("economy", 8, "firms, labour market, wages, income, consumption, GDP",
               [] { return std::make_unique<EconomyProcess>(); });
  registry.add("housing", 9,
               "metro network and accessibility, relocation, location choice, prices, building",
               [] { return std::make_unique<HousingProcess>(); });
  registry.add("exogenous", 11,
               "exogenous plan indicators (environment, energy, …) from scenario trajectories; "
               "validates the plan targets",
               [] { return std::make_unique<ExogenousIndicators>(); });
}

}  // namespace plansim

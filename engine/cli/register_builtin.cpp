#include "cli/register_builtin.h"

#include "economy/economy.h"
#include "economy/economy_interventions.h"
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

namespace {

// Every process but synthesis works on the population that synthesis builds at initialize().
ProcessOrder after_synthesis(const char* what) {
  return {{"synthesis"}, std::string("it builds the population that ") + what, {}, {}};
}

}  // namespace

void register_builtin_processes(Registry& registry) {
  registry.add("synthesis", 1,
               "base-year synthetic population: persons in households by zone (IPF)",
               [] { return std::make_unique<SynthesisProcess>(); });
  registry.add(
      "demography", 2, "ageing, mortality, fertility, unions and households, migration",
      [] { return std::make_unique<DemographyProcess>(); }, after_synthesis("demography ages"));
  registry.add(
      "indicators", 3, "population stocks, crude rates and zone panels of each year",
      [] { return std::make_unique<DemographicIndicators>(); },
      after_synthesis("the indicators count"));
  registry.add("policy", 4,
               "scenario interventions on the calendar (places, beds, facilities, staff, stations, "
               "upzoning, demand shocks, R&D subsidies)",
               []() -> std::unique_ptr<Process> {
                 auto policy = std::make_unique<PolicyProcess>();
                 add_facility_handlers(*policy);          // services/interventions.h
                 add_tod_handlers(*policy);               // space/tod_interventions.h
                 economy::add_economy_handlers(*policy);  // economy/economy_interventions.h
                 return policy;
               },
               {{},
                {},
                {"economy", "education", "eldercare", "health", "housing"},
                "its interventions change the year's demand, R&D, places, beds, staff and land "
                "before they are used"});
  registry.add(
      "education", 5, "kindergarten and school places allocated by distance",
      [] { return std::make_unique<EducationProcess>(); }, after_synthesis("education places"));
  registry.add(
      "eldercare", 6, "care needs, institutional demand, beds and waiting lists",
      [] { return std::make_unique<EldercareProcess>(); }, after_synthesis("eldercare assesses"));
  registry.add(
      "health", 7, "doctors, nurses, beds, access; life expectancy from simulated deaths",
      [] { return std::make_unique<HealthProcess>(); }, after_synthesis("health serves"));
  registry.add(
      "economy", 8, "firms, labour market, wages, income, consumption, GDP",
      [] { return std::make_unique<EconomyProcess>(); }, after_synthesis("the economy employs"));
  registry.add(
      "housing", 9,
      "metro network and accessibility, relocation, location choice, prices, building",
      [] { return std::make_unique<HousingProcess>(); }, after_synthesis("housing moves"));
  registry.add("exogenous", 11,
               "exogenous plan indicators (environment, energy, …) from scenario trajectories; "
               "validates the plan targets",
               [] { return std::make_unique<ExogenousIndicators>(); });
}

}  // namespace plansim

#include "cli/register_builtin.h"

#include "economy/economy.h"
#include "economy/economy_interventions.h"
#include "economy/tables.h"
#include "indicators/demographic_indicators.h"
#include "indicators/exogenous.h"
#include "policy/policy.h"
#include "population/demography.h"
#include "population/synthesis.h"
#include "population/vital_events.h"
#include "services/education.h"
#include "services/eldercare.h"
#include "services/health.h"
#include "services/interventions.h"
#include "space/housing.h"
#include "space/land_use.h"
#include "space/tod_interventions.h"

namespace plansim {

namespace {

// Every process but synthesis works on the population that synthesis builds at initialize();
// `makes` and `reads` name the data it shares with other processes (ProcessNeeds).
ProcessNeeds after_synthesis(const char* what, std::vector<std::string> makes = {},
                             std::vector<ProcessNeeds::Read> reads = {}) {
  ProcessNeeds needs;
  needs.after = {"synthesis"};
  needs.after_why = std::string("it builds the population that ") + what;
  needs.makes = std::move(makes);
  needs.reads = std::move(reads);
  return needs;
}

// Policy runs before every process whose inputs its interventions change.
ProcessNeeds policy_needs() {
  ProcessNeeds needs;
  needs.before = {"economy", "education", "eldercare", "health", "housing"};
  needs.before_why =
      "its interventions change the year's demand, R&D, places, beds, staff and land before "
      "they are used";
  return needs;
}

std::string name(std::string_view kind_name) { return std::string(kind_name); }

}  // namespace

void register_builtin_processes(Registry& registry) {
  registry.add("synthesis", 1,
               "base-year synthetic population: persons in households by zone (IPF)",
               [] { return std::make_unique<SynthesisProcess>(); });
  registry.add(
      "demography", 2, "ageing, mortality, fertility, unions and households, migration",
      [] { return std::make_unique<DemographyProcess>(); },
      after_synthesis("demography ages", {name(VitalEvents::kName)}));
  registry.add(
      "indicators", 3, "population stocks, crude rates and zone panels of each year",
      [] { return std::make_unique<DemographicIndicators>(); },
      after_synthesis("the indicators count"));
  registry.add(
      "policy", 4,
      "scenario interventions on the calendar (places, beds, facilities, staff, stations, "
      "upzoning, demand shocks, R&D subsidies)",
      []() -> std::unique_ptr<Process> {
        auto policy = std::make_unique<PolicyProcess>();
        add_facility_handlers(*policy);          // services/interventions.h
        add_tod_handlers(*policy);               // space/tod_interventions.h
        economy::add_economy_handlers(*policy);  // economy/economy_interventions.h
        return policy;
      },
      policy_needs());
  registry.add(
      "education", 5, "kindergarten and school places allocated by distance",
      [] { return std::make_unique<EducationProcess>(); },
      after_synthesis("education places", {name(kSchoolPlaces)}));
  registry.add(
      "eldercare", 6, "care needs, institutional demand, beds and waiting lists",
      [] { return std::make_unique<EldercareProcess>(); }, after_synthesis("eldercare assesses"));
  registry.add(
      "health", 7, "doctors, nurses, beds, access; life expectancy from simulated deaths",
      [] { return std::make_unique<HealthProcess>(); },
      after_synthesis("health serves", {},
                      {{name(VitalEvents::kName),
                        "life expectancy is not computed (its life table takes the deaths that "
                        "demography simulates)"}}));
  registry.add(
      "economy", 8, "firms, labour market, wages, income, consumption, GDP",
      [] { return std::make_unique<EconomyProcess>(); },
      after_synthesis("the economy employs", {name(FirmTable::kName), name(PriceLevel::kName)},
                      {{name(ZoneInputs::kName),
                        "commuting weighs distances between zone centroids, not travel times by "
                        "road and metro, and jobs are bounded by the economy's own land for jobs, "
                        "not by zoned job floor space (no upzoning)"}}));
  registry.add(
      "housing", 9,
      "metro network and accessibility, relocation, location choice, prices, building",
      [] { return std::make_unique<HousingProcess>(); },
      after_synthesis(
          "housing moves", {name(LandUse::kName), name(ZoneInputs::kName)},
          {{name(FirmTable::kName),
            "jobs by zone are the job floor space over the floor space per job, and job floor is "
            "built whatever its use"},
           {name(PriceLevel::kName),
            "the nominal dwelling price index equals the real one (no general inflation)"},
           {name(kSchoolPlaces),
            "the school places by zone that location choice weighs are the land-use config's "
            "fixed figures, not the places that education offers"}}));
  registry.add("exogenous", 11,
               "exogenous plan indicators (environment, energy, …) from scenario trajectories; "
               "validates the plan targets",
               [] { return std::make_unique<ExogenousIndicators>(); });
}

}  // namespace plansim

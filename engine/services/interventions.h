// The services' interventions, registered with the policy process (policy/policy.h):
// add_places, add_beds, open_facility, close_facility, hire_staff. Scenario syntax:
//   policy:
//     interventions:
//       - {year: 2022, add_places: {kind: kindergarten, zone: xushui, places: 540}}
//       - {years: 2021-2025, add_beds: {zone: liuhu, beds_per_year: 200}}
//       - {year: 2024, close_facility: {name: "Linshanzhai kindergarten 3"}}
// See engine/policy/README.md for each action's keys.
#pragma once

#include <memory>

#include "policy/policy.h"

namespace plansim {

std::unique_ptr<InterventionAction> parse_add_capacity(InterventionParseContext& ctx);
std::unique_ptr<InterventionAction> parse_open_facility(InterventionParseContext& ctx);
std::unique_ptr<InterventionAction> parse_close_facility(InterventionParseContext& ctx);
std::unique_ptr<InterventionAction> parse_hire_staff(InterventionParseContext& ctx);

/// Registers the five facility actions with a policy process.
void add_facility_handlers(PolicyProcess& policy);

}  // namespace plansim

// The economy's interventions as actions of the policy process (policy/policy.h, the calendar and
// the handler registry): demand shocks and R&D subsidies. The economy module parses them,
// registers them (add_economy_handlers, called where the processes are registered,
// cli/register_builtin.cpp) and reads what they set, so the include goes from economy to policy
// and never back.
//
// Scenario syntax:
//   policy:
//     interventions:
//       # external demand of a sector relative to the baseline's, by year (-0.10 = 10% below),
//       # returning to the baseline linearly over recovery_years after the last year
//       - {years: 2022-2023, demand_shock: {sector: culture_tourism,
//                                           level: {2022: -0.20, 2023: -0.12}, recovery_years: 3}}
//       # the share of a sector's R&D cost that the district reimburses, by year
//       - {years: 2022-2025, rd_subsidy: {sector: tech_services, rate: 0.3}}
// `level` and `rate` are a number (held over the intervention's years) or a trajectory
// (core/trajectory.h) whose years lie within them. `recovery_years` is a count of years (default
// 0: the baseline the year after) or `never` (the last level holds). Sectors are checked at
// configure against the city's economy.yaml, and the scenario must run the economy process.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/city_catalog.h"
#include "core/trajectory.h"
#include "policy/policy.h"

namespace plansim::economy {

/// A policy path of one sector: levels relative to the baseline by year (a demand shock: the
/// change of the sector's external demand as a fraction of its baseline level, -0.05 = 5% below;
/// an R&D subsidy: the share of the R&D cost reimbursed, the baseline being none). Before
/// `first_year` the level is 0; from `first_year` to `last_year` it follows `levels`; after
/// `last_year` it returns to 0 linearly over `recovery_years` (0: the year after; never: held).
struct PolicyPath {
  std::size_t sector = 0;
  Trajectory levels;
  int first_year = 0, last_year = 0;  // the intervention's years
  int recovery_years = 0;             // kNeverRecovers: the last level holds
  static constexpr int kNeverRecovers = -1;

  /// The level in `year`.
  double at(int year) const;
};

/// The paths the economy's interventions have handed over so far in this replicate, kept in
/// World::modules and read by the economy process each year (none: the baseline).
struct EconomyPolicies {
  static constexpr std::string_view kName = "economy policies";
  std::vector<PolicyPath> demand_shocks;
  std::vector<PolicyPath> rd_subsidies;

  /// External demand of sector s in `year` relative to its baseline path: Π (1 + shock level)
  /// over the sector's shocks (1 without a shock).
  double demand_level(std::size_t s, int year) const;
  /// Subsidy rate of sector s in `year` (the largest if several overlap).
  double rd_subsidy_rate(std::size_t s, int year) const;
};

/// The World's EconomyPolicies, or none (the baseline) when no intervention has set one.
const EconomyPolicies& economy_policies(const World& world);

/// The sector keys of the city's economy.yaml, in the file's order (the economy's sector
/// indices), for checking the interventions' sector names. The economy process reports the
/// file's own errors; this reader only lists the keys it finds.
struct CitySectors {
  static constexpr std::string_view kName = "economy sectors";
  static constexpr std::string_view kFile = "economy";
  std::vector<std::string> keys;
  static CitySectors read(CityReadContext& ctx);
};

/// Parser of demand_shock and rd_subsidy for PolicyProcess::add_handler.
std::unique_ptr<InterventionAction> parse_economy_action(InterventionParseContext& ctx);

/// Registers the two economy actions with a policy process.
void add_economy_handlers(PolicyProcess& policy);

}  // namespace plansim::economy

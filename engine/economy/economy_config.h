// The economy's city data (configs/<city>/economy.yaml and its economy_*.csv tables) and the
// scenario's `economy:` block, as plain values.
//
// read_economy_config() is a pure reader: it reads every key it accepts through ParamNode getters
// and records every problem in Diagnostics at its location (`file:line:col: error: path: ...`).
// Scenario keys override the city's baseline values (growth trends, retirement ages, labour-market
// behaviour). Demand shocks and R&D subsidies are interventions (economy/economy_interventions.h).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/params.h"
#include "core/process.h"
#include "core/trajectory.h"
#include "core/world.h"

namespace plansim::economy {

/// Census education levels as named in configs (index = Education value).
inline constexpr std::array<const char*, kEducationLevels> kEducationKeys = {
    "below_primary", "primary", "junior_high", "senior_high", "college"};

/// Sector keys are stored in a uint8_t firm column.
inline constexpr std::size_t kMaxSectors = 64;

/// One industry of the city ("4+1" leading industries plus the rest), base year 2020.
struct SectorSpec {
  std::string key;         // ASCII, e.g. "tech_services"; used in indicator keys value_added_<key>
  std::string name_zh;     // e.g. "科技服务业"
  std::string name_en;     // e.g. "Technology services"
  bool secondary = false;  // secondary industry; otherwise tertiary
  double value_added_2020_yuan = 0;   // whole city, current prices
  double firms_2020 = 0;              // market entities (firms and sole traders)
  double employment_weight = 0;       // relative 2020 jobs; rescaled to the simulated employment
  double wage_2020_yuan = 0;          // annual gross wage, senior-high worker, average firm
  double rd_weight = 0;               // relative R&D intensity; scaled to the city total
  double household_demand_share = 0;  // share of 2020 output bought by resident households
  double external_demand_growth = 0;  // real growth of the other demand, per year
  double productivity_growth = 0;     // real labour-productivity growth, per year
  double rd_intensity_growth = 0;     // relative growth of R&D intensity, per year
  double exit_hazard = 0;             // exit probability per year (mature, average firm)
  double entry_rate = 0;              // entrants per firm per year
  std::array<double, kEducationLevels> education_fit{};  // how well each level fits, 0..1
  SourceLoc loc;                                         // the sector's row
};

/// Zone data for firm location; matched to the World's zones by key.
struct ZoneEconomySpec {
  std::string key;
  double jobs_share_2020 = 0;   // share of the district's 2020 jobs located in the zone
  double land_for_jobs_ha = 0;  // land zoned for workplaces (built and to be built), hectares
  SourceLoc loc;
};

/// Labour-force participation of persons of working age below their retirement age.
struct ParticipationBand {
  int from_age = 0, to_age = 0;
  double male = 0, female = 0;
  SourceLoc loc;
};

/// Legal retirement ages and their gradual increase.
struct RetirementRules {
  int male_age = 60;
  int female_cadre_age = 55;         // women in managerial and technical posts
  int female_worker_age = 50;        // other women
  double female_worker_share = 0.5;  // women who retire at female_worker_age
  int reform_start_year = 0;         // 0 = no reform
  int reform_years = 15;             // linear phase-in by calendar year
  int male_target = 63, female_cadre_target = 58, female_worker_target = 55;
  /// Retirement age (completed years) in `year`: the phased-in age, rounded down.
  int age(int year, bool female, bool female_worker) const;
};

struct LabourMarketRules {
  int min_working_age = 16;
  int student_max_age = 24;             // inactive persons up to this age count as students
  double quit_rate = 0.06;              // employed persons leaving their job per year (to search)
  int matching_rounds = 4;              // application rounds per year
  double search_intensity = 0.5;        // highest share of seekers applying in a round
  double matching_elasticity = 0.5;     // elasticity of matches to seekers (Cobb-Douglas)
  double commute_decay_m = 5000;        // distance at which commuting weight falls to 1/e
  double participation_response = 0.5;  // participation of the jobless ~ exp(-response * du)
  double commute_decay_minutes =
      25;  // with travel costs from a land-use model (ZoneInputs), instead of metres
};

struct FirmRules {
  double size_tail_exponent = 1.06;      // Pareto exponent of firm size (employees)
  double productivity_dispersion = 0.3;  // sd of log firm productivity
  double wage_productivity_elasticity = 0.3;
  double growth_shock_sd = 0.1;  // sd of log firm growth (Gibrat)
  int young_firm_years = 3;
  double young_exit_multiplier = 1.5;
  double exit_productivity_elasticity = 1.0;  // hazard ~ productivity^(-elasticity)
  double exit_size_elasticity = 0.2;          // hazard ~ positions^(-elasticity)
  int entrant_max_positions = 50;
  int max_initial_age = 40;
};

struct LocationRules {
  double access_weight = 1.0;         // utility of labour-market access (0..1)
  double land_weight = 2.0;           // utility of the free share of land for jobs (0..1)
  double agglomeration_weight = 0.5;  // utility per log of same-sector jobs relative to average
  double jobs_per_ha = 120;           // workplace density of land for jobs
  double floor_space_per_job_m2 =
      30;  // with job floor space zoned by a land-use model (ZoneInputs)
};

struct IncomeRules {
  double disposable_income_2020_yuan = 0;        // per capita, all residents (calibration target)
  double retail_sales_2020_yuan = 0;             // calibration target
  double consumption_propensity = 0.6;           // consumption / disposable income
  double goods_share_of_consumption = 0.5;       // retail goods in household consumption
  double wage_deduction_rate = 0.13;             // personal income tax and social contributions
  double other_income_per_capita_2020_yuan = 0;  // property, business and other transfer income
  double unemployment_benefit_2020_yuan = 0;     // average per unemployed person per year
};

struct PensionRules {
  double employee_pension_2020_yuan = 0;  // per retiree with an employee pension, per year
  double resident_pension_2020_yuan = 0;  // residents' basic pension, per year
  double employee_pension_share = 0.7;    // retirees who draw an employee pension
  double indexation = 0.04;               // nominal pension increase per year
  double coverage_employed = 1, coverage_retired = 1, coverage_other = 1;  // enrolled shares
};

struct InnovationRules {
  double rd_intensity_2020 = 0;      // R&D / GDP (fraction)
  double patents_per_10k_2020 = 0;   // valid invention patents per 10,000 residents
  double grants_per_100m_yuan = 0;   // invention patents granted per 1e8 yuan of R&D
  double lapse_rate = 0.05;          // share of the patent stock lapsing per year
  double high_value_share = 0.4;     // high-value share of invention patents
  double subsidy_response = 1.0;     // elasticity of R&D to its user cost
  double productivity_effect = 0.1;  // extra productivity growth per unit of R&D intensity rise
};

struct EconomyConfig {
  int base_year = 2020;
  double gdp_2020_yuan = 0;
  double secondary_share_2020 = 0;  // fraction of GDP
  double market_entities_2020 = 0;
  // Unemployed / labour force in the base year, as fractions: the surveyed rate (the labour force
  // survey's unemployed, ILO definition), which the base year's unemployed are drawn to and the
  // unemployment_rate indicator reports, and the registered rate (the unemployed registered with
  // the employment office), reported beside it in the base year's proportion to the surveyed one.
  double surveyed_unemployment_rate_2020 = 0;
  double registered_unemployment_rate_2020 = 0;
  std::size_t tech_sector = 0;  // index of "tech_services"
  std::vector<SectorSpec> sectors;
  std::vector<ZoneEconomySpec> zones;
  std::vector<ParticipationBand> participation;
  std::array<double, kEducationLevels> participation_factor{};
  std::array<double, kEducationLevels> wage_premium{};       // relative to senior high
  std::array<double, kEducationLevels> unemployment_risk{};  // relative risk of the 2020 unemployed
  RetirementRules retirement;
  LabourMarketRules labour;
  FirmRules firms;
  LocationRules location;
  IncomeRules income;
  PensionRules pensions;
  InnovationRules innovation;
  double deflator_growth = 0.02;
  /// Participation probability at `age` (0 outside the bands) before the education factor.
  double participation_rate(int age, bool female) const;
};

/// Reads the city file economy.yaml (`city_file`, with its CSV tables already loaded) and the
/// scenario's `economy:` block (`scenario`, an empty map when absent; demand shocks and R&D
/// subsidies are interventions, economy/economy_interventions.h). `run` gives the base year. When
/// `city_zones` is non-empty (the zone keys of the city's zones.yaml), zone keys of
/// economy_zones.csv are checked against it.
EconomyConfig read_economy_config(const ParamNode& city_file, const ParamNode& scenario,
                                  const RunSettings& run,
                                  const std::vector<std::string>& city_zones, Diagnostics& diags);

}  // namespace plansim::economy

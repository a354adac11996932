// The "economy" process: firms, the labour market, wages, household income and consumption,
// and the plan's economic indicators (GDP, sector structure, jobs, unemployment, income, retail
// sales, R&D, patents, pension coverage). See engine/economy/README.md for the model.
//
// Timing: stocks (employment, unemployment, jobs by zone, pension coverage, firms) are measured at
// the start of the year in begin_year(); flows (value added, hires, income, retail sales,
// patents) cover the year and are computed in step(). The base year (configs' base_year, the
// run's start) reproduces the city's published figures: initialize() builds the firms and jobs,
// and step() of the base year calibrates the wage level and the non-resident retail sales.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/process.h"
#include "core/trajectory.h"
#include "economy/detail/firms.h"
#include "economy/detail/matching.h"
#include "economy/economy_config.h"

namespace plansim {

namespace economy {

/// Run state of one sector. Money is in simulated units: yuan of the simulated firms (the whole
/// city's value times run.scale).
struct SectorState {
  double external_trend_real = 0;  // baseline demand from outside the households, base prices
  double external_real = 0;        // this year's: the baseline × the demand shocks' level
  double household_base_real = 0;  // demand of resident households in the base year
  double demand_real = 0;          // output demanded this year, base-year prices
  double productivity_real = 0;  // value added per position at relative productivity 1, base prices
  double wage_index = 0;  // current-price wage of a senior-high worker at relative productivity 1
  double rd_intensity_base = 0;  // R&D / value added in the base year
  double rd_trend = 1;           // Π (1 + rd_intensity_growth of y) over the years after the base
  double rd_intensity = 0;       // this year
  // The year's results (after matching).
  double value_added = 0;  // current prices
  double rd_spending = 0;
  std::int64_t firms = 0, employees = 0, positions = 0;
};

/// Run state of the economy process (reset by initialize()).
struct EconomyState {
  std::vector<SectorState> sectors;
  std::size_t zones = 1;                // max(1, world zones)
  std::vector<double> zone_jobs_share;  // base-year location of firms, by world zone
  std::vector<double> zone_capacity;    // positions the land for jobs holds (simulated)
  AccessMatrix access;
  double access_decay_m = 0;  // commute_decay_m the access matrix was built with
  double scale = 1;           // simulated / whole city (1 / person weight)
  double price_level = 1;     // GDP deflator, base year = 1
  double consumption_real_base = 0, consumption_real_last = 0;
  double wage_calibration = 1;           // base-year factor on every wage
  double non_resident_retail = 0;        // retail sales to non-residents and institutions
  double non_resident_retail_trend = 0;  // the same on the baseline path (without shocks)
  double patent_stock = 0;               // valid invention patents (simulated)
  double employee_pension = 0, resident_pension = 0;  // per retiree per year, current prices
  double other_income = 0;                            // per capita per year
  double unemployment_benefit = 0;                    // per unemployed person per year
  double last_gdp_real = std::numeric_limits<double>::quiet_NaN();
  double last_productivity_real = std::numeric_limits<double>::quiet_NaN();
  double last_income_per_capita = std::numeric_limits<double>::quiet_NaN();
  double last_retail = std::numeric_limits<double>::quiet_NaN();
  std::uint64_t next_firm_id = 1;
  // Start-of-year stocks of the current year (simulated persons).
  std::int64_t employed = 0, unemployed = 0;
  /// Persons employed at the start of the year by [sex][age], for the deaths among them.
  std::array<std::array<std::int64_t, kMaxAge + 1>, 2> employed_by_sex_age{};
  std::int64_t retirements = 0;  // persons employed at the start of the year who retired in it
};

/// A firm founded this year, before it joins the firm table.
struct Entrant {
  std::uint64_t id;
  std::uint8_t sector;
  std::uint16_t zone;
  double phi;       // relative productivity
  double desired;   // positions wanted before scaling to the sector's demand
  double rounding;  // uniform draw for stochastic rounding
};

}  // namespace economy

class EconomyProcess final : public Process {
 public:
  /// Reads the city file "economy" (economy.yaml with its CSV tables) and the scenario's
  /// `economy:` block for every year of the run (any number may be a trajectory), and the city's
  /// own values of the base year; declares every series.
  void configure(ConfigureContext& ctx) override;
  /// For tests and benchmarks: uses a config built in code (every year, the base year too) and
  /// declares the series.
  void configure(const economy::EconomyConfig& config, SeriesCatalog& catalog);
  /// As above with a configuration per year after the base year (`years`) and the base year's
  /// (`base`: the city's values, which the base-year calibration fits).
  void configure(const economy::EconomyConfig& base, ByYear<economy::EconomyConfig> years,
                 SeriesCatalog& catalog);
  /// Base-year labour force, unemployment, firms (heavy-tailed sizes by sector) and job assignment.
  /// Throws InputError when a zone of economy_zones.csv is not a zone of the World.
  void initialize(StepContext& ctx) override;
  /// Records the start-of-year stocks.
  void begin_year(StepContext& ctx) override;
  /// One year: demand and productivity, labour-force transitions, firm exit, growth and entry,
  /// layoffs, matching, wages, value added, R&D and patents, income, consumption and retail.
  void step(StepContext& ctx) override;
  /// check_economy_invariants() over the configured sectors (checked by a debug build after
  /// initialize() and step()).
  std::string check_invariants(const World& world) const override;

  /// The configuration of the year being simulated.
  const economy::EconomyConfig& config() const { return config_; }
  /// The configuration of `year`: the base year's is the city's (the calibration year), later
  /// years' the scenario's over the city's, evaluated for the year.
  const economy::EconomyConfig& config(int year) const;
  const economy::EconomyState& state() const { return state_; }

 private:
  void declare_series(SeriesCatalog& catalog) const;
  /// Makes config_ and the rules derived from it those of `year`.
  void use_year(int year);
  void refresh_geography(const World& world);
  void assign_base_labour_status(StepContext& ctx);
  void create_base_firms(StepContext& ctx, const std::vector<std::uint64_t>& jobs_by_sector);
  void advance_prices_and_productivity(StepContext& ctx);
  void labour_force_transitions(StepContext& ctx);
  void firm_dynamics(StepContext& ctx, std::int64_t& separations, std::int64_t& entries,
                     std::int64_t& exits);
  /// Returns the hires; `newly_employed`: those of persons who held no job on 1 January.
  std::int64_t run_matching(StepContext& ctx, bool base_assignment, std::int64_t& newly_employed);
  void pay_wages(World& world);
  void account_and_record(StepContext& ctx, std::int64_t newly_employed);
  std::size_t retail_sector() const;
  int retirement_age(int year, std::uint64_t person_id, bool female, const RngStreams& rng,
                     ProcessId process) const;

  economy::EconomyConfig config_;  // of the year being simulated
  economy::EconomyConfig base_;    // the base year: the city's values and the scenario's policies
  ByYear<economy::EconomyConfig> by_year_;
  int current_year_ = std::numeric_limits<int>::min();
  economy::EconomyState state_;
  economy::MatchingRules matching_rules_;
  std::vector<double> participation_;  // [(female * levels + education) * (kMaxAge + 1) + age]
  // Reusable buffers (sized once, then reused every year).
  economy::JobMatcher matcher_;
  economy::FirmBuckets buckets_;
  economy::EmployeeIndex employees_;
  std::vector<std::uint32_t> seekers_;
  std::vector<std::uint8_t> was_employed_;  // per person row: employed at the start of the year
  std::vector<double> layoff_key_;
  std::vector<double> desired_, relative_productivity_, rounding_;
  std::vector<std::uint32_t> target_, previous_positions_, created_;
  std::vector<std::int64_t> zone_partial_, residents_by_zone_;
  std::vector<economy::Entrant> entrants_;
};

/// Accounting invariants of the economy's World columns, right after the economy's step:
/// every employed person has exactly one job at an existing firm (employer in range, firm not
/// removed), nobody else has an employer, firm employees equal the persons linked to it, firm
/// sectors are below `sectors`, and wages are positive exactly for the employed. Returns a
/// description of the first problem, or "".
std::string check_economy_invariants(const World& world, std::size_t sectors);

}  // namespace plansim

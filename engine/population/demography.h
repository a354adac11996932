// The "demography" process: one year of mortality, fertility, widowhood, union formation,
// leaving home, divorce, out- and in-migration, ageing and the care of children left without an
// adult, then compaction of the tables. See demography.md for the order, columns and parameters.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/process.h"
#include "core/trajectory.h"
#include "population/demography_calibration.h"
#include "population/demography_matching.h"
#include "population/demography_rates.h"
#include "population/vital_events.h"

namespace plansim {

/// Simulated (unweighted) counts of the last simulated year.
struct DemographyYearCounts {
  std::int64_t births = 0;
  std::int64_t deaths = 0;
  std::int64_t in_migrants = 0;   // persons
  std::int64_t out_migrants = 0;  // persons
  std::int64_t in_migrant_households = 0;
  std::int64_t out_migrant_households = 0;
  std::int64_t unions = 0;           // couples formed (each forms a new household)
  std::int64_t market_entrants = 0;  // persons who entered the marriage market
  std::int64_t leaving_home = 0;     // persons who left home (each forms a household)
  std::int64_t divorces = 0;         // couples separated (the man forms a household)
  std::int64_t new_households = 0;
  std::int64_t dissolved_households = 0;     // left empty this year (not by emigration)
  std::int64_t households_with_orphans = 0;  // children moved to a household with an adult
};

/// A person counts as an adult for the care of children from this age; children are under 15.
inline constexpr int kAdultAge = 18;
inline constexpr int kChildAgeLimit = 15;

class DemographyProcess final : public Process {
 public:
  /// For the registry: the rates are read by configure().
  DemographyProcess() = default;
  /// For tests and embedding: the same rates every year, also for the calibration (configure()
  /// is then not needed; the series must still be declared in the catalog the Recorder uses, see
  /// declare_series()).
  explicit DemographyProcess(DemographyRates rates) : rates_(rates), city_base_(std::move(rates)) {}

  /// Declares the event series and the life-expectancy indicators this process records.
  static void declare_series(SeriesCatalog& catalog);

  /// Reads the rates of every year of the run (each parameter may be a trajectory) and, for the
  /// calibration, the city's own rates of the base year.
  void configure(ConfigureContext& ctx) override;
  /// Calibrates the levels of mortality and fertility on the base-year World with the city's
  /// rates (see calibrate_levels()) and records them as scalars. The scenario's values then apply
  /// on top: a TFR of 1.1 where the city says 1.3 scales the calibrated fertility by 1.1 / 1.3.
  void initialize(StepContext& ctx) override;
  /// Records the period life expectancy of the year's rates.
  void begin_year(StepContext& ctx) override;
  void step(StepContext& ctx) override;

  /// The rates of `year` (scenario over city, trajectories evaluated).
  const DemographyRates& rates(int year) const {
    return by_year_.empty() ? rates_ : by_year_.at(year);
  }
  /// The city's rates of the base year, which the calibration fits.
  const DemographyRates& city_base_rates() const { return city_base_; }
  const Calibration& calibration() const { return calibration_; }
  /// Per-person out-migration probability by age in `year` (sized at initialize() on the
  /// base-year population).
  const AgeSchedule& out_migration_probability(int year) const;
  /// The probabilities the process uses in `year`.
  YearProbabilities probabilities(int year) const {
    return year_probabilities(rates(year), calibration_.levels, out_migration_probability(year),
                              year);
  }
  /// Period life expectancy at birth in `year` by sex, from the probabilities of the year.
  std::array<double, 2> life_expectancy(int year) const;
  const DemographyYearCounts& last_year() const { return counts_; }

 private:
  struct Context;  // the state of one step, shared by its phases (demography.cpp)
  void mortality_and_births(Context& c);
  void align_births(Context& c);
  void household_structure(Context& c);
  void partnership_draws(Context& c);
  void append_newborns(Context& c);
  void unions(Context& c);
  void leaving_home(Context& c);
  void divorces(Context& c);
  void out_migration(Context& c);
  void in_migration(Context& c);
  void ageing(Context& c);
  void children_without_adult(Context& c);
  double household_probability_and_care(const Context& c, std::size_t household,
                                        std::uint32_t& alive, std::uint8_t& care) const;

  /// Rows [0, n) whose flag_ has `bit`, in row order, into rows_ (parallel, two passes).
  void collect_flagged(std::size_t n, std::uint8_t bit);
  /// Appends n households (ids in order, every column at its fill; zones are the caller's) and
  /// returns the first row.
  std::uint32_t new_households(World& world, std::size_t n);
  /// Sizes the per-year rates that depend on the base-year World (out-migration, calibration).
  void prepare(const World& world, int year);
  /// An age in [lo, hi] drawn from this year's in-migrant age distribution with the uniform u.
  int profile_age(int lo, int hi, double u) const;

  DemographyRates rates_;      // of the year being simulated
  DemographyRates city_base_;  // the city's, base year: what the calibration fits
  ByYear<DemographyRates> by_year_;
  Calibration calibration_;
  int first_year_ = 0;                           // of out_migration_
  std::vector<AgeSchedule> out_migration_;       // by year from first_year_
  std::array<double, kAges + 1> profile_cdf_{};  // in-migrant ages: cumulative profile × population
  bool initialized_ = false;
  DemographyYearCounts counts_;

  // Buffers kept across years so that the yearly passes do not allocate once grown.
  PartnerMatcher matcher_;
  std::vector<std::uint8_t> flag_;                       // per person row: this year's events
  std::vector<std::array<std::int64_t, 4>> chunk_sums_;  // per chunk counters of a pass
  std::vector<std::uint32_t> chunk_offset_;              // per chunk, prefix sums
  std::vector<std::uint32_t> chunk_vitals_;              // per chunk: [deaths|population][sex][age]
  std::vector<std::int64_t> chunk_zone_population_;      // per household chunk × zone
  std::vector<double> zone_cumulative_;                  // in-migrant zone choice
  std::vector<std::uint8_t> in_sizes_;    // per in-migrant household: adults << 4 | children
  std::vector<std::uint32_t> in_offset_;  // per in-migrant household: first member, prefix sums
  std::vector<std::uint32_t> rows_;       // selected person or household rows
  std::vector<MarketEntrant> entrants_;
  std::vector<Couple> couples_;
  std::vector<std::uint8_t> household_oldest_;  // per household: oldest member still there
  std::vector<std::uint32_t> moved_to_;         // per household: where its last adult mover went
  std::vector<std::uint32_t> household_alive_;  // per household: members alive (after moves)
  std::vector<std::uint8_t> household_has_adult_;
  // Households that can take children left without an adult: rows by zone (CSR), row order.
  std::vector<std::uint32_t> adult_households_;
  std::vector<std::uint32_t> adult_zone_offset_;
  std::vector<std::uint32_t> chunk_zone_count_;            // per household chunk × zone
  std::vector<std::pair<double, std::uint32_t>> ranking_;  // alignment: (u / p, row)
};

}  // namespace plansim

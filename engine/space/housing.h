// The "housing" process: travel costs and accessibility on the metro network, relocation
// triggers, location choice among zones with dwelling capacity, prices and developers.
// See engine/space/README.md for the model, its parameters and the series it records.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "core/process.h"
#include "core/trajectory.h"
#include "space/location_choice.h"
#include "space/space_config.h"

namespace plansim {

/// What the last step did (simulated households unless stated).
struct HousingYearCounts {
  std::int64_t movers = 0;          // households that looked for a dwelling
  std::int64_t new_households = 0;  // of which new (formed or arrived this year)
  std::int64_t displaced = 0;       // of which pushed out of an over-full zone
  std::int64_t placed = 0;          // movers that found a dwelling
  std::int64_t changed_zone = 0;    // placed in another zone than their current one
  std::int64_t unplaced = 0;        // movers that found none (they share a dwelling)
  double dwellings_completed = 0;   // whole city
  int shadow_price_iterations = 0;
  bool shadow_prices_converged = true;
  bool network_changed = false;  // a station opened this year
};

class HousingProcess final : public Process {
 public:
  HousingProcess() = default;
  /// For tests and embedding: configuration given directly; the series must still be declared
  /// in the catalog the Recorder uses (declare_series()).
  explicit HousingProcess(SpaceConfig config) : config_(std::move(config)) {}

  static void declare_series(SeriesCatalog& catalog);

  void configure(ConfigureContext& ctx) override;
  /// Installs the land use into the World (dwellings from the base-year households), builds the
  /// network of stations open in the start year and remembers households for the triggers.
  void initialize(StepContext& ctx) override;
  void step(StepContext& ctx) override;

  const SpaceConfig& config() const { return config_; }
  /// Generalised cost (minutes) between zones on the current network.
  const Eigen::MatrixXd& travel_costs() const { return cost_; }
  /// Share of each zone's area within the station catchment of an open station.
  const std::vector<double>& station_area_share() const { return share_near_; }
  /// Accessibility of each zone in the last step (cost-weighted jobs).
  const Eigen::VectorXd& accessibility() const { return accessibility_; }
  const HousingYearCounts& last_year() const { return counts_; }

 private:
  struct Snapshot {
    std::uint64_t id;
    std::uint16_t members;
    std::uint16_t work_zone;
  };
  void update_network(World& world, int year);
  void take_snapshot(const World& world, bool with_work_zones);
  void household_pass(StepContext& ctx);
  void evict_over_capacity(World& world);
  void collect_movers(StepContext& ctx);
  Eigen::MatrixXd utilities(const World& world) const;
  void develop(World& world, const std::vector<double>& jobs);
  void update_prices(World& world, const Eigen::VectorXd& unconstrained_demand);
  void record(StepContext& ctx, const std::vector<double>& jobs);
  std::vector<double> jobs_by_zone(const World& world) const;
  std::vector<double> school_places_per_child(const World& world, int year) const;

  SpaceConfig config_;  // of the year being simulated
  ByYear<SpaceConfig> by_year_;
  /// Makes config_ the configuration of `year` (travel costs are recomputed when they change).
  void use_year(int year);
  HousingYearCounts counts_;
  Eigen::MatrixXd cost_;
  Eigen::VectorXd accessibility_;
  std::vector<std::uint8_t> open_;
  std::vector<double> share_near_;
  std::vector<double> excess_demand_;  // per zone, dwellings (whole city), from the last step
  std::vector<double> vacancy_;        // per zone, share of the stock empty after the last step
  std::vector<Snapshot> snapshot_;     // households at the end of the last step, by id

  // Buffers kept across years so that the yearly passes do not allocate once grown.
  std::vector<std::uint8_t> flag_;        // per household row: trigger bits
  std::vector<std::uint16_t> work_zone_;  // per household row
  std::vector<std::uint16_t> members_;    // per household row
  std::vector<std::uint8_t> has_child_;   // per household row: a member under 15
  std::vector<std::int64_t> chunk_zone_;  // per chunk × zone × kZoneCounters
  std::vector<std::int64_t> chunk_movers_;
  std::vector<double> chunk_cost_;  // per chunk × zone: commute cost of residents
  std::vector<std::int64_t> occupied_, stayers_, children_;  // per zone (simulated)
  std::vector<std::int64_t> capacity_;                       // per zone, simulated dwellings
  std::vector<Mover> movers_;
  std::vector<std::uint64_t> mover_key_, segment_key_;
  std::vector<double> school_ratio_;
};

}  // namespace plansim

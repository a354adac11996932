// The "health" process (ProcessId 7): staff and beds of health facilities per population, access
// to community health facilities, and period life expectancy from the simulated deaths.
#pragma once

#include <cstdint>
#include <vector>

#include "core/process.h"
#include "core/trajectory.h"
#include "population/vital_events.h"
#include "services/facilities.h"

namespace plansim {

/// Period life expectancy at birth from deaths and exposure by single year of age (index = age),
/// with a piecewise-constant hazard within each year of age: m_x = D_x / E_x, l_{x+1} =
/// l_x·exp(−m_x), L_x = (l_x − l_{x+1}) / m_x (l_x when m_x = 0); the open age group [ω, ∞) has
/// m_ω = ΣD / ΣE over ages ≥ ω and L_ω = l_ω / m_ω. ω is the highest age ≤ open_age at which the
/// open group has at least `min_open_exposure` person-years and at least one death. Ages below ω
/// without exposure take the rate of the age below (0 at age 0). Returns NaN when no such ω
/// exists (too few deaths or persons). A constant hazard μ gives exactly 1/μ.
double life_expectancy_at_birth(const std::vector<double>& deaths,
                                const std::vector<double>& exposure, int open_age,
                                double min_open_exposure);

/// What one year gave (simulated units, unweighted).
struct HealthYear {
  std::uint64_t population = 0;
  double doctors = 0, nurses = 0, beds = 0;  // open health facilities
  double access_population = 0;              // persons within a community facility's catchment
  double life_expectancy = 0, life_expectancy_male = 0, life_expectancy_female = 0;
  std::vector<std::uint32_t> population_by_zone;
  std::vector<double> access_share_by_zone;  // 0..1
};

/// Indicators: doctors_per_1000, nurses_per_1000, health_beds_per_10k (beds of hospitals and
/// community health centres), health_access_share, sampled_life_expectancy (from the simulated
/// deaths, both sexes; also _male and _female; the scored life_expectancy is the demography's,
/// from the rates). Access: a community health centre or station serves a disc of
/// catchment_radius_km within its zone; the share of a zone's residents within reach is min(1,
/// facilities × π r² / zone area), residents taken as spread evenly over the zone (1 when the zone
/// has a facility and its area is unknown, 0 without one).
class HealthProcess final : public Process {
 public:
  void configure(ConfigureContext& ctx) override;
  void initialize(StepContext& ctx) override;
  void step(StepContext& ctx) override;

  const HealthParams& params() const { return config_.health; }
  const HealthYear& last_year() const { return year_; }

 private:
  ServicesConfig config_;  // of the year being simulated
  ByYear<ServicesConfig> by_year_;
  HealthYear year_;
  std::vector<double> deaths_, exposure_;
};

}  // namespace plansim

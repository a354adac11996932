// Where new and relocating firms go: an attractiveness weight per zone for the economy process.
#pragma once

#include <vector>

#include "core/world.h"
#include "space/land_use.h"

namespace plansim {

struct FirmLocationParams {
  double floor_space_per_job_m2 = 30.0;       // as the housing market's floor_space_per_job_m2
  double labour_access_elasticity = 1.0;      // exponent on access to the resident population
  double accessibility_decay_minutes = 25.0;  // as the travel model's accessibility decay
  double churn_floor_share = 0.05;            // floor a full zone still offers (turnover of space)
};

/// Weight of each zone (by zone row) for a firm choosing where to locate; a firm picks zone j
/// with probability weight_j / Σ weight. Not normalised; all >= 0.
///
///   weight_j = free_floor_j · (labour_access_j / max_k labour_access_k) ^ labour_access_elasticity
///   free_floor_j = max(job_floor_space_m2_j − jobs_j · floor_space_per_job_m2,
///                      churn_floor_share · job_floor_space_m2_j)
///   labour_access_j = Σ_i residents_i · exp(−travel_cost_minutes(i → j) / decay)
///
/// jobs_j are the employees of the firms in zone j (scaled by the person weight); residents come
/// from households.zone. Reads the World's LandUse, which the housing process creates (travel costs
/// are updated whenever a station opens). Without land use every zone weighs 1; without travel
/// costs the access factor is left out. Call it once per year and draw from it for every firm.
std::vector<double> zone_attractiveness_for_firms(const World& world,
                                                  const FirmLocationParams& params = {});

}  // namespace plansim

#include "space/firm_location.h"

#include <algorithm>
#include <cmath>

namespace plansim {

std::vector<double> zone_attractiveness_for_firms(const World& world, const FirmLocationParams& p) {
  const std::size_t zones = world.zones.size();
  const LandUse* land_use = world.find<LandUse>();
  if (!land_use || land_use->job_floor_space_m2.size() != zones)
    return std::vector<double>(zones, 1.0);
  const LandUse& lu = *land_use;

  const std::vector<double> jobs = Employment(world).jobs_by_zone(zones, world.person_weight);
  std::vector<double> residents(zones, 0.0);
  const auto& hh = world.households;
  const bool members = hh.member_offset.size() == hh.size() + 1;
  for (std::size_t h = 0; h < hh.size(); ++h)
    if (!hh.removed[h] && hh.zone[h] < zones)
      residents[hh.zone[h]] +=
          (members ? hh.member_count(static_cast<std::uint32_t>(h)) : 1.0) * world.person_weight;

  std::vector<double> access(zones, 1.0);
  if (lu.travel_cost_minutes.size() == zones * zones) {
    double best = 0;
    for (std::size_t j = 0; j < zones; ++j) {
      double a = 0;
      for (std::size_t i = 0; i < zones; ++i)
        a += residents[i] *
             std::exp(-lu.travel_cost_minutes[i * zones + j] / p.accessibility_decay_minutes);
      access[j] = a;
      best = std::max(best, a);
    }
    for (auto& a : access) a = best > 0 ? std::pow(a / best, p.labour_access_elasticity) : 1.0;
  }
  std::vector<double> weight(zones);
  for (std::size_t j = 0; j < zones; ++j) {
    const double floor = lu.job_floor_space_m2[j];
    const double free_floor =
        std::max(floor - jobs[j] * p.floor_space_per_job_m2, p.churn_floor_share * floor);
    weight[j] = std::max(0.0, free_floor) * access[j];
  }
  return weight;
}

}  // namespace plansim

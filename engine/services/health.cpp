#include "services/health.h"

#include <cmath>
#include <limits>
#include <numbers>

#include "core/parallel.h"
#include "core/series_declare.h"

namespace plansim {
double life_expectancy_at_birth(const std::vector<double>& deaths,
                                const std::vector<double>& exposure, int open_age,
                                double min_open_exposure) {
  const int ages = static_cast<int>(std::min(deaths.size(), exposure.size()));
  if (ages == 0) return std::numeric_limits<double>::quiet_NaN();
  // The open age group: the highest start ω ≤ open_age with enough exposure and a death in it.
  int omega = -1;
  double open_deaths = 0, open_exposure = 0;
  {
    double d = 0, e = 0;
    for (int x = ages - 1; x >= 0; --x) {
      d += deaths[x];
      e += exposure[x];
      if (x <= open_age && e >= min_open_exposure && e > 0 && d > 0) {
        omega = x;
        open_deaths = d;
        open_exposure = e;
        break;
      }
    }
  }
  if (omega < 0) return std::numeric_limits<double>::quiet_NaN();
  double l = 1.0, total = 0.0, m = 0.0;
  for (int x = 0; x < omega; ++x) {
    if (exposure[x] > 0) m = deaths[x] / exposure[x];
    if (m > 0) {
      const double next = l * std::exp(-m);
      total += (l - next) / m;
      l = next;
    } else {
      total += l;
    }
  }
  return total + l / (open_deaths / open_exposure);
}

void HealthProcess::configure(ConfigureContext& ctx) {
  by_year_ = read_services_config_by_year(ctx, "health");
  config_ = by_year_.first();
  SeriesCatalog& c = ctx.catalog;
  const auto I = SeriesKind::Indicator;
  declare(c, I, "doctors_per_1000", "per 1000", "每千人口执业（助理）医师数",
          "Licensed doctors per 1,000 residents",
          "Doctors (full-time equivalents) of open hospitals and community health facilities per "
          "1,000 residents. The official ratio counts the licensed (assistant) doctors of all "
          "health institutions; the district's are not published, so the 2020 staff are derived "
          "from its beds at China's doctors per bed (an assumption, see the city's "
          "facilities_health.csv).");
  declare(c, I, "nurses_per_1000", "per 1000", "每千人口注册护士数",
          "Registered nurses per 1,000 residents",
          "Nurses (full-time equivalents) of open health facilities per 1,000 residents. The "
          "official ratio counts the registered nurses of all health institutions; the 2020 "
          "staff are derived from the district's beds at China's nurses per bed (an assumption).");
  declare(c, I, "health_beds_per_10k", "per 10000", "每万人拥有卫生机构床位数",
          "Health-institution beds per 10,000 residents",
          "Beds of open hospitals and community health centres per 10,000 residents.");
  declare(c, I, "health_access_share", "%", "社区卫生服务覆盖人口占比",
          "Residents within reach of community health care",
          "Residents within the catchment radius of a community health centre or station, % of "
          "residents; each facility serves a disc of the radius inside its zone, residents spread "
          "evenly over the zone.");
  declare(c, I, "sampled_life_expectancy", "years", "人均预期寿命（模拟死亡）",
          "Life expectancy at birth from the simulated deaths",
          "Period life expectancy at birth from the year's simulated deaths and the population at "
          "the start of the year by single year of age (life table with constant hazard within "
          "each year of age): a check of the simulated deaths against the rates, with their "
          "sampling noise. The scored life_expectancy is the demography's, from the rates.");
  declare(c, I, "sampled_life_expectancy_male", "years", "男性预期寿命（模拟死亡）",
          "Life expectancy at birth from the simulated deaths, men",
          "As sampled_life_expectancy, men only.");
  declare(c, I, "sampled_life_expectancy_female", "years", "女性预期寿命（模拟死亡）",
          "Life expectancy at birth from the simulated deaths, women",
          "As sampled_life_expectancy, women only.");
  declare(c, SeriesKind::Zone, "health_access_share_by_zone", "%",
          "社区卫生服务覆盖人口占比（按街道）",
          "Residents within reach of community health care by zone",
          "As health_access_share, for the residents of each zone.");
  declare_facility_panels(c);
}

void HealthProcess::initialize(StepContext& ctx) {
  if (!by_year_.empty()) config_ = by_year_.at(ctx.year);
  build_facilities(ctx.world, config_.facilities, ctx.run.scale);
  year_ = HealthYear{};
}

void HealthProcess::step(StepContext& ctx) {
  if (!by_year_.empty()) config_ = by_year_.at(ctx.year);
  World& world = ctx.world;
  compact_facilities(world, ctx.year);
  const HealthParams& params = config_.health;
  const FacilityTable& f = world.get<FacilityTable>();
  const std::uint16_t zones = world.zone_count();
  year_ = HealthYear{};
  year_.population_by_zone.assign(zones, 0);
  year_.access_share_by_zone.assign(zones, 0.0);

  const PersonTable& p = world.persons;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p.removed[i]) continue;
    ++year_.population;
    if (zones) ++year_.population_by_zone[world.households.zone[p.household[i]]];
  }
  std::vector<std::uint32_t> community(zones, 0);
  for (std::size_t r = 0; r < f.size(); ++r) {
    if (!is_health_kind(f.kind[r]) || !facility_open(f, r, ctx.year)) continue;
    year_.doctors += f.doctors[r];
    year_.nurses += f.nurses[r];
    if (f.kind[r] != kCommunityHealthStation) year_.beds += f.capacity_exact[r];
    if (f.kind[r] != kHospital && f.zone[r] < zones) ++community[f.zone[r]];
  }
  const double disc_km2 =
      std::numbers::pi * params.catchment_radius_km * params.catchment_radius_km;
  for (std::uint16_t z = 0; z < zones; ++z) {
    const double area = world.zones[z].area_km2;
    double share = community[z] ? 1.0 : 0.0;
    if (community[z] && std::isfinite(area) && area > 0)
      share = std::min(1.0, community[z] * disc_km2 / area);
    year_.access_share_by_zone[z] = share;
    year_.access_population += share * year_.population_by_zone[z];
  }

  // Life table from the year's deaths and the population at the start of the year.
  static const VitalEvents kNoEvents;  // without a demography process: no life table
  const VitalEvents* recorded = world.find<VitalEvents>();
  const VitalEvents& v = recorded ? *recorded : kNoEvents;
  constexpr std::size_t ages = kMaxAge + 1;
  const auto table = [&](int sex_from, int sex_to) {
    deaths_.assign(ages, 0.0);
    exposure_.assign(ages, 0.0);
    if (v.deaths_by_sex_age.size() < 2 * ages || v.population_by_sex_age.size() < 2 * ages)
      return std::numeric_limits<double>::quiet_NaN();
    for (int s = sex_from; s <= sex_to; ++s)
      for (std::size_t a = 0; a < ages; ++a) {
        deaths_[a] += v.deaths_by_sex_age[s * ages + a];
        exposure_[a] += v.population_by_sex_age[s * ages + a];
      }
    return life_expectancy_at_birth(deaths_, exposure_, params.life_table_open_age,
                                    params.min_open_exposure);
  };
  year_.life_expectancy = table(kMale, kFemale);
  year_.life_expectancy_male = table(kMale, kMale);
  year_.life_expectancy_female = table(kFemale, kFemale);

  const auto nan = std::numeric_limits<double>::quiet_NaN();
  const double population = static_cast<double>(year_.population);  // staff and beds are scaled too
  Recorder& out = ctx.out;
  out.indicator("doctors_per_1000", population > 0 ? 1000.0 * year_.doctors / population : nan);
  out.indicator("nurses_per_1000", population > 0 ? 1000.0 * year_.nurses / population : nan);
  out.indicator("health_beds_per_10k", population > 0 ? 10000.0 * year_.beds / population : nan);
  out.indicator("health_access_share",
                population > 0 ? 100.0 * year_.access_population / population : nan);
  out.indicator("sampled_life_expectancy", year_.life_expectancy);
  out.indicator("sampled_life_expectancy_male", year_.life_expectancy_male);
  out.indicator("sampled_life_expectancy_female", year_.life_expectancy_female);
  std::vector<float> access(zones);
  for (std::uint16_t z = 0; z < zones; ++z)
    access[z] = year_.population_by_zone[z]
                    ? static_cast<float>(100.0 * year_.access_share_by_zone[z])
                    : std::numeric_limits<float>::quiet_NaN();
  out.zone("health_access_share_by_zone", access);
  record_facility_panels(ctx, [](int kind) { return is_health_kind(kind); }, {});
}

}  // namespace plansim

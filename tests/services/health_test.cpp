#include "services/health.h"

#include <gtest/gtest.h>

#include <cmath>

#include "test_support.h"

namespace plansim {
namespace {

using test::add_people;
using test::Harness;

TEST(LifeTable, ConstantHazardGivesTheClosedForm) {
  for (double mu : {0.01, 0.02, 0.05}) {
    std::vector<double> exposure(kMaxAge + 1, 1000.0), deaths(kMaxAge + 1, 1000.0 * mu);
    EXPECT_NEAR(life_expectancy_at_birth(deaths, exposure, 100, 50), 1.0 / mu, 1e-9) << mu;
  }
}

TEST(LifeTable, TwoAgeKnownAnswer) {
  // Age 0: hazard 0.1; ages 1+: open group with hazard 0.5.
  // e0 = (1 − e^−0.1)/0.1 + e^−0.1 / 0.5.
  std::vector<double> exposure = {100, 40, 60}, deaths = {10, 20, 30};
  const double expected = (1 - std::exp(-0.1)) / 0.1 + std::exp(-0.1) / 0.5;
  EXPECT_NEAR(life_expectancy_at_birth(deaths, exposure, 1, 0), expected, 1e-12);
}

TEST(LifeTable, OpenGroupGrowsDownUntilItHasEnoughExposure) {
  // Exposure only up to age 3; open_age 100 but the open group starts where ≥ 50 person-years lie
  // above.
  std::vector<double> exposure(kMaxAge + 1, 0.0), deaths(kMaxAge + 1, 0.0);
  exposure[0] = 100, exposure[1] = 100, exposure[2] = 30, exposure[3] = 30;
  deaths[0] = 0, deaths[1] = 0, deaths[2] = 3, deaths[3] = 3;
  // Open group from age 2: m = 6/60; ages 0-1 without deaths.
  EXPECT_NEAR(life_expectancy_at_birth(deaths, exposure, 100, 50), 2.0 + 10.0, 1e-12);
  // Gaps in exposure below the open group take the rate of the age below.
  std::vector<double> gap_exposure = {100, 0, 100, 100}, gap_deaths = {10, 0, 10, 10};
  EXPECT_NEAR(life_expectancy_at_birth(gap_deaths, gap_exposure, 3, 50), 10.0, 1e-9);
}

TEST(LifeTable, NoDeathsMeansNoEstimate) {
  std::vector<double> exposure(kMaxAge + 1, 1000.0), deaths(kMaxAge + 1, 0.0);
  EXPECT_TRUE(std::isnan(life_expectancy_at_birth(deaths, exposure, 100, 50)));
}

struct HealthRun {
  Harness harness;
  explicit HealthRun(const std::string& rows, RunSettings run = test::run_settings())
      : harness(run, test::city_with_facilities("{facilities: {health: [" + rows + "]}, " +
                                                test::kQuietEldercare +
                                                ", health: {catchment_radius_km: 1.0}}")) {
    EXPECT_EQ(harness.add(std::make_unique<HealthProcess>(), 7), "");
  }
};

TEST(Health, StaffBedsAndAccessPerPopulation) {
  // a: 3.14159 km² (one station covers it), b: 12.566 km² (one centre covers a quarter), c: none.
  World w = test::make_world({test::zone("a", 0, 0, M_PI), test::zone("b", 5000, 0, 4 * M_PI),
                              test::zone("c", 9000, 0, 1.0)});
  add_people(w, 0, 30, 400);
  add_people(w, 1, 30, 400);
  add_people(w, 2, 30, 200);
  HealthRun run(
      "{name: H, kind: hospital, zone: c, capacity: 8, doctors: 3, nurses: 4},"
      "{name: C, kind: community_health_centre, zone: b, capacity: 1, doctors: 1, nurses: 1},"
      "{name: S, kind: community_health_station, zone: a, capacity: 0, doctors: 0.5, nurses: 0.5},"
      "{name: Later, kind: hospital, zone: a, capacity: 100, doctors: 50, opening_year: 2030}",
      test::run_settings(2020, 2025, 0.5));
  run.harness.initialize(w);
  run.harness.run_year(w, 2020);
  // Staff and beds scaled by 0.5 like the population sample: per-capita figures are unchanged.
  EXPECT_NEAR(run.harness.indicator("doctors_per_1000", 0), 1000.0 * 4.5 / 2000.0, 1e-5);
  EXPECT_NEAR(run.harness.indicator("nurses_per_1000", 0), 1000.0 * 5.5 / 2000.0, 1e-5);
  // Beds are not rounded: 4 + 0.5 simulated (8 and 1 whole-city) per 1,000 simulated residents.
  EXPECT_NEAR(run.harness.indicator("health_beds_per_10k", 0), 10000.0 * 4.5 / 1000.0, 1e-9);
  EXPECT_NEAR(run.harness.indicator("health_access_share", 0), 100.0 * (400 + 100) / 1000.0, 1e-9);
  const auto& by_zone = run.harness.results().zones.at("health_access_share_by_zone");
  EXPECT_FLOAT_EQ(by_zone[0], 100.0f);
  EXPECT_FLOAT_EQ(by_zone[1], 25.0f);
  EXPECT_FLOAT_EQ(by_zone[2], 0.0f);
  EXPECT_TRUE(
      std::isnan(run.harness.indicator("sampled_life_expectancy", 0)));  // no vital events given
}

TEST(Health, LifeExpectancyFromTheWorldsVitalEvents) {
  World w = test::make_world({test::zone("a", 0, 0)});
  add_people(w, 0, 30, 10);
  constexpr std::size_t ages = kMaxAge + 1;
  w.modules.ensure<VitalEvents>().population_by_sex_age.assign(2 * ages, 1000);
  w.modules.ensure<VitalEvents>().deaths_by_sex_age.assign(2 * ages, 0);
  for (std::size_t a = 0; a < ages; ++a) {
    w.modules.ensure<VitalEvents>().deaths_by_sex_age[a] = 20;         // men: hazard 0.02
    w.modules.ensure<VitalEvents>().deaths_by_sex_age[ages + a] = 10;  // women: hazard 0.01
  }
  HealthRun run("");
  run.harness.initialize(w);
  run.harness.run_year(w, 2020);
  EXPECT_NEAR(run.harness.indicator("sampled_life_expectancy_male", 0), 50.0, 1e-9);
  EXPECT_NEAR(run.harness.indicator("sampled_life_expectancy_female", 0), 100.0, 1e-9);
  EXPECT_NEAR(run.harness.indicator("sampled_life_expectancy", 0), 1.0 / 0.015, 1e-9);
}

}  // namespace
}  // namespace plansim

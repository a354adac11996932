// A first year that starts at the base population's date (run.start_date, e.g. the census day
// 2020-11-01) is simulated from that date to 31 December: hazards over the fraction f of the
// year, births at f times the annual rate, in-migrants f times the annual number, and only those
// whose birthday falls in the period one year older. Statistical tests within 4 sigma.
#include <gtest/gtest.h>

#include <cmath>

#include "demography_test_world.h"

namespace plansim {
namespace {

using namespace demography_test;

constexpr std::size_t kPersons = 200000;

struct Moments {
  double mean = 0, variance = 0;
  void add(double p) {
    mean += p;
    variance += p * (1 - p);
  }
  double sigma() const { return std::sqrt(variance); }
};

TEST(DemographyPartialYear, RunSettingsFraction) {
  RunSettings run;
  run.start_year = 2020;
  EXPECT_EQ(run.year_fraction(2020), 1.0);
  run.start_day_of_year = 305;  // 1 November of a leap year
  EXPECT_DOUBLE_EQ(run.year_fraction(2020), 61.0 / 366.0);
  EXPECT_EQ(run.year_fraction(2021), 1.0);
}

TEST(DemographyPartialYear, EventsScaleWithTheFractionOfTheYear) {
  World world = make_world(kPersons, 4, 11);
  DemographyRates rates = simple_rates();
  rates.in_migrants_per_1000 = 60;
  rates.out_migrants_per_1000 = 0;
  set_household_rates(rates);
  Harness h;
  h.run().start_day_of_year = 305;
  const double f = h.run().year_fraction(2020);
  Moments deaths, births;
  std::size_t living = 0;
  for (std::size_t i = 0; i < world.persons.size(); ++i) {
    const int sex = world.persons.sex[i], age = world.persons.age[i];
    const double q = 1 - std::exp(-f * rates.death_rate[sex][age]);
    deaths.add(q);
    if (sex == kFemale) births.add((1 - q) * f * rates.fertility_rate[age]);
    ++living;
  }
  std::vector<std::uint8_t> age_before(world.persons.age.begin(), world.persons.age.end());
  std::vector<std::uint64_t> id_before(world.persons.id.begin(), world.persons.id.end());
  DemographyProcess process(rates);
  h.initialize(process, world);
  const std::size_t row = h.step(process, world, 2020);
  EXPECT_NEAR(h.event("deaths", row), deaths.mean, 4 * deaths.sigma() + 1);
  EXPECT_NEAR(h.event("births", row), births.mean, 4 * births.sigma() + 1);
  const double in_mean = f * 60.0 / 1000.0 * static_cast<double>(living);
  EXPECT_NEAR(h.event("in_migrants", row), in_mean, 4 * std::sqrt(in_mean) + 1);
  // Ageing: survivors of the start are one year older with probability f.
  std::size_t survivors = 0, older = 0, k = 0;
  for (std::size_t i = 0; i < world.persons.size(); ++i) {
    while (k < id_before.size() && id_before[k] < world.persons.id[i]) ++k;
    if (k == id_before.size() || id_before[k] != world.persons.id[i]) continue;
    if (age_before[k] >= kMaxAge) continue;
    ++survivors;
    const int step = world.persons.age[i] - age_before[k];
    ASSERT_TRUE(step == 0 || step == 1) << step;
    older += step;
  }
  const double n = static_cast<double>(survivors);
  EXPECT_NEAR(static_cast<double>(older), f * n, 4 * std::sqrt(n * f * (1 - f)) + 1);
  EXPECT_EQ(check_invariants(world), "");
  // The next year is a whole one: everyone present ages.
  std::vector<std::uint64_t> ids(world.persons.id.begin(), world.persons.id.end());
  std::vector<std::uint8_t> ages(world.persons.age.begin(), world.persons.age.end());
  h.step(process, world, 2021);
  for (std::size_t i = 0, j = 0; i < world.persons.size(); ++i) {
    while (j < ids.size() && ids[j] < world.persons.id[i]) ++j;
    if (j == ids.size() || ids[j] != world.persons.id[i] || ages[j] >= kMaxAge) continue;
    ASSERT_EQ(world.persons.age[i], ages[j] + 1);
  }
}

}  // namespace
}  // namespace plansim

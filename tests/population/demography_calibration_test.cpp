// Calibration of the mortality and fertility levels: targets met exactly on expected values, a
// closed-form known answer, and what initialize() records.
#include "population/demography_calibration.h"

#include <gtest/gtest.h>

#include <cmath>

#include "demography_test_world.h"

namespace plansim {
namespace {

using namespace demography_test;

TEST(DemographyCalibration, ExpectedCrudeRatesEqualTheTargets) {
  const World world = make_world(50000, 3, 21);
  Diagnostics d;
  const ParamNode scenario(ParamNode::Kind::Map, SourceLoc{}, "demography");
  const DemographyRates rates = read_demography_rates(zhongyuan_city_file(), scenario, d);
  ASSERT_TRUE(d.empty()) << d.format();
  const SexAgeSchedule counts = count_by_sex_age(world);
  const AgeSchedule out = out_migration_probability(rates, counts);
  for (int year : {2020, 2023}) {  // also with the mortality trend applied
    const Calibration c = calibrate_levels(counts, rates, out, year);
    const ExpectedYear e = expected_year(counts, year_probabilities(rates, c.levels, out, year),
                                         rates.in_migrants_per_1000);
    EXPECT_NEAR(e.crude_birth_rate_per_1000(), 9.5, 1e-9);
    EXPECT_NEAR(e.crude_death_rate_per_1000(), 4.8, 1e-9);
    EXPECT_NEAR(e.out_migrants, 0.040 * static_cast<double>(world.persons.size()), 1e-6)
        << "base-year out-migration is the configured rate";
    EXPECT_NEAR(c.tfr, rates.tfr * c.levels.fertility, 1e-12);
    EXPECT_GT(c.levels.mortality, 0.0);
  }
}

// Everyone aged 30, one sex ratio, no migration: P = N / (1 − (cbr − cdr)/2000),
// q = cdr·P / (1000·N), L_m = −ln(1 − q)/m, L_f = cbr·P / (1000·N_F·(1 − q)·f).
TEST(DemographyCalibration, UniformAgeStructureHasAClosedForm) {
  DemographyRates rates = simple_rates();
  rates.calibrate = true;
  const double m = 0.0012, f = 0.05;
  for (auto& s : rates.death_rate) s.fill(m);
  rates.fertility_rate.fill(0.0);
  rates.fertility_rate[30] = f;
  SexAgeSchedule counts{};
  const double men = 40000, women = 60000, n = men + women;
  counts[kMale][30] = men;
  counts[kFemale][30] = women;
  const AgeSchedule out{};
  const Calibration c = calibrate_levels(counts, rates, out, 2020);
  const double cbr = 9.5, cdr = 4.8;
  const double mid_year = n / (1 - (cbr - cdr) / 2000);
  const double q = cdr * mid_year / (1000 * n);
  EXPECT_NEAR(c.levels.mortality, -std::log1p(-q) / m, 1e-9);
  EXPECT_NEAR(c.levels.fertility, cbr * mid_year / (1000 * women * (1 - q) * f), 1e-9);
  EXPECT_NEAR(c.expected.mid_year_population(), mid_year, 1e-6);
}

TEST(DemographyCalibration, OffMeansLevelsOfOne) {
  DemographyRates rates = simple_rates();
  rates.calibrate = false;
  const World world = make_world(5000, 2, 1);
  const SexAgeSchedule counts = count_by_sex_age(world);
  const Calibration c = calibrate_levels(counts, rates, AgeSchedule{}, 2020);
  EXPECT_EQ(c.levels.mortality, 1.0);
  EXPECT_EQ(c.levels.fertility, 1.0);
  EXPECT_DOUBLE_EQ(c.tfr, rates.tfr);
  EXPECT_NEAR(c.life_expectancy_male, period_life_expectancy(rates.death_rate[kMale]), 1e-12);
}

TEST(DemographyCalibration, InitializeRecordsTheFactorsAndLocalMortalityIsBelowNational) {
  World world = make_world(60000, 3, 8);
  Diagnostics d;
  const ParamNode scenario(ParamNode::Kind::Map, SourceLoc{}, "demography");
  DemographyProcess process(read_demography_rates(zhongyuan_city_file(), scenario, d));
  Harness h;
  h.initialize(process, world);
  const auto& s = h.results().scalars;
  ASSERT_EQ(s.count("mortality_level_factor"), 1u);
  EXPECT_EQ(s.at("mortality_level_factor"), process.calibration().levels.mortality);
  EXPECT_EQ(s.at("fertility_level_factor"), process.calibration().levels.fertility);
  EXPECT_EQ(s.at("calibrated_tfr"), process.calibration().tfr);
  EXPECT_GT(s.at("calibrated_life_expectancy_male"), 0.0);
  EXPECT_GT(s.at("calibrated_life_expectancy_female"), s.at("calibrated_life_expectancy_male"));
  // The probabilities the process uses carry the factors.
  const YearProbabilities p = process.probabilities(2020);
  EXPECT_NEAR(p.death[kMale][70], -std::expm1(-process.calibration().levels.mortality * 37.51e-3),
              1e-15);
  EXPECT_NEAR(p.birth[27], process.calibration().levels.fertility * 97.8e-3, 1e-15);
  // With the trend: m·(1 − 0.015)^(year − 2020).
  EXPECT_NEAR(process.probabilities(2030).death[kMale][70],
              -std::expm1(-process.calibration().levels.mortality * 37.51e-3 * std::pow(0.985, 10)),
              1e-15);
}

}  // namespace
}  // namespace plansim

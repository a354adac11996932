// The base year's labour force: participation by age, sex and education (binomial tolerance),
// unemployment concentrated among the less schooled, retirement ages, and Worlds whose zones the
// economy config does not describe.
#include <gtest/gtest.h>

#include "economy_test_support.h"

namespace plansim::economy_test {
namespace {

class BaseLabourForce : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    harness_ = new Harness();
    ASSERT_TRUE(harness_->diags().empty()) << harness_->diags().format();
    harness_->start(make_world(60000, 21));
  }
  static void TearDownTestSuite() {
    delete harness_;
    harness_ = nullptr;
  }
  static Harness* harness_;
};
Harness* BaseLabourForce::harness_ = nullptr;

TEST_F(BaseLabourForce, ParticipationFollowsTheRatesByAgeSexAndEducation) {
  const World& w = harness_->world();
  const auto& config = harness_->process().config();
  struct Group {
    int from, to;
    Sex sex;
    Education education;
  };
  const ConstPersonJobs labour(w.persons);
  for (const Group g : {Group{30, 34, kFemale, kSeniorHigh}, Group{25, 29, kMale, kJuniorHigh},
                        Group{20, 24, kFemale, kCollege}, Group{50, 54, kMale, kPrimary}}) {
    double n = 0, active = 0, p = 0;
    for (std::size_t i = 0; i < w.persons.size(); ++i) {
      if (w.persons.sex[i] != g.sex || w.persons.education[i] != g.education) continue;
      if (w.persons.age[i] < g.from || w.persons.age[i] > g.to) continue;
      n += 1;
      const std::uint8_t s = labour.labour_status[i];
      active += s == kEmployed || s == kUnemployed;
      p = std::min(1.0, config.participation_rate(w.persons.age[i], g.sex == kFemale) *
                            config.participation_factor[g.education]);
    }
    ASSERT_GT(n, 100) << g.from;
    EXPECT_NEAR(active / n, p, 4 * std::sqrt(p * (1 - p) / n)) << "ages " << g.from << "-" << g.to;
  }
}

TEST_F(BaseLabourForce, UnemploymentFallsWithSchooling) {
  const World& w = harness_->world();
  std::array<double, kEducationLevels> force{}, unemployed{};
  const ConstPersonJobs labour(w.persons);
  for (std::size_t i = 0; i < w.persons.size(); ++i) {
    const std::uint8_t s = labour.labour_status[i];
    if (s != kEmployed && s != kUnemployed) continue;
    force[w.persons.education[i]] += 1;
    unemployed[w.persons.education[i]] += s == kUnemployed;
  }
  // Relative risks 1.7 (primary) : 1.4 : 1.0 : 0.6 (college); the sample is large enough that the
  // order holds for neighbours two levels apart.
  const auto rate = [&](int e) { return unemployed[e] / force[e]; };
  EXPECT_GT(rate(kPrimary), rate(kSeniorHigh));
  EXPECT_GT(rate(kJuniorHigh), rate(kCollege));
  EXPECT_GT(rate(kSeniorHigh), rate(kCollege));
  double total_force = 0, total_unemployed = 0;
  for (int e = 0; e < kEducationLevels; ++e)
    total_force += force[e], total_unemployed += unemployed[e];
  // Exactly round(rate x labour force): the config's surveyed rate.
  const double rate_2020 = harness_->process().config().surveyed_unemployment_rate_2020;
  EXPECT_GT(rate_2020, 0.045);
  EXPECT_NEAR(total_unemployed / total_force, rate_2020, 0.5 / total_force);
}

TEST_F(BaseLabourForce, RetirementAgesAndChildren) {
  const World& w = harness_->world();
  const ConstPersonJobs labour(w.persons);
  for (std::size_t i = 0; i < w.persons.size(); ++i) {
    const int age = w.persons.age[i];
    const std::uint8_t s = labour.labour_status[i];
    if (w.persons.sex[i] == kMale) {
      EXPECT_EQ(s == kRetired, age >= 60) << age;
    } else if (age >= 55) {
      EXPECT_EQ(s, kRetired) << age;
    } else if (age < 50) {
      EXPECT_NE(s, kRetired) << age;
    }
    if (age < 16) {
      EXPECT_EQ(s, kNotInLabourForce);
    }
  }
}

TEST(EconomyZones, ZonesMissingFromTheConfigAreAverageAndAWorldWithoutZonesWorks) {
  Harness with_extra;
  World w = make_world(6000);
  w.zones.push_back({"newtown", "新城", "Newtown"});
  for (std::size_t k = 0; k < w.households.size(); k += 7) w.households.zone[k] = 14;
  with_extra.start(std::move(w));
  with_extra.run_year();
  EXPECT_EQ(check_economy_invariants(with_extra.world(), 7), "");
  EXPECT_NEAR(with_extra.indicator("gdp", 2020), 709.3, 0.05 * 709.3);

  Harness without;
  World bare = make_world(6000);
  bare.zones.clear();
  for (auto& z : bare.households.zone) z = 0;
  without.start(std::move(bare));
  without.run_year();
  EXPECT_EQ(check_economy_invariants(without.world(), 7), "");
  EXPECT_NEAR(without.indicator("gdp", 2020), 709.3, 0.05 * 709.3);
  EXPECT_FALSE(without.results().zones.count("jobs"));
}

TEST(EconomyZones, TravelCostsAndZonedJobFloorSpaceOfALandUseModelAreUsed) {
  Harness h;
  World w = make_world(6000);
  const std::size_t z = w.zone_count();
  ZoneInputs& land = w.modules.ensure<ZoneInputs>();
  land.travel_cost_minutes.assign(z * z, 50.0f);
  for (std::size_t k = 0; k < z; ++k) land.travel_cost_minutes[k * z + k] = 10.0f;
  land.job_floor_capacity_m2.assign(z, 3.0e6);
  land.job_floor_capacity_m2[11] = 6.0e6;  // xushui upzoned
  h.start(std::move(w));
  h.run_year();
  const auto& state = h.process().state();
  EXPECT_NEAR(state.access(0, 1), std::exp(-50.0 / 25), 1e-12);
  EXPECT_NEAR(state.access(3, 3), std::exp(-10.0 / 25), 1e-12);
  const double scale = 1.0 / h.world().person_weight;
  EXPECT_NEAR(state.zone_capacity[0], 3.0e6 / 30 * scale, 1e-9);
  EXPECT_NEAR(state.zone_capacity[11], 6.0e6 / 30 * scale, 1e-9);
  EXPECT_EQ(check_economy_invariants(h.world(), 7), "");
}

}  // namespace
}  // namespace plansim::economy_test

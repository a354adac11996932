// Known-answer and statistical tests of the economy's building blocks: commuting weights, job
// matching order, position allocation, Pareto firm sizes, firm compaction and the retirement rule.
#include "economy/detail/matching.h"

#include <gtest/gtest.h>

#include <cmath>

#include "economy/detail/draws.h"
#include "economy/detail/firms.h"
#include "economy/economy_config.h"

namespace plansim::economy {
namespace {

// One household per person, all in zone 0 unless told otherwise.
World tiny_world(const std::vector<std::uint8_t>& education, std::size_t zones = 1) {
  World w;
  for (std::size_t z = 0; z < zones; ++z)
    w.zones.push_back({std::string(1, static_cast<char>('a' + z)), "", ""});
  w.modules.emplace<FirmTable>();
  add_person_jobs(w.persons);
  for (std::uint8_t e : education) {
    const std::uint32_t h = w.households.append(w.new_household_id(), 0);
    w.persons.append(w.new_person_id(), 35, kMale, e, h);
    PersonJobs(w.persons).labour_status.back() = kUnemployed;
  }
  rebuild_members(w);
  return w;
}

TEST(CommutingAccess, IsOneEverywhereWithoutGeometry) {
  const std::vector<ZoneLabel> zones = {{"a", "", ""}, {"b", "", ""}};
  const AccessMatrix m = commuting_access(zones, 5000);
  EXPECT_EQ(m.zones, 2u);
  for (std::size_t h = 0; h < 2; ++h)
    for (std::size_t w = 0; w < 2; ++w) EXPECT_EQ(m(h, w), 1.0);
}

TEST(CommutingAccess, DecaysExponentiallyWithCentroidDistance) {
  std::vector<ZoneLabel> zones = {{"a", "", ""}, {"b", "", ""}};
  zones[0].x_m = 0, zones[0].y_m = 0, zones[0].area_km2 = 3.141592653589793;  // radius 1 km
  zones[1].x_m = 6000, zones[1].y_m = 8000;                                   // 10 km away, no area
  const AccessMatrix m = commuting_access(zones, 5000);
  EXPECT_NEAR(m(0, 1), std::exp(-2.0), 1e-12);
  EXPECT_NEAR(m(1, 0), std::exp(-2.0), 1e-12);
  EXPECT_NEAR(m(0, 0), std::exp(-500.0 / 5000), 1e-12);  // half the radius within a zone
  EXPECT_EQ(m(1, 1), 1.0);                               // unknown area: distance 0
}

TEST(JobMatching, FillsBestFittingApplicantsFirstThenByIdAndFirmsInIdOrder) {
  // Education: junior high (fit 0.5), college (1.0), primary (0: never applies), college.
  World w = tiny_world({kJuniorHigh, kCollege, kPrimary, kCollege});
  FirmTable& firms = w.get<FirmTable>();
  PersonJobs labour(w.persons);
  append_firm(firms, 10, 0, 0, 1.0f, 1.0f, 5);
  append_firm(firms, 11, 0, 0, 1.0f, 1.0f, 5);
  firms.vacancies = {2, 1};
  FirmBuckets buckets;
  buckets.build(firms, 1, 1);
  MatchingRules rules;
  rules.rounds = 1;
  rules.search_intensity = 1.0;
  rules.fit = {{0.0, 0.0, 0.5, 0.5, 1.0}};
  std::vector<std::uint32_t> seekers = {0, 1, 2, 3};
  JobMatcher matcher;
  const RngStreams rng(1, 0);
  EXPECT_EQ(matcher.match(w, buckets, AccessMatrix{}, rules, seekers, rng, 2021, 8), 3);
  // Firm 10 takes the two graduates (rows 1 and 3, in id order), firm 11 the junior-high worker.
  EXPECT_EQ(labour.employer, (std::vector<std::uint32_t>{1, 0, kNoRow, 0}));
  EXPECT_EQ(labour.labour_status[2], kUnemployed);
  EXPECT_EQ(seekers, (std::vector<std::uint32_t>{2}));
  EXPECT_EQ(firms.employees, (std::vector<std::uint32_t>{2, 1}));
  EXPECT_EQ(firms.vacancies, (std::vector<std::uint32_t>{0, 0}));
}

TEST(JobMatching, SeekersChooseZonesInProportionToVacanciesTimesAccess) {
  // 4,000 college seekers in zone 0; zone 0 has 1 vacancy-weight, zone 1 has 3 but half the
  // access: choice odds 1 : 1.5, i.e. 40% apply to zone 0 in the first round.
  std::vector<std::uint8_t> education(4000, kCollege);
  World w = tiny_world(education, 2);
  FirmTable& firms = w.get<FirmTable>();
  append_firm(firms, 1, 0, 0, 1.0f, 1.0f, 5);
  append_firm(firms, 2, 0, 1, 1.0f, 1.0f, 5);
  firms.vacancies = {100000, 300000};
  FirmBuckets buckets;
  buckets.build(firms, 2, 1);
  AccessMatrix access;
  access.zones = 2;
  access.weight = {1.0, 0.5, 0.5, 1.0};
  MatchingRules rules;
  rules.rounds = 1;
  rules.search_intensity = 1.0;
  rules.fit = {{1, 1, 1, 1, 1}};
  std::vector<std::uint32_t> seekers(4000);
  for (std::uint32_t i = 0; i < 4000; ++i) seekers[i] = i;
  JobMatcher matcher;
  matcher.match(w, buckets, access, rules, seekers, RngStreams(3, 0), 2021, 8);
  const double zone0 = firms.employees[0];
  const double p = 0.4, n = 4000;
  EXPECT_NEAR(zone0, p * n, 4 * std::sqrt(n * p * (1 - p)));  // binomial, 4 sd
  EXPECT_EQ(firms.employees[0] + firms.employees[1], 4000u);
}

TEST(JobMatching, ApplicationRateFollowsTightnessAndCalibrationFillsVacancies) {
  MatchingRules rules;
  rules.rounds = 4;
  rules.search_intensity = 0.5;
  rules.efficiency = 0.2;
  rules.elasticity = 0.5;
  EXPECT_NEAR(rules.application_rate(400, 100), 0.4, 1e-12);  // 0.2 * sqrt(4)
  EXPECT_EQ(rules.application_rate(10000, 100), 0.5);         // capped
  EXPECT_EQ(rules.application_rate(0, 100), 0.0);
  const double efficiency = rules.calibrate_efficiency(800, 1000);
  rules.efficiency = efficiency;
  EXPECT_NEAR(rules.expected_hires(800, 1000), 800, 1.0);
  rules.efficiency = 0.99 * efficiency;
  EXPECT_LT(rules.expected_hires(800, 1000), 0.999 * 800);
}

TEST(JobMatching, FillInOrderHandsRemainingVacanciesToRemainingSeekers) {
  World w = tiny_world({kPrimary, kPrimary, kPrimary});
  FirmTable& firms = w.get<FirmTable>();
  PersonJobs labour(w.persons);
  append_firm(firms, 1, 0, 0, 1.0f, 1.0f, 5);
  append_firm(firms, 2, 0, 0, 1.0f, 1.0f, 5);
  firms.vacancies = {0, 2};
  std::vector<std::uint32_t> seekers = {0, 2, 1};
  EXPECT_EQ(fill_in_order(w, seekers), 2);
  EXPECT_EQ(labour.employer, (std::vector<std::uint32_t>{1, kNoRow, 1}));
  EXPECT_EQ(seekers, (std::vector<std::uint32_t>{1}));
}

TEST(FirmSizes, AllocationGivesEveryFirmOneAndSplitsTheRestByLargestRemainder) {
  std::vector<std::uint32_t> positions;
  allocate_positions(10, {1, 1, 2}, positions);  // extra 7 -> 1.75, 1.75, 3.5
  EXPECT_EQ(positions, (std::vector<std::uint32_t>{3, 3, 4}));
  allocate_positions(3, {5, 0, 1}, positions);
  EXPECT_EQ(positions, (std::vector<std::uint32_t>{1, 1, 1}));
  allocate_positions(1000003, {1e6, 1, 1, 3.5}, positions);
  EXPECT_EQ(positions[0] + positions[1] + positions[2] + positions[3], 1000003u);
  EXPECT_GE(*std::min_element(positions.begin(), positions.end()), 1u);
}

TEST(FirmSizes, ParetoWeightsHaveTheConfiguredTail) {
  // Chi-square over doubling bins [1,2), [2,4), ..., [64, inf): P(W >= w) = w^-alpha.
  const double alpha = 1.06;
  const int n = 20000, bins = 7;
  std::vector<double> observed(bins, 0);
  const RngStreams rng(2021, 0);
  for (int k = 0; k < n; ++k) {
    AgentRng r = stream(rng, 2020, 8, Purpose::kFirmCreation, static_cast<std::uint64_t>(k));
    const double w = pareto_weight(r, alpha);
    ASSERT_GE(w, 1.0);
    observed[std::min(bins - 1, static_cast<int>(std::floor(std::log2(w))))] += 1;
  }
  double chi2 = 0;
  for (int b = 0; b < bins; ++b) {
    const double upper = b == bins - 1 ? 0.0 : std::pow(2.0, -(b + 1) * alpha);
    const double expected = n * (std::pow(2.0, -b * alpha) - upper);
    chi2 += (observed[b] - expected) * (observed[b] - expected) / expected;
  }
  EXPECT_LT(chi2, 22.46);  // chi-square, 6 degrees of freedom, p = 0.001
}

TEST(FirmCompaction, DropsRemovedFirmsAndRemapsEmployers) {
  World w = tiny_world({kPrimary, kPrimary, kPrimary});
  FirmTable& firms = w.get<FirmTable>();
  PersonJobs labour(w.persons);
  for (std::uint64_t id = 1; id <= 3; ++id) append_firm(firms, id, 0, 0, 1.0f, 1.0f, 1);
  labour.employer = {0, 2, 1};
  labour.labour_status = {kEmployed, kEmployed, kEmployed};
  labour.wage_yuan = {1.0f, 1.0f, 1.0f};
  firms.removed[1] = 1;
  EXPECT_EQ(compact_firms(w), 1u);
  EXPECT_EQ(firms.id, (std::vector<std::uint64_t>{1, 3}));
  EXPECT_EQ(labour.employer, (std::vector<std::uint32_t>{0, 1, kNoRow}));
  EXPECT_EQ(labour.labour_status[2], kUnemployed);  // left at a removed firm: out of work
  EXPECT_EQ(labour.wage_yuan[2], 0.0f);
  EmployeeIndex index;
  index.build(w);
  EXPECT_EQ(firms.employees, (std::vector<std::uint32_t>{1, 1}));
  EXPECT_EQ(index.person, (std::vector<std::uint32_t>{0, 1}));
}

TEST(Retirement, AgesRiseLinearlyFromTheReformYearToTheirTargets) {
  RetirementRules r;  // 60 / 55 / 50, reform from 2025 over 15 years to 63 / 58 / 55
  r.reform_start_year = 2025;
  EXPECT_EQ(r.age(2024, false, false), 60);
  EXPECT_EQ(r.age(2025, false, false), 60);  // + floor(3 * 1/15)
  EXPECT_EQ(r.age(2029, false, false), 61);  // + floor(3 * 5/15)
  EXPECT_EQ(r.age(2039, false, false), 63);
  EXPECT_EQ(r.age(2050, false, false), 63);
  EXPECT_EQ(r.age(2027, true, true), 51);   // women workers: + floor(5 * 3/15)
  EXPECT_EQ(r.age(2034, true, false), 57);  // women cadres: + floor(3 * 10/15)
  r.reform_start_year = 0;
  EXPECT_EQ(r.age(2050, true, true), 50);
}

TEST(Draws, PurposesAndAgentKindsUseSeparateStreams) {
  const RngStreams rng(5, 0);
  const double a = stream(rng, 2021, 8, Purpose::kQuit, 42).uniform();
  const double b = stream(rng, 2021, 8, Purpose::kLayoff, 42).uniform();
  const double c = stream(rng, 2021, 8, Purpose::kFirmYear, 42).uniform();
  EXPECT_NE(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(a, stream(rng, 2021, 8, Purpose::kQuit, 42).uniform());
  EXPECT_EQ(subject(Purpose::kMatching, 7, 2) >> 56, 66u);
}

}  // namespace
}  // namespace plansim::economy

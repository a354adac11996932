// Accounting invariants over several years with a changing population (ageing, deaths, moves in):
// every employed person holds exactly one job at an existing firm, firm employees equal the
// persons linked to them, value added sums to GDP, employment changes by hires minus separations.
#include <gtest/gtest.h>

#include "economy_test_support.h"

namespace plansim::economy_test {
namespace {

std::int64_t employed(const World& w) {
  std::int64_t n = 0;
  const ConstPersonJobs labour(w.persons);
  for (std::size_t i = 0; i < w.persons.size(); ++i) n += labour.labour_status[i] == kEmployed;
  return n;
}

// What demography does between two economy steps: one more year of age, some deaths and
// departures (removed and compacted away), some newcomers of working age.
void change_population(World& w, std::mt19937_64& g) {
  age_one_year(w);
  for (std::size_t i = 0; i < w.persons.size(); ++i)
    if (unit(g) < 0.01) w.persons.removed[i] = 1;
  compact(w);
  for (int k = 0; k < 300; ++k) {
    const auto zone = static_cast<std::uint16_t>(k % w.zone_count());
    const std::uint32_t h = w.households.append(w.new_household_id(), zone);
    w.persons.append(w.new_person_id(), static_cast<std::uint8_t>(22 + k % 20),
                     static_cast<std::uint8_t>(k % 2), kCollege, h);
  }
  rebuild_members(w);
}

class EconomyYears : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    harness_ = new Harness();
    ASSERT_TRUE(harness_->diags().empty()) << harness_->diags().format();
    harness_->start(make_world(30000));
    initial_problem_ = check_economy_invariants(harness_->world(), 7);
    std::mt19937_64 g(99);
    std::int64_t before = employed(harness_->world());
    for (int year = 2020; year <= 2026; ++year) {
      if (year > 2020) change_population(harness_->world(), g);
      harness_->run_year();
      YearCheck c;
      c.year = year;
      c.problem = check_economy_invariants(harness_->world(), 7);
      const World& w = harness_->world();
      const FirmTable& firms = w.get<FirmTable>();
      for (std::size_t f = 0; f < firms.size(); ++f)
        c.firm_value_added += firms.value_added_yuan[f];
      c.firm_value_added *= w.person_weight / 1e8;
      c.employed_before = before;
      c.employed_after = before = employed(w);
      const ConstPersonJobs labour(w.persons);
      for (std::size_t i = 0; i < w.persons.size(); ++i) {
        const bool female = w.persons.sex[i] == kFemale;
        const int age = w.persons.age[i];
        const std::uint8_t status = labour.labour_status[i];
        const bool working = status == kEmployed || status == kUnemployed;
        c.children_in_labour_force += age < 16 && working;
        c.employed_past_retirement += status == kEmployed && age >= (female ? 58 : 63);
      }
      c.patent_stock = harness_->process().state().patent_stock;
      for (const auto& st : harness_->process().state().sectors) c.rd_spending += st.rd_spending;
      checks_.push_back(c);
    }
  }
  static void TearDownTestSuite() {
    delete harness_;
    harness_ = nullptr;
    checks_.clear();
  }
  struct YearCheck {
    int year = 0;
    std::string problem;
    double firm_value_added = 0;
    std::int64_t employed_before = 0, employed_after = 0;
    std::int64_t children_in_labour_force = 0, employed_past_retirement = 0;
    double patent_stock = 0, rd_spending = 0;  // simulated units
  };
  static Harness* harness_;
  static std::string initial_problem_;
  static std::vector<YearCheck> checks_;
};
Harness* EconomyYears::harness_ = nullptr;
std::string EconomyYears::initial_problem_;
std::vector<EconomyYears::YearCheck> EconomyYears::checks_;

TEST_F(EconomyYears, EveryJobLinksOneEmployedPersonToOneExistingFirm) {
  EXPECT_EQ(initial_problem_, "") << "after initialize()";
  for (const YearCheck& c : checks_) EXPECT_EQ(c.problem, "") << c.year;
}

TEST_F(EconomyYears, ValueAddedOfFirmsAndOfSectorsSumsToGdp) {
  const auto& sectors = harness_->process().config().sectors;
  for (const YearCheck& c : checks_) {
    const double gdp = harness_->indicator("gdp", c.year);
    EXPECT_NEAR(c.firm_value_added, gdp, 1e-5 * gdp) << c.year;
    double sum = 0, secondary = 0;
    for (const auto& s : sectors) {
      sum += harness_->indicator("value_added_" + s.key, c.year);
      if (s.secondary) secondary += harness_->indicator("value_added_" + s.key, c.year);
    }
    EXPECT_NEAR(sum, gdp, 1e-9 * gdp) << c.year;
    EXPECT_NEAR(harness_->indicator("secondary_share", c.year) +
                    harness_->indicator("tertiary_share", c.year),
                100.0, 1e-9);
    EXPECT_NEAR(harness_->indicator("secondary_share", c.year), 100 * secondary / gdp, 1e-9);
  }
}

TEST_F(EconomyYears, EmploymentChangesByHiresMinusSeparations) {
  const double w = harness_->world().person_weight;
  for (const YearCheck& c : checks_) {
    const double flows = static_cast<double>(harness_->event("hires", c.year) -
                                             harness_->event("separations", c.year));
    // Events are weighted and rounded one by one: allow one rounding per event kind.
    EXPECT_NEAR(static_cast<double>(c.employed_after - c.employed_before) * w, flows, 1.0)
        << c.year;
    EXPECT_GT(harness_->event("hires", c.year), 0) << c.year;
    EXPECT_GT(harness_->event("separations", c.year), 0) << c.year;
    EXPECT_GT(harness_->event("firm_entries", c.year), 0) << c.year;
    EXPECT_GT(harness_->event("firm_exits", c.year), 0) << c.year;
  }
}

TEST_F(EconomyYears, ChildrenAndRetireesDoNotWork) {
  for (const YearCheck& c : checks_) {
    EXPECT_EQ(c.children_in_labour_force, 0) << c.year;
    EXPECT_EQ(c.employed_past_retirement, 0) << c.year;  // above every phased-in retirement age
  }
}

TEST_F(EconomyYears, ZonePanelOfJobsSumsToEmployment) {
  const auto& zones = harness_->results().zones;
  ASSERT_TRUE(zones.count("jobs"));
  const std::vector<float>& jobs = zones.at("jobs");
  const std::size_t z = harness_->world().zone_count();
  for (const YearCheck& c : checks_) {
    const std::size_t row = static_cast<std::size_t>(c.year - 2020);
    double sum = 0;
    for (std::size_t k = 0; k < z; ++k) sum += jobs[row * z + k];
    EXPECT_NEAR(sum, harness_->indicator("employment", c.year), 1e-4 * sum) << c.year;
  }
}

TEST_F(EconomyYears, NominalAndRealGdpDifferByTheDeflator) {
  const double inflation = harness_->process().config().deflator_growth;
  for (const YearCheck& c : checks_) {
    const double ratio =
        harness_->indicator("gdp", c.year) / harness_->indicator("gdp_real", c.year);
    EXPECT_NEAR(ratio, std::pow(1 + inflation, c.year - 2020), 1e-12) << c.year;
  }
  for (int year = 2021; year <= 2026; ++year) {
    const double expected =
        100 *
        (harness_->indicator("gdp_real", year) / harness_->indicator("gdp_real", year - 1) - 1);
    EXPECT_NEAR(harness_->indicator("gdp_real_growth", year), expected, 1e-9) << year;
  }
}

TEST_F(EconomyYears, PatentGrantsArePoissonInTheFirmsRdSpending) {
  // grants(t) = stock(t) - stock(t-1) x (1 - lapse): whole numbers, and their sum over the years
  // is Poisson with mean sum(R&D x grants per yuan): within 4 sd.
  const auto& cfg = harness_->process().config().innovation;
  double grants = 0, mean = 0;
  for (std::size_t k = 1; k < checks_.size(); ++k) {
    const double g = checks_[k].patent_stock - checks_[k - 1].patent_stock * (1 - cfg.lapse_rate);
    EXPECT_NEAR(g, std::round(g), 1e-6) << checks_[k].year;
    EXPECT_GE(std::round(g), 0.0);
    grants += g;
    mean += checks_[k].rd_spending * cfg.grants_per_100m_yuan / 1e8;
  }
  EXPECT_GT(mean, 20.0);
  EXPECT_NEAR(grants, mean, 4 * std::sqrt(mean));
  EXPECT_NEAR(harness_->indicator("high_value_patents_per_10k", 2026),
              cfg.high_value_share * harness_->indicator("patents_per_10k", 2026), 1e-12);
}

}  // namespace
}  // namespace plansim::economy_test

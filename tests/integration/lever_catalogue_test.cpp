// The lever catalogue (docs/levers.yaml): every parameter the documentation presents as a lever is
// run at two values on the baseline scenario, and its indicator must move in the documented
// direction by at least the catalogue's threshold. The two runs share their seed (common random
// numbers). docs/levers.md must list exactly the catalogue's levers.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/central_scenario.h"
#include "cli/register_builtin.h"
#include "core/simulation.h"
#include "io/scenario_loader.h"
#include "io/yaml_loader.h"

namespace plansim {
namespace {

const std::string kSource = PLANSIM_SOURCE_DIR;

struct Lever {
  std::string key, label, indicator, effect;
  std::vector<std::string> low, high;  // --set overrides
  int first_year = 0, last_year = 0;   // the measure: one year, or the sum over the years
  double min_change = 0, min_difference = 0;
  std::vector<std::string> run;  // --set overrides of the run settings
};

std::vector<std::string> overrides(const ParamNode* map) {
  std::vector<std::string> out;
  if (!map || !map->is_map()) return out;
  for (const auto& e : map->entries()) {
    std::string value = e.value->is_scalar() ? e.value->text() : e.value->to_yaml();
    while (!value.empty() && value.back() == '\n') value.pop_back();
    out.push_back(e.key + "=" + value);
  }
  return out;
}

std::vector<std::string> run_overrides(const ParamNode* run) {
  std::vector<std::string> out;
  for (const std::string& o : overrides(run)) out.push_back("run." + o);
  return out;
}

std::vector<Lever> load_catalogue() {
  Diagnostics d;
  const ParamNode root = load_yaml_file(kSource + "/docs/levers.yaml", d);
  std::vector<Lever> levers;
  if (!d.empty()) {
    ADD_FAILURE() << d.format();
    return levers;
  }
  const std::vector<std::string> defaults = run_overrides(root.peek("run"));
  const ParamNode* list = root.peek("levers");
  for (const ParamNode& item : list ? list->items() : std::vector<ParamNode>{}) {
    Lever l;
    const auto text = [&](const char* key) {
      const ParamNode* n = item.peek(key);
      return n && n->is_scalar() ? n->text() : std::string();
    };
    const auto number = [&](const char* key) {
      const std::string t = text(key);
      return t.empty() ? 0.0 : std::stod(t);
    };
    l.key = text("key");
    l.label = text("label");
    l.indicator = text("indicator");
    l.effect = text("effect");
    l.low = overrides(item.peek("low"));
    l.high = overrides(item.peek("high"));
    l.min_change = number("min_change");
    l.min_difference = number("min_difference");
    const ParamNode* measure = item.peek("measure");
    if (const ParamNode* y = measure ? measure->peek("year") : nullptr) {
      l.first_year = l.last_year = std::stoi(y->text());
    } else if (const ParamNode* ys = measure ? measure->peek("years") : nullptr) {
      const std::string t = ys->text();
      l.first_year = std::stoi(t.substr(0, t.find('-')));
      l.last_year = std::stoi(t.substr(t.find('-') + 1));
    }
    l.run = defaults;
    for (const std::string& o : run_overrides(item.peek("run"))) l.run.push_back(o);
    // PLANSIM_LEVER_SEED=S reruns the catalogue with another seed (a check that the thresholds
    // stand above the sampling noise, not part of the suite).
    if (const char* seed = std::getenv("PLANSIM_LEVER_SEED"))
      l.run.push_back(std::string("run.seed=") + seed);
    levers.push_back(std::move(l));
  }
  return levers;
}

const std::vector<Lever>& catalogue() {
  static const std::vector<Lever> levers = load_catalogue();
  return levers;
}

// The indicator (or event) of one run: its value in first_year, or its sum over the years, summed
// over replicates 0 .. replicates-1.
double measure(const Lever& lever, const std::vector<std::string>& sets,
               std::uint32_t replicates = 1) {
  std::vector<std::string> all = lever.run;
  all.insert(all.end(), sets.begin(), sets.end());
  Diagnostics d;
  Registry registry;
  register_builtin_processes(registry);
  const auto loaded = load_central(kSource + "/scenarios/baseline.yaml", all, registry, d);
  const Simulation sim = Simulation::configure(loaded->scenario, loaded->city, registry, d);
  EXPECT_TRUE(d.empty()) << lever.key << ":\n" << d.format();
  if (!d.empty()) return std::nan("");
  double total = 0;
  for (std::uint32_t k = 0; k < replicates; ++k) {
    const ReplicateResults r = sim.run_replicate(k);
    for (int year = lever.first_year; year <= lever.last_year; ++year) {
      const auto row = static_cast<std::size_t>(year - r.years.front());
      if (const auto it = r.indicators.find(lever.indicator); it != r.indicators.end()) {
        EXPECT_LT(row, it->second.size()) << lever.key << ": " << year << " is not in the run";
        total += row < it->second.size() ? it->second[row] : std::nan("");
      } else if (const auto ev = r.events.find(lever.indicator); ev != r.events.end()) {
        total += row < ev->second.size() ? static_cast<double>(ev->second[row]) : std::nan("");
      } else {
        ADD_FAILURE() << lever.key << ": the run records no series '" << lever.indicator << "'";
        return std::nan("");
      }
    }
  }
  return total;
}

class LeverCatalogue : public testing::TestWithParam<std::size_t> {};

TEST_P(LeverCatalogue, MovesItsIndicatorTheDocumentedWay) {
  const Lever& lever = catalogue().at(GetParam());
  ASSERT_TRUE(lever.effect == "raises" || lever.effect == "lowers") << lever.key;
  ASSERT_GT(lever.min_change + lever.min_difference, 0.0) << lever.key << ": no threshold";
  const double low = measure(lever, lever.low);
  const double high = measure(lever, lever.high);
  const double sign = lever.effect == "raises" ? 1.0 : -1.0;
  const double difference = sign * (high - low);
  std::ostringstream what;
  what << lever.key << " (" << lever.label << "): " << lever.indicator << " " << low << " at low, "
       << high << " at high; documented: " << lever.effect;
  if (lever.min_difference > 0) {
    EXPECT_GE(difference, lever.min_difference) << what.str();
  }
  if (lever.min_change > 0) {
    EXPECT_GE(difference / std::abs(low), lever.min_change) << what.str();
  }
}

INSTANTIATE_TEST_SUITE_P(Docs, LeverCatalogue, testing::Range<std::size_t>(0, catalogue().size()),
                         [](const testing::TestParamInfo<std::size_t>& info) {
                           std::string name;
                           for (char c : catalogue().at(info.param).key)
                             name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

// The table of docs/levers.md names the catalogue's levers, no more and no fewer.
TEST(LeverCatalogueDocs, TheTableListsExactlyTheCataloguesLevers) {
  std::ifstream in(kSource + "/docs/levers.md");
  ASSERT_TRUE(in) << "docs/levers.md is missing";
  std::set<std::string> documented;
  for (std::string line; std::getline(in, line);) {
    // Rows look like: | `key` | label | indicator | effect |
    if (line.rfind("| `", 0) != 0) continue;
    const auto end = line.find('`', 3);
    documented.insert(line.substr(3, end - 3));
  }
  std::set<std::string> catalogued;
  for (const Lever& l : catalogue()) {
    EXPECT_TRUE(catalogued.insert(l.key).second) << l.key << " is in the catalogue twice";
    EXPECT_TRUE(documented.count(l.key)) << l.key << " is not in the table of docs/levers.md";
  }
  for (const std::string& key : documented)
    EXPECT_TRUE(catalogued.count(key))
        << key << " is in docs/levers.md but not in docs/levers.yaml";
  EXPECT_GE(catalogued.size(), 20u);
}

// `--set demography.fertility.tfr=1.1` lowers births of 2025 against 1.3 by about the ratio
// 1.1 / 1.3, and the TFR sweep's points give births strictly increasing with the TFR. The
// demographic processes only (births depend on nothing else), three replicates of a 25% sample:
// about 6,400 simulated births in 2025 at TFR 1.3. The tolerance is 3 standard errors of the ratio
// of two independent Poisson counts, r·sqrt(1/n₁ + 1/n₂) ≈ 0.016; that is conservative, since the
// two runs share the draws of the base-year women (common random numbers): over seeds 1-6 at a
// 10% sample the ratio stayed within 0.015 of 1.1 / 1.3.
TEST(LeverCatalogueTfr, BirthsFollowTheTfr) {
  Lever births;
  births.key = "demography.fertility.tfr";
  births.indicator = "births";
  births.run = {"run.scale=0.25", "run.end=2025",
                "processes=[synthesis, demography, exogenous, indicators]"};
  births.first_year = births.last_year = 2025;
  const double at_13 = measure(births, {"demography.fertility.tfr=1.3"}, 3);
  const double at_11 = measure(births, {"demography.fertility.tfr=1.1"}, 3);
  const double ratio = at_11 / at_13;
  // Births are recorded for the whole district (× 1 / scale): the simulated counts are × 0.25.
  const double se = ratio * std::sqrt(1 / (0.25 * at_11) + 1 / (0.25 * at_13));
  EXPECT_LT(se, 0.02) << "too few births for a meaningful test";
  EXPECT_NEAR(ratio, 1.1 / 1.3, 3 * se) << at_11 << " / " << at_13 << ", standard error " << se;
  // The grid of sweeps/tfr.yaml, at this test's sample size.
  Diagnostics d;
  const ParamNode sweep = load_yaml_file(kSource + "/sweeps/tfr.yaml", d);
  ASSERT_TRUE(d.empty()) << d.format();
  const ParamNode* grid = sweep.peek("sweep") ? sweep.peek("sweep")->peek("grid") : nullptr;
  const ParamNode* base = sweep.peek("sweep") ? sweep.peek("sweep")->peek("scenario") : nullptr;
  ASSERT_TRUE(base && base->text() == "../scenarios/baseline.yaml")
      << "the sweep runs the baseline";
  births.run = {"run.scale=0.1", "run.end=2025",  // the sweep's sample, a shorter horizon
                "processes=[synthesis, demography, exogenous, indicators]"};
  const ParamNode* values = grid ? grid->peek("demography.fertility.tfr") : nullptr;
  ASSERT_TRUE(values && values->items().size() >= 3);
  births.first_year = 2021;
  double previous = 0, previous_tfr = 0;
  for (const ParamNode& tfr : values->items()) {
    ASSERT_GT(std::stod(tfr.text()), previous_tfr) << "the grid ascends";
    const double b = measure(births, {"demography.fertility.tfr=" + tfr.text()});
    EXPECT_GT(b, previous) << "births 2021-2025 at TFR " << tfr.text();
    previous = b;
    previous_tfr = std::stod(tfr.text());
  }
}

}  // namespace
}  // namespace plansim

namespace plansim {
namespace {

// The two --set forms on the baseline's real trajectory (its calibrated TFR, dated by year): a
// knot laid over it gives exactly the run of the whole trajectory written out with that knot
// replaced, and it acts.
TEST(LeverCatalogueTfr, AKnotEqualsTheWholeTrajectoryWrittenOut) {
  Lever births;
  births.key = "demography.fertility.tfr";
  births.indicator = "births";
  births.run = {"run.scale=0.02", "run.end=2024",
                "processes=[synthesis, demography, exogenous, indicators]"};
  births.first_year = 2021;
  births.last_year = 2024;
  Diagnostics d;
  const ParamNode baseline = load_yaml_file(kSource + "/scenarios/baseline.yaml", d);
  ASSERT_TRUE(d.empty()) << d.format();
  const ParamNode* demography = baseline.peek("demography");
  const ParamNode* fertility = demography ? demography->peek("fertility") : nullptr;
  const ParamNode* tfr = fertility ? fertility->peek("tfr") : nullptr;
  ASSERT_TRUE(tfr && tfr->is_map()) << "the baseline's TFR is a trajectory by year";
  std::string whole = "{";
  bool has_2022 = false;
  // A knot may be uncertain ({dist: …}, docs/uncertainty.md): written out as it stands.
  const auto flow = [](const ParamNode& value) {
    if (!value.is_map()) return value.text();
    std::string text = "{";
    for (const auto& e : value.entries())
      text += (text.size() > 1 ? ", " : "") + e.key + ": " + e.value->text();
    return text + "}";
  };
  for (const auto& knot : tfr->entries()) {
    has_2022 = has_2022 || knot.key == "2022";
    whole += (whole.size() > 1 ? ", " : "") + knot.key + ": " +
             (knot.key == "2022" ? std::string("0.7") : flow(*knot.value));
  }
  whole += "}";
  ASSERT_TRUE(has_2022) << whole;
  const double knot = measure(births, {"demography.fertility.tfr.2022=0.7"});
  const double written_out = measure(births, {"demography.fertility.tfr=" + whole});
  const double unchanged = measure(births, {});
  EXPECT_EQ(knot, written_out) << whole;
  EXPECT_LT(knot, 0.9 * unchanged);
}

}  // namespace
}  // namespace plansim

namespace plansim {
namespace {

// The scored life expectancy is the period life table of the year's death rates
// (docs/scorecard.md): levers that cannot touch mortality — fertility, migration, services, prices,
// policies — leave it bit-identical in every year, while a mortality lever moves it. The whole
// baseline, a 2% sample, the same seed for all runs.
std::vector<double> life_expectancy_series(const std::vector<std::string>& sets) {
  std::vector<std::string> all = {"run.scale=0.02", "run.end=2025"};
  all.insert(all.end(), sets.begin(), sets.end());
  Diagnostics d;
  Registry registry;
  register_builtin_processes(registry);
  const auto loaded = load_central(kSource + "/scenarios/baseline.yaml", all, registry, d);
  const Simulation sim = Simulation::configure(loaded->scenario, loaded->city, registry, d);
  EXPECT_TRUE(d.empty()) << d.format();
  if (!d.empty()) return {};
  const ReplicateResults r = sim.run_replicate(0);
  const auto it = r.indicators.find("life_expectancy");
  EXPECT_NE(it, r.indicators.end());
  return it == r.indicators.end() ? std::vector<double>{} : it->second;
}

TEST(LeverCatalogueLifeExpectancy, OnlyMortalityLeversMoveIt) {
  const std::vector<double> base = life_expectancy_series({});
  ASSERT_EQ(base.size(), 6u);
  for (double e : base) EXPECT_GT(e, 70.0);
  const std::vector<std::vector<std::string>> unrelated = {
      {"demography.fertility.tfr=1.6"},
      {"demography.migration.in_migrants_per_1000=15",
       "demography.migration.out_migrants_per_1000=15"},
      {"economy.deflator_growth=0.05"},
      {"policy.interventions=[{years: 2021-2025, add_beds: {kind: eldercare_institution, zone: "
       "xushui, beds_per_year: 1000}}, {years: 2021-2025, hire_staff: {kind: hospital, "
       "doctors_per_year: 200}}]"}};
  for (const auto& sets : unrelated) EXPECT_EQ(life_expectancy_series(sets), base) << sets[0];
  // About 12% lower death rates than the baseline's calibrated level (0.854).
  const std::vector<double> lower = life_expectancy_series({"demography.mortality.level=0.75"});
  ASSERT_EQ(lower.size(), base.size());
  for (std::size_t y = 0; y < base.size(); ++y) EXPECT_GT(lower[y], base[y] + 0.5) << 2020 + y;
}

}  // namespace
}  // namespace plansim

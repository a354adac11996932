// Bad input in the economy's city files and scenario block: one test per class of error, each
// checking the message and its file:line:col; all errors of a run are collected.
#include <gtest/gtest.h>

#include "core/diagnostics.h"
#include "economy_test_support.h"

namespace plansim::economy_test {
namespace {

/// "file:line:col" of the first occurrence of `needle` (plus `skip` characters) in the file.
std::string location(const std::string& file, const std::string& needle, std::size_t skip = 0) {
  const std::string text = read_text(file);
  const std::size_t at = text.find(needle);
  if (at == std::string::npos) return "<'" + needle + "' not found in " + file + ">";
  const std::size_t pos = at + skip;
  const std::size_t line_start = text.rfind('\n', pos == 0 ? 0 : pos - 1);
  const std::size_t begin = line_start == std::string::npos ? 0 : line_start + 1;
  int line = 1;
  for (std::size_t k = 0; k < begin; ++k) line += text[k] == '\n';
  // Columns count characters (UTF-8 code points), not bytes.
  int column = 1;
  for (std::size_t k = begin; k < pos; ++k)
    column += (static_cast<unsigned char>(text[k]) & 0xC0) != 0x80;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

void expect_error(const Harness& h, const std::string& where, const std::string& message) {
  const std::string all = h.diags().format();
  EXPECT_NE(all.find(where + ": error: " + message), std::string::npos)
      << "expected: " << where << ": error: " << message << "\ngot:\n"
      << all;
}

TEST(EconomyConfigErrors, TheRealConfigAndAnEmptyScenarioBlockAreValid) {
  Harness h("economy: {}\n");
  EXPECT_TRUE(h.diags().empty()) << h.diags().format();
}

TEST(EconomyConfigErrors, UnknownKeyGetsADidYouMeanHint) {
  Harness h("", {{"economy.yaml", "  quit_rate: 0.06", "  quit_rat: 0.06"}});
  expect_error(h, location(h.city_file("economy.yaml"), "quit_rat:"),
               "labour_market.quit_rat: unknown key 'quit_rat' in 'labour_market' (did you mean "
               "'quit_rate'?)");
}

TEST(EconomyConfigErrors, MissingRequiredKey) {
  Harness h("", {{"economy.yaml", "  quit_rate: 0.06", ""}});
  expect_error(h, location(h.city_file("economy.yaml"), "min_working_age"),
               "labour_market: missing required key 'quit_rate'");
}

TEST(EconomyConfigErrors, WrongType) {
  Harness h("", {{"economy.yaml", "quit_rate: 0.06", "quit_rate: often"}});
  expect_error(h, location(h.city_file("economy.yaml"), "often"),
               "labour_market.quit_rate: expected a number, got 'often'");
}

TEST(EconomyConfigErrors, OutOfRange) {
  Harness h("", {{"economy.yaml", "quit_rate: 0.06", "quit_rate: 1.5"}});
  expect_error(h, location(h.city_file("economy.yaml"), "1.5"),
               "labour_market.quit_rate: 1.5 is out of range (must be [0, 1])");
}

TEST(EconomyConfigErrors, BadCellInASectorRowIsReportedAtTheCsvCell) {
  Harness h("", {{"economy_sectors.csv", "tertiary,130,8000", "tertiary,lots,8000"}});
  expect_error(h, location(h.city_file("economy_sectors.csv"), "lots"),
               "sectors[0].value_added_2020_yuan_100m: expected a number, got 'lots'");
}

TEST(EconomyConfigErrors, SectorListedTwice) {
  Harness h("", {{"economy_sectors.csv", "culture_tourism,文化", "tech_services,文化"}});
  expect_error(h, location(h.city_file("economy_sectors.csv"), "tech_services,文化"),
               "sectors[2].key: sector 'tech_services' is listed twice");
}

TEST(EconomyConfigErrors, IndustryMustBeSecondaryOrTertiary) {
  Harness h("", {{"economy_sectors.csv", "Headquarters economy,tertiary",
                  "Headquarters economy,primary"}});
  expect_error(h, location(h.city_file("economy_sectors.csv"), "primary,80"),
               "sectors[4].industry: 'primary' must be secondary or tertiary");
}

TEST(EconomyConfigErrors, SectorValueAddedMustAddUpToGdp) {
  Harness h("", {{"economy_sectors.csv", "tertiary,130,8000", "tertiary,150,8000"}});
  expect_error(h, location(h.city_file("economy.yaml"), "709.3"),
               "gdp_2020_yuan_100m: 709.3 differs from the sum of the sectors' "
               "value_added_2020_yuan_100m (729.3) by more than 0.5%");
  // The secondary share no longer fits either: both errors are reported.
  expect_error(h, location(h.city_file("economy.yaml"), "31.7"),
               "secondary_share_2020_percent: 31.7 differs from the secondary sectors' share of "
               "value added");
}

TEST(EconomyConfigErrors, ParticipationBandsMustNotOverlap) {
  Harness h("", {{"economy_participation.csv", "20,24,0.55", "19,24,0.55"}});
  expect_error(h, location(h.city_file("economy_participation.csv"), "19,24"),
               "participation[1]: ages 19-24 overlap an earlier band (16-19)");
}

TEST(EconomyConfigErrors, BaseYearMustBeTheRunStart) {
  Harness h("", {{"economy.yaml", "base_year: 2020", "base_year: 2021"}});
  expect_error(h, location(h.city_file("economy.yaml"), "base_year: 2021", 11),
               "base_year: the economy's base data are for 2021 but run.start is 2020");
}

TEST(EconomyConfigErrors, UnknownScenarioKeyGetsAHint) {
  Harness h("economy:\n  deflator_grwoth: 0.02\n");
  expect_error(h, location(h.scenario_file(), "deflator_grwoth"),
               "economy.deflator_grwoth: unknown key 'deflator_grwoth' in 'economy' (did you mean "
               "'deflator_growth'?)");
}

TEST(EconomyConfigErrors, UnknownSectorInAScenarioOverride) {
  Harness h("economy:\n  external_demand_growth: {tech_service: 0.1}\n");
  expect_error(
      h, location(h.scenario_file(), "tech_service:"),
      "economy.external_demand_growth.tech_service: unknown sector 'tech_service' (did "
      "you mean 'tech_services'?; sectors: tech_services, modern_commerce, "
      "culture_tourism, urban_manufacturing, headquarters, other_services, other_industry)");
}

TEST(EconomyConfigErrors, ShockLevelsOutsideTheInterventionsYears) {
  Harness h(
      "policy:\n  interventions:\n    - {years: 2022-2023, demand_shock: {sector: headquarters, "
      "level: {2022: -0.1, 2024: -0.05}}}\n    - {year: 2021, rd_subsidy: {sector: headquarters, "
      "rate: {step: {2020: 0.2, 2021: 0}}}}\n");
  expect_error(h, location(h.scenario_file(), "-0.05"),
               "policy.interventions[0].demand_shock.level.2024: 2024 is outside the "
               "intervention's years (2022-2023)");
  expect_error(h, location(h.scenario_file(), "0.2, 2021"),
               "policy.interventions[1].rd_subsidy.rate.step.2020: 2020 is outside the "
               "intervention's years (2021-2021)");
  EXPECT_EQ(h.diags().size(), 2u) << h.diags().format();
}

TEST(EconomyConfigErrors, AShockNeedsASectorALevelAndARecoveryCount) {
  Harness h(
      "policy:\n  interventions:\n    - {year: 2022, demand_shock: {sector: headquarter, level: "
      "-0.1}}\n    - {year: 2022, demand_shock: {sector: headquarters}}\n"
      "    - {year: 2022, demand_shock: {sector: headquarters, level: -0.1, recovery_years: "
      "soon}}\n");
  expect_error(h, location(h.scenario_file(), "headquarter,"),
               "policy.interventions[0].demand_shock.sector: unknown sector 'headquarter' (did you "
               "mean 'headquarters'?; sectors: tech_services, modern_commerce, culture_tourism, "
               "urban_manufacturing, headquarters, other_services, other_industry)");
  expect_error(h, location(h.scenario_file(), "{sector: headquarters}"),
               "policy.interventions[1].demand_shock: missing required key 'level'");
  expect_error(h, location(h.scenario_file(), "soon"),
               "policy.interventions[2].demand_shock.recovery_years: expected an integer");
  EXPECT_EQ(h.diags().size(), 3u) << h.diags().format();
}

// The form under economy: is refused with the intervention to write; so is a `years` map inside
// the action, which the earlier form had.
TEST(EconomyConfigErrors, TheEarlierEconomyKeysAreRefusedWithTheInterventionToWrite) {
  Harness h(
      "economy:\n  demand_shocks: [{sector: headquarters, years: {2022: -0.1}}]\n"
      "  rd_subsidies: [{sector: tech_services, years: {2022: 0.3}}]\n");
  expect_error(h, location(h.scenario_file(), "demand_shocks"),
               "economy.demand_shocks: demand shocks are interventions: write each under "
               "policy.interventions, e.g. {years: 2022-2023, demand_shock: {sector: "
               "modern_commerce, level: {2022: -0.10, 2023: -0.06}, recovery_years: 3}} "
               "(engine/economy/economy_interventions.h)");
  expect_error(h, location(h.scenario_file(), "rd_subsidies"),
               "economy.rd_subsidies: R&D subsidies are interventions: write each under "
               "policy.interventions, e.g. {years: 2022-2025, rd_subsidy: {sector: tech_services, "
               "rate: 0.3}} (engine/economy/economy_interventions.h)");
  EXPECT_EQ(h.diags().size(), 2u) << h.diags().format();
  Harness inside(
      "policy:\n  interventions:\n    - {years: 2022-2025, rd_subsidy: {sector: tech_services, "
      "years: {2022: 0.3}, rate: 0.3}}\n");
  expect_error(inside, location(inside.scenario_file(), "{2022: 0.3}"),
               "policy.interventions[0].rd_subsidy.years: the years of rd_subsidy are the "
               "intervention's own (year: or years: beside it); give the rates by year as `rate:`, "
               "e.g. {sector: tech_services, rate: 0.3}");
  EXPECT_EQ(inside.diags().size(), 1u) << inside.diags().format();
}

TEST(EconomyConfigErrors, AnInterventionInTheBaseYearIsRefused) {
  Harness h(
      "policy:\n  interventions:\n    - {year: 2020, rd_subsidy: {sector: tech_services, rate: "
      "0.3}}\n");
  expect_error(h, location(h.scenario_file(), "2020, rd_subsidy"),
               "policy.interventions[0].year: rd_subsidy starts in 2020, not after run.start "
               "(2020, the base year, which reproduces the published figures)");
  EXPECT_EQ(h.diags().size(), 1u) << h.diags().format();
}

TEST(EconomyConfigErrors, SubsidyRateOutOfRangeAndWrongScenarioType) {
  Harness h(
      "economy:\n  deflator_growth: high\npolicy:\n  interventions:\n    - {year: 2022, "
      "rd_subsidy: {sector: tech_services, rate: 1.2}}\n");
  expect_error(h, location(h.scenario_file(), "high"),
               "economy.deflator_growth: expected a number, got 'high'");
  expect_error(h, location(h.scenario_file(), "1.2"),
               "policy.interventions[0].rd_subsidy.rate: 1.2 is out of range (must be [0, 0.9])");
  EXPECT_EQ(h.diags().size(), 2u) << h.diags().format();  // every error, not just the first
}

TEST(EconomyConfigErrors, ZoneNotInTheWorldStopsTheRunAtItsCsvRow) {
  Harness h("", {{"economy_zones.csv", "xushui,", "xushiu,"}});
  ASSERT_TRUE(h.diags().empty()) << h.diags().format();  // the city here has no zones.yaml
  try {
    h.start(make_world(2000));
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    const std::string all = e.diagnostics().format();
    const std::string where = location(h.city_file("economy_zones.csv"), "xushiu");
    EXPECT_NE(all.find(where + ": error: zones: 'xushiu' is not a zone of the city (did you mean "
                               "'xushui'?)"),
              std::string::npos)
        << all;
  }
}

TEST(EconomyConfigErrors, ZoneKeysAreCheckedAgainstTheCityZonesWhenPresent) {
  Harness h("", {{"economy_zones.csv", "xushui,", "xushiu,"}});
  write_text(h.dir() / "city" / "zones.yaml",
             "zones:\n  - {key: xushui, name_zh: 须水, name_en: Xushui}\n");
  Diagnostics diags;
  const LoadedScenario loaded = load_scenario(h.scenario_file(), {}, diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  SeriesCatalog catalog;
  RunSettings run;
  EconomyProcess process;
  static const ParamNode empty(ParamNode::Kind::Map, SourceLoc{}, "");
  ConfigureContext ctx{empty, loaded.city, run, diags, catalog};
  process.configure(ctx);
  const std::string where = location(h.city_file("economy_zones.csv"), "xushiu");
  EXPECT_NE(diags.format().find(where + ": error: zones[11].zone: unknown zone 'xushiu' (did you "
                                        "mean 'xushui'?; zones: xushui)"),
            std::string::npos)
      << diags.format();
}

}  // namespace
}  // namespace plansim::economy_test

#include "economy/economy_config.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "economy/detail/draws.h"  // kMaxMatchingRounds

namespace plansim::economy {
namespace {

// The map at `key`: required in the city file, optional in the scenario.
const ParamNode* map_at(const ParamNode& parent, std::string_view key, bool required,
                        Diagnostics& diags) {
  const ParamNode* n = required ? parent.require(key, diags) : parent.find(key);
  if (n && !n->is_map()) {
    diags.error(n->loc(), n->path() + ": expected a map, got " + describe_node(*n));
    return nullptr;
  }
  return n;
}

const ParamNode* table_at(const ParamNode& parent, std::string_view key, Diagnostics& diags) {
  const ParamNode* n = parent.require(key, diags);
  if (n && !n->is_sequence()) {
    diags.error(n->loc(), n->path() +
                              ": expected a table ({csv: file.csv} or a list of maps), got " +
                              describe_node(*n));
    return nullptr;
  }
  return n;
}

// A number that the city file must give and the scenario may override: `current` is the value
// so far (the city's when reading the scenario).
double number(const ParamNode& block, std::string_view key, double current, bool required,
              Diagnostics& diags, double lo, double hi) {
  if (!required) return block.number(key, current, diags, lo, hi);
  const ParamNode* n = block.require(key, diags);
  return n ? n->as_number(diags, lo, hi).value_or(current) : current;
}

int integer(const ParamNode& block, std::string_view key, int current, bool required,
            Diagnostics& diags, std::int64_t lo, std::int64_t hi) {
  if (!required) return static_cast<int>(block.integer(key, current, diags, lo, hi));
  const ParamNode* n = block.require(key, diags);
  return n ? static_cast<int>(n->as_integer(diags, lo, hi).value_or(current)) : current;
}

bool valid_key(const std::string& key) {
  return !key.empty() && key[0] >= 'a' && key[0] <= 'z' &&
         std::all_of(key.begin(), key.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
         });
}

std::array<double, kEducationLevels> education_values(const ParamNode& block, std::string_view key,
                                                      Diagnostics& diags, double lo, double hi) {
  std::array<double, kEducationLevels> out{};
  const ParamNode* n = block.require(key, diags);
  if (!n) return out;
  if (!n->is_sequence() || n->items().size() != kEducationLevels) {
    diags.error(n->loc(), n->path() + ": expected a list of " + std::to_string(kEducationLevels) +
                              " numbers (below_primary, primary, junior_high, senior_high, "
                              "college), got " +
                              describe_node(*n));
    n->mark_all_used();
    return out;
  }
  for (std::size_t e = 0; e < kEducationLevels; ++e)
    out[e] = n->items()[e].as_number(diags, lo, hi).value_or(0.0);
  return out;
}

void read_sectors(const ParamNode& file, EconomyConfig& c, Diagnostics& diags) {
  const ParamNode* table = table_at(file, "sectors", diags);
  if (!table) return;
  if (table->items().empty() || table->items().size() > kMaxSectors) {
    diags.error(table->loc(), table->path() + ": expected 1 to " + std::to_string(kMaxSectors) +
                                  " sectors, got " + std::to_string(table->items().size()));
  }
  for (const ParamNode& row : table->items()) {
    if (!row.is_map()) {
      diags.error(row.loc(), row.path() + ": expected a sector row, got " + describe_node(row));
      continue;
    }
    SectorSpec s;
    s.loc = row.loc();
    s.key = row.required_string("key", diags);
    if (const ParamNode* key = row.find("key")) {
      if (!valid_key(s.key))
        diags.error(key->loc(), key->path() + ": '" + s.key +
                                    "' must start with a lower-case letter and contain only "
                                    "lower-case ASCII letters, digits or '_'");
      for (const SectorSpec& other : c.sectors)
        if (other.key == s.key)
          diags.error(key->loc(), key->path() + ": sector '" + s.key + "' is listed twice");
    }
    s.name_zh = row.required_string("name_zh", diags);
    s.name_en = row.required_string("name_en", diags);
    const std::string industry = row.required_string("industry", diags);
    if (const ParamNode* n = row.find("industry")) {
      if (industry == "secondary")
        s.secondary = true;
      else if (industry != "tertiary")
        diags.error(n->loc(), n->path() + ": '" + industry + "' must be secondary or tertiary");
    }
    s.value_added_2020_yuan =
        1e8 * row.required_number("value_added_2020_yuan_100m", diags, 0, 1e7);
    s.firms_2020 = row.required_number("firms_2020", diags, 1, 1e9);
    s.employment_weight = row.required_number("employment_weight", diags, 0, 1e12);
    s.wage_2020_yuan = row.required_number("wage_2020_yuan", diags, 0, 1e8);
    s.rd_weight = row.required_number("rd_weight", diags, 0, 1e6);
    s.household_demand_share = row.required_number("household_demand_share", diags, 0, 1);
    s.external_demand_growth = row.required_number("external_demand_growth", diags, -0.5, 1);
    s.productivity_growth = row.required_number("productivity_growth", diags, -0.5, 1);
    s.rd_intensity_growth = row.required_number("rd_intensity_growth", diags, -0.5, 1);
    s.exit_hazard = row.required_number("exit_hazard", diags, 0, 1);
    s.entry_rate = row.required_number("entry_rate", diags, 0, 5);
    for (std::size_t e = 0; e < kEducationLevels; ++e)
      s.education_fit[e] =
          row.required_number(std::string("fit_") + kEducationKeys[e], diags, 0, 1);
    c.sectors.push_back(std::move(s));
  }
}

void read_zones(const ParamNode& file, const std::vector<std::string>& city_zones, EconomyConfig& c,
                Diagnostics& diags) {
  const ParamNode* table = table_at(file, "zones", diags);
  if (!table) return;
  double share_sum = 0;
  for (const ParamNode& row : table->items()) {
    if (!row.is_map()) {
      diags.error(row.loc(), row.path() + ": expected a zone row, got " + describe_node(row));
      continue;
    }
    ZoneEconomySpec z;
    z.loc = row.loc();
    z.key = row.required_string("zone", diags);
    if (const ParamNode* key = row.find("zone")) {
      for (const ZoneEconomySpec& other : c.zones)
        if (other.key == z.key)
          diags.error(key->loc(), key->path() + ": zone '" + z.key + "' is listed twice");
      if (!city_zones.empty() &&
          std::find(city_zones.begin(), city_zones.end(), z.key) == city_zones.end()) {
        std::string message = key->path() + ": unknown zone '" + z.key + "'";
        const std::string hint = closest_match(z.key, city_zones);
        message += hint.empty() ? " (zones: " : " (did you mean '" + hint + "'?; zones: ";
        for (std::size_t i = 0; i < city_zones.size(); ++i)
          message += (i ? ", " : "") + city_zones[i];
        diags.error(key->loc(), message + ")");
      }
    }
    z.jobs_share_2020 = row.required_number("jobs_share_2020", diags, 0, 1);
    z.land_for_jobs_ha = row.required_number("land_for_jobs_ha", diags, 0, 1e7);
    share_sum += z.jobs_share_2020;
    c.zones.push_back(std::move(z));
  }
  if (!c.zones.empty() && std::abs(share_sum - 1.0) > 0.01)
    diags.error(table->loc(), table->path() + ": jobs_share_2020 sums to " +
                                  number_text(share_sum) + " (must be 1 within 0.01)");
}

void read_participation(const ParamNode& file, EconomyConfig& c, Diagnostics& diags) {
  const ParamNode* table = table_at(file, "participation", diags);
  if (!table) return;
  for (const ParamNode& row : table->items()) {
    if (!row.is_map()) {
      diags.error(row.loc(), row.path() + ": expected {from_age, to_age, male, female}, got " +
                                 describe_node(row));
      continue;
    }
    ParticipationBand b;
    b.loc = row.loc();
    b.from_age = static_cast<int>(row.required_integer("from_age", diags, 0, kMaxAge));
    b.to_age = static_cast<int>(row.required_integer("to_age", diags, 0, kMaxAge));
    b.male = row.required_number("male", diags, 0, 1);
    b.female = row.required_number("female", diags, 0, 1);
    if (b.from_age > b.to_age) {
      diags.error(row.loc(), row.path() + ": from_age (" + std::to_string(b.from_age) +
                                 ") is after to_age (" + std::to_string(b.to_age) + ")");
      continue;
    }
    for (const ParticipationBand& other : c.participation)
      if (b.from_age <= other.to_age && other.from_age <= b.to_age)
        diags.error(row.loc(), row.path() + ": ages " + std::to_string(b.from_age) + "-" +
                                   std::to_string(b.to_age) + " overlap an earlier band (" +
                                   std::to_string(other.from_age) + "-" +
                                   std::to_string(other.to_age) + ")");
    c.participation.push_back(b);
  }
}

void read_retirement(const ParamNode& parent, bool required, RetirementRules& r,
                     Diagnostics& diags) {
  const ParamNode* block = map_at(parent, "retirement", required, diags);
  if (!block) return;
  r.male_age = integer(*block, "male_age", r.male_age, required, diags, 40, 80);
  r.female_cadre_age =
      integer(*block, "female_cadre_age", r.female_cadre_age, required, diags, 40, 80);
  r.female_worker_age =
      integer(*block, "female_worker_age", r.female_worker_age, required, diags, 40, 80);
  r.female_worker_share =
      number(*block, "female_worker_share", r.female_worker_share, required, diags, 0, 1);
  const ParamNode* reform = map_at(*block, "reform", false, diags);
  if (!reform) return;
  if (const ParamNode* enabled = reform->find("enabled");
      enabled && !enabled->as_boolean(diags).value_or(true)) {
    r.reform_start_year = 0;
    reform->mark_all_used();
    return;
  }
  r.reform_start_year =
      integer(*reform, "start_year", r.reform_start_year, required, diags, 1900, 2200);
  r.reform_years = integer(*reform, "years", r.reform_years, required, diags, 1, 100);
  r.male_target = integer(*reform, "male_target", r.male_target, required, diags, 40, 80);
  r.female_cadre_target =
      integer(*reform, "female_cadre_target", r.female_cadre_target, required, diags, 40, 80);
  r.female_worker_target =
      integer(*reform, "female_worker_target", r.female_worker_target, required, diags, 40, 80);
}

void read_labour_market(const ParamNode& parent, bool required, LabourMarketRules& l,
                        Diagnostics& diags) {
  const ParamNode* block = map_at(parent, "labour_market", required, diags);
  if (!block) return;
  l.min_working_age =
      integer(*block, "min_working_age", l.min_working_age, required, diags, 14, 30);
  l.student_max_age =
      integer(*block, "student_max_age", l.student_max_age, required, diags, 14, 40);
  l.quit_rate = number(*block, "quit_rate", l.quit_rate, required, diags, 0, 1);
  l.matching_rounds = integer(*block, "matching_rounds", l.matching_rounds, required, diags, 1,
                              static_cast<int>(kMaxMatchingRounds));
  l.search_intensity =
      number(*block, "search_intensity", l.search_intensity, required, diags, 0, 1);
  l.matching_elasticity =
      number(*block, "matching_elasticity", l.matching_elasticity, required, diags, 0, 1);
  l.commute_decay_m = number(*block, "commute_decay_m", l.commute_decay_m, required, diags, 1, 1e7);
  l.participation_response =
      number(*block, "participation_response", l.participation_response, required, diags, 0, 100);
  l.commute_decay_minutes =
      number(*block, "commute_decay_minutes", l.commute_decay_minutes, required, diags, 0.1, 1e4);
}

void read_pensions(const ParamNode& parent, bool required, PensionRules& r, Diagnostics& diags) {
  const ParamNode* p = map_at(parent, "pensions", required, diags);
  if (!p) return;
  // The 2020 pension levels are base-year facts of the city file; a scenario changes the rules.
  if (required) {
    r.employee_pension_2020_yuan = p->required_number("employee_pension_2020_yuan", diags, 0, 1e7);
    r.resident_pension_2020_yuan = p->required_number("resident_pension_2020_yuan", diags, 0, 1e7);
  }
  r.employee_pension_share =
      number(*p, "employee_pension_share", r.employee_pension_share, required, diags, 0, 1);
  r.indexation = number(*p, "indexation", r.indexation, required, diags, -0.2, 0.5);
  r.coverage_employed = number(*p, "coverage_employed", r.coverage_employed, required, diags, 0, 1);
  r.coverage_retired = number(*p, "coverage_retired", r.coverage_retired, required, diags, 0, 1);
  r.coverage_other = number(*p, "coverage_other", r.coverage_other, required, diags, 0, 1);
}

/// `{sector_key: value, ...}` overriding one SectorSpec field.
void read_sector_overrides(const ParamNode& block, std::string_view key, double SectorSpec::*field,
                           EconomyConfig& c, Diagnostics& diags, double lo, double hi) {
  const ParamNode* map = map_at(block, key, false, diags);
  if (!map) return;
  std::vector<std::string> known;
  for (const SectorSpec& s : c.sectors) known.push_back(s.key);
  for (const auto& entry : map->entries()) {
    const ParamNode* value = map->find(entry.key);
    auto it = std::find(known.begin(), known.end(), entry.key);
    if (it == known.end()) {
      std::string message = map->path() + "." + entry.key + ": unknown sector '" + entry.key + "'";
      const std::string hint = closest_match(entry.key, known);
      message += hint.empty() ? " (sectors: " : " (did you mean '" + hint + "'?; sectors: ";
      for (std::size_t i = 0; i < known.size(); ++i) message += (i ? ", " : "") + known[i];
      diags.error(entry.key_loc, message + ")");
      value->mark_all_used();
      continue;
    }
    if (auto v = value->as_number(diags, lo, hi))
      c.sectors[static_cast<std::size_t>(it - known.begin())].*field = *v;
  }
}

void read_scenario(const ParamNode& s, EconomyConfig& c, Diagnostics& diags) {
  c.deflator_growth = s.number("deflator_growth", c.deflator_growth, diags, -0.2, 0.5);
  read_sector_overrides(s, "external_demand_growth", &SectorSpec::external_demand_growth, c, diags,
                        -0.5, 1);
  read_sector_overrides(s, "productivity_growth", &SectorSpec::productivity_growth, c, diags, -0.5,
                        1);
  read_sector_overrides(s, "rd_intensity_growth", &SectorSpec::rd_intensity_growth, c, diags, -0.5,
                        1);
  read_retirement(s, false, c.retirement, diags);
  read_labour_market(s, false, c.labour, diags);
  read_pensions(s, false, c.pensions, diags);
}

// City-wide totals must agree with the sector table.
void check_totals(const ParamNode& file, EconomyConfig& c, Diagnostics& diags) {
  double gdp = 0, secondary = 0, firms = 0, employment = 0;
  for (const SectorSpec& s : c.sectors) {
    gdp += s.value_added_2020_yuan;
    secondary += s.secondary ? s.value_added_2020_yuan : 0;
    firms += s.firms_2020;
    employment += s.employment_weight;
  }
  if (c.sectors.empty()) return;
  if (const ParamNode* n = file.peek("gdp_2020_yuan_100m");
      n && c.gdp_2020_yuan > 0 && std::abs(gdp - c.gdp_2020_yuan) > 0.005 * c.gdp_2020_yuan)
    diags.error(n->loc(), n->path() + ": " + number_text(c.gdp_2020_yuan / 1e8) +
                              " differs from the sum of the sectors' value_added_2020_yuan_100m (" +
                              number_text(gdp / 1e8) + ") by more than 0.5%");
  if (const ParamNode* n = file.peek("secondary_share_2020_percent");
      n && gdp > 0 && std::abs(secondary / gdp - c.secondary_share_2020) > 0.002)
    diags.error(n->loc(), n->path() + ": " + number_text(100 * c.secondary_share_2020) +
                              " differs from the secondary sectors' share of value added (" +
                              number_text(100 * secondary / gdp) + ") by more than 0.2 points");
  if (const ParamNode* n = file.peek("market_entities_2020");
      n && std::abs(firms - c.market_entities_2020) > 0.01 * c.market_entities_2020)
    diags.error(n->loc(), n->path() + ": " + number_text(c.market_entities_2020) +
                              " differs from the sum of the sectors' firms_2020 (" +
                              number_text(firms) + ") by more than 1%");
  const ParamNode* table = file.peek("sectors");
  if (employment <= 0 && table)
    diags.error(table->loc(), table->path() + ": employment_weight is 0 in every sector");
  const auto tech = std::find_if(c.sectors.begin(), c.sectors.end(),
                                 [](const SectorSpec& s) { return s.key == "tech_services"; });
  if (tech == c.sectors.end() && table)
    diags.error(table->loc(), table->path() +
                                  ": no sector with key 'tech_services' (needed for "
                                  "the indicator tech_services_share)");
  else
    c.tech_sector = static_cast<std::size_t>(tech - c.sectors.begin());
}

}  // namespace

int RetirementRules::age(int year, bool female, bool female_worker) const {
  const int base = !female ? male_age : female_worker ? female_worker_age : female_cadre_age;
  if (reform_start_year == 0 || year < reform_start_year) return base;
  const int target = !female         ? male_target
                     : female_worker ? female_worker_target
                                     : female_cadre_target;
  const double progress =
      std::min(1.0, static_cast<double>(year - reform_start_year + 1) / reform_years);
  return base + static_cast<int>(std::floor((target - base) * progress + 1e-9));
}

double EconomyConfig::participation_rate(int age, bool female) const {
  for (const ParticipationBand& b : participation)
    if (age >= b.from_age && age <= b.to_age) return female ? b.female : b.male;
  return 0.0;
}

EconomyConfig read_economy_config(const ParamNode& file, const ParamNode& scenario,
                                  const RunSettings& run,
                                  const std::vector<std::string>& city_zones, Diagnostics& diags) {
  EconomyConfig c;
  if (!file.is_map()) {
    diags.error(file.loc(), "economy: expected the city file economy.yaml with a map of keys");
    return c;
  }
  c.base_year = static_cast<int>(file.required_integer("base_year", diags, 1900, 2200));
  if (const ParamNode* n = file.find("base_year"); n && c.base_year != run.start_year)
    diags.error(n->loc(), n->path() + ": the economy's base data are for " +
                              std::to_string(c.base_year) + " but run.start is " +
                              std::to_string(run.start_year));
  c.gdp_2020_yuan = 1e8 * file.required_number("gdp_2020_yuan_100m", diags, 0, 1e7);
  c.secondary_share_2020 =
      file.required_number("secondary_share_2020_percent", diags, 0, 100) / 100;
  c.market_entities_2020 = file.required_number("market_entities_2020", diags, 1, 1e9);
  c.surveyed_unemployment_rate_2020 =
      file.required_number("surveyed_unemployment_rate_2020_percent", diags, 0, 50) / 100;
  c.registered_unemployment_rate_2020 =
      file.required_number("registered_unemployment_rate_2020_percent", diags, 0, 50) / 100;

  read_sectors(file, c, diags);
  read_zones(file, city_zones, c, diags);
  read_participation(file, c, diags);

  if (const ParamNode* ed = map_at(file, "education", true, diags)) {
    c.participation_factor = education_values(*ed, "participation_factor", diags, 0, 2);
    c.wage_premium = education_values(*ed, "wage_premium", diags, 0, 10);
    c.unemployment_risk = education_values(*ed, "unemployment_risk", diags, 0, 100);
  }
  read_retirement(file, true, c.retirement, diags);
  read_labour_market(file, true, c.labour, diags);
  if (const ParamNode* f = map_at(file, "firms", true, diags)) {
    FirmRules& r = c.firms;
    r.size_tail_exponent = f->required_number("size_tail_exponent", diags, 0.5, 5);
    r.productivity_dispersion = f->required_number("productivity_dispersion", diags, 0, 2);
    r.wage_productivity_elasticity =
        f->required_number("wage_productivity_elasticity", diags, 0, 1);
    r.growth_shock_sd = f->required_number("growth_shock_sd", diags, 0, 2);
    r.young_firm_years = static_cast<int>(f->required_integer("young_firm_years", diags, 0, 100));
    r.young_exit_multiplier = f->required_number("young_exit_multiplier", diags, 0, 20);
    r.exit_productivity_elasticity =
        f->required_number("exit_productivity_elasticity", diags, 0, 10);
    r.exit_size_elasticity = f->required_number("exit_size_elasticity", diags, 0, 5);
    r.entrant_max_positions =
        static_cast<int>(f->required_integer("entrant_max_positions", diags, 1, 100000));
    r.max_initial_age = static_cast<int>(f->required_integer("max_initial_age", diags, 0, 255));
  }
  if (const ParamNode* l = map_at(file, "location", true, diags)) {
    LocationRules& r = c.location;
    r.access_weight = l->required_number("access_weight", diags, 0, 100);
    r.land_weight = l->required_number("land_weight", diags, 0, 100);
    r.agglomeration_weight = l->required_number("agglomeration_weight", diags, 0, 100);
    r.jobs_per_ha = l->required_number("jobs_per_ha", diags, 1, 1e5);
    r.floor_space_per_job_m2 = l->required_number("floor_space_per_job_m2", diags, 1, 1e4);
  }
  if (const ParamNode* i = map_at(file, "income", true, diags)) {
    IncomeRules& r = c.income;
    r.disposable_income_2020_yuan =
        i->required_number("disposable_income_per_capita_2020_yuan", diags, 1, 1e7);
    r.retail_sales_2020_yuan =
        1e8 * i->required_number("retail_sales_2020_yuan_100m", diags, 0, 1e7);
    r.consumption_propensity = i->required_number("consumption_propensity", diags, 0, 1.5);
    r.goods_share_of_consumption = i->required_number("goods_share_of_consumption", diags, 0, 1);
    r.wage_deduction_rate = i->required_number("wage_deduction_rate", diags, 0, 0.9);
    r.other_income_per_capita_2020_yuan =
        i->required_number("other_income_per_capita_2020_yuan", diags, 0, 1e7);
    r.unemployment_benefit_2020_yuan =
        i->required_number("unemployment_benefit_2020_yuan", diags, 0, 1e7);
  }
  read_pensions(file, true, c.pensions, diags);
  if (const ParamNode* n = map_at(file, "innovation", true, diags)) {
    InnovationRules& r = c.innovation;
    r.rd_intensity_2020 = n->required_number("rd_intensity_2020_percent", diags, 0, 50) / 100;
    r.patents_per_10k_2020 = n->required_number("patents_per_10k_2020", diags, 0, 1e5);
    r.grants_per_100m_yuan = n->required_number("grants_per_100m_yuan", diags, 0, 1e5);
    r.lapse_rate = n->required_number("lapse_rate", diags, 0, 1);
    r.high_value_share = n->required_number("high_value_share", diags, 0, 1);
    r.subsidy_response = n->required_number("subsidy_response", diags, 0, 10);
    r.productivity_effect = n->required_number("productivity_effect", diags, 0, 10);
  }
  if (const ParamNode* p = map_at(file, "projection", true, diags))
    c.deflator_growth = p->required_number("deflator_growth", diags, -0.2, 0.5);

  check_totals(file, c, diags);
  if (scenario.is_map()) read_scenario(scenario, c, diags);
  return c;
}

}  // namespace plansim::economy

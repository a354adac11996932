#include "population/demography_rates.h"

#include <cmath>
#include <string>
#include <string_view>

#include "core/param_layer.h"

namespace plansim {
namespace {

using Layer = ParamLayer;

struct TableColumn {
  const char* name;
  AgeSchedule* out;
  double lo, hi;       // allowed range of the cell as written
  double scale = 1.0;  // multiplies the cell (e.g. 1/1000 for "per 1000")
};

// Reads a table of age groups: rows {age_from, age_to, <columns>} (inclusive ages), expanded to
// single years by holding each group's value constant within the group. Ages that no row covers
// get 0, or are an error when `cover_all_ages`.
void read_age_group_table(const ParamNode* table, const std::vector<TableColumn>& columns,
                          bool cover_all_ages, Diagnostics& diags) {
  for (const auto& c : columns) c.out->fill(0.0);
  if (!table) return;
  if (!table->is_sequence()) {
    diags.error(table->loc(),
                table->path() + ": expected a table (a list of rows, or {csv: file.csv})");
    return;
  }
  std::array<int, kAges> row_of_age;
  row_of_age.fill(-1);
  constexpr int kBadRow = -2;  // ages of a row with a bad value: not reported again as a gap
  int row_index = 0;
  bool unknown_ages = false;  // a row whose ages could not be read: gaps are not reported
  for (const ParamNode& row : table->items()) {
    if (!row.is_map()) {
      diags.error(row.loc(), row.path() + ": expected a row with age_from, age_to and values");
      unknown_ages = true;
      ++row_index;
      continue;
    }
    std::size_t errors_before = diags.size();
    const auto from = row.required_integer("age_from", diags, 0, kMaxAge);
    const auto to = row.required_integer("age_to", diags, 0, kMaxAge);
    bool ages_ok = diags.size() == errors_before;
    if (ages_ok && to < from) {
      const ParamNode* n = row.peek("age_to");
      diags.error(n->loc(), n->path() + ": " + std::to_string(to) + " is below age_from (" +
                                std::to_string(from) + ")");
      ages_ok = false;
    }
    errors_before = diags.size();
    std::vector<double> values;
    for (const auto& c : columns) values.push_back(row.required_number(c.name, diags, c.lo, c.hi));
    const bool values_ok = diags.size() == errors_before;
    if (!ages_ok) unknown_ages = true;
    if (ages_ok && !values_ok) {
      for (auto a = from; a <= to; ++a)
        if (row_of_age[a] == -1) row_of_age[a] = kBadRow;
    }
    if (!ages_ok || !values_ok) {
      ++row_index;
      continue;
    }
    for (auto a = from; a <= to; ++a) {
      if (row_of_age[a] >= 0) {
        diags.error(row.loc(), row.path() + ": age " + std::to_string(a) +
                                   " is already covered by row " + std::to_string(row_of_age[a]));
        break;
      }
      row_of_age[a] = row_index;
      for (std::size_t k = 0; k < columns.size(); ++k)
        (*columns[k].out)[a] = values[k] * columns[k].scale;
    }
    ++row_index;
  }
  if (!cover_all_ages || unknown_ages) return;
  for (int a = 0; a < kAges; ++a) {
    if (row_of_age[a] != -1) continue;
    int b = a;
    while (b + 1 < kAges && row_of_age[b + 1] == -1) ++b;
    diags.error(table->loc(), table->path() + ": ages " + std::to_string(a) + "-" +
                                  std::to_string(b) +
                                  " are not covered by any row (rows must "
                                  "cover 0-" +
                                  std::to_string(kMaxAge) + ")");
    a = b;
  }
}

void read_alignment_series(const ParamNode* series, bool non_negative,
                           std::vector<AlignmentTarget>& out, Diagnostics& diags) {
  if (!series || series->is_null()) return;
  if (!series->is_map()) {
    diags.error(series->loc(), series->path() +
                                   ": expected a map from year to target, e.g. "
                                   "{2021: 9000}");
    return;
  }
  for (const auto& e : series->entries()) {
    const ParamNode* value = series->find(e.key);
    int year = 0;
    bool year_ok = !e.key.empty();
    for (char c : e.key) year_ok &= (c >= '0' && c <= '9');
    if (year_ok && e.key.size() <= 4) {
      year = std::stoi(e.key);
    } else {
      diags.error(e.key_loc, value->path() + ": '" + e.key + "' is not a year");
      continue;
    }
    const auto v = value->as_number(diags, non_negative ? 0.0 : -1e12, 1e12);
    if (!v) continue;
    out.push_back({year, *v, e.key_loc});
  }
}

}  // namespace

AgeSchedule RogersCastroProfile::schedule() const {
  AgeSchedule m{};
  for (int x = 0; x < kAges; ++x) {
    const double d = x - labour_location_age;
    m[x] = childhood_level * std::exp(-childhood_decline * x) +
           labour_level * std::exp(-labour_decline * d - std::exp(-labour_rise * d)) + constant;
  }
  return m;
}

DemographyRates read_demography_rates(const ParamNode& city_file, const ParamNode& scenario_block,
                                      Diagnostics& diags, Alignment alignment_targets) {
  DemographyRates r;
  const Layer root(&city_file, &scenario_block, diags);
  if (!root.city()) {
    diags.error(city_file.loc(),
                "demography: the city config has no demography.yaml (mortality, "
                "fertility, migration and union rates)");
  }
  r.base_year = root.integer("base_year", r.base_year, 1900, 2200);

  // Mortality: a table that covers every age.
  const Layer mortality = root.section("mortality");
  if (root.city()) {
    if (!root.city()->require("mortality", diags)) {
      // reported
    } else if (mortality.city()) {
      const ParamNode* table = mortality.city()->require("table", diags);
      read_age_group_table(table,
                           {{"m_male_per_1000", &r.death_rate[kMale], 0.0, 5000.0, 1e-3},
                            {"m_female_per_1000", &r.death_rate[kFemale], 0.0, 5000.0, 1e-3}},
                           true, diags);
    }
  }
  r.mortality_improvement_per_year = mortality.number("improvement_per_year", 0.0, -0.1, 0.2);
  r.mortality_level = mortality.positive_number("level", 1.0, 10.0);

  // Fertility: ASFR by group, rescaled so that the sum over single years equals the TFR.
  const Layer fertility = root.section("fertility");
  if (root.city() && root.city()->require("fertility", diags) && fertility.city()) {
    const ParamNode* table = fertility.city()->require("asfr", diags);
    read_age_group_table(table, {{"births_per_1000_women", &r.fertility_rate, 0.0, 1000.0, 1e-3}},
                         false, diags);
    double table_tfr = 0;
    for (double f : r.fertility_rate) table_tfr += f;
    r.tfr = fertility.positive_number("tfr", r.tfr, 10.0);
    if (table && table->is_sequence() && table_tfr <= 0) {
      diags.error(table->loc(), table->path() + ": every rate is zero (no births possible)");
    } else if (table_tfr > 0) {
      for (double& f : r.fertility_rate) f *= r.tfr / table_tfr;
    }
  } else {
    r.tfr = fertility.positive_number("tfr", r.tfr, 10.0);
  }
  r.sex_ratio_at_birth = root.number("sex_ratio_at_birth", r.sex_ratio_at_birth, 50.0, 200.0);

  const Layer calibration = root.section("calibration");
  r.calibrate = calibration.boolean("calibrate", r.calibrate);
  r.target_crude_birth_rate_per_1000 = calibration.number(
      "target_crude_birth_rate_per_1000", r.target_crude_birth_rate_per_1000, 0.0, 100.0);
  r.target_crude_death_rate_per_1000 = calibration.positive_number(
      "target_crude_death_rate_per_1000", r.target_crude_death_rate_per_1000, 100.0);

  // Migration.
  const Layer migration = root.section("migration");
  r.in_migrants_per_1000 = migration.number("in_migrants_per_1000", 0.0, 0.0, 500.0);
  r.out_migrants_per_1000 = migration.number("out_migrants_per_1000", 0.0, 0.0, 500.0);
  const Layer profile = migration.section("age_profile");
  RogersCastroProfile& p = r.migration_profile;
  p.childhood_level = profile.number("childhood_level", p.childhood_level, 0.0, 10.0);
  p.childhood_decline = profile.number("childhood_decline", p.childhood_decline, 0.0, 5.0);
  p.labour_level = profile.number("labour_level", p.labour_level, 0.0, 10.0);
  p.labour_location_age = profile.number("labour_location_age", p.labour_location_age, 0.0, 80.0);
  p.labour_rise = profile.number("labour_rise", p.labour_rise, 0.001, 5.0);
  p.labour_decline = profile.number("labour_decline", p.labour_decline, 0.0, 5.0);
  p.constant = profile.number("constant", p.constant, 0.0, 10.0);
  r.migration_age_profile = p.schedule();
  double profile_total = 0;
  for (double v : r.migration_age_profile) profile_total += v;
  if (profile_total <= 0) {
    const ParamNode* at = profile.scenario() ? profile.scenario() : profile.city();
    diags.error(at ? at->loc() : city_file.loc(),
                "migration.age_profile: the profile is zero at every age");
  }
  const Layer households = migration.section("in_migrant_households");
  r.in_household_single_share = households.probability("single", r.in_household_single_share);
  r.in_household_couple_share = households.probability("couple", r.in_household_couple_share);
  r.in_household_family_share = households.probability("family", r.in_household_family_share);
  r.in_family_two_children_share =
      households.probability("family_two_children_share", r.in_family_two_children_share);
  const double share_sum =
      r.in_household_single_share + r.in_household_couple_share + r.in_household_family_share;
  if (std::abs(share_sum - 1.0) > 1e-6) {
    const ParamNode* at = households.scenario() ? households.scenario() : households.city();
    diags.error(at ? at->loc() : city_file.loc(),
                (at ? at->path() : std::string("migration.in_migrant_households")) +
                    ": single + couple + family must be 1, got " + std::to_string(share_sum));
  }
  const std::string zone_choice = migration.string("zone_choice", "population");
  if (zone_choice == "population") {
    r.zone_choice = ZoneChoice::kPopulation;
  } else if (zone_choice == "equal") {
    r.zone_choice = ZoneChoice::kEqual;
  } else if (const ParamNode* n = migration.effective("zone_choice")) {
    diags.error(n->loc(), n->path() + ": unknown zone choice '" + zone_choice +
                              "' (known: population, equal)");
  }
  // Education shares: a list in Education order, from the city file only.
  if (migration.city() && migration.city()->peek("in_migrant_education_shares")) {
    const ParamNode* n = migration.city()->find("in_migrant_education_shares");
    const std::vector<double> shares =
        migration.city()->numbers("in_migrant_education_shares", diags, 0.0, 1.0);
    double sum = 0;
    for (double s : shares) sum += s;
    if (n->is_sequence() && shares.size() != static_cast<std::size_t>(kEducationLevels)) {
      diags.error(n->loc(), n->path() + ": expected " + std::to_string(kEducationLevels) +
                                " shares (none, primary, junior high, senior high, college+)");
    } else if (n->is_sequence() && std::abs(sum - 1.0) > 1e-6) {
      diags.error(n->loc(), n->path() + ": shares must add up to 1, got " + std::to_string(sum));
    } else if (n->is_sequence()) {
      for (int k = 0; k < kEducationLevels; ++k) r.in_migrant_education_shares[k] = shares[k];
    }
  }

  // Unions, leaving home, divorce.
  const Layer unions = root.section("unions");
  if (unions.city()) {
    read_age_group_table(
        unions.city()->find("rates"),
        {{"male", &r.union_rate[kMale], 0.0, 1.0}, {"female", &r.union_rate[kFemale], 0.0, 1.0}},
        false, diags);
  } else {
    r.union_rate[kMale].fill(0.0);
    r.union_rate[kFemale].fill(0.0);
  }
  r.partner_age_gap_years =
      unions.integer("partner_age_gap_years", r.partner_age_gap_years, -20, 20);
  r.max_partner_age_deviation_years =
      unions.integer("max_partner_age_deviation_years", r.max_partner_age_deviation_years, 0, 40);
  const Layer leaving = root.section("leaving_home");
  if (leaving.city()) {
    read_age_group_table(leaving.city()->find("rates"),
                         {{"probability", &r.leaving_home_rate, 0.0, 1.0}}, false, diags);
  } else {
    r.leaving_home_rate.fill(0.0);
  }
  r.older_generation_gap_years =
      leaving.integer("older_generation_gap_years", r.older_generation_gap_years, 10, 60);
  const Layer divorce = root.section("divorce");
  r.divorce_rate_per_couple = divorce.probability("rate_per_couple", r.divorce_rate_per_couple);

  if (alignment_targets == Alignment::kRead) read_demography_alignment(scenario_block, r, diags);
  return r;
}

void read_demography_alignment(const ParamNode& scenario_block, DemographyRates& rates,
                               Diagnostics& diags) {
  const ParamNode* alignment = scenario_block.is_map() ? scenario_block.find("alignment") : nullptr;
  if (!alignment) return;
  if (alignment->is_map()) {
    read_alignment_series(alignment->find("births"), true, rates.births_alignment, diags);
    read_alignment_series(alignment->find("net_migration"), false, rates.net_migration_alignment,
                          diags);
  } else if (!alignment->is_null()) {
    diags.error(alignment->loc(),
                alignment->path() + ": expected a map with births and/or net_migration");
  }
}

void check_alignment_years(const DemographyRates& rates, int start_year, int end_year,
                           Diagnostics& diags) {
  const auto check = [&](const std::vector<AlignmentTarget>& targets, const char* name) {
    for (const auto& t : targets)
      if (t.year < start_year || t.year > end_year)
        diags.error(t.loc, std::string("demography.alignment.") + name + "." +
                               std::to_string(t.year) + ": " + std::to_string(t.year) +
                               " is outside the run (" + std::to_string(start_year) + "-" +
                               std::to_string(end_year) + ")");
  };
  check(rates.births_alignment, "births");
  check(rates.net_migration_alignment, "net_migration");
}

double mortality_factor(const DemographyRates& rates, int year) {
  const double trend = rates.mortality_trend ? *rates.mortality_trend
                                             : std::pow(1.0 - rates.mortality_improvement_per_year,
                                                        year - rates.base_year);
  return rates.mortality_level * trend;
}

double period_life_expectancy(const AgeSchedule& death_rate) {
  double survivors = 1.0, person_years = 0.0;
  for (int a = 0; a < kAges; ++a) {
    const double m = death_rate[a];
    if (a == kMaxAge) {  // open interval: expected remaining life 1/m
      person_years += m > 0 ? survivors / m : 0.0;
      break;
    }
    const double survive = std::exp(-m);
    // Constant hazard within the year: person-years = l·(1 − e^{−m})/m (l when m = 0).
    person_years += m > 1e-12 ? survivors * (1.0 - survive) / m : survivors;
    survivors *= survive;
  }
  return person_years;
}

}  // namespace plansim

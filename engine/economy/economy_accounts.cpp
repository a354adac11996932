// The economy's accounts of a year: value added, R&D and patents, household income, consumption
// and retail sales, new urban jobs, and the recorded indicators; the accounting invariants.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/parallel.h"
#include "economy/detail/common.h"
#include "economy/detail/draws.h"
#include "economy/economy.h"
#include "population/vital_events.h"

namespace plansim {

using namespace economy;
using namespace economy::detail;

namespace {

struct Incomes {
  double wages = 0, pensions = 0;
  std::int64_t unemployed = 0, persons = 0;
};

}  // namespace

void EconomyProcess::account_and_record(StepContext& ctx, std::int64_t newly_employed) {
  World& world = ctx.world;
  PersonTable& p = world.persons;
  PersonJobs labour(p);
  FirmTable& firms = world.get<FirmTable>();
  const bool base = ctx.year == config_.base_year;
  const std::size_t sectors = state_.sectors.size();
  const double w = world.person_weight;

  pay_wages(world);
  // Value added, R&D and patent grants, firm by firm.
  const double grants_per_yuan = config_.innovation.grants_per_100m_yuan / 1e8;
  const SectorTotals totals = reduce_chunks<SectorTotals>(
      firms.size(),
      [&](std::size_t begin, std::size_t end) {
        SectorTotals t;
        for (std::size_t f = begin; f < end; ++f) {
          const std::size_t s = firms.sector[f];
          const double value_added =
              static_cast<double>(firms.employees[f]) * firms.productivity_yuan[f];
          const double rd = value_added * state_.sectors[s].rd_intensity;
          firms.value_added_yuan[f] = static_cast<float>(value_added);
          firms.rd_spending_yuan[f] = static_cast<float>(rd);
          t.value_added[s] += value_added;
          t.rd[s] += rd;
          ++t.firms[s];
          t.employees[s] += firms.employees[f];
          t.positions[s] += firms.employees[f] + firms.vacancies[f];
          if (!base && rd > 0)
            t.grants += ctx.stream(Purpose::kPatents, firms.id[f]).poisson(rd * grants_per_yuan);
        }
        return t;
      },
      [&](SectorTotals& acc, const SectorTotals& x) { add(acc, x, sectors); }, kFirmChunk);

  // Household income.
  const double employee_share = config_.pensions.employee_pension_share;
  const Incomes income = reduce_chunks<Incomes>(
      p.size(),
      [&](std::size_t begin, std::size_t end) {
        Incomes c;
        for (std::size_t i = begin; i < end; ++i) {
          if (p.removed[i]) continue;
          ++c.persons;
          const std::uint8_t status = labour.labour_status[i];
          if (status == kEmployed)
            c.wages += labour.wage_yuan[i];
          else if (status == kUnemployed)
            ++c.unemployed;
          else if (status == kRetired)
            c.pensions +=
                ctx.lifetime_stream(Purpose::kPensionScheme, p.id[i]).uniform() < employee_share
                    ? state_.employee_pension
                    : state_.resident_pension;
        }
        return c;
      },
      [](Incomes& acc, const Incomes& x) {
        acc.wages += x.wages;
        acc.pensions += x.pensions;
        acc.unemployed += x.unemployed;
        acc.persons += x.persons;
      });
  const IncomeRules& ir = config_.income;
  const double persons = static_cast<double>(income.persons);
  const double other = state_.unemployment_benefit * static_cast<double>(income.unemployed) +
                       state_.other_income * persons;
  double wages = income.wages;
  if (base && wages > 0) {
    // Calibrate the wage level so that disposable income per capita is the published figure.
    const double target = ir.disposable_income_2020_yuan * persons;
    double k = (target - income.pensions - other) / ((1 - ir.wage_deduction_rate) * wages);
    if (!(k > 0.05)) {
      spdlog::warn(
          "economy: the base-year income target leaves no room for wages "
          "(calibration factor {:.3f}); using 0.05",
          k);
      k = 0.05;
    }
    state_.wage_calibration = k;
    for (SectorState& st : state_.sectors) st.wage_index *= k;
    for_each_chunk(
        firms.size(),
        [&](std::size_t b, std::size_t e, std::size_t) {
          for (std::size_t f = b; f < e; ++f)
            firms.wage_level_yuan[f] = static_cast<float>(firms.wage_level_yuan[f] * k);
        },
        kFirmChunk);
    pay_wages(world);
    wages *= k;
    ctx.out.scalar("economy_wage_calibration", k);
  }
  const double disposable = (1 - ir.wage_deduction_rate) * wages + income.pensions + other;
  const double consumption = ir.consumption_propensity * disposable;
  const double resident_retail = ir.goods_share_of_consumption * consumption;
  if (base) {
    const double target = ir.retail_sales_2020_yuan * state_.scale;
    if (target < resident_retail)
      spdlog::warn(
          "economy: residents' goods spending ({:.1f} 亿元) exceeds the base-year retail "
          "sales ({:.1f} 亿元); sales to non-residents set to 0",
          resident_retail * w / 1e8, ir.retail_sales_2020_yuan / 1e8);
    state_.non_resident_retail = state_.non_resident_retail_trend =
        std::max(0.0, target - resident_retail);
  }
  const double retail = resident_retail + state_.non_resident_retail;

  // Sector figures and GDP.
  double gdp = 0, secondary = 0, rd = 0;
  std::int64_t employed = 0, vacancies = 0;
  for (std::size_t s = 0; s < sectors; ++s) {
    SectorState& st = state_.sectors[s];
    st.value_added = totals.value_added[s];
    st.rd_spending = totals.rd[s];
    st.firms = totals.firms[s];
    st.employees = totals.employees[s];
    st.positions = totals.positions[s];
    gdp += st.value_added;
    secondary += config_.sectors[s].secondary ? st.value_added : 0.0;
    rd += st.rd_spending;
    employed += st.employees;
    vacancies += st.positions - st.employees;
  }
  if (base)
    state_.patent_stock = config_.innovation.patents_per_10k_2020 * persons / 1e4;
  else
    state_.patent_stock = state_.patent_stock * (1 - config_.innovation.lapse_rate) +
                          static_cast<double>(totals.grants);

  Recorder& out = ctx.out;
  const double gdp_city = gdp * w, gdp_real = gdp_city / state_.price_level;
  const auto share = [&](double x) { return gdp > 0 ? 100.0 * x / gdp : 0.0; };
  const auto growth = [](double now, double before) { return 100.0 * (now / before - 1.0); };
  out.indicator("gdp", gdp_city / 1e8);
  out.indicator("gdp_real", gdp_real / 1e8);
  if (std::isfinite(state_.last_gdp_real) && state_.last_gdp_real > 0)
    out.indicator("gdp_real_growth", growth(gdp_real, state_.last_gdp_real));
  for (std::size_t s = 0; s < sectors; ++s)
    out.indicator("value_added_" + config_.sectors[s].key, state_.sectors[s].value_added * w / 1e8);
  out.indicator("tech_services_share", share(state_.sectors[config_.tech_sector].value_added));
  out.indicator("secondary_share", share(secondary));
  out.indicator("tertiary_share", share(gdp - secondary));
  const double workers = static_cast<double>(employed) * w;
  const double productivity_real = workers > 0 ? gdp_real / workers : 0.0;
  out.indicator("labour_productivity", workers > 0 ? gdp_city / workers : 0.0);
  if (std::isfinite(state_.last_productivity_real) && state_.last_productivity_real > 0)
    out.indicator("labour_productivity_growth",
                  growth(productivity_real, state_.last_productivity_real));
  out.indicator("vacancies", static_cast<double>(vacancies) * w);
  // New urban jobs as the statistics define them: persons newly employed less the natural
  // attrition of the employed (retirements, and deaths at the death rates of their sex and age).
  double employed_deaths = 0;
  static const VitalEvents kNoEvents;  // without a demography process: no deaths to attribute
  const VitalEvents* recorded = world.find<VitalEvents>();
  const VitalEvents& v = recorded ? *recorded : kNoEvents;
  constexpr std::size_t ages = kMaxAge + 1;
  if (v.deaths_by_sex_age.size() >= 2 * ages && v.population_by_sex_age.size() >= 2 * ages)
    for (std::size_t s = 0; s < 2; ++s)
      for (std::size_t a = 0; a < ages; ++a)
        if (const double n = v.population_by_sex_age[s * ages + a]; n > 0)
          employed_deaths += v.deaths_by_sex_age[s * ages + a] / n *
                             static_cast<double>(state_.employed_by_sex_age[s][a]);
  out.indicator(
      "new_urban_jobs",
      (static_cast<double>(newly_employed - state_.retirements) - employed_deaths) * w / 1e4);
  const double income_per_capita = persons > 0 ? disposable / persons : 0.0;
  out.indicator("disposable_income_per_capita", income_per_capita);
  if (std::isfinite(state_.last_income_per_capita) && state_.last_income_per_capita > 0)
    out.indicator("income_growth", growth(income_per_capita, state_.last_income_per_capita));
  out.indicator("retail_sales", retail * w / 1e8);
  if (std::isfinite(state_.last_retail) && state_.last_retail > 0)
    out.indicator("retail_sales_growth", growth(retail, state_.last_retail));
  out.indicator("rd_intensity", share(rd));
  const double patents_per_10k = persons > 0 ? 1e4 * state_.patent_stock / persons : 0.0;
  out.indicator("patents_per_10k", patents_per_10k);
  out.indicator("high_value_patents_per_10k",
                patents_per_10k * config_.innovation.high_value_share);

  // Carried to the next year.
  state_.last_gdp_real = gdp_real;
  state_.last_productivity_real = productivity_real;
  state_.last_income_per_capita = income_per_capita;
  state_.last_retail = retail;
  state_.consumption_real_last = consumption / state_.price_level;
  if (base) state_.consumption_real_base = state_.consumption_real_last;
}

std::string EconomyProcess::check_invariants(const World& world) const {
  return check_economy_invariants(world, config_.sectors.size());
}

std::string check_economy_invariants(const World& world, std::size_t sectors) {
  const PersonTable& p = world.persons;
  ConstPersonJobs labour(p);
  const FirmTable& f = world.get<FirmTable>();
  const std::size_t nf = f.size();
  if (f.sector.size() != nf || f.zone.size() != nf || f.employees.size() != nf ||
      f.vacancies.size() != nf || f.productivity_yuan.size() != nf ||
      f.value_added_yuan.size() != nf || f.wage_level_yuan.size() != nf ||
      f.rd_spending_yuan.size() != nf || f.age.size() != nf || f.removed.size() != nf)
    return "firm columns differ in length";
  std::vector<std::uint32_t> linked(nf, 0);
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p.removed[i]) continue;
    const std::uint32_t e = labour.employer[i];
    const bool employed = labour.labour_status[i] == kEmployed;
    if (employed && e == kNoRow)
      return "person " + std::to_string(p.id[i]) + " is employed without a job";
    if (!employed && e != kNoRow)
      return "person " + std::to_string(p.id[i]) + " has a job but is not employed";
    if (e == kNoRow) {
      if (labour.wage_yuan[i] != 0.0f)
        return "person " + std::to_string(p.id[i]) + " earns a wage without a job";
      continue;
    }
    if (e >= nf) return "person " + std::to_string(p.id[i]) + " works at a firm row out of range";
    if (f.removed[e]) return "person " + std::to_string(p.id[i]) + " works at a removed firm";
    if (!(labour.wage_yuan[i] > 0.0f))
      return "person " + std::to_string(p.id[i]) + " is employed without a wage";
    ++linked[e];
  }
  for (std::size_t k = 0; k < nf; ++k) {
    if (f.employees[k] != linked[k])
      return "firm " + std::to_string(f.id[k]) + " counts " + std::to_string(f.employees[k]) +
             " employees but " + std::to_string(linked[k]) + " persons work there";
    if (f.sector[k] >= sectors) return "firm " + std::to_string(f.id[k]) + " has an unknown sector";
    if (k > 0 && f.id[k] <= f.id[k - 1]) return "firm ids are not increasing with row";
  }
  return "";
}

}  // namespace plansim

#include "economy/economy.h"

#include <spdlog/spdlog.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "core/parallel.h"
#include "economy/detail/draws.h"
#include "population/vital_events.h"

namespace plansim {

using namespace economy;

namespace {

// Firms per chunk in firm passes: ~10^5 firms give ~50 chunks to balance threads.
constexpr std::size_t kFirmChunk = 2048;

void declare(SeriesCatalog& c, SeriesKind kind, std::string key, std::string unit, std::string zh,
             std::string en, std::string description) {
  c.declare({kind, std::move(key), std::move(unit), std::move(zh), std::move(en),
             std::move(description)});
}

/// Splits `total` over weights by largest remainder (ties to the lower index); sums exactly.
std::vector<std::uint64_t> largest_remainder(std::uint64_t total,
                                             const std::vector<double>& weights) {
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<std::uint64_t> out(weights.size(), 0);
  if (sum <= 0 || weights.empty()) return out;
  std::vector<double> remainder(weights.size());
  std::uint64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double share = static_cast<double>(total) * weights[i] / sum;
    out[i] = static_cast<std::uint64_t>(std::floor(share));
    remainder[i] = share - std::floor(share);
    given += out[i];
  }
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t k = 0; given < total; k = (k + 1) % order.size(), ++given) ++out[order[k]];
  return out;
}

/// Index of the first cumulative weight above u * total (u in [0, 1)).
std::size_t pick(const std::vector<double>& cumulative, double u) {
  const double target = u * cumulative.back();
  const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), target);
  return std::min(static_cast<std::size_t>(it - cumulative.begin()), cumulative.size() - 1);
}

std::uint32_t stochastic_round(double x, double u) {
  if (!(x > 0)) return 0;
  return static_cast<std::uint32_t>(std::min(std::floor(x + u), 4.0e9));
}

struct PersonCounts {
  std::int64_t employed = 0, unemployed = 0, eligible = 0, covered = 0, persons = 0;
  std::array<std::array<std::int64_t, kMaxAge + 1>, 2> employed_by_sex_age{};
};

struct Incomes {
  double wages = 0, pensions = 0;
  std::int64_t unemployed = 0, persons = 0;
};

struct SectorTotals {
  std::array<double, kMaxSectors> value_added{}, rd{}, weighted_desire{};
  std::array<std::int64_t, kMaxSectors> firms{}, employees{}, positions{};
  std::int64_t grants = 0, exits = 0;
};

void add(SectorTotals& acc, const SectorTotals& x, std::size_t sectors) {
  for (std::size_t s = 0; s < sectors; ++s) {
    acc.value_added[s] += x.value_added[s];
    acc.rd[s] += x.rd[s];
    acc.weighted_desire[s] += x.weighted_desire[s];
    acc.firms[s] += x.firms[s];
    acc.employees[s] += x.employees[s];
    acc.positions[s] += x.positions[s];
  }
  acc.grants += x.grants;
  acc.exits += x.exits;
}

}  // namespace

// ---------------------------------------------------------------- configuration and series

namespace {

// The city's values at the paths of the scenario's keys (the scenario block is not laid out like
// economy.yaml): what a trajectory knot set by --set where the scenario has no value is laid over.
ParamNode city_values_under_scenario_keys(const ParamNode& file) {
  ParamNode out(ParamNode::Kind::Map, file.loc(), "economy");
  for (const char* key : {"retirement", "labour_market", "pensions"})
    if (const ParamNode* n = file.peek(key)) out.set(key, n->loc(), *n);
  if (const ParamNode* p = file.peek("projection"); p && p->is_map())
    if (const ParamNode* n = p->peek("deflator_growth")) out.set("deflator_growth", n->loc(), *n);
  const ParamNode* sectors = file.peek("sectors");
  for (const char* key : {"external_demand_growth", "productivity_growth", "rd_intensity_growth"}) {
    ParamNode by_sector(ParamNode::Kind::Map, file.loc(), key);
    for (const ParamNode& row :
         sectors && sectors->is_sequence() ? sectors->items() : std::vector<ParamNode>{}) {
      const ParamNode* k = row.is_map() ? row.peek("key") : nullptr;
      const ParamNode* v = row.is_map() ? row.peek(key) : nullptr;
      if (k && v && k->is_scalar()) by_sector.set(k->text(), v->loc(), *v);
    }
    out.set(key, file.loc(), std::move(by_sector));
  }
  return out;
}

}  // namespace

void EconomyProcess::configure(ConfigureContext& ctx) {
  const ParamNode* file = ctx.city.find("economy");
  if (!file) {
    ctx.diags.error(ctx.city.loc(),
                    "economy: the city config has no economy.yaml (needed by the "
                    "economy process)");
    ctx.params.mark_all_used();
    return;
  }
  // Zone keys of the city (zones.yaml belongs to the synthesis process: look, do not read).
  std::vector<std::string> city_zones;
  if (const ParamNode* zones_file = ctx.city.peek("zones"); zones_file && zones_file->is_map())
    if (const ParamNode* list = zones_file->peek("zones"); list && list->is_sequence())
      for (const ParamNode& item : list->items())
        if (const ParamNode* key = item.is_map() ? item.peek("key") : nullptr;
            key && key->is_scalar())
          city_zones.push_back(key->text());
  Diagnostics& diags = ctx.diags;
  const int start = ctx.run.start_year;
  // Every number may be a trajectory: the configuration of each year, scenario over city.
  const ParamNode beneath = city_values_under_scenario_keys(*file);
  ByYear<EconomyConfig> years =
      read_by_year<EconomyConfig>(start, ctx.run.end_year, {file, &ctx.params}, [&](int year) {
        return read_economy_config(evaluated_at(*file, year, diags),
                                   evaluated_at(ctx.params, year, diags, &beneath), ctx.run,
                                   city_zones, diags);
      });
  // The base year is the calibration year: the city's own values, so that it reproduces the
  // published figures whatever the scenario says; the scenario's policies (shocks, subsidies)
  // keep their years.
  const ParamNode no_scenario(ParamNode::Kind::Map, SourceLoc{}, "economy");
  EconomyConfig base = read_economy_config(evaluated_at(*file, start, diags), no_scenario, ctx.run,
                                           city_zones, diags);
  base.demand_shocks = years.first().demand_shocks;
  base.rd_subsidies = years.first().rd_subsidies;
  configure(base, std::move(years), ctx.catalog);
}

void EconomyProcess::configure(const EconomyConfig& config, SeriesCatalog& catalog) {
  configure(config, ByYear<EconomyConfig>(config.base_year, {config}), catalog);
}

void EconomyProcess::configure(const EconomyConfig& base, ByYear<EconomyConfig> years,
                               SeriesCatalog& catalog) {
  base_ = base;
  by_year_ = std::move(years);
  config_ = base_;
  current_year_ = std::numeric_limits<int>::min();
  matching_rules_.efficiency = 0;  // calibrated in the base year
  matching_rules_.fit.clear();
  for (const SectorSpec& s : base_.sectors) matching_rules_.fit.push_back(s.education_fit);
  use_year(base_.base_year);
  declare_series(catalog);
}

const EconomyConfig& EconomyProcess::config(int year) const {
  return year <= base_.base_year || by_year_.empty() ? base_ : by_year_.at(year);
}

void EconomyProcess::use_year(int year) {
  if (year == current_year_) return;
  current_year_ = year;
  config_ = config(year);
  matching_rules_.rounds = config_.labour.matching_rounds;
  matching_rules_.search_intensity = config_.labour.search_intensity;
  matching_rules_.elasticity = config_.labour.matching_elasticity;
  participation_.assign(2 * kEducationLevels * (kMaxAge + 1), 0.0);
  for (int female = 0; female < 2; ++female)
    for (int e = 0; e < kEducationLevels; ++e)
      for (int age = 0; age <= kMaxAge; ++age)
        participation_[(female * kEducationLevels + e) * (kMaxAge + 1) + age] = std::clamp(
            config_.participation_rate(age, female == 1) * config_.participation_factor[e], 0.0,
            1.0);
}

void EconomyProcess::declare_series(SeriesCatalog& c) const {
  using K = SeriesKind;
  const std::string flow = " Flow during the year (firms and jobs after the year's hiring).";
  const std::string stock =
      " Stock at the start of the year (1 January; base year: as built by "
      "the economy's initialisation).";
  declare(c, K::Indicator, "gdp", "亿元", "地区生产总值（现价）", "GDP, nominal",
          "Value added of all firms located in the district, current prices (production "
          "approach: positions filled x labour productivity of the firm)." +
              flow);
  declare(c, K::Indicator, "gdp_real", "亿元 (2020 prices)", "地区生产总值（2020年价格）",
          "GDP, real (2020 prices)",
          "GDP deflated by the scenario's GDP deflator (one deflator for "
          "all sectors, a simplification).");
  declare(c, K::Indicator, "gdp_real_growth", "%", "地区生产总值实际增速", "GDP growth, real",
          "Change of GDP at 2020 prices over the previous year. Not defined in the base year.");
  for (std::size_t k = 0; k < config_.sectors.size(); ++k) {
    const SectorSpec& s = config_.sectors[k];
    // A bad or repeated key was reported by the reader; declare each series once.
    const auto first = std::find_if(config_.sectors.begin(), config_.sectors.end(),
                                    [&](const SectorSpec& o) { return o.key == s.key; });
    if (s.key.empty() || first != config_.sectors.begin() + static_cast<std::ptrdiff_t>(k))
      continue;
    declare(c, K::Indicator, "value_added_" + s.key, "亿元", s.name_zh + "增加值（现价）",
            s.name_en + " value added, nominal",
            "Value added of the sector's firms, current prices; the sectors sum to gdp." + flow);
  }
  declare(c, K::Indicator, "tech_services_share", "%", "科技服务业增加值占GDP比重",
          "Technology services, share of GDP", "value_added_tech_services / gdp x 100.");
  declare(c, K::Indicator, "secondary_share", "%", "第二产业增加值占GDP比重",
          "Secondary industry, share of GDP",
          "Value added of the sectors marked secondary in economy_sectors.csv / gdp x 100 (the "
          "district has no primary industry).");
  declare(c, K::Indicator, "tertiary_share", "%", "第三产业增加值占GDP比重",
          "Tertiary industry, share of GDP",
          "Value added of the sectors marked tertiary / gdp x 100.");
  declare(c, K::Indicator, "labour_productivity", "元 per person", "全员劳动生产率（现价）",
          "Labour productivity, nominal",
          "gdp / persons employed after the year's hiring (the workforce "
          "that produced the year's value added), current prices.");
  declare(c, K::Indicator, "labour_productivity_growth", "%", "全员劳动生产率实际增速",
          "Labour productivity growth, real",
          "Change over the previous year of GDP at 2020 prices per "
          "person employed after the year's hiring. Not defined in the base year.");
  declare(c, K::Indicator, "employment", "persons", "就业人数", "Employment",
          "Employed residents, who are also the district's jobs filled: the labour market is "
          "closed (residents work in the district, the district's jobs are held by residents; "
          "commuting across the district boundary is not modelled)." +
              stock);
  declare(c, K::Indicator, "labour_force", "persons", "劳动力", "Labour force",
          "Employed and unemployed residents (working age, below retirement age, participating "
          "by age, sex and education)." +
              stock);
  declare(c, K::Indicator, "vacancies", "positions", "空缺岗位", "Open vacancies",
          "Positions firms want filled that remain open after the year's matching.");
  declare(
      c, K::Indicator, "new_urban_jobs", "万人", "城镇新增就业人数", "New urban jobs",
      "As the statistics define it (劳社部发〔2004〕9号): persons newly employed during the year "
      "(hired while holding no job on 1 January: school leavers and other entrants, the "
      "unemployed, in-migrants; not job changers) less the natural attrition of the employed "
      "(retirements, and deaths at the year's death rates of their sex and age). Job losses "
      "and the jobs of out-migrants are not subtracted. Differs from the published figure in "
      "counting every resident hire, registered or not. Per year; the plan's target is a "
      "5-year total." +
          flow);
  declare(c, K::Indicator, "unemployment_rate", "%", "城镇调查失业率",
          "Surveyed urban unemployment rate",
          "Unemployed / labour force x 100, all residents (99% urban). The base year is "
          "calibrated to the registered rate (3.5%), the only published district figure." +
              stock);
  declare(c, K::Indicator, "disposable_income_per_capita", "元", "居民人均可支配收入（现价）",
          "Per-capita disposable income, nominal",
          "(wages after personal income tax and social contributions + pensions + unemployment "
          "benefits + other income) / residents, over all residents' households. Other income "
          "(property, business, transfers) is a per-capita amount growing with wages. The base "
          "year is calibrated to the published figure through the wage level.");
  declare(c, K::Indicator, "income_growth", "%", "居民人均可支配收入名义增长率",
          "Per-capita disposable income growth, nominal",
          "Nominal change over the previous year. Not defined in the base year.");
  declare(c, K::Indicator, "retail_sales", "亿元", "社会消费品零售总额（现价）",
          "Retail sales of consumer goods, nominal",
          "Residents' spending on goods (consumption propensity x goods share x disposable "
          "income) plus sales to non-residents and institutions, which are calibrated in the base "
          "year and grow with the external demand of modern commerce and prices.");
  declare(c, K::Indicator, "retail_sales_growth", "%", "社会消费品零售总额名义增速",
          "Retail sales growth, nominal",
          "Nominal change over the previous year. Not defined in the base year.");
  declare(c, K::Indicator, "rd_intensity", "%", "研发经费投入强度", "R&D intensity",
          "R&D spending of the district's firms / gdp x 100. Sector intensities grow at their "
          "trend and respond to R&D subsidies with the user-cost elasticity.");
  declare(c, K::Indicator, "patents_per_10k", "per 10,000 residents", "万人发明专利拥有量",
          "Invention patents per 10,000 residents",
          "Valid invention patents held in the district at the end of the year per 10,000 "
          "residents. Grants are Poisson with mean (firm R&D x grants per yuan) for each firm; a "
          "fixed share of the stock lapses each year. Base year: the published stock.");
  declare(c, K::Indicator, "high_value_patents_per_10k", "per 10,000 residents",
          "每万人口拥有高价值发明专利数", "High-value invention patents per 10,000 residents",
          "patents_per_10k x the high-value share of invention patents (a fixed share, an "
          "assumption).");
  declare(c, K::Indicator, "pension_coverage", "%", "基本养老保险参保率",
          "Basic pension insurance coverage",
          "Residents enrolled in the employees' or the residents' basic pension scheme / "
          "residents aged 16 and over who are not students (inactive persons up to the student "
          "age count as students); enrolment is drawn once per person with a rate by labour "
          "status." +
              stock);
  declare(c, K::Indicator, "firms", "firms", "市场主体", "Market entities",
          "Firms and sole traders located in the district (every simulated firm stands for "
          "1/run.scale firms)." +
              stock);
  declare(c, K::Event, "hires", "persons", "招聘", "Hires", "Persons hired during the year.");
  declare(c, K::Event, "separations", "persons", "离职", "Job separations",
          "Jobs ended during the year: quits, layoffs, firm exits, retirements, leaving the "
          "labour force, deaths and moves away.");
  declare(c, K::Event, "firm_entries", "firms", "新设企业", "Firm entries",
          "Firms founded during the year.");
  declare(c, K::Event, "firm_exits", "firms", "退出企业", "Firm exits",
          "Firms closed during the year.");
  declare(c, K::Zone, "jobs", "positions", "就业岗位", "Jobs",
          "Filled positions of the firms located in each zone." + stock);
}

int EconomyProcess::retirement_age(int year, std::uint64_t person_id, bool female,
                                   const RngStreams& rng, ProcessId process) const {
  const RetirementRules& r = config_.retirement;
  const bool worker =
      female &&
      stream(rng, kLifetimeYear, process, Purpose::kRetirementGroup, person_id).uniform() <
          r.female_worker_share;
  return r.age(year, female, worker);
}

// ---------------------------------------------------------------- base year

void EconomyProcess::initialize(StepContext& ctx) {
  World& world = ctx.world;
  use_year(ctx.year);
  state_ = EconomyState{};
  matching_rules_.efficiency = 0;
  state_.scale = 1.0 / world.person_weight;
  state_.zones = std::max<std::size_t>(1, world.zone_count());
  state_.access = commuting_access(world.zones, config_.labour.commute_decay_m);
  state_.access_decay_m = config_.labour.commute_decay_m;

  // Zones: economy_zones.csv rows matched to the World's zones by key.
  Diagnostics zone_errors;
  std::vector<double> share(state_.zones, 0.0), land(state_.zones, 0.0);
  std::vector<char> known(state_.zones, 0);
  double mean_share = 0, mean_land = 0;
  for (const ZoneEconomySpec& z : config_.zones) {
    mean_share += z.jobs_share_2020 / static_cast<double>(config_.zones.size());
    mean_land += z.land_for_jobs_ha / static_cast<double>(config_.zones.size());
  }
  std::vector<std::string> world_keys;
  for (const ZoneLabel& z : world.zones) world_keys.push_back(z.key);
  for (const ZoneEconomySpec& z : config_.zones) {
    const auto it = std::find(world_keys.begin(), world_keys.end(), z.key);
    if (it == world_keys.end()) {
      if (world.zone_count() == 0) continue;
      std::string message = "zones: '" + z.key + "' is not a zone of the city";
      const std::string hint = closest_match(z.key, world_keys);
      if (!hint.empty()) message += " (did you mean '" + hint + "'?)";
      zone_errors.error(z.loc, message);
      continue;
    }
    const std::size_t row = static_cast<std::size_t>(it - world_keys.begin());
    share[row] = z.jobs_share_2020;
    land[row] = z.land_for_jobs_ha;
    known[row] = 1;
  }
  zone_errors.throw_if_any();
  for (std::size_t z = 0; z < state_.zones; ++z)
    if (!known[z]) {  // a zone the config does not describe: an average zone
      share[z] = world.zone_count() == 0 ? 1.0 : mean_share;
      land[z] = world.zone_count() == 0 ? mean_land * static_cast<double>(config_.zones.size())
                                        : mean_land;
    }
  const double share_sum = std::accumulate(share.begin(), share.end(), 0.0);
  state_.zone_jobs_share.resize(state_.zones);
  state_.zone_capacity.resize(state_.zones);
  for (std::size_t z = 0; z < state_.zones; ++z) {
    state_.zone_jobs_share[z] =
        share_sum > 0 ? share[z] / share_sum : 1.0 / static_cast<double>(state_.zones);
    state_.zone_capacity[z] = land[z] * config_.location.jobs_per_ha * state_.scale;
  }
  residents_by_zone_.assign(state_.zones, 0);
  refresh_geography(world);

  // Money levels of the base year.
  state_.sectors.assign(config_.sectors.size(), SectorState{});
  for (std::size_t s = 0; s < config_.sectors.size(); ++s)
    state_.sectors[s].wage_index = config_.sectors[s].wage_2020_yuan;
  state_.employee_pension = config_.pensions.employee_pension_2020_yuan;
  state_.resident_pension = config_.pensions.resident_pension_2020_yuan;
  state_.other_income = config_.income.other_income_per_capita_2020_yuan;
  state_.unemployment_benefit = config_.income.unemployment_benefit_2020_yuan;

  // Fresh economy columns.
  PersonTable& p = world.persons;
  world.modules.emplace<FirmTable>();
  PersonJobs labour = add_person_jobs(p);
  std::fill(labour.employer.begin(), labour.employer.end(), kNoRow);
  std::fill(labour.wage_yuan.begin(), labour.wage_yuan.end(), 0.0f);
  std::fill(labour.labour_status.begin(), labour.labour_status.end(), kNotInLabourForce);

  assign_base_labour_status(ctx);  // leaves the persons to employ in seekers_
  std::vector<double> weights;
  for (const SectorSpec& s : config_.sectors) weights.push_back(s.employment_weight);
  create_base_firms(ctx, largest_remainder(seekers_.size(), weights));
  std::int64_t newly_employed = 0;
  run_matching(ctx, true, newly_employed);

  // R&D intensities: relative weights scaled so that the city's R&D / GDP is the published one.
  double weighted = 0;
  for (const SectorSpec& s : config_.sectors) weighted += s.value_added_2020_yuan * s.rd_weight;
  const double rd_scale =
      weighted > 0 ? config_.innovation.rd_intensity_2020 * config_.gdp_2020_yuan / weighted : 0.0;
  for (std::size_t s = 0; s < config_.sectors.size(); ++s) {
    SectorState& st = state_.sectors[s];
    const SectorSpec& spec = config_.sectors[s];
    const double output = spec.value_added_2020_yuan * state_.scale;
    st.external_real = (1 - spec.household_demand_share) * output;
    st.household_base_real = spec.household_demand_share * output;
    st.demand_real = output;
    st.rd_intensity_base = st.rd_intensity = rd_scale * spec.rd_weight;
  }
  pay_wages(world);
  std::int64_t persons = 0;
  for (std::size_t i = 0; i < p.size(); ++i) persons += !p.removed[i];
  state_.patent_stock =
      config_.innovation.patents_per_10k_2020 * static_cast<double>(persons) / 1e4;
  ctx.out.scalar("economy_base_firms",
                 static_cast<double>(world.get<FirmTable>().size()) * world.person_weight);
}

void EconomyProcess::assign_base_labour_status(StepContext& ctx) {
  World& world = ctx.world;
  PersonTable& p = world.persons;
  PersonJobs labour(p);
  const int year = ctx.year, min_age = config_.labour.min_working_age;
  // Retired, inactive, or in the labour force (marked unemployed for now).
  for_each_chunk(p.size(), [&](std::size_t begin, std::size_t end, std::size_t) {
    for (std::size_t i = begin; i < end; ++i) {
      if (p.removed[i]) continue;
      const bool female = p.sex[i] == kFemale;
      const int age = p.age[i];
      if (age >= retirement_age(year, p.id[i], female, ctx.rng, ctx.process_id)) {
        labour.labour_status[i] = kRetired;
      } else if (age < min_age) {
        labour.labour_status[i] = kNotInLabourForce;
      } else {
        const double prob =
            participation_[(female * kEducationLevels + p.education[i]) * (kMaxAge + 1) + age];
        const double u =
            stream(ctx.rng, kLifetimeYear, ctx.process_id, Purpose::kParticipation, p.id[i])
                .uniform();
        labour.labour_status[i] = u < prob ? kUnemployed : kNotInLabourForce;
      }
    }
  });
  // The unemployed: a weighted sample without replacement of exactly round(rate x labour force),
  // weights by education (exponential keys -ln(u) / weight, the smallest win).
  std::vector<std::pair<double, std::uint32_t>> keyed;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (!p.removed[i] && labour.labour_status[i] == kUnemployed)
      keyed.emplace_back(0.0, static_cast<std::uint32_t>(i));
  tbb::parallel_for(std::size_t{0}, keyed.size(), [&](std::size_t k) {
    const std::uint32_t i = keyed[k].second;
    const double risk = config_.unemployment_risk[p.education[i]];
    const double u = stream(ctx.rng, year, ctx.process_id, Purpose::kInitialUnemployment, p.id[i])
                         .uniform_open();
    keyed[k].first = risk > 0 ? -std::log(u) / risk : std::numeric_limits<double>::infinity();
  });
  const std::size_t unemployed = std::min<std::size_t>(
      keyed.size(), static_cast<std::size_t>(std::llround(config_.unemployment_rate_2020 *
                                                          static_cast<double>(keyed.size()))));
  std::nth_element(keyed.begin(), keyed.begin() + static_cast<std::ptrdiff_t>(unemployed),
                   keyed.end());
  seekers_.clear();
  for (std::size_t k = unemployed; k < keyed.size(); ++k) seekers_.push_back(keyed[k].second);
  std::sort(seekers_.begin(), seekers_.end());
}

void EconomyProcess::create_base_firms(StepContext& ctx, const std::vector<std::uint64_t>& jobs) {
  FirmTable& firm_table = ctx.world.get<FirmTable>();
  const FirmRules& rules = config_.firms;
  std::vector<double> zone_cumulative(state_.zones);
  std::partial_sum(state_.zone_jobs_share.begin(), state_.zone_jobs_share.end(),
                   zone_cumulative.begin());
  const double sigma = rules.productivity_dispersion;
  std::vector<double> weights, phi;
  std::vector<std::uint16_t> zone;
  std::vector<std::uint8_t> age;
  std::vector<std::uint32_t> size;
  for (std::size_t s = 0; s < config_.sectors.size(); ++s) {
    const SectorSpec& spec = config_.sectors[s];
    SectorState& st = state_.sectors[s];
    const auto firms = static_cast<std::uint64_t>(
        std::clamp<double>(std::llround(spec.firms_2020 * state_.scale), jobs[s] > 0 ? 1.0 : 0.0,
                           static_cast<double>(jobs[s])));
    weights.assign(firms, 0.0);
    phi.assign(firms, 1.0);
    zone.assign(firms, 0);
    age.assign(firms, 0);
    const std::uint64_t first_id = state_.next_firm_id;
    state_.next_firm_id += firms;
    for (std::uint64_t k = 0; k < firms; ++k) {
      AgentRng r = stream(ctx.rng, ctx.year, ctx.process_id, Purpose::kFirmCreation, first_id + k);
      zone[k] = static_cast<std::uint16_t>(pick(zone_cumulative, r.uniform()));
      phi[k] = std::exp(sigma * r.normal() - 0.5 * sigma * sigma);
      weights[k] = pareto_weight(r, rules.size_tail_exponent);
      // Ages of a population of firms with a constant exit hazard (geometric), capped.
      const double hazard = std::max(spec.exit_hazard, 1e-3);
      age[k] = static_cast<std::uint8_t>(std::min<double>(
          rules.max_initial_age, std::floor(-std::log(r.uniform_open()) / hazard)));
    }
    allocate_positions(jobs[s], weights, size);
    double capacity = 0;  // positions x relative productivity
    for (std::uint64_t k = 0; k < firms; ++k) capacity += size[k] * phi[k];
    st.productivity_real =
        capacity > 0 ? spec.value_added_2020_yuan * state_.scale / capacity : 0.0;
    for (std::uint64_t k = 0; k < firms; ++k) {
      const std::uint32_t row = append_firm(
          firm_table, first_id + k, static_cast<std::uint8_t>(s), zone[k],
          static_cast<float>(st.productivity_real * phi[k]),
          static_cast<float>(st.wage_index * std::pow(phi[k], rules.wage_productivity_elasticity)),
          age[k]);
      firm_table.vacancies[row] = size[k];
    }
  }
  created_.assign(firm_table.size(), 0);
  for (std::size_t f = 0; f < firm_table.size(); ++f) created_[f] = firm_table.vacancies[f];
}

// ---------------------------------------------------------------- the year

void EconomyProcess::refresh_geography(const World& world) {
  const ZoneInputs* inputs = world.find<ZoneInputs>();
  const std::size_t zones = state_.zones;
  if (world.zone_count() != zones) return;  // a World without zones: one zone, nothing to refresh
  static const ZoneInputs kNoLandUseModel;
  const ZoneInputs& land = inputs ? *inputs : kNoLandUseModel;
  // Travel costs of a land-use model (they change when stations open) replace centroid distances.
  if (land.travel_cost_minutes.size() != zones * zones &&
      config_.labour.commute_decay_m != state_.access_decay_m) {
    state_.access = commuting_access(world.zones, config_.labour.commute_decay_m);
    state_.access_decay_m = config_.labour.commute_decay_m;
  }
  if (land.travel_cost_minutes.size() == zones * zones) {
    for (std::size_t k = 0; k < zones * zones; ++k)
      state_.access.weight[k] =
          std::exp(-land.travel_cost_minutes[k] / config_.labour.commute_decay_minutes);
  }
  // Zoned job floor space (upzoning raises it) replaces the config's land for jobs.
  if (land.job_floor_capacity_m2.size() == zones) {
    for (std::size_t z = 0; z < zones; ++z)
      state_.zone_capacity[z] =
          land.job_floor_capacity_m2[z] / config_.location.floor_space_per_job_m2 * state_.scale;
  }
}

void EconomyProcess::begin_year(StepContext& ctx) {
  use_year(ctx.year);
  const World& world = ctx.world;
  const PersonTable& p = world.persons;
  ConstPersonJobs labour(p);
  const FirmTable& firms = world.get<FirmTable>();
  const std::size_t zones = state_.zones;
  const std::size_t chunks = chunk_count(p.size());
  zone_partial_.assign(chunks * 2 * zones, 0);
  const PensionRules& pension = config_.pensions;
  const PersonCounts counts = reduce_chunks<PersonCounts>(
      p.size(),
      [&](std::size_t begin, std::size_t end) {
        PersonCounts c;
        std::int64_t* jobs = &zone_partial_[(begin / kChunkRows) * 2 * zones];
        std::int64_t* residents = jobs + zones;
        for (std::size_t i = begin; i < end; ++i) {
          if (p.removed[i]) continue;
          ++c.persons;
          ++residents[home_zone(world, static_cast<std::uint32_t>(i), zones)];
          const std::uint8_t status = labour.labour_status[i];
          const bool employed = status == kEmployed && labour.employer[i] < firms.size();
          if (employed) {
            ++c.employed;
            ++c.employed_by_sex_age[p.sex[i] == kFemale][p.age[i]];
            const std::size_t z = firms.zone[labour.employer[i]];
            ++jobs[z < zones ? z : 0];
          }
          c.unemployed += status == kUnemployed;
          const bool student =
              status == kNotInLabourForce && p.age[i] <= config_.labour.student_max_age;
          if (p.age[i] < config_.labour.min_working_age || student) continue;
          ++c.eligible;
          const double rate = employed             ? pension.coverage_employed
                              : status == kRetired ? pension.coverage_retired
                                                   : pension.coverage_other;
          c.covered +=
              stream(ctx.rng, kLifetimeYear, ctx.process_id, Purpose::kPensionCoverage, p.id[i])
                  .uniform() < rate;
        }
        return c;
      },
      [](PersonCounts& acc, const PersonCounts& x) {
        for (int s = 0; s < 2; ++s)
          for (int a = 0; a <= kMaxAge; ++a)
            acc.employed_by_sex_age[s][a] += x.employed_by_sex_age[s][a];
        acc.employed += x.employed;
        acc.unemployed += x.unemployed;
        acc.eligible += x.eligible;
        acc.covered += x.covered;
        acc.persons += x.persons;
      });
  std::vector<float> jobs(world.zone_count(), 0.0f);
  residents_by_zone_.assign(zones, 0);
  std::vector<std::int64_t> jobs_total(zones, 0);
  for (std::size_t c = 0; c < chunks; ++c)
    for (std::size_t z = 0; z < zones; ++z) {
      jobs_total[z] += zone_partial_[c * 2 * zones + z];
      residents_by_zone_[z] += zone_partial_[c * 2 * zones + zones + z];
    }
  const double w = world.person_weight;
  for (std::size_t z = 0; z < jobs.size(); ++z)
    jobs[z] = static_cast<float>(static_cast<double>(jobs_total[z]) * w);
  state_.employed = counts.employed;
  state_.unemployed = counts.unemployed;
  state_.employed_by_sex_age = counts.employed_by_sex_age;
  Recorder& out = ctx.out;
  const double labour_force = static_cast<double>(counts.employed + counts.unemployed);
  out.indicator("employment", static_cast<double>(counts.employed) * w);
  out.indicator("labour_force", labour_force * w);
  out.indicator(
      "unemployment_rate",
      labour_force > 0 ? 100.0 * static_cast<double>(counts.unemployed) / labour_force : 0.0);
  out.indicator("pension_coverage", counts.eligible > 0
                                        ? 100.0 * static_cast<double>(counts.covered) /
                                              static_cast<double>(counts.eligible)
                                        : 0.0);
  out.indicator("firms", static_cast<double>(firms.size()) * w);
  if (world.zone_count() > 0) out.zone("jobs", jobs);
}

void EconomyProcess::step(StepContext& ctx) {
  use_year(ctx.year);
  const bool base = ctx.year == config_.base_year;
  refresh_geography(ctx.world);
  if (!base) {
    for (std::size_t s = 0; s < state_.sectors.size(); ++s)
      state_.sectors[s].rd_trend *= 1 + config_.sectors[s].rd_intensity_growth;
    advance_prices_and_productivity(ctx);
  }
  // This year's demand (base-year prices) and R&D intensity.
  for (std::size_t s = 0; s < state_.sectors.size(); ++s) {
    SectorState& st = state_.sectors[s];
    const double household =
        state_.consumption_real_base > 0
            ? st.household_base_real * state_.consumption_real_last / state_.consumption_real_base
            : st.household_base_real;
    st.demand_real = st.external_real + household;
    st.rd_intensity =
        st.rd_intensity_base * st.rd_trend *
        std::pow(1 - config_.rd_subsidy_rate(s, ctx.year), -config_.innovation.subsidy_response);
  }
  // Separations as a stock-flow residual: jobs held at the end of last year minus jobs still held
  // before this year's hiring. This also counts workers who died or moved away, whom the
  // demography process may already have removed from the person table.
  std::int64_t employed_last_year = 0;
  for (std::uint32_t e : ctx.world.get<FirmTable>().employees) employed_last_year += e;
  labour_force_transitions(ctx);
  std::int64_t separations = employed_last_year, entries = 0, exits = 0;
  firm_dynamics(ctx, separations, entries, exits);
  std::int64_t newly_employed = 0;
  const std::int64_t hires = run_matching(ctx, false, newly_employed);
  ctx.out.event("hires", hires);
  ctx.out.event("separations", separations);
  ctx.out.event("firm_entries", entries);
  ctx.out.event("firm_exits", exits);
  account_and_record(ctx, newly_employed);
}

void EconomyProcess::advance_prices_and_productivity(StepContext& ctx) {
  const double inflation = config_.deflator_growth;
  state_.price_level *= 1 + inflation;
  std::array<double, kMaxSectors> factor{};
  double positions = 0, weighted_factor = 0;
  for (std::size_t s = 0; s < state_.sectors.size(); ++s) {
    SectorState& st = state_.sectors[s];
    const SectorSpec& spec = config_.sectors[s];
    st.external_real *= 1 + config_.external_demand_growth(s, ctx.year);
    // R&D above its base-year level adds to productivity growth.
    const double rd =
        st.rd_intensity_base * st.rd_trend *
        std::pow(1 - config_.rd_subsidy_rate(s, ctx.year), -config_.innovation.subsidy_response);
    const double growth = spec.productivity_growth +
                          config_.innovation.productivity_effect * (rd - st.rd_intensity_base);
    st.productivity_real *= 1 + growth;
    factor[s] = (1 + growth) * (1 + inflation);
    st.wage_index *= factor[s];
    positions += static_cast<double>(st.positions);
    weighted_factor += static_cast<double>(st.positions) * factor[s];
  }
  FirmTable& firms = ctx.world.get<FirmTable>();
  for_each_chunk(
      firms.size(),
      [&](std::size_t begin, std::size_t end, std::size_t) {
        for (std::size_t f = begin; f < end; ++f) {
          firms.productivity_yuan[f] =
              static_cast<float>(firms.productivity_yuan[f] * factor[firms.sector[f]]);
          firms.wage_level_yuan[f] =
              static_cast<float>(firms.wage_level_yuan[f] * factor[firms.sector[f]]);
        }
      },
      kFirmChunk);
  const double wage_growth = positions > 0 ? weighted_factor / positions : 1 + inflation;
  state_.employee_pension *= 1 + config_.pensions.indexation;
  state_.resident_pension *= 1 + config_.pensions.indexation;
  state_.other_income *= wage_growth;
  state_.unemployment_benefit *= wage_growth;
  state_.non_resident_retail *=
      (1 + config_.external_demand_growth(retail_sector(), ctx.year)) * (1 + inflation);
}

void EconomyProcess::labour_force_transitions(StepContext& ctx) {
  World& world = ctx.world;
  PersonTable& p = world.persons;
  PersonJobs labour(p);
  const std::size_t firms = world.get<FirmTable>().size();
  const int year = ctx.year, min_age = config_.labour.min_working_age;
  const double quit_rate = config_.labour.quit_rate;
  // Discouraged and added workers: participation of those without a job moves against the gap
  // between this year's starting unemployment rate and the base year's.
  const double labour_force = static_cast<double>(state_.employed + state_.unemployed);
  const double unemployment = labour_force > 0
                                  ? static_cast<double>(state_.unemployed) / labour_force
                                  : config_.unemployment_rate_2020;
  const double response = std::exp(-config_.labour.participation_response *
                                   (unemployment - config_.unemployment_rate_2020));
  was_employed_.assign(p.size(), 0);
  const std::size_t chunks = chunk_count(p.size());
  std::vector<std::int64_t> retirements(chunks, 0);
  for_each_chunk(p.size(), [&](std::size_t begin, std::size_t end, std::size_t chunk) {
    for (std::size_t i = begin; i < end; ++i) {
      std::uint8_t status = labour.labour_status[i];
      const bool employed = status == kEmployed && labour.employer[i] < firms;
      was_employed_[i] = employed && !p.removed[i];
      if (status == kEmployed && !employed) status = kUnemployed;  // employer gone
      if (p.removed[i]) {                                          // died or moved away this year
        labour.employer[i] = kNoRow;
        labour.wage_yuan[i] = 0.0f;
        continue;
      }
      const bool female = p.sex[i] == kFemale;
      const int age = p.age[i];
      std::uint8_t next;
      if (status == kRetired ||
          age >= retirement_age(year, p.id[i], female, ctx.rng, ctx.process_id)) {
        next = kRetired;
      } else if (age < min_age) {
        next = kNotInLabourForce;
      } else {
        const double base =
            participation_[(female * kEducationLevels + p.education[i]) * (kMaxAge + 1) + age];
        // A job is not given up for a slack market; a tight one draws people in.
        const double prob = base * (employed ? std::max(1.0, response) : response);
        const double u =
            stream(ctx.rng, kLifetimeYear, ctx.process_id, Purpose::kParticipation, p.id[i])
                .uniform();
        if (u >= prob)
          next = kNotInLabourForce;
        else if (!employed)
          next = kUnemployed;  // entrants and the unemployed search
        else
          next = stream(ctx.rng, year, ctx.process_id, Purpose::kQuit, p.id[i]).bernoulli(quit_rate)
                     ? kUnemployed
                     : kEmployed;
      }
      if (employed && next != kEmployed) {
        labour.employer[i] = kNoRow;
        labour.wage_yuan[i] = 0.0f;
      }
      retirements[chunk] += employed && next == kRetired;
      labour.labour_status[i] = next;
    }
  });
  state_.retirements = std::accumulate(retirements.begin(), retirements.end(), std::int64_t{0});
}

std::size_t EconomyProcess::retail_sector() const {
  for (std::size_t s = 0; s < config_.sectors.size(); ++s)
    if (config_.sectors[s].key == "modern_commerce") return s;
  return config_.tech_sector;
}

void EconomyProcess::firm_dynamics(StepContext& ctx, std::int64_t& separations,
                                   std::int64_t& entries, std::int64_t& exits) {
  World& world = ctx.world;
  FirmTable& firms = world.get<FirmTable>();
  PersonTable& p = world.persons;
  PersonJobs labour(p);
  const FirmRules& rules = config_.firms;
  const std::size_t n = firms.size(), sectors = state_.sectors.size(), zones = state_.zones;
  const double price = state_.price_level;

  // Positions of last year (filled or not), then this year's workforce after departures.
  previous_positions_.resize(n);
  for (std::size_t f = 0; f < n; ++f)
    previous_positions_[f] = firms.employees[f] + firms.vacancies[f];
  employees_.build(world);

  // Exits (hazard by age and relative productivity) and desired sizes (Gibrat growth shocks).
  desired_.resize(n);
  relative_productivity_.resize(n);
  rounding_.resize(n);
  const double sd = rules.growth_shock_sd;
  const SectorTotals before = reduce_chunks<SectorTotals>(
      n,
      [&](std::size_t begin, std::size_t end) {
        SectorTotals t;
        for (std::size_t f = begin; f < end; ++f) {
          const std::size_t s = firms.sector[f];
          const SectorState& st = state_.sectors[s];
          const double phi = st.productivity_real > 0
                                 ? firms.productivity_yuan[f] / (st.productivity_real * price)
                                 : 1.0;
          relative_productivity_[f] = phi;
          AgentRng r = stream(ctx.rng, ctx.year, ctx.process_id, Purpose::kFirmYear, firms.id[f]);
          const double u_exit = r.uniform();
          const double shock = r.normal();
          rounding_[f] = r.uniform();
          ++t.firms[s];
          double hazard = config_.sectors[s].exit_hazard *
                          std::pow(std::max(phi, 1e-6), -rules.exit_productivity_elasticity);
          if (firms.age[f] < rules.young_firm_years) hazard *= rules.young_exit_multiplier;
          hazard *= std::pow(std::max(1.0, static_cast<double>(previous_positions_[f])),
                             -rules.exit_size_elasticity);
          if (u_exit < hazard) {
            firms.removed[f] = 1;
            desired_[f] = 0;
            ++t.exits;
            continue;
          }
          desired_[f] = previous_positions_[f] * std::exp(sd * shock - 0.5 * sd * sd);
          t.weighted_desire[s] += desired_[f] * phi;
        }
        return t;
      },
      [&](SectorTotals& acc, const SectorTotals& x) { add(acc, x, sectors); }, kFirmChunk);
  exits = before.exits;

  // Entrants: a Poisson number per sector; each picks a zone by attractiveness.
  entrants_.clear();
  std::vector<double> positions_by_bucket(zones * sectors, 0.0), positions_by_zone(zones, 0.0);
  std::vector<double> positions_by_sector(sectors, 0.0);
  for (std::size_t f = 0; f < n; ++f) {
    const std::size_t z = firms.zone[f] < zones ? firms.zone[f] : 0;
    positions_by_bucket[z * sectors + firms.sector[f]] += previous_positions_[f];
    positions_by_zone[z] += previous_positions_[f];
    positions_by_sector[firms.sector[f]] += previous_positions_[f];
  }
  // Labour-market access of each workplace zone: residents weighted by commuting weight.
  std::vector<double> access(zones, 1.0);
  double residents = 0;
  for (std::size_t h = 0; h < zones; ++h) residents += static_cast<double>(residents_by_zone_[h]);
  if (residents > 0)
    for (std::size_t z = 0; z < zones; ++z) {
      double a = 0;
      for (std::size_t h = 0; h < zones; ++h)
        a += static_cast<double>(residents_by_zone_[h]) * state_.access(h, z);
      access[z] = a / residents;
    }
  const LocationRules& loc = config_.location;
  std::vector<double> cumulative(zones);
  const double sigma = rules.productivity_dispersion;
  for (std::size_t s = 0; s < sectors; ++s) {
    const double mean_in_zone = positions_by_sector[s] / static_cast<double>(zones);
    double max_u = -1e300;
    for (std::size_t z = 0; z < zones; ++z) {
      const double free = state_.zone_capacity[z] > 0
                              ? std::max(0.0, 1.0 - positions_by_zone[z] / state_.zone_capacity[z])
                              : 0.0;
      const double agglomeration =
          mean_in_zone > 0 ? std::log1p(positions_by_bucket[z * sectors + s] / mean_in_zone) : 0.0;
      cumulative[z] = loc.access_weight * access[z] + loc.land_weight * free +
                      loc.agglomeration_weight * agglomeration;
      max_u = std::max(max_u, cumulative[z]);
    }
    double sum = 0;
    for (std::size_t z = 0; z < zones; ++z) cumulative[z] = sum += std::exp(cumulative[z] - max_u);
    AgentRng sector_rng = stream(ctx.rng, ctx.year, ctx.process_id, Purpose::kSectorEntry, s);
    const std::uint32_t count =
        sector_rng.poisson(config_.sectors[s].entry_rate * static_cast<double>(before.firms[s]));
    for (std::uint32_t k = 0; k < count; ++k) {
      Entrant e{state_.next_firm_id++, static_cast<std::uint8_t>(s), 0, 1.0, 1.0, 0.0};
      AgentRng r = stream(ctx.rng, ctx.year, ctx.process_id, Purpose::kFirmCreation, e.id);
      e.zone = static_cast<std::uint16_t>(pick(cumulative, r.uniform()));
      e.phi = std::exp(sigma * r.normal() - 0.5 * sigma * sigma);
      e.desired = std::min<double>(rules.entrant_max_positions,
                                   std::floor(pareto_weight(r, rules.size_tail_exponent)));
      e.rounding = r.uniform();
      entrants_.push_back(e);
    }
  }
  entries = static_cast<std::int64_t>(entrants_.size());

  // Labour demand: positions such that sum(positions x productivity) meets the sector's demand.
  std::array<double, kMaxSectors> weighted = before.weighted_desire;
  for (const Entrant& e : entrants_) weighted[e.sector] += e.desired * e.phi;
  std::array<double, kMaxSectors> scale{};
  for (std::size_t s = 0; s < sectors; ++s) {
    const SectorState& st = state_.sectors[s];
    scale[s] = weighted[s] > 0 && st.productivity_real > 0
                   ? st.demand_real / (st.productivity_real * weighted[s])
                   : 0.0;
  }

  // Targets and layoffs (the workers with the smallest layoff keys leave a shrinking firm).
  target_.resize(n);
  created_.resize(n);
  layoff_key_.resize(p.size());
  for_each_chunk(
      n,
      [&](std::size_t begin, std::size_t end, std::size_t) {
        for (std::size_t f = begin; f < end; ++f) {
          const std::uint32_t target =
              firms.removed[f] ? 0u
                               : std::max(1u, stochastic_round(scale[firms.sector[f]] * desired_[f],
                                                               rounding_[f]));
          target_[f] = target;
          created_[f] = target > previous_positions_[f] ? target - previous_positions_[f] : 0u;
          const std::uint32_t have = employees_.count(f);
          if (have <= target) continue;
          std::uint32_t* first = &employees_.person[employees_.offset[f]];
          std::uint32_t* last = first + have;
          const std::uint32_t leave = have - target;
          if (target > 0) {
            for (std::uint32_t* q = first; q != last; ++q)
              layoff_key_[*q] =
                  stream(ctx.rng, ctx.year, ctx.process_id, Purpose::kLayoff, p.id[*q]).uniform();
            std::nth_element(first, first + leave, last, [&](std::uint32_t a, std::uint32_t b) {
              return layoff_key_[a] < layoff_key_[b] || (layoff_key_[a] == layoff_key_[b] && a < b);
            });
          }
          for (std::uint32_t* q = first; q != first + leave; ++q) {
            labour.employer[*q] = kNoRow;
            labour.labour_status[*q] = kUnemployed;
            labour.wage_yuan[*q] = 0.0f;
          }
          firms.employees[f] = target;
        }
      },
      kFirmChunk);
  for (std::size_t f = 0; f < n; ++f) separations -= firms.employees[f];

  // Drop exited firms (keeping the scratch columns aligned), age the rest, append entrants.
  std::size_t kept = 0;
  for (std::size_t f = 0; f < n; ++f) {
    if (firms.removed[f]) continue;
    target_[kept] = target_[f];
    created_[kept] = created_[f];
    ++kept;
  }
  target_.resize(kept);
  created_.resize(kept);
  compact_firms(world);
  for (std::size_t f = 0; f < firms.size(); ++f)
    firms.age[f] = static_cast<std::uint8_t>(std::min(255, firms.age[f] + 1));
  for (const Entrant& e : entrants_) {
    const SectorState& st = state_.sectors[e.sector];
    append_firm(
        firms, e.id, e.sector, e.zone, static_cast<float>(st.productivity_real * price * e.phi),
        static_cast<float>(st.wage_index * std::pow(e.phi, rules.wage_productivity_elasticity)), 0);
    const std::uint32_t target =
        std::max(1u, stochastic_round(scale[e.sector] * e.desired, e.rounding));
    target_.push_back(target);
    created_.push_back(target);
  }
  for (std::size_t f = 0; f < firms.size(); ++f)
    firms.vacancies[f] = target_[f] > firms.employees[f] ? target_[f] - firms.employees[f] : 0u;
}

std::int64_t EconomyProcess::run_matching(StepContext& ctx, bool base_assignment,
                                          std::int64_t& newly_employed) {
  World& world = ctx.world;
  FirmTable& firms = world.get<FirmTable>();
  const PersonTable& p = world.persons;
  ConstPersonJobs labour(p);
  buckets_.build(firms, state_.zones, state_.sectors.size());
  if (!base_assignment) {  // everyone unemployed searches; the base year brings its own list
    seekers_.clear();
    for (std::size_t i = 0; i < p.size(); ++i)
      if (!p.removed[i] && labour.labour_status[i] == kUnemployed)
        seekers_.push_back(static_cast<std::uint32_t>(i));
  }
  if (!base_assignment && ctx.year == config_.base_year) {
    // Matching efficiency such that the base year's hires refill its vacancies: the base year is
    // then a steady state of the labour market, whose unemployment is the published rate.
    double open = 0;
    for (std::size_t f = 0; f < firms.size(); ++f) open += firms.vacancies[f];
    matching_rules_.efficiency =
        matching_rules_.calibrate_efficiency(open, static_cast<double>(seekers_.size()));
    ctx.out.scalar("economy_matching_efficiency", matching_rules_.efficiency);
  }
  // Seekers who held no job on 1 January (entrants, the unemployed, in-migrants), before and after.
  const auto not_employed_before = [&] {
    std::int64_t n = 0;
    for (std::uint32_t i : seekers_) n += i >= was_employed_.size() || !was_employed_[i];
    return n;
  };
  const std::int64_t new_seekers = not_employed_before();
  MatchingRules rules = matching_rules_;
  if (base_assignment) {  // building the base year's jobs: no friction
    rules.rounds = std::max(8, rules.rounds);
    rules.search_intensity = 1.0;
    rules.efficiency = 0;
  }
  std::int64_t hires = matcher_.match(world, buckets_, state_.access, rules, seekers_, ctx.rng,
                                      ctx.year, ctx.process_id);
  if (base_assignment) hires += fill_in_order(world, seekers_);
  newly_employed = new_seekers - not_employed_before();
  return hires;
}

void EconomyProcess::pay_wages(World& world) {
  PersonTable& p = world.persons;
  PersonJobs labour(p);
  const FirmTable& firms = world.get<FirmTable>();
  for_each_chunk(p.size(), [&](std::size_t begin, std::size_t end, std::size_t) {
    for (std::size_t i = begin; i < end; ++i) {
      const std::uint32_t f = labour.employer[i];
      labour.wage_yuan[i] =
          f != kNoRow && labour.labour_status[i] == kEmployed
              ? static_cast<float>(firms.wage_level_yuan[f] * config_.wage_premium[p.education[i]])
              : 0.0f;
    }
  });
}

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
            t.grants += stream(ctx.rng, ctx.year, ctx.process_id, Purpose::kPatents, firms.id[f])
                            .poisson(rd * grants_per_yuan);
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
                stream(ctx.rng, kLifetimeYear, ctx.process_id, Purpose::kPensionScheme, p.id[i])
                            .uniform() < employee_share
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
    state_.non_resident_retail = std::max(0.0, target - resident_retail);
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

// ---------------------------------------------------------------- invariants

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

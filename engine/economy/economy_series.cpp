// The economy's series: keys, units, Chinese and English labels and definitions.
#include <algorithm>
#include <string>

#include "core/series_declare.h"
#include "economy/detail/common.h"
#include "economy/economy.h"

namespace plansim {

using namespace economy;
using namespace economy::detail;

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
          "Unemployed / labour force x 100, all residents (99% urban), as the labour force "
          "survey counts them (ILO: of working age, without work, available and searching); the "
          "plan's target. The base year's unemployed are drawn to the economy config's surveyed "
          "rate (surveyed_unemployment_rate_2020_percent: no district figure is published, an "
          "uncertain assumption)." +
              stock);
  declare(c, K::Indicator, "registered_unemployment_rate", "%", "城镇登记失业率",
          "Registered urban unemployment rate",
          "The unemployed registered with the employment office / labour force x 100: the "
          "surveyed rate times the base year's ratio of the published registered rate to the "
          "surveyed rate (registration is not simulated person by person). Reported, not "
          "scored: the 14th plan's target is on the surveyed rate." +
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

}  // namespace plansim

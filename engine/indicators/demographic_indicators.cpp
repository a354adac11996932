#include "indicators/demographic_indicators.h"

#include <array>

#include "core/parallel.h"
#include "core/series_declare.h"

namespace plansim {
namespace {

struct Partial {
  std::array<std::int64_t, 6> counts{};  // persons, 0-14, 15-59, 15-64, 60+, 65+
  std::int64_t males = 0;
};

/// An indicator unless `kind` says otherwise (core's declare() with the kind last).
void declare(SeriesCatalog& c, std::string key, std::string unit, std::string zh, std::string en,
             std::string description, SeriesKind kind = SeriesKind::Indicator) {
  plansim::declare(c, kind, std::move(key), std::move(unit), std::move(zh), std::move(en),
                   std::move(description));
}

}  // namespace

PopulationCounts count_population(const World& world) {
  const auto& p = world.persons;
  const Partial total = reduce_chunks<Partial>(
      p.size(),
      [&](std::size_t b, std::size_t e) {
        Partial part;
        for (std::size_t i = b; i < e; ++i) {
          const int a = p.age[i];
          part.counts[0] += 1;
          part.counts[1] += a <= 14;
          part.counts[2] += a >= 15 && a <= 59;
          part.counts[3] += a >= 15 && a <= 64;
          part.counts[4] += a >= 60;
          part.counts[5] += a >= 65;
          part.males += p.sex[i] == kMale;
        }
        return part;
      },
      [](Partial& acc, const Partial& x) {
        for (std::size_t k = 0; k < acc.counts.size(); ++k) acc.counts[k] += x.counts[k];
        acc.males += x.males;
      });
  PopulationCounts out;
  out.persons = total.counts[0];
  out.age_0_14 = total.counts[1];
  out.age_15_59 = total.counts[2];
  out.age_15_64 = total.counts[3];
  out.age_60_plus = total.counts[4];
  out.age_65_plus = total.counts[5];
  out.males = total.males;
  // Zone populations from households: members per household times the household's zone.
  out.by_zone.assign(world.zone_count(), 0);
  const auto& h = world.households;
  for (std::size_t k = 0; k < h.size(); ++k)
    out.by_zone[h.zone[k]] += h.member_offset[k + 1] - h.member_offset[k];
  return out;
}

void DemographicIndicators::configure(ConfigureContext& ctx) {
  SeriesCatalog& c = ctx.catalog;
  const std::string start =
      " Stock at the start of the year (1 January; for the base year, the "
      "census date).";
  declare(c, "population", "persons", "常住人口", "Resident population",
          "Persons living in the district." + start);
  declare(c, "population_year_end", "persons", "年末常住人口", "Year-end resident population",
          "Persons living in the district at the end of the year (31 December, after the year's "
          "events): the stock that statistical bulletins publish as 年末常住人口. Equals the next "
          "year's population (start of year).");
  declare(c, "households", "households", "家庭户数", "Households",
          "Private households (family households in census terms)." + start);
  declare(c, "average_household_size", "persons per household", "平均家庭户规模",
          "Average household size", "population / households." + start);
  declare(c, "male_share", "%", "男性人口占比", "Share of men", "Men / population × 100." + start);
  declare(c, "age_0_14_share", "%", "0-14岁人口占比", "Share aged 0-14",
          "Persons aged 0-14 / population × 100." + start);
  declare(c, "age_15_59_share", "%", "15-59岁人口占比", "Share aged 15-59",
          "Persons aged 15-59 / population × 100." + start);
  declare(c, "age_60_plus_share", "%", "60岁及以上人口占比", "Share aged 60+",
          "Persons aged 60 and over / population × 100." + start);
  declare(c, "age_65_plus_share", "%", "65岁及以上人口占比", "Share aged 65+",
          "Persons aged 65 and over / population × 100." + start);
  declare(c, "dependency_ratio", "%", "总抚养比", "Total dependency ratio",
          "(persons aged 0-14 + persons aged 65+) / persons aged 15-64 × 100 (NBS definition)." +
              start);
  const std::string annual =
      " A first year that starts after 1 January (run.start_date) is "
      "annualised: events / (mid-period residents × the year's fraction).";
  declare(c, "crude_birth_rate", "per 1000", "人口出生率", "Crude birth rate",
          "Births during the year per 1,000 mid-year residents (mean of start and end stock)." +
              annual);
  declare(c, "crude_death_rate", "per 1000", "人口死亡率", "Crude death rate",
          "Deaths during the year per 1,000 mid-year residents (mean of start and end stock)." +
              annual);
  declare(c, "natural_increase_rate", "per 1000", "人口自然增长率", "Rate of natural increase",
          "Crude birth rate minus crude death rate." + annual);
  declare(c, "net_migration_rate", "per 1000", "净迁移率", "Net migration rate",
          "(in-migrants − out-migrants) per 1,000 mid-year residents." + annual);
  declare(c, "population_growth_rate", "%", "人口增长率", "Population growth",
          "Change of the resident population over the year, % of the start stock.");
  declare(c, "population", "persons", "常住人口", "Resident population",
          "Persons living in each zone (sub-district) at the start of the year.", SeriesKind::Zone);
  ctx.params.mark_all_used();  // no parameters
}

void DemographicIndicators::begin_year(StepContext& ctx) {
  const World& world = ctx.world;
  const double w = world.person_weight;
  const PopulationCounts n = count_population(world);
  const double persons = static_cast<double>(n.persons);
  const auto share = [&](std::int64_t k) { return persons > 0 ? 100.0 * k / persons : 0.0; };
  start_population_ = persons * w;
  Recorder& out = ctx.out;
  out.indicator("population", persons * w);
  out.indicator("households", static_cast<double>(world.households.size()) * w);
  out.indicator("average_household_size",
                world.households.size() ? persons / world.households.size() : 0.0);
  out.indicator("male_share", share(n.males));
  out.indicator("age_0_14_share", share(n.age_0_14));
  out.indicator("age_15_59_share", share(n.age_15_59));
  out.indicator("age_60_plus_share", share(n.age_60_plus));
  out.indicator("age_65_plus_share", share(n.age_65_plus));
  out.indicator("dependency_ratio",
                n.age_15_64 ? 100.0 * (n.age_0_14 + n.age_65_plus) / n.age_15_64 : 0.0);
  std::vector<float> zone_population(n.by_zone.size());
  for (std::size_t z = 0; z < n.by_zone.size(); ++z)
    zone_population[z] = static_cast<float>(static_cast<double>(n.by_zone[z]) * w);
  out.zone("population", zone_population);
}

void DemographicIndicators::end_year(StepContext& ctx) {
  const double end_population =
      static_cast<double>(ctx.world.persons.size()) * ctx.world.person_weight;
  const double mid_year = 0.5 * (start_population_ + end_population);
  // Person-years lived: the mid-period population times the share of the year simulated.
  const double exposure = mid_year * ctx.run.year_fraction(ctx.year);
  Recorder& out = ctx.out;
  out.indicator("population_year_end", end_population);
  const auto per_1000 = [&](double x) { return exposure > 0 ? 1000.0 * x / exposure : 0.0; };
  const double births = static_cast<double>(out.event_count("births"));
  const double deaths = static_cast<double>(out.event_count("deaths"));
  const double net =
      static_cast<double>(out.event_count("in_migrants") - out.event_count("out_migrants"));
  out.indicator("crude_birth_rate", per_1000(births));
  out.indicator("crude_death_rate", per_1000(deaths));
  out.indicator("natural_increase_rate", per_1000(births - deaths));
  out.indicator("net_migration_rate", per_1000(net));
  out.indicator("population_growth_rate",
                start_population_ > 0
                    ? 100.0 * (end_population - start_population_) / start_population_
                    : 0.0);
}

}  // namespace plansim

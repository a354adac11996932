#include "population/synthesis.h"

#include <spdlog/spdlog.h>
#include <tbb/parallel_for.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "population/city_zones.h"
#include "population/ipf.h"
#include "population/synthesis_households.h"

namespace plansim {
namespace {

constexpr int kSexes = 2;
constexpr int kCells = kSexes * kSingleAges;  // (sex, single age) cells, sex-major

int cell_of(int sex, int age) { return sex * kSingleAges + age; }

using AgeSexTable = std::array<std::array<double, kSingleAges>, kSexes>;

struct AgeSexFit {
  AgeSexTable expected{};  // persons by sex and single age, summing to the simulated total
  IpfResult ipf;
};

/// Fits the 5-year shape to the sex totals and the broad age groups 0-14, 15-59, 60-64, 65+,
/// then spreads each group over its single years.
AgeSexFit fit_age_sex(const PopulationConfig& c, double persons) {
  Eigen::MatrixXd seed(kSexes, kFiveYearGroups);
  for (int s = 0; s < kSexes; ++s)
    for (int g = 0; g < kFiveYearGroups; ++g) seed(s, g) = c.age_sex_shape[s][g];
  const double residents = static_cast<double>(c.residents);
  Eigen::VectorXd sex_targets(kSexes);
  sex_targets << persons * static_cast<double>(c.males) / residents,
      persons * static_cast<double>(c.females) / residents;
  std::vector<int> broad(kFiveYearGroups);
  for (int g = 0; g < kFiveYearGroups; ++g) broad[g] = g < 3 ? 0 : g < 12 ? 1 : g == 12 ? 2 : 3;
  Eigen::VectorXd broad_targets(4);
  broad_targets << c.share_0_14, c.share_15_59, c.share_60_plus - c.share_65_plus, c.share_65_plus;
  broad_targets *= persons / broad_targets.sum();  // the published shares are rounded

  AgeSexFit fit;
  fit.ipf = fit_table(seed, sex_targets, broad, broad_targets, c.ipf);
  double open_weight_sum = 0;
  for (double w : c.open_group_weights) open_weight_sum += w;
  for (int s = 0; s < kSexes; ++s) {
    for (int g = 0; g + 1 < kFiveYearGroups; ++g)
      for (int a = 5 * g; a < 5 * g + 5; ++a) fit.expected[s][a] = fit.ipf.table(s, g) / 5.0;
    const int open_from = 5 * (kFiveYearGroups - 1);
    for (std::size_t k = 0; k < c.open_group_weights.size(); ++k)
      fit.expected[s][open_from + k] =
          fit.ipf.table(s, kFiveYearGroups - 1) * c.open_group_weights[k] / open_weight_sum;
  }
  return fit;
}

/// The census level (attended, including in progress) turned into the level completed.
std::uint8_t completed_level(const PopulationConfig& c, std::uint8_t census_level, int age) {
  if (census_level > kNoSchooling && age < c.education_completion_age[census_level])
    return static_cast<std::uint8_t>(census_level - 1);
  return census_level;
}

}  // namespace

SynthesisStats synthesise(const PopulationConfig& config, double scale, const RngStreams& rng,
                          ProcessId process, World& world, std::vector<FitRow>& fit) {
  SynthesisStats stats;
  const double weight = 1.0 / scale;
  const auto total =
      static_cast<std::int64_t>(std::llround(static_cast<double>(config.residents) * scale));
  const std::size_t zone_count = config.zones.size();

  // 1. Persons per zone.
  std::vector<double> zone_quota(zone_count);
  for (std::size_t z = 0; z < zone_count; ++z)
    zone_quota[z] = config.zones[z].population_share * static_cast<double>(total);
  const std::vector<std::int64_t> zone_persons = largest_remainder(zone_quota, total);

  // 2. Age by sex, per zone. Persons are laid out zone by zone, then by (sex, age) cell.
  const AgeSexFit ages = fit_age_sex(config, static_cast<double>(total));
  stats.ipf_iterations += ages.ipf.iterations;
  stats.ipf_converged &= ages.ipf.converged;
  std::vector<std::int64_t> cell_count(zone_count * kCells);  // [zone][cell]
  std::vector<double> cell_quota(kCells);
  for (std::size_t z = 0; z < zone_count; ++z) {
    for (int s = 0; s < kSexes; ++s)
      for (int a = 0; a < kSingleAges; ++a) cell_quota[cell_of(s, a)] = ages.expected[s][a];
    const auto counts = largest_remainder(cell_quota, zone_persons[z]);
    std::copy(counts.begin(), counts.end(),
              cell_count.begin() + static_cast<std::ptrdiff_t>(z * kCells));
  }
  std::vector<std::size_t> zone_begin(zone_count + 1, 0);
  for (std::size_t z = 0; z < zone_count; ++z)
    zone_begin[z + 1] = zone_begin[z] + static_cast<std::size_t>(zone_persons[z]);
  const std::size_t n = zone_begin[zone_count];
  std::vector<std::uint8_t> age(n), sex(n), census_level(n, kNoSchooling);
  std::vector<std::size_t> cell_begin(zone_count * kCells + 1, 0);  // [zone][cell] -> first index
  {
    std::size_t i = 0;
    for (std::size_t z = 0; z < zone_count; ++z) {
      for (int c = 0; c < kCells; ++c) {
        cell_begin[z * kCells + c] = i;
        const auto count = static_cast<std::size_t>(cell_count[z * kCells + c]);
        std::fill_n(age.begin() + static_cast<std::ptrdiff_t>(i), count,
                    static_cast<std::uint8_t>(c % kSingleAges));
        std::fill_n(sex.begin() + static_cast<std::ptrdiff_t>(i), count,
                    static_cast<std::uint8_t>(c / kSingleAges));
        i += count;
      }
    }
    cell_begin[zone_count * kCells] = i;
  }

  // 3. Education: IPF of the seed over (sex, age >= census_min_age) rows to the census counts.
  std::vector<std::int64_t> city_cell(kCells, 0);
  for (std::size_t z = 0; z < zone_count; ++z)
    for (int c = 0; c < kCells; ++c) city_cell[c] += cell_count[z * kCells + c];
  std::vector<int> edu_cells;
  for (int s = 0; s < kSexes; ++s)
    for (int a = config.education_min_age; a < kSingleAges; ++a) edu_cells.push_back(cell_of(s, a));
  std::array<std::array<std::array<double, kEducationLevels>, kSingleAges>, kSexes> seed_weight{};
  for (const EducationSeedRow& row : config.education_seed)
    for (int a = row.from_age; a <= std::min(row.to_age, kOldestSynthesisedAge); ++a) {
      if (row.male) seed_weight[kMale][a] = row.weight;
      if (row.female) seed_weight[kFemale][a] = row.weight;
    }
  Eigen::MatrixXd edu_seed(static_cast<Eigen::Index>(edu_cells.size()), kEducationLevels);
  Eigen::VectorXd edu_rows(static_cast<Eigen::Index>(edu_cells.size()));
  for (std::size_t r = 0; r < edu_cells.size(); ++r) {
    const int c = edu_cells[r];
    for (int l = 0; l < kEducationLevels; ++l)
      edu_seed(static_cast<Eigen::Index>(r), l) = seed_weight[c / kSingleAges][c % kSingleAges][l];
    edu_rows[static_cast<Eigen::Index>(r)] = static_cast<double>(city_cell[c]);
  }
  const double persons_with_education = edu_rows.sum();
  Eigen::VectorXd edu_columns(kEducationLevels);
  double counted = 0;
  for (int l = kPrimary; l < kEducationLevels; ++l)
    counted += edu_columns[l] = static_cast<double>(config.education_counts[l]) * scale;
  if (counted > persons_with_education) {  // never with census data; keeps the fit feasible
    edu_columns *= persons_with_education / counted;
    counted = persons_with_education;
  }
  edu_columns[kNoSchooling] = persons_with_education - counted;
  const IpfResult edu_fit = fit_table(edu_seed, edu_rows, edu_columns, config.ipf);
  stats.ipf_iterations += edu_fit.iterations;
  stats.ipf_converged &= edu_fit.converged;
  // Each (sex, age) cell's integer level counts go to its persons in a random order.
  tbb::parallel_for(std::size_t{0}, edu_cells.size(), [&](std::size_t r) {
    const int c = edu_cells[r];
    std::vector<double> quotas(kEducationLevels);
    for (int l = 0; l < kEducationLevels; ++l)
      quotas[l] = edu_fit.table(static_cast<Eigen::Index>(r), l);
    const auto levels = largest_remainder(quotas, city_cell[c]);
    std::vector<std::pair<std::uint32_t, std::uint64_t>> persons;  // (random key, index)
    persons.reserve(static_cast<std::size_t>(city_cell[c]));
    for (std::size_t z = 0; z < zone_count; ++z)
      for (std::size_t i = cell_begin[z * kCells + c]; i < cell_begin[z * kCells + c + 1]; ++i)
        persons.emplace_back(
            rng.stream(config.base_year, process, rng_subject(kEducationOrder, i)).next32(), i);
    std::sort(persons.begin(), persons.end());
    std::size_t k = 0;
    for (int l = 0; l < kEducationLevels; ++l)
      for (std::int64_t m = 0; m < levels[l]; ++m)
        census_level[persons[k++].second] = static_cast<std::uint8_t>(l);
  });

  // 4. Households, zone by zone in parallel (each zone draws from its own streams).
  std::vector<ZoneHouseholds> zone_households(zone_count);
  tbb::parallel_for(std::size_t{0}, zone_count, [&](std::size_t z) {
    const std::span<const std::uint8_t> zone_age(age.data() + zone_begin[z],
                                                 zone_begin[z + 1] - zone_begin[z]);
    const std::span<const std::uint8_t> zone_sex(sex.data() + zone_begin[z],
                                                 zone_begin[z + 1] - zone_begin[z]);
    zone_households[z] = assemble_households(
        zone_age, zone_sex, config.households, config.formation,
        ZoneStreams{rng, config.base_year, process, static_cast<std::uint16_t>(z)});
  });

  // 5. The World: households zone by zone, each household's members in consecutive rows.
  std::vector<std::size_t> household_begin(zone_count + 1, 0);
  for (std::size_t z = 0; z < zone_count; ++z) {
    household_begin[z + 1] = household_begin[z] + zone_households[z].household_count();
    stats.leftover_persons += zone_households[z].leftover_persons;
  }
  const std::size_t household_total = household_begin[zone_count];
  world.year = config.base_year;
  world.person_weight = weight;
  world.zones.clear();
  for (const ZoneSpec& zone : config.zones)
    world.zones.push_back(
        {zone.key, zone.name_zh, zone.name_en, zone.x_m, zone.y_m, zone.area_km2});
  world.persons = PersonTable{};
  world.households = HouseholdTable{};
  PersonTable& p = world.persons;
  HouseholdTable& h = world.households;
  p.resize(n);
  h.id.resize(household_total);
  h.zone.resize(household_total);
  h.removed.assign(household_total, 0);
  std::vector<std::uint8_t> row_census_level(n);
  tbb::parallel_for(std::size_t{0}, zone_count, [&](std::size_t z) {
    const ZoneHouseholds& zh = zone_households[z];
    const std::size_t first_row = zone_begin[z];
    std::vector<std::uint32_t> row_of_local(zone_begin[z + 1] - zone_begin[z]);
    for (std::size_t k = 0; k < zh.member.size(); ++k)
      row_of_local[zh.member[k]] = static_cast<std::uint32_t>(first_row + k);
    for (std::size_t hh = 0; hh < zh.household_count(); ++hh) {
      const std::size_t hrow = household_begin[z] + hh;
      h.id[hrow] = hrow + 1;
      h.zone[hrow] = static_cast<std::uint16_t>(z);
      for (std::uint32_t k = zh.offset[hh]; k < zh.offset[hh + 1]; ++k) {
        const std::uint32_t local = zh.member[k];
        const std::size_t row = first_row + k;
        const std::size_t source = first_row + local;
        p.id[row] = row + 1;
        p.age[row] = age[source];
        p.sex[row] = sex[source];
        row_census_level[row] = census_level[source];
        p.education[row] = completed_level(config, census_level[source], age[source]);
        p.household[row] = static_cast<std::uint32_t>(hrow);
        p.partner[row] = zh.partner[local] == kNoRow ? kNoRow : row_of_local[zh.partner[local]];
      }
    }
  });
  world.next_person_id = n + 1;
  world.next_household_id = household_total + 1;
  rebuild_members(world);
  stats.persons = static_cast<std::int64_t>(n);
  stats.households = static_cast<std::int64_t>(household_total);

  // 6. Fit report: target and achieved values for the whole city.
  const double persons_city = static_cast<double>(n) * weight;
  const double residents = static_cast<double>(config.residents);
  const auto add = [&](std::string marginal, double target, double achieved) {
    fit.push_back(FitRow{std::move(marginal), target, achieved});
  };
  std::int64_t males = 0, age_0_14 = 0, age_15_59 = 0, age_60_plus = 0, age_65_plus = 0;
  std::array<std::int64_t, kEducationLevels> education{};
  for (std::size_t i = 0; i < n; ++i) {
    males += p.sex[i] == kMale;
    const int a = p.age[i];
    (a < 15 ? age_0_14 : a < 60 ? age_15_59 : age_60_plus) += 1;
    age_65_plus += a >= 65;
    if (a >= config.education_min_age) ++education[row_census_level[i]];
  }
  add("population/total", residents, persons_city);
  add("sex/male", static_cast<double>(config.males), static_cast<double>(males) * weight);
  add("sex/female", static_cast<double>(config.females),
      static_cast<double>(static_cast<std::int64_t>(n) - males) * weight);
  add("age/0-14", config.share_0_14 * residents, static_cast<double>(age_0_14) * weight);
  add("age/15-59", config.share_15_59 * residents, static_cast<double>(age_15_59) * weight);
  add("age/60+", config.share_60_plus * residents, static_cast<double>(age_60_plus) * weight);
  add("age/65+", config.share_65_plus * residents, static_cast<double>(age_65_plus) * weight);
  double counted_city = 0, census_age_city = 0;
  for (int l = kPrimary; l < kEducationLevels; ++l)
    counted_city += static_cast<double>(config.education_counts[l]);
  for (int s = 0; s < kSexes; ++s)
    for (int a = config.education_min_age; a < kSingleAges; ++a)
      census_age_city += ages.expected[s][a] * weight;
  add(std::string("education/") + kEducationKeys[kNoSchooling],
      std::max(0.0, census_age_city - counted_city),
      static_cast<double>(education[kNoSchooling]) * weight);
  for (int l = kPrimary; l < kEducationLevels; ++l)
    add(std::string("education/") + kEducationKeys[l],
        static_cast<double>(config.education_counts[l]),
        static_cast<double>(education[l]) * weight);

  const double households_target = persons_city / config.households.mean_size;
  add("households/total", households_target, static_cast<double>(household_total) * weight);
  const auto size_share =
      household_size_distribution(config.households.size_shape, config.households.mean_size,
                                  config.households.mean_size_five_plus);
  std::array<std::int64_t, kHouseholdSizeClasses> by_size{};
  std::array<std::int64_t, kHouseholdTypes> by_type{};
  for (std::size_t z = 0; z < zone_count; ++z) {
    const ZoneHouseholds& zh = zone_households[z];
    for (std::size_t hh = 0; hh < zh.household_count(); ++hh) {
      const std::uint32_t size = zh.offset[hh + 1] - zh.offset[hh];
      ++by_size[std::min<std::uint32_t>(size, kHouseholdSizeClasses) - 1];
      ++by_type[zh.type[hh]];
    }
  }
  for (int k = 0; k < kHouseholdSizeClasses; ++k)
    add(std::string("household_size/") + kHouseholdSizeKeys[k], size_share[k] * households_target,
        static_cast<double>(by_size[k]) * weight);
  for (int t = 0; t < kHouseholdTypes; ++t)
    add(std::string("household_type/") + kHouseholdTypeKeys[t],
        config.households.type_shares[t] * households_target,
        static_cast<double>(by_type[t]) * weight);
  for (std::size_t z = 0; z < zone_count; ++z)
    add("zone/" + config.zones[z].key, config.zones[z].population_share * residents,
        static_cast<double>(zone_persons[z]) * weight);
  return stats;
}

namespace {
// Memory per simulated person at the peak of a run, with every process (an upper estimate from
// bench/results.md), for refusing a run.scale the machine cannot hold.
constexpr double kPeakBytesPerPerson = 100.0;

void check_population_size(std::int64_t residents, double scale, const ParamNode* population,
                           Diagnostics& diags) {
  if (!population || residents <= 0) return;
  const ParamNode* node = population->peek("residents");
  const SourceLoc loc = node ? node->loc() : population->loc();
  // Room for 15 years of growth and the year's newcomers: rows are 32-bit (kNoRow is reserved).
  const double persons = static_cast<double>(residents) * scale;
  const double rows_needed = 1.5 * persons;
  const std::string what = "population.residents: " + std::to_string(residents) +
                           " residents × run.scale " + number_text(scale) + " = " +
                           number_text(std::round(persons)) + " simulated persons";
  if (rows_needed >= static_cast<double>(kNoRow)) {
    diags.error(loc, what + ": more than the person table can hold with room to grow (" +
                         number_text(static_cast<double>(kNoRow) / 1.5) + "); lower run.scale");
    return;
  }
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  const double memory = static_cast<double>(sysconf(_SC_PHYS_PAGES)) * page;
  if (memory > 0 && rows_needed * kPeakBytesPerPerson > memory)
    diags.error(loc, what + " need about " +
                         number_text(std::ceil(rows_needed * kPeakBytesPerPerson / 1073741824.0)) +
                         " GiB of memory (≈ " + number_text(kPeakBytesPerPerson) +
                         " bytes per person with room to grow); this machine has " +
                         number_text(std::floor(memory / 1073741824.0)) + " GiB; lower run.scale");
}
}  // namespace

void SynthesisProcess::configure(ConfigureContext& ctx) {
  const CityZones& zones = ctx.city_data<CityZones>();
  const ParamNode* population = ctx.city.find("population");
  if (!zones.present)
    ctx.diags.error(ctx.city.loc(),
                    "city: no zones.yaml in the city folder (the synthesis needs the zones)");
  if (!population)
    ctx.diags.error(
        ctx.city.loc(),
        "city: no population.yaml in the city folder (the synthesis needs its marginals)");
  if (zones.present && population) {
    config_ = PopulationConfig{};
    config_.zones = zones.zones;
    read_population_file(*population, config_, ctx.diags);
    const ParamNode* base_year = population->peek("base_year");
    if (base_year && ctx.run.start_year != config_.base_year)
      ctx.diags.error(base_year->loc(), base_year->path() + ": the population describes " +
                                            std::to_string(config_.base_year) +
                                            " but run.start is " +
                                            std::to_string(ctx.run.start_year));
  }
  config_.ipf = read_ipf_settings(ctx.params, ctx.diags);
  check_population_size(config_.residents, ctx.run.scale, population, ctx.diags);
}

void SynthesisProcess::initialize(StepContext& ctx) {
  std::vector<FitRow> fit;
  const SynthesisStats stats =
      synthesise(config_, ctx.run.scale, ctx.rng, ctx.process_id, ctx.world, fit);
  if (!stats.ipf_converged)
    spdlog::warn("synthesis: IPF did not converge in {} iterations (ipf.max_iterations)",
                 config_.ipf.max_iterations);
  for (FitRow& row : fit) ctx.out.fit(std::move(row));
  ctx.out.scalar("synthesis_ipf_iterations", stats.ipf_iterations);
  ctx.out.scalar("synthesis_leftover_persons",
                 static_cast<double>(stats.leftover_persons) * ctx.world.person_weight);
}

}  // namespace plansim

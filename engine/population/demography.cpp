#include "population/demography.h"

#include <algorithm>
#include <cmath>

#include "core/parallel.h"
#include "core/series_declare.h"

namespace plansim {
namespace {

// Event flags of a person row during one step.
enum : std::uint8_t {
  kDied = 1,
  kGivesBirth = 2,
  kNewbornGirl = 4,
  kEntersMarket = 8,
  kLeavesHome = 16,
  kDivorces = 32,
};

// Each kind of draw has its own stream: subject rng_subject(tag, id) (core/rng.h), so that
// adding or changing one event never shifts the draws of another.
enum class Draw : std::uint8_t {
  kMortality = 0,  // tag 0: the person's own stream, ctx.stream(person id)
  kBirth = 1,
  kUnion = 2,
  kLeaveHome = 3,
  kDivorce = 4,
  kOutMigration = 5,        // household id
  kInMigrationCount = 6,    // fixed subject 0
  kInMigrantHousehold = 7,  // index of the in-migrant household within the year
  kOrphanPlacement = 8,     // household id
  kAgeing = 9,              // person id: birthday within a partial first year
};
constexpr RngPurpose kPurposes[] = {
    {"mortality", static_cast<unsigned>(Draw::kMortality)},
    {"birth", static_cast<unsigned>(Draw::kBirth)},
    {"union", static_cast<unsigned>(Draw::kUnion)},
    {"leaving home", static_cast<unsigned>(Draw::kLeaveHome)},
    {"divorce", static_cast<unsigned>(Draw::kDivorce)},
    {"out-migration", static_cast<unsigned>(Draw::kOutMigration)},
    {"in-migration count", static_cast<unsigned>(Draw::kInMigrationCount)},
    {"in-migrant household", static_cast<unsigned>(Draw::kInMigrantHousehold)},
    {"orphan placement", static_cast<unsigned>(Draw::kOrphanPlacement)},
    {"ageing", static_cast<unsigned>(Draw::kAgeing)},
};
static_assert(rng_tags_distinct(kPurposes), "two purposes of the demography share a random stream");
constexpr std::uint64_t subject(Draw tag, std::uint64_t id) { return rng_subject(tag, id); }

// Highest level a person of this age can have completed (primary at 12, junior high at 15,
// senior high at 18, college at 22).
std::uint8_t attainable_education(int age) {
  if (age < 12) return kNoSchooling;
  if (age < 15) return kPrimary;
  if (age < 18) return kJuniorHigh;
  if (age < 22) return kSeniorHigh;
  return kCollege;
}

// In-migrant household members' age ranges (years).
constexpr int kSingleMinAge = 18;
constexpr int kCoupleWomanMinAge = 20, kCoupleWomanMaxAge = 60;
constexpr int kFamilyWomanMinAge = 22, kFamilyWomanMaxAge = 50;
constexpr int kMotherMinAgeAtBirth = 20;

// The probability of an event over a fraction f of a year, from its annual probability p, at a
// constant hazard: 1 − (1 − p)^f (p itself when f = 1).
double over_period(double p, double f) {
  if (f >= 1.0 || p <= 0) return p;
  if (p >= 1.0) return 1.0;
  return -std::expm1(f * std::log1p(-p));
}

// A partial first year (from the base population's date to 31 December): deaths, migration and
// partnership events at constant hazards over the fraction f; births at f times the annual rate.
void scale_to_period(YearProbabilities& p, double f) {
  if (f >= 1.0) return;
  for (auto& by_age : p.death)
    for (double& q : by_age) q = over_period(q, f);
  for (double& b : p.birth) b *= f;
  for (double& o : p.out_migration) o = over_period(o, f);
}

const AlignmentTarget* target_of(const std::vector<AlignmentTarget>& targets, int year) {
  for (const auto& t : targets)
    if (t.year == year) return &t;
  return nullptr;
}

// Up to kSize (row, stream subject) pairs of one pass whose first Philox blocks are generated
// together (RngStreams::first_blocks, vectorised): after generate(), uniform(k) is what
// ctx.stream(subject k).uniform() returns first and second_uniform(k) what it returns next. The
// next batch may be added while the blocks are read, but row(k) is then overwritten.
class DrawBatch {
 public:
  static constexpr std::size_t kSize = 256;
  void add(std::size_t row, std::uint64_t subject) {
    rows_[n_] = static_cast<std::uint32_t>(row);
    subjects_[n_++] = subject;
  }
  void generate(const StepContext& step) {
    step.rng.first_blocks(step.year, step.process_id, subjects_, n_, blocks_);
    generated_ = n_;
    n_ = 0;
  }
  std::size_t size() const { return generated_; }
  std::size_t row(std::size_t k) const { return rows_[k]; }
  double uniform(std::size_t k) const { return to_uniform(blocks_ + 4 * k); }
  double second_uniform(std::size_t k) const { return to_uniform(blocks_ + 4 * k + 2); }

 private:
  // uniform_from_block(), with the 53 bits converted as a signed integer (exact below 2^53, so
  // the same double) in one instruction instead of the unsigned conversion's several.
  static double to_uniform(const std::uint32_t* words) {
    const std::uint64_t bits = (std::uint64_t{words[0]} << 32 | words[1]) >> 11;
    return static_cast<double>(static_cast<std::int64_t>(bits)) * 0x1.0p-53;
  }
  std::uint32_t rows_[kSize];
  std::uint64_t subjects_[kSize];
  std::uint32_t blocks_[4 * kSize];
  std::size_t n_ = 0, generated_ = 0;
};

}  // namespace

struct DemographyProcess::Context {
  StepContext& step;
  World& world;
  YearProbabilities p;
  std::size_t n0 = 0;     // persons at the start of the year
  std::size_t h0 = 0;     // households at the start of the year
  std::size_t h_csr = 0;  // households covered by the membership index rebuilt after the moves
  std::uint16_t zones = 1;
  double probability_boy = 0.5;
  const AlignmentTarget* births_target = nullptr;
  const AlignmentTarget* net_migration_target = nullptr;
  std::int64_t in_migrants_to_add = 0;
  double fraction = 1.0;  // share of the year simulated (RunSettings::year_fraction)
};

void DemographyProcess::declare_series(SeriesCatalog& catalog) {
  const auto event = [&](const char* key, const char* unit, const char* zh, const char* en,
                         const char* description) {
    declare(catalog, SeriesKind::Event, key, unit, zh, en, description);
  };
  event("births", "persons", "出生人口", "Births", "Live births during the year.");
  event("deaths", "persons", "死亡人口", "Deaths",
        "Deaths during the year among residents at the start of the year.");
  event("in_migrants", "persons", "迁入人口", "In-migrants",
        "Persons moving into the district during the year (arriving as new households).");
  event("out_migrants", "persons", "迁出人口", "Out-migrants",
        "Persons leaving the district during the year (whole households).");
  event("unions", "households", "新组建夫妻", "Unions formed",
        "Couples formed during the year; each couple sets up a new household.");
  event("divorces", "households", "离婚", "Divorces",
        "Couples separating during the year; the man sets up a new household.");
  event("new_households", "households", "新增家庭户", "New households",
        "Households set up during the year: unions, young adults leaving home, divorces and "
        "in-migrant households.");
  event("dissolved_households", "households", "解体家庭户", "Dissolved households",
        "Households left without members during the year by deaths and moves (households that "
        "emigrate as a whole are counted in out_migrants, not here).");
  const auto indicator = [&](const char* key, const char* zh, const char* en, const char* who) {
    declare(catalog, SeriesKind::Indicator, key, "years", zh, en,
            std::string("Period life expectancy at birth") + who +
                ": the life table of the year's death rates (the calibrated rates with the "
                "year's mortality level and improvement; constant hazard within each year of "
                "age), as statistical offices compute it from the year's age-specific death "
                "rates; not subject to the sampling noise of the simulated deaths.");
  };
  indicator("life_expectancy", "人均预期寿命", "Life expectancy at birth",
            ", both sexes (the sexes' values weighted by the sex ratio at birth)");
  indicator("life_expectancy_male", "男性预期寿命", "Life expectancy at birth, men", " of men");
  indicator("life_expectancy_female", "女性预期寿命", "Life expectancy at birth, women",
            " of women");
}

void DemographyProcess::configure(ConfigureContext& ctx) {
  const ParamNode* city_file = ctx.city.find("demography");
  const ParamNode missing(ParamNode::Kind::Null, ctx.city.loc(), "demography");
  const ParamNode& city = city_file ? *city_file : missing;
  Diagnostics& diags = ctx.diags;
  const int start = ctx.run.start_year;
  // Alignment targets are maps of years by nature: read from the block as written.
  DemographyRates targets;
  read_demography_alignment(ctx.params, targets, diags);
  check_alignment_years(targets, start, ctx.run.end_year, diags);
  // Every parameter may be a trajectory: the rates of each year, scenario over city.
  by_year_ =
      read_by_year<DemographyRates>(start, ctx.run.end_year, {&city, &ctx.params}, [&](int year) {
        return read_demography_rates(evaluated_at(city, year, diags),
                                     evaluated_at(ctx.params, year, diags, &city), diags,
                                     Alignment::kSkip);
      });
  // The cumulative mortality trend: Π (1 − r(y)) over the years after the base year.
  std::vector<DemographyRates> years;
  double trend = 1.0;
  for (int year = start; year <= by_year_.last_year(); ++year) {
    DemographyRates r = by_year_.at(year);
    if (year > r.base_year) trend *= 1.0 - r.mortality_improvement_per_year;
    r.mortality_trend = year > r.base_year
                            ? trend
                            : std::pow(1.0 - r.mortality_improvement_per_year, year - r.base_year);
    r.births_alignment = targets.births_alignment;
    r.net_migration_alignment = targets.net_migration_alignment;
    years.push_back(std::move(r));
  }
  by_year_ = ByYear<DemographyRates>(start, std::move(years));
  rates_ = by_year_.first();
  // The city's own rates of the base year, for the calibration; its settings (on or off, the
  // target crude rates) are the scenario's when it sets them.
  const ParamNode empty_block(ParamNode::Kind::Map, SourceLoc{}, "demography");
  city_base_ =
      read_demography_rates(evaluated_at(city, start, diags), empty_block, diags, Alignment::kSkip);
  city_base_.mortality_trend = by_year_.first().mortality_trend;
  city_base_.calibrate = rates_.calibrate;
  city_base_.target_crude_birth_rate_per_1000 = rates_.target_crude_birth_rate_per_1000;
  city_base_.target_crude_death_rate_per_1000 = rates_.target_crude_death_rate_per_1000;
  declare_series(ctx.catalog);
}

const AgeSchedule& DemographyProcess::out_migration_probability(int year) const {
  static const AgeSchedule none{};
  if (out_migration_.empty()) return none;
  const int k = std::clamp(year - first_year_, 0, static_cast<int>(out_migration_.size()) - 1);
  return out_migration_[static_cast<std::size_t>(k)];
}

void DemographyProcess::prepare(const World& world, int year) {
  const SexAgeSchedule counts = count_by_sex_age(world);
  // Out-migration: each year's rate and age profile, scaled on the base-year population.
  first_year_ = year;
  out_migration_.clear();
  const int last = by_year_.empty() ? year : std::max(year, by_year_.last_year());
  for (int y = year; y <= last; ++y)
    out_migration_.push_back(plansim::out_migration_probability(rates(y), counts));
  const AgeSchedule city_out = plansim::out_migration_probability(city_base_, counts);
  calibration_ = calibrate_levels(counts, city_base_, city_out, year);
  initialized_ = true;
}

void DemographyProcess::initialize(StepContext& ctx) {
  prepare(ctx.world, ctx.year);
  ctx.out.scalar("mortality_level_factor", calibration_.levels.mortality);
  ctx.out.scalar("fertility_level_factor", calibration_.levels.fertility);
  ctx.out.scalar("calibrated_tfr", calibration_.tfr);
  ctx.out.scalar("calibrated_life_expectancy_male", calibration_.life_expectancy_male);
  ctx.out.scalar("calibrated_life_expectancy_female", calibration_.life_expectancy_female);
}

std::array<double, 2> DemographyProcess::life_expectancy(int year) const {
  const DemographyRates& r = rates(year);
  const double factor = calibration_.levels.mortality * mortality_factor(r, year);
  std::array<double, 2> e{};
  for (int s = 0; s < 2; ++s) {
    AgeSchedule m{};
    for (int a = 0; a < kAges; ++a) m[a] = factor * r.death_rate[s][a];
    e[s] = period_life_expectancy(m);
  }
  return e;
}

void DemographyProcess::begin_year(StepContext& ctx) {
  if (!initialized_) prepare(ctx.world, ctx.year);
  const std::array<double, 2> e = life_expectancy(ctx.year);
  // Both sexes: a newborn's expectation, the sexes weighted by the sex ratio at birth (the
  // combined life table of a population with these rates and births).
  const double boys =
      rates(ctx.year).sex_ratio_at_birth / (100.0 + rates(ctx.year).sex_ratio_at_birth);
  ctx.out.indicator("life_expectancy", boys * e[kMale] + (1 - boys) * e[kFemale]);
  ctx.out.indicator("life_expectancy_male", e[kMale]);
  ctx.out.indicator("life_expectancy_female", e[kFemale]);
}

int DemographyProcess::profile_age(int lo, int hi, double u) const {
  lo = std::clamp(lo, 0, kMaxAge);
  hi = std::clamp(hi, lo, kMaxAge);
  const double from = profile_cdf_[lo], to = profile_cdf_[hi + 1];
  if (to <= from) return lo;
  const double target = from + u * (to - from);
  // First age a in [lo, hi] with cdf[a + 1] > target.
  const auto it =
      std::upper_bound(profile_cdf_.begin() + lo + 1, profile_cdf_.begin() + hi + 2, target);
  return std::min(hi, static_cast<int>(it - profile_cdf_.begin()) - 1);
}

std::uint32_t DemographyProcess::new_households(World& world, std::size_t n) {
  auto& households = world.households;
  const std::size_t first = households.size();
  households.resize(first + n);  // one growth for all, every column at its fill
  for (std::size_t k = 0; k < n; ++k) households.id[first + k] = world.next_household_id + k;
  world.next_household_id += n;
  counts_.new_households += static_cast<std::int64_t>(n);
  return static_cast<std::uint32_t>(first);
}

void DemographyProcess::collect_flagged(std::size_t n, std::uint8_t bit) {
  const std::size_t chunks = chunk_count(n);
  chunk_offset_.assign(chunks + 1, 0);
  for_each_chunk(n, [&](std::size_t b, std::size_t e, std::size_t c) {
    std::uint32_t k = 0;
    for (std::size_t i = b; i < e; ++i) k += (flag_[i] & bit) != 0;
    chunk_offset_[c + 1] = k;
  });
  for (std::size_t c = 0; c < chunks; ++c) chunk_offset_[c + 1] += chunk_offset_[c];
  rows_.resize(chunk_offset_[chunks]);
  for_each_chunk(n, [&](std::size_t b, std::size_t e, std::size_t c) {
    std::uint32_t k = chunk_offset_[c];
    for (std::size_t i = b; i < e; ++i)
      if (flag_[i] & bit) rows_[k++] = static_cast<std::uint32_t>(i);
  });
}

void DemographyProcess::step(StepContext& ctx) {
  World& world = ctx.world;
  if (!initialized_) prepare(world, ctx.year);
  if (!by_year_.empty()) rates_ = by_year_.at(ctx.year);
  auto& households = world.households;
  if (households.member_offset.size() != households.size() + 1 ||
      households.member_row.size() != world.persons.size())
    rebuild_members(world);

  Context c{ctx, world, probabilities(ctx.year)};
  c.fraction = ctx.run.year_fraction(ctx.year);
  scale_to_period(c.p, c.fraction);
  c.n0 = world.persons.size();
  c.h0 = households.size();
  c.zones = world.zone_count();
  if (c.zones == 0) {
    std::uint16_t highest = 0;
    for (std::uint16_t z : households.zone) highest = std::max(highest, z);
    c.zones = static_cast<std::uint16_t>(highest + 1);
  }
  c.probability_boy = rates_.sex_ratio_at_birth / (100.0 + rates_.sex_ratio_at_birth);
  c.births_target = target_of(rates_.births_alignment, ctx.year);
  c.net_migration_target = target_of(rates_.net_migration_alignment, ctx.year);
  counts_ = {};
  flag_.assign(c.n0, 0);
  moved_to_.assign(c.h0, kNoRow);

  // Each part's wall and CPU time go to the profile (plansim run --profile).
  PhaseTimer timer;
  mortality_and_births(c);
  if (c.births_target) align_births(c);
  lap(ctx.parts, "mortality and births", timer);
  household_structure(c);
  partnership_draws(c);
  lap(ctx.parts, "partnership draws", timer);
  append_newborns(c);
  lap(ctx.parts, "newborns", timer);
  unions(c);
  lap(ctx.parts, "unions", timer);
  leaving_home(c);
  divorces(c);
  lap(ctx.parts, "leaving home and divorce", timer);
  out_migration(c);
  lap(ctx.parts, "out-migration", timer);
  in_migration(c);
  lap(ctx.parts, "in-migration", timer);
  ageing(c);
  children_without_adult(c);
  lap(ctx.parts, "ageing and children's care", timer);
  compact(world);
  lap(ctx.parts, "compaction", timer);

  Recorder& out = ctx.out;
  out.event("births", counts_.births);
  out.event("deaths", counts_.deaths);
  out.event("in_migrants", counts_.in_migrants);
  out.event("out_migrants", counts_.out_migrants);
  out.event("unions", counts_.unions);
  out.event("divorces", counts_.divorces);
  out.event("new_households", counts_.new_households);
  out.event("dissolved_households", counts_.dissolved_households);
}

// One pass over persons alive at the start of the year: deaths (exposure and deaths by sex and
// age go to the World's VitalEvents) and, for women who survive, births with the probability of
// their age.
void DemographyProcess::mortality_and_births(Context& c) {
  auto& persons = c.world.persons;
  const bool births_drawn = c.births_target == nullptr;  // aligned years select births later
  const std::size_t chunks = chunk_count(c.n0);
  const std::size_t vitals_size = 2 * static_cast<std::size_t>(kAges);
  chunk_vitals_.assign(chunks * 2 * vitals_size, 0);
  // Raw pointers in locals: byte stores (flags) may alias anything, so members would be reloaded.
  const std::uint64_t* id = persons.id.data();
  const std::uint8_t* sex_of = persons.sex.data();
  const std::uint8_t* age_of = persons.age.data();
  std::uint8_t* removed = persons.removed.data();
  std::uint8_t* flag = flag_.data();
  const YearProbabilities& p = c.p;
  const double probability_boy = c.probability_boy;
  for_each_chunk(c.n0, [&](std::size_t b, std::size_t e, std::size_t chunk) {
    std::uint32_t* deaths = &chunk_vitals_[chunk * 2 * vitals_size];
    std::uint32_t* exposure = deaths + vitals_size;
    // Batches of rows: the mortality blocks of the batch, then the birth blocks of the women who
    // survived, each generated in bulk (the same bits as one stream per person).
    DrawBatch batch;
    for (std::size_t start = b; start < e; start += DrawBatch::kSize) {
      const std::size_t end = std::min(e, start + DrawBatch::kSize);
      for (std::size_t i = start; i < end; ++i) batch.add(i, subject(Draw::kMortality, id[i]));
      batch.generate(c.step);
      for (std::size_t i = start; i < end; ++i) {
        if (removed[i]) continue;
        const int sex = sex_of[i] & 1, age = age_of[i];
        ++exposure[sex * kAges + age];
        if (batch.uniform(i - start) < p.death[sex][age]) {
          removed[i] = 1;
          flag[i] |= kDied;
          ++deaths[sex * kAges + age];
          continue;
        }
        if (births_drawn && sex == kFemale && p.birth[age] > 0)
          batch.add(i, subject(Draw::kBirth, id[i]));
      }
      batch.generate(c.step);
      for (std::size_t k = 0; k < batch.size(); ++k) {
        const std::size_t i = batch.row(k);
        if (batch.uniform(k) < p.birth[age_of[i]])
          flag[i] |= kGivesBirth | (batch.second_uniform(k) < probability_boy ? 0 : kNewbornGirl);
      }
    }
  });
  VitalEvents& vitals = c.world.modules.ensure<VitalEvents>();
  vitals.deaths_by_sex_age.assign(vitals_size, 0);
  vitals.population_by_sex_age.assign(vitals_size, 0);
  for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
    const std::uint32_t* deaths = &chunk_vitals_[chunk * 2 * vitals_size];
    for (std::size_t k = 0; k < vitals_size; ++k) {
      vitals.deaths_by_sex_age[k] += deaths[k];
      vitals.population_by_sex_age[k] += deaths[vitals_size + k];
    }
  }
  for (std::uint32_t d : vitals.deaths_by_sex_age) counts_.deaths += d;
  collect_flagged(c.n0, kDied);
  vitals.died_ids.resize(rows_.size());
  for (std::size_t k = 0; k < rows_.size(); ++k) vitals.died_ids[k] = id[rows_[k]];
  std::sort(vitals.died_ids.begin(), vitals.died_ids.end());
}

// Alignment of births: exactly K = target / weight births, to the K surviving women with the
// smallest u / p (u the same draw as in a free year, p their probability; ties by row).
void DemographyProcess::align_births(Context& c) {
  auto& persons = c.world.persons;
  const auto wanted = std::llround(c.births_target->value / c.world.person_weight);
  const std::size_t chunks = chunk_count(c.n0);
  chunk_offset_.assign(chunks + 1, 0);
  const auto candidate = [&](std::size_t i) {
    return !persons.removed[i] && persons.sex[i] == kFemale && c.p.birth[persons.age[i]] > 0;
  };
  for_each_chunk(c.n0, [&](std::size_t b, std::size_t e, std::size_t chunk) {
    std::uint32_t k = 0;
    for (std::size_t i = b; i < e; ++i) k += candidate(i);
    chunk_offset_[chunk + 1] = k;
  });
  for (std::size_t chunk = 0; chunk < chunks; ++chunk)
    chunk_offset_[chunk + 1] += chunk_offset_[chunk];
  ranking_.resize(chunk_offset_[chunks]);
  for_each_chunk(c.n0, [&](std::size_t b, std::size_t e, std::size_t chunk) {
    std::uint32_t k = chunk_offset_[chunk];
    for (std::size_t i = b; i < e; ++i) {
      if (!candidate(i)) continue;
      const double u = c.step.stream(Draw::kBirth, persons.id[i]).uniform();
      ranking_[k++] = {u / c.p.birth[persons.age[i]], static_cast<std::uint32_t>(i)};
    }
  });
  const std::size_t selected = std::min<std::size_t>(
      ranking_.size(), static_cast<std::size_t>(std::max<long long>(0, wanted)));
  if (selected < ranking_.size())
    std::nth_element(ranking_.begin(), ranking_.begin() + static_cast<std::ptrdiff_t>(selected),
                     ranking_.end());
  for (std::size_t k = 0; k < selected; ++k) {
    const std::uint32_t i = ranking_[k].second;
    AgentRng rng = c.step.stream(Draw::kBirth, persons.id[i]);
    rng.uniform();  // the ranking draw
    flag_[i] |= kGivesBirth | (rng.uniform() < c.probability_boy ? 0 : kNewbornGirl);
  }
}

// One pass over households (membership of the start of the year): the oldest member still alive
// (for leaving home) and persons by zone at the start (for the in-migrants' zone choice).
void DemographyProcess::household_structure(Context& c) {
  const auto& persons = c.world.persons;
  const auto& households = c.world.households;
  const std::size_t chunks = chunk_count(c.h0);
  household_oldest_.resize(c.h0);
  chunk_zone_population_.assign(chunks * c.zones, 0);
  for_each_chunk(c.h0, [&](std::size_t b, std::size_t e, std::size_t chunk) {
    std::int64_t* zone_population = &chunk_zone_population_[chunk * c.zones];
    for (std::size_t h = b; h < e; ++h) {
      std::uint8_t oldest = 0;
      const std::uint32_t first = households.member_offset[h],
                          last = households.member_offset[h + 1];
      for (std::uint32_t m = first; m < last; ++m) {
        const std::uint32_t i = households.member_row[m];
        if (!persons.removed[i]) oldest = std::max(oldest, persons.age[i]);
      }
      household_oldest_[h] = oldest;
      zone_population[households.zone[h]] += last - first;
    }
  });
}

// One pass over persons after the deaths: partner links to the dead are cleared on both sides
// (the survivor is widowed); then the draws of the partnership events, each from its own stream:
// entering the marriage market (unpartnered, by sex and age), leaving home (unpartnered adults
// living with an older generation, by age) and divorce (couples, one draw from the man).
void DemographyProcess::partnership_draws(Context& c) {
  auto& persons = c.world.persons;
  const int gap = rates_.older_generation_gap_years;
  const double f = c.fraction;
  const double divorce = over_period(rates_.divorce_rate_per_couple, f);
  // This year's probabilities by sex and age (over the simulated fraction of the year), once.
  std::array<std::array<double, kAges>, 2> union_rate{};
  std::array<double, kAges> leaving_home_rate{};
  for (int a = 0; a < kAges; ++a) {
    for (int sex = 0; sex < 2; ++sex)
      union_rate[sex][a] = over_period(rates_.union_rate[sex][a], f);
    leaving_home_rate[a] = over_period(rates_.leaving_home_rate[a], f);
  }
  const std::uint64_t* id = persons.id.data();
  const std::uint8_t* sex_of = persons.sex.data();
  const std::uint8_t* age_of = persons.age.data();
  const std::uint8_t* removed = persons.removed.data();
  const std::uint32_t* home = persons.household.data();
  const std::uint8_t* oldest = household_oldest_.data();
  std::uint32_t* partner_of = persons.partner.data();
  std::uint8_t* flag = flag_.data();
  for_each_chunk(c.n0, [&](std::size_t b, std::size_t e, std::size_t) {
    // Per batch of rows: who draws which event, then the blocks of each event in bulk.
    DrawBatch market, leave, divorces;
    for (std::size_t start = b; start < e; start += DrawBatch::kSize) {
      const std::size_t end = std::min(e, start + DrawBatch::kSize);
      for (std::size_t i = start; i < end; ++i) {
        std::uint32_t partner = partner_of[i];
        if (partner != kNoRow && (removed[i] || removed[partner])) partner_of[i] = partner = kNoRow;
        if (removed[i]) continue;
        const int sex = sex_of[i] & 1, age = age_of[i];
        if (partner == kNoRow) {
          if (union_rate[sex][age] > 0) market.add(i, subject(Draw::kUnion, id[i]));
          if (leaving_home_rate[age] > 0 && oldest[home[i]] >= age + gap)
            leave.add(i, subject(Draw::kLeaveHome, id[i]));
        } else if (sex == kMale && divorce > 0) {
          divorces.add(i, subject(Draw::kDivorce, id[i]));
        }
      }
      market.generate(c.step);
      for (std::size_t k = 0; k < market.size(); ++k) {
        const std::size_t i = market.row(k);
        if (market.uniform(k) < union_rate[sex_of[i] & 1][age_of[i]]) flag[i] |= kEntersMarket;
      }
      leave.generate(c.step);
      for (std::size_t k = 0; k < leave.size(); ++k) {
        const std::size_t i = leave.row(k);
        if (leave.uniform(k) < leaving_home_rate[age_of[i]]) flag[i] |= kLeavesHome;
      }
      divorces.generate(c.step);
      for (std::size_t k = 0; k < divorces.size(); ++k)
        if (divorces.uniform(k) < divorce) flag[divorces.row(k)] |= kDivorces;
    }
  });
}

// Newborns are appended in the row order of their mothers (ids by a prefix sum over chunks) and
// join the mother's household.
void DemographyProcess::append_newborns(Context& c) {
  auto& persons = c.world.persons;
  collect_flagged(c.n0, kGivesBirth);
  const std::size_t births = rows_.size();
  // Room for this year's in-migrants too, so that the columns grow at most once; with 3% to
  // spare, so that most years fit in the capacity of the year before (no allocation).
  const std::size_t needed = c.n0 + births +
                             static_cast<std::size_t>(1.2 * rates_.in_migrants_per_1000 / 1000.0 *
                                                      static_cast<double>(c.n0)) +
                             64;
  if (needed > persons.id.capacity()) persons.reserve(needed + needed / 32);
  persons.resize(c.n0 + births);
  const std::uint64_t first_id = c.world.next_person_id;
  for_each_chunk(births, [&](std::size_t b, std::size_t e, std::size_t) {
    for (std::size_t k = b; k < e; ++k) {
      const std::uint32_t mother = rows_[k];
      const std::size_t row = c.n0 + k;
      persons.id[row] = first_id + k;
      persons.age[row] = 0;
      persons.sex[row] = (flag_[mother] & kNewbornGirl) ? kFemale : kMale;
      persons.education[row] = kNoSchooling;
      persons.household[row] = persons.household[mother];
    }
  });
  c.world.next_person_id += births;
  counts_.births = static_cast<std::int64_t>(births);
}

// Unpartnered persons enter the market with the probability of their sex and age; the matcher
// pairs men and women of one zone; each couple sets up a new household in the woman's zone.
void DemographyProcess::unions(Context& c) {
  auto& persons = c.world.persons;
  auto& households = c.world.households;
  collect_flagged(c.n0, kEntersMarket);
  entrants_.resize(rows_.size());
  for_each_chunk(rows_.size(), [&](std::size_t b, std::size_t e, std::size_t) {
    for (std::size_t k = b; k < e; ++k) {
      const std::uint32_t i = rows_[k];
      entrants_[k] = {i, households.zone[persons.household[i]], persons.sex[i], persons.age[i]};
    }
  });
  counts_.market_entrants = static_cast<std::int64_t>(entrants_.size());
  matcher_.match(entrants_, c.zones,
                 {rates_.partner_age_gap_years, rates_.max_partner_age_deviation_years}, couples_);
  std::uint32_t home = new_households(c.world, couples_.size());
  for (const Couple& couple : couples_) {
    const std::uint32_t woman_home = persons.household[couple.woman_row];
    const std::uint32_t man_home = persons.household[couple.man_row];
    households.zone[home] = households.zone[woman_home];
    if (woman_home < c.h0) moved_to_[woman_home] = home;
    if (man_home < c.h0) moved_to_[man_home] = home;
    persons.household[couple.woman_row] = home;
    persons.household[couple.man_row] = home;
    persons.partner[couple.woman_row] = couple.man_row;
    persons.partner[couple.man_row] = couple.woman_row;
    ++home;
  }
  counts_.unions = static_cast<std::int64_t>(couples_.size());
}

// Unpartnered adults who lived with an older generation after the deaths (a member at least
// older_generation_gap_years older) and drew to leave, unless they formed a union this year, set
// up a one-person household in the same zone.
void DemographyProcess::leaving_home(Context& c) {
  auto& persons = c.world.persons;
  auto& households = c.world.households;
  collect_flagged(c.n0, kLeavesHome);
  std::size_t leavers = 0;
  for (const std::uint32_t i : rows_) leavers += persons.partner[i] == kNoRow;
  std::uint32_t home = new_households(c.world, leavers);
  for (const std::uint32_t i : rows_) {
    if (persons.partner[i] != kNoRow) continue;  // formed a union instead
    const std::uint32_t origin = persons.household[i];
    households.zone[home] = households.zone[origin];
    moved_to_[origin] = home;
    persons.household[i] = home++;
  }
  counts_.leaving_home = static_cast<std::int64_t>(leavers);
}

// Couples that existed at the start of the year (and survived it) separate with the per-couple
// probability (drawn in partnership_draws); the man sets up a one-person household in the zone.
void DemographyProcess::divorces(Context& c) {
  auto& persons = c.world.persons;
  auto& households = c.world.households;
  collect_flagged(c.n0, kDivorces);
  std::uint32_t home = new_households(c.world, rows_.size());
  for (const std::uint32_t man : rows_) {
    const std::uint32_t woman = persons.partner[man];
    households.zone[home] = households.zone[persons.household[man]];
    persons.household[man] = home++;
    persons.partner[man] = kNoRow;
    persons.partner[woman] = kNoRow;
  }
  counts_.divorces = static_cast<std::int64_t>(rows_.size());
}

// One loop over a household's living members: the mean out-migration probability (returned), the
// members alive and, for the care of children at the end of the year (children_without_adult()),
// care = 1 when a member will be an adult after ageing, 2 = children but no adult, 0 = neither.
// Ages after ageing: persons present at the start are one year older (capped), newborns stay 0;
// in-migrants arrive later, in households of their own.
double DemographyProcess::household_probability_and_care(const Context& c, std::size_t h,
                                                         std::uint32_t& alive,
                                                         std::uint8_t& care) const {
  const auto& persons = c.world.persons;
  const auto& households = c.world.households;
  const std::uint32_t first = households.member_offset[h], last = households.member_offset[h + 1];
  double sum = 0;
  std::uint32_t living = 0;
  bool adult = false, child = false;
  for (std::uint32_t m = first; m < last; ++m) {
    const std::uint32_t i = households.member_row[m];
    if (persons.removed[i]) continue;
    ++living;
    sum += c.p.out_migration[persons.age[i]];
    const int age = i < c.n0 ? std::min<int>(persons.age[i] + 1, kMaxAge) : persons.age[i];
    adult |= age >= kAdultAge;
    child |= age < kChildAgeLimit;
  }
  alive = living;
  care = adult ? 1 : (child ? 2 : 0);
  return living ? sum / living : 0.0;
}

// Whole households leave with the mean out-migration probability of their living members (so the
// expected number of persons leaving is the sum of the members' probabilities). Households left
// without living members are counted as dissolved here. With a net-migration target, in-migration
// is sized to meet it; when the target is below −out, more households leave by u / p ranking.
void DemographyProcess::out_migration(Context& c) {
  auto& persons = c.world.persons;
  auto& households = c.world.households;
  rebuild_members(c.world);
  c.h_csr = households.size();
  household_alive_.assign(c.h_csr, 0);
  household_has_adult_.assign(c.h_csr, 0);
  const std::size_t chunks = chunk_count(c.h_csr);
  chunk_sums_.assign(chunks, {});
  const auto household_probability = [&](std::size_t h, std::uint32_t& alive) {
    double sum = 0;
    alive = 0;
    for (std::uint32_t m = households.member_offset[h]; m < households.member_offset[h + 1]; ++m) {
      const std::uint32_t i = households.member_row[m];
      if (persons.removed[i]) continue;
      ++alive;
      sum += c.p.out_migration[persons.age[i]];
    }
    return alive ? sum / alive : 0.0;
  };
  for_each_chunk(c.h_csr, [&](std::size_t b, std::size_t e, std::size_t chunk) {
    std::int64_t leaving = 0, leaving_households = 0, empty = 0;
    DrawBatch batch;
    double probability[DrawBatch::kSize];
    for (std::size_t start = b; start < e; start += DrawBatch::kSize) {
      const std::size_t end = std::min(e, start + DrawBatch::kSize);
      std::size_t drawn = 0;
      for (std::size_t h = start; h < end; ++h) {
        std::uint32_t alive = 0;
        const double p = household_probability_and_care(c, h, alive, household_has_adult_[h]);
        household_alive_[h] = alive;
        if (alive == 0) {
          ++empty;
          continue;
        }
        if (p > 0) {
          probability[drawn++] = p;
          batch.add(h, subject(Draw::kOutMigration, households.id[h]));
        }
      }
      batch.generate(c.step);
      for (std::size_t k = 0; k < batch.size(); ++k) {
        if (batch.uniform(k) >= probability[k]) continue;
        const std::size_t h = batch.row(k);
        households.removed[h] = 1;
        leaving += household_alive_[h];
        ++leaving_households;
      }
    }
    chunk_sums_[chunk] = {leaving, leaving_households, empty, 0};
  });
  for (const auto& s : chunk_sums_) {
    counts_.out_migrants += s[0];
    counts_.out_migrant_households += s[1];
    counts_.dissolved_households += s[2];
  }

  if (!c.net_migration_target) {
    const double mean =
        c.fraction * rates_.in_migrants_per_1000 / 1000.0 * static_cast<double>(c.n0);
    c.in_migrants_to_add = c.step.stream(Draw::kInMigrationCount, 0).poisson(mean);
    return;
  }
  const std::int64_t net = std::llround(c.net_migration_target->value / c.world.person_weight);
  c.in_migrants_to_add = net + counts_.out_migrants;
  if (c.in_migrants_to_add >= 0) return;
  // More must leave: whole households in order of u / p, skipping any larger than what is left.
  std::int64_t still_to_leave = -c.in_migrants_to_add;
  c.in_migrants_to_add = 0;
  ranking_.clear();
  for (std::size_t h = 0; h < c.h_csr; ++h) {
    if (households.removed[h] || household_alive_[h] == 0) continue;
    std::uint32_t alive = 0;
    const double p = household_probability(h, alive);
    if (p <= 0) continue;
    const double u = c.step.stream(Draw::kOutMigration, households.id[h]).uniform();
    ranking_.push_back({u / p, static_cast<std::uint32_t>(h)});
  }
  std::sort(ranking_.begin(), ranking_.end());
  for (const auto& [key, h] : ranking_) {
    if (still_to_leave == 0) break;
    if (household_alive_[h] > still_to_leave) continue;
    households.removed[h] = 1;
    still_to_leave -= household_alive_[h];
    counts_.out_migrants += household_alive_[h];
    ++counts_.out_migrant_households;
  }
}

// In-migrants arrive as new households (single adults, couples, couples with children) with ages
// from the migration age profile, in a zone chosen by population (or equally); the last household
// is made smaller when needed so that exactly the drawn number of persons arrives.
void DemographyProcess::in_migration(Context& c) {
  auto& persons = c.world.persons;
  std::int64_t left = c.in_migrants_to_add;
  if (left <= 0) return;
  const std::size_t chunks = chunk_count(c.h0);
  zone_cumulative_.assign(c.zones, 0.0);
  double total = 0;
  for (std::uint16_t z = 0; z < c.zones; ++z) {
    double weight = 1.0;
    if (rates_.zone_choice == ZoneChoice::kPopulation) {
      std::int64_t n = 0;
      for (std::size_t chunk = 0; chunk < chunks; ++chunk)
        n += chunk_zone_population_[chunk * c.zones + z];
      weight = static_cast<double>(n);
    }
    total += weight;
    zone_cumulative_[z] = total;
  }
  if (total <= 0)  // an empty district: every zone equally
    for (std::uint16_t z = 0; z < c.zones; ++z) zone_cumulative_[z] = total = z + 1.0;

  const auto education = [&](int age, double u) {
    int level = 0;
    double cumulative = 0;
    for (; level < kEducationLevels - 1; ++level) {
      cumulative += rates_.in_migrant_education_shares[level];
      if (u < cumulative) break;
    }
    return std::min(static_cast<std::uint8_t>(level), attainable_education(age));
  };
  // Arrivals by age: the profile is a rate per person of an age, so migrants are distributed like
  // profile(a) × persons aged a (the start-of-year population; the profile alone if empty).
  const auto& exposure = c.world.get<VitalEvents>().population_by_sex_age;
  double population = 0;
  for (std::uint32_t n : exposure) population += n;
  profile_cdf_[0] = 0;
  for (int a = 0; a < kAges; ++a) {
    const double persons =
        population > 0 ? static_cast<double>(exposure[a] + exposure[kAges + a]) : 1.0;
    profile_cdf_[a + 1] = profile_cdf_[a] + rates_.migration_age_profile[a] * persons;
  }
  const int gap = rates_.partner_age_gap_years;
  const double single = rates_.in_household_single_share;
  const double with_children = single + rates_.in_household_couple_share;
  // The households' sizes first (serial, one Philox block each, in batches): the last is made
  // smaller so that exactly `left` persons arrive. Then every household's members, in parallel,
  // from the rest of its stream: row and id of each member come from the prefix sum of sizes.
  in_sizes_.clear();
  {
    DrawBatch batch;
    std::uint64_t k = 0;
    while (left > 0) {
      for (std::size_t n = 0; n < DrawBatch::kSize; ++n, ++k)
        batch.add(0, subject(Draw::kInMigrantHousehold, k));
      batch.generate(c.step);
      for (std::size_t n = 0; n < batch.size() && left > 0; ++n) {
        const double type = batch.uniform(n);
        int adults = type < single ? 1 : 2;
        int children = 0;
        if (type >= with_children)
          children = batch.second_uniform(n) < rates_.in_family_two_children_share ? 2 : 1;
        while (adults + children > left) (children > 0 ? children : adults)--;
        in_sizes_.push_back(static_cast<std::uint8_t>(adults << 4 | children));
        left -= adults + children;
      }
    }
  }
  const std::size_t arriving = in_sizes_.size();
  in_offset_.resize(arriving + 1);
  in_offset_[0] = 0;
  for (std::size_t k = 0; k < arriving; ++k)
    in_offset_[k + 1] = in_offset_[k] + (in_sizes_[k] >> 4) + (in_sizes_[k] & 15);
  auto& households = c.world.households;
  const std::size_t first_person = persons.size();
  const std::uint64_t first_person_id = c.world.next_person_id;
  persons.resize(first_person + in_offset_[arriving]);
  c.world.next_person_id += in_offset_[arriving];
  const std::uint32_t first_household = new_households(c.world, arriving);
  counts_.in_migrant_households = static_cast<std::int64_t>(arriving);
  counts_.in_migrants = in_offset_[arriving];
  constexpr std::size_t kHouseholdsPerChunk = 1024;
  for_each_chunk(
      arriving,
      [&](std::size_t b, std::size_t e, std::size_t) {
        for (std::size_t k = b; k < e; ++k) {
          AgentRng rng = c.step.stream(Draw::kInMigrantHousehold, k);
          if (rng.uniform() >= with_children) rng.uniform();  // type, children: drawn above
          const int adults = in_sizes_[k] >> 4, children = in_sizes_[k] & 15;
          const double zone_u = rng.uniform() * total;
          const auto zone = static_cast<std::uint16_t>(std::min<std::size_t>(
              c.zones - 1u,
              static_cast<std::size_t>(
                  std::upper_bound(zone_cumulative_.begin(), zone_cumulative_.end(), zone_u) -
                  zone_cumulative_.begin())));
          const auto home = static_cast<std::uint32_t>(first_household + k);
          households.zone[home] = zone;
          std::size_t row = first_person + in_offset_[k];
          const auto add = [&](int age, std::uint8_t sex) {
            persons.id[row] = first_person_id + (row - first_person);
            persons.age[row] = static_cast<std::uint8_t>(age);
            persons.sex[row] = sex;
            persons.education[row] = education(age, rng.uniform());
            persons.household[row] = home;
            return static_cast<std::uint32_t>(row++);
          };
          if (adults == 1) {
            const int age = profile_age(kSingleMinAge, kMaxAge, rng.uniform());
            add(age, rng.uniform() < 0.5 ? kMale : kFemale);
          } else {
            const int woman_age =
                children > 0 ? profile_age(kFamilyWomanMinAge, kFamilyWomanMaxAge, rng.uniform())
                             : profile_age(kCoupleWomanMinAge, kCoupleWomanMaxAge, rng.uniform());
            const int man_age = std::clamp(woman_age + gap, kSingleMinAge, kMaxAge);
            const std::uint32_t woman = add(woman_age, kFemale);
            const std::uint32_t man = add(man_age, kMale);
            persons.partner[woman] = man;
            persons.partner[man] = woman;
            for (int child = 0; child < children; ++child) {
              const int age = profile_age(
                  0, std::min(kChildAgeLimit - 1, woman_age - kMotherMinAgeAtBirth), rng.uniform());
              add(age, rng.uniform() < c.probability_boy ? kMale : kFemale);
            }
          }
        }
      },
      kHouseholdsPerChunk);
}

// Everyone present at the start of the year is one year older at its end; newborns stay 0 and
// in-migrants arrive with their end-of-year age. In a partial first year (fraction f from the base
// date to 31 December) only those whose birthday falls within it are: each with probability f
// (birthdays spread evenly over the year).
void DemographyProcess::ageing(Context& c) {
  auto& persons = c.world.persons;
  auto& age = persons.age;
  const double f = c.fraction;
  for_each_chunk(c.n0, [&](std::size_t b, std::size_t e, std::size_t) {
    for (std::size_t i = b; i < e; ++i) {
      if (age[i] >= kMaxAge) continue;
      if (f < 1.0 && c.step.stream(Draw::kAgeing, persons.id[i]).uniform() >= f) continue;
      ++age[i];
    }
  });
}

// Children under 15 in a household with no member aged 18 or over (all died or left) move, with
// any other remaining members, to the new household of the household's last adult mover when it
// stayed in the district, else to a household with an adult in the same zone: the first such
// household from a uniformly drawn row onwards (cyclic), else in any zone.
//
// Parallel over households: which households can take children is fixed before anyone moves (the
// census below), so each placement depends only on the household's own draw. The households that
// can take children are indexed by zone in row order, so the cyclic search is a binary search.
void DemographyProcess::children_without_adult(Context& c) {
  auto& persons = c.world.persons;
  auto& households = c.world.households;
  // household_has_adult_ was filled by the household pass of out_migration (see
  // household_probability_and_care()), from the ages everyone present has after a full year's
  // ageing; households that emigrated since are skipped here. In a partial first year only some
  // have aged (ageing()), so the census is taken again from the ages as they are.
  if (c.fraction < 1.0) {
    for_each_chunk(c.h_csr, [&](std::size_t b, std::size_t e, std::size_t) {
      for (std::size_t h = b; h < e; ++h) {
        bool adult = false, child = false;
        for (std::uint32_t m = households.member_offset[h]; m < households.member_offset[h + 1];
             ++m) {
          const std::uint32_t i = households.member_row[m];
          if (persons.removed[i]) continue;
          adult |= persons.age[i] >= kAdultAge;
          child |= persons.age[i] < kChildAgeLimit;
        }
        household_has_adult_[h] = adult ? 1 : (child ? 2 : 0);
      }
    });
  }
  const std::size_t household_count = households.size();
  const std::uint8_t* removed = households.removed.data();
  const std::uint8_t* care = household_has_adult_.data();
  const std::uint16_t* zone = households.zone.data();
  const std::size_t h_csr = c.h_csr;
  const auto can_take = [&](std::size_t t) {
    return !removed[t] && (t >= h_csr || care[t] == 1);  // in-migrant households have adults
  };
  const auto orphaned = [&](std::size_t h) { return !removed[h] && care[h] == 2; };
  const auto follows_mover = [&](std::size_t h) {
    return h < c.h0 && moved_to_[h] != kNoRow && can_take(moved_to_[h]);
  };
  // Is any search needed? (Most years: none or a few households.)
  const std::size_t chunks = chunk_count(h_csr);
  chunk_sums_.assign(chunks, {});
  for_each_chunk(h_csr, [&](std::size_t b, std::size_t e, std::size_t chunk) {
    std::int64_t searches = 0;
    for (std::size_t h = b; h < e; ++h) searches += orphaned(h) && !follows_mover(h);
    chunk_sums_[chunk][0] = searches;
  });
  std::int64_t searches = 0;
  for (const auto& s : chunk_sums_) searches += s[0];
  const std::size_t zones = c.zones;
  adult_zone_offset_.assign(zones + 1, 0);
  if (searches > 0) {
    // Households that can take children, by zone in row order: a counting sort over chunks.
    const std::size_t all_chunks = chunk_count(household_count);
    chunk_zone_count_.assign(all_chunks * zones, 0);
    for_each_chunk(household_count, [&](std::size_t b, std::size_t e, std::size_t chunk) {
      std::uint32_t* n = &chunk_zone_count_[chunk * zones];
      for (std::size_t t = b; t < e; ++t)
        if (can_take(t)) ++n[zone[t]];
    });
    std::uint32_t total = 0;
    for (std::size_t z = 0; z < zones; ++z) {
      adult_zone_offset_[z] = total;
      for (std::size_t chunk = 0; chunk < all_chunks; ++chunk) {
        const std::uint32_t n = chunk_zone_count_[chunk * zones + z];
        chunk_zone_count_[chunk * zones + z] = total;
        total += n;
      }
    }
    adult_zone_offset_[zones] = total;
    adult_households_.resize(total);
    for_each_chunk(household_count, [&](std::size_t b, std::size_t e, std::size_t chunk) {
      std::uint32_t* next = &chunk_zone_count_[chunk * zones];
      for (std::size_t t = b; t < e; ++t)
        if (can_take(t)) adult_households_[next[zone[t]]++] = static_cast<std::uint32_t>(t);
    });
  }
  // The first household of zone z that can take children at or after row `start`, cyclically.
  const auto first_from = [&](std::size_t z, std::uint32_t start) -> std::uint32_t {
    const auto first = adult_households_.begin() + adult_zone_offset_[z];
    const auto last = adult_households_.begin() + adult_zone_offset_[z + 1];
    if (first == last) return kNoRow;
    const auto it = std::lower_bound(first, last, start);
    return it != last ? *it : *first;
  };
  for_each_chunk(h_csr, [&](std::size_t b, std::size_t e, std::size_t chunk) {
    std::int64_t placed = 0;
    for (std::size_t h = b; h < e; ++h) {
      if (!orphaned(h)) continue;
      std::uint32_t target = follows_mover(h) ? moved_to_[h] : kNoRow;
      if (target == kNoRow) {
        const std::uint32_t start = c.step.stream(Draw::kOrphanPlacement, households.id[h])
                                        .below(static_cast<std::uint32_t>(household_count));
        if (zone[h] < zones) target = first_from(zone[h], start);
        // Else in any zone: the cyclically nearest from `start` of every zone's first.
        std::size_t nearest = household_count;
        for (std::size_t z = 0; target == kNoRow && z < zones; ++z) {
          const std::uint32_t t = first_from(z, start);
          if (t == kNoRow) continue;
          const std::size_t distance = t >= start ? t - start : t + household_count - start;
          if (distance < nearest) nearest = distance;
        }
        if (nearest < household_count)
          target = static_cast<std::uint32_t>((start + nearest) % household_count);
      }
      if (target == kNoRow) continue;  // no adult anywhere in the district
      for (std::uint32_t m = households.member_offset[h]; m < households.member_offset[h + 1];
           ++m) {
        const std::uint32_t i = households.member_row[m];
        if (!persons.removed[i]) persons.household[i] = target;
      }
      ++placed;
    }
    chunk_sums_[chunk][1] = placed;
  });
  for (const auto& s : chunk_sums_) {
    counts_.households_with_orphans += s[1];
    counts_.dissolved_households += s[1];
  }
}

}  // namespace plansim

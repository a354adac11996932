#include "services/eldercare.h"

#include <algorithm>
#include <limits>

#include "core/parallel.h"
#include "core/series_declare.h"
#include "population/vital_events.h"

namespace plansim {
namespace {

// The purposes of the eldercare process's draws (core/rng.h): each person's stream of the year
// for the care need (the initial need in the base year, onset or progression in later years)
// and a lifetime one (year 0) for the wish to seek a bed, which therefore persists.
enum EldercareDraw : std::uint8_t { kCareNeed = 0, kBedSeeking = 0 };
constexpr RngPurpose kPurposes[] = {{"care need", kCareNeed},
                                    {"bed seeking", kBedSeeking, 1, true}};
static_assert(rng_tags_distinct(kPurposes), "two purposes of the eldercare share a random stream");

}  // namespace

void EldercareProcess::configure(ConfigureContext& ctx) {
  by_year_ = read_services_config_by_year(ctx, "eldercare");
  config_ = by_year_.first();
  SeriesCatalog& c = ctx.catalog;
  const auto I = SeriesKind::Indicator;
  const auto Z = SeriesKind::Zone;
  const auto E = SeriesKind::Event;
  declare(c, I, "eldercare_beds_per_1000_elderly", "beds per 1000", "每千名老年人养老机构床位数",
          "Eldercare beds per 1,000 elderly",
          "Beds of open eldercare institutions and community eldercare centres (as configured, "
          "not rounded by run.scale) per 1,000 residents aged 60+ (min_age) at the start of the "
          "year.");
  declare(c, I, "eldercare_waiting", "persons", "养老床位轮候人数", "Waiting for an eldercare bed",
          "Persons wanting an institutional bed who have none after the year's allocation.");
  declare(c, I, "eldercare_mean_wait_years", "years", "平均轮候年数", "Mean waiting time",
          "Mean completed years on the waiting list (year − year joined) of the persons still "
          "waiting after the year's allocation; 0 when nobody waits.");
  declare(c, I, "eldercare_bed_occupancy", "%", "养老床位入住率", "Eldercare bed occupancy",
          "Occupied beds / beds of open eldercare facilities × 100.");
  declare(c, I, "care_dependency_share", "%", "失能半失能老年人占比",
          "Share of elderly partly or fully dependent",
          "Persons aged 60+ with partial or full care dependency / persons aged 60+ × 100.");
  declare(c, Z, "eldercare_beds_per_1000_elderly_by_zone", "beds per 1000",
          "每千名老年人养老床位数（按街道）", "Eldercare beds per 1,000 elderly by zone",
          "Beds in the zone per 1,000 persons aged 60+ living in it at the start of the year (NaN "
          "where none lives).");
  declare(c, Z, "eldercare_beds_by_zone", "beds", "养老床位数（按街道）", "Eldercare beds by zone",
          "Beds of the eldercare facilities open in the zone, whole district.");
  declare(c, Z, "eldercare_waiting_by_zone", "persons", "养老床位轮候人数（按街道）",
          "Waiting for an eldercare bed by zone", "Persons on the waiting list by home zone.");
  declare(c, E, "eldercare_admissions", "persons", "养老机构入住人数", "Eldercare admissions",
          "Persons moving from the waiting list into a bed during the year.");
  declare(c, E, "eldercare_recoveries", "persons", "康复离院人数", "Eldercare exits by recovery",
          "Residents leaving their bed because they no longer need or want one (exits by death "
          "are eldercare_deaths).");
  declare(c, E, "eldercare_deaths", "persons", "养老机构在院死亡人数", "Eldercare exits by death",
          "Residents of last year's allocation who died during the year (their bed is freed).");
  declare_facility_panels(c);
}

const CareNeedBand& EldercareProcess::band_of(int age) const {
  const auto& bands = config_.eldercare.bands;
  std::size_t k = 0;
  while (k + 1 < bands.size() && bands[k + 1].from_age <= age) ++k;
  return bands[k];
}

void EldercareProcess::initialize(StepContext& ctx) {
  if (!by_year_.empty()) config_ = by_year_.at(ctx.year);
  build_facilities(ctx.world, config_.facilities, ctx.run.scale);
  year_ = EldercareYear{};
  resident_ids_.clear();
  PersonTable& p = ctx.world.persons;
  PersonCare care = add_person_care(p);
  const int min_age = config_.eldercare.min_age;
  for_each_chunk(p.size(), [&](std::size_t begin, std::size_t end, std::size_t) {
    for (std::size_t i = begin; i < end; ++i) {
      care.care_bed[i] = kNoRow;
      care.care_wait_since[i] = 0;
      care.care_need[i] = kNoCareNeed;
      if (p.age[i] < min_age || config_.eldercare.bands.empty()) continue;
      const CareNeedBand& b = band_of(p.age[i]);
      AgentRng rng = ctx.stream(kCareNeed, p.id[i]);
      const double u = rng.uniform();
      care.care_need[i] = u < b.initial_full                       ? kFullDependency
                          : u < b.initial_full + b.initial_partial ? kPartialDependency
                                                                   : kNoCareNeed;
    }
  });
}

void EldercareProcess::begin_year(StepContext& ctx) {
  if (!by_year_.empty()) config_ = by_year_.at(ctx.year);
  const World& world = ctx.world;
  const PersonTable& p = world.persons;
  const std::uint16_t zones = world.zone_count();
  const int min_age = config_.eldercare.min_age;
  const std::size_t n = p.size(), chunks = chunk_count(n), cells = std::size_t{zones} + 1;
  chunk_counts_.assign(chunks * cells, 0);
  for_each_chunk(n, [&](std::size_t begin, std::size_t end, std::size_t chunk) {
    std::uint32_t* counts = chunk_counts_.data() + chunk * cells;
    for (std::size_t i = begin; i < end; ++i)
      if (!p.removed[i] && p.age[i] >= min_age)
        ++counts[zones ? world.households.zone[p.household[i]] : zones];
  });
  elderly_start_ = 0;
  elderly_start_by_zone_.assign(zones, 0);
  for (std::size_t chunk = 0; chunk < chunks; ++chunk)
    for (std::size_t z = 0; z < cells; ++z) {
      const std::uint32_t k = chunk_counts_[chunk * cells + z];
      elderly_start_ += k;
      if (z < zones) elderly_start_by_zone_[z] += k;
    }
}

void EldercareProcess::update_care_needs(StepContext& ctx) {
  PersonTable& p = ctx.world.persons;
  PersonCare care = add_person_care(p);
  const int min_age = config_.eldercare.min_age;
  for_each_chunk(p.size(), [&](std::size_t begin, std::size_t end, std::size_t) {
    for (std::size_t i = begin; i < end; ++i) {
      if (p.age[i] < min_age) {
        care.care_need[i] = kNoCareNeed;
        continue;
      }
      if (care.care_need[i] == kFullDependency) continue;
      const CareNeedBand& b = band_of(p.age[i]);
      AgentRng rng = ctx.stream(kCareNeed, p.id[i]);
      const double u = rng.uniform();
      if (care.care_need[i] == kNoCareNeed) {
        if (u < b.onset_full)
          care.care_need[i] = kFullDependency;
        else if (u < b.onset_full + b.onset_partial)
          care.care_need[i] = kPartialDependency;
      } else {
        if (u < b.progression)
          care.care_need[i] = kFullDependency;
        else if (u < b.progression + b.recovery)
          care.care_need[i] = kNoCareNeed;
      }
    }
  });
}

void EldercareProcess::step(StepContext& ctx) {
  if (!by_year_.empty()) config_ = by_year_.at(ctx.year);
  compact_facilities(ctx.world, ctx.year);
  if (ctx.year > ctx.run.start_year && !config_.eldercare.bands.empty()) update_care_needs(ctx);
  allocate(ctx);
  record(ctx);
}

void EldercareProcess::allocate(StepContext& ctx) {
  World& world = ctx.world;
  PersonTable& p = world.persons;
  PersonCare care(p);
  FacilityTable& facilities = world.get<FacilityTable>();
  const EldercareParams& params = config_.eldercare;
  const std::uint16_t zones = world.zone_count();
  year_ = EldercareYear{};
  year_.elderly_by_zone.assign(zones, 0);
  year_.waiting_by_zone.assign(zones, 0);
  year_.beds_by_zone.assign(zones, 0.0);
  year_.elderly_start = elderly_start_;
  year_.elderly_start_by_zone = elderly_start_by_zone_;
  year_.elderly_start_by_zone.resize(zones, 0);
  // Exits by death: last year's residents among the year's deaths (both sorted by id).
  if (const VitalEvents* vitals = world.find<VitalEvents>()) {
    const auto& died = vitals->died_ids;
    auto d = died.begin();
    for (std::uint64_t id : resident_ids_) {
      d = std::lower_bound(d, died.end(), id);
      if (d == died.end()) break;
      year_.deaths += *d == id;
    }
  }
  distances_.build(world.zones);
  lists_.build(facilities, distances_, ctx.year, [](int kind) { return is_eldercare_kind(kind); });

  household_size_.assign(world.households.size(), 0);
  for (std::size_t i = 0; i < p.size(); ++i)
    if (!p.removed[i]) ++household_size_[p.household[i]];

  // Pass 1 (parallel): who is elderly and who wants a bed; per-chunk counts by zone.
  const std::size_t n = p.size(), chunks = chunk_count(n);
  const std::size_t cells = static_cast<std::size_t>(zones) + 2;  // zones, then partial, full
  status_.resize(n);
  chunk_counts_.assign(chunks * cells, 0);
  for_each_chunk(n, [&](std::size_t begin, std::size_t end, std::size_t chunk) {
    std::uint32_t* counts = chunk_counts_.data() + chunk * cells;
    for (std::size_t i = begin; i < end; ++i) {
      status_[i] = 0;
      if (p.removed[i] || p.age[i] < params.min_age) continue;
      status_[i] = kElderly;
      ++counts[world.households.zone[p.household[i]]];
      counts[zones] += care.care_need[i] == kPartialDependency;
      counts[zones + 1u] += care.care_need[i] == kFullDependency;
      if (care.care_need[i] == kNoCareNeed) continue;
      double share = care.care_need[i] == kFullDependency ? params.bed_seeking_full
                                                          : params.bed_seeking_partial;
      if (household_size_[p.household[i]] == 1) share *= params.living_alone_factor;
      // One draw per person for life (year 0), so the wish persists.
      AgentRng rng = ctx.lifetime_stream(kBedSeeking, p.id[i]);
      if (rng.uniform() < share) status_[i] |= kSeeker;
    }
  });
  for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
    const std::uint32_t* counts = chunk_counts_.data() + chunk * cells;
    for (std::uint16_t z = 0; z < zones; ++z) {
      year_.elderly_by_zone[z] += counts[z];
      year_.elderly += counts[z];
    }
    year_.partial += counts[zones];
    year_.full += counts[zones + 1u];
  }

  // Pass 2 (in row order = id order): residents who no longer want a bed leave it; the others
  // are listed to keep theirs, or join the waiting list.
  Applicants& a = applicants_;
  a.clear();
  queue_.clear();
  for (std::size_t i = 0; i < n; ++i) {
    const auto row = static_cast<std::uint32_t>(i);
    const bool gone = p.removed[i] != 0;
    const bool seeker = (status_[i] & kSeeker) != 0;
    const std::uint32_t bed = care.care_bed[i];
    if (!seeker) {
      if (!gone && bed != kNoRow) ++year_.recoveries;
      care.care_bed[i] = kNoRow;
      care.care_wait_since[i] = 0;
      continue;
    }
    ++year_.seekers;
    const bool holds = bed < facilities.size() && is_eldercare_kind(facilities.kind[bed]) &&
                       facility_open(facilities, bed, ctx.year);
    if (holds) {
      a.row.push_back(row);
      a.zone.push_back(world.households.zone[p.household[i]]);
      a.current.push_back(bed);
    } else {
      if (care.care_wait_since[i] == 0)
        care.care_wait_since[i] = static_cast<std::int16_t>(ctx.year);
      queue_.emplace_back(care.care_wait_since[i], row);
    }
    care.care_bed[i] = kNoRow;
  }
  // Residents first (they keep their bed, or move to the nearest free one), then the waiting
  // list: first come first served, then id (row order).
  std::sort(queue_.begin(), queue_.end());
  for (const auto& [since, row] : queue_) {
    a.row.push_back(row);
    a.zone.push_back(world.households.zone[p.household[row]]);
    a.current.push_back(kNoRow);
  }
  a.reset_results();
  free_places_of(facilities, lists_, zones, free_places_);
  keep_current(a, distances_, facilities, free_places_);
  place_nearest(a, lists_, free_places_, cursor_);

  waiting_.assign(facilities.size(), 0);
  for (std::size_t f = 0; f < facilities.size(); ++f)
    if (is_eldercare_kind(facilities.kind[f])) facilities.occupancy[f] = 0;
  resident_ids_.clear();
  for (std::size_t k = 0; k < a.size(); ++k) {
    const std::uint32_t row = a.row[k], f = a.placed[k];
    if (f != kNoRow) {
      resident_ids_.push_back(p.id[row]);
      care.care_bed[row] = f;
      ++facilities.occupancy[f];
      ++year_.residents;
      if (care.care_wait_since[row] != 0) ++year_.admissions;
      care.care_wait_since[row] = 0;
      continue;
    }
    if (care.care_wait_since[row] == 0)
      care.care_wait_since[row] = static_cast<std::int16_t>(ctx.year);
    ++year_.waiting;
    ++year_.waiting_by_zone[a.zone[k]];
    year_.wait_years_sum += ctx.year - care.care_wait_since[row];
    if (lists_.size(a.zone[k]) > 0) ++waiting_[lists_.facilities(a.zone[k])[0]];
  }
  std::sort(resident_ids_.begin(), resident_ids_.end());
  for (std::size_t f = 0; f < facilities.size(); ++f)
    if (is_eldercare_kind(facilities.kind[f]) && facility_open(facilities, f, ctx.year)) {
      year_.beds += facilities.capacity[f];
      year_.beds_exact += facilities.capacity_exact[f];
      year_.beds_by_zone[facilities.zone[f]] += facilities.capacity_exact[f];
    }
}

void EldercareProcess::record(StepContext& ctx) {
  const double w = ctx.world.person_weight;
  const std::uint16_t zones = ctx.world.zone_count();
  const auto nan = std::numeric_limits<double>::quiet_NaN();
  Recorder& out = ctx.out;
  const auto elderly = static_cast<double>(year_.elderly);
  const auto elderly_start = static_cast<double>(year_.elderly_start);
  // Both simulated units: the configured beds × run.scale over the sampled elderly.
  out.indicator("eldercare_beds_per_1000_elderly",
                elderly_start > 0 ? 1000.0 * year_.beds_exact / elderly_start : nan);
  out.indicator("eldercare_waiting", static_cast<double>(year_.waiting) * w);
  out.indicator("eldercare_mean_wait_years",
                year_.waiting ? year_.wait_years_sum / static_cast<double>(year_.waiting) : 0.0);
  out.indicator("eldercare_bed_occupancy",
                year_.beds
                    ? 100.0 * static_cast<double>(year_.residents) / static_cast<double>(year_.beds)
                    : nan);
  out.indicator(
      "care_dependency_share",
      elderly > 0 ? 100.0 * static_cast<double>(year_.partial + year_.full) / elderly : nan);
  std::vector<float> beds(zones), waiting(zones), bed_count(zones);
  for (std::uint16_t z = 0; z < zones; ++z) {
    beds[z] =
        year_.elderly_start_by_zone[z]
            ? static_cast<float>(1000.0 * year_.beds_by_zone[z] / year_.elderly_start_by_zone[z])
            : std::numeric_limits<float>::quiet_NaN();
    waiting[z] = static_cast<float>(year_.waiting_by_zone[z] * w);
    bed_count[z] = static_cast<float>(year_.beds_by_zone[z] * w);
  }
  out.zone("eldercare_beds_by_zone", bed_count);
  out.zone("eldercare_beds_per_1000_elderly_by_zone", beds);
  out.zone("eldercare_waiting_by_zone", waiting);
  out.event("eldercare_admissions", static_cast<std::int64_t>(year_.admissions));
  out.event("eldercare_recoveries", static_cast<std::int64_t>(year_.recoveries));
  out.event("eldercare_deaths", static_cast<std::int64_t>(year_.deaths));
  record_facility_panels(
      ctx, [](int kind) { return is_eldercare_kind(kind); }, waiting_);
}

}  // namespace plansim

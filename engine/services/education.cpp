#include "services/education.h"

#include <cmath>
#include <limits>

#include "core/parallel.h"
#include "core/series_declare.h"

namespace plansim {
namespace {

// The one purpose of the education process's draws (core/rng.h): a child's lifetime (year 0)
// draw of whether its family wants a kindergarten place.
enum EducationDraw : std::uint8_t { kKindergartenWish = 0 };
constexpr RngPurpose kPurposes[] = {{"kindergarten wish", kKindergartenWish, 1, true}};
static_assert(rng_tags_distinct(kPurposes));

constexpr std::uint32_t kNoBucket = std::numeric_limits<std::uint32_t>::max();
constexpr std::array<const char*, kSchoolLevels> kLevelKeys = {"kindergarten", "primary", "junior"};
constexpr std::array<const char*, kSchoolLevels> kLevelZh = {"幼儿园", "小学", "初中"};
constexpr std::array<const char*, kSchoolLevels> kLevelEn = {"kindergarten", "primary school",
                                                             "junior middle school"};

}  // namespace

void EducationProcess::configure(ConfigureContext& ctx) {
  by_year_ = read_services_config_by_year(ctx, "education");
  config_ = by_year_.first();
  SeriesCatalog& c = ctx.catalog;
  const auto I = SeriesKind::Indicator;
  const auto Z = SeriesKind::Zone;
  declare(c, I, "preschool_enrolment", "%", "学前教育毛入园率", "Preschool gross enrolment rate",
          "Children enrolled in kindergarten (any age) / resident children of kindergarten age "
          "(3-5) × 100, after the year's allocation.");
  declare(c, I, "kindergarten_public_share", "%", "公办及普惠性幼儿园学位占比",
          "Public or affordable share of kindergarten places",
          "Places in public or publicly subsidised (普惠) kindergartens / all kindergarten places "
          "× 100, kindergartens open in the year.");
  for (int l = 0; l < kSchoolLevels; ++l) {
    const std::string key = kLevelKeys[l];
    declare(c, I, "unplaced_" + key, "children",
            std::string("未获学位儿童数（") + kLevelZh[l] + "）",
            std::string("Children without a place (") + kLevelEn[l] + ")",
            std::string("Children wanting a ") + kLevelEn[l] +
                " place who found none with free capacity in any zone, whole district.");
    declare(c, I, "pupils_per_teacher_" + key, "pupils per teacher",
            std::string("生师比（") + kLevelZh[l] + "）",
            std::string("Pupils per teacher (") + kLevelEn[l] + ")",
            std::string("Pupils enrolled in ") + kLevelEn[l] +
                "s / their full-time teachers (生师比: 在校生数 / 专任教师数), facilities open in "
                "the year, after the year's allocation and hiring (NaN without teachers).");
    declare(c, Z, "places_per_child_" + key, "places per child",
            std::string("每名适龄儿童学位数（") + kLevelZh[l] + "）",
            std::string("Places per child (") + kLevelEn[l] + ")",
            std::string("Places of open ") + kLevelEn[l] +
                "s in the zone / resident children of the level's ages in the zone (NaN where no "
                "child lives).");
    declare(c, Z, "places_" + key + "_by_zone", "places",
            std::string("学位数（") + kLevelZh[l] + "，按街道）",
            std::string("Places by zone (") + kLevelEn[l] + ")",
            std::string("Places of the ") + kLevelEn[l] +
                "s open in the zone in the year (capacity), whole district.");
    declare(c, Z, "unplaced_" + key + "_by_zone", "children",
            std::string("未获学位儿童数（") + kLevelZh[l] + "，按街道）",
            std::string("Children without a place by home zone (") + kLevelEn[l] + ")",
            std::string("Children wanting a ") + kLevelEn[l] +
                " place who found none, by the zone they live in.");
  }
  declare(c, I, "mean_school_distance_km", "km", "平均就学距离", "Mean distance to school",
          "Mean straight-line distance from home to the kindergarten or school attended, over all "
          "enrolled children: zone centroid to zone centroid, or within the home zone the mean "
          "distance to the zone's centre ((2/3)·sqrt(area/π)).");
  declare_facility_panels(c);
}

void EducationProcess::initialize(StepContext& ctx) {
  if (!by_year_.empty()) config_ = by_year_.at(ctx.year);
  build_facilities(ctx.world, config_.facilities, ctx.run.scale);
  ctx.world.persons.add(kPersonSchool);
  year_ = EducationYear{};
}

void EducationProcess::step(StepContext& ctx) {
  if (!by_year_.empty()) config_ = by_year_.at(ctx.year);
  allocate(ctx);
  record(ctx);
}

void EducationProcess::allocate(StepContext& ctx) {
  World& world = ctx.world;
  compact_facilities(world, ctx.year);
  const EducationParams& p = config_.education;
  FacilityTable& facilities = world.get<FacilityTable>();
  PersonTable& persons = world.persons;
  std::vector<std::uint32_t>& school = persons.get(kPersonSchool);
  const std::uint16_t zones = world.zone_count();
  const std::size_t n = persons.size();
  year_ = EducationYear{};
  for (int l = 0; l < kSchoolLevels; ++l) {
    year_.unplaced_by_zone[l].assign(zones, 0);
    year_.residents_by_zone[l].assign(zones, 0);
  }
  distances_.build(world.zones);
  for (int l = 0; l < kSchoolLevels; ++l)
    lists_[l].build(facilities, distances_, ctx.year, [l](int kind) { return kind == l; });

  // Pass 1 (parallel): each person's bucket (level, home zone, continuing?) and per-chunk counts.
  const std::uint32_t buckets = static_cast<std::uint32_t>(kSchoolLevels) * zones * 2u;
  const std::size_t chunks = chunk_count(n);
  const std::size_t resident_cells = static_cast<std::size_t>(kSchoolLevels) * zones;
  bucket_.resize(n);
  chunk_counts_.assign(chunks * buckets, 0);
  chunk_residents_.assign(chunks * resident_cells, 0);
  const auto level_of_age = [&](int age) {
    if (age >= p.kindergarten_first_age && age <= p.kindergarten_last_age) return 0;
    if (age >= p.primary_first_age && age <= p.primary_last_age) return 1;
    if (age >= p.junior_first_age && age <= p.junior_last_age) return 2;
    return -1;
  };
  for_each_chunk(n, [&](std::size_t begin, std::size_t end, std::size_t chunk) {
    std::uint32_t* counts = chunk_counts_.data() + chunk * buckets;
    std::uint32_t* residents = chunk_residents_.data() + chunk * resident_cells;
    for (std::size_t i = begin; i < end; ++i) {
      bucket_[i] = kNoBucket;
      const int age = persons.age[i];
      const int level = level_of_age(age);
      if (level < 0 || persons.removed[i] || zones == 0) continue;
      const std::uint16_t zone = world.households.zone[persons.household[i]];
      ++residents[static_cast<std::size_t>(level) * zones + zone];
      if (level == kLevelKindergarten) {
        // One draw per child for life (year 0): the wish persists from age to age.
        AgentRng rng = ctx.lifetime_stream(kKindergartenWish, persons.id[i]);
        if (!(rng.uniform() < p.kindergarten_participation[age - p.kindergarten_first_age]))
          continue;
      }
      const std::uint32_t f = school[i];
      const bool continuing = f < facilities.size() && facilities.kind[f] == level &&
                              facility_open(facilities, f, ctx.year);
      const std::uint32_t b =
          (static_cast<std::uint32_t>(level) * zones + zone) * 2u + (continuing ? 0u : 1u);
      bucket_[i] = b;
      ++counts[b];
    }
  });
  for (std::size_t chunk = 0; chunk < chunks; ++chunk)
    for (std::size_t cell = 0; cell < resident_cells; ++cell)
      year_.residents_by_zone[cell / zones][cell % zones] +=
          chunk_residents_[chunk * resident_cells + cell];

  // Counting sort: positions in (bucket, chunk) order, so rows end up sorted by (level, zone,
  // priority, row) and row order is id order.
  bucket_offset_.assign(buckets + 1u, 0);
  std::uint32_t position = 0;
  for (std::uint32_t b = 0; b < buckets; ++b) {
    bucket_offset_[b] = position;
    for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
      std::uint32_t& c = chunk_counts_[chunk * buckets + b];
      const std::uint32_t count = c;
      c = position;  // becomes the chunk's first position in the bucket
      position += count;
    }
  }
  bucket_offset_[buckets] = position;
  sorted_rows_.resize(position);
  for_each_chunk(n, [&](std::size_t begin, std::size_t end, std::size_t chunk) {
    std::uint32_t* next = chunk_counts_.data() + chunk * buckets;
    for (std::size_t i = begin; i < end; ++i)
      if (bucket_[i] != kNoBucket) sorted_rows_[next[bucket_[i]]++] = static_cast<std::uint32_t>(i);
  });

  // Applicants of each level, with the place they hold now.
  for (int l = 0; l < kSchoolLevels; ++l) {
    Applicants& a = applicants_[l];
    a.clear();
    const std::uint32_t level_begin = bucket_offset_[static_cast<std::uint32_t>(l) * zones * 2u];
    for (std::uint16_t z = 0; z <= zones; ++z)
      a.zone_offset.push_back(bucket_offset_[(static_cast<std::uint32_t>(l) * zones + z) * 2u] -
                              level_begin);
    for (std::uint16_t z = 0; z < zones; ++z)
      for (std::uint32_t priority = 0; priority < 2; ++priority) {
        const std::uint32_t b = (static_cast<std::uint32_t>(l) * zones + z) * 2u + priority;
        for (std::uint32_t k = bucket_offset_[b]; k < bucket_offset_[b + 1]; ++k) {
          const std::uint32_t row = sorted_rows_[k];
          a.row.push_back(row);
          a.zone.push_back(z);
          a.current.push_back(priority == 0 ? school[row] : kNoRow);
        }
      }
    a.reset_results();
  }

  // Everyone's place is decided anew: persons outside the ages (or gone) hold none.
  for_each_chunk(n, [&](std::size_t begin, std::size_t end, std::size_t) {
    for (std::size_t i = begin; i < end; ++i) school[i] = kNoRow;
  });
  waiting_.assign(facilities.size(), 0);
  for (std::size_t f = 0; f < facilities.size(); ++f)
    if (is_school_kind(facilities.kind[f])) facilities.occupancy[f] = 0;

  for (int l = 0; l < kSchoolLevels; ++l) {
    Applicants& a = applicants_[l];
    const CandidateLists& lists = lists_[l];
    free_places_of(facilities, lists, zones, free_places_);
    keep_current(a, distances_, facilities, free_places_);
    fill_home_zones(a, lists, free_places_, quota_);
    place_nearest(a, lists, free_places_, cursor_);
    year_.demand[l] = a.size();
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::uint32_t f = a.placed[i];
      if (f == kNoRow) {
        ++year_.unplaced[l];
        ++year_.unplaced_by_zone[l][a.zone[i]];
        if (lists.size(a.zone[i]) > 0) ++waiting_[lists.facilities(a.zone[i])[0]];
        continue;
      }
      school[a.row[i]] = f;
      ++facilities.occupancy[f];
      ++year_.placed[l];
      year_.outside_home_zone[l] += facilities.zone[f] != a.zone[i];
      if (std::isfinite(a.distance_km[i])) {
        year_.distance_sum_km += a.distance_km[i];
        ++year_.distance_count;
      }
    }
    year_.residents[l] = 0;
    for (auto r : year_.residents_by_zone[l]) year_.residents[l] += r;
  }
}

void EducationProcess::record(StepContext& ctx) {
  const World& world = ctx.world;
  const double w = world.person_weight;
  const FacilityTable& f = world.get<FacilityTable>();
  const std::uint16_t zones = world.zone_count();
  Recorder& out = ctx.out;
  const auto nan = std::numeric_limits<double>::quiet_NaN();
  out.indicator("preschool_enrolment",
                year_.residents[kLevelKindergarten]
                    ? 100.0 * static_cast<double>(year_.placed[kLevelKindergarten]) /
                          static_cast<double>(year_.residents[kLevelKindergarten])
                    : nan);
  double kindergarten_places = 0, public_places = 0;
  std::array<double, kSchoolLevels> teachers{};
  std::array<std::vector<double>, kSchoolLevels> places_by_zone;
  for (auto& v : places_by_zone) v.assign(zones, 0.0);
  for (std::size_t r = 0; r < f.size(); ++r) {
    if (!is_school_kind(f.kind[r]) || !facility_open(f, r, ctx.year)) continue;
    places_by_zone[f.kind[r]][f.zone[r]] += f.capacity_exact[r];
    teachers[f.kind[r]] += f.teachers[r];
    if (f.kind[r] == kKindergarten) {
      kindergarten_places += f.capacity_exact[r];
      if (f.is_public[r]) public_places += f.capacity_exact[r];
    }
  }
  out.indicator("kindergarten_public_share",
                kindergarten_places > 0 ? 100.0 * public_places / kindergarten_places : nan);
  for (int l = 0; l < kSchoolLevels; ++l) {
    const std::string key = kLevelKeys[l];
    out.indicator("unplaced_" + key, static_cast<double>(year_.unplaced[l]) * w);
    // Pupils and teachers are both simulated units (teachers are scaled with the sample).
    out.indicator("pupils_per_teacher_" + key,
                  teachers[l] > 0 ? static_cast<double>(year_.placed[l]) / teachers[l] : nan);
    std::vector<float> per_child(zones), unplaced(zones), places(zones);
    for (std::uint16_t z = 0; z < zones; ++z) {
      const auto children = year_.residents_by_zone[l][z];
      // Both sides are simulated units, so the ratio needs no weight.
      per_child[z] = children ? static_cast<float>(places_by_zone[l][z] / children)
                              : std::numeric_limits<float>::quiet_NaN();
      unplaced[z] = static_cast<float>(year_.unplaced_by_zone[l][z] * w);
      places[z] = static_cast<float>(places_by_zone[l][z] * w);
    }
    out.zone("places_" + key + "_by_zone", places);
    out.zone("places_per_child_" + key, per_child);
    out.zone("unplaced_" + key + "_by_zone", unplaced);
  }
  out.indicator("mean_school_distance_km",
                year_.distance_count
                    ? year_.distance_sum_km / static_cast<double>(year_.distance_count)
                    : nan);
  record_facility_panels(
      ctx, [](int kind) { return is_school_kind(kind); }, waiting_);
}

}  // namespace plansim

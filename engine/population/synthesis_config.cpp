#include "population/synthesis_config.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace plansim {
namespace {

/// The map at `key` (required unless `optional`); records an error if it is something else.
const ParamNode* map_at(const ParamNode& parent, std::string_view key, Diagnostics& diags,
                        bool optional = false) {
  const ParamNode* n = optional ? parent.find(key) : parent.require(key, diags);
  if (n && !n->is_map()) {
    diags.error(n->loc(), n->path() + ": expected a map, got " + describe_node(*n));
    return nullptr;
  }
  return n;
}

const ParamNode* list_at(const ParamNode& parent, std::string_view key, Diagnostics& diags) {
  const ParamNode* n = parent.require(key, diags);
  if (n && !n->is_sequence()) {
    diags.error(n->loc(), n->path() + ": expected a list, got " + describe_node(*n));
    return nullptr;
  }
  return n;
}

int read_age(const ParamNode& map, std::string_view key, Diagnostics& diags) {
  return static_cast<int>(map.required_integer(key, diags, 0, kMaxAge));
}

NormalSpec read_normal(const ParamNode& parent, std::string_view key, Diagnostics& diags, double lo,
                       double hi) {
  NormalSpec spec;
  const ParamNode* n = map_at(parent, key, diags);
  if (!n) return spec;
  spec.mean = n->required_number("mean", diags, lo, hi);
  spec.sd = n->required_number("sd", diags, 0.0, hi - lo);
  spec.min = n->required_number("min", diags, lo, hi);
  spec.max = n->required_number("max", diags, lo, hi);
  if (spec.min > spec.mean || spec.mean > spec.max)
    diags.error(n->loc(), n->path() + ": must have min <= mean <= max (got " +
                              number_text(spec.min) + ", " + number_text(spec.mean) + ", " +
                              number_text(spec.max) + ")");
  return spec;
}

/// A list of {from, to, share} age bands; bands must not overlap.
std::vector<AgeBand> read_age_bands(const ParamNode& parent, std::string_view key,
                                    Diagnostics& diags) {
  std::vector<AgeBand> bands;
  const ParamNode* list = list_at(parent, key, diags);
  if (!list) return bands;
  for (const ParamNode& item : list->items()) {
    if (!item.is_map()) {
      diags.error(item.loc(),
                  item.path() + ": expected {from, to, share}, got " + describe_node(item));
      continue;
    }
    AgeBand band{read_age(item, "from", diags), read_age(item, "to", diags),
                 item.required_number("share", diags, 0.0, 1.0)};
    if (band.from_age > band.to_age) {
      diags.error(item.loc(), item.path() + ": from (" + std::to_string(band.from_age) +
                                  ") is after to (" + std::to_string(band.to_age) + ")");
      continue;
    }
    for (const AgeBand& other : bands)
      if (band.from_age <= other.to_age && other.from_age <= band.to_age)
        diags.error(item.loc(), item.path() + ": ages " + std::to_string(band.from_age) + "-" +
                                    std::to_string(band.to_age) + " overlap an earlier band (" +
                                    std::to_string(other.from_age) + "-" +
                                    std::to_string(other.to_age) + ")");
    bands.push_back(band);
  }
  return bands;
}

/// Shares keyed by fixed names, all required; checks that they sum to 1 within `tolerance`.
template <std::size_t N>
std::array<double, N> read_shares(const ParamNode& parent, std::string_view key,
                                  const std::array<const char*, N>& names, double tolerance,
                                  const char* tolerance_text, Diagnostics& diags) {
  std::array<double, N> shares{};
  const ParamNode* n = map_at(parent, key, diags);
  if (!n) return shares;
  const std::size_t before = diags.size();
  double sum = 0;
  for (std::size_t i = 0; i < N; ++i)
    sum += shares[i] = n->required_number(names[i], diags, 0.0, 1.0);
  if (diags.size() == before && std::abs(sum - 1.0) > tolerance)
    diags.error(n->loc(), n->path() + ": shares sum to " + number_text(sum) +
                              " (must be 1 within " + tolerance_text + ")");
  return shares;
}

}  // namespace

void read_zones(const ParamNode& zones_file, PopulationConfig& config, Diagnostics& diags) {
  const ParamNode* list = list_at(zones_file, "zones", diags);
  if (!list) return;
  if (list->items().empty() || list->items().size() > 65535)
    diags.error(list->loc(), list->path() + ": expected 1 to 65535 zones, got " +
                                 std::to_string(list->items().size()));
  const std::size_t before = diags.size();
  double share_sum = 0;
  for (const ParamNode& item : list->items()) {
    if (!item.is_map()) {
      diags.error(item.loc(), item.path() + ": expected a zone map, got " + describe_node(item));
      continue;
    }
    ZoneSpec zone;
    zone.key = item.required_string("key", diags);
    const ParamNode* key_node = item.find("key");
    zone.loc = key_node ? key_node->loc() : item.loc();
    const bool key_ok =
        !zone.key.empty() && std::all_of(zone.key.begin(), zone.key.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        });
    if (key_node && !key_ok)
      diags.error(key_node->loc(), key_node->path() + ": '" + zone.key +
                                       "' must be lower-case ASCII letters, digits or '_'");
    for (const ZoneSpec& other : config.zones)
      if (key_node && other.key == zone.key)
        diags.error(key_node->loc(),
                    key_node->path() + ": zone '" + zone.key + "' is listed twice");
    zone.name_zh = item.required_string("name_zh", diags);
    zone.name_en = item.required_string("name_en", diags);
    const std::string type = item.required_string("type", diags);
    if (type == "new_district") {
      zone.type = ZoneType::kNewDistrict;
    } else if (type != "old_town" && item.find("type")) {
      const ParamNode* t = item.find("type");
      diags.error(t->loc(), t->path() + ": unknown zone type '" + type +
                                "' (expected old_town or new_district)");
    }
    zone.population_share = item.required_number("population_share", diags, 0.0, 1.0);
    share_sum += zone.population_share;
    // Geometry (optional here; processes that need distances check it is present).
    zone.x_m = item.number("x_m", zone.x_m, diags, -1e6, 1e6);
    zone.y_m = item.number("y_m", zone.y_m, diags, -1e6, 1e6);
    zone.area_km2 = item.number("area_km2", zone.area_km2, diags, 0.0, 1e5);
    config.zones.push_back(std::move(zone));
  }
  if (diags.size() == before && std::abs(share_sum - 1.0) > 1e-6)
    diags.error(list->loc(), list->path() + ": population shares sum to " + number_text(share_sum) +
                                 " (must be 1 within 1e-6)");
}

namespace {

void read_age_structure(const ParamNode& file, PopulationConfig& config, Diagnostics& diags) {
  config.residents = file.required_integer("residents", diags, 1, std::int64_t{1} << 40);
  if (const ParamNode* sex = map_at(file, "sex", diags)) {
    config.males = sex->required_integer("male", diags, 0);
    config.females = sex->required_integer("female", diags, 0);
    if (sex->find("male") && sex->find("female") && config.residents > 0 &&
        config.males + config.females != config.residents)
      diags.error(sex->loc(),
                  sex->path() +
                      ": male + female = " + std::to_string(config.males + config.females) +
                      " differs from residents (" + std::to_string(config.residents) + ")");
  }
  if (const ParamNode* shares = map_at(file, "age_shares", diags)) {
    const std::size_t before = diags.size();
    config.share_0_14 = shares->required_number("0-14", diags, 0.0, 1.0);
    config.share_15_59 = shares->required_number("15-59", diags, 0.0, 1.0);
    config.share_60_plus = shares->required_number("60+", diags, 0.0, 1.0);
    config.share_65_plus = shares->required_number("65+", diags, 0.0, 1.0);
    const double sum = config.share_0_14 + config.share_15_59 + config.share_60_plus;
    if (diags.size() == before && std::abs(sum - 1.0) > 1e-3)
      diags.error(shares->loc(), shares->path() + ": 0-14 + 15-59 + 60+ = " + number_text(sum) +
                                     " (must be 1 within 0.001)");
    if (diags.size() == before && config.share_65_plus > config.share_60_plus)
      diags.error(shares->find("65+")->loc(),
                  shares->path() + ".65+: " + number_text(config.share_65_plus) +
                      " is larger than the 60+ share (" + number_text(config.share_60_plus) + ")");
  }
  if (const ParamNode* shape = list_at(file, "age_sex_shape", diags)) {
    if (shape->items().size() != kFiveYearGroups)
      diags.error(shape->loc(), shape->path() + ": expected " + std::to_string(kFiveYearGroups) +
                                    " rows (0-4, 5-9, ..., 90-94, 95+), got " +
                                    std::to_string(shape->items().size()));
    const std::size_t rows = std::min<std::size_t>(shape->items().size(), kFiveYearGroups);
    for (std::size_t g = 0; g < rows; ++g) {
      const ParamNode& row = shape->items()[g];
      if (!row.is_map()) {
        diags.error(row.loc(),
                    row.path() + ": expected {age_group, male, female}, got " + describe_node(row));
        continue;
      }
      const int from = static_cast<int>(5 * g);
      const std::string expected = g + 1 == kFiveYearGroups
                                       ? std::to_string(from) + "+"
                                       : std::to_string(from) + "-" + std::to_string(from + 4);
      const std::string label = row.required_string("age_group", diags);
      if (const ParamNode* l = row.find("age_group"); l && label != expected)
        diags.error(l->loc(), l->path() + ": expected '" + expected + "', got '" + label + "'");
      config.age_sex_shape[kMale][g] = row.required_number("male", diags, 0.0);
      config.age_sex_shape[kFemale][g] = row.required_number("female", diags, 0.0);
    }
  }
  config.open_group_weights = file.numbers("open_group_weights", diags, 0.0);
  if (const ParamNode* w = file.require("open_group_weights", diags)) {
    const std::size_t n = config.open_group_weights.size();
    double sum = 0;
    for (double v : config.open_group_weights) sum += v;
    if (w->is_sequence() && (n == 0 || n > kSingleAges - 5 * (kFiveYearGroups - 1) || sum <= 0))
      diags.error(w->loc(), w->path() + ": expected 1 to " +
                                std::to_string(kSingleAges - 5 * (kFiveYearGroups - 1)) +
                                " non-negative weights for ages 95, 96, ... with a positive sum");
  }
}

void read_education(const ParamNode& file, PopulationConfig& config, Diagnostics& diags) {
  const ParamNode* edu = map_at(file, "education", diags);
  if (!edu) return;
  config.education_min_age =
      static_cast<int>(edu->required_integer("census_min_age", diags, 0, 15));
  if (const ParamNode* counts = map_at(*edu, "counts", diags)) {
    std::int64_t sum = 0;
    for (int level = kPrimary; level < kEducationLevels; ++level)
      sum += config.education_counts[level] =
          counts->required_integer(kEducationKeys[level], diags, 0);
    if (config.residents > 0 && sum > config.residents)
      diags.error(counts->loc(), counts->path() + ": counts add up to " + std::to_string(sum) +
                                     ", more than the residents (" +
                                     std::to_string(config.residents) + ")");
  }
  if (const ParamNode* ages = map_at(*edu, "completion_age", diags)) {
    for (int level = kPrimary; level < kEducationLevels; ++level)
      config.education_completion_age[level] =
          static_cast<int>(ages->required_integer(kEducationKeys[level], diags, 0, 40));
    for (int level = kJuniorHigh; level < kEducationLevels; ++level)
      if (config.education_completion_age[level] <= config.education_completion_age[level - 1])
        diags.error(ages->loc(), ages->path() + ": completion ages must increase with the level");
  }
  const ParamNode* seed = list_at(*edu, "seed", diags);
  if (!seed) return;
  const std::size_t before = diags.size();
  for (const ParamNode& item : seed->items()) {
    if (!item.is_map()) {
      diags.error(item.loc(), item.path() + ": expected a seed row, got " + describe_node(item));
      continue;
    }
    EducationSeedRow row;
    row.from_age = read_age(item, "from_age", diags);
    row.to_age = read_age(item, "to_age", diags);
    const std::string sex = item.required_string("sex", diags);
    row.male = sex == "both" || sex == "male";
    row.female = sex == "both" || sex == "female";
    if (const ParamNode* s = item.find("sex"); s && !row.male && !row.female)
      diags.error(s->loc(), s->path() + ": expected both, male or female, got '" + sex + "'");
    double sum = 0;
    for (int level = 0; level < kEducationLevels; ++level)
      sum += row.weight[level] = item.required_number(kEducationKeys[level], diags, 0.0);
    if (sum <= 0) diags.error(item.loc(), item.path() + ": all weights are zero");
    if (row.from_age > row.to_age)
      diags.error(item.loc(), item.path() + ": from_age is after to_age");
    config.education_seed.push_back(row);
  }
  if (diags.size() != before) return;
  // Every age from census_min_age to the oldest age, of each sex, in exactly one row.
  for (int sex = 0; sex < 2; ++sex) {
    std::vector<int> rows_at(kSingleAges, 0);
    for (const EducationSeedRow& row : config.education_seed)
      if (sex == kMale ? row.male : row.female)
        for (int a = row.from_age; a <= std::min(row.to_age, kOldestSynthesisedAge); ++a)
          ++rows_at[a];
    for (int a = config.education_min_age; a < kSingleAges; ++a) {
      if (rows_at[a] == 1) continue;
      int b = a;
      while (b + 1 < kSingleAges && rows_at[b + 1] == rows_at[a]) ++b;
      diags.error(seed->loc(), seed->path() + ": ages " + std::to_string(a) + "-" +
                                   std::to_string(b) + " of " + (sex == kMale ? "men" : "women") +
                                   (rows_at[a] == 0 ? " are in no row" : " are in several rows"));
      a = b;
    }
  }
}

void read_households(const ParamNode& file, PopulationConfig& config, Diagnostics& diags) {
  const ParamNode* hh = map_at(file, "households", diags);
  if (!hh) return;
  HouseholdTargets& t = config.households;
  t.mean_size = hh->required_number("mean_size", diags, 1.0, 20.0);
  t.size_shape = read_shares(*hh, "size_shape", kHouseholdSizeKeys, 1e-3, "0.001", diags);
  t.mean_size_five_plus = hh->required_number("mean_size_five_plus", diags, 5.0, 20.0);
  t.type_shares = read_shares(*hh, "type_shares", kHouseholdTypeKeys, 1e-6, "1e-6", diags);

  const ParamNode* f = map_at(*hh, "formation", diags);
  if (!f) return;
  HouseholdFormation& m = config.formation;
  m.partnered_share_of_women = read_age_bands(*f, "partnered_share_of_women", diags);
  m.husband_age_gap = read_normal(*f, "husband_age_gap", diags, -19.0, 19.0);
  m.min_husband_age = read_age(*f, "min_husband_age", diags);
  m.mother_age_at_birth = read_normal(*f, "mother_age_at_birth", diags, 15.0, 50.0);
  m.adult_age = static_cast<int>(f->required_integer("adult_age", diags, 15, 21));
  m.unpartnered_adults_with_parents = read_age_bands(*f, "unpartnered_adults_with_parents", diags);
  m.sibling_share = f->required_number("sibling_share", diags, 0.0, 1.0);
  m.max_children_per_mother =
      static_cast<int>(f->required_integer("max_children_per_mother", diags, 1, 10));
  m.grandparent_min_age = read_age(*f, "grandparent_min_age", diags);
  m.grandparent_min_gap_to_grandchild =
      static_cast<int>(f->required_integer("grandparent_min_gap_to_grandchild", diags, 30, 80));
  m.grandparent_age_gap_to_parent = read_normal(*f, "grandparent_age_gap_to_parent", diags, 15, 50);
  m.elderly_age = read_age(*f, "elderly_age", diags);
  m.age_search_window = static_cast<int>(f->required_integer("age_search_window", diags, 0, 20));
}

}  // namespace

PopulationConfig read_population_config(const ParamNode& zones_file,
                                        const ParamNode& population_file, Diagnostics& diags) {
  PopulationConfig config;
  if (!zones_file.is_map()) {
    diags.error(zones_file.loc(), "zones: expected a map with a 'zones' list");
  } else {
    read_zones(zones_file, config, diags);
  }
  read_population_file(population_file, config, diags);
  return config;
}

void read_population_file(const ParamNode& population_file, PopulationConfig& config,
                          Diagnostics& diags) {
  if (!population_file.is_map()) {
    diags.error(population_file.loc(), "population: expected a map of base-year marginals");
    return;
  }
  config.base_year =
      static_cast<int>(population_file.required_integer("base_year", diags, 1900, 2200));
  read_age_structure(population_file, config, diags);
  read_education(population_file, config, diags);
  read_households(population_file, config, diags);
}

IpfSettings read_ipf_settings(const ParamNode& params, Diagnostics& diags) {
  IpfSettings settings;
  const ParamNode* ipf = map_at(params, "ipf", diags, /*optional=*/true);
  if (!ipf) return settings;
  settings.max_iterations =
      static_cast<int>(ipf->integer("max_iterations", settings.max_iterations, diags, 1, 100000));
  settings.tolerance = ipf->number("tolerance", settings.tolerance, diags, 1e-15, 1e-2);
  return settings;
}

std::array<double, kHouseholdSizeClasses> household_size_distribution(
    const std::array<double, kHouseholdSizeClasses>& shape, double mean_size,
    double mean_size_five_plus) {
  const std::array<double, kHouseholdSizeClasses> persons = {1, 2, 3, 4, mean_size_five_plus};
  const auto tilted = [&](double log_t) {
    std::array<double, kHouseholdSizeClasses> p{};
    double sum = 0;
    for (int k = 0; k < kHouseholdSizeClasses; ++k)
      sum += p[k] = shape[k] * std::exp(log_t * (k + 1));
    for (double& v : p) v /= sum;
    return p;
  };
  const auto mean_of = [&](const std::array<double, kHouseholdSizeClasses>& p) {
    double m = 0;
    for (int k = 0; k < kHouseholdSizeClasses; ++k) m += p[k] * persons[k];
    return m;
  };
  // The mean increases with t: bisection on log t.
  double lo = -20, hi = 20;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (mean_of(tilted(mid)) < mean_size ? lo : hi) = mid;
  }
  return tilted(0.5 * (lo + hi));
}

}  // namespace plansim

// The city-config reader: a faithful round trip of the Zhongyuan values, and one test per class
// of bad input checking the message and its location.
#include "population/synthesis_config.h"

#include <gtest/gtest.h>

#include <sstream>

#include "population/synthesis.h"
#include "synthesis_test_config.h"

namespace plansim {
namespace {

// Builds located ParamNode trees the way the YAML/CSV loader does: every node has a file, a
// line (one per node, in order) and the dotted path of its key.
class TreeBuilder {
 public:
  explicit TreeBuilder(std::string file) : file_(std::move(file)) {}
  SourceLoc next() { return SourceLoc{file_, line_++, 3}; }
  ParamNode map(const std::string& path) { return ParamNode(ParamNode::Kind::Map, next(), path); }
  ParamNode list(const std::string& path) {
    return ParamNode(ParamNode::Kind::Sequence, next(), path);
  }
  static std::string text(double v) {
    std::ostringstream s;
    s.precision(15);
    s << v;
    return s.str();
  }
  ParamNode& put(ParamNode& parent, const std::string& key, const std::string& value) {
    const SourceLoc key_loc = next();  // the key's line first, then the value's
    return parent.set(key, key_loc, ParamNode::scalar(value, next(), child(parent, key)));
  }
  ParamNode& put(ParamNode& parent, const std::string& key, double value) {
    return put(parent, key, text(value));
  }
  ParamNode& put_map(ParamNode& parent, const std::string& key) {
    const SourceLoc key_loc = next();
    return parent.set(key, key_loc, map(child(parent, key)));
  }
  ParamNode& put_list(ParamNode& parent, const std::string& key) {
    const SourceLoc key_loc = next();
    return parent.set(key, key_loc, list(child(parent, key)));
  }
  ParamNode& append_map(ParamNode& list_node) {
    const std::string path =
        list_node.path() + "[" + std::to_string(list_node.items().size()) + "]";
    list_node.items().push_back(map(path));
    return list_node.items().back();
  }
  static std::string child(const ParamNode& parent, const std::string& key) {
    return parent.path().empty() ? key : parent.path() + "." + key;
  }

 private:
  std::string file_;
  int line_ = 1;
};

ParamNode zones_tree(const PopulationConfig& c) {
  TreeBuilder b("zones.yaml");
  ParamNode root = b.map("");
  ParamNode& list = b.put_list(root, "zones");
  for (const ZoneSpec& z : c.zones) {
    ParamNode& item = b.append_map(list);
    b.put(item, "key", z.key);
    b.put(item, "name_zh", z.name_zh);
    b.put(item, "name_en", z.name_en);
    b.put(item, "type", z.type == ZoneType::kOldTown ? "old_town" : "new_district");
    b.put(item, "population_share", z.population_share);
  }
  return root;
}

void put_bands(TreeBuilder& b, ParamNode& parent, const std::string& key,
               const std::vector<AgeBand>& bands) {
  ParamNode& list = b.put_list(parent, key);
  for (const AgeBand& band : bands) {
    ParamNode& item = b.append_map(list);
    b.put(item, "from", band.from_age);
    b.put(item, "to", band.to_age);
    b.put(item, "share", band.value);
  }
}

void put_normal(TreeBuilder& b, ParamNode& parent, const std::string& key, const NormalSpec& s) {
  ParamNode& m = b.put_map(parent, key);
  b.put(m, "mean", s.mean);
  b.put(m, "sd", s.sd);
  b.put(m, "min", s.min);
  b.put(m, "max", s.max);
}

ParamNode population_tree(const PopulationConfig& c) {
  TreeBuilder b("population.yaml");
  ParamNode root = b.map("");
  b.put(root, "base_year", c.base_year);
  b.put(root, "residents", static_cast<double>(c.residents));
  ParamNode& sex = b.put_map(root, "sex");
  b.put(sex, "male", static_cast<double>(c.males));
  b.put(sex, "female", static_cast<double>(c.females));
  ParamNode& shares = b.put_map(root, "age_shares");
  b.put(shares, "0-14", c.share_0_14);
  b.put(shares, "15-59", c.share_15_59);
  b.put(shares, "60+", c.share_60_plus);
  b.put(shares, "65+", c.share_65_plus);
  ParamNode& shape = b.put_list(root, "age_sex_shape");  // as the CSV loader delivers it
  for (int g = 0; g < kFiveYearGroups; ++g) {
    ParamNode& row = b.append_map(shape);
    b.put(row, "age_group",
          g + 1 == kFiveYearGroups ? std::string("95+")
                                   : std::to_string(5 * g) + "-" + std::to_string(5 * g + 4));
    b.put(row, "male", c.age_sex_shape[kMale][g]);
    b.put(row, "female", c.age_sex_shape[kFemale][g]);
  }
  ParamNode& weights = b.put_list(root, "open_group_weights");
  for (double w : c.open_group_weights)
    weights.items().push_back(
        ParamNode::scalar(TreeBuilder::text(w), b.next(), "open_group_weights[]"));
  ParamNode& edu = b.put_map(root, "education");
  b.put(edu, "census_min_age", c.education_min_age);
  ParamNode& counts = b.put_map(edu, "counts");
  ParamNode& ages = b.put_map(edu, "completion_age");
  for (int l = kPrimary; l < kEducationLevels; ++l) {
    b.put(counts, kEducationKeys[l], static_cast<double>(c.education_counts[l]));
    b.put(ages, kEducationKeys[l], c.education_completion_age[l]);
  }
  ParamNode& seed = b.put_list(edu, "seed");
  for (const EducationSeedRow& r : c.education_seed) {
    ParamNode& row = b.append_map(seed);
    b.put(row, "from_age", r.from_age);
    b.put(row, "to_age", r.to_age);
    b.put(row, "sex", r.male && r.female ? "both" : r.male ? "male" : "female");
    for (int l = 0; l < kEducationLevels; ++l) b.put(row, kEducationKeys[l], r.weight[l]);
  }
  ParamNode& hh = b.put_map(root, "households");
  b.put(hh, "mean_size", c.households.mean_size);
  ParamNode& size = b.put_map(hh, "size_shape");
  for (int k = 0; k < kHouseholdSizeClasses; ++k)
    b.put(size, kHouseholdSizeKeys[k], c.households.size_shape[k]);
  b.put(hh, "mean_size_five_plus", c.households.mean_size_five_plus);
  ParamNode& types = b.put_map(hh, "type_shares");
  for (int t = 0; t < kHouseholdTypes; ++t)
    b.put(types, kHouseholdTypeKeys[t], c.households.type_shares[t]);
  const HouseholdFormation& f = c.formation;
  ParamNode& form = b.put_map(hh, "formation");
  put_bands(b, form, "partnered_share_of_women", f.partnered_share_of_women);
  put_normal(b, form, "husband_age_gap", f.husband_age_gap);
  b.put(form, "min_husband_age", f.min_husband_age);
  put_normal(b, form, "mother_age_at_birth", f.mother_age_at_birth);
  b.put(form, "adult_age", f.adult_age);
  put_bands(b, form, "unpartnered_adults_with_parents", f.unpartnered_adults_with_parents);
  b.put(form, "sibling_share", f.sibling_share);
  b.put(form, "max_children_per_mother", f.max_children_per_mother);
  b.put(form, "grandparent_min_age", f.grandparent_min_age);
  b.put(form, "grandparent_min_gap_to_grandchild", f.grandparent_min_gap_to_grandchild);
  put_normal(b, form, "grandparent_age_gap_to_parent", f.grandparent_age_gap_to_parent);
  b.put(form, "elderly_age", f.elderly_age);
  b.put(form, "age_search_window", f.age_search_window);
  return root;
}

}  // namespace

// Shared with synthesis_process_test.cpp.
ParamNode zhongyuan_zones_tree() { return zones_tree(test::zhongyuan_2020_config()); }
ParamNode zhongyuan_population_tree() { return population_tree(test::zhongyuan_2020_config()); }

namespace {

struct Read {
  PopulationConfig config;
  Diagnostics diags;
  std::string text() const { return diags.format(); }
};

Read read(const ParamNode& zones, const ParamNode& population) {
  Read r;
  r.config = read_population_config(zones, population, r.diags);
  return r;
}

/// Replaces the scalar at `path` (dotted, from the root; "[i]" for list items) with `text` at
/// the given line of `file`.
void replace(ParamNode& root, const std::vector<std::string>& keys, const std::string& text,
             int line) {
  ParamNode* node = &root;
  for (const std::string& key : keys) {
    if (key.front() == '[') {
      node = &node->items()[std::stoul(key.substr(1))];
    } else {
      node = node->peek_mutable(key);
    }
    ASSERT_NE(node, nullptr) << key;
  }
  *node = ParamNode::scalar(text, SourceLoc{node->loc().file, line, 9}, node->path());
}

TEST(SynthesisConfig, ReadsTheZhongyuanValuesAndEveryKey) {
  const PopulationConfig expected = test::zhongyuan_2020_config();
  const ParamNode zones = zones_tree(expected), population = population_tree(expected);
  const Read r = read(zones, population);
  ASSERT_TRUE(r.diags.empty()) << r.text();
  Diagnostics unused;
  zones.report_unused(unused);
  population.report_unused(unused);
  EXPECT_TRUE(unused.empty()) << unused.format();
  const PopulationConfig& c = r.config;
  ASSERT_EQ(c.zones.size(), 14u);
  EXPECT_EQ(c.zones[11].key, "xushui");
  EXPECT_EQ(c.zones[11].name_zh, "须水");
  EXPECT_EQ(c.zones[11].type, ZoneType::kNewDistrict);
  EXPECT_DOUBLE_EQ(c.zones[11].population_share, 0.125306);
  EXPECT_EQ(c.residents, 962642);
  EXPECT_EQ(c.males, 481261);
  EXPECT_DOUBLE_EQ(c.share_65_plus, 0.1010);
  EXPECT_EQ(c.age_sex_shape, expected.age_sex_shape);
  EXPECT_EQ(c.open_group_weights, expected.open_group_weights);
  EXPECT_EQ(c.education_counts, expected.education_counts);
  EXPECT_EQ(c.education_completion_age, expected.education_completion_age);
  ASSERT_EQ(c.education_seed.size(), expected.education_seed.size());
  EXPECT_FALSE(c.education_seed[13].male);
  EXPECT_EQ(c.education_seed[13].weight, expected.education_seed[13].weight);
  EXPECT_EQ(c.households.size_shape, expected.households.size_shape);
  EXPECT_EQ(c.households.type_shares, expected.households.type_shares);
  EXPECT_EQ(c.formation.partnered_share_of_women.size(), 13u);
  EXPECT_DOUBLE_EQ(c.formation.mother_age_at_birth.sd, 4.5);
  EXPECT_EQ(c.formation.grandparent_min_gap_to_grandchild, 45);
}

TEST(SynthesisConfig, ZoneSharesMustSumToOne) {
  const PopulationConfig c = test::zhongyuan_2020_config();
  ParamNode zones = zones_tree(c);
  replace(zones, {"zones", "[0]", "population_share"}, "0.1", 40);
  const Read r = read(zones, population_tree(c));
  ASSERT_EQ(r.diags.size(), 1u) << r.text();
  EXPECT_EQ(
      r.text(),
      "zones.yaml:3:3: error: zones: population shares sum to 1.00962 (must be 1 within 1e-6)\n");
}

TEST(SynthesisConfig, NegativeCountsAreOutOfRange) {
  const PopulationConfig c = test::zhongyuan_2020_config();
  ParamNode population = population_tree(c);
  replace(population, {"education", "counts", "college"}, "-5", 77);
  const Read r = read(zones_tree(c), population);
  EXPECT_NE(
      r.text().find("population.yaml:77:9: error: education.counts.college: -5 is out of range "
                    "(must be at least 0)"),
      std::string::npos)
      << r.text();
}

TEST(SynthesisConfig, MissingKeysAreReportedAtTheirMap) {
  const PopulationConfig c = test::zhongyuan_2020_config();
  ParamNode population = population_tree(c);
  ParamNode* sex = population.peek_mutable("sex");
  const SourceLoc sex_loc = sex->loc();
  sex->entries().erase(sex->entries().begin());  // drop "male"
  ParamNode zones = zones_tree(c);
  zones.peek_mutable("zones")->items()[2].entries().pop_back();  // drop population_share
  const Read r = read(zones, population);
  EXPECT_NE(r.text().find(sex_loc.str() + ": error: sex: missing required key 'male'"),
            std::string::npos)
      << r.text();
  const SourceLoc zone_loc = zones.peek("zones")->items()[2].loc();
  EXPECT_NE(
      r.text().find(zone_loc.str() + ": error: zones[2]: missing required key 'population_share'"),
      std::string::npos)
      << r.text();
}

TEST(SynthesisConfig, WrongTypesNameTheExpectedType) {
  const PopulationConfig c = test::zhongyuan_2020_config();
  ParamNode population = population_tree(c);
  replace(population, {"residents"}, "many", 5);
  replace(population, {"households", "formation", "husband_age_gap"}, "2", 90);
  const Read r = read(zones_tree(c), population);
  EXPECT_NE(r.text().find("population.yaml:5:9: error: residents: expected an integer, got 'many'"),
            std::string::npos)
      << r.text();
  EXPECT_NE(r.text().find("population.yaml:90:9: error: households.formation.husband_age_gap: "
                          "expected a map, got '2'"),
            std::string::npos)
      << r.text();
}

TEST(SynthesisConfig, InconsistentTotalsAndSharesAreErrors) {
  const PopulationConfig c = test::zhongyuan_2020_config();
  ParamNode population = population_tree(c);
  replace(population, {"sex", "male"}, "481260", 11);
  replace(population, {"age_shares", "65+"}, "0.2", 20);
  replace(population, {"households", "type_shares", "other"}, "0.5", 30);
  const Read r = read(zones_tree(c), population);
  const std::string text = r.text();
  EXPECT_NE(text.find(": error: sex: male + female = 962641 differs from residents (962642)"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find(
          "population.yaml:20:9: error: age_shares.65+: 0.2 is larger than the 60+ share (0.147)"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find(": error: households.type_shares: shares sum to 1.455 (must be 1 within 1e-6)"),
      std::string::npos)
      << text;
  EXPECT_EQ(r.diags.size(), 3u) << text;
}

TEST(SynthesisConfig, TablesAreCheckedRowByRow) {
  const PopulationConfig c = test::zhongyuan_2020_config();
  ParamNode population = population_tree(c);
  replace(population, {"age_sex_shape", "[3]", "age_group"}, "15-20", 50);
  replace(population, {"education", "seed", "[9]", "to_age"}, "28", 60);  // leaves age 29 uncovered
  replace(population, {"education", "seed", "[0]", "sex"}, "all", 61);
  ParamNode zones = zones_tree(c);
  replace(zones, {"zones", "[1]", "key"}, "linshanzhai", 70);
  replace(zones, {"zones", "[2]", "type"}, "suburb", 71);
  const Read r = read(zones, population);
  const std::string text = r.text();
  EXPECT_NE(
      text.find(
          "population.yaml:50:9: error: age_sex_shape[3].age_group: expected '15-19', got '15-20'"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("population.yaml:61:9: error: education.seed[0].sex: expected both, male or "
                      "female, got 'all'"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("zones.yaml:70:9: error: zones[1].key: zone 'linshanzhai' is listed twice"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("zones.yaml:71:9: error: zones[2].type: unknown zone type 'suburb' "
                      "(expected old_town or new_district)"),
            std::string::npos)
      << text;
  // With the seed's sexes fixed, the coverage check names the gap.
  ParamNode population2 = population_tree(c);
  replace(population2, {"education", "seed", "[9]", "to_age"}, "28", 60);
  const Read r2 = read(zones_tree(c), population2);
  EXPECT_NE(r2.text().find(": error: education.seed: ages 29-29 of men are in no row"),
            std::string::npos)
      << r2.text();
  EXPECT_NE(r2.text().find(": error: education.seed: ages 29-29 of women are in no row"),
            std::string::npos)
      << r2.text();
}

TEST(SynthesisConfig, IpfSettingsAreRangeChecked) {
  TreeBuilder b("scenario.yaml");
  ParamNode params = b.map("synthesis");
  ParamNode& ipf = b.put_map(params, "ipf");
  b.put(ipf, "max_iterations", "0");
  b.put(ipf, "tolerance", "1e-8");
  Diagnostics diags;
  const IpfSettings s = read_ipf_settings(params, diags);
  EXPECT_EQ(s.tolerance, 1e-8);
  EXPECT_EQ(diags.format(),
            "scenario.yaml:5:3: error: synthesis.ipf.max_iterations: 0 is out of range (must be "
            "[1, 100000])\n");
  Diagnostics none;
  EXPECT_EQ(read_ipf_settings(b.map("synthesis"), none).max_iterations,
            IpfSettings{}.max_iterations);
  EXPECT_TRUE(none.empty());
}

TEST(SynthesisProcess, ConfigureReportsMissingCityFilesAndABaseYearMismatch) {
  const PopulationConfig c = test::zhongyuan_2020_config();
  ParamNode params(ParamNode::Kind::Map, SourceLoc{}, "synthesis");
  RunSettings run;
  SeriesCatalog catalog;
  {
    ParamNode city(ParamNode::Kind::Map, SourceLoc{"configs/zhongyuan", 0, 0}, "");
    city.set("zones", {}, zones_tree(c));
    Diagnostics diags;
    ConfigureContext ctx{params, city, run, diags, catalog};
    SynthesisProcess().configure(ctx);
    EXPECT_EQ(diags.format(),
              "configs/zhongyuan: error: city: no population.yaml in the city folder "
              "(the synthesis needs its marginals)\n");
  }
  {
    ParamNode city(ParamNode::Kind::Map, SourceLoc{"configs/zhongyuan", 0, 0}, "");
    city.set("zones", {}, zones_tree(c));
    city.set("population", {}, population_tree(c));
    run.start_year = 2021;
    Diagnostics diags;
    ConfigureContext ctx{params, city, run, diags, catalog};
    SynthesisProcess process;
    process.configure(ctx);
    EXPECT_EQ(diags.format(),
              "population.yaml:3:3: error: base_year: the population describes 2020 "
              "but run.start is 2021\n");
    EXPECT_EQ(process.config().zones.size(), 14u);
  }
}

}  // namespace
}  // namespace plansim

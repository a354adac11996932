// The Zhongyuan 2020 marginals and household assumptions of configs/zhongyuan/ typed in as a
// PopulationConfig, so that population tests need no YAML loader. Keep in step with
// configs/zhongyuan/{zones,population}.yaml and their CSV files.
#pragma once

#include "population/synthesis_config.h"

namespace plansim::test {

inline PopulationConfig zhongyuan_2020_config() {
  PopulationConfig c;
  c.base_year = 2020;
  const auto old_town = ZoneType::kOldTown, new_district = ZoneType::kNewDistrict;
  c.zones = {
      {"linshanzhai", "林山寨", "Linshanzhai", old_town, 0.09038},
      {"jianshelu", "建设路", "Jianshelu", old_town, 0.0357},
      {"mianfanglu", "棉纺路", "Mianfanglu", old_town, 0.043157},
      {"qinlinglu", "秦岭路", "Qinlinglu", old_town, 0.03089},
      {"tongbailu", "桐柏路", "Tongbailu", old_town, 0.078632},
      {"sanguanmiao", "三官庙", "Sanguanmiao", old_town, 0.054424},
      {"lvdongcun", "绿东村", "Lvdongcun", old_town, 0.063384},
      {"ruhelu", "汝河路", "Ruhelu", old_town, 0.066286},
      {"hanghaixilu", "航海西路", "Hanghaixilu", old_town, 0.062328},
      {"zhongyuanxilu", "中原西路", "Zhongyuanxilu", old_town, 0.057134},
      {"xiliuhu", "西流湖", "Xiliuhu", new_district, 0.104421},
      {"xushui", "须水", "Xushui", new_district, 0.125306},
      {"lianhu", "莲湖", "Lianhu", new_district, 0.091891},
      {"liuhu", "柳湖", "Liuhu", new_district, 0.096067},
  };
  c.residents = 962642;
  c.males = 481261;
  c.females = 481381;
  c.share_0_14 = 0.1907;
  c.share_15_59 = 0.6623;
  c.share_60_plus = 0.1470;
  c.share_65_plus = 0.1010;
  c.age_sex_shape[kMale] = {3236, 4444, 4569, 3466, 2545, 2723, 4175, 2808, 2778, 3521,
                            3900, 3149, 2251, 2579, 1723, 1014, 571,  280,  81,   18};
  c.age_sex_shape[kFemale] = {2979, 3917, 3843, 2858, 2349, 2746, 4401, 2935, 2870, 3565,
                              4192, 3432, 2311, 2715, 1813, 1171, 747,  467,  170,  54};
  c.open_group_weights = {6, 5, 4, 3, 2, 1};
  c.education_min_age = 3;
  c.education_counts = {0, 119868, 198648, 197448, 353554};
  c.education_completion_age = {0, 12, 15, 18, 22};
  const auto row = [](int from, int to, const char* sex, double below, double primary,
                      double junior, double senior, double college) {
    const std::string s = sex;
    return EducationSeedRow{
        from, to, s != "female", s != "male", {below, primary, junior, senior, college}};
  };
  c.education_seed = {
      row(3, 5, "both", 1, 0, 0, 0, 0),
      row(6, 6, "both", 0.4, 0.6, 0, 0, 0),
      row(7, 11, "both", 0.01, 0.99, 0, 0, 0),
      row(12, 12, "both", 0.01, 0.45, 0.54, 0, 0),
      row(13, 14, "both", 0.01, 0.04, 0.95, 0, 0),
      row(15, 15, "both", 0.01, 0.02, 0.5, 0.47, 0),
      row(16, 17, "both", 0.01, 0.02, 0.12, 0.85, 0),
      row(18, 18, "both", 0.01, 0.02, 0.12, 0.45, 0.4),
      row(19, 24, "both", 0.005, 0.02, 0.15, 0.23, 0.595),
      row(25, 29, "both", 0.005, 0.03, 0.18, 0.22, 0.565),
      row(30, 39, "both", 0.005, 0.04, 0.24, 0.21, 0.505),
      row(40, 49, "both", 0.01, 0.08, 0.37, 0.24, 0.3),
      row(50, 59, "male", 0.01, 0.1, 0.42, 0.29, 0.18),
      row(50, 59, "female", 0.03, 0.18, 0.42, 0.24, 0.13),
      row(60, 69, "male", 0.03, 0.22, 0.38, 0.22, 0.15),
      row(60, 69, "female", 0.08, 0.32, 0.33, 0.17, 0.1),
      row(70, 79, "male", 0.08, 0.38, 0.25, 0.16, 0.13),
      row(70, 79, "female", 0.25, 0.38, 0.17, 0.12, 0.08),
      row(80, 100, "male", 0.2, 0.42, 0.17, 0.11, 0.1),
      row(80, 100, "female", 0.5, 0.3, 0.1, 0.06, 0.04),
  };
  HouseholdTargets& t = c.households;
  t.mean_size = 2.82;
  t.size_shape = {0.273, 0.263, 0.194, 0.142, 0.128};
  t.mean_size_five_plus = 5.4;
  t.type_shares = {0.22, 0.11, 0.30, 0.225, 0.10, 0.045};
  HouseholdFormation& f = c.formation;
  f.partnered_share_of_women = {{20, 21, 0.12}, {22, 24, 0.35}, {25, 29, 0.68}, {30, 34, 0.87},
                                {35, 39, 0.92}, {40, 49, 0.93}, {50, 59, 0.91}, {60, 64, 0.86},
                                {65, 69, 0.80}, {70, 74, 0.70}, {75, 79, 0.58}, {80, 84, 0.40},
                                {85, 110, 0.20}};
  f.husband_age_gap = {2, 3, -6, 15};
  f.min_husband_age = 22;
  f.mother_age_at_birth = {28, 4.5, 18, 45};
  f.adult_age = 18;
  f.unpartnered_adults_with_parents = {{18, 21, 0.2}, {22, 24, 0.1}, {25, 29, 0.03}};
  f.sibling_share = 0.2;
  f.max_children_per_mother = 3;
  f.grandparent_min_age = 50;
  f.grandparent_min_gap_to_grandchild = 45;
  f.grandparent_age_gap_to_parent = {28, 4, 20, 40};
  f.elderly_age = 60;
  f.age_search_window = 5;
  c.ipf = IpfSettings{200, 1e-10};
  return c;
}

}  // namespace plansim::test

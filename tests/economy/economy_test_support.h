// Test support for the economy process: a small hand-built Zhongyuan-like World (no synthesis
// process involved), and a harness that loads the real configs/zhongyuan/economy*.{yaml,csv}
// (copied to a temporary city folder, optionally edited) with a scenario block, configures the
// process as a run would, and drives it year by year.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/simulation.h"
#include "economy/economy.h"
#include "economy/economy_interventions.h"
#include "io/scenario_loader.h"
#include "policy/policy.h"
#include "support/temp_dir.h"
#include "uncertainty/parameter_space.h"

namespace plansim::economy_test {

inline constexpr ProcessId kEconomyId = 8;
inline constexpr ProcessId kPolicyId = 4;
inline constexpr double kZhongyuanResidents = 962642;

struct ZoneDef {
  const char* key;
  const char* name_zh;
  const char* name_en;
  double population_share;
  double x_km, y_km;  // rough centroids (east, north), for tests with geometry
};

// The 14 sub-districts with the population shares of the population tests' Zhongyuan config.
inline const std::array<ZoneDef, 14> kZones = {{
    {"linshanzhai", "林山寨", "Linshanzhai", 0.09038, 9.0, 3.0},
    {"jianshelu", "建设路", "Jianshelu", 0.0357, 10.0, 4.5},
    {"mianfanglu", "棉纺路", "Mianfanglu", 0.043157, 8.0, 5.0},
    {"qinlinglu", "秦岭路", "Qinlinglu", 0.03089, 7.0, 3.5},
    {"tongbailu", "桐柏路", "Tongbailu", 0.078632, 8.5, 1.0},
    {"sanguanmiao", "三官庙", "Sanguanmiao", 0.054424, 10.5, 2.0},
    {"lvdongcun", "绿东村", "Lvdongcun", 0.063384, 9.5, 0.0},
    {"ruhelu", "汝河路", "Ruhelu", 0.066286, 10.0, -1.5},
    {"hanghaixilu", "航海西路", "Hanghaixilu", 0.062328, 9.0, -3.0},
    {"zhongyuanxilu", "中原西路", "Zhongyuanxilu", 0.057134, 6.5, 2.0},
    {"xiliuhu", "西流湖", "Xiliuhu", 0.104421, 4.5, 2.5},
    {"xushui", "须水", "Xushui", 0.125306, 2.0, 0.0},
    {"lianhu", "莲湖", "Lianhu", 0.091891, 3.0, 5.0},
    {"liuhu", "柳湖", "Liuhu", 0.096067, 1.0, -3.0},
}};

/// Deterministic uniform on [0, 1) from a 64-bit engine (independent of the library's
/// distributions).
inline double unit(std::mt19937_64& g) { return static_cast<double>(g() >> 11) * 0x1.0p-53; }

inline std::size_t draw(std::mt19937_64& g, const std::vector<double>& weights) {
  double total = 0;
  for (double w : weights) total += w;
  double u = unit(g) * total;
  for (std::size_t k = 0; k < weights.size(); ++k) {
    if (u < weights[k]) return k;
    u -= weights[k];
  }
  return weights.size() - 1;
}

/// A Zhongyuan-like World of about `persons` persons: ages from the Henan 5-year shape rescaled
/// to the district's 0-14 / 15-59 / 60+ shares, equal sexes, education by age close to the
/// census counts, households of 1-5 persons placed in zones by population share. Rows are in id
/// order; person_weight = 962,642 / persons.
inline World make_world(std::size_t persons, std::uint64_t seed = 7, bool geometry = false) {
  std::mt19937_64 g(seed);
  World w;
  w.year = 2020;
  for (const ZoneDef& z : kZones) {
    ZoneLabel label{z.key, z.name_zh, z.name_en};
    if (geometry) {
      label.x_m = 1000 * z.x_km;
      label.y_m = 1000 * z.y_km;
      label.area_km2 = 12;
    }
    w.zones.push_back(label);
  }
  // Henan 2020 census, thousands, both sexes, 5-year groups 0-4 ... 95+.
  const std::array<double, 20> henan = {6215, 8361, 8412, 6324, 4894, 5469, 8576, 5743, 5648, 7086,
                                        8092, 6581, 4562, 5294, 3536, 2185, 1318, 747,  251,  72};
  double band_sum[3] = {0, 0, 0};
  const auto band = [](int group) { return group < 3 ? 0 : group < 12 ? 1 : 2; };
  for (int k = 0; k < 20; ++k) band_sum[band(k)] += henan[k];
  const double share[3] = {0.1907, 0.6623, 0.1470};
  std::vector<double> group_weight(20);
  for (int k = 0; k < 20; ++k) group_weight[k] = henan[k] / band_sum[band(k)] * share[band(k)];
  std::vector<double> zone_weight;
  for (const ZoneDef& z : kZones) zone_weight.push_back(z.population_share);
  const std::vector<double> household_size = {0.25, 0.30, 0.25, 0.15, 0.05};
  const auto education = [&](int age) -> std::uint8_t {
    if (age < 6) return kNoSchooling;
    if (age < 12) return kPrimary;
    if (age < 15) return kJuniorHigh;
    if (age < 18) return unit(g) < 0.9 ? kSeniorHigh : kJuniorHigh;
    std::vector<double> p;
    if (age < 25)
      p = {0.0, 0.03, 0.12, 0.25, 0.60};
    else if (age < 45)
      p = {0.02, 0.08, 0.20, 0.20, 0.50};
    else if (age < 60)
      p = {0.05, 0.15, 0.30, 0.25, 0.25};
    else
      p = {0.12, 0.28, 0.28, 0.20, 0.12};
    return static_cast<std::uint8_t>(draw(g, p));
  };
  while (w.persons.size() < persons) {
    const auto zone = static_cast<std::uint16_t>(draw(g, zone_weight));
    const std::uint32_t household = w.households.append(w.new_household_id(), zone);
    const std::size_t size = 1 + draw(g, household_size);
    for (std::size_t m = 0; m < size && w.persons.size() < persons; ++m) {
      const std::size_t group = draw(g, group_weight);
      const int age = static_cast<int>(
          std::min<std::size_t>(100, group * 5 + static_cast<std::size_t>(unit(g) * 5)));
      const auto sex = static_cast<std::uint8_t>(unit(g) < 0.5 ? kMale : kFemale);
      w.persons.append(w.new_person_id(), static_cast<std::uint8_t>(age), sex, education(age),
                       household);
    }
  }
  rebuild_members(w);
  w.person_weight = kZhongyuanResidents / static_cast<double>(w.persons.size());
  return w;
}

/// Ages everyone by a year (what demography would do between two economy steps).
inline void age_one_year(World& w) {
  for (auto& a : w.persons.age) a = static_cast<std::uint8_t>(std::min(kMaxAge, a + 1));
}

/// True when two vectors hold the same bytes (NaN equals NaN).
template <class T>
bool same_bytes(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

/// Every indicator, event and zone panel of two replicates, byte for byte; "" or the first
/// difference.
inline std::string compare_results(const ReplicateResults& a, const ReplicateResults& b) {
  const auto keys_differ = [](const auto& x, const auto& y) {
    if (x.size() != y.size()) return true;
    for (auto i = x.begin(), j = y.begin(); i != x.end(); ++i, ++j)
      if (i->first != j->first) return true;
    return false;
  };
  if (keys_differ(a.indicators, b.indicators) || keys_differ(a.events, b.events) ||
      keys_differ(a.zones, b.zones))
    return "different series";
  for (const auto& [key, v] : a.indicators)
    if (!same_bytes(v, b.indicators.at(key))) return "indicator " + key;
  for (const auto& [key, v] : a.events)
    if (!same_bytes(v, b.events.at(key))) return "event " + key;
  for (const auto& [key, v] : a.zones)
    if (!same_bytes(v, b.zones.at(key))) return "zone panel " + key;
  return "";
}

using testing::TempDir;

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

/// An edit of one city file: replace the first occurrence of `from` with `to`.
struct Edit {
  std::string file, from, to;
};

/// The economy process configured from (a copy of) the city's economy files and a scenario.
class Harness {
 public:
  /// `scenario_extra` is appended to the scenario (e.g. "economy:\n  deflator_growth: 0.03\n").
  /// With a `policy:` block the policy process runs first, with the economy's interventions
  /// (economy/economy_interventions.h) as its only actions. Configuration errors are left in
  /// diags() (the run must not start then).
  explicit Harness(const std::string& scenario_extra = "", const std::vector<Edit>& edits = {},
                   int end_year = 2030) {
    const std::filesystem::path city = dir_.path() / "city";
    std::filesystem::create_directories(city);
    const std::filesystem::path source =
        std::filesystem::path(PLANSIM_SOURCE_DIR) / "configs/zhongyuan";
    for (const char* name : {"economy.yaml", "economy_sectors.csv", "economy_zones.csv",
                             "economy_participation.csv"}) {
      std::string text = read_text(source / name);
      for (const Edit& e : edits) {
        if (e.file != name) continue;
        const auto at = text.find(e.from);
        if (at == std::string::npos)
          ADD_FAILURE() << "edit: '" << e.from << "' not in " << name;
        else
          text.replace(at, e.from.size(), e.to);
      }
      write_text(city / name, text);
    }
    scenario_path_ = (dir_.path() / "scenario.yaml").string();
    const bool with_policy = scenario_extra.find("policy:") != std::string::npos;
    write_text(scenario_path_,
               "scenario: {name: economy-test}\ncity: city\nrun: {start: 2020, end: " +
                   std::to_string(end_year) + ", replicates: 1, seed: 11}\n" +
                   (with_policy ? "processes: [policy, economy]\n" : "processes: [economy]\n") +
                   scenario_extra);
    loaded_ = load_scenario(scenario_path_, {}, diags_);
    if (!diags_.empty()) return;
    registry_.add("economy", kEconomyId, "firms and the labour market", [this] {
      auto p = std::make_unique<EconomyProcess>();
      process_ = p.get();
      return p;
    });
    registry_.add("policy", kPolicyId, "the economy's interventions", [] {
      auto p = std::make_unique<PolicyProcess>();
      economy::add_economy_handlers(*p);
      return p;
    });
    // The city file's uncertain parameters (docs/uncertainty.md) at their medians, as a run with
    // uncertainty.parameters: central configures them: these tests are about the economy's
    // mechanics at the shipped central values.
    const ParameterSpace space = ParameterSpace::find(loaded_.scenario, loaded_.city, 11, diags_);
    if (!diags_.empty()) return;
    central_scenario_ = space.realise(loaded_.scenario, space.central());
    central_city_ = space.realise(loaded_.city, space.central());
    simulation_ = std::make_unique<Simulation>(
        Simulation::configure(central_scenario_, central_city_, registry_, diags_));
  }

  const Diagnostics& diags() const { return diags_; }
  const std::filesystem::path& dir() const { return dir_.path(); }
  std::string city_file(const std::string& name) const {
    return (dir_.path() / "city" / name).string();
  }
  std::string scenario_file() const { return scenario_path_; }
  EconomyProcess& process() { return *process_; }
  const SeriesCatalog& catalog() const { return simulation_->catalog(); }
  /// The World of the run (before start(): an empty one).
  World& world() { return world_; }
  const ReplicateResults& results() const { return run_->results(); }

  /// Takes `world` and initialises the scenario's processes on it (seed from the scenario, given
  /// replicate): the core's own loop (core/simulation.h ReplicateRun), stepped by run_year().
  void start(World world, std::uint32_t replicate = 0) {
    run_.reset();
    world_ = std::move(world);
    run_ = std::make_unique<ReplicateRun>(simulation_->schedule(), replicate, world_);
  }

  /// Runs the next year (begin_year, step, end_year of every process); returns it.
  int run_year() { return run_->run_year(); }

  /// A recorded indicator of `year` (NaN when absent).
  double indicator(const std::string& key, int year) const {
    const auto it = results().indicators.find(key);
    const std::size_t row = static_cast<std::size_t>(year - simulation_->run().start_year);
    if (it == results().indicators.end() || row >= it->second.size())
      return std::numeric_limits<double>::quiet_NaN();
    return it->second[row];
  }
  std::int64_t event(const std::string& key, int year) const {
    const auto it = results().events.find(key);
    const std::size_t row = static_cast<std::size_t>(year - simulation_->run().start_year);
    return it == results().events.end() || row >= it->second.size() ? 0 : it->second[row];
  }

 private:
  TempDir dir_;
  std::string scenario_path_;
  Diagnostics diags_;
  LoadedScenario loaded_;
  ParamNode central_scenario_, central_city_;  // the trees at the medians, read by the process
  Registry registry_;
  std::unique_ptr<Simulation> simulation_;
  EconomyProcess* process_ = nullptr;
  World world_;
  std::unique_ptr<ReplicateRun> run_;  // on world_
};

}  // namespace plansim::economy_test

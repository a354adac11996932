#include "indicators/exogenous.h"

#include <charconv>
#include <limits>

#include "core/series_declare.h"

namespace plansim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

const std::vector<ExogenousSeries>& exogenous_series() {
  // Keys match the targets in configs/zhongyuan/targets.yaml. Definitions follow the plan's
  // table 专栏3-1 and its text; "since 2020" series are cumulative reductions relative to 2020.
  static const std::vector<ExogenousSeries> series = {
      {"urbanisation_rate", "%", "常住人口城镇化率", "Urbanisation rate of residents",
       "urban residents / residents × 100", 0, 100},
      {"fdi", "亿美元", "实际利用外资（现价）", "Foreign direct investment used, nominal",
       "foreign direct investment actually used during the year, 100 million US dollars", 0, kInf},
      {"digital_core_share", "%", "数字经济核心产业增加值占GDP比重",
       "Digital-economy core industries, share of GDP",
       "value added of the digital-economy core industries / GDP × 100", 0, 100},
      {"rd_platforms", "count", "国家级、省级重点研发平台数",
       "National and provincial key R&D platforms", "platforms in the district at year end", 0,
       kInf},
      {"energy_intensity_drop", "%", "单位GDP能源消耗降低率", "Energy use per unit GDP, reduction",
       "reduction of energy use per unit of GDP since 2020, % of the 2020 level", -100, 100},
      {"co2_intensity_drop", "%", "单位GDP二氧化碳排放降低率", "CO2 per unit GDP, reduction",
       "reduction of CO2 emissions per unit of GDP since 2020, % of the 2020 level", -100, 100},
      {"good_air_days_share", "%", "空气优良天数比率", "Share of days with good air",
       "days with an air quality index of good or excellent / days of the year × 100", 0, 100},
      {"water_class3_share", "%", "达到或好于Ⅲ类水体占地表水的比例",
       "Surface water at class III or better", "share of monitored surface water sections", 0, 100},
      {"green_coverage", "%", "建成区绿化覆盖率", "Green coverage of the built-up area",
       "green-covered area / built-up area × 100", 0, 100},
      {"sponge_city_share", "%", "海绵城市建设达标面积比例",
       "Built-up area meeting the sponge-city standard",
       "area meeting the sponge-city standard / built-up area × 100", 0, 100},
  };
  return series;
}

void ExogenousIndicators::configure(ConfigureContext& ctx) {
  trajectories_.clear();
  Diagnostics& diags = ctx.diags;
  const ParamNode& block = ctx.params;

  std::vector<std::string> known;
  for (const ExogenousSeries& s : exogenous_series()) known.emplace_back(s.key);

  for (const ParamNode::Entry& entry : block.entries()) {
    const ParamNode& node = *block.find(entry.key);  // marks it read
    const ExogenousSeries* series = nullptr;
    for (const ExogenousSeries& s : exogenous_series())
      if (s.key == entry.key) series = &s;
    if (!series) {
      const std::string hint = closest_match(entry.key, known);
      std::string list;
      for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
      diags.error(entry.key_loc, node.path() + ": unknown exogenous series '" + entry.key + "' (" +
                                     (hint.empty() ? "" : "did you mean '" + hint + "'?; ") +
                                     "known: " + list + ")");
      node.mark_all_used();
      continue;
    }
    if (ctx.catalog.find(entry.key, SeriesKind::Indicator)) {
      diags.error(entry.key_loc, node.path() + ": '" + entry.key +
                                     "' is recorded by another process of this scenario; it "
                                     "cannot also be given as an exogenous trajectory");
      node.mark_all_used();
      continue;
    }
    const bool step = node.is_map() && node.entries().size() == 1 &&
                      node.entries().front().key == "step" &&
                      node.entries().front().value->is_map();
    const ParamNode& knots = step ? *node.find("step") : node;
    if (!knots.is_map() || knots.entries().empty()) {
      diags.error(node.loc(), node.path() +
                                  ": expected a map of year: value, e.g. {2020: 99.23, "
                                  "2025: 99.4}");
      node.mark_all_used();
      continue;
    }
    std::vector<Trajectory::Knot> points;
    bool valid = true;
    for (const ParamNode::Entry& point : knots.entries()) {
      const ParamNode& value = *knots.find(point.key);
      int year = 0;
      const auto [end, ec] =
          std::from_chars(point.key.data(), point.key.data() + point.key.size(), year);
      if (ec != std::errc() || end != point.key.data() + point.key.size() || year < 1900 ||
          year > 2200) {
        diags.error(point.key_loc, value.path() + ": '" + point.key +
                                       "' is not a year (expected e.g. 2025: value)");
        value.mark_all_used();
        valid = false;
        continue;
      }
      if (!points.empty() && year <= points.back().year) {
        diags.error(point.key_loc, value.path() + ": years must increase (" + point.key +
                                       " comes after " + std::to_string(points.back().year) + ")");
        value.mark_all_used();
        valid = false;
        continue;
      }
      const auto v = value.as_number(diags, series->lowest, series->highest);
      if (!v) {
        valid = false;
        continue;
      }
      points.push_back({year, *v});
    }
    if (!valid) continue;
    const std::string key(series->key);
    const std::string description =
        std::string(kExogenousPrefix) + "trajectory given in the scenario (exogenous." + key +
        (step ? "), each value held from its year to the next; not "
              : "), linear between its years and held beyond them; not ") +
        "simulated. " + std::string(series->definition) + ".";
    declare(ctx.catalog, SeriesKind::Indicator, key, std::string(series->unit),
            std::string(series->label_zh), std::string(series->label_en), description);
    trajectories_.push_back({entry.key, step ? Trajectory::step(std::move(points))
                                             : Trajectory::linear(std::move(points))});
  }
}

void ExogenousIndicators::step(StepContext& ctx) {
  for (const ExogenousTrajectory& t : trajectories_) ctx.out.indicator(t.key, t.at(ctx.year));
}

}  // namespace plansim

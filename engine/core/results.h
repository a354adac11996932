// What a run records: yearly indicators, event counts and zone panels of one replicate, plus
// the catalogue of series (units, Chinese and English labels) shared by all replicates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/profile.h"
#include "core/world.h"

namespace plansim {

enum class SeriesKind { Indicator, Event, Zone, Facility };
/// How the values of a series kind are stored.
enum class SeriesElement { Float64, Int64, Float32 };
constexpr std::string_view element_name(SeriesElement element) {
  switch (element) {
    case SeriesElement::Float64:
      return "float64";
    case SeriesElement::Int64:
      return "int64";
    case SeriesElement::Float32:
      return "float32";
  }
  return "?";
}

/// Where the series of one kind live and how they are stored: the one table of the results file
/// writer and reader (io/), `inspect --format json` and the MPI serialisation (dist/).
struct SeriesKindInfo {
  SeriesKind kind;
  std::string_view group;  // the results file's group and ReplicateResults' map: "indicators"
  SeriesElement element;   // the stored element type
  std::string_view axes;   // of each dataset, e.g. "replicate, year, zone"
};
inline constexpr SeriesKindInfo kSeriesKinds[] = {
    {SeriesKind::Indicator, "indicators", SeriesElement::Float64, "replicate, year"},
    {SeriesKind::Event, "events", SeriesElement::Int64, "replicate, year"},
    {SeriesKind::Zone, "zones", SeriesElement::Float32, "replicate, year, zone"},
    {SeriesKind::Facility, "facilities", SeriesElement::Float32, "replicate, year, facility"},
};
static_assert(kSeriesKinds[0].kind == SeriesKind::Indicator &&
                  kSeriesKinds[1].kind == SeriesKind::Event &&
                  kSeriesKinds[2].kind == SeriesKind::Zone &&
                  kSeriesKinds[3].kind == SeriesKind::Facility,
              "kSeriesKinds holds every kind, in the enum's order");
/// The row of `kind` in kSeriesKinds.
constexpr const SeriesKindInfo& series_kind_info(SeriesKind kind) {
  return kSeriesKinds[static_cast<std::size_t>(kind)];
}
/// The kind whose group is `group`, or nullptr.
constexpr const SeriesKindInfo* series_kind_of_group(std::string_view group) {
  for (const SeriesKindInfo& info : kSeriesKinds)
    if (info.group == group) return &info;
  return nullptr;
}

/// Metadata of one output series; becomes HDF5 attributes.
struct SeriesInfo {
  SeriesKind kind = SeriesKind::Indicator;
  std::string key;   // dataset name, e.g. "crude_birth_rate"
  std::string unit;  // e.g. "persons", "per 1000", "%"
  std::string label_zh;
  std::string label_en;
  std::string description;  // definition, including any simplification
};

/// Keyed by (kind, key): the same key may name an indicator and a zone panel (e.g.
/// "population"). Filled by processes in configure().
class SeriesCatalog {
 public:
  /// Declares a series; declaring the same (kind, key) twice with different metadata is a
  /// programming error (throws std::logic_error).
  void declare(SeriesInfo info);
  const SeriesInfo* find(std::string_view key, SeriesKind kind) const;
  const std::vector<SeriesInfo>& all() const { return series_; }

 private:
  std::vector<SeriesInfo> series_;  // in declaration order
};

/// One marginal of the synthetic population: target and achieved value (both in persons or
/// households as the name says), for the fit report.
struct FitRow {
  std::string marginal;  // e.g. "age_group/60+", "sex/female", "zone/林山寨"
  double target = 0;
  double achieved = 0;
};

/// Everything recorded for one replicate, year-major.
struct ReplicateResults {
  std::uint32_t replicate = 0;
  std::vector<int> years;
  std::map<std::string, std::vector<double>, std::less<>> indicators;    // [year]
  std::map<std::string, std::vector<std::int64_t>, std::less<>> events;  // [year]
  std::map<std::string, std::vector<float>, std::less<>> zones;          // [year * zone]
  std::map<std::string, double, std::less<>> scalars;  // per-replicate figures (calibration, ...)
  std::vector<FitRow> synthesis_fit;
  std::vector<ZoneLabel> zone_labels;  // the zones of the [year * zone] panels
  /// Per-facility panels [year * facility]; columns are every facility id seen, ascending, labelled
  /// by facility_ids / facility_names. NaN where a facility did not exist (or was not recorded).
  std::map<std::string, std::vector<float>, std::less<>> facilities;
  std::vector<std::uint64_t> facility_ids;
  std::vector<std::string> facility_names;
  /// Wall and CPU time per (process, phase) of this replicate: timings, not results (they go to
  /// /meta, never into the compared datasets).
  std::vector<PhaseTime> profile;

  // Raw cells while the run goes on; turned into `facilities` by finalise_facility_panels().
  struct FacilityCell {
    std::size_t year_row;
    std::uint64_t id;
    float value;
  };
  std::map<std::string, std::vector<FacilityCell>, std::less<>> facility_cells;
  std::map<std::uint64_t, std::string> facility_name_by_id;
};

/// Calls `f(info, map)` for each kind's map of series of `results` (const or not), in the order of
/// kSeriesKinds; the maps have different element types, so `f` is generic.
template <class Results, class F>
void for_each_series_map(Results& results, F&& f) {
  f(kSeriesKinds[0], results.indicators);
  f(kSeriesKinds[1], results.events);
  f(kSeriesKinds[2], results.zones);
  f(kSeriesKinds[3], results.facilities);
}

/// Builds the [year * facility] panels from the cells recorded during the run.
void finalise_facility_panels(ReplicateResults& results);

/// The interface processes record through during one year. Values are already scaled to the
/// whole city (a process multiplies simulated counts by World::person_weight; event() does it).
class Recorder {
 public:
  Recorder(ReplicateResults& results, const SeriesCatalog& catalog, std::size_t zone_count,
           double person_weight);
  /// Starts the row of `year` (called by the scheduler).
  void begin_year(int year);
  void indicator(std::string_view key, double value);
  /// Adds `simulated_count` events (scaled by the person weight and rounded) to this year.
  void event(std::string_view key, std::int64_t simulated_count);
  /// This year's (scaled) count of an event so far; 0 if none recorded.
  std::int64_t event_count(std::string_view key) const;
  void zone(std::string_view key, const std::vector<float>& values_by_zone);
  /// Per-facility values of this year, keyed by facility id (facilities may open or close).
  void facility(std::string_view key, const std::vector<std::uint64_t>& ids,
                const std::vector<std::string>& names, const std::vector<float>& values);
  void scalar(std::string_view key, double value);
  void fit(FitRow row);
  double person_weight() const { return weight_; }
  int year() const { return year_; }

 private:
  void check_declared(std::string_view key, SeriesKind kind) const;
  std::size_t row() const { return results_.years.size() - 1; }
  ReplicateResults& results_;
  const SeriesCatalog& catalog_;
  std::size_t zone_count_;
  double weight_;
  int year_ = 0;
};

}  // namespace plansim

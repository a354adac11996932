// Observed years: published figures of the city after the base year
// (configs/<city>/observed.yaml), and the hindcast that compares every run with them.
//
// An observed series names the simulated series it is compared with (its key: an indicator such
// as population_year_end or crude_birth_rate, or an event count such as births) and the timing
// of its figures: `year_end` (a stock on 31 December of the year, compared with row `year` of a
// series measured after the year's events) or `calendar_year` (a flow or rate of the calendar
// year, compared with row `year` of the events or rates of that year). See docs/hindcast.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "core/params.h"
#include "core/results.h"

namespace plansim {

enum class ObservedTiming : std::uint8_t { YearEnd, CalendarYear };
/// "year_end" or "calendar_year", as in observed.yaml and results files (inline so that io/ can
/// use it without linking this module).
inline constexpr std::string_view timing_name(ObservedTiming timing) {
  return timing == ObservedTiming::YearEnd ? "year_end" : "calendar_year";
}
inline constexpr ObservedTiming kAllTimings[] = {ObservedTiming::YearEnd,
                                                 ObservedTiming::CalendarYear};

struct ObservedValue {
  int year = 0;
  double value = 0;
  SourceLoc loc;  // of the value (empty when read back from a results file)
};

struct ObservedSeries {
  std::string key;  // the simulated series compared with (indicator or event)
  std::string label_zh, label_en, unit;
  ObservedTiming timing = ObservedTiming::YearEnd;
  std::vector<ObservedValue> values;  // ascending years
  /// Rounding of the published figures in the series' unit (96.53 万 persons: 100); 0 = exact.
  double precision = 0;
  std::string status;  // F (found in a source) or D (derived from found figures)
  std::string source;
  std::string note;
  SourceLoc loc;  // of the key; unit_loc for unit mismatches
  SourceLoc unit_loc;
  /// The value of `year`, if observed.
  std::optional<double> at(int year) const;
};

struct ObservedData {
  std::string area;                    // what the figures cover (management scope, ...)
  std::vector<ObservedSeries> series;  // compared with runs
  std::vector<ObservedSeries>
      context;  // other areas (city, country): documentation, never compared
  const ObservedSeries* find(std::string_view key) const;
};

/// Reads configs/<city>/observed.yaml (read through find(), so unknown keys are reported with
/// the other city files). Every problem is recorded at its location.
ObservedData read_observed(const ParamNode& file, Diagnostics& diags);

/// After the processes declared their series: an observed series whose simulated series exists
/// with another unit is an error at the observed unit (a series not simulated in this run is not).
void check_observed_units(const ObservedData& observed, const SeriesCatalog& catalog,
                          Diagnostics& diags);

/// One row of the hindcast: an observed figure against the ensemble of a run.
struct HindcastRow {
  std::string key;  // the series compared
  std::string label_zh, label_en, unit;
  ObservedTiming timing = ObservedTiming::YearEnd;
  int year = 0;
  double observed = 0;
  double precision = 0;
  double mean = 0, p05 = 0, p95 = 0;  // over replicates (type-7 quantiles); NaN when not simulated
  double error = 0;                   // mean − observed
  double relative_error = 0;          // error / |observed| (NaN when observed is 0)
  /// The 90% interval [p05, p95] overlaps the published figure's rounding interval
  /// [observed − precision / 2, observed + precision / 2].
  bool within_interval = false;
  std::uint32_t replicates = 0;
  std::string note;  // why a row has no simulated value ("not simulated in this run", ...)
  bool simulated() const { return replicates > 0; }
};

struct Hindcast {
  std::string area;
  std::uint32_t replicates = 0;
  std::vector<HindcastRow> rows;  // observed series in file order, years ascending
};

/// Compares every observed value with the run: row `year` of the indicator or event `key`.
Hindcast compute_hindcast(const ObservedData& observed,
                          const std::vector<ReplicateResults>& replicates,
                          const SeriesCatalog& catalog);

/// A value of a row for tables: counts (persons, households) as whole numbers, others as in
/// the scorecard (format_value); `signed_` for errors.
std::string format_hindcast_value(const HindcastRow& row, double value, bool signed_ = false);
/// "mean [p05, p95]", or the mean alone with one replicate or no spread.
std::string format_hindcast_simulated(const HindcastRow& row);

/// The printout after the scorecard: "Against observed years 与观测年份对照", one line per row.
/// `max_width`: the terminal's columns (0 = no limit), as format_scorecard.
std::string format_hindcast(const Hindcast& hindcast, std::size_t max_width = 0);

}  // namespace plansim

// The hindcast part of a results file: the observed figures and how the run compares with them.
//
//   /observed               group; attr area
//   /observed/<key>         float64 [year] on /years: the observed figure of each year, NaN
//                           where none; attrs unit, label_zh, label_en, timing ("year_end" |
//                           "calendar_year"), precision, status, source, note, observed_years
//                           (int32 array: every year with a figure, also outside the run)
//   /hindcast               compound [row]: key, label_zh, label_en, unit, timing, year,
//                           observed, precision, mean, p05, p95, error, relative_error,
//                           within_interval (uint8), replicates, note; attr replicates
//
// Layout and reading examples: docs/hdf5-layout.md.
#pragma once

#include <string>
#include <vector>

#include "indicators/observed.h"

namespace plansim {

/// The hindcast part of a results file, written by write_results when RunOutput::hindcast
/// points to it; /observed is laid out on the file's /years.
struct HindcastOutput {
  const ObservedData& observed;
  const Hindcast& hindcast;
};

/// What a results file holds of the above; `has_hindcast` is false without a /hindcast table.
struct StoredHindcast {
  bool has_hindcast = false;
  Hindcast hindcast;
};
/// Reads /hindcast (and the area from /observed). Throws IoError naming the file.
StoredHindcast read_hindcast(const std::string& path);

}  // namespace plansim

// The short summary printed at the end of `plansim run`.
#pragma once

#include <cstddef>
#include <string>

#include "core/results.h"
#include "io/hdf5_writer.h"

namespace plansim {

/// Table of the main indicators at the base year, 2025 (when inside the run) and the end year:
/// mean over replicates, with the 5th-95th percentile range when there are several. `max_width`
/// is the terminal's width (0 = no limit); below 120 columns the compact layout shows the means
/// only and cuts the English labels and units to fit.
std::string format_summary(const RunOutput& output, const SeriesCatalog& catalog,
                           std::size_t max_width = 0);

}  // namespace plansim

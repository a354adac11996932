// The short summary printed at the end of `plansim run`.
#pragma once

#include <string>

#include "core/results.h"
#include "io/hdf5_writer.h"

namespace plansim {

/// Table of the main indicators at the base year, 2025 (when inside the run) and the end year:
/// mean over replicates, with the 5th-95th percentile range when there are several.
std::string format_summary(const RunOutput& output, const SeriesCatalog& catalog);

/// Terminal columns taken by UTF-8 text (CJK characters take two).
std::size_t display_width(const std::string& text);

}  // namespace plansim

// Internal to io/: the parts of a results file that write_results adds when its RunOutput holds
// them, written into the file being built (the plan: hdf5_scorecard.cpp; the hindcast:
// hdf5_observed.cpp).
#pragma once

#include <hdf5.h>

#include <vector>

#include "core/results.h"
#include "io/hdf5_observed.h"
#include "io/hdf5_scorecard.h"

namespace plansim::detail {

/// /targets, /scorecard and /summary; `years` is the file's /years. IoError when the summary does
/// not match them.
void write_plan_groups(hid_t file, const PlanOutput& plan, const SeriesCatalog& catalog,
                       const std::vector<int>& years);
/// /observed (on `years`, the file's /years) and /hindcast.
void write_hindcast_groups(hid_t file, const HindcastOutput& hindcast,
                           const std::vector<int>& years);

}  // namespace plansim::detail

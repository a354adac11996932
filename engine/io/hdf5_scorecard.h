// The plan part of a results file: /targets, /scorecard and /summary (docs/scorecard.md).
//
//   /targets                 group; attrs plan_zh, plan_en, plan_source, met_at_least,
//                            missed_at_most, order (target keys in the targets file's order)
//   /targets/<key>           float64 scalar = the target value; attrs indicator, measure,
//                            comparison, value, first_year, year, unit, label_zh, label_en,
//                            attribute, level, source, assumption
//   /scorecard               compound [target]: target_key, indicator, label_zh, label_en, unit,
//                            measure, comparison, target, first_year, year, mean, p05, p95,
//                            probability_met, replicates, status, origin, note
//   /summary/<key>           float64 [stat, year], stats mean, p05, p95 (type-7 quantiles);
//                            attrs statistics, quantiles, replicates, unit, label_zh, label_en,
//                            description, origin ("simulated" or "exogenous")
#pragma once

#include <string>

#include "core/results.h"
#include "indicators/ensemble.h"
#include "indicators/scorecard.h"
#include "indicators/targets.h"

namespace plansim {

/// The plan part of a results file, written by write_results when RunOutput::plan points to it.
/// The summary must cover the run's years and hold each summarised series' key in the catalog.
struct PlanOutput {
  const Targets& targets;
  const Scorecard& scorecard;
  const EnsembleSummary& summary;
};

/// What a results file holds of the above; each part is empty when its group is absent.
struct StoredScorecard {
  bool has_targets = false, has_scorecard = false, has_summary = false;
  Targets targets;          // without source locations
  Scorecard scorecard;      // rows carry their full target (from /targets)
  EnsembleSummary summary;  // years from /years
  std::map<std::string, std::string> summary_origin;  // key -> "simulated" | "exogenous"
};
/// Reads /targets, /scorecard and /summary. Throws IoError naming the file.
StoredScorecard read_scorecard(const std::string& path);

/// Who wrote a results file, read without the schema checks of ResultsFile so that
/// `plansim compare` can refuse mismatched files with its own message.
struct ResultsIdentity {
  int schema_version = 0;
  std::string city_name, scenario_name;
};
/// Throws IoError when the file is missing, not HDF5 or has no /meta schema_version.
ResultsIdentity read_results_identity(const std::string& path);

}  // namespace plansim

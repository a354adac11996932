// The assumptions a run used: every value marked `# A:` in a scenario or city YAML file that some
// process read, with its rationale and location. Stored in /assumptions of the results file and
// shown by `plansim report`.
//
// A comment `# A: …` belongs to the key on its own line (`key: value  # A: …`) or, when it stands
// on lines of its own (continued by further comment lines that do not start another `X:` tag),
// to the next key below it; for a key holding a list, a block or a `{csv: …}` table it covers the
// whole value. "assumption —" after `A:` is dropped from the rationale.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/params.h"
#include "io/hdf5_writer.h"
#include "io/scenario_loader.h"

namespace plansim {

/// Line (1-based) of each key an `# A:` comment belongs to, and the comment's text (the
/// rationale), in one YAML file's text.
std::map<int, std::string> assumption_comments(std::string_view yaml_text);

/// Every value of the loaded scenario and its city files that carries an `# A:` comment and was
/// read (ParamNode::was_read); call after the run. Parameters are dotted paths, city files'
/// prefixed by their stem ("demography.migration.in_migrants_per_1000"). In file order.
std::vector<AssumptionRecord> used_assumptions(const LoadedScenario& loaded);

}  // namespace plansim

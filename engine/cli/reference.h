// `plansim reference`: the reference page of every city file and scenario key and the JSON
// Schemas for editors, generated from what the readers ask (core/param_record.h): each scenario
// given is prepared as `plansim check` prepares it, with a recorder active, and every key any
// reader looked up — its type, range, default, whether it may be a trajectory or a distribution,
// which reader asks — becomes a row of the page and a property of the schema. `--check` compares
// with the files written before (the ctest Reference.UpToDate) instead of writing.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace plansim {

struct ReferenceOptions {
  std::vector<std::string> scenarios;  // described together (their keys are merged)
  std::string markdown;                // the page to write ("" = none)
  std::string schema_dir;              // the folder of the JSON Schemas ("" = none)
  bool check = false;  // compare with the files instead of writing them; 1 when they differ
};

int reference_command(const ReferenceOptions& options);

}  // namespace plansim

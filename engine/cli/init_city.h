// plansim init-city: writes a new city's skeleton (a scenario and its city folder) that passes
// `plansim check` as written. Templates: "minimal" (synthesis, demography, indicators on two
// example zones) and "full" (every process, on Zhongyuan District's files as the worked example).
#pragma once

#include <string>
#include <vector>

namespace plansim {

struct InitCityOptions {
  std::string dir;  // created; must not exist or be empty
  std::string template_name = "minimal";
  bool quiet = false;
};

/// The templates init-city knows, in the order --help lists them.
const std::vector<std::string>& city_template_names();

/// Writes DIR/baseline.yaml, DIR/README.md and DIR/city/... Returns 0, or 2 (with
/// "error: ..." on stderr and nothing written) when DIR exists and is not empty or the template
/// is unknown, 1 when writing fails (what was written is removed).
int init_city_command(const InitCityOptions& options);

}  // namespace plansim

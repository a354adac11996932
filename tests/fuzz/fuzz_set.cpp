// libFuzzer target: `--set key=value` overrides applied to a small scenario tree. Each line of
// the input is one override, in order.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "core/diagnostics.h"
#include "io/scenario_loader.h"
#include "io/yaml_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const char* kScenario =
      "scenario: {name: fuzz}\n"
      "run: {start: 2020, end: 2035, replicates: 1, seed: 7, scale: 0.1}\n"
      "processes: [synthesis, demography]\n"
      "demography: {fertility: {tfr: {2020: 1.2, 2030: 1.4}}}\n"
      "interventions:\n"
      "  - {year: 2024, kind: school, zone: a}\n";
  plansim::Diagnostics diags;
  plansim::ParamNode root = plansim::parse_yaml(kScenario, "fuzz.yaml", diags);
  std::istringstream lines(std::string(reinterpret_cast<const char*>(data), size));
  std::string line;
  int index = 1;
  while (std::getline(lines, line) && index <= 64)
    plansim::apply_set_override(root, line, index++, diags);
  (void)diags.format();
  (void)root.to_yaml();
  return 0;
}

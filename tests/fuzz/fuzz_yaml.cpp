// libFuzzer target: the YAML loader (yaml-cpp, then plansim's conversion with locations, limits
// and text checks). Any input must end in a tree or in diagnostics: no crash, hang or blow-up.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/diagnostics.h"
#include "io/yaml_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  plansim::Diagnostics diags;
  const plansim::ParamNode tree = plansim::parse_yaml(text, "fuzz.yaml", diags);
  (void)diags.format();
  if (diags.empty()) (void)tree.to_yaml();
  return 0;
}

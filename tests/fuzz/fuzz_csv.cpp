// libFuzzer target: the CSV table reader (quotes, comments, header checks, cell limit).
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/diagnostics.h"
#include "io/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  plansim::Diagnostics diags;
  const plansim::ParamNode table = plansim::parse_csv_table(text, "fuzz.csv", "table", diags);
  (void)diags.format();
  (void)table.to_yaml();
  return 0;
}

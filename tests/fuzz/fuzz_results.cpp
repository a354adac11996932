// libFuzzer target: the results reader (HDF5) on arbitrary bytes: opening, describing and reading
// every series must end in an IoError or in data, never in a crash or an unbounded allocation.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>

#include "io/hdf5_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/plansim-fuzz-results-" + std::to_string(::getpid()) + ".h5";
  if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
  try {
    const plansim::ResultsFile file(path);
    (void)file.describe(100);
    for (const std::string& key : file.keys("indicators")) (void)file.indicator(key);
    for (const std::string& key : file.keys("zones")) {
      std::size_t r = 0, y = 0, z = 0;
      (void)file.zones(key, r, y, z);
    }
  } catch (const std::exception&) {
    // Refused with a message: what a damaged file must give.
  }
  std::remove(path.c_str());
  return 0;
}

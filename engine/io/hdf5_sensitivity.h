// The results file of `plansim sensitivity` (HDF5): the design, every run's outputs and the
// indices, readable with h5py and xarray (dimension scales) without plansim. Layout:
// docs/uncertainty.md (Sensitivity).
//
//   /meta                     attrs: kind ("plansim sensitivity"), schema_version, method, seed,
//                             provenance (engine, command line, SA file, scenario YAML, ...)
//   /parameter                string [parameter]: the factors varied (a key, or a shared draw's
//                             name); attrs of the dataset: none. Dimension scale.
//   /output                   string [output]: a target's key or "<indicator>.<year>". Scale.
//   /row                      uint32 [row]: the design's rows. Scale.
//   /parameter_keys, /distribution          string [parameter]
//   /output_label_zh, /output_label_en, /output_unit, /output_goal   string [output]
//   /design                   float64 [row, parameter]: the point on the unit cube
//   /values                   float64 [row, parameter]: the value each row used
//   /outputs                  float64 [row, output]: each row's output (mean over its streams)
//   /output_mean, /output_sd  float64 [output]
//   /output_met_share         float64 [output]: share of the independent rows meeting a target
//   sobol:  /first_order, /first_order_low, /first_order_high, /total, /total_low, /total_high
//           float64 [output, parameter]
//   morris: /mu_star, /mu, /sigma float64 [output, parameter]
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace plansim {

struct SensitivityData {
  // provenance (/meta)
  std::string engine_version, git_sha, command_line, sa_file, sa_yaml, scenario_name, scenario_yaml,
      city;
  std::string method;  // "sobol" or "morris"
  std::string design_description;
  std::uint64_t seed = 0;
  std::uint32_t base = 0, bootstrap = 0, trajectories = 0, levels = 0, replicates = 1;
  int threads = 0, ranks = 1;
  double wall_time_seconds = 0;
  std::string notes;
  // axes
  std::vector<std::string> parameters, parameter_keys, distributions;
  std::vector<std::string> outputs, output_label_zh, output_label_en, output_unit, output_goal;
  std::size_t rows = 0;
  // [row * parameters + p], [row * outputs + o]
  std::vector<double> design, values, results;
  std::vector<double> output_mean, output_sd;
  std::vector<double> output_met_share;  // of a target over the independent rows; NaN otherwise
  // [output * parameters + p]
  std::vector<double> first, first_low, first_high, total, total_low, total_high;
  std::vector<double> mu_star, mu, sigma;
};

/// Writes the file (temporary name, then renamed). Throws IoError naming the file.
void write_sensitivity(const std::string& path, const SensitivityData& data);

}  // namespace plansim

// Reads a results file written by write_results() (docs/hdf5-layout.md), for `plansim inspect`,
// `plansim compare` and tests. Every failure throws IoError naming the file and the object.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/results.h"
#include "core/world.h"
#include "io/hdf5_writer.h"

namespace plansim {

class ResultsFile {
 public:
  /// Opens `path` read-only. Throws IoError when the file is missing, is not HDF5, is not a
  /// plansim results file (no /meta schema_version) or has a newer schema than this reader.
  explicit ResultsFile(const std::string& path);
  ~ResultsFile();
  ResultsFile(ResultsFile&&) noexcept;
  ResultsFile& operator=(ResultsFile&&) noexcept;

  const std::string& path() const;

  /// Reads every numeric dataset of the file once, so that damage (a Fletcher32 checksum that
  /// fails, a broken chunk) is refused before anything is shown rather than in a dataset nobody
  /// looked at. Throws IoError naming each damaged dataset. (`inspect`, `compare`, `report`.)
  void verify() const;

  /// Scalar string attributes of /meta (files_read, an array, is in meta_list()).
  std::map<std::string, std::string> meta_strings() const;
  /// Numeric attributes of /meta as double (seed is exact only below 2^53).
  std::map<std::string, double> meta_numbers() const;
  /// A string-array attribute of /meta, e.g. "files_read"; empty when absent.
  std::vector<std::string> meta_list(const std::string& name) const;

  std::vector<int> years() const;
  /// The replicate number of each row of the [replicate, ...] datasets.
  std::vector<unsigned> replicate_numbers() const;
  /// Dataset names in a group ("indicators", "events", "zones", "facilities", "scalars",
  /// "synthesis"), sorted; for "zones" and "facilities" only the series, not the label datasets
  /// (zone_key, zone_name_zh, zone_name_en, facility_id, facility_name). Empty when the group is
  /// absent.
  std::vector<std::string> keys(const std::string& group) const;

  /// Row-major [rows, cols] values.
  struct Matrix {
    std::size_t rows = 0, cols = 0;
    std::vector<double> values;
    /// Throws std::out_of_range outside the matrix.
    double at(std::size_t r, std::size_t c) const;
  };
  Matrix indicator(const std::string& key) const;  // [replicate, year]
  Matrix events(const std::string& key) const;     // [replicate, year], counts as double
  /// [replicate, year, zone] row-major; the three extents are returned through the arguments.
  std::vector<float> zones(const std::string& key, std::size_t& replicates, std::size_t& years,
                           std::size_t& zones) const;
  /// [replicate, year, facility] row-major, NaN where a facility did not exist.
  std::vector<float> facilities(const std::string& key, std::size_t& replicates, std::size_t& years,
                                std::size_t& facilities) const;
  std::vector<double> scalar(const std::string& key) const;  // [replicate]
  /// An uncertain parameter's values, /parameters/<key> [replicate] (docs/uncertainty.md); its
  /// distribution is in string_attributes("/parameters/<key>").
  std::vector<double> parameter(const std::string& key) const;

  /// Target and achieved marginals of the synthetic population, [replicate, marginal].
  struct SynthesisFit {
    std::vector<std::string> marginals;
    Matrix target, achieved, relative_error;
  };
  SynthesisFit synthesis() const;

  /// Unit and labels from the dataset's attributes; group is "indicators", "events", "zones" or
  /// "facilities".
  SeriesInfo series_info(const std::string& group, const std::string& key) const;
  std::vector<std::string> zone_keys() const;
  std::vector<ZoneLabel> zone_labels() const;
  /// The facility columns: stable ids and names (empty when the run recorded no facility).
  std::vector<std::uint64_t> facility_ids() const;
  std::vector<std::string> facility_names() const;

  // ---- generic access (any dataset by its path, e.g. "/zones/zone_name_zh") ----
  std::vector<std::size_t> shape(const std::string& dataset_path) const;
  std::vector<std::string> strings(const std::string& dataset_path) const;
  /// String attributes of a dataset or group, by name.
  std::map<std::string, std::string> string_attributes(const std::string& object_path) const;
  /// Raw bytes of a dataset's data in its stored type (for byte-identity tests across thread
  /// counts); string datasets give each string followed by a NUL byte.
  std::vector<unsigned char> raw(const std::string& dataset_path) const;

  /// Human summary for `plansim inspect`: meta, years, replicates, each group with its datasets,
  /// shapes, units and English/Chinese labels, and the base-year and final-year mean (over
  /// replicates) of each indicator and event. Columns are aligned by display width; with
  /// `max_width` > 0 the label columns are cut so that every table fits in it.
  std::string describe(std::size_t max_width = 0) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace plansim

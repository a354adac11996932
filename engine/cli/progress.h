// A progress line on stderr when it is a terminal (one line rewritten in place, fitted to the
// terminal's width); plain log lines otherwise; nothing with --quiet.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace plansim {

class Progress {
 public:
  enum class Mode { Bar, Lines, Silent };
  /// `total_years` = years per replicate; Bar when stderr is a terminal, else Lines.
  Progress(std::uint32_t replicates, int total_years, bool quiet);
  /// After each simulated year: replicate index, year, current simulated persons.
  void update(std::uint32_t replicate, int year, std::size_t persons);
  /// Clears the bar line.
  void finish();
  Mode mode() const { return mode_; }
  /// The progress line for a terminal `columns` wide (0 = unknown: 80): never wider than
  /// columns - 1, so that it cannot wrap; the less important parts (ETA, persons, speed, the bar)
  /// are left out when they do not fit.
  std::string bar_line(std::uint32_t replicate, int year, std::size_t persons,
                       std::size_t columns) const;

 private:
  Mode mode_;
  std::uint32_t replicates_;
  int total_years_;
  std::uint64_t done_ = 0;
  double person_years_ = 0;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace plansim

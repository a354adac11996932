// Where the time goes: wall and CPU time per process and phase of a run (`plansim run --profile`,
// and the `profile` attribute of /meta in every results file).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace plansim {

/// CPU time of this OS process so far (every thread), seconds.
double process_cpu_seconds();

/// Time spent in one (process, phase), summed over its calls.
struct PhaseTime {
  std::string process;  // a process name, or "run" for the phases of the command
  std::string phase;    // initialize, begin_year, step, end_year; load, simulate, write, ...
  double wall_seconds = 0;
  double cpu_seconds = 0;  // CPU time of every thread while the phase ran
  std::uint64_t calls = 0;
};

/// A list of phase times; adding to an existing (process, phase) sums.
class Profile {
 public:
  void add(std::string_view process, std::string_view phase, double wall_seconds,
           double cpu_seconds, std::uint64_t calls = 1);
  void merge(const std::vector<PhaseTime>& rows);
  const std::vector<PhaseTime>& rows() const { return rows_; }
  std::vector<PhaseTime>& rows() { return rows_; }
  /// "process,phase,calls,wall_s,cpu_s" lines (RFC 4180, LF endings), as stored in /meta.
  std::string csv() const;
  /// A table for the terminal: every row with its share of the total wall time and the CPU / wall
  /// ratio (≈ the threads kept busy).
  std::string table(double total_wall_seconds, std::size_t width) const;

 private:
  std::vector<PhaseTime> rows_;
};

/// Measures one interval: start at construction, stop() adds it to a PhaseTime.
class PhaseTimer {
 public:
  PhaseTimer() : wall_(std::chrono::steady_clock::now()), cpu_(process_cpu_seconds()) {}
  void stop(PhaseTime& into) {
    into.wall_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_).count();
    into.cpu_seconds += process_cpu_seconds() - cpu_;
    ++into.calls;
  }
  /// stop(), then measures the next interval from now.
  void lap(PhaseTime& into) {
    stop(into);
    wall_ = std::chrono::steady_clock::now();
    cpu_ = process_cpu_seconds();
  }

 private:
  std::chrono::steady_clock::time_point wall_;
  double cpu_;
};

/// Times consecutive parts of a phase: lap(rows, "mortality", timer) adds the interval since the
/// timer started or last lapped to the row named "mortality" of `rows` (added on first use) and
/// restarts the timer. Does nothing when `rows` is null (the part is not being profiled).
void lap(std::vector<PhaseTime>* rows, std::string_view name, PhaseTimer& timer);

}  // namespace plansim

#include "cli/progress.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "core/text.h"

namespace plansim {
namespace {

std::string fixed(double value, int decimals) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "–";
  const long s = std::lround(seconds);
  if (s < 60) return std::to_string(s) + " s";
  if (s < 3600) return std::to_string(s / 60) + " min " + std::to_string(s % 60) + " s";
  return std::to_string(s / 3600) + " h " + std::to_string(s / 60 % 60) + " min";
}

}  // namespace

Progress::Progress(std::uint32_t replicates, int total_years, bool quiet)
    : mode_(quiet ? Mode::Silent : (isatty(fileno(stderr)) ? Mode::Bar : Mode::Lines)),
      replicates_(replicates),
      total_years_(total_years),
      start_(std::chrono::steady_clock::now()) {}

std::string Progress::bar_line(std::uint32_t replicate, int year, std::size_t persons,
                               std::size_t columns) const {
  const double total = static_cast<double>(replicates_) * total_years_;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double fraction = total > 0 ? static_cast<double>(done_) / total : 1.0;
  const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : NAN;
  const double rate = elapsed > 0 ? person_years_ / elapsed : 0;
  // Parts in order of importance; those that do not fit are left out, so that the line never
  // wraps (one line, rewritten in place).
  const std::string essential = "replicate " + std::to_string(replicate + 1) + "/" +
                                std::to_string(replicates_) + "  year " + std::to_string(year) +
                                "  " + fixed(100 * fraction, 0) + "%";
  const std::string eta_text = "  ETA " + duration(eta);
  const std::string persons_text =
      "  " + format_count(static_cast<long long>(persons)) + " persons";
  const std::string rate_text = "  " + fixed(rate / 1e6, 2) + " M person-years/s";
  const std::size_t limit = columns > 1 ? columns - 1 : 79;  // the last column would wrap
  std::string line = "  " + essential;
  std::size_t used = display_width(line);
  for (const std::string* part : {&eta_text, &persons_text, &rate_text})
    if (used + display_width(*part) <= limit) {
      line += *part;
      used += display_width(*part);
    }
  // A bar in the room left, up to 30 cells.
  if (used + 2 + 10 <= limit) {
    const std::size_t cells = std::min<std::size_t>(30, limit - used - 2);
    const std::size_t filled = static_cast<std::size_t>(fraction * static_cast<double>(cells));
    std::string bar = "  ";
    for (std::size_t i = 0; i < cells; ++i) bar += i < filled ? "█" : "░";
    const std::size_t at = line.find('%') + 1;  // after the percentage
    line.insert(at, bar);
  }
  return truncate_to_width(line, limit);
}

void Progress::update(std::uint32_t replicate, int year, std::size_t persons) {
  ++done_;
  person_years_ += static_cast<double>(persons);
  if (mode_ == Mode::Silent) return;
  if (mode_ == Mode::Lines) {
    // One line per finished replicate keeps logs short.
    if (static_cast<int>(done_ % static_cast<std::uint64_t>(total_years_)) == 0) {
      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      spdlog::info("replicate {}/{} done (year {}, {} simulated persons, {} M person-years/s)",
                   replicate + 1, replicates_, year, format_count(static_cast<long long>(persons)),
                   fixed(elapsed > 0 ? person_years_ / elapsed / 1e6 : 0, 2));
    }
    return;
  }
  const std::string line = bar_line(replicate, year, persons, terminal_columns(fileno(stderr)));
  // Carriage return, the line, erase to the end of the line: the same line is rewritten.
  std::fprintf(stderr, "\r%s\033[K", line.c_str());
  std::fflush(stderr);
}

void Progress::finish() {
  if (mode_ == Mode::Bar) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
}

}  // namespace plansim

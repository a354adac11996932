#include "cli/progress.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace plansim {

Progress::Progress(std::uint32_t replicates, int total_years, bool quiet)
    : mode_(quiet ? Mode::Silent : (isatty(fileno(stderr)) ? Mode::Bar : Mode::Lines)),
      replicates_(replicates), total_years_(total_years), start_(std::chrono::steady_clock::now()) {}

void Progress::update(std::uint32_t replicate, int year, std::size_t persons) {
  ++done_;
  person_years_ += static_cast<double>(persons);
  if (mode_ == Mode::Silent) return;
  const double total = static_cast<double>(replicates_) * total_years_;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double fraction = done_ / total;
  const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
  const double rate = elapsed > 0 ? person_years_ / elapsed : 0;
  if (mode_ == Mode::Lines) {
    // One line per finished replicate keeps logs short.
    if (static_cast<int>(done_ % static_cast<std::uint64_t>(total_years_)) == 0)
      spdlog::info("replicate {}/{} done (year {}, {} simulated persons, {:.2f} M person-years/s)",
                   replicate + 1, replicates_, year, persons, rate / 1e6);
    return;
  }
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar;
  for (int i = 0; i < kWidth; ++i) bar += i < filled ? "█" : "░";
  std::fprintf(stderr, "\r  replicate %u/%u  year %d  %s %3.0f%%  %zu persons  %.2f M p-yr/s  ETA %.0f s ",
               replicate + 1, replicates_, year, bar.c_str(), 100 * fraction, persons, rate / 1e6,
               eta);
  std::fflush(stderr);
}

void Progress::finish() {
  if (mode_ == Mode::Bar) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
}

}  // namespace plansim

#include "core/profile.h"

#include <time.h>

#include <cstdio>

#include "core/text.h"

namespace plansim {

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

void Profile::add(std::string_view process, std::string_view phase, double wall_seconds,
                  double cpu_seconds, std::uint64_t calls) {
  for (PhaseTime& row : rows_)
    if (row.process == process && row.phase == phase) {
      row.wall_seconds += wall_seconds;
      row.cpu_seconds += cpu_seconds;
      row.calls += calls;
      return;
    }
  rows_.push_back({std::string(process), std::string(phase), wall_seconds, cpu_seconds, calls});
}

void Profile::merge(const std::vector<PhaseTime>& rows) {
  for (const PhaseTime& r : rows) add(r.process, r.phase, r.wall_seconds, r.cpu_seconds, r.calls);
}

void lap(std::vector<PhaseTime>* rows, std::string_view name, PhaseTimer& timer) {
  if (!rows) return;
  for (PhaseTime& row : *rows)
    if (row.phase == name) return timer.lap(row);
  rows->push_back({"", std::string(name)});
  timer.lap(rows->back());
}

namespace {
std::string fixed(double value, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}
}  // namespace

std::string Profile::csv() const {
  using A = TextTable::Align;
  TextTable t({"process", "phase", "calls", "wall_s", "cpu_s"},
              {A::Left, A::Left, A::Right, A::Right, A::Right});
  for (const PhaseTime& r : rows_)
    t.add({r.process, r.phase, std::to_string(r.calls), fixed(r.wall_seconds, 6),
           fixed(r.cpu_seconds, 6)});
  return t.csv();
}

std::string Profile::table(double total_wall_seconds, std::size_t width) const {
  using A = TextTable::Align;
  TextTable t({"process 过程", "phase 阶段", "calls", "wall s", "wall %", "CPU s", "CPU/wall"},
              {A::Left, A::Left, A::Right, A::Right, A::Right, A::Right, A::Right});
  for (const PhaseTime& r : rows_) {
    const double share = total_wall_seconds > 0 ? 100.0 * r.wall_seconds / total_wall_seconds : 0;
    t.add({r.process, r.phase, std::to_string(r.calls), fixed(r.wall_seconds, 3), fixed(share, 1),
           fixed(r.cpu_seconds, 3),
           r.wall_seconds > 0 ? fixed(r.cpu_seconds / r.wall_seconds, 2) : std::string("-")});
  }
  return t.terminal("  ", width);
}

}  // namespace plansim

#include "core/diagnostics.h"

#include <algorithm>
#include <tuple>

#include "core/text.h"

namespace plansim {

std::string SourceLoc::str() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

void Diagnostics::error(const SourceLoc& loc, std::string message) {
  // The same error found twice (e.g. a configuration read once per simulated year) is one error.
  std::string key = loc.str() + '\x1f' + message;
  if (!seen_.insert(std::move(key)).second) return;
  errors_.push_back({loc, std::move(message)});
}

std::string Diagnostics::format() const {
  std::vector<Diagnostic> sorted = errors_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.loc.file, a.loc.line, a.loc.column) <
           std::tie(b.loc.file, b.loc.line, b.loc.column);
  });
  std::string out;
  for (const auto& d : sorted) {
    // Messages quote the user's text: escape what a terminal would interpret.
    if (!d.loc.file.empty()) out += printable(d.loc.str()) + ": ";
    out += "error: " + printable(d.message) + "\n";
  }
  return out;
}

void Diagnostics::throw_if_any() const {
  if (!errors_.empty()) throw InputError(*this);
}

InputError::InputError(Diagnostics diagnostics)
    : std::runtime_error(diagnostics.format()), diagnostics_(std::move(diagnostics)) {}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = SIZE_MAX;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  // A typo changes at most about a third of the word.
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  return best_distance <= limit ? best : std::string();
}

}  // namespace plansim

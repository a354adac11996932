// Source locations and error collection for every user input (YAML, CSV, --set).
// Errors are collected, never thrown one at a time, so a user sees all of them at once.
#pragma once

#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

namespace plansim {

/// Where a value came from: file, 1-based line and column. An empty file means "no location".
struct SourceLoc {
  std::string file;
  int line = 0;
  int column = 0;
  /// "file:line:col" (or just "file" when line is 0).
  std::string str() const;
};

struct Diagnostic {
  SourceLoc loc;
  std::string message;
};

/// Collects errors; formats them as `file:line:col: error: message`, one per line. An error
/// identical to one already recorded (same location and message) is kept once.
class Diagnostics {
 public:
  void error(const SourceLoc& loc, std::string message);
  bool empty() const { return errors_.empty(); }
  std::size_t size() const { return errors_.size(); }
  const std::vector<Diagnostic>& errors() const { return errors_; }
  /// All errors sorted by file, line and column, one per line with a trailing newline.
  std::string format() const;
  /// Throws InputError carrying every error if any was recorded.
  void throw_if_any() const;

 private:
  std::vector<Diagnostic> errors_;
  std::unordered_set<std::string> seen_;
};

/// Bad user input (scenario, config, data file, command line). Exit status 2.
class InputError : public std::runtime_error {
 public:
  explicit InputError(Diagnostics diagnostics);
  const Diagnostics& diagnostics() const { return diagnostics_; }

 private:
  Diagnostics diagnostics_;
};

/// Edit distance, for "did you mean" hints.
std::size_t edit_distance(const std::string& a, const std::string& b);
/// The candidate nearest to `word` if it is close enough to be a plausible typo, else "".
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace plansim

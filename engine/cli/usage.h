// Command-line errors, all at once. CLI11 stops at the first unknown option, missing value or
// value it cannot convert; plansim instead collects every such error and reports it with the
// errors of the scenario and its files (docs/errors.md, Command line). A subcommand made
// tolerant takes unknown arguments as extras and an option without its value as empty; the
// checks below then turn what CLI11 would have refused into diagnostics at `<command line>`.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.h"

namespace plansim {

/// Extras allowed and every option's value optional, so that parsing never stops at a usage
/// error (call after the subcommand's options are added).
void tolerate_usage_errors(CLI::App& command);

/// Collects the command-line errors of one subcommand, as `<command line>: error: …`.
class UsageErrors {
 public:
  explicit UsageErrors(const CLI::App& command) : command_(command) {}

  /// An error at `<command line>`; with `column` > 0 at `<command line>:1:column`, a word of the
  /// command line itself (its column in `plansim ARG ARG ...`, in characters).
  void error(std::string message, int column = 0);
  /// Unknown options (with a hint) and unexpected arguments left over by CLI11.
  void check_extras();
  /// The argument `name` was given (`what` says what it is, `synopsis` how to give it).
  void require(const std::string& name, const std::string& what, const std::string& synopsis);
  /// The option `name` was given with a value (a lone `--seed` has none).
  bool has_value(const std::string& name);
  /// `value` of option `name` is one of `allowed`.
  void check_member(const std::string& name, const std::string& value,
                    const std::vector<std::string>& allowed);
  /// A whole number in [low, high] from option `name`'s text; nullopt (and an error) otherwise.
  std::optional<long long> whole_number(const std::string& name, const std::string& text,
                                        long long low, long long high, const std::string& what);

  const std::vector<Diagnostic>& errors() const { return errors_; }
  bool empty() const { return errors_.empty(); }

 private:
  const CLI::App& command_;
  std::vector<Diagnostic> errors_;
};

/// Prints `errors` in the form of every input error and returns exit status 2.
int report_usage_errors(const std::vector<Diagnostic>& errors);

}  // namespace plansim

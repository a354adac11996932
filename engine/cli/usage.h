// Command-line errors, all at once and all located. CLI11 stops at the first unknown option,
// missing value or value it cannot convert; plansim instead collects every such error and reports
// it with the errors of the scenario and its files (docs/errors.md, Command line). A subcommand
// made tolerant takes unknown arguments as extras, an option without its value as empty and an
// option given twice as its last value; the checks below then turn what CLI11 would have refused
// into diagnostics at `<command line>:1:COL`.
//
// The command line is one line of text, `plansim ARG ARG ...` (the word plansim, then argv[1..]
// joined by single spaces), and COL is the 1-based character column (io_text::utf8_length) of
// the offending text in it: the value of an option, the option itself when its value is missing,
// the unknown option or unexpected argument, the second occurrence of an option given twice, or
// one past the end of the line when a word is missing (no command, no file).
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.h"

namespace plansim {

/// Extras allowed, every option's value optional and a single-valued option given twice taking
/// its last value, so that parsing never stops at a usage error (call after the subcommand's
/// options are added).
void tolerate_usage_errors(CLI::App& command);

/// The command line as one line of text and, once scanned for a subcommand, where each of its
/// options, values and arguments stands: argv is read once, as CLI11 reads it (`--opt value`,
/// `--opt=value`, `-o value`, `-ovalue`, grouped short flags, `--` ending the options).
class CommandLine {
 public:
  /// argv[0] is written as `plansim`, whatever the program was called.
  CommandLine(int argc, const char* const* argv);
  /// The words after `plansim` (argv[1..]).
  explicit CommandLine(std::vector<std::string> words);

  const std::vector<std::string>& words() const { return words_; }
  /// The 1-based character column of word `i` (0 is the first word after `plansim`).
  int column(std::size_t i) const { return columns_[i]; }
  /// One past the end of the line: where a missing word would go.
  int end_column() const { return end_; }
  /// `<command line>:1:column`; a column ≤ 0 is one past the end of the line.
  SourceLoc at(int column) const;

  /// A value as typed (one piece of it for an option with a delimiter), with its column.
  struct Value {
    std::string text;
    int column = 0;
  };
  /// One occurrence of an option of the scanned command, of an unknown option, or an argument.
  struct Item {
    enum class Kind { Option, Unknown, Argument };
    Kind kind = Kind::Argument;
    const CLI::Option* option = nullptr;  // Kind::Option
    std::string name;                     // as written, before any '=' ("--threads", "-o")
    std::size_t word = 0;                 // index in words()
    int column = 0;                       // of the option or argument
    bool attached = false;                // the value is in the same word (--x=v, -xv)
    std::vector<Value> values;            // none for a flag or an option without its value
  };
  /// Reads the words after word `command_word` (the subcommand's name) as CLI11 parses them for
  /// `command`; replaces any earlier scan.
  void scan(const CLI::App& command, std::size_t command_word);
  const std::vector<Item>& items() const { return items_; }

  /// Every occurrence of option `name` (by any of its names) in the scanned command.
  std::vector<const Item*> occurrences(const std::string& name) const;
  /// The values of option `name`, of every occurrence, in order.
  std::vector<Value> values(const std::string& name) const;
  /// Where option `name` stands: its last value, else its last occurrence, else one past the end
  /// of the line.
  SourceLoc place(const std::string& name) const;

  /// The command line of this process (set by main), for errors found by the commands (an output
  /// path, a parts folder); nullptr when none is set (a command called as a function).
  static const CommandLine* current();
  static void set_current(const CommandLine* line);

 private:
  std::vector<std::string> words_;
  std::vector<int> columns_;
  int end_ = 0;
  const CLI::App* command_ = nullptr;
  std::vector<Item> items_;
};

/// Where option `name` stands on the command line of this process (CommandLine::place), or a
/// bare `<command line>` when no command line is set.
SourceLoc command_line_place(const std::string& name);

/// Collects the command-line errors of one subcommand, each at `<command line>:1:COL`.
class UsageErrors {
 public:
  UsageErrors(const CLI::App& command, const CommandLine& line) : command_(command), line_(line) {}

  /// An error at `<command line>:1:column` (a column ≤ 0: one past the end of the line).
  void error(std::string message, int column);
  /// Unknown options (with a hint) and unexpected arguments left over by CLI11, at their columns.
  void check_extras();
  /// Options that take one value given more than once: an error at each repetition.
  void check_repeats();
  /// The argument `name` was given (`what` says what it is, `synopsis` how to give it); an error
  /// one past the end of the line otherwise.
  void require(const std::string& name, const std::string& what, const std::string& synopsis);
  /// Every occurrence of option `name` has a value (a lone `--seed` has none): errors at the
  /// option (no value) or at the empty value; false when it was not given or an error was found.
  bool has_value(const std::string& name);
  /// The last value of option `name` is one of `allowed` (when it has one).
  void check_member(const std::string& name, const std::vector<std::string>& allowed);
  /// A whole number in [low, high] from `value` of option `name`; nullopt (and an error at the
  /// value) otherwise.
  std::optional<long long> whole_number(const std::string& name, const CommandLine::Value& value,
                                        long long low, long long high, const std::string& what);

  const CommandLine& line() const { return line_; }
  const std::vector<Diagnostic>& errors() const { return errors_; }
  bool empty() const { return errors_.empty(); }

 private:
  const CLI::App& command_;
  const CommandLine& line_;
  std::vector<Diagnostic> errors_;
};

/// Prints `errors` in the form of every input error and returns exit status 2.
int report_usage_errors(const std::vector<Diagnostic>& errors);

}  // namespace plansim

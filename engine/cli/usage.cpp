#include "cli/usage.h"

#include <algorithm>
#include <charconv>
#include <iostream>

#include "core/text.h"
#include "dist/work.h"
#include "io/yaml_text.h"

namespace plansim {
namespace {

std::string quoted(const std::string& text) { return "'" + printable(text) + "'"; }

int length(const std::string& text) { return io_text::utf8_length(text); }

/// CLI11's first character of an option name (detail::valid_first_char).
bool valid_first_char(char c) { return c != '-' && c != '!' && c != ' ' && c != '\n'; }

enum class WordKind { Long, Short, PositionalMark, Argument };

/// What CLI11 takes `word` for in `command` (App::_recognize): a negative number such as -3 is
/// an argument unless the command has an option named like its first digit.
WordKind recognize(const CLI::App& command, const std::string& word) {
  if (word == "--") return WordKind::PositionalMark;
  if (word.size() > 2 && word.compare(0, 2, "--") == 0 && valid_first_char(word[2]))
    return WordKind::Long;
  if (word.size() > 1 && word[0] == '-' && valid_first_char(word[1])) {
    if (word[1] >= '0' && word[1] <= '9' && !command.get_option_no_throw(std::string{'-', word[1]}))
      return WordKind::Argument;
    return WordKind::Short;
  }
  return WordKind::Argument;
}

const CLI::Option* find_option(const CLI::App& command, const std::string& name) {
  for (const CLI::Option* option : command.get_options())
    if (!option->get_positional() && option->check_name(name)) return option;
  return nullptr;
}

/// The most values one occurrence of `option` takes (CLI11's App::_parse_arg), and whether it
/// takes every following argument.
int max_values(const CLI::Option& option) {
  int max_num = option.get_items_expected_max();
  if (max_num >= CLI::detail::expected_max_vector_size / 16 && !option.get_allow_extra_args()) {
    const long long product =
        static_cast<long long>(option.get_type_size_max()) * option.get_expected_min();
    max_num = product < CLI::detail::expected_max_vector_size
                  ? static_cast<int>(product)
                  : CLI::detail::expected_max_vector_size;
  }
  return max_num;
}

/// A value split at the option's delimiter (as CLI11 splits its results), each piece with its
/// column.
void add_value(const CLI::Option& option, const std::string& text, int column,
               std::vector<CommandLine::Value>& values) {
  const char delimiter = option.get_delimiter();
  if (delimiter == '\0' || text.find(delimiter) == std::string::npos) {
    values.push_back({text, column});
    return;
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t stop = std::min(text.find(delimiter, start), text.size());
    const std::string piece = text.substr(start, stop - start);
    values.push_back({piece, column});
    if (stop == text.size()) break;
    column += length(piece) + 1;
    start = stop + 1;
  }
}

bool repeatable(const CLI::Option& option) {
  return option.get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll ||
         option.get_expected_max() > 1;
}

const CommandLine*& current_line() {
  static const CommandLine* line = nullptr;
  return line;
}

}  // namespace

void tolerate_usage_errors(CLI::App& command) {
  command.allow_extras();
  for (CLI::Option* option : command.get_options()) {
    if (option->get_positional()) {
      option->required(false);  // a missing argument is UsageErrors::require's error
      continue;
    }
    // A flag stays a flag: made value-optional, `-q FILE` would take FILE as its value.
    if (option->get_type_size() <= 0 || option->get_expected_max() == 0) continue;
    const bool many = option->get_expected_max() > 1;  // a list, e.g. --set
    option->expected(0, 1);
    if (many)
      option->take_all();  // one value per occurrence, every occurrence kept
    else if (option->get_multi_option_policy() == CLI::MultiOptionPolicy::Throw)
      option->take_last();  // given twice: UsageErrors::check_repeats's error, not CLI11's
  }
}

// ---- CommandLine ----

CommandLine::CommandLine(int argc, const char* const* argv)
    : CommandLine(argc > 1 ? std::vector<std::string>(argv + 1, argv + argc)
                           : std::vector<std::string>()) {}

CommandLine::CommandLine(std::vector<std::string> words) : words_(std::move(words)) {
  int column = length("plansim ") + 1;
  for (const std::string& word : words_) {
    columns_.push_back(column);
    column += length(word) + 1;  // the word and the space after it
  }
  end_ = column - 1;  // past the last word (or past `plansim`), without the space
}

SourceLoc CommandLine::at(int column) const {
  return {std::string(io_text::kCommandLineFile), 1, column > 0 ? column : end_};
}

void CommandLine::scan(const CLI::App& command, std::size_t command_word) {
  command_ = &command;
  items_.clear();
  bool positional_only = false;
  for (std::size_t i = command_word + 1; i < words_.size(); ++i) {
    const std::string& word = words_[i];
    const WordKind kind = positional_only ? WordKind::Argument : recognize(command, word);
    if (kind == WordKind::Argument || kind == WordKind::PositionalMark) {
      if (kind == WordKind::PositionalMark) positional_only = true;
      items_.push_back({Item::Kind::Argument, nullptr, word, i, columns_[i], false, {}});
      continue;
    }
    // Short flags may be grouped (-qv); a short option's value may follow it in the word (-ofile).
    std::size_t offset = 0;  // of a short option's letter in the word, less one
    while (true) {
      const bool is_long = kind == WordKind::Long;
      std::string name, attached;
      bool has_attached = false;
      if (is_long) {
        const std::size_t equals = word.find('=');
        name = word.substr(0, equals);
        if (equals != std::string::npos) {
          attached = word.substr(equals + 1);
          has_attached = true;
        }
      } else {
        name = "-" + word.substr(offset + 1, 1);
        attached = word.substr(offset + 2);
        has_attached = !attached.empty();
      }
      // A flag inside a group (the v of -qv) is at its letter, what follows it at the next.
      const int letter = columns_[i] + length(word.substr(0, offset + 1));
      const int column = offset == 0 ? columns_[i] : letter;
      const CLI::Option* option = find_option(command, name);
      if (!option) {  // CLI11 keeps the whole word as an extra
        items_.push_back(
            {Item::Kind::Unknown,
             nullptr,
             offset == 0 ? word.substr(0, word.find('=')) : "-" + word.substr(offset + 1),
             i,
             column,
             false,
             {}});
        break;
      }
      Item item{Item::Kind::Option, option, name, i, column, false, {}};
      const int max_num = max_values(*option);
      if (max_num == 0) {  // a flag
        items_.push_back(item);
        if (!is_long && has_attached && valid_first_char(attached[0])) {
          offset += 1;  // the next flag of the group
          continue;
        }
        break;
      }
      int collected = 0;
      if (has_attached) {
        item.attached = true;
        add_value(*option, attached, is_long ? column + length(name) + 1 : letter + 1, item.values);
        ++collected;
      }
      while ((collected < max_num || option->get_allow_extra_args()) && i + 1 < words_.size() &&
             recognize(command, words_[i + 1]) == WordKind::Argument) {
        ++i;
        add_value(*option, words_[i], columns_[i], item.values);
        ++collected;
      }
      if (i + 1 < words_.size() && recognize(command, words_[i + 1]) == WordKind::PositionalMark &&
          collected > 0 && option->get_allow_extra_args())
        ++i;  // `--` ends an unlimited list and is eaten
      items_.push_back(std::move(item));
      break;
    }
  }
}

std::vector<const CommandLine::Item*> CommandLine::occurrences(const std::string& name) const {
  std::vector<const Item*> found;
  const CLI::Option* option = command_ ? find_option(*command_, name) : nullptr;
  if (!option) return found;
  for (const Item& item : items_)
    if (item.option == option) found.push_back(&item);
  return found;
}

std::vector<CommandLine::Value> CommandLine::values(const std::string& name) const {
  std::vector<Value> all;
  for (const Item* item : occurrences(name))
    all.insert(all.end(), item->values.begin(), item->values.end());
  return all;
}

SourceLoc CommandLine::place(const std::string& name) const {
  const std::vector<const Item*> found = occurrences(name);
  if (found.empty()) return at(0);
  const Item& last = *found.back();
  return at(last.values.empty() ? last.column : last.values.back().column);
}

const CommandLine* CommandLine::current() { return current_line(); }
void CommandLine::set_current(const CommandLine* line) { current_line() = line; }

SourceLoc command_line_place(const std::string& name) {
  if (const CommandLine* line = CommandLine::current()) return line->place(name);
  return {std::string(io_text::kCommandLineFile), 0, 0};
}

// ---- UsageErrors ----

void UsageErrors::error(std::string message, int column) {
  errors_.push_back({line_.at(column), std::move(message)});
}

void UsageErrors::check_extras() {
  std::vector<std::string> names;
  for (const CLI::Option* option : command_.get_options()) {
    for (const std::string& n : option->get_lnames()) names.push_back("--" + n);
    for (const std::string& n : option->get_snames()) names.push_back("-" + n);
  }
  // CLI11's extras, in order, matched to the words they came from.
  const std::vector<std::string> extras = command_.remaining();
  std::vector<const CommandLine::Item*> extra_items;
  std::size_t next = 0;
  for (const CommandLine::Item& item : line_.items()) {
    if (next == extras.size()) break;
    if (item.kind == CommandLine::Item::Kind::Option) continue;
    // An unknown flag inside a group (-qx) is left over as "-x", its rest of the word.
    const bool whole_word = item.column == line_.column(item.word);
    if ((whole_word ? line_.words()[item.word] : item.name) == extras[next]) {
      extra_items.push_back(&item);
      ++next;
    }
  }
  const std::string help = " (plansim " + command_.get_name() + " --help shows the usage)";
  for (std::size_t i = 0; i < extra_items.size(); ++i) {
    const CommandLine::Item& item = *extra_items[i];
    const std::string& word = line_.words()[item.word];
    if (item.kind == CommandLine::Item::Kind::Argument) {
      error("unexpected argument " + quoted(word) + help, item.column);
      continue;
    }
    std::string message = "unknown option " + quoted(item.name);
    const std::string hint = closest_match(item.name, names);
    if (!hint.empty()) message += " (did you mean '" + hint + "'?)";
    // The argument right after an unknown option is taken as its value, not as a second error.
    if (word.find('=') == std::string::npos && i + 1 < extra_items.size() &&
        extra_items[i + 1]->kind == CommandLine::Item::Kind::Argument &&
        extra_items[i + 1]->word == item.word + 1)
      message += ", with the value " + quoted(line_.words()[extra_items[++i]->word]);
    error(message + help, item.column);
  }
}

void UsageErrors::check_repeats() {
  for (const CLI::Option* option : command_.get_options()) {
    if (option->get_positional() || repeatable(*option)) continue;
    std::vector<const CommandLine::Item*> found;
    for (const CommandLine::Item& item : line_.items())
      if (item.option == option) found.push_back(&item);
    if (found.size() < 2 || max_values(*option) == 0) continue;  // flags may repeat
    for (std::size_t k = 1; k < found.size(); ++k) {
      const CommandLine::Item& first = *found.front();
      std::string message = found[k]->name + " given " + (k == 1 ? "twice" : "again") +
                            " (first at column " + std::to_string(first.column);
      if (first.name != found[k]->name) message += ", as " + first.name;
      error(message + "); give it once", found[k]->column);
    }
  }
}

void UsageErrors::require(const std::string& name, const std::string& what,
                          const std::string& synopsis) {
  const CLI::Option* option = command_.get_option_no_throw(name);
  if (option && option->count() > 0) return;
  error("missing " + what + ": plansim " + command_.get_name() + " " + synopsis + " (plansim " +
            command_.get_name() + " --help shows the usage)",
        0);
}

bool UsageErrors::has_value(const std::string& name) {
  const std::vector<const CommandLine::Item*> found = line_.occurrences(name);
  if (found.empty()) return false;
  bool ok = true;
  for (const CommandLine::Item* item : found) {
    if (!item->values.empty() && !item->values.back().text.empty()) continue;
    error(item->name + ": expects a value after it (plansim " + command_.get_name() + " --help)",
          item->values.empty() ? item->column : item->values.back().column);
    ok = false;
  }
  return ok;
}

void UsageErrors::check_member(const std::string& name, const std::vector<std::string>& allowed) {
  if (!has_value(name)) return;
  const CommandLine::Value value = line_.values(name).back();
  for (const std::string& a : allowed)
    if (value.text == a) return;
  std::string list;
  for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
  const std::string hint = closest_match(value.text, allowed);
  error(line_.occurrences(name).back()->name + " " + quoted(value.text) + ": expected one of " +
            list + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"),
        value.column);
}

std::optional<long long> UsageErrors::whole_number(const std::string& name,
                                                   const CommandLine::Value& value, long long low,
                                                   long long high, const std::string& what) {
  long long number = 0;
  const std::string& text = value.text;
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, number);
  if (ec == std::errc() && stop == end && number >= low && number <= high) return number;
  error(name + " " + quoted(text) + ": expected " + what + " from " + std::to_string(low) + " to " +
            std::to_string(high),
        value.column);
  return std::nullopt;
}

int report_usage_errors(const std::vector<Diagnostic>& errors) {
  Diagnostics diags;
  for (const Diagnostic& d : errors) diags.error(d.loc, d.message);
  if (MpiSession::rank() != 0) return 2;
  std::cerr << diags.format() << diags.size() << (diags.size() == 1 ? " error" : " errors")
            << "; nothing was run or written\n";
  return 2;
}

}  // namespace plansim

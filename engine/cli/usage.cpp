#include "cli/usage.h"

#include <charconv>
#include <iostream>

#include "core/text.h"
#include "dist/work.h"

namespace plansim {
namespace {

bool looks_like_option(const std::string& arg) {
  if (arg.size() < 2 || arg[0] != '-') return false;
  // A negative number is a value, not an option.
  double number = 0;
  const auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), number);
  return !(ec == std::errc() && end == arg.data() + arg.size());
}

std::string quoted(const std::string& text) { return "'" + printable(text) + "'"; }

}  // namespace

void tolerate_usage_errors(CLI::App& command) {
  command.allow_extras();
  for (CLI::Option* option : command.get_options()) {
    if (option->get_positional() || option->get_type_size() <= 0) continue;
    const bool repeatable = option->get_expected_max() > 1;  // a list, e.g. --set
    option->expected(0, 1);
    if (repeatable) option->take_all();  // one value per occurrence, every occurrence kept
  }
}

void UsageErrors::error(std::string message, int column) {
  Diagnostic d;
  d.loc.file = "<command line>";
  if (column > 0) d.loc = {d.loc.file, 1, column};
  d.message = std::move(message);
  errors_.push_back(std::move(d));
}

void UsageErrors::check_extras() {
  std::vector<std::string> names;
  for (const CLI::Option* option : command_.get_options()) {
    for (const std::string& n : option->get_lnames()) names.push_back("--" + n);
    for (const std::string& n : option->get_snames()) names.push_back("-" + n);
  }
  const std::vector<std::string> extras = command_.remaining();
  const std::string help = " (plansim " + command_.get_name() + " --help shows the usage)";
  for (std::size_t i = 0; i < extras.size(); ++i) {
    const std::string& arg = extras[i];
    if (!looks_like_option(arg)) {
      error("unexpected argument " + quoted(arg) + help);
      continue;
    }
    const std::string name = arg.substr(0, arg.find('='));
    std::string message = "unknown option " + quoted(name);
    const std::string hint = closest_match(name, names);
    if (!hint.empty()) message += " (did you mean '" + hint + "'?)";
    // The word after an unknown option is taken as its value, not as a second error.
    if (arg.find('=') == std::string::npos && i + 1 < extras.size() &&
        !looks_like_option(extras[i + 1]))
      message += ", with the value " + quoted(extras[++i]);
    error(message + help);
  }
}

void UsageErrors::require(const std::string& name, const std::string& what,
                          const std::string& synopsis) {
  const CLI::Option* option = command_.get_option_no_throw(name);
  if (option && option->count() > 0) return;
  error("missing " + what + ": plansim " + command_.get_name() + " " + synopsis + " (plansim " +
        command_.get_name() + " --help shows the usage)");
}

bool UsageErrors::has_value(const std::string& name) {
  const CLI::Option* option = command_.get_option_no_throw(name);
  if (!option || option->count() == 0) return false;
  for (const std::string& value : option->results())
    if (value.empty()) {
      error(name + ": expects a value after it (plansim " + command_.get_name() + " --help)");
      return false;
    }
  return true;
}

void UsageErrors::check_member(const std::string& name, const std::string& value,
                               const std::vector<std::string>& allowed) {
  if (!has_value(name)) return;
  for (const std::string& a : allowed)
    if (value == a) return;
  std::string list;
  for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
  const std::string hint = closest_match(value, allowed);
  error(name + " " + quoted(value) + ": expected one of " + list +
        (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
}

std::optional<long long> UsageErrors::whole_number(const std::string& name, const std::string& text,
                                                   long long low, long long high,
                                                   const std::string& what) {
  long long value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, value);
  if (ec == std::errc() && stop == end && value >= low && value <= high) return value;
  error(name + " " + quoted(text) + ": expected " + what + " from " + std::to_string(low) + " to " +
        std::to_string(high));
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

#include "core/text.h"

#include <sys/ioctl.h>
#include <unistd.h>
#include <utf8proc.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace plansim {
namespace {

/// Decodes the character at `i`: its code point (-1 for an invalid byte) and length in bytes.
std::pair<utf8proc_int32_t, std::size_t> decode(std::string_view text, std::size_t i) {
  utf8proc_int32_t cp = -1;
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i);
  const utf8proc_ssize_t length =
      utf8proc_iterate(bytes, static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
  if (length <= 0) return {-1, 1};
  return {cp, static_cast<std::size_t>(length)};
}

std::size_t char_width(utf8proc_int32_t cp) {
  if (cp < 0) return 1;
  return static_cast<std::size_t>(std::max(0, utf8proc_charwidth(cp)));
}

std::string trim_zeros(std::string text) {
  if (text.find('.') != std::string::npos && text.find('e') == std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

/// Up to `digits` significant digits; fixed notation between 1e-4 and 1e15.
std::string significant(double value, int digits) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0) return "0";
  char buffer[64];
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e-4 && magnitude < 1e15) {
    const int exponent = static_cast<int>(std::floor(std::log10(magnitude)));
    const int decimals = std::max(0, digits - 1 - exponent);
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return trim_zeros(buffer);
  }
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
  return buffer;
}

bool is_control(utf8proc_int32_t cp) {
  return (cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7F && cp <= 0x9F);
}

std::string hex(unsigned value, int digits) {
  static const char* kDigits = "0123456789abcdef";
  std::string out(static_cast<std::size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, value >>= 4)
    out[static_cast<std::size_t>(i)] = kDigits[value & 15];
  return out;
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto [cp, length] = decode(text, i);
    if (cp < 0)
      out += "\\x" + hex(static_cast<unsigned char>(text[i]), 2);
    else if (is_control(cp))
      out += cp < 0x80 ? "\\x" + hex(static_cast<unsigned>(cp), 2)
                       : "\\u" + hex(static_cast<unsigned>(cp), 4);
    else
      out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

std::string text_problem(std::string_view text) {
  std::size_t character = 1;
  for (std::size_t i = 0; i < text.size(); ++character) {
    const auto [cp, length] = decode(text, i);
    if (cp < 0)
      return "invalid UTF-8 (byte 0x" + hex(static_cast<unsigned char>(text[i]), 2) +
             " at character " + std::to_string(character) + ")";
    if (is_control(cp)) {
      std::string code = hex(static_cast<unsigned>(cp), 4);
      for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return "control character U+" + code + " at character " + std::to_string(character);
    }
    i += length;
  }
  return "";
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto [cp, length] = decode(text, i);
    width += char_width(cp);
    i += length;
  }
  return width;
}

std::string truncate_to_width(std::string_view text, std::size_t width) {
  if (display_width(text) <= width) return std::string(text);
  if (width == 0) return "";
  std::string out;
  std::size_t used = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto [cp, length] = decode(text, i);
    const std::size_t w = char_width(cp);
    if (used + w > width - 1) break;  // keep one column for the ellipsis
    out.append(text.substr(i, length));
    used += w;
    i += length;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + "…";
}

std::string wrap_to_width(std::string_view text, std::size_t width, std::string_view indent) {
  if (width == 0 || display_width(text) <= width) return std::string(text);
  std::string out, line;
  std::size_t start = 0;
  bool first_line = true;
  while (start <= text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(start, end - start);
    const std::string candidate = line.empty() ? std::string(word) : line + " " + std::string(word);
    const std::size_t prefix = first_line ? 0 : display_width(indent);
    if (!line.empty() && prefix + display_width(candidate) > width) {
      out += (first_line ? "" : std::string(indent)) + line + "\n";
      first_line = false;
      line = std::string(word);
    } else {
      line = candidate;
    }
    start = end + 1;
  }
  out += (first_line ? "" : std::string(indent)) + line;
  return out;
}

std::size_t terminal_columns(int fd) {
  if (const char* env = std::getenv("COLUMNS")) {
    char* end = nullptr;
    const long value = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && value > 0 && value < 100000)
      return static_cast<std::size_t>(value);
  }
  winsize size{};
  if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 0;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += separator;
    out += items[i];
  }
  return out;
}

std::string group_thousands(std::string text) {
  const std::size_t digits_start = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  std::size_t digits_end = digits_start;
  while (digits_end < text.size() && text[digits_end] >= '0' && text[digits_end] <= '9')
    ++digits_end;
  if (digits_end == digits_start) return text;
  if (digits_end < text.size() && text[digits_end] != '.') return text;  // not a plain number
  for (std::size_t pos = digits_end; pos > digits_start + 3; pos -= 3) text.insert(pos - 3, ",");
  return text;
}

std::string format_plain(double value) { return significant(value, 10); }

std::string format_exact(double value) { return std::isnan(value) ? "" : significant(value, 10); }

std::string format_count(long long value) { return group_thousands(std::to_string(value)); }

std::string format_value(double value, bool signed_) {
  if (std::isnan(value)) return "–";
  char buffer[64];
  const double magnitude = std::fabs(value);
  if (magnitude >= 10000)
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
  else if (magnitude >= 100)
    std::snprintf(buffer, sizeof buffer, "%.1f", value);
  else if (magnitude >= 1)
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
  else if (magnitude == 0)
    std::snprintf(buffer, sizeof buffer, "0");
  else
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
  std::string text = buffer;
  if (text == "-0" || text == "-0.0" || text == "-0.00") text.erase(0, 1);  // no negative zero
  if (std::isfinite(value)) text = group_thousands(text);
  if (signed_ && value > 0 && text.find_first_not_of("0.,") != std::string::npos) text = "+" + text;
  return text;
}

TextTable::TextTable(std::vector<std::string> header, std::vector<Align> align)
    : align_(std::move(align)), shrinkable_(align_.size(), false) {
  if (align_.size() != header.size())
    throw std::logic_error("TextTable: one alignment per header cell");
  rows_.push_back(std::move(header));
}

void TextTable::add(std::vector<std::string> row) {
  if (row.size() != align_.size()) throw std::logic_error("TextTable: row of the wrong width");
  rows_.push_back(std::move(row));
}

void TextTable::shrinkable(std::size_t column) {
  if (column >= align_.size()) throw std::logic_error("TextTable: no such column");
  shrinkable_[column] = true;
}

std::string TextTable::terminal(const std::string& indent, std::size_t max_width) const {
  std::vector<std::size_t> widths(align_.size(), 0);
  for (const auto& row : rows_)
    for (std::size_t c = 0; c < row.size(); ++c)
      widths[c] = std::max(widths[c], display_width(row[c]));
  const auto total = [&] {
    std::size_t sum = display_width(indent);
    for (std::size_t c = 0; c < widths.size(); ++c) sum += widths[c] + (c ? 2 : 0);
    return sum;
  };
  if (max_width > 0) {
    std::vector<bool> may_cut = shrinkable_;
    if (std::none_of(may_cut.begin(), may_cut.end(), [](bool b) { return b; }))
      for (std::size_t c = 0; c < align_.size(); ++c) may_cut[c] = align_[c] == Align::Left;
    constexpr std::size_t kMinimum = 4;
    // First the shrinkable columns; if that is not enough, every left-aligned (text) column.
    for (int pass = 0; pass < 2 && total() > max_width; ++pass) {
      if (pass == 1)
        for (std::size_t c = 0; c < align_.size(); ++c)
          may_cut[c] = may_cut[c] || align_[c] == Align::Left;
      while (total() > max_width) {
        std::size_t widest = widths.size();
        for (std::size_t c = 0; c < widths.size(); ++c)
          if (may_cut[c] && widths[c] > kMinimum &&
              (widest == widths.size() || widths[c] > widths[widest]))
            widest = c;
        if (widest == widths.size()) break;  // nothing left to cut
        --widths[widest];
      }
    }
  }
  std::string out;
  for (std::size_t r = 0; r < rows_.size(); ++r) {
    std::string line = indent;
    for (std::size_t c = 0; c < rows_[r].size(); ++c) {
      const std::string cell = truncate_to_width(rows_[r][c], widths[c]);
      const std::string padding(widths[c] - display_width(cell), ' ');
      if (c > 0) line += "  ";
      line += align_[c] == Align::Right ? padding + cell : cell + padding;
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + '\n';
    if (r == 0) out += indent + std::string(total() - display_width(indent), '-') + '\n';
  }
  return out;
}

std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string TextTable::csv() const {
  std::string out;
  for (const auto& row : rows_) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c) out += ',';
      out += csv_cell(row[c]);
    }
    out += '\n';
  }
  return out;
}

std::string TextTable::markdown() const {
  const auto cell = [](const std::string& text) {
    std::string escaped;
    for (char c : text) escaped += c == '|' ? std::string("\\|") : std::string(1, c);
    return escaped;
  };
  std::string out;
  for (std::size_t r = 0; r < rows_.size(); ++r) {
    out += "|";
    for (const std::string& text : rows_[r]) {
      out += ' ';
      out += cell(text);
      out += " |";
    }
    out += '\n';
    if (r == 0) {
      out += "|";
      for (Align a : align_) out += a == Align::Right ? " ---: |" : " --- |";
      out += '\n';
    }
  }
  return out;
}

}  // namespace plansim

#include "indicators/scorecard_text.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <stdexcept>

namespace plansim {
namespace {

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

}  // namespace

std::string format_plain(double value) { return significant(value, 10); }

std::string format_exact(double value) { return std::isnan(value) ? "" : significant(value, 10); }

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
  if (signed_ && value > 0 && text.find_first_not_of("0.") != std::string::npos) text = "+" + text;
  return text;
}

std::size_t text_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 1;
    std::uint32_t cp = lead;
    if (lead >= 0xF0)
      length = 4, cp = lead & 0x07;
    else if (lead >= 0xE0)
      length = 3, cp = lead & 0x0F;
    else if (lead >= 0xC0)
      length = 2, cp = lead & 0x1F;
    if (i + length > text.size()) {  // truncated sequence: one column per byte left
      width += text.size() - i;
      break;
    }
    for (std::size_t k = 1; k < length; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    i += length;
    const bool combining = (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x20D0 && cp <= 0x20FF) ||
                           (cp >= 0xFE20 && cp <= 0xFE2F);
    const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    width += combining ? 0 : wide ? 2 : 1;
  }
  return width;
}

TextTable::TextTable(std::vector<std::string> header, std::vector<Align> align)
    : align_(std::move(align)) {
  if (align_.size() != header.size())
    throw std::logic_error("TextTable: one alignment per header cell");
  rows_.push_back(std::move(header));
}

void TextTable::add(std::vector<std::string> row) {
  if (row.size() != align_.size()) throw std::logic_error("TextTable: row of the wrong width");
  rows_.push_back(std::move(row));
}

std::string TextTable::terminal(const std::string& indent) const {
  std::vector<std::size_t> widths(align_.size(), 0);
  for (const auto& row : rows_)
    for (std::size_t c = 0; c < row.size(); ++c)
      widths[c] = std::max(widths[c], text_width(row[c]));
  std::string out;
  std::size_t total = 0;
  for (std::size_t c = 0; c < widths.size(); ++c) total += widths[c] + (c ? 2 : 0);
  for (std::size_t r = 0; r < rows_.size(); ++r) {
    std::string line = indent;
    for (std::size_t c = 0; c < rows_[r].size(); ++c) {
      const std::string padding(widths[c] - text_width(rows_[r][c]), ' ');
      if (c > 0) line += "  ";
      line += align_[c] == Align::Right ? padding + rows_[r][c] : rows_[r][c] + padding;
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + '\n';
    if (r == 0) out += indent + std::string(total, '-') + '\n';
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

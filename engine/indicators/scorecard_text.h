// Text helpers shared by the scorecard printout and `plansim compare`: number formats, display
// width of UTF-8 text (CJK characters take two terminal columns) and an aligned table that can
// also be rendered as CSV or Markdown.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace plansim {

/// Shortest text of a number up to 10 significant digits, no exponent for everyday magnitudes:
/// 1000 -> "1000", 41.63 -> "41.63", 0.1 -> "0.1". For configured values (targets, thresholds).
std::string format_plain(double value);
/// A table cell: 0 decimals from 10,000, 1 from 100, 2 from 1, else 3 significant digits;
/// "–" for NaN. `signed_` prefixes "+" to positive values (differences).
std::string format_value(double value, bool signed_ = false);
/// Full precision for machine-readable output (CSV): up to 10 significant digits; "" for NaN.
std::string format_exact(double value);

/// Terminal columns of UTF-8 text: 2 for East Asian wide and fullwidth characters, 0 for
/// combining marks, 1 otherwise.
std::size_t text_width(std::string_view utf8);

/// Rows of cells rendered three ways. The first row is the header.
class TextTable {
 public:
  enum class Align { Left, Right };
  TextTable(std::vector<std::string> header, std::vector<Align> align);
  void add(std::vector<std::string> row);
  std::size_t rows() const { return rows_.size() - 1; }
  /// Columns padded to the widest cell (by display width), two spaces apart, a rule under the
  /// header, each line prefixed by `indent`; trailing spaces trimmed.
  std::string terminal(const std::string& indent = "  ") const;
  /// RFC 4180: cells with a comma, quote or line break are quoted, quotes doubled; CRLF-free.
  std::string csv() const;
  /// A GitHub-flavoured Markdown table ('|' in cells escaped).
  std::string markdown() const;

 private:
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;
};

std::string csv_cell(const std::string& text);

}  // namespace plansim

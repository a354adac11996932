// The one text layer of every terminal, CSV and Markdown output: display width of UTF-8 text
// (one Unicode table: utf8proc's East Asian width data), number formats, the terminal's width
// and an aligned table that fits a given width.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace plansim {

// ---- width ----

/// Terminal columns of UTF-8 text: 2 for East Asian wide and fullwidth characters (CJK), 0 for
/// combining and other zero-width characters, 1 otherwise (ambiguous-width characters such as
/// "–", "≥" and "█" take one column, as in a Chinese terminal's default). A byte that is not
/// valid UTF-8 counts one column.
std::size_t display_width(std::string_view utf8);
/// `utf8` cut to at most `width` columns at a character boundary, ending in "…" when cut.
std::string truncate_to_width(std::string_view utf8, std::size_t width);
/// Words of `text` in lines of at most `width` columns (a longer word stays whole), each line
/// but the first prefixed by `indent`; 0 = no limit.
std::string wrap_to_width(std::string_view text, std::size_t width, std::string_view indent);

// ---- safe text ----

/// `text` safe to print on a terminal: control characters (except line feed and tab: C0, DEL,
/// C1) and bytes that are not valid UTF-8 become visible escapes (\x1b, \u009b, \xff).
std::string printable(std::string_view text);
/// "" when `text` is valid UTF-8 without control characters (line feed and tab allowed); else
/// what is wrong, e.g. "invalid UTF-8 (byte 0xff at character 3)" or "control character U+001B
/// at character 1".
std::string text_problem(std::string_view text);

/// Columns of the terminal on `fd`: $COLUMNS when set to a positive number, else the terminal's
/// size (TIOCGWINSZ), else 0 = not a terminal (no limit).
std::size_t terminal_columns(int fd);
/// Below this width the terminal output uses its compact layout.
inline constexpr std::size_t kCompactBelow = 120;
inline bool is_compact(std::size_t columns) { return columns != 0 && columns < kCompactBelow; }

// ---- lists ----

/// The items one after another, `separator` between two: {"a", "b", "c"} -> "a, b, c"; "" when
/// there are none. For the lists of known names in messages ("(lines: 1, 2, 66)").
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

// ---- numbers ----

/// Shortest text of a number up to 10 significant digits, no exponent for everyday magnitudes,
/// no grouping: 1000 -> "1000", 41.63 -> "41.63". For configured values, seeds and CSV.
std::string format_plain(double value);
/// A table cell for people: 0 decimals from 10,000, 1 from 100, 2 from 1, else 3 significant
/// digits; thousands separated by commas ("1,031,153", "1,031.2"); "–" for NaN. `signed_`
/// prefixes "+" to positive values (differences).
std::string format_value(double value, bool signed_ = false);
/// Full precision for machine-readable output (CSV): up to 10 significant digits, no grouping;
/// "" for NaN.
std::string format_exact(double value);
/// A whole number with thousands separators: 962642 -> "962,642".
std::string format_count(long long value);
/// Commas between the thousands of the integer part of a plain number text ("-1234.5" ->
/// "-1,234.5"); other text is returned unchanged.
std::string group_thousands(std::string number_text);

// ---- tables ----

/// Rows of cells rendered for a terminal, as CSV or as Markdown. The first row is the header.
class TextTable {
 public:
  enum class Align { Left, Right };
  TextTable(std::vector<std::string> header, std::vector<Align> align);
  void add(std::vector<std::string> row);
  std::size_t rows() const { return rows_.size() - 1; }
  std::size_t columns() const { return align_.size(); }
  /// Marks a column whose cells may be cut (with "…") to make the table fit (see terminal()).
  /// Without any mark, every left-aligned column may be cut.
  void shrinkable(std::size_t column);
  /// Columns padded to the widest cell (by display width), two spaces apart, a rule under the
  /// header, each line prefixed by `indent`; trailing spaces trimmed. With `max_width` > 0, the
  /// shrinkable columns are narrowed (widest first, down to 4 columns each) until every line
  /// fits in `max_width`; if that is not enough, the other left-aligned columns too. Numbers
  /// (right-aligned columns) are never cut.
  std::string terminal(const std::string& indent = "  ", std::size_t max_width = 0) const;
  /// RFC 4180: cells with a comma, quote or line break are quoted, quotes doubled; LF endings.
  std::string csv() const;
  /// A GitHub-flavoured Markdown table ('|' in cells escaped).
  std::string markdown() const;

 private:
  std::vector<Align> align_;
  std::vector<bool> shrinkable_;
  std::vector<std::vector<std::string>> rows_;
};

/// One CSV cell (RFC 4180 quoting).
std::string csv_cell(const std::string& text);
/// The UTF-8 byte order mark, which makes Excel read a CSV file as UTF-8.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

}  // namespace plansim

// The text layer of every terminal, CSV and Markdown output: number formats, display width of
// CJK text, truncation and wrapping to a width, and the three renderings of a table (aligned
// terminal text that fits a width, CSV quoting, Markdown escaping).
#include "core/text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace plansim {
namespace {

TEST(Text, NumberFormats) {
  EXPECT_EQ(format_plain(1000), "1000");
  EXPECT_EQ(format_plain(41.63), "41.63");
  EXPECT_EQ(format_plain(0.1), "0.1");
  EXPECT_EQ(format_plain(962642), "962642");
  EXPECT_EQ(format_plain(-3.5), "-3.5");
  EXPECT_EQ(format_plain(0), "0");
  EXPECT_EQ(format_plain(4.73), "4.73");

  EXPECT_EQ(format_value(962642.4), "962,642");
  EXPECT_EQ(format_value(-1234567.0), "-1,234,567");
  EXPECT_EQ(format_value(1031.2, true), "+1,031.2");
  EXPECT_EQ(format_value(1035), "1,035.0");
  EXPECT_EQ(format_value(999.94), "999.9");
  EXPECT_EQ(format_value(99.234), "99.23");
  EXPECT_EQ(format_value(0.01234), "0.0123");
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(std::nan("")), "–");
  EXPECT_EQ(format_value(12.5, true), "+12.50");
  EXPECT_EQ(format_value(-12.5, true), "-12.50");
  EXPECT_EQ(format_value(0, true), "0");
  EXPECT_EQ(format_value(-0.0001, false), "-0.0001");
  EXPECT_EQ(format_value(-0.0, true), "0");

  EXPECT_EQ(format_exact(971392), "971392");
  EXPECT_EQ(format_exact(1.0 / 3), "0.3333333333");
  EXPECT_EQ(format_exact(std::nan("")), "");

  EXPECT_EQ(format_count(962642), "962,642");
  EXPECT_EQ(format_count(-1000), "-1,000");
  EXPECT_EQ(format_count(999), "999");
  EXPECT_EQ(group_thousands("1234567.891"), "1,234,567.891");
  EXPECT_EQ(group_thousands("+12345"), "+12,345");
  EXPECT_EQ(group_thousands("1e+20"), "1e+20");  // not a plain number: unchanged
  EXPECT_EQ(group_thousands("–"), "–");
}

TEST(Text, Join) {
  EXPECT_EQ(join({}), "");
  EXPECT_EQ(join({"66"}), "66");
  EXPECT_EQ(join({"1", "2", "66"}), "1, 2, 66");
  EXPECT_EQ(join({"a", "", "c"}, " | "), "a |  | c");
  EXPECT_EQ(join({"一号线", "二号线"}, "、"), "一号线、二号线");
}

TEST(Text, DisplayWidth) {
  EXPECT_EQ(display_width(""), 0u);
  EXPECT_EQ(display_width("GDP"), 3u);
  EXPECT_EQ(display_width("地区生产总值"), 12u);
  EXPECT_EQ(display_width("≥ 1000 亿元"), 11u);  // ≥ is narrow, the two characters wide
  EXPECT_EQ(display_width("（外生）"), 8u);      // fullwidth parentheses
  EXPECT_EQ(display_width("e\u0301"), 1u);       // combining accent
  EXPECT_EQ(display_width("\xE6\x9E"), 2u);      // truncated sequence: a column per byte
  EXPECT_EQ(display_width("\u200B"), 0u);        // zero-width space
  EXPECT_EQ(display_width("가"), 2u);            // Hangul is wide too
  EXPECT_EQ(display_width("█░–Δ"), 4u);          // ambiguous width: one column
}

TEST(Text, TruncateAndWrap) {
  EXPECT_EQ(truncate_to_width("Resident population", 30), "Resident population");
  EXPECT_EQ(truncate_to_width("Resident population", 9), "Resident…");
  EXPECT_EQ(truncate_to_width("地区生产总值", 7), "地区生…");  // never half a wide character
  EXPECT_EQ(display_width(truncate_to_width("地区生产总值", 6)), 5u);
  EXPECT_EQ(truncate_to_width("abc", 0), "");
  EXPECT_EQ(wrap_to_width("one two three four", 9, "  "), "one two\n  three\n  four");
  EXPECT_EQ(wrap_to_width("one two", 0, ""), "one two");
  EXPECT_EQ(wrap_to_width("averyveryverylongword x", 5, ""), "averyveryverylongword\nx");
}

TEST(Text, TerminalColumnsFromTheEnvironment) {
  ::setenv("COLUMNS", "77", 1);
  EXPECT_EQ(terminal_columns(1), 77u);
  ::setenv("COLUMNS", "wide", 1);  // not a number: ignored
  EXPECT_NE(terminal_columns(1), 77u);
  ::unsetenv("COLUMNS");
  EXPECT_TRUE(is_compact(80));
  EXPECT_FALSE(is_compact(120));
  EXPECT_FALSE(is_compact(0));  // not a terminal: the full layout
}

TEST(Text, TableFitsAWidthByCuttingTheShrinkableColumns) {
  using A = TextTable::Align;
  TextTable table({"indicator", "指标", "2025"}, {A::Left, A::Left, A::Right});
  table.add({"Average household size", "平均家庭户规模", "2.56"});
  table.add({"Resident population", "常住人口", "1,028,980"});
  table.shrinkable(0);
  const std::string fitted = table.terminal("  ", 40);
  std::size_t start = 0;
  while (start < fitted.size()) {
    const std::size_t end = fitted.find('\n', start);
    EXPECT_LE(display_width(fitted.substr(start, end - start)), 40u) << fitted;
    start = end + 1;
  }
  EXPECT_NE(fitted.find("Average ho…"), std::string::npos) << fitted;
  EXPECT_NE(fitted.find("1,028,980"), std::string::npos) << fitted;  // numbers are never cut
  EXPECT_NE(fitted.find("平均家庭户规模"), std::string::npos) << fitted;
  // Wide enough: unchanged.
  EXPECT_EQ(table.terminal("  ", 200), table.terminal("  "));
  EXPECT_THROW(table.shrinkable(3), std::logic_error);
}

TEST(Text, TerminalTableAlignsByDisplayWidth) {
  using A = TextTable::Align;
  TextTable table({"indicator", "指标", "2025"}, {A::Left, A::Left, A::Right});
  table.add({"GDP", "地区生产总值", "994.8"});
  table.add({"Urbanisation", "常住人口城镇化率", "99.33"});
  EXPECT_EQ(table.rows(), 2u);
  EXPECT_EQ(table.terminal("  "),
            "  indicator     指标               2025\n"
            "  -------------------------------------\n"
            "  GDP           地区生产总值      994.8\n"
            "  Urbanisation  常住人口城镇化率  99.33\n");
  EXPECT_THROW(table.add({"too", "short"}), std::logic_error);
}

TEST(Text, CsvAndMarkdown) {
  using A = TextTable::Align;
  TextTable table({"key", "label", "value"}, {A::Left, A::Left, A::Right});
  table.add({"jobs", "New jobs, 5-year \"total\"", "10"});
  table.add({"pipe", "a|b", ""});
  EXPECT_EQ(table.csv(),
            "key,label,value\n"
            "jobs,\"New jobs, 5-year \"\"total\"\"\",10\n"
            "pipe,a|b,\n");
  EXPECT_EQ(table.markdown(),
            "| key | label | value |\n"
            "| --- | --- | ---: |\n"
            "| jobs | New jobs, 5-year \"total\" | 10 |\n"
            "| pipe | a\\|b |  |\n");
  EXPECT_EQ(csv_cell("plain"), "plain");
  EXPECT_EQ(csv_cell("two\nlines"), "\"two\nlines\"");
}

}  // namespace
}  // namespace plansim

// Text helpers of the scorecard and compare: number formats, display width of CJK text, and the
// three renderings of a table (aligned terminal text, CSV quoting, Markdown escaping).
#include "indicators/scorecard_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace plansim {
namespace {

TEST(ScorecardText, NumberFormats) {
  EXPECT_EQ(format_plain(1000), "1000");
  EXPECT_EQ(format_plain(41.63), "41.63");
  EXPECT_EQ(format_plain(0.1), "0.1");
  EXPECT_EQ(format_plain(962642), "962642");
  EXPECT_EQ(format_plain(-3.5), "-3.5");
  EXPECT_EQ(format_plain(0), "0");
  EXPECT_EQ(format_plain(4.73), "4.73");

  EXPECT_EQ(format_value(962642.4), "962642");
  EXPECT_EQ(format_value(1035), "1035.0");
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
}

TEST(ScorecardText, DisplayWidth) {
  EXPECT_EQ(text_width(""), 0u);
  EXPECT_EQ(text_width("GDP"), 3u);
  EXPECT_EQ(text_width("地区生产总值"), 12u);
  EXPECT_EQ(text_width("≥ 1000 亿元"), 11u);  // ≥ is narrow, the two characters wide
  EXPECT_EQ(text_width("（外生）"), 8u);      // fullwidth parentheses
  EXPECT_EQ(text_width("e\u0301"), 1u);       // combining accent
  EXPECT_EQ(text_width("\xE6\x9E"), 2u);      // truncated sequence: a column per byte
}

TEST(ScorecardText, TerminalTableAlignsByDisplayWidth) {
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

TEST(ScorecardText, CsvAndMarkdown) {
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

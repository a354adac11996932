#include <gtest/gtest.h>

#include <string>

#include "io/csv.h"

namespace plansim {
namespace {

std::string fixture(const std::string& name) {
  return std::string(PLANSIM_SOURCE_DIR) + "/tests/io/fixtures/" + name;
}

const ParamNode& cell(const ParamNode& table, std::size_t row, const char* column) {
  static const ParamNode missing;
  if (row >= table.items().size()) {
    ADD_FAILURE() << table.path() << " has no row " << row;
    return missing;
  }
  const ParamNode* value = table.items()[row].peek(column);
  if (!value) {
    ADD_FAILURE() << table.path() << "[" << row << "] has no column " << column;
    return missing;
  }
  return *value;
}

TEST(CsvTable, RowsBecomeMapsKeyedByHeaderWithLocationsAndPaths) {
  const std::string text =
      "# made-up shares for a loader test\n"
      "age,male,female\n"
      "\n"
      "0-4,0.031,0.028\n"
      "  # a comment between rows\n"
      "5-9, 0.035 ,0.032\n";
  Diagnostics diags;
  const ParamNode table = parse_csv_table(text, "t.csv", "ages", diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  ASSERT_TRUE(table.is_sequence());
  EXPECT_EQ(table.path(), "ages");
  EXPECT_EQ(table.loc().str(), "t.csv:2:1");
  ASSERT_EQ(table.items().size(), 2u);

  const ParamNode& first = table.items()[0];
  EXPECT_TRUE(first.is_map());
  EXPECT_EQ(first.path(), "ages[0]");
  EXPECT_EQ(first.loc().str(), "t.csv:4:1");
  ASSERT_EQ(first.entries().size(), 3u);
  EXPECT_EQ(first.entries()[0].key, "age");
  EXPECT_EQ(first.entries()[2].key, "female");
  EXPECT_EQ(first.entries()[2].key_loc.str(), "t.csv:2:10");  // the header cell

  const ParamNode& male = cell(table, 1, "male");
  EXPECT_EQ(male.text(), "0.035");  // spaces around a field are trimmed
  EXPECT_EQ(male.path(), "ages[1].male");
  EXPECT_EQ(male.loc().str(), "t.csv:6:6");
  EXPECT_FALSE(male.quoted());
  EXPECT_DOUBLE_EQ(male.as_number(diags).value_or(0), 0.035);
  EXPECT_EQ(cell(table, 0, "female").loc().str(), "t.csv:4:11");
  EXPECT_TRUE(diags.empty());
}

TEST(CsvTable, QuotedFieldsKeepCommasQuotesAndLineBreaks) {
  const std::string text =
      "name_zh,name_en,note\n"
      "中原路,\"Zhongyuan Road, Subdistrict\",\"say \"\"hi\"\"\"\n"
      "林山寨,Linshanzhai,\"two\n"
      "lines\"\n"
      "须水,Xushui,last\r\n"
      "\"  padded  \",\"1.5\",\n";
  Diagnostics diags;
  const ParamNode table = parse_csv_table(text, "z.csv", "zones", diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  ASSERT_EQ(table.items().size(), 4u);
  EXPECT_EQ(cell(table, 0, "name_zh").text(), "中原路");
  EXPECT_EQ(cell(table, 0, "name_en").text(), "Zhongyuan Road, Subdistrict");
  EXPECT_EQ(cell(table, 0, "name_en").loc().str(), "z.csv:2:5");  // columns count characters
  EXPECT_EQ(cell(table, 0, "note").text(), "say \"hi\"");
  EXPECT_EQ(cell(table, 0, "note").loc().str(), "z.csv:2:35");
  EXPECT_EQ(cell(table, 1, "note").text(), "two\nlines");
  EXPECT_EQ(cell(table, 1, "note").loc().str(), "z.csv:3:17");
  EXPECT_EQ(cell(table, 2, "name_zh").loc().str(), "z.csv:5:1");  // lines after a quoted break
  EXPECT_EQ(cell(table, 2, "note").text(), "last");               // CRLF
  EXPECT_EQ(cell(table, 3, "name_zh").text(), "  padded  ");      // quotes keep spaces
  EXPECT_EQ(cell(table, 3, "note").text(), "");                   // a trailing comma: empty field
  // Quotes protect text, they do not type it: "1.5" reads as a number.
  EXPECT_FALSE(cell(table, 3, "name_en").quoted());
  EXPECT_DOUBLE_EQ(cell(table, 3, "name_en").as_number(diags).value_or(0), 1.5);
}

TEST(CsvTable, EveryRowWithTheWrongFieldCountIsReportedAtItsLine) {
  const std::string path = fixture("csv/two_bad_rows.csv");
  Diagnostics diags;
  const ParamNode table = load_csv_table(path, "age_shape", diags);
  EXPECT_EQ(diags.format(),
            path + ":3:10: error: age_shape[0]: row has 2 fields but the header has 3\n" + path +
                ":5:17: error: age_shape[1]: row has 4 fields but the header has 3\n");
  // Bad rows are left out; the rows kept are numbered without gaps.
  ASSERT_EQ(table.items().size(), 2u);
  EXPECT_EQ(cell(table, 0, "age_group").text(), "5-9");
  EXPECT_EQ(cell(table, 1, "age_group").text(), "15-19");
  EXPECT_EQ(cell(table, 1, "age_group").path(), "age_shape[1].age_group");
  EXPECT_EQ(cell(table, 1, "age_group").loc().str(), path + ":6:1");
}

TEST(CsvTable, EmptyAndDuplicateHeaderNamesAreReported) {
  Diagnostics diags;
  const ParamNode table = parse_csv_table("age,,age\n1,2,3\n", "h.csv", "ages", diags);
  EXPECT_EQ(diags.format(),
            "h.csv:1:5: error: ages: column 2 of the header has no name\n"
            "h.csv:1:6: error: ages: duplicate column name 'age' (also column 1)\n");
  ASSERT_EQ(table.items().size(), 1u);
  ASSERT_EQ(table.items()[0].entries().size(), 1u);
  EXPECT_EQ(cell(table, 0, "age").text(), "1");
}

TEST(CsvTable, UnterminatedQuoteIsReportedAtTheOpeningQuote) {
  Diagnostics diags;
  const ParamNode table = parse_csv_table("a,b\n1,\"open\n2,3\n", "q.csv", "t", diags);
  EXPECT_EQ(diags.format(),
            "q.csv:2:3: error: t: unterminated quoted field: no closing '\"' before the end of "
            "the file\n");
  EXPECT_TRUE(table.items().empty());
}

TEST(CsvTable, TextAfterAClosingQuoteIsReportedAndTheRowLeftOut) {
  Diagnostics diags;
  const ParamNode table = parse_csv_table("a,b\n\"x\"y,2\n3,4\n", "q.csv", "t", diags);
  EXPECT_EQ(diags.format(),
            "q.csv:2:4: error: t: unexpected text after a closing quote (inside a quoted field, "
            "write a quote as \"\")\n");
  ASSERT_EQ(table.items().size(), 1u);
  EXPECT_EQ(cell(table, 0, "a").text(), "3");
}

TEST(CsvTable, AFileWithoutHeaderIsReported) {
  Diagnostics diags;
  const ParamNode table = parse_csv_table("# only a comment\n\n", "e.csv", "rates", diags);
  EXPECT_EQ(diags.format(), "e.csv:1:1: error: rates: the CSV file has no header row\n");
  EXPECT_TRUE(table.is_sequence());
  EXPECT_TRUE(table.items().empty());
}

TEST(CsvTable, ByteOrderMarkIsSkipped) {
  Diagnostics diags;
  const ParamNode table = parse_csv_table(
      "\xEF\xBB\xBF"
      "age,n\n0,1\n",
      "b.csv", "t", diags);
  ASSERT_TRUE(diags.empty()) << diags.format();
  EXPECT_EQ(cell(table, 0, "age").text(), "0");
  EXPECT_EQ(table.items()[0].entries()[0].key_loc.str(), "b.csv:1:1");
}

TEST(CsvTable, MissingFileIsReportedAtTheFileOrWhereItWasNamed) {
  const std::string missing = fixture("csv/no_such_table.csv");
  Diagnostics diags;
  const ParamNode table = load_csv_table(missing, "rates", diags);
  EXPECT_TRUE(table.is_sequence());
  EXPECT_EQ(diags.format(), missing + ":1:1: error: rates: cannot read CSV file '" + missing +
                                "': No such file or directory\n");

  Diagnostics referenced;
  load_csv_table(missing, "rates", referenced, SourceLoc{"demography.yaml", 4, 17});
  EXPECT_EQ(referenced.format(), "demography.yaml:4:17: error: rates: cannot read CSV file '" +
                                     missing + "': No such file or directory\n");
}

}  // namespace
}  // namespace plansim

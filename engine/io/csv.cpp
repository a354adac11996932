#include "io/csv.h"

#include <algorithm>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "io/yaml_text.h"

namespace plansim {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

struct Field {
  std::string text;
  SourceLoc loc;  // first character of the field (its opening quote when quoted)
};

struct Record {
  std::vector<Field> fields;
  SourceLoc end;   // just after the content of the record's last field
  bool ok = true;  // false after a quoting error, which is already reported
};

/// Splits CSV text into records, tracking line and character column byte by byte.
class CsvReader {
 public:
  CsvReader(std::string_view text, std::string file, std::string path_prefix, Diagnostics& diags)
      : text_(text), file_(std::move(file)), prefix_(std::move(path_prefix)), diags_(diags) {}

  /// The next record, skipping blank and comment lines; false at the end of the text.
  bool next(Record& record) {
    skip_blank_and_comment_lines();
    if (pos_ >= text_.size()) return false;
    record.fields.clear();
    record.ok = true;
    while (true) {
      while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) advance();
      Field field;
      field.loc = here();
      if (pos_ < text_.size() && text_[pos_] == '"') {
        if (!read_quoted(field, record)) {
          record.fields.push_back(std::move(field));
          record.end = here();
          return true;
        }
      } else {
        read_plain(field, record);
      }
      record.fields.push_back(std::move(field));
      if (pos_ < text_.size() && text_[pos_] == ',') {
        advance();
        continue;
      }
      if (pos_ < text_.size()) advance();  // the line feed
      return true;
    }
  }

  SourceLoc here() const { return SourceLoc{file_, line_, column_}; }

 private:
  void advance() {
    const char c = text_[pos_++];
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++column_;
    }
  }

  void skip_blank_and_comment_lines() {
    while (pos_ < text_.size()) {
      std::size_t i = pos_;
      while (i < text_.size() && is_blank(text_[i])) ++i;
      const bool blank = i >= text_.size() || text_[i] == '\n';
      if (!blank && text_[i] != '#') return;
      while (pos_ < text_.size() && text_[pos_] != '\n') advance();
      if (pos_ < text_.size()) advance();
    }
  }

  std::string where() const { return prefix_.empty() ? std::string() : prefix_ + ": "; }

  void read_plain(Field& field, Record& record) {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n') advance();
    std::size_t end = pos_;
    while (end > start && is_blank(text_[end - 1])) --end;
    field.text.assign(text_.substr(start, end - start));
    record.end = here();
    record.end.column -= static_cast<int>(pos_ - end);  // trimmed blanks are one byte each
  }

  /// False when the closing quote is missing (the rest of the text was consumed).
  bool read_quoted(Field& field, Record& record) {
    const SourceLoc open = here();
    advance();
    while (true) {
      if (pos_ >= text_.size()) {
        diags_.error(open, where() +
                               "unterminated quoted field: no closing '\"' before the end "
                               "of the file");
        record.ok = false;
        return false;
      }
      const char c = text_[pos_];
      if (c == '"') {
        advance();
        if (pos_ < text_.size() && text_[pos_] == '"') {
          field.text += '"';
          advance();
          continue;
        }
        break;
      }
      if (!(c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n')) field.text += c;
      advance();
    }
    record.end = here();
    while (pos_ < text_.size() && is_blank(text_[pos_])) advance();
    if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n') {
      diags_.error(here(), where() +
                               "unexpected text after a closing quote (inside a quoted "
                               "field, write a quote as \"\")");
      record.ok = false;
      while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n') advance();
    }
    return true;
  }

  std::string_view text_;
  std::string file_;
  std::string prefix_;
  Diagnostics& diags_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

ParamNode parse_csv_table(const std::string& text, const std::string& file_name,
                          const std::string& path_prefix, Diagnostics& diags) {
  const std::string where = path_prefix.empty() ? std::string() : path_prefix + ": ";
  const std::string_view body = std::string_view(text).substr(io_text::utf8_bom_length(text));
  CsvReader reader(body, file_name, path_prefix, diags);

  Record header;
  if (!reader.next(header)) {
    const SourceLoc start{file_name, 1, 1};
    diags.error(start, where + "the CSV file has no header row");
    return ParamNode(ParamNode::Kind::Sequence, start, path_prefix);
  }
  // A table whose header row was deleted starts with data: names that are mostly numbers would
  // make every row a pile of unknown keys and missing columns, so say it once instead.
  const auto is_number = [](const Field& f) {
    if (f.text.empty()) return false;
    char* end = nullptr;
    std::strtod(f.text.c_str(), &end);
    return end == f.text.c_str() + f.text.size();
  };
  const auto numbers = std::count_if(header.fields.begin(), header.fields.end(), is_number);
  const bool looks_like_data = is_number(header.fields.front()) &&
                               2 * static_cast<std::size_t>(numbers) >= header.fields.size();
  if (header.ok && looks_like_data) {
    diags.error(header.fields.front().loc,
                where +
                    "the first row is numbers, not column names: the header row (e.g. "
                    "from_age,rate) is missing");
    return ParamNode(ParamNode::Kind::Sequence, header.fields.front().loc, path_prefix);
  }
  // Columns with an empty or repeated name are reported and left out of every row.
  std::vector<bool> usable(header.fields.size(), header.ok);
  for (std::size_t j = 0; j < header.fields.size(); ++j) {
    const Field& name = header.fields[j];
    if (const std::string problem = text_problem(name.text); !problem.empty()) {
      diags.error(name.loc, where + "column " + std::to_string(j + 1) + " of the header: " +
                                problem + "; text must be valid UTF-8 without control characters");
      usable[j] = false;
      continue;
    }
    if (name.text.empty()) {
      diags.error(name.loc,
                  where + "column " + std::to_string(j + 1) + " of the header has no name");
      usable[j] = false;
      continue;
    }
    for (std::size_t k = 0; k < j; ++k) {
      if (header.fields[k].text == name.text) {
        diags.error(name.loc, where + "duplicate column name '" + name.text + "' (also column " +
                                  std::to_string(k + 1) + ")");
        usable[j] = false;
        break;
      }
    }
  }

  ParamNode table(ParamNode::Kind::Sequence, header.fields.front().loc, path_prefix);
  Record row;
  std::size_t cells = header.fields.size();
  while (reader.next(row)) {
    if (!row.ok) continue;
    cells += row.fields.size();
    if (cells > kMaxCsvCells) {
      diags.error(row.fields.front().loc, where + "the table has more than " +
                                              std::to_string(kMaxCsvCells) +
                                              " cells (limits: docs/input-limits.md)");
      // Refused whole, like a table without its header: checking the rows read so far would
      // only add one error per row (millions) that says nothing about the real problem.
      return ParamNode(ParamNode::Kind::Sequence, header.fields.front().loc, path_prefix);
    }
    const std::string row_path = path_prefix + "[" + std::to_string(table.items().size()) + "]";
    const std::size_t columns = header.fields.size();
    if (row.fields.size() != columns) {
      const SourceLoc at = row.fields.size() > columns ? row.fields[columns].loc : row.end;
      diags.error(at, row_path + ": row has " + std::to_string(row.fields.size()) +
                          " fields but the header has " + std::to_string(columns));
      continue;
    }
    ParamNode map(ParamNode::Kind::Map, row.fields.front().loc, row_path);
    map.entries().reserve(columns);
    for (std::size_t j = 0; j < columns; ++j) {
      if (!usable[j]) continue;
      const std::string& name = header.fields[j].text;
      if (const std::string problem = text_problem(row.fields[j].text); !problem.empty())
        diags.error(row.fields[j].loc, row_path + "." + name + ": " + problem +
                                           "; text must be valid UTF-8 without control "
                                           "characters");
      map.entries().push_back(
          {name, header.fields[j].loc,
           std::make_unique<ParamNode>(ParamNode::scalar(
               std::move(row.fields[j].text), row.fields[j].loc, row_path + "." + name))});
    }
    table.items().push_back(std::move(map));
  }
  return table;
}

ParamNode load_csv_table(const std::string& path, const std::string& path_prefix,
                         Diagnostics& diags, const SourceLoc& referenced_from) {
  std::string reason;
  std::optional<std::string> text = io_text::read_file(path, reason, io_text::kMaxCsvFileBytes);
  if (!text) {
    const SourceLoc at = referenced_from.file.empty() ? SourceLoc{path, 1, 1} : referenced_from;
    diags.error(at, (path_prefix.empty() ? std::string() : path_prefix + ": ") +
                        "cannot read CSV file '" + path + "': " + reason);
    return ParamNode(ParamNode::Kind::Sequence, at, path_prefix);
  }
  return parse_csv_table(*text, path, path_prefix, diags);
}

}  // namespace plansim

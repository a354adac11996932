// CSV tables -> plansim::ParamNode: rate tables and other tabular data kept next to the YAML.
//
// Format: a header row, comma separated fields, RFC 4180 quotes ("a, b" and "say ""hi"""; a
// quoted field may span lines), UTF-8 (a leading byte-order mark is skipped), LF or CRLF line
// ends. Lines whose first non-blank character is '#' are comments and blank lines are skipped
// (outside quoted fields). Spaces and tabs around a field are trimmed; quote a field to keep them.
// Quotes only protect commas, quotes and line breaks: every cell is typed by its reader, so
// "1.5" is a number like 1.5.
#pragma once

#include <cstddef>
#include <string>

#include "core/diagnostics.h"
#include "core/params.h"

namespace plansim {

/// Most cells of one CSV table, header included (docs/input-limits.md); the shipped tables have
/// < 2,000.
inline constexpr std::size_t kMaxCsvCells = 1'000'000;

/// Reads a CSV table (header row, comma separated, RFC-4180 quotes, UTF-8, '#' comment lines,
/// blank lines skipped) into a Sequence of Maps keyed by header names, every cell a Scalar with
/// its file:line:col and path `<path_prefix>[row].<column>`. A row with the wrong number of
/// fields, an empty header name or a duplicate header name is an error at file:line:col; bad rows
/// are left out (so row indices count the rows kept) and every error of the file is reported.
/// A file that cannot be read is reported at `referenced_from` (e.g. the `csv:` value in YAML) or,
/// when that has no file, at path:1:1; the result is then an empty Sequence.
///
/// Locations: the table node is at the first header cell; a row map at its first cell; the key
/// of each cell (what an "unknown key" is reported at) at its header cell.
ParamNode load_csv_table(const std::string& path, const std::string& path_prefix,
                         Diagnostics& diags, const SourceLoc& referenced_from = {});

/// The same for CSV text already in memory; `file_name` is used for locations only.
ParamNode parse_csv_table(const std::string& text, const std::string& file_name,
                          const std::string& path_prefix, Diagnostics& diags);

}  // namespace plansim

// Internal helpers shared by the YAML and CSV readers of io/: reading a whole file with the
// operating system's reason on failure, and columns counted in characters.
//
// Columns are counted in UTF-8 characters (code points), as editors show them, so that a value
// after a Chinese zone name is reported at the column a user sees, not at its byte offset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace plansim::io_text {

/// Largest input files read (docs/input-limits.md); the shipped files are < 20 KiB. YAML is
/// smaller: yaml-cpp holds about 700 bytes per value while it parses.
inline constexpr std::uintmax_t kMaxYamlFileBytes = std::uintmax_t{1} << 20;
inline constexpr std::uintmax_t kMaxCsvFileBytes = std::uintmax_t{8} << 20;

/// The whole file as bytes, or nullopt with `reason` set to the system's explanation
/// (e.g. "No such file or directory", "Is a directory"). Only regular files are read (not
/// devices, pipes or sockets), of at most `max_bytes`.
std::optional<std::string> read_file(const std::string& path, std::string& reason,
                                     std::uintmax_t max_bytes);

/// Length in bytes of a UTF-8 byte-order mark at the start of `text`: 3 or 0.
std::size_t utf8_bom_length(std::string_view text);

/// Number of UTF-8 characters in `bytes` (continuation bytes 10xxxxxx are not counted).
int utf8_length(std::string_view bytes);

/// True for the pseudo-file of `--set` overrides, whose relative paths start at the working
/// directory rather than next to a file.
bool is_command_line(std::string_view file);

/// `relative` resolved against the directory of `referencing_file` (the working directory for
/// the command line or an empty name), lexically normalised: `scenarios/../configs/x` becomes
/// `configs/x`. Absolute paths stay as they are.
std::string resolve_relative(const std::string& referencing_file, const std::string& relative);

/// The name of the pseudo-file that locates `--set` overrides.
inline constexpr std::string_view kCommandLineFile = "<command line>";

}  // namespace plansim::io_text

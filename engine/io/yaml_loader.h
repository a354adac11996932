// YAML text -> plansim::ParamNode, keeping the file:line:col (1-based; columns in characters)
// of every key and value and the path of every node ("run.start", "interventions[2].year").
// The rest of the engine sees only ParamNode; yaml-cpp stays inside io/.
#pragma once

#include <cstddef>
#include <string>

#include "core/diagnostics.h"
#include "core/params.h"

namespace plansim {

/// Limits of one YAML document (docs/input-limits.md): values (scalars, lists and maps, counted
/// after aliases are expanded) and nesting depth. The shipped configs have < 20,000 values and
/// depth < 10.
inline constexpr std::size_t kMaxYamlValues = 1'000'000;
inline constexpr int kMaxYamlDepth = 64;

/// Parses YAML text; errors (malformed YAML with yaml-cpp's mark, duplicate keys in a map,
/// non-scalar map keys, a second document) go to diags as file:line:col. Returns a Null node on
/// a parse error. Every error of the text is collected: a map with two duplicate keys gives two.
///
/// Scalars keep their raw text; quoted scalars, block scalars (| and >) and `!!str` values are
/// marked quoted(), so "2035" reads as a string and not as a number. Empty values, `~` and
/// `null` become Kind::Null; an empty value is located at its key (map) or after its dash (list).
/// Aliases (*name) are copied and keep the location of their anchor.
ParamNode parse_yaml(const std::string& text, const std::string& file_name, Diagnostics& diags);

/// Reads and parses a file; a file that cannot be read is reported at `referenced_from`
/// (e.g. the `extends:` value) or, when that has no file, at file_name:1:1, as
/// "<referenced_key>: cannot read '<path>': <system reason>" (without the key part when
/// `referenced_key` is empty). Returns a Null node when the file cannot be read or parsed.
ParamNode load_yaml_file(const std::string& path, Diagnostics& diags,
                         const SourceLoc& referenced_from = {},
                         const std::string& referenced_key = {});

}  // namespace plansim

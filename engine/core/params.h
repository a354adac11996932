// A small located key-value tree: what a process (or a city config reader) sees of its YAML.
// io/ fills it from YAML; core and the models depend only on this type, never on yaml-cpp.
//
// Readers look keys up through the typed getters below. Each lookup marks the key as read and
// remembers its name, so that report_unused() can flag every key nobody read at its location,
// with a "did you mean" hint taken from the names that were looked up there.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"

namespace plansim {

class ParamNode {
 public:
  enum class Kind { Null, Scalar, Sequence, Map };

  struct Entry {
    std::string key;
    SourceLoc key_loc;
    std::unique_ptr<ParamNode> value;
  };

  ParamNode() = default;
  ParamNode(Kind kind, SourceLoc loc, std::string path)
      : kind_(kind), loc_(std::move(loc)), path_(std::move(path)) {}
  ParamNode(const ParamNode& other);
  ParamNode& operator=(const ParamNode& other);
  ParamNode(ParamNode&&) noexcept = default;
  ParamNode& operator=(ParamNode&&) noexcept = default;

  static ParamNode scalar(std::string text, SourceLoc loc, std::string path);

  // ---- structure (used by io/ to build and merge trees) ----
  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::Null; }
  bool is_scalar() const { return kind_ == Kind::Scalar; }
  bool is_sequence() const { return kind_ == Kind::Sequence; }
  bool is_map() const { return kind_ == Kind::Map; }
  const SourceLoc& loc() const { return loc_; }
  /// Dotted path from the root, e.g. "run.start" or "interventions[2].year"; "" for the root.
  const std::string& path() const { return path_; }
  /// Raw scalar text (for Scalar nodes).
  const std::string& text() const { return text_; }
  /// True when the scalar was quoted in YAML ("1" is then a string, not a number).
  bool quoted() const { return quoted_; }
  void set_quoted(bool q) { quoted_ = q; }

  /// The entries, for readers whose keys are names of their own choosing (a describe pass notes
  /// that, core/param_record.h).
  const std::vector<Entry>& entries() const {
    note_iterated();
    return entries_;
  }
  std::vector<Entry>& entries() { return entries_; }
  const std::vector<ParamNode>& items() const { return items_; }
  std::vector<ParamNode>& items() { return items_; }
  /// Adds or replaces a map entry (keeps the first position of an existing key).
  ParamNode& set(const std::string& key, SourceLoc key_loc, ParamNode value);
  /// Lookup without marking the key as read (for io/ merging and inspection).
  const ParamNode* peek(std::string_view key) const;
  ParamNode* peek_mutable(std::string_view key);

  // ---- reading (used by processes and config readers) ----
  /// The child at `key` (marked as read), or nullptr when absent. Map nodes only. (In a describe
  /// pass an absent key is an empty map of the recorder's: core/param_record.h.)
  const ParamNode* find(std::string_view key) const;
  /// Like find(), but records "missing required key" when absent or when this is not a map.
  const ParamNode* require(std::string_view key, Diagnostics& diags) const;
  bool has(std::string_view key) const { return find_child(key) != nullptr; }

  /// Typed scalar getters. `fallback` is returned when the key is absent; a value of the wrong
  /// type or outside [lo, hi] records an error at the value's location and returns `fallback`.
  double number(std::string_view key, double fallback, Diagnostics& diags,
                double lo = -std::numeric_limits<double>::infinity(),
                double hi = std::numeric_limits<double>::infinity()) const;
  std::int64_t integer(std::string_view key, std::int64_t fallback, Diagnostics& diags,
                       std::int64_t lo = std::numeric_limits<std::int64_t>::min(),
                       std::int64_t hi = std::numeric_limits<std::int64_t>::max()) const;
  bool boolean(std::string_view key, bool fallback, Diagnostics& diags) const;
  std::string string(std::string_view key, const std::string& fallback, Diagnostics& diags) const;
  /// A probability in [0, 1].
  double probability(std::string_view key, double fallback, Diagnostics& diags) const {
    return number(key, fallback, diags, 0.0, 1.0);
  }
  /// Required variants: record "missing required key" when absent.
  double required_number(std::string_view key, Diagnostics& diags,
                         double lo = -std::numeric_limits<double>::infinity(),
                         double hi = std::numeric_limits<double>::infinity()) const;
  std::int64_t required_integer(std::string_view key, Diagnostics& diags,
                                std::int64_t lo = std::numeric_limits<std::int64_t>::min(),
                                std::int64_t hi = std::numeric_limits<std::int64_t>::max()) const;
  std::string required_string(std::string_view key, Diagnostics& diags) const;
  /// A sequence of numbers at `key`, each checked against [lo, hi]; empty when absent.
  std::vector<double> numbers(std::string_view key, Diagnostics& diags,
                              double lo = -std::numeric_limits<double>::infinity(),
                              double hi = std::numeric_limits<double>::infinity()) const;

  /// Conversions of this node itself (for sequence items). Errors are recorded at loc().
  std::optional<double> as_number(Diagnostics& diags,
                                  double lo = -std::numeric_limits<double>::infinity(),
                                  double hi = std::numeric_limits<double>::infinity()) const;
  std::optional<std::int64_t> as_integer(
      Diagnostics& diags, std::int64_t lo = std::numeric_limits<std::int64_t>::min(),
      std::int64_t hi = std::numeric_limits<std::int64_t>::max()) const;
  std::optional<bool> as_boolean(Diagnostics& diags) const;
  std::optional<std::string> as_string(Diagnostics& diags) const;

  /// True once some reader looked this node up.
  bool was_read() const { return used_; }
  /// The node this one is a derived copy of (core/trajectory.h evaluated_at()): reading this node
  /// marks the origin as read, and the key names looked up here become its hints.
  const ParamNode* origin() const { return origin_; }
  void set_origin(const ParamNode* origin) { origin_ = origin; }
  /// A map of trajectory knots that `--set path.YEAR=value` created where the scenario had no
  /// value: it is laid over the value in effect beneath it (see evaluated_at()).
  bool is_knot_patch() const { return knot_patch_; }
  void set_knot_patch(bool patch) { knot_patch_ = patch; }
  /// Marks this node and everything below it as read (for blocks handed on verbatim).
  void mark_all_used() const;
  /// Records "unknown key" for every map entry below this node that nobody read, with a hint.
  void report_unused(Diagnostics& diags) const;

  /// Re-emits the tree as YAML text (flow style for short leaves); used for the resolved
  /// scenario stored in output provenance. Deterministic.
  std::string to_yaml() const;

 private:
  friend class ParamRecorder;
  /// find() without the describe pass's stand-in for an absent key.
  const ParamNode* find_child(std::string_view key) const;
  void note_iterated() const;
  void type_error(const char* expected, Diagnostics& diags) const;
  std::string child_path(std::string_view key) const;
  /// Marks this node read, and its origin (all of it when this scalar stands for a trajectory).
  void mark_used() const;
  void remember_asked(std::string_view key) const;

  Kind kind_ = Kind::Null;
  SourceLoc loc_;
  std::string path_;
  std::string text_;
  bool quoted_ = false;
  bool knot_patch_ = false;
  const ParamNode* origin_ = nullptr;
  std::vector<Entry> entries_;
  std::vector<ParamNode> items_;
  mutable bool used_ = false;
  mutable std::vector<std::string> asked_;  // key names looked up here (hint candidates)
};

/// What a node holds, for error messages: "'text'", "a list", "a map" or "nothing".
std::string describe_node(const ParamNode& node);
/// A number as it should read in a message (up to 10 significant digits).
std::string number_text(double value);

}  // namespace plansim

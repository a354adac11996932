#include "io/yaml_loader.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/text.h"
#include "io/yaml_text.h"

namespace plansim {
namespace {

std::string child_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

const char* kind_words(YAML::NodeType::value type) {
  switch (type) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Scalar:
      return "text";
    default:
      return "nothing";
  }
}

// Quoted and block scalars come with the non-specific tag "!"; an explicit !!str also makes a
// string. Plain scalars carry "?" and are typed by their reader.
bool is_string_tag(const std::string& tag) { return tag == "!" || tag == "tag:yaml.org,2002:str"; }

std::string depth_error() {
  return "nested deeper than " + std::to_string(kMaxYamlDepth) +
         " levels of lists and maps (limits: docs/input-limits.md)";
}

/// Where a document starts; every other event is ignored.
class DocumentStart : public YAML::EventHandler {
 public:
  YAML::Mark mark;
  void OnDocumentStart(const YAML::Mark& m) override { mark = m; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

/// Thrown inside the converter when a document exceeds a limit (already reported).
struct LimitExceeded {};

/// Converts one yaml-cpp document, translating byte marks into character columns. yaml-cpp shares
/// the node of an anchor among its aliases; the converter copies it, so a document that nests
/// aliases ("billion laughs") would grow exponentially: the number of values and the nesting
/// depth are bounded.
class Converter {
 public:
  Converter(std::string_view text, std::string file, Diagnostics& diags)
      : text_(text), file_(std::move(file)), diags_(diags) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text_.size(); ++i)
      if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }

  /// The location of a byte offset into the text.
  SourceLoc at_offset(std::size_t offset) const {
    offset = std::min(offset, text_.size());
    const auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const std::size_t line = static_cast<std::size_t>(next - line_starts_.begin()) - 1;
    std::size_t start = line_starts_[line];
    int column = 1;
    // Nodes come mostly in text order: counting on from the last offset on the same line keeps
    // a long line (a flow list of many values) linear rather than quadratic.
    if (line == cached_line_ && offset >= cached_offset_) {
      start = cached_offset_;
      column = cached_column_;
    }
    column += io_text::utf8_length(text_.substr(start, offset - start));
    cached_line_ = line;
    cached_offset_ = offset;
    cached_column_ = column;
    return SourceLoc{file_, static_cast<int>(line) + 1, column};
  }

  SourceLoc at_mark(const YAML::Mark& mark) const {
    if (mark.is_null() || mark.pos < 0) return at_offset(text_.size());
    return at_offset(static_cast<std::size_t>(mark.pos));
  }

  /// Just after the last non-blank character before `mark`: where an empty list item is.
  SourceLoc after_previous_token(const YAML::Mark& mark) const {
    std::size_t i = (mark.is_null() || mark.pos < 0)
                        ? text_.size()
                        : std::min<std::size_t>(mark.pos, text_.size());
    while (i > 0 && (text_[i - 1] == ' ' || text_[i - 1] == '\t' || text_[i - 1] == '\n' ||
                     text_[i - 1] == '\r'))
      --i;
    return at_offset(i);
  }

  /// `null_loc`, when given, is where an empty (Null) value is reported instead of its mark:
  /// yaml-cpp marks an empty value at the next token, often on a later line.
  ParamNode convert(const YAML::Node& node, const std::string& path, const SourceLoc* null_loc) {
    if (++values_ > kMaxYamlValues) {
      diags_.error(at_mark(node.Mark()),
                   "the document has more than " + std::to_string(kMaxYamlValues) +
                       " values once its aliases (*name) are expanded; each use of an alias "
                       "copies its anchor (limits: docs/input-limits.md)");
      throw LimitExceeded{};
    }
    if (depth_ >= kMaxYamlDepth) {
      diags_.error(at_mark(node.Mark()), depth_error());
      throw LimitExceeded{};
    }
    struct Deeper {
      int& depth;
      explicit Deeper(int& d) : depth(++d) {}
      ~Deeper() { --depth; }
    } deeper(depth_);
    switch (node.Type()) {
      case YAML::NodeType::Scalar: {
        check_text(node.Scalar(), at_mark(node.Mark()), path);
        ParamNode scalar = ParamNode::scalar(node.Scalar(), at_mark(node.Mark()), path);
        scalar.set_quoted(is_string_tag(node.Tag()));
        return scalar;
      }
      case YAML::NodeType::Sequence: {
        ParamNode seq(ParamNode::Kind::Sequence, at_mark(node.Mark()), path);
        seq.items().reserve(node.size());
        std::size_t index = 0;
        for (const YAML::Node& item : node) {
          std::optional<SourceLoc> empty_item;
          if (item.IsNull()) empty_item = after_previous_token(item.Mark());
          seq.items().push_back(convert(item, path + "[" + std::to_string(index) + "]",
                                        empty_item ? &*empty_item : nullptr));
          ++index;
        }
        return seq;
      }
      case YAML::NodeType::Map:
        return convert_map(node, path);
      default: {
        SourceLoc loc = at_mark(node.Mark());
        if (null_loc && (node.Mark().is_null() || loc.line != null_loc->line)) loc = *null_loc;
        return ParamNode(ParamNode::Kind::Null, std::move(loc), path);
      }
    }
  }

 private:
  /// Text is printed to terminals and stored as HDF5 UTF-8 strings: valid UTF-8 without control
  /// characters (line feeds and tabs allowed).
  void check_text(const std::string& text, const SourceLoc& loc, const std::string& path) {
    const std::string problem = text_problem(text);
    if (!problem.empty())
      diags_.error(loc, (path.empty() ? std::string() : path + ": ") + problem +
                            "; text must be valid UTF-8 without control characters");
  }

  ParamNode convert_map(const YAML::Node& node, const std::string& path) {
    ParamNode map(ParamNode::Kind::Map, at_mark(node.Mark()), path);
    std::unordered_map<std::string, SourceLoc> first_seen;
    for (const auto& pair : node) {
      const YAML::Node& key_node = pair.first;
      const SourceLoc key_loc = at_mark(key_node.Mark());
      if (!key_node.IsScalar()) {
        diags_.error(key_loc, (path.empty() ? std::string() : path + ": ") +
                                  "a map key must be plain text, got " +
                                  kind_words(key_node.Type()));
        continue;
      }
      const std::string& key = key_node.Scalar();
      const std::string value_path = child_path(path, key);
      check_text(key, key_loc, path);
      auto [seen, inserted] = first_seen.emplace(key, key_loc);
      if (!inserted) {
        diags_.error(key_loc, value_path + ": duplicate key '" + key + "' (first set at " +
                                  seen->second.str() + ")");
        continue;
      }
      map.entries().push_back(
          {key, key_loc, std::make_unique<ParamNode>(convert(pair.second, value_path, &key_loc))});
    }
    return map;
  }

  std::string_view text_;
  std::string file_;
  Diagnostics& diags_;
  std::vector<std::size_t> line_starts_;
  std::size_t values_ = 0;
  int depth_ = 0;
  mutable std::size_t cached_line_ = static_cast<std::size_t>(-1);
  mutable std::size_t cached_offset_ = 0;
  mutable int cached_column_ = 1;
};

}  // namespace

ParamNode parse_yaml(const std::string& text, const std::string& file_name, Diagnostics& diags) {
  // A byte-order mark is invisible to the user: columns start after it.
  const std::string_view body = std::string_view(text).substr(io_text::utf8_bom_length(text));
  Converter converter(body, file_name, diags);
  const SourceLoc start{file_name, 1, 1};
  YAML::Node document;
  std::optional<YAML::Mark> second_document;
  try {
    document = YAML::Load(std::string(body));
    // The documents after the first, read by events and at most one: yaml-cpp 0.7's LoadAll
    // never returns on a stray ',' (it yields empty documents without consuming it,
    // jbeder/yaml-cpp#1040), so it is not used.
    std::istringstream in{std::string(body)};
    YAML::Parser parser(in);
    DocumentStart first, next;
    if (parser.HandleNextDocument(first) && parser.HandleNextDocument(next)) {
      if (next.mark.pos == first.mark.pos)  // no progress: a token that starts no value
        throw YAML::ParserException(next.mark,
                                    "unexpected character here (a ',' outside a "
                                    "[list] or {map}?)");
      second_document = next.mark;
    }
  } catch (const YAML::DeepRecursion& e) {  // yaml-cpp's own guard, deeper than ours
    diags.error(converter.at_mark(e.mark), depth_error());
    return ParamNode(ParamNode::Kind::Null, start, "");
  } catch (const YAML::ParserException& e) {
    diags.error(converter.at_mark(e.mark), "malformed YAML: " + e.msg);
    return ParamNode(ParamNode::Kind::Null, start, "");
  } catch (const YAML::Exception& e) {
    diags.error(start, std::string("malformed YAML: ") + e.what());
    return ParamNode(ParamNode::Kind::Null, start, "");
  }
  if (!document.IsDefined()) return ParamNode(ParamNode::Kind::Null, start, "");
  if (second_document)
    diags.error(converter.at_mark(*second_document),
                "a second YAML document starts here; a file holds one document (remove the "
                "'---' separator)");
  try {
    return converter.convert(document, "", &start);
  } catch (const LimitExceeded&) {
    return ParamNode(ParamNode::Kind::Null, start, "");
  }
}

ParamNode load_yaml_file(const std::string& path, Diagnostics& diags,
                         const SourceLoc& referenced_from, const std::string& referenced_key) {
  std::string reason;
  std::optional<std::string> text = io_text::read_file(path, reason, io_text::kMaxYamlFileBytes);
  if (!text) {
    const SourceLoc where = referenced_from.file.empty() ? SourceLoc{path, 1, 1} : referenced_from;
    diags.error(where, (referenced_key.empty() ? std::string() : referenced_key + ": ") +
                           "cannot read '" + path + "': " + reason);
    return ParamNode(ParamNode::Kind::Null, SourceLoc{path, 1, 1}, "");
  }
  return parse_yaml(*text, path, diags);
}

}  // namespace plansim

// Field readers shared by the indicator files (observed.yaml, targets.yaml): the same key rule
// and the same "required, non-empty text" check, so both files report the same errors.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "core/params.h"

namespace plansim {

/// Keys become HDF5 dataset names and CSV cells: keep them to letters, digits and '_'.
inline bool is_plain_key(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

/// The text at `key` of `node`: an error when it is absent, not text or empty.
inline std::string required_text(const ParamNode& node, std::string_view key, Diagnostics& diags) {
  const ParamNode* value = node.require(key, diags);
  if (!value) return {};
  const std::optional<std::string> text = value->as_string(diags);
  if (text && text->empty()) diags.error(value->loc(), value->path() + ": must not be empty");
  return text.value_or(std::string());
}

}  // namespace plansim

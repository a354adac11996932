// Machine-readable output of `plansim check`, `inspect` and `compare` (--format json): one JSON
// document on stdout, UTF-8, NaN as null, every number at full precision (nlohmann-json).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/diagnostics.h"

namespace plansim {

class ResultsFile;

/// Errors as [{"file", "line", "column", "message"}], sorted as Diagnostics::format() sorts them.
nlohmann::ordered_json diagnostics_json(const Diagnostics& diags);
/// Everything `inspect` prints: /meta, years, replicates, and each group's series with unit,
/// labels, description, shape and base- and final-year means.
nlohmann::ordered_json inspect_json(const ResultsFile& file);
/// A double, or null for NaN and infinities (JSON has no NaN).
nlohmann::ordered_json number_or_null(double value);
/// As number_or_null, but a whole number (a seed, a count, a year) as an integer.
nlohmann::ordered_json exact_number(double value);
/// Serialised with two-space indentation and a final newline; non-ASCII kept as UTF-8.
std::string json_text(const nlohmann::ordered_json& document);

}  // namespace plansim

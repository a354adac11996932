// The one builder of series declarations: every module's configure() declares its series with
// declare(catalog, kind, key, unit, label_zh, label_en, description).
#pragma once

#include <string>
#include <utility>

#include "core/results.h"

namespace plansim {

inline void declare(SeriesCatalog& catalog, SeriesKind kind, std::string key, std::string unit,
                    std::string label_zh, std::string label_en, std::string description) {
  catalog.declare({kind, std::move(key), std::move(unit), std::move(label_zh), std::move(label_en),
                   std::move(description)});
}

}  // namespace plansim

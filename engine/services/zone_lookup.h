// Resolving zone references in configs and scenarios (a zone's key, Chinese or English name) to
// zone rows, with "did you mean" hints. Header-only: shared by services and their interventions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "core/params.h"
#include "core/world.h"
#include "population/city_zones.h"

namespace plansim {

class ZoneLookup {
 public:
  ZoneLookup() = default;
  explicit ZoneLookup(const std::vector<ZoneLabel>& zones) : zones_(zones) {}

  /// The zones of the city catalogue; nullopt when the city has none (then the scenario cannot
  /// run: the synthesis reports the missing file).
  static std::optional<ZoneLookup> from_catalog(const CityZones& city) {
    if (city.zones.empty()) return std::nullopt;
    return ZoneLookup(city.labels());
  }

  bool empty() const { return zones_.empty(); }
  std::size_t size() const { return zones_.size(); }

  /// Row of the zone whose key, Chinese name or English name (any case) is `ref`.
  std::optional<std::uint16_t> find(std::string_view ref) const {
    for (std::size_t z = 0; z < zones_.size(); ++z) {
      const ZoneLabel& l = zones_[z];
      if (l.key == ref || (!l.name_zh.empty() && l.name_zh == ref) || iequals(l.key, ref) ||
          (!l.name_en.empty() && iequals(l.name_en, ref)))
        return static_cast<std::uint16_t>(z);
    }
    return std::nullopt;
  }

  /// "unknown zone 'xushiu' (did you mean 'xushui'?; zones: a, b, ...)".
  std::string unknown_message(std::string_view ref) const {
    std::vector<std::string> keys;
    for (const auto& z : zones_) keys.push_back(z.key);
    std::string message = "unknown zone '" + std::string(ref) + "'";
    const std::string hint = closest_match(std::string(ref), keys);
    message += hint.empty() ? " (zones: " : " (did you mean '" + hint + "'?; zones: ";
    for (std::size_t i = 0; i < keys.size(); ++i) message += (i ? ", " : "") + keys[i];
    return message + ")";
  }

 private:
  static bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const auto lower = [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
      };
      if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
  }
  std::vector<ZoneLabel> zones_;
};

}  // namespace plansim

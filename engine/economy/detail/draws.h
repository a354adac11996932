// Which random stream each draw of the economy comes from.
//
// A stream is keyed by (year, process id, subject). Persons and firms have separate id spaces,
// and one agent draws for several purposes, so the subject is rng_subject(purpose tag, agent id)
// (core/rng.h): draws for one purpose never shift those for another.
// Lifetime traits (participation propensity, pension scheme, retirement group) are drawn in
// "year" 0 so that they stay the same for a person's whole life.
#pragma once

#include <cstdint>

#include "core/rng.h"

namespace plansim::economy {

enum class Purpose : std::uint8_t {
  kParticipation = 1,    // person, lifetime: propensity to be in the labour force
  kRetirementGroup,      // person, lifetime: female worker or cadre retirement age
  kPensionScheme,        // person, lifetime: employee or residents' pension
  kPensionCoverage,      // person, lifetime: enrolled in a pension scheme
  kInitialUnemployment,  // person, base year: who is unemployed
  kQuit,                 // person, yearly
  kLayoff,               // person, yearly: order in which a shrinking firm lets workers go
  kFirmCreation,         // firm, once: zone, productivity, size, age
  kFirmYear,             // firm, yearly: exit, growth shock, rounding
  kPatents,              // firm, yearly
  kSectorEntry,          // sector index, yearly: number of entrants
  kMatching = 64,        // person, yearly, + round: search and choice
};

inline constexpr int kLifetimeYear = kRngLifetimeYear;
/// Most matching rounds a year (economy.labour.matching_rounds): one tag per round.
inline constexpr unsigned kMaxMatchingRounds = 50;

/// The purposes of the economy process's draws (core/rng.h), checked not to share a stream.
inline constexpr RngPurpose kPurposes[] = {
    {"participation", static_cast<unsigned>(Purpose::kParticipation), 1, true},
    {"retirement group", static_cast<unsigned>(Purpose::kRetirementGroup), 1, true},
    {"pension scheme", static_cast<unsigned>(Purpose::kPensionScheme), 1, true},
    {"pension coverage", static_cast<unsigned>(Purpose::kPensionCoverage), 1, true},
    {"initial unemployment", static_cast<unsigned>(Purpose::kInitialUnemployment)},
    {"quit", static_cast<unsigned>(Purpose::kQuit)},
    {"layoff", static_cast<unsigned>(Purpose::kLayoff)},
    {"firm creation", static_cast<unsigned>(Purpose::kFirmCreation)},
    {"firm year", static_cast<unsigned>(Purpose::kFirmYear)},
    {"patents", static_cast<unsigned>(Purpose::kPatents)},
    {"sector entry", static_cast<unsigned>(Purpose::kSectorEntry)},
    {"matching round", static_cast<unsigned>(Purpose::kMatching), kMaxMatchingRounds},
};
static_assert(rng_tags_distinct(kPurposes), "two purposes of the economy share a random stream");

/// The subject of `id` for `purpose` (+ `offset`: the matching round).
inline std::uint64_t subject(Purpose purpose, std::uint64_t id, unsigned offset = 0) {
  return rng_subject(static_cast<unsigned>(purpose) + offset, id);
}

/// The draws of one subject for one purpose in one year (kLifetimeYear for lifetime traits).
inline AgentRng stream(const RngStreams& rng, int year, ProcessId process, Purpose purpose,
                       std::uint64_t id, unsigned offset = 0) {
  return rng.stream(year, process, subject(purpose, id, offset));
}

}  // namespace plansim::economy

// Which random stream each draw of the economy comes from.
//
// A stream is keyed by (year, process id, subject). Persons and firms have separate id spaces,
// and one agent draws for several purposes, so the subject carries a purpose tag in its top byte
// and the agent id in the low 56 bits: draws for one purpose never shift those for another.
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

inline constexpr std::uint64_t kIdMask = (std::uint64_t{1} << 56) - 1;
inline constexpr int kLifetimeYear = 0;

inline std::uint64_t subject(Purpose purpose, std::uint64_t id, unsigned offset = 0) {
  return (static_cast<std::uint64_t>(static_cast<std::uint8_t>(purpose) + offset) << 56) |
         (id & kIdMask);
}

/// The draws of one subject for one purpose in one year (kLifetimeYear for lifetime traits).
inline AgentRng stream(const RngStreams& rng, int year, ProcessId process, Purpose purpose,
                       std::uint64_t id, unsigned offset = 0) {
  return rng.stream(year, process, subject(purpose, id, offset));
}

}  // namespace plansim::economy

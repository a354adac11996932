// Household assembly of one zone: couples, children with their mothers, grandparents joining
// a child's family, elderly-only, single and "other" households. Internal to the synthesis;
// public for its tests.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/rng.h"
#include "population/synthesis_config.h"

namespace plansim {

/// The purposes of the synthesis process's draws (core/rng.h): the stages of a zone's household
/// assembly (subject: kZoneSubject | zone) and the order in which the persons of a (sex, age)
/// cell receive their education levels (subject: the person's index).
enum SynthesisDraw : std::uint8_t {
  kOrderStage = 1,    // random order keys of the zone's persons
  kPartnerStage,      // which women live with a partner
  kGapStage,          // husband's age gap
  kDependentStage,    // which unpartnered young adults live with a parent
  kChildStage,        // mother's age at birth, sibling preference
  kGrandparentStage,  // grandparent's age gap to the parent
  kEducationOrder = 0x10,
};
inline constexpr RngPurpose kSynthesisPurposes[] = {
    {"household order", kOrderStage},
    {"partners", kPartnerStage},
    {"age gaps", kGapStage},
    {"dependants", kDependentStage},
    {"children", kChildStage},
    {"grandparents", kGrandparentStage},
    {"education order", kEducationOrder},
};
static_assert(rng_tags_distinct(kSynthesisPurposes),
              "two purposes of the synthesis share a random stream");
/// Marks the id of a zone's assembly streams (a bit above any zone index).
inline constexpr std::uint64_t kZoneSubject = std::uint64_t{1} << 48;

/// Random streams of one zone: one stream per assembly stage, so that changing one stage does
/// not shift the draws of the others.
struct ZoneStreams {
  const RngStreams& rng;
  int year;
  ProcessId process;
  std::uint16_t zone;
  AgentRng stage(SynthesisDraw stage_tag) const {
    return rng.stream(year, process, rng_subject(stage_tag, kZoneSubject | zone));
  }
};

/// Households of one zone over its persons (local indices 0..n-1), household by household.
struct ZoneHouseholds {
  std::vector<std::uint32_t> member;   // local person indices, each exactly once
  std::vector<std::uint32_t> offset;   // household h has member[offset[h] .. offset[h+1])
  std::vector<std::uint8_t> type;      // HouseholdType per household
  std::vector<std::uint32_t> partner;  // per local person: local index of the partner or kNoRow
  /// Persons the rules could not place: children under the adult age housed with an adult of
  /// any age gap, or with nobody (an "other" household of their own).
  std::int64_t leftover_persons = 0;

  std::size_t household_count() const { return type.size(); }
};

/// Assembles the households of one zone from its persons' ages and sexes. Deterministic given
/// the streams; allocation is proportional to the zone's size.
ZoneHouseholds assemble_households(std::span<const std::uint8_t> age,
                                   std::span<const std::uint8_t> sex,
                                   const HouseholdTargets& targets,
                                   const HouseholdFormation& formation, const ZoneStreams& streams);

}  // namespace plansim

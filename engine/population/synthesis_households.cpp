#include "population/synthesis_households.h"

#include <algorithm>
#include <cmath>

namespace plansim {
namespace {

constexpr std::size_t kGrandparentHostTries = 8;  // random host families tried per age bucket

double band_value(const std::vector<AgeBand>& bands, int age) {
  for (const AgeBand& b : bands)
    if (age >= b.from_age && age <= b.to_age) return b.value;
  return 0.0;
}

int draw_years(AgentRng& rng, const NormalSpec& spec) {
  const double v = std::clamp(spec.mean + spec.sd * rng.normal(), spec.min, spec.max);
  return static_cast<int>(std::lround(v));
}

/// Tries ages target, target+1, target-1, target+2, ... up to ±window, inside [lo, hi]; stops at
/// the first age where try_age(age) succeeds.
template <class Try>
bool search_ages(int target, int lo, int hi, int window, Try&& try_age) {
  lo = std::max(lo, 0);
  hi = std::min(hi, kMaxAge);
  for (int d = 0; d <= window; ++d) {
    if (target + d >= lo && target + d <= hi && try_age(target + d)) return true;
    if (d > 0 && target - d >= lo && target - d <= hi && try_age(target - d)) return true;
  }
  return false;
}

/// A family nucleus: a couple or a lone parent (or a single grandparent), with its children.
struct Unit {
  std::uint32_t first = kNoRow;   // wife, lone parent or lone grandparent
  std::uint32_t second = kNoRow;  // husband, if a couple
  std::uint16_t children = 0;
  std::uint8_t oldest_child_age = 0;
  std::int32_t grandparents = -1;  // unit living with this one as grandparents
  bool hosted = false;             // this unit lives in another unit's household
};

}  // namespace

ZoneHouseholds assemble_households(std::span<const std::uint8_t> age,
                                   std::span<const std::uint8_t> sex,
                                   const HouseholdTargets& targets, const HouseholdFormation& f,
                                   const ZoneStreams& streams) {
  const std::uint32_t n = static_cast<std::uint32_t>(age.size());
  ZoneHouseholds out;
  out.partner.assign(n, kNoRow);
  out.offset.push_back(0);
  if (n == 0) return out;

  std::vector<std::int32_t> unit_of(n, -1);      // the unit a person heads or partners in
  std::vector<std::int32_t> parent_unit(n, -1);  // the unit a child lives with
  std::vector<Unit> units;
  units.reserve(n / 2 + 1);

  std::vector<std::uint32_t> order_key(n);
  {
    AgentRng rng = streams.stage(kOrderStage);
    for (auto& k : order_key) k = rng.next32();
  }
  const auto by_key = [&](std::uint32_t a, std::uint32_t b) {
    return order_key[a] != order_key[b] ? order_key[a] < order_key[b] : a < b;
  };
  const auto new_unit = [&](std::uint32_t first, std::uint32_t second) {
    units.push_back(Unit{first, second});
    const auto u = static_cast<std::int32_t>(units.size() - 1);
    unit_of[first] = u;
    if (second != kNoRow) unit_of[second] = u;
    return static_cast<std::uint32_t>(u);
  };

  // 1. Couples: women partnered with the share of their age, each matched to a man of about
  //    her age plus a drawn gap, taken from men bucketed by age (in random order).
  {
    std::vector<std::vector<std::uint32_t>> men(kMaxAge + 1);
    for (std::uint32_t i = 0; i < n; ++i)
      if (sex[i] == kMale && age[i] >= f.min_husband_age) men[age[i]].push_back(i);
    for (auto& bucket : men) std::sort(bucket.begin(), bucket.end(), by_key);
    std::vector<std::uint32_t> brides;
    AgentRng choose = streams.stage(kPartnerStage);
    for (std::uint32_t i = 0; i < n; ++i)
      if (sex[i] == kFemale && choose.uniform() < band_value(f.partnered_share_of_women, age[i]))
        brides.push_back(i);
    std::sort(brides.begin(), brides.end(), by_key);
    AgentRng gaps = streams.stage(kGapStage);
    const NormalSpec& g = f.husband_age_gap;
    for (std::uint32_t w : brides) {
      const int wife_age = age[w];
      search_ages(wife_age + draw_years(gaps, g),
                  std::max(wife_age + static_cast<int>(std::ceil(g.min)), f.min_husband_age),
                  wife_age + static_cast<int>(std::floor(g.max)), f.age_search_window, [&](int a) {
                    auto& bucket = men[a];
                    if (bucket.empty()) return false;
                    const std::uint32_t m = bucket.back();
                    bucket.pop_back();
                    out.partner[w] = m;
                    out.partner[m] = w;
                    new_unit(w, m);
                    return true;
                  });
    }
  }

  // 2. Children: everyone under the adult age, and unpartnered young adults with the share of
  //    their age, live with a mother whose age minus theirs is a drawn age at birth.
  std::vector<std::uint8_t> dependent(n, 0);
  {
    AgentRng rng = streams.stage(kDependentStage);
    for (std::uint32_t i = 0; i < n; ++i) {
      const double u = rng.uniform();
      dependent[i] = age[i] < f.adult_age ||
                     (unit_of[i] < 0 && u < band_value(f.unpartnered_adults_with_parents, age[i]));
    }
  }
  const int max_children = f.max_children_per_mother;
  // Mothers by age and by the number of children they have so far (stack of units).
  std::vector<std::vector<std::uint32_t>> mothers(static_cast<std::size_t>(kMaxAge + 1) *
                                                  max_children);
  const auto mothers_at = [&](int a, int children) -> std::vector<std::uint32_t>& {
    return mothers[static_cast<std::size_t>(a) * max_children + children];
  };
  std::vector<std::vector<std::uint32_t>> units_by_parent_age(kMaxAge + 1);
  for (std::uint32_t u = 0; u < units.size(); ++u) {
    mothers_at(age[units[u].first], 0).push_back(u);
    units_by_parent_age[age[units[u].first]].push_back(u);
  }
  // Unpartnered adult women who can head a lone-parent family when no couple fits.
  std::vector<std::vector<std::uint32_t>> lone_women(kMaxAge + 1);
  std::vector<std::uint32_t> children;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (dependent[i])
      children.push_back(i);
    else if (sex[i] == kFemale && unit_of[i] < 0 && age[i] >= f.adult_age)
      lone_women[age[i]].push_back(i);
  }
  for (auto& bucket : lone_women) std::sort(bucket.begin(), bucket.end(), by_key);
  std::sort(children.begin(), children.end(), by_key);
  const auto add_child = [&](std::uint32_t u, std::uint32_t c) {
    parent_unit[c] = static_cast<std::int32_t>(u);
    ++units[u].children;
    units[u].oldest_child_age = std::max(units[u].oldest_child_age, age[c]);
  };
  {
    AgentRng rng = streams.stage(kChildStage);
    const NormalSpec& birth = f.mother_age_at_birth;
    for (std::uint32_t c : children) {
      const int child_age = age[c];
      const bool prefer_sibling = rng.bernoulli(f.sibling_share);
      const int target = child_age + draw_years(rng, birth);
      const int lo = child_age + static_cast<int>(std::ceil(birth.min));
      const int hi = child_age + static_cast<int>(std::floor(birth.max));
      // First pass: only mothers of the preferred kind (with or without children so far), over
      // twice the search window; second pass: any mother with room, over the window.
      const auto take_mother = [&](int a, int k) {
        auto& stack = mothers_at(a, k);
        if (stack.empty()) return false;
        const std::uint32_t u = stack.back();
        stack.pop_back();
        add_child(u, c);
        if (k + 1 < max_children) mothers_at(a, k + 1).push_back(u);
        return true;
      };
      bool placed = search_ages(target, lo, hi, 2 * f.age_search_window, [&](int a) {
        if (!prefer_sibling || max_children == 1) return take_mother(a, 0);
        for (int k = 1; k < max_children; ++k)
          if (take_mother(a, k)) return true;
        return false;
      });
      if (!placed)
        placed = search_ages(target, lo, hi, f.age_search_window, [&](int a) {
          for (int k = 0; k < max_children; ++k)
            if (take_mother(a, k)) return true;
          return false;
        });
      if (!placed)  // a lone mother anywhere in the allowed age range
        placed = search_ages(target, lo, hi, hi - lo, [&](int a) {
          auto& bucket = lone_women[a];
          if (bucket.empty()) return false;
          const std::uint32_t u = new_unit(bucket.back(), kNoRow);
          bucket.pop_back();
          units_by_parent_age[a].push_back(u);
          add_child(u, c);
          if (max_children > 1) mothers_at(a, 1).push_back(u);
          return true;
        });
      if (!placed && child_age < f.adult_age) {
        // Last resort for a minor: any family whose head is at least 15 years older.
        placed = search_ages(target, child_age + 15, kMaxAge, kMaxAge, [&](int a) {
          if (units_by_parent_age[a].empty()) return false;
          add_child(units_by_parent_age[a].front(), c);
          return true;
        });
        if (placed) ++out.leftover_persons;  // housed, but outside the rules
      }
      if (!placed) dependent[c] = 0;  // an adult who lives on their own instead
    }
  }

  // 3. Three generations: childless couples and unpartnered persons of grandparent age join a
  //    family with children (the elderly first), up to the three-generation target.
  const double household_target = n / targets.mean_size;
  const auto size_distribution = household_size_distribution(targets.size_shape, targets.mean_size,
                                                             targets.mean_size_five_plus);
  {
    const auto three_generation_target = static_cast<std::int64_t>(
        std::llround(targets.type_shares[kThreeGenerationHousehold] * household_target));
    std::vector<std::vector<std::uint32_t>> hosts(kMaxAge + 1);
    for (std::uint32_t u = 0; u < units.size(); ++u)
      if (units[u].children > 0) hosts[age[units[u].first]].push_back(u);
    struct Candidate {
      std::uint32_t person;  // the unit's first member, or the unpartnered person
      int youngest_age;
    };
    std::vector<Candidate> candidates;
    for (std::uint32_t i = 0; i < n; ++i) {
      if (unit_of[i] >= 0) {
        const Unit& u = units[static_cast<std::size_t>(unit_of[i])];
        if (u.first != i || u.children > 0 || u.second == kNoRow) continue;
        const int youngest = std::min(age[u.first], age[u.second]);
        if (youngest >= f.grandparent_min_age) candidates.push_back({i, youngest});
      } else if (parent_unit[i] < 0 && !dependent[i] && age[i] >= f.grandparent_min_age) {
        candidates.push_back({i, age[i]});
      }
    }
    // Unpartnered grandparents first (a widowed parent moving in with a child's family is the
    // common three-generation pattern), each group in random order.
    std::sort(candidates.begin(), candidates.end(), [&](const Candidate& a, const Candidate& b) {
      const bool a_single = unit_of[a.person] < 0, b_single = unit_of[b.person] < 0;
      return a_single != b_single ? a_single : by_key(a.person, b.person);
    });
    AgentRng rng = streams.stage(kGrandparentStage);
    const NormalSpec& gap = f.grandparent_age_gap_to_parent;
    std::int64_t placed = 0;
    for (const Candidate& cand : candidates) {
      if (placed >= three_generation_target) break;
      const int ga = cand.youngest_age;
      const bool joined = search_ages(
          ga - draw_years(rng, gap), ga - static_cast<int>(std::floor(gap.max)),
          ga - static_cast<int>(std::ceil(gap.min)), f.age_search_window, [&](int a) {
            auto& bucket = hosts[a];
            // A few families of this parent age picked at random (the first whose oldest child
            // is young enough): a host's number of children follows the families' own mix,
            // whatever the zone's size.
            std::size_t slot = bucket.size();
            for (std::size_t k = 0; k < std::min(bucket.size(), kGrandparentHostTries); ++k) {
              const std::size_t s = rng.below(static_cast<std::uint32_t>(bucket.size()));
              if (ga - units[bucket[s]].oldest_child_age >= f.grandparent_min_gap_to_grandchild) {
                slot = s;
                break;
              }
            }
            if (slot != bucket.size()) {
              const std::uint32_t host = bucket[slot];
              bucket[slot] = bucket.back();
              bucket.pop_back();
              const std::uint32_t gp = unit_of[cand.person] >= 0
                                           ? static_cast<std::uint32_t>(unit_of[cand.person])
                                           : new_unit(cand.person, kNoRow);
              units[gp].hosted = true;
              units[host].grandparents = static_cast<std::int32_t>(gp);
              return true;
            }
            return false;
          });
      placed += joined;
    }
  }

  // 4. Everyone else lives alone, except that surplus one-person households (beyond the size
  //    distribution's share) become pairs of similar-aged adults under 60 ("other").
  std::vector<std::uint32_t> alone, young_alone, orphans;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (unit_of[i] >= 0 || parent_unit[i] >= 0) continue;
    if (age[i] < f.adult_age) {
      orphans.push_back(i);
      continue;
    }
    alone.push_back(i);
    if (age[i] < f.elderly_age) young_alone.push_back(i);
  }
  const auto one_person_target =
      static_cast<std::int64_t>(std::llround(size_distribution[0] * household_target));
  const std::int64_t surplus = static_cast<std::int64_t>(alone.size()) - one_person_target;
  const std::size_t pairs = surplus > 0
                                ? std::min<std::size_t>(static_cast<std::size_t>((surplus + 1) / 2),
                                                        young_alone.size() / 2)
                                : 0;
  std::vector<std::uint8_t> paired(n, 0);
  std::sort(young_alone.begin(), young_alone.end(), by_key);
  young_alone.resize(2 * pairs);
  std::sort(young_alone.begin(), young_alone.end(), [&](std::uint32_t a, std::uint32_t b) {
    return age[a] != age[b] ? age[a] < age[b] : by_key(a, b);
  });
  for (std::uint32_t p : young_alone) paired[p] = 1;

  // Children of each unit, oldest first.
  std::vector<std::uint32_t> child_offset(units.size() + 1, 0), child_row(n);
  for (std::uint32_t i = 0; i < n; ++i)
    if (parent_unit[i] >= 0) ++child_offset[static_cast<std::size_t>(parent_unit[i]) + 1];
  for (std::size_t u = 0; u < units.size(); ++u) child_offset[u + 1] += child_offset[u];
  {
    std::vector<std::uint32_t> cursor(child_offset.begin(), child_offset.end() - 1);
    for (std::uint32_t i = 0; i < n; ++i)
      if (parent_unit[i] >= 0) child_row[cursor[static_cast<std::size_t>(parent_unit[i])]++] = i;
  }

  out.member.reserve(n);
  out.offset.reserve(n / 2 + 2);
  out.type.reserve(n / 2 + 1);
  const auto close = [&](HouseholdType t) {
    out.type.push_back(t);
    out.offset.push_back(static_cast<std::uint32_t>(out.member.size()));
  };
  const auto elderly = [&](std::uint32_t p) { return p == kNoRow || age[p] >= f.elderly_age; };
  for (std::size_t u = 0; u < units.size(); ++u) {
    const Unit& unit = units[u];
    if (unit.hosted) continue;
    out.member.push_back(unit.first);
    if (unit.second != kNoRow) out.member.push_back(unit.second);
    const std::size_t before = out.member.size();
    out.member.insert(out.member.end(), child_row.begin() + child_offset[u],
                      child_row.begin() + child_offset[u + 1]);
    std::stable_sort(out.member.begin() + static_cast<std::ptrdiff_t>(before), out.member.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return age[a] > age[b]; });
    if (unit.grandparents >= 0) {
      const Unit& gp = units[static_cast<std::size_t>(unit.grandparents)];
      out.member.push_back(gp.first);
      if (gp.second != kNoRow) out.member.push_back(gp.second);
      close(kThreeGenerationHousehold);
    } else if (unit.children > 0) {
      close(unit.second != kNoRow ? kCoupleWithChildrenHousehold : kOtherHousehold);
    } else if (unit.second != kNoRow) {
      close(elderly(unit.first) && elderly(unit.second) ? kElderlyOnlyHousehold : kCoupleHousehold);
    } else {
      close(elderly(unit.first) ? kElderlyOnlyHousehold : kSingleHousehold);
    }
  }
  for (std::size_t k = 0; k + 1 < young_alone.size(); k += 2) {
    out.member.push_back(young_alone[k]);
    out.member.push_back(young_alone[k + 1]);
    close(kOtherHousehold);
  }
  for (std::uint32_t p : alone) {
    if (paired[p]) continue;
    out.member.push_back(p);
    close(elderly(p) ? kElderlyOnlyHousehold : kSingleHousehold);
  }
  for (std::uint32_t p : orphans) {
    out.member.push_back(p);
    close(kOtherHousehold);
  }
  out.leftover_persons += static_cast<std::int64_t>(orphans.size());
  return out;
}

}  // namespace plansim

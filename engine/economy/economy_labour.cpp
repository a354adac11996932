// The labour market of a year: labour-force transitions (retirement, participation, quits), the
// matching of seekers to vacancies and the wages of the employed.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/parallel.h"
#include "economy/detail/common.h"
#include "economy/detail/draws.h"
#include "economy/economy.h"

namespace plansim {

using namespace economy;
using namespace economy::detail;

void EconomyProcess::labour_force_transitions(StepContext& ctx) {
  World& world = ctx.world;
  PersonTable& p = world.persons;
  PersonJobs labour(p);
  const std::size_t firms = world.get<FirmTable>().size();
  const int year = ctx.year, min_age = config_.labour.min_working_age;
  const double quit_rate = config_.labour.quit_rate;
  // Discouraged and added workers: participation of those without a job moves against the gap
  // between this year's starting unemployment rate and the base year's.
  const double labour_force = static_cast<double>(state_.employed + state_.unemployed);
  const double unemployment = labour_force > 0
                                  ? static_cast<double>(state_.unemployed) / labour_force
                                  : config_.surveyed_unemployment_rate_2020;
  const double response = std::exp(-config_.labour.participation_response *
                                   (unemployment - config_.surveyed_unemployment_rate_2020));
  was_employed_.assign(p.size(), 0);
  const std::size_t chunks = chunk_count(p.size());
  std::vector<std::int64_t> retirements(chunks, 0);
  for_each_chunk(p.size(), [&](std::size_t begin, std::size_t end, std::size_t chunk) {
    for (std::size_t i = begin; i < end; ++i) {
      std::uint8_t status = labour.labour_status[i];
      const bool employed = status == kEmployed && labour.employer[i] < firms;
      was_employed_[i] = employed && !p.removed[i];
      if (status == kEmployed && !employed) status = kUnemployed;  // employer gone
      if (p.removed[i]) {                                          // died or moved away this year
        labour.employer[i] = kNoRow;
        labour.wage_yuan[i] = 0.0f;
        continue;
      }
      const bool female = p.sex[i] == kFemale;
      const int age = p.age[i];
      std::uint8_t next;
      if (status == kRetired ||
          age >= retirement_age(year, p.id[i], female, ctx.rng, ctx.process_id)) {
        next = kRetired;
      } else if (age < min_age) {
        next = kNotInLabourForce;
      } else {
        const double base =
            participation_[(female * kEducationLevels + p.education[i]) * (kMaxAge + 1) + age];
        // A job is not given up for a slack market; a tight one draws people in.
        const double prob = base * (employed ? std::max(1.0, response) : response);
        const double u = ctx.lifetime_stream(Purpose::kParticipation, p.id[i]).uniform();
        if (u >= prob)
          next = kNotInLabourForce;
        else if (!employed)
          next = kUnemployed;  // entrants and the unemployed search
        else
          next = ctx.stream(Purpose::kQuit, p.id[i]).bernoulli(quit_rate) ? kUnemployed : kEmployed;
      }
      if (employed && next != kEmployed) {
        labour.employer[i] = kNoRow;
        labour.wage_yuan[i] = 0.0f;
      }
      retirements[chunk] += employed && next == kRetired;
      labour.labour_status[i] = next;
    }
  });
  state_.retirements = std::accumulate(retirements.begin(), retirements.end(), std::int64_t{0});
}

std::int64_t EconomyProcess::run_matching(StepContext& ctx, bool base_assignment,
                                          std::int64_t& newly_employed) {
  World& world = ctx.world;
  FirmTable& firms = world.get<FirmTable>();
  const PersonTable& p = world.persons;
  ConstPersonJobs labour(p);
  buckets_.build(firms, state_.zones, state_.sectors.size());
  if (!base_assignment) {  // everyone unemployed searches; the base year brings its own list
    seekers_.clear();
    for (std::size_t i = 0; i < p.size(); ++i)
      if (!p.removed[i] && labour.labour_status[i] == kUnemployed)
        seekers_.push_back(static_cast<std::uint32_t>(i));
  }
  if (!base_assignment && ctx.year == config_.base_year) {
    // Matching efficiency such that the base year's hires refill its vacancies: the base year is
    // then a steady state of the labour market, whose unemployment is the published rate.
    double open = 0;
    for (std::size_t f = 0; f < firms.size(); ++f) open += firms.vacancies[f];
    matching_rules_.efficiency =
        matching_rules_.calibrate_efficiency(open, static_cast<double>(seekers_.size()));
    ctx.out.scalar("economy_matching_efficiency", matching_rules_.efficiency);
  }
  // Seekers who held no job on 1 January (entrants, the unemployed, in-migrants), before and after.
  const auto not_employed_before = [&] {
    std::int64_t n = 0;
    for (std::uint32_t i : seekers_) n += i >= was_employed_.size() || !was_employed_[i];
    return n;
  };
  const std::int64_t new_seekers = not_employed_before();
  MatchingRules rules = matching_rules_;
  if (base_assignment) {  // building the base year's jobs: no friction
    rules.rounds = std::max(8, rules.rounds);
    rules.search_intensity = 1.0;
    rules.efficiency = 0;
  }
  std::int64_t hires = matcher_.match(world, buckets_, state_.access, rules, seekers_, ctx.rng,
                                      ctx.year, ctx.process_id);
  if (base_assignment) hires += fill_in_order(world, seekers_);
  newly_employed = new_seekers - not_employed_before();
  return hires;
}

void EconomyProcess::pay_wages(World& world) {
  PersonTable& p = world.persons;
  PersonJobs labour(p);
  const FirmTable& firms = world.get<FirmTable>();
  for_each_chunk(p.size(), [&](std::size_t begin, std::size_t end, std::size_t) {
    for (std::size_t i = begin; i < end; ++i) {
      const std::uint32_t f = labour.employer[i];
      labour.wage_yuan[i] =
          f != kNoRow && labour.labour_status[i] == kEmployed
              ? static_cast<float>(firms.wage_level_yuan[f] * config_.wage_premium[p.education[i]])
              : 0.0f;
    }
  });
}

}  // namespace plansim

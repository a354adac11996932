#include "economy/detail/matching.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/parallel.h"
#include "economy/detail/draws.h"

namespace plansim::economy {

AccessMatrix commuting_access(const std::vector<ZoneLabel>& zones, double decay_m) {
  AccessMatrix m;
  m.zones = std::max<std::size_t>(1, zones.size());
  m.weight.assign(m.zones * m.zones, 1.0);
  const bool known =
      !zones.empty() && std::all_of(zones.begin(), zones.end(), [](const ZoneLabel& z) {
        return std::isfinite(z.x_m) && std::isfinite(z.y_m);
      });
  if (!known) return m;
  constexpr double kPi = 3.141592653589793;
  for (std::size_t h = 0; h < zones.size(); ++h) {
    for (std::size_t w = 0; w < zones.size(); ++w) {
      double d = std::hypot(zones[h].x_m - zones[w].x_m, zones[h].y_m - zones[w].y_m);
      if (h == w && std::isfinite(zones[h].area_km2) && zones[h].area_km2 > 0)
        d = 0.5 * std::sqrt(zones[h].area_km2 * 1e6 / kPi);
      m.weight[h * m.zones + w] = std::exp(-d / decay_m);
    }
  }
  return m;
}

void FirmBuckets::build(const FirmTable& firms, std::size_t zone_count, std::size_t sector_count) {
  zones = std::max<std::size_t>(1, zone_count);
  sectors = sector_count;
  const std::size_t n = firms.size();
  offset.assign(buckets() + 1, 0);
  const auto bucket_of = [&](std::size_t f) {
    const std::size_t z = firms.zone[f] < zones ? firms.zone[f] : 0;
    return z * sectors + firms.sector[f];
  };
  for (std::size_t f = 0; f < n; ++f) ++offset[bucket_of(f) + 1];
  for (std::size_t b = 0; b < buckets(); ++b) offset[b + 1] += offset[b];
  firm.resize(n);
  std::vector<std::uint32_t> cursor(offset.begin(), offset.end() - 1);
  for (std::size_t f = 0; f < n; ++f) firm[cursor[bucket_of(f)]++] = static_cast<std::uint32_t>(f);
}

double MatchingRules::expected_hires(double vacancies, double seekers) const {
  double hires = 0;
  for (int round = 0; round < rounds; ++round) {
    const double h = std::min(vacancies, application_rate(vacancies, seekers) * seekers);
    hires += h;
    vacancies -= h;
    seekers -= h;
  }
  return hires;
}

double MatchingRules::calibrate_efficiency(double vacancies, double seekers) const {
  if (vacancies <= 0 || seekers <= 0) return 1.0;
  MatchingRules trial = *this;
  const double wanted = 0.999 * std::min(vacancies, seekers);
  double low = 0, high = 1;
  trial.efficiency = high;
  while (trial.expected_hires(vacancies, seekers) < wanted && high < 1e6)
    trial.efficiency = high *= 2;
  for (int k = 0; k < 60; ++k) {
    trial.efficiency = 0.5 * (low + high);
    (trial.expected_hires(vacancies, seekers) < wanted ? low : high) = trial.efficiency;
  }
  return high;
}

std::int64_t JobMatcher::match(World& world, const FirmBuckets& buckets, const AccessMatrix& access,
                               const MatchingRules& rules, std::vector<std::uint32_t>& seekers,
                               const RngStreams& rng, int year, ProcessId process) {
  PersonTable& p = world.persons;
  PersonJobs labour(p);
  FirmTable& firms = world.get<FirmTable>();
  const std::size_t nb = buckets.buckets(), zones = buckets.zones, sectors = buckets.sectors;
  const std::size_t levels = kEducationLevels;
  vacancies_.resize(nb);
  hires_.assign(nb, 0);
  cumulative_.resize(zones * levels * nb);
  applicant_offset_.resize(nb + 1);
  cursor_.resize(nb);
  std::int64_t total_hires = 0;

  for (int round = 0; round < rules.rounds && !seekers.empty(); ++round) {
    // Open vacancies per bucket.
    tbb::parallel_for(std::size_t{0}, nb, [&](std::size_t b) {
      std::uint64_t v = 0;
      for (std::uint32_t k = buckets.offset[b]; k < buckets.offset[b + 1]; ++k)
        v += firms.vacancies[buckets.firm[k]];
      vacancies_[b] = v;
    });
    const double open = static_cast<double>(
        std::accumulate(vacancies_.begin(), vacancies_.end(), std::uint64_t{0}));
    if (open == 0) break;
    const double apply = rules.application_rate(open, static_cast<double>(seekers.size()));
    // Cumulative choice weights for each (home zone, education level).
    tbb::parallel_for(std::size_t{0}, zones * levels, [&](std::size_t he) {
      const std::size_t home = he / levels, education = he % levels;
      double* row = &cumulative_[he * nb];
      double sum = 0;
      for (std::size_t b = 0; b < nb; ++b) {
        const std::size_t work = b / sectors, sector = b % sectors;
        if (vacancies_[b] > 0)
          sum += access(home, work) * rules.fit[sector][education] *
                 static_cast<double>(vacancies_[b]);
        row[b] = sum;
      }
    });
    // Each seeker picks a bucket (or does not search this round).
    choice_.resize(seekers.size());
    for_each_chunk(seekers.size(), [&](std::size_t begin, std::size_t end, std::size_t) {
      for (std::size_t k = begin; k < end; ++k) {
        const std::uint32_t person = seekers[k];
        AgentRng r = stream(rng, year, process, Purpose::kMatching, p.id[person],
                            static_cast<unsigned>(round));
        choice_[k] = kNoRow;
        if (!r.bernoulli(apply)) continue;
        const double* row =
            &cumulative_[(home_zone(world, person, zones) * levels + p.education[person]) * nb];
        const double total = row[nb - 1];
        if (total <= 0) continue;
        const double target = r.uniform() * total;
        const std::size_t b =
            static_cast<std::size_t>(std::upper_bound(row, row + nb, target) - row);
        choice_[k] = static_cast<std::uint32_t>(std::min(b, nb - 1));
      }
    });
    // Applicants grouped by bucket, in seeker (= id) order within each bucket.
    std::fill(applicant_offset_.begin(), applicant_offset_.end(), 0);
    for (std::uint32_t c : choice_)
      if (c != kNoRow) ++applicant_offset_[c + 1];
    for (std::size_t b = 0; b < nb; ++b) applicant_offset_[b + 1] += applicant_offset_[b];
    applicants_.resize(applicant_offset_[nb]);
    std::copy(applicant_offset_.begin(), applicant_offset_.end() - 1, cursor_.begin());
    for (std::size_t k = 0; k < seekers.size(); ++k)
      if (choice_[k] != kNoRow) applicants_[cursor_[choice_[k]]++] = seekers[k];
    // Fill each bucket: applicants by fit (best first), then id; firms in id order.
    tbb::parallel_for(std::size_t{0}, nb, [&](std::size_t b) {
      const std::uint32_t a_begin = applicant_offset_[b], a_end = applicant_offset_[b + 1];
      if (a_begin == a_end || vacancies_[b] == 0) return;
      const auto& fit = rules.fit[b % sectors];
      std::uint32_t firm_k = buckets.offset[b];
      const std::uint32_t firm_end = buckets.offset[b + 1];
      std::int64_t hired = 0;
      double previous_level = 2.0;  // above any fit value
      // Distinct fit values in descending order; applicants of equal fit in id order.
      while (firm_k < firm_end) {
        double level = -1.0;
        for (std::size_t e = 0; e < kEducationLevels; ++e)
          if (fit[e] < previous_level && fit[e] > level) level = fit[e];
        if (level < 0) break;
        for (std::uint32_t a = a_begin; a < a_end && firm_k < firm_end; ++a) {
          const std::uint32_t person = applicants_[a];
          if (fit[p.education[person]] != level) continue;
          while (firm_k < firm_end && firms.vacancies[buckets.firm[firm_k]] == 0) ++firm_k;
          if (firm_k == firm_end) break;
          const std::uint32_t f = buckets.firm[firm_k];
          --firms.vacancies[f];
          ++firms.employees[f];
          labour.employer[person] = f;
          labour.labour_status[person] = kEmployed;
          ++hired;
        }
        previous_level = level;
      }
      hires_[b] += hired;
    });
    // Keep those still searching, in order.
    std::size_t kept = 0;
    for (std::uint32_t person : seekers)
      if (labour.labour_status[person] != kEmployed) seekers[kept++] = person;
    seekers.resize(kept);
  }
  for (std::int64_t h : hires_) total_hires += h;
  return total_hires;
}

std::int64_t fill_in_order(World& world, std::vector<std::uint32_t>& seekers) {
  PersonTable& p = world.persons;
  PersonJobs labour(p);
  FirmTable& firms = world.get<FirmTable>();
  std::size_t f = 0, k = 0;
  std::int64_t hires = 0;
  for (; k < seekers.size(); ++k) {
    while (f < firms.size() && firms.vacancies[f] == 0) ++f;
    if (f == firms.size()) break;
    const std::uint32_t person = seekers[k];
    --firms.vacancies[f];
    ++firms.employees[f];
    labour.employer[person] = static_cast<std::uint32_t>(f);
    labour.labour_status[person] = kEmployed;
    ++hires;
  }
  seekers.erase(seekers.begin(), seekers.begin() + static_cast<std::ptrdiff_t>(k));
  return hires;
}

}  // namespace plansim::economy

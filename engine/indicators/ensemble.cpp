#include "indicators/ensemble.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace plansim {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

Distribution distribution(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }),
               values.end());
  Distribution d{kNaN, kNaN, kNaN, values.size()};
  if (values.empty()) return d;
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (double v : values) sum += v;  // in sorted order: independent of the replicates' order
  d.mean = sum / static_cast<double>(values.size());
  d.p05 = quantile_sorted(values, 0.05);
  d.p95 = quantile_sorted(values, 0.95);
  return d;
}

EnsembleSummary summarise_ensemble(const std::vector<ReplicateResults>& replicates) {
  EnsembleSummary summary;
  summary.replicates = static_cast<std::uint32_t>(replicates.size());
  if (replicates.empty()) return summary;
  summary.years = replicates.front().years;
  for (const ReplicateResults& r : replicates)
    if (r.years != summary.years)
      throw std::invalid_argument("summarise_ensemble: replicate " + std::to_string(r.replicate) +
                                  " has other years than replicate " +
                                  std::to_string(replicates.front().replicate));
  std::map<std::string, int, std::less<>> keys;
  for (const ReplicateResults& r : replicates)
    for (const auto& [key, values] : r.indicators) keys[key] = 0;
  const std::size_t year_count = summary.years.size();
  std::vector<double> column;
  column.reserve(replicates.size());
  for (const auto& [key, unused] : keys) {
    SeriesSummary s;
    s.mean.resize(year_count);
    s.p05.resize(year_count);
    s.p95.resize(year_count);
    s.count.resize(year_count);
    for (std::size_t y = 0; y < year_count; ++y) {
      column.clear();
      for (const ReplicateResults& r : replicates) {
        const auto it = r.indicators.find(key);
        if (it != r.indicators.end() && y < it->second.size()) column.push_back(it->second[y]);
      }
      const Distribution d = distribution(column);
      s.mean[y] = d.mean;
      s.p05[y] = d.p05;
      s.p95[y] = d.p95;
      s.count[y] = static_cast<std::uint32_t>(d.count);
    }
    summary.indicators.emplace(key, std::move(s));
  }
  return summary;
}

}  // namespace plansim

// Deterministic parallel helpers on top of oneTBB.
//
// Results never depend on the number of threads: work is split into chunks of a fixed size
// (not by thread), and per-chunk partial results are combined in chunk order.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include <cstddef>
#include <vector>

namespace plansim {

/// Rows per chunk for streaming column passes: large enough to amortise scheduling, small enough
/// to balance 2..64 threads on ~1 M rows.
inline constexpr std::size_t kChunkRows = 16384;

inline std::size_t chunk_count(std::size_t n, std::size_t chunk = kChunkRows) {
  return (n + chunk - 1) / chunk;
}

/// Calls body(begin, end, chunk_index) for fixed chunks of [0, n), in parallel.
template <class Body>
void for_each_chunk(std::size_t n, Body&& body, std::size_t chunk = kChunkRows) {
  const std::size_t chunks = chunk_count(n, chunk);
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, chunks, 1),
      [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t c = r.begin(); c != r.end(); ++c) {
          const std::size_t begin = c * chunk;
          const std::size_t end = begin + chunk < n ? begin + chunk : n;
          body(begin, end, c);
        }
      },
      tbb::simple_partitioner());
}

/// Deterministic reduction: per-chunk partials from map(begin, end) combined left to right with
/// combine(acc, partial). T must be default-constructible (the identity).
template <class T, class Map, class Combine>
T reduce_chunks(std::size_t n, Map&& map, Combine&& combine, std::size_t chunk = kChunkRows) {
  std::vector<T> partial(chunk_count(n, chunk));
  for_each_chunk(
      n, [&](std::size_t b, std::size_t e, std::size_t c) { partial[c] = map(b, e); }, chunk);
  T acc{};
  for (auto& p : partial) combine(acc, p);
  return acc;
}

}  // namespace plansim

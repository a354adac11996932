#include "uncertainty/design.h"

#include <boost/random/sobol.hpp>
#include <stdexcept>
#include <string>

#include "core/rng.h"

namespace plansim {
namespace {
// The replicate slot of the Philox key reserved for the design's shift (replicates are below 2^31).
constexpr std::uint32_t kDesignStream = 0xD5D5D5D5u;
}  // namespace

struct SobolDesign::Engine {
  explicit Engine(std::size_t d) : sobol(d) {}
  boost::random::sobol_engine<std::uint32_t, 32> sobol;
};

SobolDesign::SobolDesign(std::size_t dimensions, std::uint64_t seed) {
  if (dimensions == 0 || dimensions > kMaxDimensions)
    throw std::invalid_argument("SobolDesign: " + std::to_string(dimensions) +
                                " dimensions (1 to " + std::to_string(kMaxDimensions) + ")");
  engine_ = std::make_unique<Engine>(dimensions);
  const RngStreams streams(seed, kDesignStream);
  shift_.resize(dimensions);
  for (std::size_t j = 0; j < dimensions; ++j) shift_[j] = streams.stream(0, 0, j).next32();
}

SobolDesign::~SobolDesign() = default;
SobolDesign::SobolDesign(SobolDesign&&) noexcept = default;
SobolDesign& SobolDesign::operator=(SobolDesign&&) noexcept = default;

std::vector<double> SobolDesign::point(std::uint64_t k) const {
  std::vector<double> out(dimensions());
  point(k, out.data());
  return out;
}

void SobolDesign::point(std::uint64_t k, double* out) const {
  if (k > 0xFFFFFFFFull) throw std::out_of_range("SobolDesign: point " + std::to_string(k));
  const std::size_t d = dimensions();
  // A copy keeps point() safe to call from several threads (the lattice is d × 32 words).
  auto sobol = engine_->sobol;
  if (k > 0) sobol.seed(static_cast<std::uint32_t>(k - 1));
  for (std::size_t j = 0; j < d; ++j) {
    const std::uint32_t bits = (k == 0 ? 0u : sobol()) ^ shift_[j];
    out[j] = (static_cast<double>(bits) + 0.5) * 0x1.0p-32;
  }
}

}  // namespace plansim

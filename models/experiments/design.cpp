#include "tcsim/models/experiments/design.hpp"

#include <algorithm>
#include <numeric>

#include <boost/random/uniform_01.hpp>

#include "tcsim/sim/random.hpp"

namespace tcsim::models {

std::vector<std::vector<double>> latin_hypercube(std::size_t n, std::size_t dims,
                                                 std::uint64_t seed) {
  std::vector<std::vector<double>> points(n, std::vector<double>(dims, 0.0));
  sim::RandomEngine rng = sim::make_stream(seed, 0, "psa/latin_hypercube");
  boost::random::uniform_01<double> u;
  for (std::size_t d = 0; d < dims; ++d) {
    std::vector<std::size_t> strata(n);
    std::iota(strata.begin(), strata.end(), std::size_t{0});
    // Fisher-Yates with the project's engine (std::shuffle's algorithm is not specified, so
    // its results would differ between standard libraries).
    for (std::size_t i = n; i > 1; --i) {
      const auto j = static_cast<std::size_t>(u(rng) * static_cast<double>(i));
      std::swap(strata[i - 1], strata[std::min(j, i - 1)]);
    }
    for (std::size_t j = 0; j < n; ++j) {
      points[j][d] = (static_cast<double>(strata[j]) + u(rng)) / static_cast<double>(n);
    }
  }
  return points;
}

}  // namespace tcsim::models

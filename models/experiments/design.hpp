#pragma once
// Space-filling designs for experiments and for the probabilistic sensitivity analysis.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tcsim::models {

/// Latin hypercube over [0,1)^dims: each column holds one point in each of the n strata.
/// The same (n, dims, seed) gives the same points on every platform.
[[nodiscard]] std::vector<std::vector<double>> latin_hypercube(std::size_t n, std::size_t dims,
                                                               std::uint64_t seed);

}  // namespace tcsim::models

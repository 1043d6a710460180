// Space-filling designs (models/experiments/design.hpp): the Latin hypercube puts one point in
// each of the n strata of every dimension, and the same seed gives the same points.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <set>
#include <vector>

#include "tcsim/models/experiments/design.hpp"

using namespace tcsim;

TEST_CASE("latin hypercube: one point in each of the n strata of every dimension",
          "[sensitivity]") {
  for (const std::size_t n : {std::size_t{1}, std::size_t{7}, std::size_t{50}}) {
    INFO(n << " points");
    const auto points = models::latin_hypercube(n, 4, 20090401);
    REQUIRE(points.size() == n);
    for (std::size_t d = 0; d < 4; ++d) {
      INFO("dimension " << d);
      std::set<std::size_t> strata;
      for (const auto& p : points) {
        REQUIRE(p.size() == 4u);
        CHECK(p[d] >= 0.0);
        CHECK(p[d] < 1.0);
        strata.insert(static_cast<std::size_t>(std::floor(p[d] * static_cast<double>(n))));
      }
      CHECK(strata.size() == n);  // n points in n distinct strata: one in each
      CHECK(*strata.rbegin() == n - 1);
    }
  }
  // Reproducible from the seed, and a different seed gives different points in every column.
  const auto a = models::latin_hypercube(20, 3, 5);
  CHECK(models::latin_hypercube(20, 3, 5) == a);
  const auto b = models::latin_hypercube(20, 3, 6);
  for (std::size_t d = 0; d < 3; ++d) {
    bool differs = false;
    for (std::size_t j = 0; j < 20; ++j)
      differs = differs || a[j][d] != b[j][d];
    CHECK(differs);
  }
}

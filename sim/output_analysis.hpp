#pragma once
// Across-replication analysis: the mean of a metric with a Student-t confidence interval, and
// the MSER-5 warm-up rule for a series.

#include <cstddef>
#include <optional>
#include <span>

namespace tcsim::sim {

struct Estimate {
  double mean = 0.0;
  /// Sample standard deviation across replications; absent with one replication.
  std::optional<double> sd;
  /// Half-width of the confidence interval; absent (not zero) with one replication, or when a
  /// replication gave no value (NaN), since no interval can then be formed.
  std::optional<double> half_width;
  std::size_t n = 0;
};

/// Mean and Student-t interval at `confidence` (default 95%) of independent replication values.
[[nodiscard]] Estimate estimate_mean(std::span<const double> values, double confidence = 0.95);

/// The two-sided Student-t critical value for `confidence` with `dof` degrees of freedom.
[[nodiscard]] double t_critical(double confidence, std::size_t dof);

/// MSER-5 (White 1997; Hoad, Robinson & Davies 2010): the series is cut into batches of 5 and
/// the number of observations to delete is the 5d minimising the marginal standard error
/// sum_{i>d} (Z_i - mean_{>d})^2 / (b - d)^2 over the b batch means Z, for d below b/2 (the
/// rule is not trusted beyond half the series). Returns 0 for fewer than two batches. NaN
/// observations (padding) end the series.
[[nodiscard]] std::size_t mser5_truncation(std::span<const double> series);

}  // namespace tcsim::sim

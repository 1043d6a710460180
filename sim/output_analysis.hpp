#pragma once
// Across-replication analysis: the mean of a metric with a Student-t confidence interval.

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

}  // namespace tcsim::sim

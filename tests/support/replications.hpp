#pragma once
// Replications and confidence intervals for the validation tests.
//
// A validation check runs R independent replications of a network (replication index
// k = 0..R-1 under one fixed master seed), takes one value of a metric from each, and requires
// the theoretical value to lie inside the 99.9% two-sided Student-t confidence interval of their
// mean: |mean - theory| <= half_width, from sim::estimate_mean(values, 0.999). The tolerance is
// that half-width, which comes from the spread observed between replications - never a fudge
// factor. With a correct engine a check fails by chance with probability 0.001; the seed is fixed,
// so the suite is deterministic. Steady-state checks start empty and discard a warm-up period
// long against the model's relaxation time, so the initial bias is negligible against the
// half-width.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tcsim/sim/network_result.hpp"
#include "tcsim/sim/network_simulation.hpp"
#include "tcsim/sim/network_spec.hpp"
#include "tcsim/sim/output_analysis.hpp"
#include "tcsim/sim/replication_runner.hpp"

namespace tcsim::test {

/// Every validation run uses this master seed.
inline constexpr std::uint64_t kMasterSeed = 20240611;
/// Confidence level of every validation interval.
inline constexpr double kConfidence = 0.999;

/// Replications k = 0..count-1 of `spec` under kMasterSeed, in order of k (on every core: the
/// results do not depend on the thread count).
inline std::vector<sim::NetworkResult> replicate(const sim::NetworkSpec& spec, std::size_t count) {
  return sim::run_replications(
      count, 0, [&spec](std::size_t k) { return sim::simulate(spec, kMasterSeed, k); });
}

/// The 99.9% interval of `metric(result)` over the replications.
template <class Metric>
sim::Estimate estimate(const std::vector<sim::NetworkResult>& results, Metric metric) {
  std::vector<double> values;
  values.reserve(results.size());
  for (const sim::NetworkResult& r : results)
    values.push_back(metric(r));
  return sim::estimate_mean(values, kConfidence);
}

inline std::string describe(const sim::Estimate& e) {
  std::ostringstream out;
  out.precision(6);
  out << e.mean;
  if (e.half_width) out << " +- " << *e.half_width;
  out << " (99.9% CI, " << e.n << " replications)";
  return out.str();
}

}  // namespace tcsim::test

/// REQUIREs that `theory` lies in the interval of `estimate` (a sim::Estimate at kConfidence).
/// A macro so that Catch2 reports the caller's line.
// NOLINTNEXTLINE(cppcoreguidelines-macro-usage): see above
#define TCSIM_REQUIRE_IN_CI(what, estimate, theory)                                         \
  do {                                                                                      \
    const ::tcsim::sim::Estimate& tcsim_estimate = (estimate);                              \
    const double tcsim_theory = (theory);                                                   \
    INFO((what) << ": simulated " << ::tcsim::test::describe(tcsim_estimate) << ", theory " \
                << tcsim_theory);                                                           \
    REQUIRE(tcsim_estimate.half_width.has_value());                                         \
    REQUIRE(std::abs(tcsim_estimate.mean - tcsim_theory) <= *tcsim_estimate.half_width);    \
  } while (false)

namespace tcsim::test {

/// Little's law L = lambda W over one replication's measurement period: the time-average number
/// in the system minus throughput times mean time in system (completions / T * sum / completions
/// = sum / T). Only entities straddling the ends of the period make it differ from 0, so across
/// replications its interval must contain 0.
inline double little_gap(const sim::NetworkResult& r) {
  return r.in_system.mean() - r.throughput() * r.time_in_system.mean();
}

/// Length of the measurement period [warm-up, end] of one replication.
inline double period(const sim::NetworkResult& r) {
  return r.end - r.start;
}

}  // namespace tcsim::test

#pragma once
// One replication of a scenario, simulated and reduced at once to what is kept of it: the
// metrics (docs/metrics.md), the engine's event count and, if asked, the daily series. The one
// path from a built network to numbers, used by `run`, `compare`, `savings` and `batch`.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "tcsim/models/network/network_builder.hpp"
#include "tcsim/models/run/metrics.hpp"
#include "tcsim/models/scenario/scenario.hpp"

namespace tcsim::models {

struct ReplicationOutcome {
  std::vector<MetricValue> metrics;  // collect_metrics, then collect_economics
  std::uint64_t events = 0;          // events the engine handled (also the metric system.events)
  /// With the daily series: days x settings, day-major (value of setting s on day d at
  /// [d * settings + s]), of mean occupancy and of mean delayed transfers.
  std::size_t days = 0;
  std::vector<double> occupancy;
  std::vector<double> delayed;
};

/// Simulates replication `replication` of `network` (= build_network(scenario), validated)
/// from `seed`. Throws sim::SimulationStopped if it deadlocks or exceeds run.max_patients.
[[nodiscard]] ReplicationOutcome run_replication(const Scenario& scenario,
                                                 const BuiltNetwork& network, std::uint64_t seed,
                                                 std::uint64_t replication, bool daily_series);

/// `flat` (days x settings, day-major) as `days` rows of `settings` values.
[[nodiscard]] std::vector<std::vector<double>> rows_per_day(const std::vector<double>& flat,
                                                            std::size_t days, std::size_t settings);

}  // namespace tcsim::models

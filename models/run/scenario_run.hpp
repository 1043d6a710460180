#pragma once
// Runs a scenario's replications (on threads) and summarises each metric across them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tcsim/models/scenario/scenario.hpp"
#include "tcsim/sim/observer.hpp"
#include "tcsim/sim/output_analysis.hpp"

namespace tcsim::models {

struct RunOptions {
  std::optional<std::int64_t> replications;  // overrides the scenario's run.replications
  std::optional<std::uint64_t> seed;         // overrides run.seed
  unsigned threads = 1;                      // 0: one per core
  /// Run replication K alone (0-based), exactly as it runs among the others.
  std::optional<std::int64_t> only_replication;
  /// Keep each replication's daily mean occupancy and delayed transfers per setting.
  bool daily_series = false;
};

struct MetricSummary {
  std::string scope;
  std::string name;
  std::string unit;
  std::vector<double> values;  // one per replication, in replication order
  sim::Estimate estimate;      // mean with 95% CI across replications
};

struct RunReport {
  std::string scenario_name;
  std::string config_path;
  std::uint64_t seed = 0;
  std::int64_t replications = 0;
  std::vector<std::int64_t> replication_ids;  // which replications ran, in order
  std::vector<MetricSummary> metrics;
  std::vector<std::string> settings;  // names, in the order of the daily series' columns
  /// daily[k][d][s]: mean occupancy of setting s on day d in replication_ids[k]; if requested.
  std::vector<std::vector<std::vector<double>>> daily;
  /// daily_delayed[k][d][s]: mean patients fit to move but still holding a place (if requested).
  std::vector<std::vector<std::vector<double>>> daily_delayed;
  double wall_seconds = 0.0;
  std::uint64_t events = 0;  // over all replications

  /// The summary of `scope.name`, or nullptr.
  [[nodiscard]] const MetricSummary* find(const std::string& scope, const std::string& name) const;
};

/// Runs the replications; throws sim::SimulationStopped if one deadlocks or exceeds
/// run.max_patients.
[[nodiscard]] RunReport run_scenario(const Scenario& scenario, const RunOptions& options);

/// Runs replication `replication` alone with `observer` attached (e.g. a TraceWriter).
void observe_replication(const Scenario& scenario, std::uint64_t seed, std::int64_t replication,
                         sim::Observer& observer);

}  // namespace tcsim::models

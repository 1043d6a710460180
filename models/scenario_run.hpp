#pragma once
// Runs a scenario's replications (on threads) and summarises each metric across them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/scenario.hpp"
#include "sim/output_analysis.hpp"

namespace tcsim::models {

struct RunOptions {
  std::optional<std::int64_t> replications;  // overrides the scenario's run.replications
  std::optional<std::uint64_t> seed;         // overrides run.seed
  unsigned threads = 1;                      // 0: one per core
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
  std::vector<MetricSummary> metrics;
  double wall_seconds = 0.0;
  std::uint64_t events = 0;  // over all replications

  /// The summary of `scope.name`, or nullptr.
  [[nodiscard]] const MetricSummary* find(const std::string& scope, const std::string& name) const;
};

[[nodiscard]] RunReport run_scenario(const Scenario& scenario, const RunOptions& options);

}  // namespace tcsim::models

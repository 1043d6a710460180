#include "models/scenario_run.hpp"

#include <chrono>

#include "models/metrics.hpp"
#include "models/network_builder.hpp"
#include "sim/network_simulation.hpp"
#include "sim/replication_runner.hpp"

namespace tcsim::models {

const MetricSummary* RunReport::find(const std::string& scope, const std::string& name) const {
  for (const MetricSummary& m : metrics) {
    if (m.scope == scope && m.name == name) return &m;
  }
  return nullptr;
}

RunReport run_scenario(const Scenario& scenario, const RunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const sim::NetworkSpec spec = build_network(scenario);
  sim::validate(spec);

  RunReport report;
  report.scenario_name = scenario.name;
  report.config_path = scenario.file;
  report.seed = options.seed.value_or(scenario.run.seed);
  report.replications = options.replications.value_or(scenario.run.replications);

  // Each replication is reduced to its metric values at once, so memory does not grow with
  // the replication's statistics, only with the number of metrics.
  const auto per_replication = sim::run_replications(
      static_cast<std::size_t>(report.replications), options.threads,
      [&](std::size_t k) { return collect_metrics(sim::simulate(spec, report.seed, k)); });

  const std::vector<MetricValue>& first = per_replication.front();
  for (std::size_t i = 0; i < first.size(); ++i) {
    MetricSummary summary{first[i].scope, first[i].name, first[i].unit, {}, {}};
    for (const auto& replication : per_replication)
      summary.values.push_back(replication[i].value);
    summary.estimate = sim::estimate_mean(summary.values);
    if (summary.scope == "system" && summary.name == "events") {
      for (double v : summary.values)
        report.events += static_cast<std::uint64_t>(v);
    }
    report.metrics.push_back(std::move(summary));
  }
  report.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace tcsim::models

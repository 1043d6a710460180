#include "tcsim/models/run/scenario_run.hpp"

#include <chrono>

#include "tcsim/models/network/network_builder.hpp"
#include "tcsim/models/run/replication.hpp"
#include "tcsim/sim/network_simulation.hpp"
#include "tcsim/sim/replication_runner.hpp"

namespace tcsim::models {

const MetricSummary* RunReport::find(const std::string& scope, const std::string& name) const {
  for (const MetricSummary& m : metrics) {
    if (m.scope == scope && m.name == name) return &m;
  }
  return nullptr;
}

RunReport run_scenario(const Scenario& scenario, const RunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const BuiltNetwork network = build_network(scenario);
  sim::validate(network.spec);

  RunReport report;
  report.scenario_name = scenario.name;
  report.config_path = scenario.file;
  report.seed = options.seed.value_or(scenario.run.seed);
  if (options.only_replication) {
    report.replication_ids = {*options.only_replication};
  } else {
    const std::int64_t count = options.replications.value_or(scenario.run.replications);
    for (std::int64_t k = 0; k < count; ++k)
      report.replication_ids.push_back(k);
  }
  report.replications = static_cast<std::int64_t>(report.replication_ids.size());
  for (const Setting& s : scenario.settings)
    report.settings.push_back(s.name);

  // Each replication is reduced to its metric values at once, so memory does not grow with
  // the replication's statistics, only with the number of metrics (and days, if kept).
  std::vector<ReplicationOutcome> per_replication =
      sim::run_replications(report.replication_ids.size(), options.threads, [&](std::size_t i) {
        const auto k = static_cast<std::uint64_t>(report.replication_ids[i]);
        return run_replication(scenario, network, report.seed, k, options.daily_series);
      });

  const std::vector<MetricValue>& first = per_replication.front().metrics;
  for (std::size_t i = 0; i < first.size(); ++i) {
    MetricSummary summary{first[i].scope, first[i].name, first[i].unit, {}, {}};
    for (const ReplicationOutcome& replication : per_replication) {
      summary.values.push_back(replication.metrics[i].value);
    }
    summary.estimate = sim::estimate_mean(summary.values);
    report.metrics.push_back(std::move(summary));
  }
  for (const ReplicationOutcome& r : per_replication)
    report.events += r.events;
  if (options.daily_series) {
    const std::size_t settings = scenario.settings.size();
    for (const ReplicationOutcome& r : per_replication) {
      report.daily.push_back(rows_per_day(r.occupancy, r.days, settings));
      report.daily_delayed.push_back(rows_per_day(r.delayed, r.days, settings));
    }
  }
  report.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

void observe_replication(const Scenario& scenario, std::uint64_t seed, std::int64_t replication,
                         sim::Observer& observer) {
  const sim::NetworkSpec spec = build_network(scenario).spec;
  (void)sim::simulate(spec, seed, static_cast<std::uint64_t>(replication), &observer);
}

}  // namespace tcsim::models

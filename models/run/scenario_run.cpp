#include "tcsim/models/run/scenario_run.hpp"

#include <chrono>

#include "tcsim/models/run/costing.hpp"
#include "tcsim/models/run/daily_series.hpp"
#include "tcsim/models/run/metrics.hpp"
#include "tcsim/models/network/network_builder.hpp"
#include "tcsim/sim/network_simulation.hpp"
#include "tcsim/sim/replication_runner.hpp"

namespace tcsim::models {
namespace {

void append(std::vector<MetricValue>& to, std::vector<MetricValue> more) {
  to.insert(to.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
}

}  // namespace

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

  struct Replication {
    std::vector<MetricValue> metrics;
    std::vector<std::vector<double>> daily;
    std::vector<std::vector<double>> delayed;
  };
  // Each replication is reduced to its metric values at once, so memory does not grow with
  // the replication's statistics, only with the number of metrics (and days, if kept).
  auto per_replication =
      sim::run_replications(report.replication_ids.size(), options.threads, [&](std::size_t i) {
        const auto k = static_cast<std::uint64_t>(report.replication_ids[i]);
        Replication out;
        if (options.daily_series) {
          DailySeries daily(spec);
          const sim::NetworkResult result = sim::simulate(spec, report.seed, k, &daily);
          daily.finish(result.end);
          out.metrics = collect_metrics(result, spec);
          append(out.metrics, collect_economics(result, spec, scenario));
          out.daily = daily.occupancy().days();
          out.delayed = daily.delayed().days();
        } else {
          const sim::NetworkResult result = sim::simulate(spec, report.seed, k);
          out.metrics = collect_metrics(result, spec);
          append(out.metrics, collect_economics(result, spec, scenario));
        }
        return out;
      });

  const std::vector<MetricValue>& first = per_replication.front().metrics;
  for (std::size_t i = 0; i < first.size(); ++i) {
    MetricSummary summary{first[i].scope, first[i].name, first[i].unit, {}, {}};
    for (const Replication& replication : per_replication) {
      summary.values.push_back(replication.metrics[i].value);
    }
    summary.estimate = sim::estimate_mean(summary.values);
    if (summary.scope == "system" && summary.name == "events") {
      for (double v : summary.values)
        report.events += static_cast<std::uint64_t>(v);
    }
    report.metrics.push_back(std::move(summary));
  }
  if (options.daily_series) {
    for (Replication& r : per_replication) {
      report.daily.push_back(std::move(r.daily));
      report.daily_delayed.push_back(std::move(r.delayed));
    }
  }
  report.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

void observe_replication(const Scenario& scenario, std::uint64_t seed, std::int64_t replication,
                         sim::Observer& observer) {
  const sim::NetworkSpec spec = build_network(scenario);
  (void)sim::simulate(spec, seed, static_cast<std::uint64_t>(replication), &observer);
}

}  // namespace tcsim::models

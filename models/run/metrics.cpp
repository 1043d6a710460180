#include "tcsim/models/run/metrics.hpp"

#include <cmath>

namespace tcsim::models {

std::vector<MetricValue> collect_metrics(const sim::NetworkResult& r,
                                         const sim::NetworkSpec& spec) {
  // moves[from][to]: some route leads from a step at `from` to a step at `to`.
  const std::size_t n = spec.stations.size();
  std::vector<std::vector<bool>> moves(n, std::vector<bool>(n, false));
  for (const sim::StepSpec& step : spec.steps) {
    for (const sim::Route& route : step.routes) {
      if (route.to == sim::kExit) continue;
      const std::uint32_t to = spec.steps[static_cast<std::size_t>(route.to)].station;
      if (to != step.station) moves[step.station][to] = true;
    }
  }

  std::vector<MetricValue> m;
  const auto add = [&m](const std::string& scope, const char* name, const char* unit,
                        double value) {
    m.push_back(MetricValue{scope, name, unit, value});
  };
  const auto count = [](std::uint64_t k) { return static_cast<double>(k); };
  const double period = r.end - r.start;

  for (std::size_t i = 0; i < r.stations.size(); ++i) {
    const sim::StationResult& s = r.stations[i];
    add(s.name, "mean_wait", "days", s.wait.mean());
    add(s.name, "p95_wait", "days", s.wait.quantile(0.95));
    add(s.name, "mean_stay", "days", s.stay.mean());
    add(s.name, "mean_occupancy", "places", s.occupancy.mean());
    add(s.name, "p50_occupancy", "places", s.occupancy.quantile(0.5));
    add(s.name, "p95_occupancy", "places", s.occupancy.quantile(0.95));
    add(s.name, "max_occupancy", "places", static_cast<double>(s.occupancy.max()));
    add(s.name, "time_full", "fraction", s.unlimited ? 0.0 : s.full_share());
    add(s.name, "occupancy_at_end", "places", static_cast<double>(s.occupancy.level()));
    add(s.name, "mean_queue", "patients", s.queue_length.mean());
    add(s.name, "utilisation", "fraction", s.utilisation());
    add(s.name, "admissions", "patients", count(s.wait.count()));
    add(s.name, "loss_probability", "fraction", s.loss_probability());
    add(s.name, "delayed_patients", "patients", count(s.blocked.count()));
    add(s.name, "delayed_days", "days", s.blocked_by_delay_days + s.blocked_by_capacity_days);
    add(s.name, "mean_delay", "days", s.blocked.mean());
    add(s.name, "delayed_days_transfer", "days", s.blocked_by_delay_days);
    add(s.name, "delayed_days_capacity", "days", s.blocked_by_capacity_days);
    for (std::size_t to = 0; to < n; ++to) {
      if (moves[i][to]) {
        m.push_back(MetricValue{s.name, "delayed_days_for_" + spec.stations[to].name, "days",
                                s.blocked_days_for[to]});
      }
    }
  }
  for (const sim::StreamResult& c : r.streams) {
    add(c.name, "arrivals", "patients", count(c.arrivals));
    add(c.name, "completions", "patients", count(c.completions));
    add(c.name, "mean_time_in_system", "days", c.time_in_system.mean());
  }
  add("system", "mean_time_in_system", "days", r.time_in_system.mean());
  add("system", "p95_time_in_system", "days", r.time_in_system.quantile(0.95));
  add("system", "mean_in_system", "patients", r.in_system.mean());
  add("system", "max_in_system", "patients", static_cast<double>(r.in_system.max()));
  add("system", "in_system_at_end", "patients", static_cast<double>(r.in_system.level()));
  add("system", "throughput", "patients/day", r.throughput());
  add("system", "arrivals", "patients", count(r.arrivals));
  add("system", "completions", "patients", count(r.completions));
  add("system", "losses", "patients", count(r.losses));
  add("system", "measured_days", "days", period);
  add("system", "events", "events", count(r.events));
  return m;
}

}  // namespace tcsim::models

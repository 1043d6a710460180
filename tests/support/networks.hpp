#pragma once
// Small NetworkSpecs that the engine tests build again and again.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tcsim/sim/distribution.hpp"
#include "tcsim/sim/network_spec.hpp"

namespace tcsim::test {

/// A station with `capacity` places (kUnlimited: no limit) and room for `queue_limit` newcomers
/// to wait.
inline sim::StationSpec station(std::string name, std::int64_t capacity = sim::kUnlimited,
                                std::int64_t queue_limit = sim::kUnlimited) {
  sim::StationSpec s;
  s.name = std::move(name);
  s.capacity = capacity;
  s.queue_limit = queue_limit;
  return s;
}

/// A route to step `to` (or sim::kExit), optionally after a transfer delay.
inline sim::Route route(std::int32_t to, double probability = 1.0,
                        std::optional<sim::Distribution> delay = std::nullopt) {
  sim::Route r;
  r.to = to;
  r.probability = probability;
  r.delay = std::move(delay);
  return r;
}

/// A step at `station`; by default the entity leaves the network afterwards.
inline sim::StepSpec step(std::string name, std::uint32_t station, sim::Distribution duration,
                          std::vector<sim::Route> routes = {sim::Route{}}) {
  sim::StepSpec s;
  s.name = std::move(name);
  s.station = station;
  s.duration = std::move(duration);
  s.routes = std::move(routes);
  return s;
}

/// One station with `capacity` places fed by one Poisson stream: an M/G/c queue (M/M/c with an
/// exponential service), measured over [warmup, horizon].
inline sim::NetworkSpec single_station(std::int64_t capacity, double arrival_rate,
                                       sim::Distribution service, double warmup, double horizon) {
  sim::NetworkSpec spec;
  spec.stations.push_back(station("station", capacity));
  spec.steps.push_back(step("service", 0, std::move(service)));
  sim::ArrivalSpec arrivals;
  arrivals.name = "arrivals";
  arrivals.rate_per_day = arrival_rate;
  spec.arrivals.push_back(arrivals);
  spec.warmup = warmup;
  spec.horizon = horizon;
  return spec;
}

/// M/M/c: exponential service with the given mean.
inline sim::NetworkSpec mmc_spec(std::int64_t servers, double arrival_rate, double mean_service,
                                 double warmup, double horizon) {
  return single_station(servers, arrival_rate, sim::Distribution::exponential(mean_service), warmup,
                        horizon);
}

}  // namespace tcsim::test

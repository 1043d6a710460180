#pragma once
// A bare, hand-written M/M/c event loop: the floor against which the engine's cost on the same
// model is measured (bench/model_a_bench.cpp). No entities, no statistics beyond the running
// sum of waits, no observer, no validation: a 4-ary heap of {time, seq, kind} PODs, a ring
// buffer of arrival times for the FIFO line, and the same Boost.Random engine and exponential
// distribution as the engine.
//
// Given the engine's two streams ("arrivals/<stream>", "duration/<step>") it draws exactly the
// numbers the engine draws, in the same order, so it reproduces the engine's sample path and
// its mean wait (to rounding).

#include <cstdint>

#include "tcsim/sim/random.hpp"

namespace tcsim::bench {

struct BareMmcResult {
  std::uint64_t events = 0;     // arrivals + service ends
  std::uint64_t customers = 0;  // served and gone
  double mean_wait = 0.0;       // days from arrival to start of service, over all customers
  double end = 0.0;             // time of the last event (days)
};

/// Runs `customers` Poisson arrivals (rate `arrival_rate` per day) through `servers` servers with
/// exponential service (mean `mean_service` days) until the system drains. Interarrival times
/// are drawn from `arrival_rng`, service times from `service_rng`.
BareMmcResult run_bare_mmc(int servers, double arrival_rate, double mean_service,
                           std::uint64_t customers, sim::RandomEngine& arrival_rng,
                           sim::RandomEngine& service_rng);

}  // namespace tcsim::bench

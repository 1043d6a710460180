#pragma once
// The discrete-event engine's public API in one include: what a program outside tcsim needs to
// describe a queueing network with blocking, run replications of it and analyse the output.
//
//   #include <tcsim/sim.hpp>
//   tcsim::sim::NetworkSpec spec;   // stations, steps, arrival streams, horizon, warm-up
//   auto results = tcsim::sim::run_replications(reps, threads, [&](std::size_t k) {
//     return tcsim::sim::simulate(spec, seed, k);
//   });
//   tcsim::sim::Estimate wait = tcsim::sim::estimate_mean(values);   // with a Student-t CI
//
// The kernel's own data structures (event queue, entity pool, waiting lines) come in through
// these headers where the API needs them, but are not part of the promise made here.
// The file sits in include/tcsim/, not in sim/: sim/ is what <tcsim/sim/...> names, so the one
// header named <tcsim/sim.hpp> lives beside that folder, as it does once installed.

#include "tcsim/sim/distribution.hpp"        // Distribution: durations, delays
#include "tcsim/sim/network_result.hpp"      // NetworkResult: one replication's statistics
#include "tcsim/sim/network_simulation.hpp"  // NetworkSimulation, simulate, SimulationStopped
#include "tcsim/sim/network_spec.hpp"        // NetworkSpec and its parts; validate
#include "tcsim/sim/observer.hpp"            // Observer: hooks for traces and series
#include "tcsim/sim/output_analysis.hpp"     // estimate_mean, t_critical, mser5_truncation
#include "tcsim/sim/random.hpp"              // RandomEngine, stream_seed, make_stream
#include "tcsim/sim/rate_profile.hpp"        // RateProfile: weekday and month multipliers
#include "tcsim/sim/replication_runner.hpp"  // run_replications: threads, results in order
#include "tcsim/sim/statistics.hpp"          // Tally, TimeWeightedCount, LogHistogram
#include "tcsim/sim/time.hpp"                // Time (days), kForever

// Reference model B (configs/reference/acute_community.yaml): emergency arrivals at 40 a day
// into 300 acute beds (lognormal stay, mean 6, sd 5), then 60% home, 25% to a community
// nursing caseload of 260 (exponential, mean 21) and 15% to 100 intermediate-care beds
// (exponential, mean 14), with blocking; 3650 days from empty, about 146,000 patients.
//
// BM_ModelB_Engine loads the shipped YAML once and runs one whole replication per iteration
// through the engine, with all of its statistics. Counters: patients/s (arrivals over CPU
// time), events/s, and the mean acute delayed days of the last replication.

#include <cstdint>

#include <benchmark/benchmark.h>

#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/network/network_builder.hpp"
#include "tcsim/sim/network_simulation.hpp"

namespace {

namespace sim = tcsim::sim;

void BM_ModelB_Engine(benchmark::State& state) {
  const tcsim::models::Scenario scenario =
      tcsim::models::load_scenario(TCSIM_SOURCE_DIR "/configs/reference/acute_community.yaml");
  const sim::NetworkSpec spec = tcsim::models::build_network(scenario).spec;
  std::uint64_t replication = 0;
  double patients = 0.0;
  double events = 0.0;
  double delayed_days = 0.0;
  for (auto _ : state) {
    const sim::NetworkResult result = sim::simulate(spec, scenario.run.seed, replication++);
    patients += static_cast<double>(result.arrivals);
    events += static_cast<double>(result.events);
    delayed_days =
        result.stations[0].blocked_by_delay_days + result.stations[0].blocked_by_capacity_days;
    benchmark::DoNotOptimize(result);
  }
  state.counters["patients/s"] = benchmark::Counter(patients, benchmark::Counter::kIsRate);
  state.counters["events/s"] = benchmark::Counter(events, benchmark::Counter::kIsRate);
  state.counters["acute_delayed_days"] = delayed_days;
}

}  // namespace

BENCHMARK(BM_ModelB_Engine)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();

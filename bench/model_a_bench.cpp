// Reference model A: one station with 10 places, exponential stays of mean 1 day, Poisson
// arrivals at 9 a day (utilisation 0.9), 1,000,000 customers, no horizon, no warm-up: an M/M/10
// queue whose mean wait is known in closed form (Erlang C: 0.6687 days).
//
// BM_ModelA_Engine runs it through sim::simulate, one whole replication per iteration.
// BM_ModelA_BareLoop runs it through a hand-written event loop (bare_mmc_loop.cpp) seeded with
// the engine's own streams, so both simulate the same sample path; the ratio of their times is
// the engine's overhead over the least a discrete-event simulation of this model can do.
//
// Counters: events/s and customers/s (rates over CPU time), and wait_days, the mean wait of the
// last replication, which must match between the two and be near the Erlang C value. After the
// table the program prints the fastest replication of each and their ratio.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>

#include <benchmark/benchmark.h>

#include "bare_mmc_loop.hpp"
#include "tcsim/sim/network_result.hpp"
#include "tcsim/sim/network_simulation.hpp"
#include "tcsim/sim/network_spec.hpp"

namespace {

namespace sim = tcsim::sim;

constexpr int kServers = 10;
constexpr double kArrivalRate = 9.0;  // per day
constexpr double kMeanStay = 1.0;     // days
constexpr std::int64_t kCustomers = 1'000'000;
constexpr std::uint64_t kSeed = 20240601;
constexpr std::uint64_t kReplication = 0;

// Fastest replication (wall seconds) and mean wait of each benchmark, for the summary.
struct Summary {
  double seconds = std::numeric_limits<double>::infinity();
  double mean_wait = std::numeric_limits<double>::quiet_NaN();
};
Summary engine_summary;
Summary bare_summary;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

sim::NetworkSpec model_a() {
  sim::StationSpec ward;
  ward.name = "ward";
  ward.capacity = kServers;

  sim::StepSpec stay;
  stay.name = "stay";
  stay.station = 0;
  stay.duration = sim::Distribution::exponential(kMeanStay);
  stay.routes = {sim::Route{}};
  stay.routes.front().to = sim::kExit;

  sim::ArrivalSpec patients;
  patients.name = "patients";
  patients.rate_per_day = kArrivalRate;
  patients.max_arrivals = kCustomers;
  patients.first_step = 0;

  sim::NetworkSpec spec;
  spec.stations = {ward};
  spec.steps = {stay};
  spec.arrivals = {patients};
  spec.horizon = sim::kForever;
  spec.warmup = 0.0;
  return spec;
}

// Erlang C mean wait in queue of M/M/c: P(wait) / (c mu - lambda).
double erlang_c_mean_wait(int c, double lambda, double mean_service) {
  const double a = lambda * mean_service;  // offered load (erlangs)
  double term = 1.0;                       // a^k / k!
  double sum = 0.0;                        // sum over k < c
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double tail = term * c / (c - a);  // a^c / c! * c / (c - a)
  const double p_wait = tail / (sum + tail);
  return p_wait / (c / mean_service - lambda);
}

void set_counters(benchmark::State& state, std::uint64_t events, std::uint64_t customers,
                  double mean_wait) {
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["customers/s"] =
      benchmark::Counter(static_cast<double>(customers), benchmark::Counter::kIsRate);
  state.counters["wait_days"] = mean_wait;
}

void BM_ModelA_Engine(benchmark::State& state) {
  const sim::NetworkSpec spec = model_a();
  std::uint64_t events = 0;
  std::uint64_t customers = 0;
  double mean_wait = 0.0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const sim::NetworkResult result = sim::simulate(spec, kSeed, kReplication);
    engine_summary.seconds = std::min(engine_summary.seconds, seconds_since(start));
    events += result.events;
    customers += result.completions;
    mean_wait = result.stations.front().wait.mean();
    benchmark::DoNotOptimize(result);
  }
  engine_summary.mean_wait = mean_wait;
  set_counters(state, events, customers, mean_wait);
}

void BM_ModelA_BareLoop(benchmark::State& state) {
  std::uint64_t events = 0;
  std::uint64_t customers = 0;
  double mean_wait = 0.0;
  for (auto _ : state) {
    // The engine's stream names: "arrivals/<arrival stream>" and "duration/<step>". Seeding is
    // timed here as it is inside sim::simulate.
    const auto start = std::chrono::steady_clock::now();
    sim::RandomEngine arrival_rng = sim::make_stream(kSeed, kReplication, "arrivals/patients");
    sim::RandomEngine service_rng = sim::make_stream(kSeed, kReplication, "duration/stay");
    const tcsim::bench::BareMmcResult result = tcsim::bench::run_bare_mmc(
        kServers, kArrivalRate, kMeanStay, kCustomers, arrival_rng, service_rng);
    bare_summary.seconds = std::min(bare_summary.seconds, seconds_since(start));
    events += result.events;
    customers += result.customers;
    mean_wait = result.mean_wait;
    benchmark::DoNotOptimize(result);
  }
  bare_summary.mean_wait = mean_wait;
  set_counters(state, events, customers, mean_wait);
}

}  // namespace

BENCHMARK(BM_ModelA_Engine)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ModelA_BareLoop)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::printf(
      "Reference model A: M/M/%d, %.0f arrivals/day, mean stay %.0f day, %lld customers, "
      "seed %llu, replication %llu.\nErlang C mean wait: %.4f days (wait_days below is the "
      "simulated mean).\n",
      kServers, kArrivalRate, kMeanStay, static_cast<long long>(kCustomers),
      static_cast<unsigned long long>(kSeed), static_cast<unsigned long long>(kReplication),
      erlang_c_mean_wait(kServers, kArrivalRate, kMeanStay));
  std::fflush(stdout);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();

  const bool engine_ran = std::isfinite(engine_summary.seconds);
  const bool bare_ran = std::isfinite(bare_summary.seconds);
  if (engine_ran) {
    std::printf("\nEngine:    fastest replication %8.1f ms, mean wait %.6f days\n",
                engine_summary.seconds * 1e3, engine_summary.mean_wait);
  }
  if (bare_ran) {
    std::printf("%sBare loop: fastest replication %8.1f ms, mean wait %.6f days\n",
                engine_ran ? "" : "\n", bare_summary.seconds * 1e3, bare_summary.mean_wait);
  }
  if (engine_ran && bare_ran) {
    const double ratio = engine_summary.seconds / bare_summary.seconds;
    std::printf("Engine / bare loop: %.2fx (%+.0f%%)\n", ratio, (ratio - 1.0) * 100.0);
    // Same streams, same draws, same order: the two must agree to rounding.
    if (!(std::abs(engine_summary.mean_wait - bare_summary.mean_wait) <= 1e-9)) {
      std::printf(
          "WARNING: the mean waits differ: the bare loop no longer draws the engine's random "
          "numbers in the engine's order (stream names or sampling changed?)\n");
      return 1;
    }
  }
  return 0;
}

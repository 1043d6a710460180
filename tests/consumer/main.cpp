// An M/M/c queue simulated through tcsim's public API alone (<tcsim/sim.hpp>) and checked
// against Erlang C: the mean wait and the utilisation must each lie within a tolerance built
// from the replications' own confidence interval. Exits 0 if both hold, 1 otherwise.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <vector>

#include <tcsim/sim.hpp>

namespace {

namespace sim = tcsim::sim;

constexpr std::int64_t kServers = 5;
constexpr double kArrivalRate = 4.0;  // per day
constexpr double kMeanService = 1.0;  // days: offered load 4 erlangs, utilisation 0.8
constexpr double kWarmup = 200.0;
constexpr double kHorizon = 5200.0;
constexpr std::size_t kReplications = 20;
constexpr std::uint64_t kSeed = 20090401;
// The 95% half-width times 3: a correct engine misses it at about 1 seed in 10^4 or fewer;
// the seed is fixed, so the outcome is the same on every run.
constexpr double kHalfWidths = 3.0;

// Erlang C, P(wait), for c servers and offered load a < c, through Erlang B's stable recursion.
double erlang_c(std::int64_t c, double a) {
  double b = 1.0;
  for (std::int64_t k = 1; k <= c; ++k)
    b = a * b / (static_cast<double>(k) + a * b);
  const double rho = a / static_cast<double>(c);
  return b / (1.0 - rho * (1.0 - b));
}

sim::NetworkSpec mmc() {
  sim::NetworkSpec spec;
  sim::StationSpec servers;
  servers.name = "servers";
  servers.capacity = kServers;
  spec.stations.push_back(servers);
  sim::StepSpec service;
  service.name = "service";
  service.station = 0;
  service.duration = sim::Distribution::exponential(kMeanService);
  spec.steps.push_back(service);
  sim::ArrivalSpec arrivals;
  arrivals.name = "arrivals";
  arrivals.rate_per_day = kArrivalRate;
  spec.arrivals.push_back(arrivals);
  spec.warmup = kWarmup;
  spec.horizon = kHorizon;
  return spec;
}

// Prints the comparison and says whether the estimate is within tolerance of the theory (and
// its interval narrow enough for the comparison to mean something).
bool agrees(const char* what, const std::vector<double>& values, double theory) {
  const sim::Estimate e = sim::estimate_mean(values);
  const double half_width = e.half_width.value_or(NAN);
  const bool narrow = half_width < 0.1 * std::abs(e.mean);
  const bool close = std::abs(e.mean - theory) <= kHalfWidths * half_width;
  std::printf("%-12s simulated %.4f +/- %.4f (95%%), Erlang C %.4f: %s\n", what, e.mean, half_width,
              theory, close && narrow ? "ok" : "FAILED");
  if (!narrow) std::printf("  the interval is too wide for a meaningful check\n");
  return close && narrow;
}

}  // namespace

int main() {
  try {
    const sim::NetworkSpec spec = mmc();
    const auto results = sim::run_replications(
        kReplications, 2, [&](std::size_t k) { return sim::simulate(spec, kSeed, k); });
    std::vector<double> waits;
    std::vector<double> utilisations;
    for (const sim::NetworkResult& r : results) {
      waits.push_back(r.stations[0].wait.mean());
      utilisations.push_back(r.stations[0].utilisation());
    }
    const double a = kArrivalRate * kMeanService;
    const double c = static_cast<double>(kServers);
    const double wq = erlang_c(kServers, a) / (c / kMeanService - kArrivalRate);
    const bool wait_ok = agrees("mean wait", waits, wq);
    const bool utilisation_ok = agrees("utilisation", utilisations, a / c);
    return wait_ok && utilisation_ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mmc_consumer: %s\n", e.what());
    return 1;
  }
}

// Validation of single-station models against queueing theory: M/M/1, M/M/c (reference model A),
// M/M/c/c and M/G/c/c loss systems (Erlang B), M/G/infinity, and an M/M/1 queue with two
// non-preemptive priority classes; Little's law for each.
//
// Every check follows support/replications.hpp: R independent replications under a fixed
// master seed, one value per replication, and the theoretical value must lie inside the 99.9%
// Student-t confidence interval of their mean (|mean - theory| <= half-width). Steady-state
// models start empty and discard a warm-up that is long against their relaxation time.

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "support/networks.hpp"
#include "support/queueing_theory.hpp"
#include "support/replications.hpp"
#include "tcsim/sim/distribution.hpp"
#include "tcsim/sim/network_simulation.hpp"

namespace sim = tcsim::sim;
namespace test = tcsim::test;
using sim::NetworkResult;

namespace {

const sim::StationResult& station(const NetworkResult& r) {
  return r.stations.front();
}

}  // namespace

TEST_CASE("M/M/1 (lambda 0.8, mu 1) matches the M/M/1 formulas", "[validation][mm1]") {
  constexpr double kLambda = 0.8;
  constexpr double kMeanService = 1.0;
  // Relaxation time of M/M/1 at rho 0.8 is about 1 / (mu (1 - sqrt(rho))^2) = 90 days.
  const sim::NetworkSpec spec = test::mmc_spec(1, kLambda, kMeanService, 1000.0, 41000.0);
  const std::vector<NetworkResult> runs = test::replicate(spec, 40);
  const test::MmcTheory theory = test::mmc(1, kLambda, kMeanService);
  // Textbook M/M/1: Wq = rho / (mu - lambda) = 4, Lq = rho^2 / (1 - rho) = 3.2.
  REQUIRE(theory.wq == Approx(4.0));
  REQUIRE(theory.lq == Approx(3.2));

  TCSIM_REQUIRE_IN_CI(
      "mean wait Wq",
      test::estimate(runs, [](const NetworkResult& r) { return station(r).wait.mean(); }),
      theory.wq);
  TCSIM_REQUIRE_IN_CI(
      "mean queue length Lq",
      test::estimate(runs, [](const NetworkResult& r) { return station(r).queue_length.mean(); }),
      theory.lq);
  TCSIM_REQUIRE_IN_CI(
      "utilisation rho",
      test::estimate(runs, [](const NetworkResult& r) { return station(r).utilisation(); }),
      theory.rho);
  TCSIM_REQUIRE_IN_CI(
      "mean number in system L",
      test::estimate(runs, [](const NetworkResult& r) { return r.in_system.mean(); }), theory.l);
  TCSIM_REQUIRE_IN_CI(
      "mean time in system W",
      test::estimate(runs, [](const NetworkResult& r) { return r.time_in_system.mean(); }),
      theory.w);
  TCSIM_REQUIRE_IN_CI(
      "P(empty) = 1 - rho",
      test::estimate(runs, [](const NetworkResult& r) { return r.in_system.share_at(0); }),
      1.0 - theory.rho);
  TCSIM_REQUIRE_IN_CI("Little's law L - lambda W", test::estimate(runs, test::little_gap), 0.0);
}

TEST_CASE("M/M/c model A (c 10, lambda 9, mean service 1) matches Erlang C", "[validation][mmc]") {
  constexpr std::int64_t kServers = 10;
  constexpr double kLambda = 9.0;
  constexpr double kMeanService = 1.0;
  const sim::NetworkSpec spec = test::mmc_spec(kServers, kLambda, kMeanService, 200.0, 10200.0);
  const std::vector<NetworkResult> runs = test::replicate(spec, 40);
  const test::MmcTheory theory = test::mmc(kServers, kLambda, kMeanService);
  REQUIRE(theory.wq == Approx(0.6687).margin(5e-5));  // the reference value of model A
  REQUIRE(theory.rho == Approx(0.9));

  TCSIM_REQUIRE_IN_CI(
      "mean wait Wq",
      test::estimate(runs, [](const NetworkResult& r) { return station(r).wait.mean(); }),
      theory.wq);
  TCSIM_REQUIRE_IN_CI(
      "mean queue length Lq",
      test::estimate(runs, [](const NetworkResult& r) { return station(r).queue_length.mean(); }),
      theory.lq);
  TCSIM_REQUIRE_IN_CI(
      "utilisation rho",
      test::estimate(runs, [](const NetworkResult& r) { return station(r).utilisation(); }),
      theory.rho);
  TCSIM_REQUIRE_IN_CI(
      "mean occupancy lambda / mu",
      test::estimate(runs, [](const NetworkResult& r) { return station(r).occupancy.mean(); }),
      kLambda * kMeanService);
  TCSIM_REQUIRE_IN_CI(
      "mean time in system W",
      test::estimate(runs, [](const NetworkResult& r) { return r.time_in_system.mean(); }),
      theory.w);
  TCSIM_REQUIRE_IN_CI("throughput lambda",
                      test::estimate(runs, [](const NetworkResult& r) { return r.throughput(); }),
                      kLambda);
  TCSIM_REQUIRE_IN_CI("Little's law L - lambda W", test::estimate(runs, test::little_gap), 0.0);
  // Little's law for the waiting line alone: Lq = (entries per day) * Wq.
  TCSIM_REQUIRE_IN_CI("Little's law for the line Lq - lambda Wq",
                      test::estimate(runs,
                                     [](const NetworkResult& r) {
                                       const sim::StationResult& s = station(r);
                                       return s.queue_length.mean() -
                                              s.wait.sum() / test::period(r);
                                     }),
                      0.0);
}

TEST_CASE("M/M/c/c and M/G/c/c loss systems (queue limit 0) match Erlang B",
          "[validation][erlang_b]") {
  constexpr std::int64_t kPlaces = 5;
  constexpr double kLambda = 4.0;
  constexpr double kMeanService = 1.0;
  // Erlang B is insensitive to the service distribution beyond its mean.
  const sim::Distribution service =
      GENERATE(sim::Distribution::exponential(kMeanService),
               sim::Distribution::lognormal_mean_sd(kMeanService, 1.5));
  sim::NetworkSpec spec = test::single_station(kPlaces, kLambda, service, 50.0, 5050.0);
  spec.stations[0].queue_limit = 0;
  const std::vector<NetworkResult> runs = test::replicate(spec, 30);
  const double blocking = test::erlang_b(kPlaces, kLambda * kMeanService);
  REQUIRE(blocking == Approx(0.19907).margin(1e-5));
  INFO("service " << service.describe());

  TCSIM_REQUIRE_IN_CI(
      "loss probability",
      test::estimate(runs, [](const NetworkResult& r) { return station(r).loss_probability(); }),
      blocking);
  TCSIM_REQUIRE_IN_CI(
      "mean occupancy a (1 - B)",
      test::estimate(runs, [](const NetworkResult& r) { return station(r).occupancy.mean(); }),
      kLambda * kMeanService * (1.0 - blocking));
  TCSIM_REQUIRE_IN_CI(
      "share of time full = B (PASTA)",
      test::estimate(runs,
                     [](const NetworkResult& r) { return station(r).occupancy.share_at(kPlaces); }),
      blocking);
  TCSIM_REQUIRE_IN_CI("Little's law L - lambda W", test::estimate(runs, test::little_gap), 0.0);
  for (const NetworkResult& r : runs) {
    REQUIRE(station(r).queue_length.max() == 0);  // nobody ever waits
    REQUIRE(station(r).occupancy.max() <= kPlaces);
    REQUIRE(r.losses == station(r).losses);
  }
}

TEST_CASE("M/G/infinity with lognormal service: Poisson occupancy with mean lambda E[S]",
          "[validation][mginf]") {
  constexpr double kLambda = 1.0;
  constexpr double kMeanService = 1.5;
  const sim::NetworkSpec spec =
      test::single_station(sim::kUnlimited, kLambda,
                           sim::Distribution::lognormal_mean_sd(kMeanService, 2.0), 60.0, 5060.0);
  const std::vector<NetworkResult> runs = test::replicate(spec, 30);
  const double load = kLambda * kMeanService;

  TCSIM_REQUIRE_IN_CI(
      "mean occupancy lambda E[S]",
      test::estimate(runs, [](const NetworkResult& r) { return station(r).occupancy.mean(); }),
      load);
  // The number present is Poisson(lambda E[S]) whatever the service distribution.
  for (std::int64_t k = 0; k <= 3; ++k) {
    const double poisson = std::exp(-load) * std::pow(load, static_cast<double>(k)) /
                           std::tgamma(static_cast<double>(k) + 1.0);
    INFO("level " << k);
    TCSIM_REQUIRE_IN_CI(
        "share of time at this level",
        test::estimate(runs,
                       [k](const NetworkResult& r) { return station(r).occupancy.share_at(k); }),
        poisson);
  }
  TCSIM_REQUIRE_IN_CI(
      "mean stay E[S]",
      test::estimate(runs, [](const NetworkResult& r) { return station(r).stay.mean(); }),
      kMeanService);
  TCSIM_REQUIRE_IN_CI("Little's law L - lambda W", test::estimate(runs, test::little_gap), 0.0);
  for (const NetworkResult& r : runs) {
    REQUIRE(station(r).wait.max() == 0.0);
    REQUIRE(station(r).queue_length.max() == 0);
    REQUIRE(std::isnan(station(r).utilisation()));  // unlimited: no utilisation
  }
}

// Two classes share one server; the urgent class (priority 0) is served first, without
// preemption. With exponential service of rate mu for both, the mean wait of class k is
// Wq_k = W0 / ((1 - sigma_{k-1}) (1 - sigma_k)), W0 = sum_i lambda_i E[S^2] / 2 = rho / mu,
// sigma_k = rho_1 + ... + rho_k (Cobham 1954).
TEST_CASE("M/M/1 with two non-preemptive priority classes matches Cobham's formula",
          "[validation][priority]") {
  constexpr double kUrgent = 0.3;
  constexpr double kRoutine = 0.5;
  constexpr double kMeanService = 1.0;
  sim::NetworkSpec spec = test::mmc_spec(1, kUrgent, kMeanService, 1000.0, 41000.0);
  spec.stations[0].discipline = sim::QueueDiscipline::Priority;
  spec.arrivals[0].name = "urgent";
  spec.steps[0].name = "urgent";
  spec.steps[0].priority = 0;
  sim::StepSpec routine = spec.steps[0];
  routine.name = "routine";
  routine.priority = 1;
  spec.steps.push_back(routine);
  spec.arrivals.push_back(
      sim::ArrivalSpec{.name = "routine", .rate_per_day = kRoutine, .first_step = 1});
  const std::vector<NetworkResult> runs = test::replicate(spec, 40);

  const double rho1 = kUrgent * kMeanService;
  const double rho = (kUrgent + kRoutine) * kMeanService;
  const double w0 = rho * kMeanService;
  const double wq_urgent = w0 / (1.0 - rho1);
  const double wq_routine = w0 / ((1.0 - rho1) * (1.0 - rho));

  TCSIM_REQUIRE_IN_CI(
      "urgent time in system",
      test::estimate(runs,
                     [](const NetworkResult& r) { return r.streams[0].time_in_system.mean(); }),
      wq_urgent + kMeanService);
  TCSIM_REQUIRE_IN_CI(
      "routine time in system",
      test::estimate(runs,
                     [](const NetworkResult& r) { return r.streams[1].time_in_system.mean(); }),
      wq_routine + kMeanService);
  // The overall wait is that of M/M/1: the discipline does not change it (work conservation).
  TCSIM_REQUIRE_IN_CI(
      "overall mean wait",
      test::estimate(runs, [](const NetworkResult& r) { return station(r).wait.mean(); }),
      test::mmc(1, kUrgent + kRoutine, kMeanService).wq);
  TCSIM_REQUIRE_IN_CI("Little's law L - lambda W", test::estimate(runs, test::little_gap), 0.0);
}

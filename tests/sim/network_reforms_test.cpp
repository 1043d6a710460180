// The engine's reform mechanisms: overflow routing (an Erlang loss system whose losses go to an
// unlimited station), early exits (a stay ends early when the next place is free; with a small
// target, an Erlang loss system at the early checks), probabilistic first steps, a delay stream
// per route, and the per-step and per-move counts (starts, overflows, early exits, moves_to).
//
// Statistical checks follow support/replications.hpp (the theoretical value must lie inside the
// 99.9% confidence interval over replications) or, for counts of independent Bernoulli trials,
// a 99.9% binomial interval. Everything else is exact: counts that must add up, deterministic
// paths, and bit-identical results where common random numbers promise them.

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iomanip>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "support/networks.hpp"
#include "support/queueing_theory.hpp"
#include "support/replications.hpp"
#include "tcsim/sim/distribution.hpp"
#include "tcsim/sim/network_simulation.hpp"
#include "tcsim/sim/network_spec.hpp"
#include "tcsim/sim/observer.hpp"
#include "tcsim/sim/output_analysis.hpp"

namespace sim = tcsim::sim;
namespace test = tcsim::test;
using Catch::Matchers::Contains;
using sim::Distribution;
using sim::NetworkResult;
using test::route;
using test::station;
using test::step;

namespace {

bool same_bits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

double ratio(std::uint64_t numerator, std::uint64_t denominator) {
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

// REQUIREs that `successes` out of `trials` independent Bernoulli(p) trials is consistent with p:
// |share - p| within the 99.9% normal-approximation interval z sqrt(p (1 - p) / trials).
void require_binomial(const std::string& what, std::uint64_t successes, std::uint64_t trials,
                      double p) {
  REQUIRE(trials > 1000);
  const double share = ratio(successes, trials);
  const double half_width = sim::t_critical(test::kConfidence, trials - 1) *
                            std::sqrt(p * (1.0 - p) / static_cast<double>(trials));
  INFO(what << ": " << successes << " of " << trials << " = " << share << ", theory " << p << " +- "
            << half_width << " (99.9%)");
  REQUIRE(std::abs(share - p) <= half_width);
}

std::uint64_t moves_out(const sim::StationResult& s) {
  std::uint64_t n = 0;
  for (const std::uint64_t m : s.moves_to)
    n += m;
  return n;
}

std::uint64_t moves_in(const NetworkResult& r, std::size_t to) {
  std::uint64_t n = 0;
  for (const sim::StationResult& s : r.stations)
    n += s.moves_to[to];
  return n;
}

sim::EarlyExit early_exit(double probability, Distribution days_earlier, std::int32_t to) {
  return sim::EarlyExit{probability, std::move(days_earlier), to};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Overflow routing

namespace {

constexpr std::int64_t kOverflowServers = 3;
constexpr double kOverflowLambda = 2.0;
constexpr double kOverflowMeanFirst = 1.0;
constexpr double kOverflowMeanSecond = 4.0;

// X: 3 places, exponential 1 day, no waiting: whoever finds X full overflows to Y, an unlimited
// station with gamma stays of mean 4 days. X is then an M/M/3/3 Erlang loss system and Y an
// infinite-server station fed by X's (non-Poisson) overflow stream.
sim::NetworkSpec erlang_overflow_spec() {
  sim::NetworkSpec spec;
  spec.stations = {station("X", kOverflowServers), station("Y")};
  sim::StepSpec x = step("x", 0, Distribution::exponential(kOverflowMeanFirst));
  x.overflow = 1;
  spec.steps = {x, step("y", 1, Distribution::gamma_mean_sd(kOverflowMeanSecond, 2.0))};
  spec.arrivals = {sim::ArrivalSpec{.name = "arrivals", .rate_per_day = kOverflowLambda}};
  spec.warmup = 50.0;
  spec.horizon = 2050.0;
  return spec;
}

}  // namespace

TEST_CASE("Overflow from a full station: Erlang B overflows, an M/G/inf overflow station",
          "[network_reforms][overflow][validation]") {
  const double a = kOverflowLambda * kOverflowMeanFirst;
  const double b = test::erlang_b(kOverflowServers, a);
  REQUIRE(b == Approx(4.0 / 19.0));  // by hand: (8/6) / (1 + 2 + 2 + 8/6)

  const std::vector<NetworkResult> runs = test::replicate(erlang_overflow_spec(), 30);
  for (const NetworkResult& r : runs) {
    const sim::StationResult& x = r.stations[0];
    const sim::StationResult& y = r.stations[1];
    // Nobody ever waits at X: they overflow instead.
    REQUIRE(x.queue_length.max() == 0);
    REQUIRE(x.wait.max() == 0.0);
    REQUIRE(x.losses == 0);
    REQUIRE(r.losses == 0);
    // Every request at X either took a place or overflowed; Y sees only the overflow.
    REQUIRE(x.requests == x.wait.count() + r.steps[0].overflows);
    REQUIRE(r.steps[0].starts == x.wait.count());
    REQUIRE(r.steps[1].overflows == 0);
    REQUIRE(y.requests == r.steps[0].overflows);
    REQUIRE(r.steps[1].starts == r.steps[0].overflows);
    // A newcomer that overflows held no place: it is no move between stations.
    REQUIRE(moves_out(x) == 0);
    REQUIRE(moves_out(y) == 0);
    REQUIRE(r.steps[0].overflows > 0);
  }

  TCSIM_REQUIRE_IN_CI(
      "overflow share = Erlang B",
      test::estimate(
          runs, [](const NetworkResult& r) { return ratio(r.steps[0].overflows, r.arrivals); }),
      b);
  TCSIM_REQUIRE_IN_CI("overflow rate = lambda B",
                      test::estimate(runs,
                                     [](const NetworkResult& r) {
                                       return static_cast<double>(r.steps[0].overflows) /
                                              test::period(r);
                                     }),
                      kOverflowLambda * b);
  TCSIM_REQUIRE_IN_CI(
      "share of time X is full = B (PASTA)",
      test::estimate(runs, [](const NetworkResult& r) { return r.stations[0].full_share(); }), b);
  TCSIM_REQUIRE_IN_CI(
      "X mean occupancy = carried load a (1 - B)",
      test::estimate(runs, [](const NetworkResult& r) { return r.stations[0].occupancy.mean(); }),
      a * (1.0 - b));
  TCSIM_REQUIRE_IN_CI(
      "Y mean occupancy = lambda B E[S_Y] (infinite server, Little)",
      test::estimate(runs, [](const NetworkResult& r) { return r.stations[1].occupancy.mean(); }),
      kOverflowLambda * b * kOverflowMeanSecond);
  TCSIM_REQUIRE_IN_CI("Little's law L - lambda W", test::estimate(runs, test::little_gap), 0.0);
}

TEST_CASE("A station with no places sends everyone on along the overflow chain",
          "[network_reforms][overflow]") {
  // a (A, unlimited, 1 day) -> x (X, 0 places) overflow -> y (Y, 0 places) overflow -> z (Z).
  constexpr std::uint64_t kArrivals = 200;
  sim::NetworkSpec spec;
  spec.stations = {station("A"), station("X", 0), station("Y", 0), station("Z")};
  sim::StepSpec x = step("x", 1, Distribution::exponential(1.0));
  x.overflow = 2;
  sim::StepSpec y = step("y", 2, Distribution::exponential(1.0));
  y.overflow = 3;
  spec.steps = {step("a", 0, Distribution::deterministic(1.0), {route(1)}), x, y,
                step("z", 3, Distribution::deterministic(2.0))};
  spec.arrivals = {sim::ArrivalSpec{.name = "arrivals",
                                    .rate_per_day = 5.0,
                                    .max_arrivals = static_cast<std::int64_t>(kArrivals)}};

  const NetworkResult r = sim::simulate(spec, test::kMasterSeed, 0);
  CHECK(r.arrivals == kArrivals);
  CHECK(r.completions == kArrivals);
  CHECK(r.losses == 0);
  CHECK(r.steps[0].starts == kArrivals);
  CHECK(r.steps[1].overflows == kArrivals);
  CHECK(r.steps[1].starts == 0);
  CHECK(r.steps[2].overflows == kArrivals);
  CHECK(r.steps[2].starts == 0);
  CHECK(r.steps[3].overflows == 0);
  CHECK(r.steps[3].starts == kArrivals);
  for (const std::size_t s : {std::size_t{1}, std::size_t{2}}) {
    INFO("station " << r.stations[s].name);
    CHECK(r.stations[s].requests == kArrivals);
    CHECK(r.stations[s].occupancy.max() == 0);
    CHECK(r.stations[s].queue_length.max() == 0);
    CHECK(r.stations[s].wait.count() == 0);
    CHECK(r.stations[s].stay.count() == 0);
  }
  // The entity leaves its place at A for a place at Z, at once: no blocking at A.
  CHECK(r.stations[0].moves_to == std::vector<std::uint64_t>{0, 0, 0, kArrivals});
  CHECK(r.stations[0].blocked.count() == 0);
  CHECK(r.stations[0].stay.max() == Approx(1.0).margin(1e-9));
  CHECK(r.stations[3].wait.count() == kArrivals);
  CHECK(r.stations[3].wait.max() == 0.0);
  CHECK(r.time_in_system.min() == Approx(3.0).margin(1e-9));
  CHECK(r.time_in_system.max() == Approx(3.0).margin(1e-9));
}

TEST_CASE("validate rejects overflow loops and overflow to unknown steps",
          "[network_reforms][overflow][network_spec]") {
  sim::NetworkSpec spec;
  spec.stations = {station("A", 1), station("B", 1), station("C", 1)};
  spec.steps = {step("first", 0, Distribution::exponential(1.0)),
                step("second", 1, Distribution::exponential(1.0)),
                step("third", 2, Distribution::exponential(1.0))};
  spec.arrivals = {sim::ArrivalSpec{.name = "arrivals", .rate_per_day = 1.0}};
  spec.horizon = 10.0;
  REQUIRE_NOTHROW(sim::validate(spec));

  SECTION("a chain without a loop is fine") {
    spec.steps[0].overflow = 1;
    spec.steps[1].overflow = 2;
    CHECK_NOTHROW(sim::validate(spec));
    spec.steps[2].overflow = 1;  // ...until its end leads back into it
    CHECK_THROWS_AS(sim::validate(spec), std::invalid_argument);
    CHECK_THROWS_WITH(sim::validate(spec), Contains("loop"));
  }
  SECTION("a step overflowing to itself") {
    spec.steps[1].overflow = 1;
    CHECK_THROWS_AS(sim::validate(spec), std::invalid_argument);
    CHECK_THROWS_WITH(sim::validate(spec), Contains("'second'") && Contains("loop"));
    CHECK_THROWS_AS(sim::NetworkSimulation(spec, 1, 0), std::invalid_argument);
  }
  SECTION("two steps overflowing to each other") {
    spec.steps[0].overflow = 2;
    spec.steps[2].overflow = 0;
    CHECK_THROWS_AS(sim::validate(spec), std::invalid_argument);
    CHECK_THROWS_WITH(sim::validate(spec), Contains("'first'") && Contains("loop"));
  }
  SECTION("overflow to a step that does not exist") {
    spec.steps[2].overflow = 3;
    CHECK_THROWS_WITH(sim::validate(spec), Contains("'third'") && Contains("overflow"));
    spec.steps[2].overflow = sim::kExit;  // overflow must go to a step, not out
    CHECK_THROWS_WITH(sim::validate(spec), Contains("'third'") && Contains("overflow"));
  }
}

// ---------------------------------------------------------------------------------------------
// Early exits

namespace {

// a (A, unlimited, `stay`) -> exit, with an early exit to b (B, `b_capacity` places, 1 day).
sim::NetworkSpec early_exit_spec(Distribution stay, std::optional<sim::EarlyExit> early,
                                 std::int64_t b_capacity = sim::kUnlimited) {
  sim::NetworkSpec spec;
  spec.stations = {station("A"), station("B", b_capacity)};
  sim::StepSpec a = step("a", 0, std::move(stay));
  a.early_exit = std::move(early);
  spec.steps = {a, step("b", 1, Distribution::deterministic(1.0))};
  spec.arrivals = {sim::ArrivalSpec{.name = "arrivals", .rate_per_day = 3.0}};
  return spec;
}

}  // namespace

TEST_CASE("Early exit to a free place: the stay ends days_earlier before its planned end",
          "[network_reforms][early_exit]") {
  constexpr double kStay = 5.0;
  constexpr double kEarlier = 2.0;
  SECTION("drained: every stay at a exits early, days_earlier saved each") {
    constexpr std::uint64_t kArrivals = 300;
    sim::NetworkSpec spec =
        early_exit_spec(Distribution::deterministic(kStay),
                        early_exit(1.0, Distribution::deterministic(kEarlier), 1));
    spec.arrivals[0].max_arrivals = kArrivals;
    const NetworkResult r = sim::simulate(spec, test::kMasterSeed, 0);
    REQUIRE(r.completions == kArrivals);
    const sim::StationResult& a = r.stations[0];
    CHECK(r.steps[0].starts == kArrivals);
    CHECK(r.steps[0].early_exits == kArrivals);
    CHECK(r.steps[0].early_days == kEarlier * static_cast<double>(kArrivals));
    CHECK(r.steps[1].starts == kArrivals);
    CHECK(r.steps[1].early_exits == 0);
    CHECK(a.stay.count() == kArrivals);
    CHECK(a.stay.min() == Approx(kStay - kEarlier).margin(1e-9));
    CHECK(a.stay.max() == Approx(kStay - kEarlier).margin(1e-9));
    CHECK(a.blocked.count() == 0);
    CHECK(a.moves_to == std::vector<std::uint64_t>{0, kArrivals});
    CHECK(r.stations[1].wait.count() == kArrivals);
    CHECK(r.time_in_system.mean() == Approx(kStay - kEarlier + 1.0));
    CHECK(r.time_in_system.max() == Approx(kStay - kEarlier + 1.0).margin(1e-9));
  }
  SECTION("with a warm-up the counts restart and still agree") {
    sim::NetworkSpec spec =
        early_exit_spec(Distribution::deterministic(kStay),
                        early_exit(1.0, Distribution::deterministic(kEarlier), 1));
    spec.warmup = 20.0;
    spec.horizon = 220.0;
    const NetworkResult r = sim::simulate(spec, test::kMasterSeed, 1);
    const std::uint64_t exits = r.steps[0].early_exits;
    REQUIRE(exits > 400);
    CHECK(r.steps[0].early_days == kEarlier * static_cast<double>(exits));
    CHECK(r.stations[0].moves_to[1] == exits);
    CHECK(r.stations[0].stay.count() == exits);
    CHECK(r.stations[1].wait.count() == exits);
    CHECK(r.steps[1].starts == exits);
    CHECK(r.stations[0].wait.count() == r.steps[0].starts);
    CHECK(r.stations[0].stay.min() == Approx(kStay - kEarlier).margin(1e-9));
    CHECK(r.stations[0].stay.max() == Approx(kStay - kEarlier).margin(1e-9));
  }
  SECTION("more days earlier than the stay: a stay of length 0, never negative") {
    constexpr std::uint64_t kArrivals = 100;
    sim::NetworkSpec spec = early_exit_spec(Distribution::deterministic(kStay),
                                            early_exit(1.0, Distribution::deterministic(7.0), 1));
    spec.arrivals[0].max_arrivals = kArrivals;
    const NetworkResult r = sim::simulate(spec, test::kMasterSeed, 2);
    REQUIRE(r.completions == kArrivals);
    CHECK(r.steps[0].early_exits == kArrivals);
    CHECK(r.steps[0].early_days == kStay * static_cast<double>(kArrivals));  // clamped to the stay
    CHECK(r.stations[0].stay.count() == kArrivals);
    CHECK(r.stations[0].stay.min() == 0.0);
    CHECK(r.stations[0].stay.max() == 0.0);
    CHECK(r.stations[0].occupancy.area() == 0.0);
    CHECK(r.time_in_system.min() == Approx(1.0).margin(1e-9));
    CHECK(r.time_in_system.max() == Approx(1.0).margin(1e-9));
  }
  SECTION("0 days earlier: the entity takes the early-exit step at its stay's end") {
    constexpr std::uint64_t kArrivals = 100;
    sim::NetworkSpec spec = early_exit_spec(Distribution::deterministic(kStay),
                                            early_exit(1.0, Distribution::deterministic(0.0), 1));
    spec.arrivals[0].max_arrivals = kArrivals;
    const NetworkResult r = sim::simulate(spec, test::kMasterSeed, 3);
    CHECK(r.steps[0].early_exits == kArrivals);
    CHECK(r.steps[0].early_days == 0.0);
    CHECK(r.stations[0].stay.min() == Approx(kStay).margin(1e-9));
    CHECK(r.stations[0].stay.max() == Approx(kStay).margin(1e-9));
    CHECK(r.stations[0].moves_to[1] == kArrivals);
  }
}

namespace {

// The stays at station 0, in the order they end, and the arrival times.
struct StaysAtFirstStation : sim::Observer {
  std::map<sim::EntityId, double> started;
  std::vector<double> stays;
  std::vector<double> arrivals;
  void on_arrival(double t, sim::EntityId, std::uint32_t) override { arrivals.push_back(t); }
  void on_start(double t, sim::EntityId id, std::uint32_t, std::uint32_t station) override {
    if (station == 0) started[id] = t;
  }
  void on_leave(double t, sim::EntityId id, std::uint32_t station) override {
    if (station == 0) stays.push_back(t - started.at(id));
  }
};

}  // namespace

TEST_CASE("Early exit to a full station: full stays, the same random numbers as without it",
          "[network_reforms][early_exit][crn]") {
  // B has no places, so no early check ever succeeds: the run must be the run without the
  // early exit (the early exit draws from its own stream "early/a").
  const Distribution stay = Distribution::exponential(3.0);
  sim::NetworkSpec without = early_exit_spec(stay, std::nullopt, 0);
  without.warmup = 10.0;
  without.horizon = 510.0;
  sim::NetworkSpec with = without;
  with.steps[0].early_exit = early_exit(0.7, Distribution::exponential(1.0), 1);

  for (std::uint64_t k = 0; k < 3; ++k) {
    INFO("replication " << k);
    StaysAtFirstStation o0;
    StaysAtFirstStation o1;
    const NetworkResult r0 = sim::simulate(without, test::kMasterSeed, k, &o0);
    const NetworkResult r1 = sim::simulate(with, test::kMasterSeed, k, &o1);
    REQUIRE(r0.arrivals > 1000);
    CHECK(r1.steps[0].early_exits == 0);
    CHECK(r1.steps[0].early_days == 0.0);
    CHECK(r1.stations[1].requests == 0);
    CHECK(r1.stations[1].wait.count() == 0);
    CHECK(r1.stations[0].moves_to[1] == 0);
    CHECK(r1.arrivals == r0.arrivals);
    CHECK(r1.completions == r0.completions);
    CHECK(r1.steps[0].starts == r0.steps[0].starts);
    CHECK(r1.stations[0].stay.count() == r0.stations[0].stay.count());
    CHECK(o1.arrivals == o0.arrivals);  // bit for bit
    // Common random numbers: each stay is the one drawn without the early exit, to within the
    // rounding of the stay's end time (start + (S - d)) + d, which the engine computes instead
    // of start + S (see the next test case).
    REQUIRE(o1.stays.size() == o0.stays.size());
    REQUIRE(o0.stays.size() > 1000);
    std::size_t differing = 0;
    for (std::size_t i = 0; i < o0.stays.size(); ++i) {
      if (!same_bits(o1.stays[i], o0.stays[i])) ++differing;
    }
    CHECK(differing == 0);
    CHECK(same_bits(r1.stations[0].stay.sum(), r0.stations[0].stay.sum()));
    CHECK(same_bits(r1.time_in_system.sum(), r0.time_in_system.sum()));
  }
}

// The smallest case of the property above, bit for bit: a failed early check schedules the
// planned end itself, not check time + the days earlier ((0.9 - 0.3) + 0.3 != 0.9 in binary).
TEST_CASE("Early exit to a full station: a full stay is bit-identical to the stay without it",
          "[network_reforms][early_exit][crn]") {
  sim::NetworkSpec without = early_exit_spec(Distribution::deterministic(0.9), std::nullopt, 0);
  without.arrivals[0].max_arrivals = 0;
  without.initial = {sim::InitialEntities{.stream = 0, .step = 0, .in_place = 1}};
  sim::NetworkSpec with = without;
  with.steps[0].early_exit = early_exit(1.0, Distribution::deterministic(0.3), 1);
  const NetworkResult r0 = sim::simulate(without, test::kMasterSeed, 0);
  const NetworkResult r1 = sim::simulate(with, test::kMasterSeed, 0);
  REQUIRE(r0.stations[0].stay.count() == 1);
  REQUIRE(r1.stations[0].stay.count() == 1);
  REQUIRE(r1.steps[0].early_exits == 0);
  CHECK(same_bits(r0.stations[0].stay.max(), 0.9));
  INFO(std::setprecision(17) << "stay without the early exit " << r0.stations[0].stay.max()
                             << ", with it " << r1.stations[0].stay.max());
  CHECK(same_bits(r1.stations[0].stay.max(), r0.stations[0].stay.max()));
  CHECK(same_bits(r1.end, r0.end));
}

TEST_CASE("Early exit to an unlimited station: a share p is eligible, saving E[min(days, stay)]",
          "[network_reforms][early_exit][validation]") {
  // Stays exponential (mean 3), days earlier exponential (mean 1): the days saved by an eligible
  // entity are min(D, S), exponential with mean 1 / (1/1 + 1/3) = 0.75.
  constexpr double kP = 0.35;
  constexpr double kMeanStay = 3.0;
  constexpr double kMeanEarlier = 1.0;
  constexpr double kSaved = 1.0 / (1.0 / kMeanStay + 1.0 / kMeanEarlier);
  sim::NetworkSpec spec =
      early_exit_spec(Distribution::exponential(kMeanStay),
                      early_exit(kP, Distribution::exponential(kMeanEarlier), 1));
  spec.arrivals[0].max_arrivals = 2000;  // drained: every stay begun also ends
  const std::vector<NetworkResult> runs = test::replicate(spec, 20);

  std::uint64_t eligible = 0;
  std::uint64_t starts = 0;
  for (const NetworkResult& r : runs) {
    // The target always has room, so every eligible entity leaves early.
    REQUIRE(r.steps[0].starts == 2000);
    REQUIRE(r.stations[0].moves_to[1] == r.steps[0].early_exits);
    REQUIRE(r.steps[1].starts == r.steps[0].early_exits);
    eligible += r.steps[0].early_exits;
    starts += r.steps[0].starts;
  }
  require_binomial("eligible share", eligible, starts, kP);
  TCSIM_REQUIRE_IN_CI("days saved per early exit E[min(D, S)]",
                      test::estimate(runs,
                                     [](const NetworkResult& r) {
                                       return r.steps[0].early_days /
                                              static_cast<double>(r.steps[0].early_exits);
                                     }),
                      kSaved);
  TCSIM_REQUIRE_IN_CI(
      "mean stay at A = E[S] - p E[min(D, S)]",
      test::estimate(runs, [](const NetworkResult& r) { return r.stations[0].stay.mean(); }),
      kMeanStay - kP * kSaved);
}

TEST_CASE("Early exit to a small station: an Erlang loss system seen at the early checks",
          "[network_reforms][early_exit][validation]") {
  // A is unlimited (M/G/inf), so the early checks - each at arrival + S - min(d, S) - form a
  // Poisson stream of rate lambda p whose marks min(d, S) are independent of the past. B (2
  // places, exponential 1.5 days) is fed only by the checks that find it free: an M/M/2/2 loss
  // system with offered load a_B = lambda p E[S_B]. A check finds B full with probability
  // B(2, a_B) (PASTA); the entity then completes its full stay.
  constexpr double kLambda = 2.0;
  constexpr double kP = 0.6;
  constexpr double kMeanStay = 3.0;
  constexpr double kEarlier = 1.0;
  constexpr std::int64_t kPlacesB = 2;
  constexpr double kMeanB = 1.5;
  sim::NetworkSpec spec;
  spec.stations = {station("A"), station("B", kPlacesB)};
  sim::StepSpec a = step("a", 0, Distribution::exponential(kMeanStay));
  a.early_exit = early_exit(kP, Distribution::deterministic(kEarlier), 1);
  spec.steps = {a, step("b", 1, Distribution::exponential(kMeanB))};
  spec.arrivals = {sim::ArrivalSpec{.name = "arrivals", .rate_per_day = kLambda}};
  spec.warmup = 60.0;
  spec.horizon = 2060.0;

  const double a_b = kLambda * kP * kMeanB;
  const double full = test::erlang_b(kPlacesB, a_b);
  REQUIRE(full == Approx(1.62 / 4.42));
  const double saved = kMeanStay * (1.0 - std::exp(-kEarlier / kMeanStay));  // E[min(d, S)]
  const double success = kP * (1.0 - full);

  const std::vector<NetworkResult> runs = test::replicate(spec, 30);
  for (const NetworkResult& r : runs) {
    REQUIRE(r.stations[1].queue_length.max() == 0);
    REQUIRE(r.stations[1].requests == r.steps[0].early_exits);  // only early exits go to B
    REQUIRE(r.stations[1].wait.count() == r.steps[0].early_exits);
    REQUIRE(r.stations[0].moves_to[1] == r.steps[0].early_exits);
    REQUIRE(r.stations[1].occupancy.max() <= kPlacesB);
  }
  TCSIM_REQUIRE_IN_CI("early exits per stay = p (1 - B(2, a_B))",
                      test::estimate(runs,
                                     [](const NetworkResult& r) {
                                       return ratio(r.steps[0].early_exits, r.steps[0].starts);
                                     }),
                      success);
  TCSIM_REQUIRE_IN_CI(
      "share of time B is full = B(2, a_B)",
      test::estimate(runs, [](const NetworkResult& r) { return r.stations[1].full_share(); }),
      full);
  TCSIM_REQUIRE_IN_CI(
      "B mean occupancy = carried load a_B (1 - B)",
      test::estimate(runs, [](const NetworkResult& r) { return r.stations[1].occupancy.mean(); }),
      a_b * (1.0 - full));
  TCSIM_REQUIRE_IN_CI("days saved per early exit E[min(d, S)]",
                      test::estimate(runs,
                                     [](const NetworkResult& r) {
                                       return r.steps[0].early_days /
                                              static_cast<double>(r.steps[0].early_exits);
                                     }),
                      saved);
  TCSIM_REQUIRE_IN_CI(
      "A mean stay = E[S] - p (1 - B) E[min(d, S)]",
      test::estimate(runs, [](const NetworkResult& r) { return r.stations[0].stay.mean(); }),
      kMeanStay - success * saved);
  TCSIM_REQUIRE_IN_CI(
      "A mean occupancy = lambda (E[S] - p (1 - B) E[min(d, S)])",
      test::estimate(runs, [](const NetworkResult& r) { return r.stations[0].occupancy.mean(); }),
      kLambda * (kMeanStay - success * saved));
}

TEST_CASE("validate rejects bad early exits", "[network_reforms][early_exit][network_spec]") {
  sim::NetworkSpec spec;
  spec.stations = {station("A", 1), station("B", 1)};
  spec.steps = {step("acute", 0, Distribution::exponential(1.0)),
                step("acute_more", 0, Distribution::exponential(1.0)),
                step("home", 1, Distribution::exponential(1.0))};
  spec.steps[0].early_exit = early_exit(0.5, Distribution::deterministic(1.0), 2);
  spec.arrivals = {sim::ArrivalSpec{.name = "arrivals", .rate_per_day = 1.0}};
  spec.horizon = 10.0;
  REQUIRE_NOTHROW(sim::validate(spec));
  SECTION("to an unknown step") {
    spec.steps[0].early_exit->to = 3;
  }
  SECTION("to no step") {
    spec.steps[0].early_exit->to = sim::kExit;
  }
  SECTION("to a step at the same station") {
    spec.steps[0].early_exit->to = 1;
  }
  SECTION("to its own step") {
    spec.steps[0].early_exit->to = 0;
  }
  SECTION("probability above 1") {
    spec.steps[0].early_exit->probability = 1.5;
  }
  SECTION("negative probability") {
    spec.steps[0].early_exit->probability = -0.1;
  }
  SECTION("NaN probability") {
    spec.steps[0].early_exit->probability = std::numeric_limits<double>::quiet_NaN();
  }
  CHECK_THROWS_AS(sim::validate(spec), std::invalid_argument);
  CHECK_THROWS_WITH(sim::validate(spec), Contains("'acute'"));
}

// ---------------------------------------------------------------------------------------------
// First routes

namespace {

// Four unlimited stations W, X, Y, Z with a step each (exponential 1 day) and one stream.
sim::NetworkSpec first_routes_spec() {
  sim::NetworkSpec spec;
  spec.stations = {station("W"), station("X"), station("Y"), station("Z")};
  spec.steps = {
      step("w", 0, Distribution::exponential(1.0)), step("x", 1, Distribution::exponential(1.0)),
      step("y", 2, Distribution::exponential(1.0)), step("z", 3, Distribution::exponential(1.0))};
  spec.arrivals = {sim::ArrivalSpec{.name = "arrivals", .rate_per_day = 50.0, .first_step = 0}};
  return spec;
}

}  // namespace

TEST_CASE("First routes: each arrival's first step is drawn with its probability",
          "[network_reforms][first_routes]") {
  constexpr std::uint64_t kArrivals = 100000;
  sim::NetworkSpec spec = first_routes_spec();
  // first_step (w) is ignored once there are first routes; a route of probability 0 is never
  // taken, even between two others.
  spec.arrivals[0].first_routes = {route(1, 0.2), route(0, 0.0), route(2, 0.5), route(3, 0.3)};
  spec.arrivals[0].max_arrivals = kArrivals;
  const NetworkResult r = sim::simulate(spec, test::kMasterSeed, 0);
  REQUIRE(r.arrivals == kArrivals);
  REQUIRE(r.completions == kArrivals);
  CHECK(r.steps[0].starts == 0);
  CHECK(r.stations[0].requests == 0);
  CHECK(r.steps[1].starts + r.steps[2].starts + r.steps[3].starts == kArrivals);
  require_binomial("share first at x", r.steps[1].starts, kArrivals, 0.2);
  require_binomial("share first at y", r.steps[2].starts, kArrivals, 0.5);
  require_binomial("share first at z", r.steps[3].starts, kArrivals, 0.3);
  for (const sim::StationResult& s : r.stations)
    CHECK(moves_out(s) == 0);  // a first step is an entry, not a move
}

TEST_CASE("First routes draw on a stream of their own: the arrivals are unchanged",
          "[network_reforms][first_routes][crn]") {
  struct ArrivalTimes : sim::Observer {
    std::vector<double> times;
    void on_arrival(double t, sim::EntityId, std::uint32_t) override { times.push_back(t); }
  };
  sim::NetworkSpec plain = first_routes_spec();
  plain.warmup = 5.0;
  plain.horizon = 105.0;
  sim::NetworkSpec routed = plain;
  routed.arrivals[0].first_routes = {route(1, 0.6), route(2, 0.4)};
  sim::NetworkSpec rerouted = plain;
  rerouted.arrivals[0].first_routes = {route(3, 0.1), route(0, 0.9)};
  for (std::uint64_t k = 0; k < 3; ++k) {
    INFO("replication " << k);
    ArrivalTimes t0;
    ArrivalTimes t1;
    ArrivalTimes t2;
    const NetworkResult r0 = sim::simulate(plain, test::kMasterSeed, k, &t0);
    const NetworkResult r1 = sim::simulate(routed, test::kMasterSeed, k, &t1);
    const NetworkResult r2 = sim::simulate(rerouted, test::kMasterSeed, k, &t2);
    REQUIRE(t0.times.size() > 4000);
    CHECK(t1.times == t0.times);  // bit-identical arrival times
    CHECK(t2.times == t0.times);
    CHECK(r1.arrivals == r0.arrivals);
    CHECK(r2.arrivals == r0.arrivals);
    CHECK(r0.steps[0].starts == r0.arrivals);  // W is unlimited: each arrival starts at once
    CHECK(r1.steps[0].starts == 0);
    CHECK(r1.steps[3].starts == 0);
    CHECK(r1.steps[1].starts + r1.steps[2].starts == r1.arrivals);
    CHECK(r2.steps[1].starts + r2.steps[2].starts == 0);
    CHECK(r2.steps[0].starts + r2.steps[3].starts == r2.arrivals);
  }
}

TEST_CASE("validate rejects bad first routes", "[network_reforms][first_routes][network_spec]") {
  sim::NetworkSpec spec = first_routes_spec();
  spec.horizon = 10.0;
  spec.arrivals[0].first_routes = {route(1, 0.25), route(2, 0.75)};
  REQUIRE_NOTHROW(sim::validate(spec));
  SECTION("to an unknown step") {
    spec.arrivals[0].first_routes[1].to = 4;
  }
  SECTION("straight out of the network") {
    spec.arrivals[0].first_routes[1].to = sim::kExit;
  }
  SECTION("probabilities not summing to 1") {
    spec.arrivals[0].first_routes[1].probability = 0.7;
  }
  SECTION("a probability above 1, though the sum is 1") {
    spec.arrivals[0].first_routes = {route(1, 1.25), route(2, -0.25)};
  }
  SECTION("a NaN probability") {
    spec.arrivals[0].first_routes[0].probability = std::numeric_limits<double>::quiet_NaN();
  }
  SECTION("a delay") {
    spec.arrivals[0].first_routes[0].delay = Distribution::deterministic(1.0);
  }
  CHECK_THROWS_AS(sim::validate(spec), std::invalid_argument);
  CHECK_THROWS_WITH(sim::validate(spec), Contains("'arrivals'"));
}

// ---------------------------------------------------------------------------------------------
// Delay streams and the counts of moves

TEST_CASE("Each route's delay has its own stream: changing one leaves the others alone",
          "[network_reforms][delay][crn]") {
  // a (A) -> b (B) w.p. 0.3, -> c (C) w.p. 0.5, -> exit w.p. 0.2, each after a delay. Every
  // station is unlimited, so nothing on the way to C depends on what happens on the way to B.
  sim::NetworkSpec base;
  base.stations = {station("A"), station("B"), station("C")};
  base.steps = {step("a", 0, Distribution::exponential(2.0),
                     {route(1, 0.3, Distribution::exponential(0.5)),
                      route(2, 0.5, Distribution::gamma_mean_sd(1.0, 0.5)),
                      route(sim::kExit, 0.2, Distribution::exponential(0.25))}),
                step("b", 1, Distribution::exponential(1.0)),
                step("c", 2, Distribution::exponential(1.0))};
  base.arrivals = {sim::ArrivalSpec{.name = "arrivals", .rate_per_day = 4.0}};
  base.warmup = 10.0;
  base.horizon = 310.0;
  sim::NetworkSpec other_delay = base;
  // A fixed delay draws no random number at all: with one delay stream for the whole step, the
  // delays of every later route-C move would shift.
  other_delay.steps[0].routes[0].delay = Distribution::deterministic(2.5);
  sim::NetworkSpec no_delay = base;
  no_delay.steps[0].routes[0].delay.reset();

  for (std::uint64_t k = 0; k < 3; ++k) {
    INFO("replication " << k);
    const NetworkResult r0 = sim::simulate(base, test::kMasterSeed, k);
    const NetworkResult r1 = sim::simulate(other_delay, test::kMasterSeed, k);
    const NetworkResult r2 = sim::simulate(no_delay, test::kMasterSeed, k);
    const sim::StationResult& a0 = r0.stations[0];
    REQUIRE(a0.moves_to[2] > 300);
    REQUIRE(a0.delay_days_for[2] > 0.0);
    for (const NetworkResult* r : {&r1, &r2}) {
      const sim::StationResult& a = r->stations[0];
      CHECK(a.moves_to[2] == a0.moves_to[2]);
      CHECK(same_bits(a.delay_days_for[2], a0.delay_days_for[2]));
      CHECK(same_bits(a.blocked_days_for[2], a0.blocked_days_for[2]));
      CHECK(same_bits(r->stations[2].stay.sum(), r0.stations[2].stay.sum()));
      CHECK(same_bits(r->stations[2].occupancy.area(), r0.stations[2].occupancy.area()));
    }
    // ...while the route whose delay changed did change.
    CHECK(r1.stations[0].delay_days_for[1] > 2.0 * a0.delay_days_for[1]);
    CHECK(r2.stations[0].delay_days_for[1] == 0.0);
    CHECK(r2.stations[0].blocked_days_for[1] == 0.0);
    // With unlimited stations every blocked day is a delay day.
    CHECK(a0.blocked_by_capacity_days == 0.0);
    CHECK(a0.delay_days_for[1] == a0.blocked_days_for[1]);
    CHECK(a0.delay_days_for[2] == a0.blocked_days_for[2]);
  }
}

TEST_CASE("Routes' delays are drawn from distinct streams: equal distributions, other values",
          "[network_reforms][delay]") {
  // a (A) -> b (B), c (C) or exit, each w.p. 1/3 after an exponential delay of mean 1 day. Had
  // two routes the same stream, their n-th delays would be equal.
  struct DelaysByRoute : sim::Observer {
    std::map<sim::EntityId, double> fit;
    std::map<sim::EntityId, double> delay;  // delay of an entity that has just left A
    std::vector<std::vector<double>> delays = std::vector<std::vector<double>>(3);
    void on_fit(double t, sim::EntityId id, std::uint32_t step) override {
      if (step == 0) fit[id] = t;
    }
    void on_leave(double t, sim::EntityId id, std::uint32_t station) override {
      if (station == 0) delay[id] = t - fit.at(id);
    }
    void on_start(double, sim::EntityId id, std::uint32_t, std::uint32_t station) override {
      if (station > 0) record(id, station - 1);  // 0: to B, 1: to C
    }
    void on_exit(double, sim::EntityId id) override { record(id, 2); }
    void record(sim::EntityId id, std::uint32_t route) {
      const auto it = delay.find(id);
      if (it == delay.end()) return;
      delays[route].push_back(it->second);
      delay.erase(it);
    }
  };
  sim::NetworkSpec spec;
  spec.stations = {station("A"), station("B"), station("C")};
  const Distribution delay = Distribution::exponential(1.0);
  spec.steps = {step("a", 0, Distribution::exponential(1.0),
                     {route(1, 1.0 / 3.0, delay), route(2, 1.0 / 3.0, delay),
                      route(sim::kExit, 1.0 / 3.0, delay)}),
                step("b", 1, Distribution::exponential(1.0)),
                step("c", 2, Distribution::exponential(1.0))};
  spec.arrivals = {sim::ArrivalSpec{.name = "arrivals", .rate_per_day = 2.0, .max_arrivals = 600}};
  DelaysByRoute o;
  const NetworkResult r = sim::simulate(spec, test::kMasterSeed, 0, &o);
  REQUIRE(r.completions == 600);
  for (std::size_t route_index = 0; route_index < 3; ++route_index)
    REQUIRE(o.delays[route_index].size() > 150);
  for (std::size_t p = 0; p < 3; ++p) {
    for (std::size_t q = p + 1; q < 3; ++q) {
      INFO("routes " << p << " and " << q);
      std::size_t equal = 0;
      for (std::size_t i = 0; i < 150; ++i) {
        if (std::abs(o.delays[p][i] - o.delays[q][i]) < 1e-9) ++equal;
      }
      CHECK(equal == 0);
    }
  }
}

TEST_CASE("Moves, starts and stays add up in a network with every mechanism",
          "[network_reforms][moves]") {
  // A (3 places): a -> b 0.4, c1 0.3, d 0.1, exit 0.2; early exit (0.3, exp 0.5 days) to d.
  // B (1 place):  b -> exit; overflow to c1 when B is full.
  // C (unlimited): c1 -> c2 (same station, the place is kept); c2 -> b 0.4 (delay), exit 0.6.
  //   From c2, b's overflow leads back to c1 at C: the entity stays where it is.
  // D (2 places):  d -> exit; entities routed from a wait for a place at D, blocked at A.
  sim::NetworkSpec spec;
  spec.stations = {station("A", 3), station("B", 1), station("C"), station("D", 2)};
  sim::StepSpec a = step("a", 0, Distribution::exponential(1.0),
                         {route(1, 0.4), route(2, 0.3), route(4, 0.1), route(sim::kExit, 0.2)});
  a.early_exit = early_exit(0.3, Distribution::exponential(0.5), 4);
  sim::StepSpec b = step("b", 1, Distribution::exponential(0.8));
  b.overflow = 2;
  spec.steps = {a, b, step("c1", 2, Distribution::exponential(0.5), {route(3)}),
                step("c2", 2, Distribution::exponential(0.5),
                     {route(1, 0.4, Distribution::exponential(0.2)), route(sim::kExit, 0.6)}),
                step("d", 3, Distribution::exponential(2.0))};
  spec.arrivals = {sim::ArrivalSpec{.name = "arrivals", .rate_per_day = 1.5}};

  const auto check_counts = [](const NetworkResult& r) {
    const std::size_t n = r.stations.size();
    for (std::size_t i = 0; i < n; ++i) {
      INFO("station " << r.stations[i].name);
      CHECK(r.stations[i].moves_to.size() == n);
      CHECK(r.stations[i].delay_days_for.size() == n);
      CHECK(r.stations[i].moves_to[i] == 0);  // a step at the same station is no move
    }
    // Newcomers enter only A: every other place is taken by a move from another station.
    CHECK(moves_in(r, 0) == 0);
    for (const std::size_t j : {std::size_t{1}, std::size_t{2}, std::size_t{3}}) {
      INFO("station " << r.stations[j].name);
      CHECK(r.stations[j].wait.count() == moves_in(r, j));
    }
    // One step at A, B and D: a stay begun there is a place taken there.
    CHECK(r.steps[0].starts == r.stations[0].wait.count());
    CHECK(r.steps[1].starts == r.stations[1].wait.count());
    CHECK(r.steps[4].starts == r.stations[3].wait.count());
    // B never keeps anyone waiting: each request took a place or overflowed.
    CHECK(r.stations[1].queue_length.max() == 0);
    CHECK(r.stations[1].requests == r.stations[1].wait.count() + r.steps[1].overflows);
    // Every place given up was left for a place elsewhere or for the exit.
    std::uint64_t ended = 0;
    std::uint64_t moved = 0;
    for (const sim::StationResult& s : r.stations) {
      ended += s.stay.count();
      moved += moves_out(s);
    }
    CHECK(ended - moved == r.completions);
    // Early exits from a all go to D.
    CHECK(r.stations[0].moves_to[3] >= r.steps[0].early_exits);
    // Blocked days split by destination add up to the station's totals.
    for (const sim::StationResult& s : r.stations) {
      double blocked = 0.0;
      double delayed = 0.0;
      for (std::size_t j = 0; j < n; ++j) {
        blocked += s.blocked_days_for[j];
        delayed += s.delay_days_for[j];
      }
      INFO("station " << s.name);
      CHECK(delayed <= s.blocked_by_delay_days + 1e-9);
      CHECK(blocked <= s.blocked.sum() + 1e-9);
    }
    // c2's delayed route to B: its delay days are counted against B when B has room.
    CHECK(r.stations[2].delay_days_for[1] > 0.0);
    CHECK(r.stations[2].moves_to[1] > 0);
  };

  SECTION("with a warm-up and a horizon") {
    spec.warmup = 30.0;
    spec.horizon = 530.0;
    for (std::uint64_t k = 0; k < 2; ++k) {
      INFO("replication " << k);
      const NetworkResult r = sim::simulate(spec, test::kMasterSeed, k);
      REQUIRE(r.steps[0].early_exits > 0);
      REQUIRE(r.steps[1].overflows > 0);
      REQUIRE(r.stations[0].blocked_by_capacity_days > 0.0);
      check_counts(r);
    }
  }
  SECTION("drained: every arrival completes") {
    spec.arrivals[0].max_arrivals = 800;
    const NetworkResult r = sim::simulate(spec, test::kMasterSeed, 5);
    REQUIRE(r.completions == 800);
    check_counts(r);
    // Drained, every stay begun at C's first step went on to its second.
    CHECK(r.steps[2].starts == r.steps[3].starts);
  }
}

// validate(NetworkSpec): malformed specs are rejected with std::invalid_argument naming the
// station, step or arrival stream at fault.

#include <stdexcept>

#include <catch2/catch.hpp>

#include "support/networks.hpp"
#include "tcsim/sim/network_simulation.hpp"
#include "tcsim/sim/network_spec.hpp"

namespace sim = tcsim::sim;
using Catch::Matchers::Contains;
using tcsim::test::route;

namespace {

// Two stations, two steps, two streams: valid as built.
sim::NetworkSpec valid_spec() {
  sim::NetworkSpec spec;
  spec.stations.push_back(tcsim::test::station("ward", 4));
  spec.stations.push_back(tcsim::test::station("home"));
  sim::StepSpec acute;
  acute.name = "acute";
  acute.station = 0;
  acute.duration = sim::Distribution::exponential(2.0);
  acute.routes = {route(1, 0.25), route(sim::kExit, 0.75)};
  sim::StepSpec rehab;
  rehab.name = "rehab";
  rehab.station = 1;
  rehab.duration = sim::Distribution::exponential(5.0);
  spec.steps = {acute, rehab};
  spec.arrivals.push_back(sim::ArrivalSpec{.name = "emergency", .rate_per_day = 1.0});
  spec.arrivals.push_back(
      sim::ArrivalSpec{.name = "elective", .rate_per_day = 0.5, .first_step = 1});
  spec.warmup = 10.0;
  spec.horizon = 100.0;
  return spec;
}

}  // namespace

TEST_CASE("validate accepts a well-formed spec", "[network_spec]") {
  CHECK_NOTHROW(sim::validate(valid_spec()));
  sim::NetworkSpec spec = valid_spec();
  spec.stations[0].capacity = 0;  // a station that starts closed is allowed
  spec.stations[0].schedule = {{.at = 0.0, .capacity = 0}, {.at = 2.0, .capacity = 3}};
  spec.stations[0].schedule_period = 7.0;
  spec.stations[1].queue_limit = 0;
  CHECK_NOTHROW(sim::validate(spec));
}

TEST_CASE("validate rejects bad stations", "[network_spec]") {
  sim::NetworkSpec spec = valid_spec();
  SECTION("negative capacity") {
    spec.stations[0].capacity = -1;
  }
  SECTION("negative queue limit") {
    spec.stations[0].queue_limit = -1;
  }
  SECTION("schedule out of order") {
    spec.stations[0].schedule = {{.at = 5.0, .capacity = 1}, {.at = 2.0, .capacity = 2}};
  }
  SECTION("schedule before time 0") {
    spec.stations[0].schedule = {{.at = -1.0, .capacity = 1}};
  }
  SECTION("schedule at a non-finite time") {
    spec.stations[0].schedule = {{.at = sim::kForever, .capacity = 1}};
  }
  SECTION("negative scheduled capacity") {
    spec.stations[0].schedule = {{.at = 1.0, .capacity = -2}};
  }
  SECTION("negative schedule period") {
    spec.stations[0].schedule_period = -7.0;
  }
  SECTION("schedule time outside the period") {
    spec.stations[0].schedule = {{.at = 1.0, .capacity = 1}, {.at = 7.0, .capacity = 2}};
    spec.stations[0].schedule_period = 7.0;
  }
  CHECK_THROWS_AS(sim::validate(spec), std::invalid_argument);
  CHECK_THROWS_WITH(sim::validate(spec), Contains("ward"));
}

TEST_CASE("validate rejects bad steps", "[network_spec]") {
  sim::NetworkSpec spec = valid_spec();
  SECTION("unknown station") {
    spec.steps[0].station = 2;
  }
  SECTION("no route") {
    spec.steps[0].routes.clear();
  }
  SECTION("route to an unknown step") {
    spec.steps[0].routes[0].to = 2;
  }
  SECTION("route to a negative step other than kExit") {
    spec.steps[0].routes[0].to = -3;
  }
  SECTION("probability above 1") {
    spec.steps[0].routes = {route(sim::kExit, 1.5)};
  }
  SECTION("negative probability") {
    spec.steps[0].routes = {route(1, -0.5), route(sim::kExit, 1.5)};
  }
  SECTION("probabilities that do not sum to 1") {
    spec.steps[0].routes[1].probability = 0.7;
  }
  CHECK_THROWS_AS(sim::validate(spec), std::invalid_argument);
  CHECK_THROWS_WITH(sim::validate(spec), Contains("acute"));
}

TEST_CASE("validate rejects bad arrival streams", "[network_spec]") {
  sim::NetworkSpec spec = valid_spec();
  SECTION("zero rate") {
    spec.arrivals[1].rate_per_day = 0.0;
  }
  SECTION("NaN rate") {
    spec.arrivals[1].rate_per_day = std::nan("");
  }
  SECTION("infinite rate") {
    spec.arrivals[1].rate_per_day = sim::kForever;
  }
  SECTION("negative max_arrivals") {
    spec.arrivals[1].max_arrivals = -1;
  }
  SECTION("unknown first step") {
    spec.arrivals[1].first_step = 2;
  }
  SECTION("negative first step") {
    spec.arrivals[1].first_step = -1;
  }
  CHECK_THROWS_AS(sim::validate(spec), std::invalid_argument);
  CHECK_THROWS_WITH(sim::validate(spec), Contains("elective"));
}

TEST_CASE("validate rejects runs that cannot be measured or never end", "[network_spec]") {
  sim::NetworkSpec spec = valid_spec();
  SECTION("negative warm-up") {
    spec.warmup = -1.0;
  }
  SECTION("infinite warm-up") {
    spec.warmup = sim::kForever;
  }
  SECTION("warm-up not before the horizon") {
    spec.warmup = spec.horizon;
  }
  SECTION("zero horizon") {
    spec.warmup = 0.0;
    spec.horizon = 0.0;
  }
  SECTION("no horizon and an unlimited stream") {
    spec.horizon = sim::kForever;
    spec.arrivals[0].max_arrivals = 1000;  // the other stream is still unlimited
  }
  CHECK_THROWS_AS(sim::validate(spec), std::invalid_argument);
}

TEST_CASE("validate accepts no horizon when every stream is limited", "[network_spec]") {
  sim::NetworkSpec spec = valid_spec();
  spec.horizon = sim::kForever;
  spec.arrivals[0].max_arrivals = 10;
  spec.arrivals[1].max_arrivals = 0;
  CHECK_NOTHROW(sim::validate(spec));
}

TEST_CASE("NetworkSimulation validates its spec", "[network_spec]") {
  sim::NetworkSpec spec = valid_spec();
  spec.steps[1].routes[0].probability = 0.5;
  CHECK_THROWS_AS(sim::NetworkSimulation(spec, 1, 0), std::invalid_argument);
  CHECK_THROWS_AS(sim::simulate(spec, 1, 0), std::invalid_argument);
}

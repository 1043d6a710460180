// The statistics collectors: reset(now) at the end of the warm-up forgets what was measured
// before it and keeps the levels. Expected values are worked out by hand in the comments.

#include <cmath>
#include <cstdint>

#include <catch2/catch.hpp>

#include "tcsim/sim/network_simulation.hpp"
#include "tcsim/sim/network_statistics.hpp"

namespace sim = tcsim::sim;

namespace {

sim::StationSpec ward(std::int64_t capacity) {
  sim::StationSpec spec;
  spec.name = "ward";
  spec.capacity = capacity;
  return spec;
}

}  // namespace

// Occupancy of a 2-place station (s = StationStatistics of it):
//   [0,1) 1 (placed at 0)   [1,3) 2 (enters at 1, waited 0.5)   [3,6) 1 (leaves at 3)
//   reset at 4              [6,10] 2 (enters at 6, waited 1)     finish at 10
// Measured over [4,10]: 1 for 2 days, 2 for 4 days -> area 10, mean 10/6; full [6,10] = 4 days;
// capacity 2 x 6 days = 12 place-days; one wait of 1 day; no stay ended; one request.
// Had the warm-up been kept ([0,10]): area 1 + 4 + 3 + 8 = 16, mean 1.6; full 2 + 4 = 6 days;
// two waits, mean 0.75; one stay of 3 days; three requests.
TEST_CASE("StationStatistics::reset forgets the warm-up and keeps the levels", "[statistics]") {
  sim::StationStatistics s(ward(2), 1);
  s.request(true);
  s.placed(0.0, 1);
  s.request(true);
  s.entered(1.0, 0.5, 2);
  s.left(3.0, 0.0, 3.0, 3.0, sim::StationStatistics::kNoStation, 1);

  SECTION("after reset(4): the period [4, 10] only") {
    s.reset(4.0);
    s.request(true);
    s.entered(6.0, 5.0, 2);
    const sim::StationResult r = s.finish(10.0);
    CHECK(r.occupancy.elapsed() == Approx(6.0));
    CHECK(r.occupancy.area() == Approx(10.0));
    CHECK(r.occupancy.mean() == Approx(10.0 / 6.0));
    CHECK(r.occupancy.max() == 2);
    CHECK(r.occupancy.share_at(1) == Approx(2.0 / 6.0));
    CHECK(r.full_days == Approx(4.0));
    CHECK(r.full_share() == Approx(4.0 / 6.0));
    CHECK(r.capacity_area == Approx(12.0));
    CHECK(r.utilisation() == Approx(10.0 / 12.0));
    CHECK(r.wait.count() == 1);
    CHECK(r.wait.mean() == Approx(1.0));
    CHECK(r.stay.count() == 0);
    CHECK(r.requests == 1);
    CHECK(r.newcomers == 1);
  }
  SECTION("without reset: the warm-up is in the figures (the contrast the reset removes)") {
    s.request(true);
    s.entered(6.0, 5.0, 2);
    const sim::StationResult r = s.finish(10.0);
    CHECK(r.occupancy.mean() == Approx(1.6));
    CHECK(r.full_days == Approx(6.0));
    CHECK(r.wait.count() == 2);
    CHECK(r.wait.mean() == Approx(0.75));
    CHECK(r.stay.mean() == Approx(3.0));
    CHECK(r.requests == 3);
  }
}

// A capacity change before the warm-up end is forgotten too, but the new capacity carries on:
// capacity 2 on [0,3), 5 from 3; reset at 4; finish at 6 -> 5 x 2 = 10 place-days (with the
// warm-up kept, 2 x 3 + 5 x 3 = 21). Empty throughout, so never full.
TEST_CASE("StationStatistics::reset keeps the capacity in force", "[statistics]") {
  sim::StationStatistics s(ward(2), 1);
  s.capacity_changed(3.0, 5, 0);
  s.reset(4.0);
  const sim::StationResult r = s.finish(6.0);
  CHECK(r.capacity_area == Approx(10.0));
  CHECK(r.full_days == 0.0);
  CHECK(r.occupancy.mean() == 0.0);
}

// The whole engine: two entities start in place at a station of 3 places and stay 4 days
// (deterministic), then leave; no arrivals. Warm-up 1, horizon 10. Occupancy is 2 on [0,4) and
// 0 after, so over [1,10] the mean is 2 x 3 / 9 = 2/3 (it would be 8/10 with the warm-up kept);
// both completions, each after 4 days in the system, fall in the period.
TEST_CASE("A simulation's warm-up end resets every collector once", "[statistics]") {
  sim::NetworkSpec spec;
  spec.stations.push_back(ward(3));
  spec.steps.push_back(sim::StepSpec{
      .name = "stay", .station = 0, .duration = sim::Distribution::deterministic(4.0)});
  spec.arrivals.push_back(sim::ArrivalSpec{.name = "patients", .max_arrivals = 0});
  spec.initial.push_back(sim::InitialEntities{.stream = 0, .step = 0, .in_place = 2});
  spec.horizon = 10.0;
  spec.warmup = 1.0;
  const sim::NetworkResult r = sim::simulate(spec, 1, 0);
  CHECK(r.start == 1.0);
  CHECK(r.end == 10.0);
  const sim::StationResult& ward = r.stations[0];
  CHECK(ward.occupancy.mean() == Approx(2.0 / 3.0));
  CHECK(ward.occupancy.max() == 2);  // the level at the reset
  CHECK(ward.capacity_area == Approx(27.0));
  CHECK(ward.stay.count() == 2);
  CHECK(ward.stay.mean() == Approx(4.0));
  CHECK(ward.requests == 0);  // placed before the warm-up end, never sought a place after it
  CHECK(r.steps[0].starts == 0);
  CHECK(r.completions == 2);
  CHECK(r.streams[0].completions == 2);
  CHECK(r.time_in_system.mean() == Approx(4.0));
  CHECK(r.in_system.mean() == Approx(2.0 / 3.0));
  CHECK(r.arrivals == 0);
  CHECK(r.events == 3);  // two stay ends and the warm-up end
}

// NetworkSimulation mechanics: paths of single entities with fixed durations, blocking, transfer
// delays, capacity schedules, warm-up, horizon and draining, invariants traced through an
// Observer on a busy network, determinism and common random numbers.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <deque>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support/networks.hpp"
#include "tcsim/sim/network_simulation.hpp"
#include "tcsim/sim/observer.hpp"
#include "tcsim/sim/replication_runner.hpp"

namespace sim = tcsim::sim;
using sim::Distribution;
using sim::EntityId;

namespace {

using tcsim::test::route;
using tcsim::test::station;
using tcsim::test::step;

sim::Route to(std::int32_t target, double probability = 1.0) {
  return route(target, probability);
}

// Every callback, in order.
struct Trace : sim::Observer {
  struct Record {
    // A arrival, Q queue, S start, F fit, L leave, X exit, D loss, C capacity, W warm-up end
    char what;
    double t;
    EntityId id;
    std::uint32_t a;  // stream, step or station
    std::uint32_t b;  // station, or the new capacity
  };
  std::vector<Record> records;

  void on_arrival(double t, EntityId id, std::uint32_t stream) override {
    records.push_back({'A', t, id, stream, 0});
  }
  void on_queue(double t, EntityId id, std::uint32_t s, std::uint32_t station) override {
    records.push_back({'Q', t, id, s, station});
  }
  void on_start(double t, EntityId id, std::uint32_t s, std::uint32_t station) override {
    records.push_back({'S', t, id, s, station});
  }
  void on_fit(double t, EntityId id, std::uint32_t s) override {
    records.push_back({'F', t, id, s, 0});
  }
  void on_leave(double t, EntityId id, std::uint32_t station) override {
    records.push_back({'L', t, id, station, 0});
  }
  void on_exit(double t, EntityId id) override { records.push_back({'X', t, id, 0, 0}); }
  void on_loss(double t, EntityId id, std::uint32_t station) override {
    records.push_back({'D', t, id, station, 0});
  }
  void on_capacity(double t, std::uint32_t station, std::int64_t capacity) override {
    records.push_back({'C', t, 0, station, static_cast<std::uint32_t>(capacity)});
  }
  void on_warmup_end(double t) override { records.push_back({'W', t, 0, 0, 0}); }

  [[nodiscard]] std::string kinds() const {
    std::string s;
    for (const Record& r : records)
      s += r.what;
    return s;
  }
  [[nodiscard]] std::vector<Record> only(char what) const {
    std::vector<Record> out;
    for (const Record& r : records) {
      if (r.what == what) out.push_back(r);
    }
    return out;
  }
};

// One entity (max_arrivals 1) through the given steps, no horizon.
sim::NetworkSpec one_entity(std::vector<sim::StationSpec> stations,
                            std::vector<sim::StepSpec> steps) {
  sim::NetworkSpec spec;
  spec.stations = std::move(stations);
  spec.steps = std::move(steps);
  spec.arrivals.push_back(sim::ArrivalSpec{.name = "one", .rate_per_day = 1.0, .max_arrivals = 1});
  return spec;
}

bool same_bits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

}  // namespace

TEST_CASE("One entity through two stations with fixed durations", "[network_simulation]") {
  const sim::NetworkSpec spec = one_entity({station("A", 1), station("B", 1)},
                                           {step("a", 0, Distribution::deterministic(2.0), {to(1)}),
                                            step("b", 1, Distribution::deterministic(3.0))});
  Trace trace;
  const sim::NetworkResult r = sim::simulate(spec, 1, 0, &trace);

  REQUIRE(trace.kinds() == "ASFLSFLX");
  const double t0 = trace.records[0].t;
  CHECK(t0 > 0.0);
  CHECK(trace.records.back().t == Approx(t0 + 5.0));
  CHECK(r.arrivals == 1);
  CHECK(r.completions == 1);
  CHECK(r.losses == 0);
  CHECK(r.events == 3);  // arrival and two stay ends
  CHECK(r.start == 0.0);
  CHECK(r.end == Approx(t0 + 5.0));  // no horizon: the run ends when it drains
  CHECK(r.time_in_system.mean() == Approx(5.0));
  CHECK(r.in_system.area() == Approx(5.0));
  CHECK(r.in_system.level() == 0);
  CHECK(r.peak_entities == 1);
  CHECK(r.stations[0].stay.mean() == Approx(2.0));
  CHECK(r.stations[1].stay.mean() == Approx(3.0));
  CHECK(r.stations[0].wait.mean() == 0.0);
  CHECK(r.stations[1].wait.mean() == 0.0);
  CHECK(r.stations[0].blocked.count() == 0);
  CHECK(r.stations[0].requests == 1);
  CHECK(r.stations[0].occupancy.area() == Approx(2.0));
  CHECK(r.stations[1].occupancy.area() == Approx(3.0));
  CHECK(r.stations[0].capacity_area == Approx(r.end));
  CHECK(r.stations[0].utilisation() == Approx(2.0 / r.end));
  CHECK(r.streams[0].completions == 1);
  CHECK(r.streams[0].time_in_system.mean() == Approx(5.0));
}

TEST_CASE("A route to a step at the same station keeps the place", "[network_simulation]") {
  const sim::NetworkSpec spec =
      one_entity({station("A", 1)}, {step("first", 0, Distribution::deterministic(1.0), {to(1)}),
                                     step("second", 0, Distribution::deterministic(2.5))});
  Trace trace;
  const sim::NetworkResult r = sim::simulate(spec, 1, 0, &trace);
  // One place taken and given up once; both steps start.
  REQUIRE(trace.kinds() == "ASFSFLX");
  CHECK(r.stations[0].requests == 1);
  CHECK(r.stations[0].stay.count() == 1);
  CHECK(r.stations[0].stay.mean() == Approx(3.5));
  CHECK(r.time_in_system.mean() == Approx(3.5));
}

TEST_CASE("A transfer delay keeps the place and counts as blocked by delay",
          "[network_simulation]") {
  sim::StepSpec a = step("a", 0, Distribution::deterministic(1.0));
  a.routes = {route(1, 1.0, Distribution::deterministic(0.5))};
  const sim::NetworkSpec spec = one_entity({station("A", 1), station("B")},
                                           {a, step("b", 1, Distribution::deterministic(1.0))});
  Trace trace;
  const sim::NetworkResult r = sim::simulate(spec, 1, 0, &trace);
  REQUIRE(trace.kinds() == "ASFLSFLX");
  const double t0 = trace.records[0].t;
  CHECK(trace.records[2].t == t0 + 1.0);          // fit at A
  CHECK(trace.records[3].t == Approx(t0 + 1.5));  // leaves A when the delay is over
  CHECK(r.stations[0].stay.mean() == Approx(1.5));
  CHECK(r.stations[0].blocked.count() == 1);
  CHECK(r.stations[0].blocked.mean() == Approx(0.5));
  CHECK(r.stations[0].blocked_by_delay_days == Approx(0.5));
  CHECK(r.stations[0].blocked_by_capacity_days == 0.0);
  CHECK(r.time_in_system.mean() == Approx(2.5));
  CHECK(r.stations[1].utilisation() != r.stations[1].utilisation());  // unlimited: NaN
}

TEST_CASE("A blocked entity holds its place until the next station frees one",
          "[network_simulation]") {
  // Two entities arrive close together (rate 1000/day). A is quick (1 day) and roomy; B is slow
  // (10 days) with one place, so the second entity finishes at A and waits there for the first
  // to leave B.
  sim::NetworkSpec spec;
  spec.stations = {station("A", 2), station("B", 1)};
  spec.steps = {step("a", 0, Distribution::deterministic(1.0), {to(1)}),
                step("b", 1, Distribution::deterministic(10.0))};
  spec.arrivals.push_back(
      sim::ArrivalSpec{.name = "pair", .rate_per_day = 1000.0, .max_arrivals = 2});
  Trace trace;
  const sim::NetworkResult r = sim::simulate(spec, 3, 0, &trace);
  const std::vector<Trace::Record> arrivals = trace.only('A');
  REQUIRE(arrivals.size() == 2);
  const double t1 = arrivals[0].t;
  const double t2 = arrivals[1].t;
  REQUIRE(t2 + 1.0 < t1 + 11.0);

  const sim::StationResult& a = r.stations[0];
  CHECK(a.blocked.count() == 1);
  CHECK(a.blocked_by_capacity_days == Approx((t1 + 11.0) - (t2 + 1.0)));
  CHECK(a.blocked_by_delay_days == 0.0);
  CHECK(a.stay.max() == Approx((t1 + 11.0) - t2));  // the second stay includes the blocking
  CHECK(r.stations[1].wait.max() == Approx((t1 + 11.0) - (t2 + 1.0)));
  CHECK(r.stations[1].queue_length.max() == 1);
  CHECK(r.completions == 2);
  CHECK(r.end == Approx(t1 + 21.0));
  // The blocked entity queued at B while holding A: Q at B comes after its fit at A.
  const std::vector<Trace::Record> queued = trace.only('Q');
  REQUIRE(queued.size() == 1);
  CHECK(queued[0].b == 1);
  CHECK(queued[0].t == Approx(t2 + 1.0));
}

TEST_CASE("Warm-up resets the statistics and the horizon closes the period",
          "[network_simulation]") {
  const sim::NetworkSpec spec = tcsim::test::mmc_spec(1, 0.8, 1.0, 50.0, 120.0);
  Trace trace;
  const sim::NetworkResult r = sim::simulate(spec, 5, 0, &trace);
  CHECK(r.start == 50.0);
  CHECK(r.end == 120.0);
  CHECK(r.in_system.elapsed() == 70.0);
  CHECK(r.stations[0].occupancy.elapsed() == 70.0);
  CHECK(r.stations[0].capacity_area == Approx(70.0));

  std::uint64_t arrivals_after = 0;
  std::uint64_t starts_after = 0;
  std::uint64_t exits_after = 0;
  double last = 0.0;
  for (const Trace::Record& rec : trace.records) {
    last = std::max(last, rec.t);
    if (rec.t <= 50.0) continue;
    arrivals_after += rec.what == 'A' ? 1 : 0;
    starts_after += rec.what == 'S' ? 1 : 0;
    exits_after += rec.what == 'X' ? 1 : 0;
  }
  CHECK(trace.only('W').size() == 1);
  CHECK(trace.only('W')[0].t == 50.0);
  CHECK(last <= 120.0);  // nothing beyond the horizon
  CHECK(r.arrivals == arrivals_after);
  CHECK(r.streams[0].arrivals == arrivals_after);
  CHECK(r.stations[0].wait.count() == starts_after);
  // Every arrival after the warm-up sought a place, as a newcomer; none before counts.
  CHECK(r.stations[0].newcomers == arrivals_after);
  CHECK(r.stations[0].requests == arrivals_after);
  CHECK(r.completions == exits_after);
  CHECK(r.time_in_system.count() == exits_after);
  CHECK(r.throughput() == Approx(static_cast<double>(exits_after) / 70.0));
}

TEST_CASE("With no horizon the run drains: every arrival completes", "[network_simulation]") {
  sim::NetworkSpec spec = tcsim::test::mmc_spec(2, 3.0, 0.5, 0.0, sim::kForever);
  spec.arrivals[0].max_arrivals = 500;
  Trace trace;
  const sim::NetworkResult r = sim::simulate(spec, 8, 0, &trace);
  CHECK(r.arrivals == 500);
  CHECK(r.completions == 500);
  CHECK(r.in_system.level() == 0);
  CHECK(r.stations[0].occupancy.level() == 0);
  CHECK(r.end == trace.records.back().t);
  CHECK(trace.records.back().what == 'X');
  CHECK(r.peak_entities == static_cast<std::uint64_t>(r.in_system.max()));
}

TEST_CASE("NetworkSimulation::run may be called only once", "[network_simulation]") {
  const sim::NetworkSpec spec = tcsim::test::mmc_spec(1, 1.0, 0.5, 0.0, 10.0);
  sim::NetworkSimulation simulation(spec, 1, 0);
  static_cast<void>(simulation.run());
  CHECK_THROWS_AS(simulation.run(), std::logic_error);
}

namespace {

// Follows every entity through the callbacks and records any broken rule of the engine:
// time never goes back; an entity starts a new place only when the station has room (under its
// current capacity); an entity holds at most one place; FIFO lines serve in queueing order; a
// newcomer is lost only at a full line; and entities are conserved.
class RuleChecker : public sim::Observer {
 public:
  explicit RuleChecker(const sim::NetworkSpec& spec)
      : spec_(spec),
        capacity_(spec.stations.size()),
        occupancy_(spec.stations.size(), 0),
        lines_(spec.stations.size()) {
    for (std::size_t s = 0; s < spec.stations.size(); ++s)
      capacity_[s] = spec.stations[s].capacity;
  }

  std::vector<std::string> violations;
  std::uint64_t starts = 0, losses = 0, blocked_queueings = 0, continuations = 0;

  void on_arrival(double t, EntityId id, std::uint32_t) override {
    tick(t);
    if (entities_.contains(id)) fail(t, id, "arrives while alive");
    entities_[id] = Entity{};
  }
  void on_queue(double t, EntityId id, std::uint32_t s, std::uint32_t station) override {
    tick(t);
    Entity& e = alive(t, id);
    if (spec_.steps[s].station != station) fail(t, id, "queues at the wrong station");
    if (e.waiting >= 0) fail(t, id, "queues twice");
    e.waiting = static_cast<std::int32_t>(station);
    lines_[station].push_back(id);
    if (e.holding >= 0) ++blocked_queueings;
  }
  void on_start(double t, EntityId id, std::uint32_t s, std::uint32_t station) override {
    tick(t);
    Entity& e = alive(t, id);
    if (spec_.steps[s].station != station) fail(t, id, "starts at the wrong station");
    if (e.holding == static_cast<std::int32_t>(station) && e.waiting < 0) {
      ++continuations;  // same station: the stay goes on
      return;
    }
    if (e.holding >= 0) fail(t, id, "takes a second place");
    ++starts;
    if (occupancy_[station] >= capacity_[station]) fail(t, id, "starts at a full station");
    ++occupancy_[station];
    e.holding = static_cast<std::int32_t>(station);
    if (e.waiting >= 0) {
      if (e.waiting != static_cast<std::int32_t>(station)) fail(t, id, "served at another line");
      std::deque<EntityId>& line = lines_[station];
      const auto it = std::find(line.begin(), line.end(), id);
      if (it == line.end()) {
        fail(t, id, "was not in the line");
      } else {
        if (spec_.stations[station].discipline == sim::QueueDiscipline::Fifo &&
            it != line.begin()) {
          fail(t, id, "overtakes in a FIFO line");
        }
        line.erase(it);
      }
      e.waiting = -1;
    }
  }
  void on_fit(double t, EntityId id, std::uint32_t) override {
    tick(t);
    if (alive(t, id).holding < 0) fail(t, id, "fit without a place");
  }
  void on_leave(double t, EntityId id, std::uint32_t station) override {
    tick(t);
    Entity& e = alive(t, id);
    if (e.holding != static_cast<std::int32_t>(station)) fail(t, id, "leaves a place not held");
    --occupancy_[station];
    e.holding = -1;
  }
  void on_exit(double t, EntityId id) override {
    tick(t);
    const Entity& e = alive(t, id);
    if (e.holding >= 0 || e.waiting >= 0) fail(t, id, "exits holding a place or waiting");
    entities_.erase(id);
  }
  void on_loss(double t, EntityId id, std::uint32_t station) override {
    tick(t);
    const Entity& e = alive(t, id);
    if (e.holding >= 0) fail(t, id, "lost while holding a place");
    if (static_cast<std::int64_t>(lines_[station].size()) < spec_.stations[station].queue_limit) {
      fail(t, id, "lost although the line is shorter than its limit");
    }
    ++losses;
    entities_.erase(id);
  }
  void on_capacity(double t, std::uint32_t station, std::int64_t capacity) override {
    tick(t);
    capacity_[station] = capacity;
  }

  [[nodiscard]] std::int64_t occupancy(std::size_t station) const { return occupancy_[station]; }
  [[nodiscard]] std::size_t line_length(std::size_t station) const {
    return lines_[station].size();
  }
  [[nodiscard]] std::size_t alive_count() const { return entities_.size(); }

 private:
  struct Entity {
    std::int32_t holding = -1;
    std::int32_t waiting = -1;
  };

  void tick(double t) {
    if (t < now_) fail(t, 0, "time goes back");
    now_ = t;
  }
  Entity& alive(double t, EntityId id) {
    auto it = entities_.find(id);
    if (it == entities_.end()) {
      fail(t, id, "unknown entity");
      it = entities_.emplace(id, Entity{}).first;
    }
    return it->second;
  }
  void fail(double t, EntityId id, const std::string& what) {
    if (violations.size() < 20) {
      std::ostringstream out;
      out << "t=" << t << " entity " << id << ": " << what;
      violations.push_back(out.str());
    }
  }

  const sim::NetworkSpec& spec_;
  std::vector<std::int64_t> capacity_;
  std::vector<std::int64_t> occupancy_;
  std::vector<std::deque<EntityId>> lines_;
  std::map<EntityId, Entity> entities_;
  double now_ = 0.0;
};

// A busy network with everything at once: blocking, a priority line, transfer delays, a
// same-station continuation, a loss station, a weekly capacity schedule and three streams.
sim::NetworkSpec busy_network() {
  sim::NetworkSpec spec;
  spec.stations = {station("A", 2), station("B", 1, 3), station("C"), station("D", 3, 2)};
  spec.stations[1].schedule = {
      {.at = 0.0, .capacity = 1}, {.at = 5.0, .capacity = 0}, {.at = 6.0, .capacity = 2}};
  spec.stations[1].schedule_period = 7.0;
  spec.stations[1].discipline = sim::QueueDiscipline::Priority;
  sim::StepSpec a1 = step("a1", 0, Distribution::exponential(1.0));
  a1.routes = {to(2, 0.4), route(4, 0.3, Distribution::exponential(0.2)), to(1, 0.1),
               to(sim::kExit, 0.2)};
  sim::StepSpec a2 = step("a2", 0, Distribution::uniform(0.1, 0.5));
  sim::StepSpec b =
      step("b", 1, Distribution::lognormal_mean_sd(0.8, 0.5), {to(3, 0.4), to(sim::kExit, 0.6)});
  b.priority = 1;
  sim::StepSpec d = step("d", 3, Distribution::gamma_mean_sd(1.5, 1.0));
  sim::StepSpec c = step("c", 2, Distribution::weibull(1.5, 2.0), {to(3)});
  sim::StepSpec b_urgent = b;  // overtakes the transfers from A in B's priority line
  b_urgent.name = "b_urgent";
  b_urgent.priority = 0;
  spec.steps = {a1, a2, b, d, c, b_urgent};
  spec.arrivals = {{.name = "main", .rate_per_day = 1.2},
                   {.name = "urgent_b", .rate_per_day = 0.3, .first_step = 5},
                   {.name = "direct_d", .rate_per_day = 0.8, .first_step = 3}};
  spec.horizon = 3000.0;
  return spec;
}

}  // namespace

TEST_CASE("A busy network keeps every rule, traced through an Observer", "[network_simulation]") {
  const sim::NetworkSpec spec = busy_network();
  const std::uint64_t replication = GENERATE(0u, 1u, 2u);
  RuleChecker checker(spec);
  const sim::NetworkResult r = sim::simulate(spec, 77, replication, &checker);

  INFO("first violations:");
  for (const std::string& v : checker.violations)
    INFO(v);
  CHECK(checker.violations.empty());
  // The run exercised what it is meant to.
  CHECK(checker.blocked_queueings > 0);
  CHECK(checker.continuations > 0);
  CHECK(checker.losses > 0);
  CHECK(r.stations[0].blocked_by_capacity_days > 0.0);
  CHECK(r.stations[0].blocked_by_delay_days > 0.0);
  // Conservation: every arrival completed, was lost, or is still inside.
  CHECK(r.arrivals == r.completions + r.losses + static_cast<std::uint64_t>(r.in_system.level()));
  CHECK(r.losses == checker.losses);
  CHECK(static_cast<std::size_t>(r.in_system.level()) == checker.alive_count());
  std::uint64_t station_losses = 0;
  std::uint64_t stream_losses = 0;
  for (const sim::StationResult& s : r.stations)
    station_losses += s.losses;
  for (const sim::StreamResult& s : r.streams)
    stream_losses += s.losses;
  CHECK(station_losses == r.losses);
  CHECK(stream_losses == r.losses);
  // Newcomers are the arrivals, at the station of their stream's first step (no overflow here);
  // every other request is a transfer, which is never lost.
  CHECK(r.stations[0].newcomers == r.streams[0].arrivals);
  CHECK(r.stations[1].newcomers == r.streams[1].arrivals);
  CHECK(r.stations[2].newcomers == 0);
  CHECK(r.stations[3].newcomers == r.streams[2].arrivals);
  CHECK(r.stations[1].newcomers < r.stations[1].requests);
  CHECK(r.stations[3].newcomers < r.stations[3].requests);
  for (const sim::StationResult& s : r.stations) {
    CHECK(s.losses <= s.newcomers);
    if (s.newcomers > 0) {
      CHECK(s.loss_probability() ==
            Approx(static_cast<double>(s.losses) / static_cast<double>(s.newcomers)));
    } else {
      CHECK(std::isnan(s.loss_probability()));
    }
  }
  CHECK(r.stations[1].losses + r.stations[3].losses > 0);
  for (std::size_t s = 0; s < spec.stations.size(); ++s) {
    INFO("station " << spec.stations[s].name);
    CHECK(r.stations[s].occupancy.level() == checker.occupancy(s));
    CHECK(static_cast<std::size_t>(r.stations[s].queue_length.level()) == checker.line_length(s));
  }
}

TEST_CASE("A capacity schedule: work in progress finishes, nobody starts without room",
          "[network_simulation]") {
  // Three places, closed on days [5, 8) of every 10: capacity 3 -> 0 -> 3.
  sim::NetworkSpec spec = tcsim::test::mmc_spec(3, 2.0, 1.0, 0.0, 400.0);
  spec.stations[0].schedule = {
      {.at = 0.0, .capacity = 3}, {.at = 5.0, .capacity = 0}, {.at = 8.0, .capacity = 3}};
  spec.stations[0].schedule_period = 10.0;

  struct Recorder : sim::Observer {
    std::int64_t capacity = 3;
    std::int64_t occupancy = 0;
    std::vector<std::string> violations;
    int starts_at_reopening = 0;
    int leaves_while_closed = 0;
    int starts_while_closed = 0;
    int capacity_changes = 0;
    void on_capacity(double, std::uint32_t, std::int64_t c) override {
      capacity = c;
      ++capacity_changes;
    }
    void on_start(double t, EntityId, std::uint32_t, std::uint32_t) override {
      // The rule: a start needs occupancy < capacity before it.
      if (occupancy >= capacity) {
        std::ostringstream out;
        out << "start at t=" << t << " with occupancy " << occupancy << ", capacity " << capacity;
        violations.push_back(out.str());
      }
      ++occupancy;
      const double phase = std::fmod(t, 10.0);
      if (phase >= 5.0 && phase < 8.0) ++starts_while_closed;
      if (phase == 8.0) ++starts_at_reopening;
    }
    void on_leave(double t, EntityId, std::uint32_t) override {
      --occupancy;
      const double phase = std::fmod(t, 10.0);
      if (phase > 5.0 && phase < 8.0) ++leaves_while_closed;
    }
  } recorder;
  const sim::NetworkResult r = sim::simulate(spec, 21, 0, &recorder);

  for (const std::string& v : recorder.violations)
    INFO(v);
  CHECK(recorder.violations.empty());
  CHECK(recorder.starts_while_closed == 0);
  CHECK(recorder.leaves_while_closed > 0);  // those in service when it closed still finish
  CHECK(recorder.starts_at_reopening > 0);  // the line is let in the moment it reopens
  // 40 periods in 400 days, and the change at day 400 itself: events at the horizon still run.
  CHECK(recorder.capacity_changes == 3 * 40 + 1);
  CHECK(r.stations[0].capacity_area == Approx(40 * (3.0 * 5.0 + 3.0 * 2.0)));
  CHECK(r.stations[0].utilisation() == Approx(r.stations[0].occupancy.area() / (40 * 21.0)));
  CHECK(r.completions > 0);
}

// NetworkSpec::horizon: "The run stops at the horizon, or when nothing is left to happen if
// that comes first", and validate() "checks ... that the run must end". With no horizon, limited
// arrivals and a repeating capacity schedule, either validate() must reject the spec or the run
// must end once the last entity has left. (The guard below turns a run that would go on forever
// into an exception, so this test cannot hang.)
TEST_CASE("With no horizon a repeating capacity schedule does not keep the run alive",
          "[network_simulation]") {
  sim::NetworkSpec spec = tcsim::test::mmc_spec(2, 1.0, 1.0, 0.0, sim::kForever);
  spec.arrivals[0].max_arrivals = 50;
  spec.stations[0].schedule = {{.at = 0.0, .capacity = 2}, {.at = 3.5, .capacity = 1}};
  spec.stations[0].schedule_period = 7.0;

  bool rejected = false;
  try {
    sim::validate(spec);
  } catch (const std::invalid_argument&) {
    rejected = true;
  }
  if (!rejected) {
    struct Guard : sim::Observer {
      void on_capacity(double t, std::uint32_t, std::int64_t) override {
        // 50 arrivals at 1 a day are all gone long before day 100,000.
        if (t > 1e5) throw std::runtime_error("the run was still going at day 100,000");
      }
    } guard;
    sim::NetworkResult r;
    REQUIRE_NOTHROW(r = sim::simulate(spec, 4, 0, &guard));
    CHECK(r.completions == 50);
    CHECK(r.end < 1e5);
  }
}

// StationSpec::queue_limit: "Most entities that may wait here while holding no place elsewhere;
// a newcomer finding the line that long is lost. Entities that hold a place upstream are never
// lost: they wait, blocked, whatever the line's length." So entities blocked upstream do not
// use up the limit: a newcomer may be lost only when at least queue_limit entities that hold no
// place are already waiting.
TEST_CASE("queue_limit counts only the waiting entities that hold no place elsewhere",
          "[network_simulation]") {
  // B (one place, room for one newcomer to wait) is fed by newcomers and by transfers from A,
  // which wait at B while holding their place at A.
  sim::NetworkSpec spec;
  spec.stations = {station("A", 3), station("B", 1, 1)};
  spec.steps = {step("a", 0, Distribution::exponential(0.5), {to(1)}),
                step("b", 1, Distribution::exponential(1.0))};
  spec.arrivals = {{.name = "via_a", .rate_per_day = 0.6},
                   {.name = "direct", .rate_per_day = 0.3, .first_step = 1}};
  spec.horizon = 2000.0;

  struct Counter : sim::Observer {
    std::map<EntityId, bool> holds;      // alive entities: do they hold a place?
    std::map<EntityId, bool> waiting_b;  // waiting at B: holding a place elsewhere?
    int losses = 0;
    int losses_with_room = 0;  // lost while fewer than queue_limit newcomers were waiting
    void on_arrival(double, EntityId id, std::uint32_t) override { holds[id] = false; }
    void on_queue(double, EntityId id, std::uint32_t, std::uint32_t station) override {
      if (station == 1) waiting_b[id] = holds[id];
    }
    void on_start(double, EntityId id, std::uint32_t, std::uint32_t station) override {
      holds[id] = true;
      if (station == 1) waiting_b.erase(id);
    }
    void on_exit(double, EntityId id) override { holds.erase(id); }
    void on_loss(double, EntityId id, std::uint32_t station) override {
      holds.erase(id);
      if (station != 1) return;
      ++losses;
      const auto newcomers = std::count_if(waiting_b.begin(), waiting_b.end(),
                                           [](const auto& w) { return !w.second; });
      if (newcomers < 1) ++losses_with_room;
    }
  } counter;
  static_cast<void>(sim::simulate(spec, 12, 0, &counter));
  INFO(counter.losses_with_room << " of " << counter.losses
                                << " newcomers were lost while no other newcomer was waiting");
  CHECK(counter.losses > 0);
  CHECK(counter.losses_with_room == 0);
}

TEST_CASE("The same seed and replication give bit-identical statistics",
          "[network_simulation][determinism]") {
  const sim::NetworkSpec spec = busy_network();
  const sim::NetworkResult a = sim::simulate(spec, 2024, 3);
  const sim::NetworkResult b = sim::simulate(spec, 2024, 3);
  CHECK(a.events == b.events);
  CHECK(a.arrivals == b.arrivals);
  CHECK(a.completions == b.completions);
  CHECK(a.losses == b.losses);
  CHECK(a.peak_entities == b.peak_entities);
  CHECK(same_bits(a.end, b.end));
  CHECK(same_bits(a.in_system.area(), b.in_system.area()));
  CHECK(same_bits(a.time_in_system.mean(), b.time_in_system.mean()));
  CHECK(same_bits(a.time_in_system.variance(), b.time_in_system.variance()));
  CHECK(same_bits(a.time_in_system.quantile(0.9), b.time_in_system.quantile(0.9)));
  for (std::size_t s = 0; s < spec.stations.size(); ++s) {
    INFO("station " << s);
    const sim::StationResult& x = a.stations[s];
    const sim::StationResult& y = b.stations[s];
    CHECK(same_bits(x.occupancy.area(), y.occupancy.area()));
    CHECK(same_bits(x.queue_length.area(), y.queue_length.area()));
    CHECK(same_bits(x.capacity_area, y.capacity_area));
    CHECK(same_bits(x.wait.sum(), y.wait.sum()));
    CHECK(same_bits(x.wait.variance(), y.wait.variance()));
    CHECK(same_bits(x.stay.sum(), y.stay.sum()));
    CHECK(same_bits(x.blocked_by_capacity_days, y.blocked_by_capacity_days));
    CHECK(same_bits(x.blocked_by_delay_days, y.blocked_by_delay_days));
    CHECK(x.requests == y.requests);
    CHECK(x.newcomers == y.newcomers);
    CHECK(x.losses == y.losses);
  }
}

TEST_CASE("run_replications gives the same values on 1 and 2 threads, and replications differ",
          "[network_simulation][determinism]") {
  const sim::NetworkSpec spec = busy_network();
  const auto one_value = [&spec](std::size_t k) {
    const sim::NetworkResult r = sim::simulate(spec, 99, k);
    return std::vector<double>{r.in_system.mean(), r.time_in_system.mean(),
                               r.stations[0].wait.mean(), r.stations[3].occupancy.mean(),
                               static_cast<double>(r.events)};
  };
  const auto serial = sim::run_replications(8, 1, one_value);
  const auto parallel = sim::run_replications(8, 2, one_value);
  REQUIRE(serial.size() == 8);
  REQUIRE(parallel.size() == 8);
  for (std::size_t k = 0; k < serial.size(); ++k) {
    for (std::size_t i = 0; i < serial[k].size(); ++i) {
      INFO("replication " << k << ", value " << i);
      CHECK(same_bits(serial[k][i], parallel[k][i]));
    }
  }
  for (std::size_t k = 0; k < serial.size(); ++k) {
    for (std::size_t j = k + 1; j < serial.size(); ++j) {
      INFO("replications " << k << " and " << j);
      CHECK(serial[k][0] != serial[j][0]);
      CHECK(serial[k][1] != serial[j][1]);
    }
  }
  // Another master seed gives other numbers too.
  CHECK(sim::simulate(spec, 100, 0).in_system.mean() != serial[0][0]);
}

TEST_CASE("Common random numbers: specs differing only in capacity draw the same arrivals",
          "[network_simulation][crn]") {
  struct Arrivals : sim::Observer {
    std::vector<double> times;
    std::map<EntityId, std::size_t> start_index;
    std::vector<double> services;  // in order of start; -1 while unfinished
    std::vector<double> started;
    void on_arrival(double t, EntityId, std::uint32_t) override { times.push_back(t); }
    void on_start(double t, EntityId id, std::uint32_t, std::uint32_t) override {
      start_index[id] = services.size();
      services.push_back(-1.0);
      started.push_back(t);
    }
    void on_fit(double t, EntityId id, std::uint32_t) override {
      const std::size_t i = start_index[id];
      services[i] = t - started[i];
    }
  };
  const sim::NetworkSpec two = tcsim::test::mmc_spec(2, 1.5, 1.0, 0.0, 300.0);
  sim::NetworkSpec three = two;
  three.stations[0].capacity = 3;
  for (std::uint64_t k = 0; k < 3; ++k) {
    Arrivals a;
    Arrivals b;
    const sim::NetworkResult ra = sim::simulate(two, 7, k, &a);
    const sim::NetworkResult rb = sim::simulate(three, 7, k, &b);
    INFO("replication " << k);
    REQUIRE(a.times.size() > 300);
    CHECK(a.times == b.times);  // bit-identical arrival times
    // A FIFO station starts entities in arrival order, so the n-th service drawn is the same.
    const std::size_t n = std::min(a.services.size(), b.services.size());
    std::size_t compared = 0;
    std::size_t differing = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (a.services[i] < 0.0 || b.services[i] < 0.0) continue;  // still in service at the end
      ++compared;
      // Equal up to the rounding of (start + service) - start.
      if (std::abs(a.services[i] - b.services[i]) > 1e-9) ++differing;
    }
    CHECK(compared > 300);
    CHECK(differing == 0);
    // ...and the scenarios do differ where capacity matters.
    CHECK(ra.stations[0].wait.mean() > rb.stations[0].wait.mean());
  }
  // A different master seed gives different arrivals.
  Arrivals other;
  static_cast<void>(sim::simulate(two, 8, 0, &other));
  Arrivals first;
  static_cast<void>(sim::simulate(two, 7, 0, &first));
  CHECK(other.times != first.times);
}

#include "tcsim/sim/network_simulation.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <boost/random/uniform_01.hpp>

namespace tcsim::sim {

NetworkSimulation::NetworkSimulation(const NetworkSpec& spec, std::uint64_t master_seed,
                                     std::uint64_t replication)
    : spec_((validate(spec), spec)),  // validated before the collectors read it
      statistics_(spec_) {
  const std::size_t n_stations = spec_.stations.size();
  stations_.resize(n_stations);
  waits_for_.assign(n_stations * n_stations, 0);
  deadlock_seen_.assign(n_stations, 0);
  for (std::size_t i = 0; i < n_stations; ++i) {
    const StationSpec& s = spec_.stations[i];
    stations_[i].capacity = s.capacity;
    stations_[i].line = WaitingLine(s.discipline);
  }
  steps_.reserve(spec_.steps.size());
  for (const StepSpec& s : spec_.steps) {
    StepState state{make_stream(master_seed, replication, "duration/" + s.name),
                    make_stream(master_seed, replication, "routing/" + s.name),
                    {},
                    {},
                    {}};
    double sum = 0.0;
    for (std::size_t r = 0; r < s.routes.size(); ++r) {
      const Route& route = s.routes[r];
      sum += route.probability;
      state.cumulative.push_back(sum);
      // Named after the step the route leads to (and its rank among routes to that step), so
      // adding or changing another route does not shift this one's random numbers.
      const std::string& target = route.to == kExit ? "exit" : spec_.steps[route.to].name;
      std::size_t rank = 0;
      for (std::size_t q = 0; q < r; ++q) {
        if (s.routes[q].to == route.to) ++rank;
      }
      const std::string name = rank == 0 ? fmt::format("delay/{}/{}", s.name, target)
                                         : fmt::format("delay/{}/{}#{}", s.name, target, rank);
      state.delay_rngs.push_back(route.delay ? make_stream(master_seed, replication, name)
                                             : RandomEngine{});
    }
    if (s.early_exit) state.early_rng = make_stream(master_seed, replication, "early/" + s.name);
    steps_.push_back(std::move(state));
  }
  streams_.reserve(spec_.arrivals.size());
  for (const ArrivalSpec& a : spec_.arrivals) {
    const bool thinned = !a.profile.constant();
    const double peak = thinned ? a.profile.peak() : 1.0;
    streams_.push_back(StreamState{make_stream(master_seed, replication, "arrivals/" + a.name),
                                   Distribution::exponential(1.0 / (a.rate_per_day * peak)),
                                   peak,
                                   thinned,
                                   0,
                                   std::nullopt,
                                   {}});
    if (!a.first_routes.empty()) {
      StreamState& state = streams_.back();
      state.first_rng = make_stream(master_seed, replication, "first/" + a.name);
      double sum = 0.0;
      for (const Route& r : a.first_routes) {
        sum += r.probability;
        state.first_cumulative.push_back(sum);
      }
    }
  }
}

NetworkResult NetworkSimulation::run() {
  if (ran_) throw std::logic_error("NetworkSimulation::run() called twice");
  ran_ = true;

  place_initial_entities();
  for (std::uint32_t s = 0; s < streams_.size(); ++s) {
    if (spec_.arrivals[s].max_arrivals > 0) {
      ++streams_arriving_;
      schedule_arrival(s);
    }
  }
  for (std::uint32_t s = 0; s < stations_.size(); ++s)
    schedule_capacity_change(s);
  if (spec_.warmup > 0.0) events_.push(spec_.warmup, EventPriority::Control, kWarmupEnd, 0);

  bool reached_horizon = false;
  while (!events_.empty()) {
    if (events_.top().time > spec_.horizon) {
      reached_horizon = true;
      break;
    }
    const Event event = events_.take();
    now_ = event.time;
    ++events_run_;
    switch (event.kind) {
      case kArrival:
        on_arrival(event.subject);
        break;
      case kStayEnd:
        on_stay_end(event.subject);
        break;
      case kEarlyCheck:
        on_early_check(event.subject);
        break;
      case kTransferReady:
        seek(event.subject);
        break;
      case kCapacityChange:
        on_capacity_change(event.subject);
        break;
      case kWarmupEnd:
        on_warmup_end();
        break;
      default:
        assert(false && "unknown event kind");
    }
    settle();
    // With no horizon the run is over once arrivals have stopped and the network is empty,
    // whatever else (e.g. a repeating capacity schedule) is still scheduled.
    if (!std::isfinite(spec_.horizon) && streams_arriving_ == 0 && entities_.live() == 0) break;
  }

  // A finite horizon closes the period there even if the network fell idle before it.
  const Time end = (reached_horizon || std::isfinite(spec_.horizon)) ? spec_.horizon : now_;
  now_ = end;
  return statistics_.finish(end, events_run_, entities_.capacity());
}

void NetworkSimulation::place_initial_entities() {
  for (const InitialEntities& group : spec_.initial) {
    const std::uint32_t station = spec_.steps[group.step].station;
    StationState& state = stations_[station];
    for (std::int64_t i = 0; i < group.in_place; ++i) {
      const EntityId id = new_entity(group.stream);
      Entity& e = entities_[id];
      e.step = e.next = group.step;
      if (observer_) observer_->on_arrival(now_, id, group.stream);
      ++state.occupancy;
      statistics_.station(station).placed(now_, state.occupancy);
      if (observer_) observer_->on_occupancy(now_, station, state.occupancy);
      start_step(id);
    }
    for (std::int64_t i = 0; i < group.waiting; ++i) {
      const EntityId id = new_entity(group.stream);
      entities_[id].next = group.step;
      if (observer_) observer_->on_arrival(now_, id, group.stream);
      seek(id);
    }
  }
  settle();
}

EntityId NetworkSimulation::new_entity(std::uint32_t stream) {
  if (static_cast<std::int64_t>(entities_.live()) >= spec_.max_entities) [[unlikely]] {
    throw SimulationStopped(
        SimulationStopped::Reason::EntityLimit, now_,
        fmt::format("more than {} entities in the network at once at day {:.2f} (the limit "
                    "set to protect memory); the network is probably overloaded",
                    spec_.max_entities, now_));
  }
  const EntityId id = entities_.acquire();
  Entity& e = entities_[id];
  e.arrived = now_;
  e.stream = stream;
  statistics_.entity_entered(now_);
  return id;
}

void NetworkSimulation::schedule_arrival(std::uint32_t stream) {
  StreamState& s = streams_[stream];
  Time t = now_ + s.interarrival.sample(s.rng);
  if (s.thinned) [[unlikely]] {
    // Thinning: keep a candidate at the peak rate with probability multiplier(t) / peak. Stop
    // looking past the horizon, where the candidate is never run anyway.
    const RateProfile& profile = spec_.arrivals[stream].profile;
    boost::random::uniform_01<double> u;
    while (t <= spec_.horizon && u(s.rng) * s.peak >= profile.at(t)) {
      t += s.interarrival.sample(s.rng);
    }
  }
  events_.push(t, EventPriority::Arrival, kArrival, stream);
}

void NetworkSimulation::on_arrival(std::uint32_t stream) {
  StreamState& s = streams_[stream];
  const ArrivalSpec& spec = spec_.arrivals[stream];
  ++s.arrived;
  if (s.arrived < spec.max_arrivals) {
    schedule_arrival(stream);
  } else {
    --streams_arriving_;
  }
  statistics_.arrival(stream);

  const EntityId id = new_entity(stream);
  entities_[id].next = spec.first_step;
  if (s.first_rng) [[unlikely]] {
    const double u = boost::random::uniform_01<double>()(*s.first_rng);
    std::size_t i = 0;
    while (i + 1 < spec.first_routes.size() && u >= s.first_cumulative[i])
      ++i;
    entities_[id].next = spec.first_routes[i].to;
  }
  if (observer_) observer_->on_arrival(now_, id, stream);
  seek(id);
}

void NetworkSimulation::on_stay_end(EntityId id) {
  Entity& e = entities_[id];
  e.fit = now_;
  if (observer_) observer_->on_fit(now_, id, static_cast<std::uint32_t>(e.step));
  const std::size_t index = choose_route(e.step);
  const Route& route = spec_.steps[e.step].routes[index];
  e.next = route.to;
  if (route.delay) {
    const double delay = route.delay->sample(steps_[e.step].delay_rngs[index]);
    if (delay > 0.0) {
      events_.push(now_ + delay, EventPriority::Arrival, kTransferReady, id);
      return;
    }
  }
  seek(id);
}

std::size_t NetworkSimulation::choose_route(std::int32_t step) {
  const std::vector<Route>& routes = spec_.steps[step].routes;
  if (routes.size() == 1) return 0;  // no draw: keeps streams aligned across specs
  StepState& state = steps_[step];
  const double u = boost::random::uniform_01<double>()(state.routing_rng);
  for (std::size_t i = 0; i + 1 < routes.size(); ++i) {
    if (u < state.cumulative[i]) return i;
  }
  return routes.size() - 1;
}

// The early check of an eligible entity: move on now if the early-exit step's station has a
// free place (and nobody waits for one), else finish the stay as planned.
void NetworkSimulation::on_early_check(EntityId id) {
  Entity& e = entities_[id];
  const EarlyExit& early = *spec_.steps[e.step].early_exit;
  const std::uint32_t target = spec_.steps[early.to].station;
  const StationState& station = stations_[target];
  if (station.occupancy >= station.capacity || !station.line.empty()) {
    // The planned end itself, not now + the days earlier: the stay is then bit for bit the one
    // drawn, as without the early exit.
    events_.push(e.planned_end, EventPriority::Departure, kStayEnd, id);
    return;
  }
  statistics_.step(e.step).early_exit(e.planned_end - now_);
  e.fit = now_;
  if (observer_) observer_->on_fit(now_, id, static_cast<std::uint32_t>(e.step));
  e.next = early.to;
  seek(id);
}

void NetworkSimulation::seek(EntityId id) {
  Entity& e = entities_[id];
  e.queued = now_;
  if (e.next == kExit) {
    depart(id);
    return;
  }
  if (e.step >= 0 && spec_.steps[e.next].station == spec_.steps[e.step].station) {
    e.step = e.next;  // same station: keep the place, the stay goes on with the next step
    start_step(id);
    return;
  }
  request(id);
}

void NetworkSimulation::request(EntityId id) {
  Entity& e = entities_[id];
  const StepSpec& step = spec_.steps[e.next];
  StationState& station = stations_[step.station];
  StationStatistics& stats = statistics_.station(step.station);
  stats.request(e.step == kNoStep);  // a newcomer holds no place elsewhere
  if (station.occupancy < station.capacity && station.line.empty()) {
    enter(id);
    return;
  }
  if (step.overflow) {
    statistics_.step(e.next).overflow();
    e.next = *step.overflow;
    seek(id);
    return;
  }
  if (e.step == kNoStep) {
    if (station.waiting_newcomers >= spec_.stations[step.station].queue_limit) {
      lose(id, step.station);
      return;
    }
    ++station.waiting_newcomers;
  }
  station.line.push(id, step.priority);
  stats.queued(now_);
  if (observer_) observer_->on_queue(now_, id, static_cast<std::uint32_t>(e.next), step.station);
  if (e.step >= 0) {
    // Blocked: it keeps its place while it waits. This may close a cycle of full stations.
    const std::uint32_t held = spec_.steps[e.step].station;
    e.blocked = true;
    ++stations_[held].blocked_occupants;
    ++waits_for_[held * stations_.size() + step.station];
    check_deadlock(step.station);
  }
}

void NetworkSimulation::enter(EntityId id) {
  Entity& e = entities_[id];
  const std::uint32_t station = spec_.steps[e.next].station;
  const std::int64_t occupancy = ++stations_[station].occupancy;
  statistics_.station(station).entered(now_, e.queued, occupancy);
  if (observer_) observer_->on_occupancy(now_, station, occupancy);
  if (e.step >= 0) leave_place(id, station);
  e.step = e.next;
  e.since = now_;
  start_step(id);
}

void NetworkSimulation::start_step(EntityId id) {
  Entity& e = entities_[id];
  const StepSpec& step = spec_.steps[e.step];
  StepState& state = steps_[e.step];
  statistics_.step(e.step).start();
  const double stay = step.duration.sample(state.duration_rng);
  if (step.early_exit) [[unlikely]] {
    // Eligibility and the days earlier have their own stream, so the stay drawn above is the
    // one this entity would have had without the early exit (common random numbers).
    const EarlyExit& early = *step.early_exit;
    if (boost::random::uniform_01<double>()(*state.early_rng) < early.probability) {
      const double earlier = std::clamp(early.days_earlier.sample(*state.early_rng), 0.0, stay);
      e.planned_end = now_ + stay;
      events_.push(now_ + (stay - earlier), EventPriority::Departure, kEarlyCheck, id);
      if (observer_) {
        observer_->on_start(now_, id, static_cast<std::uint32_t>(e.step), step.station);
      }
      return;
    }
  }
  events_.push(now_ + stay, EventPriority::Departure, kStayEnd, id);
  if (observer_) observer_->on_start(now_, id, static_cast<std::uint32_t>(e.step), step.station);
}

void NetworkSimulation::leave_place(EntityId id, std::uint32_t moving_to) {
  Entity& e = entities_[id];
  const std::uint32_t station = spec_.steps[e.step].station;
  StationState& state = stations_[station];
  if (e.blocked) {
    e.blocked = false;
    --state.blocked_occupants;
    --waits_for_[station * stations_.size() + moving_to];
  }
  const std::int64_t occupancy = --state.occupancy;
  statistics_.station(station).left(now_, e.since, e.fit, e.queued, moving_to, occupancy);
  // Only a station with someone waiting has anything to hand the place to.
  if (!state.line.empty()) freed_.push_back(station);
  if (observer_) {
    observer_->on_leave(now_, id, station);
    observer_->on_occupancy(now_, station, occupancy);
  }
}

void NetworkSimulation::depart(EntityId id) {
  const Entity& e = entities_[id];
  leave_place(id, kNoStation);
  statistics_.completion(now_, e.stream, now_ - e.arrived);
  if (observer_) observer_->on_exit(now_, id);
  entities_.release(id);
}

void NetworkSimulation::lose(EntityId id, std::uint32_t station) {
  statistics_.loss(now_, station, entities_[id].stream);
  if (observer_) observer_->on_loss(now_, id, station);
  entities_.release(id);
}

// Hands freed places to waiting entities. An entity that takes a place may free one upstream
// (it was blocked there), so this runs until no freed place is left unoffered.
void NetworkSimulation::settle() {
  while (!freed_.empty()) {
    const std::uint32_t station = freed_.back();
    freed_.pop_back();
    pump(station);
  }
}

void NetworkSimulation::pump(std::uint32_t station) {
  StationState& state = stations_[station];
  while (!state.line.empty() && state.occupancy < state.capacity) {
    const EntityId id = state.line.front();
    state.line.pop();
    if (entities_[id].step == kNoStep) --state.waiting_newcomers;
    statistics_.station(station).dequeued(now_);
    enter(id);
  }
}

// A deadlock is a closed set of stations, each full, each of whose occupants is waiting for a
// place in another station of the set: nobody in it can ever move. Called when an entity
// starts waiting while holding a place (the only moment such a set can close), it walks from
// the station waited for along "occupants wait for" edges and gives up at the first station
// where something can still change: room, an occupant still in its stay or transfer delay, or
// a capacity schedule.
void NetworkSimulation::check_deadlock(std::uint32_t wanted) {
  const std::size_t n = stations_.size();
  std::fill(deadlock_seen_.begin(), deadlock_seen_.end(), 0);
  deadlock_stack_.assign(1, wanted);
  std::vector<std::uint32_t> members;
  while (!deadlock_stack_.empty()) {
    const std::uint32_t x = deadlock_stack_.back();
    deadlock_stack_.pop_back();
    if (deadlock_seen_[x]) continue;
    deadlock_seen_[x] = 1;
    const StationState& state = stations_[x];
    const std::int64_t occupancy = state.occupancy;
    if (!spec_.stations[x].schedule.empty() || occupancy < state.capacity ||
        state.blocked_occupants < occupancy || occupancy == 0) {
      return;
    }
    members.push_back(x);
    for (std::uint32_t y = 0; y < n; ++y) {
      if (waits_for_[x * n + y] > 0) deadlock_stack_.push_back(y);
    }
  }
  std::string names;
  for (const std::uint32_t m : members) {
    names += (names.empty() ? "" : ", ") + spec_.stations[m].name;
  }
  throw SimulationStopped(
      SimulationStopped::Reason::Deadlock, now_,
      fmt::format("deadlock at day {:.2f}: {} {} full and every occupant is waiting for a place "
                  "in another of them, so nobody can move",
                  now_, names, members.size() == 1 ? "is" : "are"));
}

void NetworkSimulation::schedule_capacity_change(std::uint32_t station) {
  const StationSpec& spec = spec_.stations[station];
  StationState& state = stations_[station];
  if (spec.schedule.empty()) return;
  if (state.next_change >= spec.schedule.size()) {
    if (spec.schedule_period <= 0.0) return;
    state.next_change = 0;
    ++state.cycle;
  }
  const Time at =
      static_cast<double>(state.cycle) * spec.schedule_period + spec.schedule[state.next_change].at;
  events_.push(at, EventPriority::Capacity, kCapacityChange, station);
}

void NetworkSimulation::on_capacity_change(std::uint32_t station) {
  StationState& state = stations_[station];
  state.capacity = spec_.stations[station].schedule[state.next_change].capacity;
  ++state.next_change;
  statistics_.station(station).capacity_changed(now_, state.capacity, state.occupancy);
  if (observer_) observer_->on_capacity(now_, station, state.capacity);
  freed_.push_back(station);  // a rise lets waiting entities in
  schedule_capacity_change(station);
}

// Statistics restart here; the kernel's state (occupancy, lines, blocked entities) carries on.
void NetworkSimulation::on_warmup_end() {
  statistics_.reset(now_);
  if (observer_) observer_->on_warmup_end(now_);
}

NetworkResult simulate(const NetworkSpec& spec, std::uint64_t master_seed,
                       std::uint64_t replication, Observer* observer) {
  NetworkSimulation simulation(spec, master_seed, replication);
  simulation.set_observer(observer);
  return simulation.run();
}

}  // namespace tcsim::sim

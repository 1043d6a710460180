#pragma once
// The engine's built-in statistics as collectors, kept apart from the kernel's state. The kernel
// (NetworkSimulation) owns what decides the run - occupancy, capacity, waiting lines, blocked
// entities - and tells a collector of each change; a collector owns only what it measures over
// the measurement period, so the end of the warm-up is one reset(now) per collector.
//
// Collectors are plain classes whose per-event members are inline: no virtual call, no
// std::function and no allocation per event (a TimeWeightedCount grows only when a level is
// reached for the first time). Each collector keeps its figures in the result struct it hands
// back at the end, so finishing a run moves them out without copying.

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "tcsim/sim/network_result.hpp"
#include "tcsim/sim/network_spec.hpp"
#include "tcsim/sim/statistics.hpp"
#include "tcsim/sim/time.hpp"

namespace tcsim::sim {

/// One station: occupancy and queue length over time, waits, stays, blocked time, moves, full
/// time and the capacity integral. It follows the capacity itself (told of every change), as a
/// TimeWeightedCount follows its level, because both are integrated over time.
class StationStatistics {
 public:
  StationStatistics(const StationSpec& spec, std::size_t n_stations);

  /// An entity seeks a place here; `newcomer` if it holds no place elsewhere.
  void request(bool newcomer) noexcept {
    ++r_.requests;
    r_.newcomers += static_cast<std::uint64_t>(newcomer);
  }
  void loss() noexcept { ++r_.losses; }
  /// An entity joins, or leaves, the waiting line.
  void queued(Time now) { r_.queue_length.increment(now); }
  void dequeued(Time now) { r_.queue_length.decrement(now); }
  /// An entity that sought a place since `queued` takes one; occupancy is now `occupancy`.
  void entered(Time now, Time queued, std::int64_t occupancy) {
    r_.wait.add(now - queued);
    occupied(now, occupancy);
  }
  /// An entity of the initial state takes a place without having sought one.
  void placed(Time now, std::int64_t occupancy) { occupied(now, occupancy); }
  /// An entity gives up the place it took at `since`; it was fit to move at `fit` and sought
  /// its next place from `queued`. `moving_to` is the station it enters, or kNoStation.
  void left(Time now, Time since, Time fit, Time queued, std::uint32_t moving_to,
            std::int64_t occupancy) {
    r_.stay.add(now - since);
    const double blocked = now - fit;
    if (blocked > 0.0) {
      r_.blocked.add(blocked);
      r_.blocked_by_delay_days += queued - fit;
      r_.blocked_by_capacity_days += now - queued;
      if (moving_to != kNoStation) {
        r_.blocked_days_for[moving_to] += blocked;
        r_.delay_days_for[moving_to] += queued - fit;
      }
    }
    if (moving_to != kNoStation) ++r_.moves_to[moving_to];
    occupied(now, occupancy);
  }
  /// The capacity becomes `capacity` (kUnlimited for none) with `occupancy` places held.
  void capacity_changed(Time now, std::int64_t capacity, std::int64_t occupancy) {
    accumulate_capacity(now);
    capacity_ = capacity;
    update_full(now, occupancy);
  }

  /// Starts the measurement period at `now`: everything measured so far is forgotten; the
  /// levels (occupancy, queue length, capacity, full or not) carry on.
  void reset(Time now);
  /// Closes the period at `now` and hands over the figures.
  [[nodiscard]] StationResult finish(Time now);

  static constexpr std::uint32_t kNoStation = 0xffffffffu;

 private:
  void occupied(Time now, std::int64_t occupancy) {
    r_.occupancy.move_to(now, occupancy);
    update_full(now, occupancy);
  }
  void update_full(Time now, std::int64_t occupancy) {
    const bool full = occupancy >= capacity_;
    if (full == full_) return;
    full_ = full;
    if (full) {
      full_since_ = now;
    } else {
      r_.full_days += now - full_since_;
    }
  }
  void accumulate_capacity(Time now) {
    if (capacity_ != kUnlimited) {
      r_.capacity_area += static_cast<double>(capacity_) * (now - capacity_since_);
    }
    capacity_since_ = now;
  }

  StationResult r_;
  std::int64_t capacity_;
  Time capacity_since_ = 0.0;  // last capacity change or reset
  Time full_since_ = 0.0;      // when it last became full, while it is full
  bool full_;                  // occupancy >= capacity
};

/// One step: stays begun, overflows, early exits and the days they saved.
class StepStatistics {
 public:
  explicit StepStatistics(const StepSpec& spec) { r_.name = spec.name; }
  void start() noexcept { ++r_.starts; }
  void overflow() noexcept { ++r_.overflows; }
  void early_exit(double days_saved) noexcept {
    ++r_.early_exits;
    r_.early_days += days_saved;
  }
  void reset() noexcept {
    r_.starts = r_.overflows = r_.early_exits = 0;
    r_.early_days = 0.0;
  }
  [[nodiscard]] StepResult finish() { return std::move(r_); }

 private:
  StepResult r_;
};

/// One arrival stream: arrivals, completions with their time in system, losses.
class StreamStatistics {
 public:
  explicit StreamStatistics(const ArrivalSpec& spec) { r_.name = spec.name; }
  void arrival() noexcept { ++r_.arrivals; }
  void completion(double time_in_system) noexcept {
    r_.time_in_system.add(time_in_system);
    ++r_.completions;
  }
  void loss() noexcept { ++r_.losses; }
  void reset() noexcept {
    r_.arrivals = r_.completions = r_.losses = 0;
    r_.time_in_system.reset();
  }
  [[nodiscard]] const Tally& time_in_system() const noexcept { return r_.time_in_system; }
  [[nodiscard]] StreamResult finish() { return std::move(r_); }

 private:
  StreamResult r_;
};

/// The whole network: a collector per station, step and stream, and the system's own figures
/// (entities in the system over time, arrivals, completions, losses).
class NetworkStatistics {
 public:
  explicit NetworkStatistics(const NetworkSpec& spec);

  [[nodiscard]] StationStatistics& station(std::uint32_t i) noexcept { return stations_[i]; }
  [[nodiscard]] StepStatistics& step(std::int32_t i) noexcept {
    return steps_[static_cast<std::size_t>(i)];
  }

  /// An entity enters the network (from outside or as part of the initial state).
  void entity_entered(Time now) { in_system_.increment(now); }
  /// An arrival from outside on `stream` (counted before it seeks its first place).
  void arrival(std::uint32_t stream) noexcept {
    ++arrivals_;
    streams_[stream].arrival();
  }
  /// An entity of `stream` leaves the network after `time_in_system`.
  void completion(Time now, std::uint32_t stream, double time_in_system) {
    streams_[stream].completion(time_in_system);
    ++completions_;
    in_system_.decrement(now);
  }
  /// An entity of `stream` is turned away by `station`'s full waiting line.
  void loss(Time now, std::uint32_t station, std::uint32_t stream) {
    stations_[station].loss();
    streams_[stream].loss();
    ++losses_;
    in_system_.decrement(now);
  }

  /// Starts the measurement period at `now` (the end of the warm-up): every collector forgets
  /// what it measured before.
  void reset(Time now);
  /// Closes the period at `end` and hands over the figures; `events` and `peak_entities` are
  /// the kernel's own counts. Call once.
  [[nodiscard]] NetworkResult finish(Time end, std::uint64_t events, std::uint64_t peak_entities);

 private:
  std::vector<StationStatistics> stations_;
  std::vector<StepStatistics> steps_;
  std::vector<StreamStatistics> streams_;
  Time start_ = 0.0;
  TimeWeightedCount in_system_;
  std::uint64_t arrivals_ = 0;
  std::uint64_t completions_ = 0;
  std::uint64_t losses_ = 0;
};

// Members called once per run (construction, warm-up end, end), inline so that the collector is
// one header. They are marked cold: inlined into NetworkSimulation they used up GCC's inlining
// budget for its translation unit, and the event loop's own calls (TimeWeightedCount's
// accumulate, EventQueue::push) were left out of line - 8% more instructions on model A.

[[gnu::cold]] inline StationStatistics::StationStatistics(const StationSpec& spec,
                                                          std::size_t n_stations)
    : capacity_(spec.capacity), full_(spec.capacity <= 0) {
  r_.name = spec.name;
  r_.unlimited = spec.capacity == kUnlimited;
  for (const CapacityChange& c : spec.schedule) {
    if (c.capacity == kUnlimited) r_.unlimited = true;
  }
  r_.blocked_days_for.assign(n_stations, 0.0);
  r_.delay_days_for.assign(n_stations, 0.0);
  r_.moves_to.assign(n_stations, 0);
}

[[gnu::cold]] inline void StationStatistics::reset(Time now) {
  r_.occupancy.reset(now);
  r_.queue_length.reset(now);
  r_.capacity_area = 0.0;
  capacity_since_ = now;
  full_since_ = now;
  r_.full_days = 0.0;
  r_.wait.reset();
  r_.stay.reset();
  r_.blocked.reset();
  r_.blocked_by_delay_days = 0.0;
  r_.blocked_by_capacity_days = 0.0;
  std::fill(r_.blocked_days_for.begin(), r_.blocked_days_for.end(), 0.0);
  std::fill(r_.delay_days_for.begin(), r_.delay_days_for.end(), 0.0);
  std::fill(r_.moves_to.begin(), r_.moves_to.end(), 0);
  r_.requests = 0;
  r_.newcomers = 0;
  r_.losses = 0;
}

[[gnu::cold]] inline StationResult StationStatistics::finish(Time now) {
  r_.occupancy.finish(now);
  r_.queue_length.finish(now);
  accumulate_capacity(now);
  if (full_) r_.full_days += now - full_since_;
  return std::move(r_);
}

[[gnu::cold]] inline NetworkStatistics::NetworkStatistics(const NetworkSpec& spec) {
  stations_.reserve(spec.stations.size());
  for (const StationSpec& s : spec.stations)
    stations_.emplace_back(s, spec.stations.size());
  steps_.reserve(spec.steps.size());
  for (const StepSpec& s : spec.steps)
    steps_.emplace_back(s);
  streams_.reserve(spec.arrivals.size());
  for (const ArrivalSpec& a : spec.arrivals)
    streams_.emplace_back(a);
}

[[gnu::cold]] inline void NetworkStatistics::reset(Time now) {
  start_ = now;
  for (StationStatistics& s : stations_)
    s.reset(now);
  for (StepStatistics& s : steps_)
    s.reset();
  for (StreamStatistics& s : streams_)
    s.reset();
  in_system_.reset(now);
  arrivals_ = completions_ = losses_ = 0;
}

[[gnu::cold]] inline NetworkResult NetworkStatistics::finish(Time end, std::uint64_t events,
                                                             std::uint64_t peak_entities) {
  NetworkResult result;
  result.start = start_;
  result.end = end;
  result.events = events;
  result.peak_entities = peak_entities;
  in_system_.finish(end);
  result.in_system = std::move(in_system_);
  result.stations.reserve(stations_.size());
  for (StationStatistics& s : stations_)
    result.stations.push_back(s.finish(end));
  result.steps.reserve(steps_.size());
  for (StepStatistics& s : steps_)
    result.steps.push_back(s.finish());
  // The system's time in system is every stream's, combined once here rather than tallied
  // twice per departure.
  result.streams.reserve(streams_.size());
  for (StreamStatistics& s : streams_) {
    result.time_in_system.merge(s.time_in_system());
    result.streams.push_back(s.finish());
  }
  result.arrivals = arrivals_;
  result.completions = completions_;
  result.losses = losses_;
  return result;
}

}  // namespace tcsim::sim

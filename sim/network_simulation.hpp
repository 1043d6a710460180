#pragma once
// One replication of a NetworkSpec: arrivals, stays, routing, blocking between stations,
// capacity schedules and warm-up, with the engine's built-in statistics.
//
//   NetworkSimulation sim(spec, master_seed, replication);
//   NetworkResult result = sim.run();
//
// Each source of randomness has its own stream, named after what it drives
// ("arrivals/<stream>", "duration/<step>", "routing/<step>", "delay/<step>"), so two specs that
// share those names share random numbers (common random numbers).

#include <cstdint>
#include <vector>

#include "sim/entity_pool.hpp"
#include "sim/event_queue.hpp"
#include "sim/network_result.hpp"
#include "sim/network_spec.hpp"
#include "sim/observer.hpp"
#include "sim/random.hpp"

namespace tcsim::sim {

class NetworkSimulation {
 public:
  /// Validates `spec` (std::invalid_argument if it is malformed); `spec` must outlive this.
  NetworkSimulation(const NetworkSpec& spec, std::uint64_t master_seed, std::uint64_t replication);

  /// Optional: told of every arrival, start, move and exit. Not owned.
  void set_observer(Observer* observer) noexcept { observer_ = observer; }

  /// Runs the replication to its horizon (or until it drains) and returns its statistics.
  /// Call once.
  NetworkResult run();

 private:
  enum Kind : std::uint32_t { kArrival, kStayEnd, kTransferReady, kCapacityChange, kWarmupEnd };
  static constexpr std::int32_t kNoStep = -2;

  struct Entity {
    Time arrived = 0.0;  // entered the network
    Time since = 0.0;    // took its current place
    Time fit = 0.0;      // finished its stay: blocked from here on
    Time queued = 0.0;   // started seeking the next place (after any transfer delay)
    std::uint32_t stream = 0;
    std::int32_t step = kNoStep;  // step whose place it holds
    std::int32_t next = kNoStep;  // step it is moving to, or kExit
  };

  struct StationState {
    std::int64_t capacity = kUnlimited;
    WaitingLine line;
    std::int64_t waiting_newcomers = 0;  // entities in `line` that hold no place elsewhere
    std::size_t next_change = 0;         // index into the schedule of the next change
    std::uint64_t cycle = 0;             // completed schedule periods
    Time capacity_since = 0.0;           // last capacity change or reset, for the capacity integral
  };

  struct StepState {
    RandomEngine duration_rng;
    RandomEngine routing_rng;
    RandomEngine delay_rng;
    std::vector<double> cumulative;  // route probabilities, summed
  };

  struct StreamState {
    RandomEngine rng;
    Distribution interarrival;
    std::int64_t arrived = 0;
  };

  void on_arrival(std::uint32_t stream);
  void on_stay_end(EntityId id);
  void on_capacity_change(std::uint32_t station);
  void on_warmup_end();

  void seek(EntityId id);
  void request(EntityId id);
  void enter(EntityId id);
  void start_step(EntityId id);
  void leave_place(EntityId id);
  void depart(EntityId id);
  void lose(EntityId id, std::uint32_t station);
  void settle();
  void pump(std::uint32_t station);
  void schedule_capacity_change(std::uint32_t station);
  void accumulate_capacity(std::uint32_t station);
  [[nodiscard]] const Route& choose_route(std::int32_t step);

  const NetworkSpec& spec_;
  Observer* observer_ = nullptr;
  Time now_ = 0.0;
  EventQueue events_;
  EntityPool<Entity> entities_;
  std::vector<StationState> stations_;
  std::vector<StepState> steps_;
  std::vector<StreamState> streams_;
  std::vector<std::uint32_t> freed_;  // stations with a place freed since the last settle()
  std::size_t streams_arriving_ = 0;  // arrival streams that have not reached max_arrivals
  NetworkResult result_;
  bool ran_ = false;
};

/// Convenience: one replication of `spec`.
[[nodiscard]] NetworkResult simulate(const NetworkSpec& spec, std::uint64_t master_seed,
                                     std::uint64_t replication, Observer* observer = nullptr);

}  // namespace tcsim::sim

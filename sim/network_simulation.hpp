#pragma once
// One replication of a NetworkSpec: arrivals, stays, routing, blocking between stations,
// capacity schedules and warm-up. The kernel keeps the state that decides the run (occupancy,
// waiting lines, blocked entities); the built-in statistics are collected apart, by
// NetworkStatistics (network_statistics.hpp), which the warm-up end resets in one call.
//
//   NetworkSimulation sim(spec, master_seed, replication);
//   NetworkResult result = sim.run();
//
// Each source of randomness has its own stream, named after what it drives
// ("arrivals/<stream>", "first/<stream>", "duration/<step>", "routing/<step>",
// "delay/<step>/<next step>", "early/<step>"), so two specs that share those names share random
// numbers (common random numbers): changing one route's delay leaves every other draw alone.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tcsim/sim/entity_pool.hpp"
#include "tcsim/sim/event_queue.hpp"
#include "tcsim/sim/network_result.hpp"
#include "tcsim/sim/network_spec.hpp"
#include "tcsim/sim/network_statistics.hpp"
#include "tcsim/sim/observer.hpp"
#include "tcsim/sim/random.hpp"

namespace tcsim::sim {

/// A replication stopped before its end because going on would be meaningless or harmful: the
/// network deadlocked, or more entities were in it than NetworkSpec::max_entities allows.
class SimulationStopped : public std::runtime_error {
 public:
  enum class Reason { Deadlock, EntityLimit };
  SimulationStopped(Reason reason, Time at, const std::string& what)
      : std::runtime_error(what), reason_(reason), at_(at) {}
  [[nodiscard]] Reason reason() const noexcept { return reason_; }
  [[nodiscard]] Time at() const noexcept { return at_; }

 private:
  Reason reason_;
  Time at_;
};

class NetworkSimulation {
 public:
  /// Validates `spec` (std::invalid_argument if it is malformed); `spec` must outlive this.
  NetworkSimulation(const NetworkSpec& spec, std::uint64_t master_seed, std::uint64_t replication);

  /// Optional: told of every arrival, start, move and exit. Not owned.
  void set_observer(Observer* observer) noexcept { observer_ = observer; }

  /// Runs the replication to its horizon (or until it drains) and returns its statistics.
  /// Call once. Throws SimulationStopped on deadlock (every entity in a closed set of full
  /// stations waiting for a place in another of them) or when max_entities is exceeded.
  NetworkResult run();

 private:
  enum Kind : std::uint32_t {
    kArrival,
    kStayEnd,
    kEarlyCheck,
    kTransferReady,
    kCapacityChange,
    kWarmupEnd
  };
  static constexpr std::int32_t kNoStep = -2;
  static constexpr std::uint32_t kNoStation = StationStatistics::kNoStation;

  struct Entity {
    Time arrived = 0.0;      // entered the network
    Time since = 0.0;        // took its current place
    Time fit = 0.0;          // finished its stay: blocked from here on
    Time queued = 0.0;       // started seeking the next place (after any transfer delay)
    Time planned_end = 0.0;  // eligible for an early exit: when the stay would end without it
    std::uint32_t stream = 0;
    std::int32_t step = kNoStep;  // step whose place it holds
    std::int32_t next = kNoStep;  // step it is moving to, or kExit
    bool blocked = false;         // in a waiting line while holding a place
  };

  // The kernel's state of a station: what decides who moves. Its statistics are apart, in
  // statistics_.
  struct StationState {
    std::int64_t capacity = kUnlimited;
    std::int64_t occupancy = 0;  // places held
    WaitingLine line;
    std::int64_t waiting_newcomers = 0;  // entities in `line` that hold no place elsewhere
    std::size_t next_change = 0;         // index into the schedule of the next change
    std::uint64_t cycle = 0;             // completed schedule periods
    std::int64_t blocked_occupants = 0;  // occupants waiting in another station's line
  };

  struct StepState {
    RandomEngine duration_rng;
    RandomEngine routing_rng;
    std::vector<RandomEngine> delay_rngs;   // per route; empty engines for routes with no delay
    std::vector<double> cumulative;         // route probabilities, summed
    std::optional<RandomEngine> early_rng;  // only for a step with an early exit
  };

  struct StreamState {
    RandomEngine rng;
    Distribution interarrival;  // at the peak rate when the profile varies (thinning)
    double peak = 1.0;          // the profile's peak multiplier
    bool thinned = false;       // the rate varies: candidates are thinned
    std::int64_t arrived = 0;
    std::optional<RandomEngine> first_rng;  // only with first routes
    std::vector<double> first_cumulative;
  };

  void on_arrival(std::uint32_t stream);
  [[gnu::always_inline]] inline void schedule_arrival(std::uint32_t stream);
  void place_initial_entities();
  [[gnu::always_inline]] inline EntityId new_entity(std::uint32_t stream);
  void on_stay_end(EntityId id);
  void on_early_check(EntityId id);
  void on_capacity_change(std::uint32_t station);
  void on_warmup_end();

  void seek(EntityId id);
  void request(EntityId id);
  void enter(EntityId id);
  void check_deadlock(std::uint32_t wanted);
  void start_step(EntityId id);
  /// Gives up the entity's place; `moving_to` is the station it enters next, or kNoStation.
  void leave_place(EntityId id, std::uint32_t moving_to);
  void depart(EntityId id);
  void lose(EntityId id, std::uint32_t station);
  void settle();
  void pump(std::uint32_t station);
  void schedule_capacity_change(std::uint32_t station);
  /// The index of the route taken from `step`.
  [[nodiscard]] std::size_t choose_route(std::int32_t step);

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
  /// waits_for_[held * stations + wanted]: entities holding a place at `held` that wait in the
  /// line of `wanted`; the edges of the graph deadlock detection walks.
  std::vector<std::int64_t> waits_for_;
  std::vector<std::uint32_t> deadlock_stack_;  // scratch for check_deadlock, kept to reuse
  std::vector<char> deadlock_seen_;
  std::uint64_t events_run_ = 0;  // events processed, warm-up included
  NetworkStatistics statistics_;
  bool ran_ = false;
};

/// Convenience: one replication of `spec`.
[[nodiscard]] NetworkResult simulate(const NetworkSpec& spec, std::uint64_t master_seed,
                                     std::uint64_t replication, Observer* observer = nullptr);

}  // namespace tcsim::sim

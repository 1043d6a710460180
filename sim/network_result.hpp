#pragma once
// What one replication of a network produces: the statistics of each station, arrival stream
// and the whole system over the measurement period [warm-up, end].

#include <cstdint>
#include <string>
#include <vector>

#include "tcsim/sim/statistics.hpp"
#include "tcsim/sim/time.hpp"

namespace tcsim::sim {

struct StationResult {
  std::string name;
  TimeWeightedCount occupancy;
  TimeWeightedCount queue_length;
  /// Integral of capacity over the period (place-days); 0 if capacity was unlimited.
  double capacity_area = 0.0;
  bool unlimited = false;
  Tally wait;     // request for a place -> place taken
  Tally stay;     // place taken -> place given up (includes blocked time)
  Tally blocked;  // fit to move -> place given up (transfer delay + waiting for the next place)
  double blocked_by_delay_days = 0.0;     // of which: transfer delays
  double blocked_by_capacity_days = 0.0;  // of which: waiting for a place downstream
  /// Blocked days by the station the entity was moving to (indexed by station), and of
  /// them the transfer-delay part.
  std::vector<double> blocked_days_for;
  std::vector<double> delay_days_for;
  /// Entities that left a place here for a place at each station (indexed by station).
  std::vector<std::uint64_t> moves_to;
  /// Days with occupancy at or above capacity (never, if capacity is unlimited).
  double full_days = 0.0;
  std::uint64_t requests = 0;  // entities that sought a place here (newcomers and transfers)
  /// Of the requests, those by entities holding no place elsewhere (arrivals from outside,
  /// including any sent on here as an overflow): the only ones a full waiting line can turn
  /// away. The rest are transfers, which keep their place upstream and wait.
  std::uint64_t newcomers = 0;
  std::uint64_t losses = 0;  // newcomers turned away by a full waiting line

  /// Time-average occupancy over time-average capacity; NaN if capacity is unlimited.
  [[nodiscard]] double utilisation() const;
  /// losses / newcomers: the probability that a newcomer is turned away; NaN with no
  /// newcomers. Transfers are left out of the denominator: they cannot be lost.
  [[nodiscard]] double loss_probability() const;
  /// Share of the period spent full; NaN for an empty period.
  [[nodiscard]] double full_share() const;
};

struct StepResult {
  std::string name;
  std::uint64_t starts = 0;       // stays begun at this step
  std::uint64_t overflows = 0;    // entities sent to the step's overflow for want of a place
  std::uint64_t early_exits = 0;  // stays ended early (EarlyExit) for a place at its step
  double early_days = 0.0;        // days of stay those early exits saved here
};

struct StreamResult {
  std::string name;
  std::uint64_t arrivals = 0;
  std::uint64_t completions = 0;
  std::uint64_t losses = 0;
  Tally time_in_system;
};

struct NetworkResult {
  Time start = 0.0;                 // end of warm-up
  Time end = 0.0;                   // horizon, or when the network drained
  std::uint64_t events = 0;         // events processed, warm-up included
  std::uint64_t peak_entities = 0;  // most entities in the network at once
  std::vector<StationResult> stations;
  std::vector<StepResult> steps;
  std::vector<StreamResult> streams;
  TimeWeightedCount in_system;
  Tally time_in_system;
  std::uint64_t arrivals = 0;
  std::uint64_t completions = 0;
  std::uint64_t losses = 0;
  /// Completions per day over the measurement period.
  [[nodiscard]] double throughput() const;
};

}  // namespace tcsim::sim

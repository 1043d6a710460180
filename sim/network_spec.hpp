#pragma once
// A queueing network with blocking, as plain values: stations (resources with a capacity and a
// waiting line), steps (a stay at a station, then routing), and arrival streams. The engine
// knows nothing of hospitals: models/ builds one of these from a scenario.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "tcsim/sim/distribution.hpp"
#include "tcsim/sim/rate_profile.hpp"
#include "tcsim/sim/time.hpp"
#include "tcsim/sim/waiting_line.hpp"

namespace tcsim::sim {

/// A capacity or count with no limit.
inline constexpr std::int64_t kUnlimited = std::numeric_limits<std::int64_t>::max();

/// Routing target meaning "leave the network".
inline constexpr std::int32_t kExit = -1;

struct CapacityChange {
  Time at = 0.0;  // days from the start (or from the start of each cycle)
  std::int64_t capacity = 0;
};

struct StationSpec {
  std::string name;
  /// Places (beds, caseload slots, servers) at time 0, or kUnlimited.
  std::int64_t capacity = kUnlimited;
  /// Capacity changes, sorted by time, each at or after 0 (zero capacity allowed). When
  /// capacity drops below occupancy, work in progress finishes and nobody new starts until
  /// occupancy is below the new capacity (non-preemptive).
  std::vector<CapacityChange> schedule;
  /// If > 0 the schedule repeats every `schedule_period` days (e.g. 7 for a weekly roster).
  Time schedule_period = 0.0;
  QueueDiscipline discipline = QueueDiscipline::Fifo;
  /// Most entities that may wait here while holding no place elsewhere; a newcomer finding the
  /// line that long is lost (0 gives a loss system). Entities that hold a place upstream are
  /// never lost: they wait, blocked, whatever the line's length.
  std::int64_t queue_limit = kUnlimited;
};

struct Route {
  std::int32_t to = kExit;  // step index or kExit
  double probability = 1.0;
  /// A delay (e.g. referral, assessment) that starts when the stay ends; the entity keeps its
  /// place meanwhile and only then seeks the next one.
  std::optional<Distribution> delay;
};

/// A chance to end a stay early (e.g. early supported discharge): an eligible entity seeks a
/// place at step `to` some days before its stay would end, and moves there if that station has
/// a free place at that moment; otherwise it completes its stay as usual.
struct EarlyExit {
  double probability = 0.0;  // share of entities at the step who are eligible
  Distribution days_earlier = Distribution::deterministic(0.0);  // never before the stay began
  std::int32_t to = 0;                                           // step index
};

struct StepSpec {
  std::string name;  // unique; names the step's random streams
  std::uint32_t station = 0;
  Distribution duration;
  /// Lower runs first in a priority waiting line.
  std::int32_t priority = 0;
  /// Probabilities sum to 1. A route to a step at the same station keeps the place: the
  /// stay continues with the next step's duration.
  std::vector<Route> routes{Route{}};
  /// If set, an entity that finds no free place here (full, or others waiting) goes to this
  /// step instead of waiting (overflow routing, e.g. a team with no room -> hospital).
  std::optional<std::int32_t> overflow{};
  std::optional<EarlyExit> early_exit{};
};

struct ArrivalSpec {
  std::string name;  // unique; names the arrival stream
  /// Poisson arrivals at this base rate per day, times `profile`'s multiplier at each moment.
  double rate_per_day = 1.0;
  RateProfile profile{};
  /// Stop after this many arrivals (the network then drains), or kUnlimited.
  std::int64_t max_arrivals = kUnlimited;
  std::int32_t first_step = 0;
  /// If not empty, each arrival's first step is drawn from these instead (probabilities sum to
  /// 1; no delays), on a stream of its own so other streams are unchanged.
  std::vector<Route> first_routes{};
};

/// Entities already in the network at time 0 (a warm start from today's ward and waiting list).
struct InitialEntities {
  std::uint32_t stream = 0;   // the arrival stream they count as
  std::int32_t step = 0;      // the step they are at, or waiting for
  std::int64_t in_place = 0;  // holding a place at the step's station, starting a fresh stay
  std::int64_t waiting = 0;   // in the station's waiting line, holding nothing
};

struct NetworkSpec {
  std::vector<StationSpec> stations;
  std::vector<StepSpec> steps;
  std::vector<ArrivalSpec> arrivals;
  std::vector<InitialEntities> initial;
  /// The run stops with SimulationStopped if more entities than this are in the network at
  /// once (a guard against an overloaded network filling memory).
  std::int64_t max_entities = kUnlimited;
  /// Events at or before the horizon run; the run stops there. With no horizon (kForever) it
  /// stops once every arrival stream has reached max_arrivals and the network is empty.
  Time horizon = kForever;
  /// Statistics are reset at the end of the warm-up.
  Time warmup = 0.0;
};

/// Checks indices, probabilities and that the run must end; throws std::invalid_argument
/// naming the station, step or arrival stream at fault.
void validate(const NetworkSpec& spec);

}  // namespace tcsim::sim

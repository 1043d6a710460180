#pragma once
// What the network simulation tells an observer as it happens. Statistics the engine always
// keeps live in its own collectors (network_statistics.hpp), called without a virtual call;
// an observer adds what a caller wants beyond them
// (an event trace, daily series, test recorders) without the kernel knowing file formats.
// Every hook has an empty default, so an observer overrides only what it needs.

#include <cstdint>

#include "tcsim/sim/entity_pool.hpp"
#include "tcsim/sim/time.hpp"

namespace tcsim::sim {

class Observer {
 public:
  virtual ~Observer() = default;
  /// A new entity of arrival stream `stream` enters the network (at time 0 for the entities of
  /// NetworkSpec::initial).
  virtual void on_arrival(Time, EntityId, std::uint32_t /*stream*/) {}
  /// The entity joins the waiting line of `station` for `step`.
  virtual void on_queue(Time, EntityId, std::uint32_t /*step*/, std::uint32_t /*station*/) {}
  /// The entity starts `step` at `station`: it has just taken a place there, or its stay goes
  /// on from a previous step at the same station.
  virtual void on_start(Time, EntityId, std::uint32_t /*step*/, std::uint32_t /*station*/) {}
  /// The entity's stay at `step` is over; it is now fit to move (and may be blocked).
  virtual void on_fit(Time, EntityId, std::uint32_t /*step*/) {}
  /// The entity gives up its place at `station`.
  virtual void on_leave(Time, EntityId, std::uint32_t /*station*/) {}
  /// The entity leaves the network.
  virtual void on_exit(Time, EntityId) {}
  /// The entity found the waiting line of `station` full and is lost.
  virtual void on_loss(Time, EntityId, std::uint32_t /*station*/) {}
  /// `station`'s occupancy (places held) is now `occupancy`.
  virtual void on_occupancy(Time, std::uint32_t /*station*/, std::int64_t /*occupancy*/) {}
  /// `station`'s capacity changes (kUnlimited for no limit).
  virtual void on_capacity(Time, std::uint32_t /*station*/, std::int64_t /*capacity*/) {}
  /// The warm-up ended: statistics restart here.
  virtual void on_warmup_end(Time) {}
};

}  // namespace tcsim::sim

#pragma once
// The pending-event record: a small POD ordered by (time, priority class, insertion sequence).

#include <bit>
#include <cstdint>

#include "tcsim/sim/time.hpp"

namespace tcsim::sim {

/// Same-time events run in this order. Each class exists for a reason:
/// - Capacity: a schedule change applies first, so events at that instant see the new capacity.
/// - Departure: a finished stay frees its place before anyone arriving at the same instant
///   looks for one (a discharge frees the bed before an admission takes it).
/// - Arrival: new entities and transfers that were waiting on a delay.
/// - Control: warm-up resets and observation points see the instant after it has settled.
enum class EventPriority : std::uint8_t { Capacity = 0, Departure = 1, Arrival = 2, Control = 3 };

/// 24 bytes, trivially copyable. `order` packs the priority class into its top 8 bits and the
/// insertion sequence into the low 56, so one integer comparison breaks time ties
/// deterministically: first by class, then first scheduled runs first.
struct Event {
  Time time;
  std::uint64_t order;
  std::uint32_t kind;     // what happens: a model-defined code
  std::uint32_t subject;  // whom it happens to: an entity, resource or arrival-stream index

  [[nodiscard]] EventPriority priority() const noexcept {
    return static_cast<EventPriority>(order >> kSequenceBits);
  }

  static constexpr unsigned kSequenceBits = 56;
};

/// Strict weak order: true when `a` must run before `b`. Times are never negative (the clock
/// starts at 0 and durations are >= 0), and the bit patterns of non-negative doubles order as
/// unsigned integers do, so (time, order) compares as one 128-bit unsigned key, branch-free.
__extension__ using EventKey = unsigned __int128;  // GCC and Clang; __extension__ for -Wpedantic

[[nodiscard]] inline bool runs_before(const Event& a, const Event& b) noexcept {
  const auto key = [](const Event& e) {
    return (static_cast<EventKey>(std::bit_cast<std::uint64_t>(e.time)) << 64) | e.order;
  };
  return key(a) < key(b);
}

}  // namespace tcsim::sim

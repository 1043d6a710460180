#pragma once
// The pending-event set: an implicit 4-ary min-heap of POD events in one flat vector.
//
// A 4-ary heap halves the depth of a binary heap and keeps a node's children in one cache line
// (4 x 24 bytes, two cache lines); Larkin, Sen & Tarjan (2014) found implicit d-ary heaps as fast
// as anything else below ~10^5 pending events. Sifting moves a hole rather than swapping, so each
// level costs one copy. take() defers the removal of the root so that the first push made while
// handling the event replaces it: one sift-down instead of a pop and a push. Once the vector has
// grown to the peak population, push and take allocate nothing. bench/event_queue_bench.cpp
// measures it against std::priority_queue.

#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "tcsim/sim/event.hpp"

namespace tcsim::sim {

class EventQueue {
 public:
  /// Schedules `kind` for `subject` at `time`; same-time events run by priority class, then in
  /// the order they were scheduled.
  void push(Time time, EventPriority priority, std::uint32_t kind, std::uint32_t subject) {
    assert(time >= 0.0 && !std::signbit(time) && "event times must be >= +0 (see runs_before)");
    const std::uint64_t order =
        (static_cast<std::uint64_t>(priority) << Event::kSequenceBits) | next_sequence_++;
    const Event event{time, order, kind, subject};
    if (top_taken_) {
      // The event being handled is still at the root: put the new one there and sift it down,
      // one pass instead of a pop and a push (the "hold" of the classic benchmark).
      top_taken_ = false;
      sift_down(event);
      return;
    }
    heap_.push_back(event);
    sift_up(heap_.size() - 1, event);
  }

  /// Removes the next event and returns it. The removal is finished lazily: if the caller
  /// pushes while handling it, the first push takes its slot at the root.
  [[nodiscard]] Event take() noexcept {
    settle();
    assert(!heap_.empty());
    top_taken_ = true;
    return heap_.front();
  }

  /// The event that runs next. Precondition: !empty().
  [[nodiscard]] const Event& top() noexcept {
    settle();
    assert(!heap_.empty());
    return heap_.front();
  }

  /// Removes top(). Precondition: !empty().
  void pop() noexcept {
    settle();
    assert(!heap_.empty());
    remove_root();
  }

  [[nodiscard]] bool empty() noexcept {
    settle();
    return heap_.empty();
  }
  [[nodiscard]] std::size_t size() noexcept {
    settle();
    return heap_.size();
  }

  /// Drops every event and restarts the sequence, keeping the allocation for the next run.
  void clear() noexcept {
    heap_.clear();
    next_sequence_ = 0;
    top_taken_ = false;
  }

  void reserve(std::size_t n) { heap_.reserve(n); }

 private:
  static constexpr std::size_t kArity = 4;

  // Completes a take() that no push has completed.
  void settle() noexcept {
    if (top_taken_) {
      top_taken_ = false;
      remove_root();
    }
  }

  void remove_root() noexcept {
    const Event last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(last);
  }

  // `moving` is passed by value, not re-read from the slot just written: reading it back
  // would stall on the store.
  void sift_up(std::size_t hole, const Event moving) noexcept {
    while (hole > 0) {
      const std::size_t parent = (hole - 1) / kArity;
      if (!runs_before(moving, heap_[parent])) break;
      heap_[hole] = heap_[parent];
      hole = parent;
    }
    heap_[hole] = moving;
  }

  void sift_down(const Event& moving) noexcept {
    const std::size_t n = heap_.size();
    std::size_t hole = 0;
    for (;;) {
      const std::size_t first = hole * kArity + 1;
      if (first >= n) break;
      const std::size_t last = first + kArity < n ? first + kArity : n;
      std::size_t best = first;
      for (std::size_t c = first + 1; c < last; ++c) {
        if (runs_before(heap_[c], heap_[best])) best = c;
      }
      if (!runs_before(heap_[best], moving)) break;
      heap_[hole] = heap_[best];
      hole = best;
    }
    heap_[hole] = moving;
  }

  std::vector<Event> heap_;
  std::uint64_t next_sequence_ = 0;
  bool top_taken_ = false;  // take() returned the root, which is still in heap_[0]
};

}  // namespace tcsim::sim

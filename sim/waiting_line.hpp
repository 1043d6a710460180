#pragma once
// The queue of entities waiting for a resource: FIFO, or by priority (lower value first) with
// FIFO among equals. FIFO lines use a ring buffer; priority lines a binary heap keyed on
// (priority, arrival sequence), so ties never depend on heap internals.

#include <cstdint>
#include <vector>

#include "tcsim/sim/entity_pool.hpp"
#include "tcsim/sim/ring_buffer.hpp"

namespace tcsim::sim {

enum class QueueDiscipline : std::uint8_t { Fifo, Priority };

class WaitingLine {
 public:
  explicit WaitingLine(QueueDiscipline discipline = QueueDiscipline::Fifo)
      : discipline_(discipline) {}

  void push(EntityId entity, std::int32_t priority) {
    if (discipline_ == QueueDiscipline::Fifo) {
      fifo_.push_back(entity);
      return;
    }
    ranked_.push_back(Ranked{priority, next_sequence_++, entity});
    sift_up(ranked_.size() - 1);
  }

  /// The entity served next. Precondition: !empty().
  [[nodiscard]] EntityId front() const noexcept {
    return discipline_ == QueueDiscipline::Fifo ? fifo_.front() : ranked_.front().entity;
  }

  void pop() noexcept {
    if (discipline_ == QueueDiscipline::Fifo) {
      fifo_.pop_front();
      return;
    }
    ranked_.front() = ranked_.back();
    ranked_.pop_back();
    if (!ranked_.empty()) sift_down(0);
  }

  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  [[nodiscard]] std::size_t size() const noexcept {
    return discipline_ == QueueDiscipline::Fifo ? fifo_.size() : ranked_.size();
  }
  [[nodiscard]] QueueDiscipline discipline() const noexcept { return discipline_; }

  void clear() noexcept {
    fifo_.clear();
    ranked_.clear();
    next_sequence_ = 0;
  }

 private:
  struct Ranked {
    std::int32_t priority;
    std::uint64_t sequence;
    EntityId entity;
    [[nodiscard]] bool before(const Ranked& o) const noexcept {
      return priority < o.priority || (priority == o.priority && sequence < o.sequence);
    }
  };

  void sift_up(std::size_t i) noexcept {
    while (i > 0) {
      const std::size_t parent = (i - 1) / 2;
      if (!ranked_[i].before(ranked_[parent])) break;
      std::swap(ranked_[i], ranked_[parent]);
      i = parent;
    }
  }

  void sift_down(std::size_t i) noexcept {
    const std::size_t n = ranked_.size();
    for (;;) {
      std::size_t best = i;
      const std::size_t l = 2 * i + 1;
      const std::size_t r = l + 1;
      if (l < n && ranked_[l].before(ranked_[best])) best = l;
      if (r < n && ranked_[r].before(ranked_[best])) best = r;
      if (best == i) return;
      std::swap(ranked_[i], ranked_[best]);
      i = best;
    }
  }

  QueueDiscipline discipline_;
  RingBuffer<EntityId> fifo_;
  std::vector<Ranked> ranked_;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace tcsim::sim

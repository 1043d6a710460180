#pragma once
// Entities as plain records in one vector, recycled through a free list: memory follows the
// peak number of entities in the system, not the number ever created.

#include <cassert>
#include <cstdint>
#include <vector>

namespace tcsim::sim {

using EntityId = std::uint32_t;

template <class Record>
class EntityPool {
 public:
  /// A slot for a new entity, value-initialised; reuses a freed slot when there is one.
  EntityId acquire() {
    if (!free_.empty()) {
      const EntityId id = free_.back();
      free_.pop_back();
      records_[id] = Record{};
      ++live_;
      return id;
    }
    records_.emplace_back();
    ++live_;
    return static_cast<EntityId>(records_.size() - 1);
  }

  /// Returns `id` to the free list. The record must not be used afterwards.
  void release(EntityId id) {
    assert(id < records_.size());
    free_.push_back(id);
    --live_;
  }

  Record& operator[](EntityId id) noexcept {
    assert(id < records_.size());
    return records_[id];
  }
  const Record& operator[](EntityId id) const noexcept {
    assert(id < records_.size());
    return records_[id];
  }

  /// Entities acquired and not yet released.
  [[nodiscard]] std::size_t live() const noexcept { return live_; }
  /// Slots ever allocated: the peak of live().
  [[nodiscard]] std::size_t capacity() const noexcept { return records_.size(); }

  void clear() noexcept {
    records_.clear();
    free_.clear();
    live_ = 0;
  }

 private:
  std::vector<Record> records_;
  std::vector<EntityId> free_;
  std::size_t live_ = 0;
};

}  // namespace tcsim::sim

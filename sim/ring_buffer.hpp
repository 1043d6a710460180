#pragma once
// A growable FIFO ring buffer with power-of-two capacity: push_back / pop_front in O(1), no
// allocation once it has grown to the longest queue seen.

#include <cassert>
#include <cstddef>
#include <vector>

namespace tcsim::sim {

template <class T>
class RingBuffer {
 public:
  void push_back(const T& value) {
    if (size_ == slots_.size()) grow();
    slots_[(head_ + size_) & (slots_.size() - 1)] = value;
    ++size_;
  }

  [[nodiscard]] const T& front() const noexcept {
    assert(size_ > 0);
    return slots_[head_];
  }

  void pop_front() noexcept {
    assert(size_ > 0);
    head_ = (head_ + 1) & (slots_.size() - 1);
    --size_;
  }

  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

  void clear() noexcept {
    head_ = 0;
    size_ = 0;
  }

 private:
  void grow() {
    std::vector<T> bigger(slots_.empty() ? 16 : slots_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i)
      bigger[i] = slots_[(head_ + i) & (slots_.size() - 1)];
    slots_.swap(bigger);
    head_ = 0;
  }

  std::vector<T> slots_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace tcsim::sim

#include "bare_mmc_loop.hpp"

#include <cassert>
#include <cstddef>
#include <vector>

#include <boost/random/exponential_distribution.hpp>

namespace tcsim::bench {
namespace {

enum Kind : std::uint32_t { kArrival, kServiceEnd };

struct Event {
  double time;
  std::uint64_t seq;  // breaks time ties: first scheduled runs first
  std::uint32_t kind;
};

// Implicit 4-ary min-heap on (time, seq) that sifts a hole rather than swapping.
class Heap4 {
 public:
  void reserve(std::size_t n) { heap_.reserve(n); }
  [[nodiscard]] bool empty() const noexcept { return heap_.empty(); }
  [[nodiscard]] const Event& top() const noexcept { return heap_.front(); }

  void push(const Event& e) {
    heap_.push_back(e);
    std::size_t hole = heap_.size() - 1;
    while (hole > 0) {
      const std::size_t parent = (hole - 1) / 4;
      if (!before(e, heap_[parent])) break;
      heap_[hole] = heap_[parent];
      hole = parent;
    }
    heap_[hole] = e;
  }

  void pop() noexcept {
    const Event moving = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0) return;
    std::size_t hole = 0;
    for (;;) {
      const std::size_t first = 4 * hole + 1;
      if (first >= n) break;
      const std::size_t last = first + 4 < n ? first + 4 : n;
      std::size_t best = first;
      for (std::size_t c = first + 1; c < last; ++c) {
        if (before(heap_[c], heap_[best])) best = c;
      }
      if (!before(heap_[best], moving)) break;
      heap_[hole] = heap_[best];
      hole = best;
    }
    heap_[hole] = moving;
  }

 private:
  static bool before(const Event& a, const Event& b) noexcept {
    return a.time < b.time || (a.time == b.time && a.seq < b.seq);
  }

  std::vector<Event> heap_;
};

// FIFO line of arrival times: a ring buffer with power-of-two capacity.
class TimeFifo {
 public:
  TimeFifo() : slots_(1024) {}
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] double front() const noexcept { return slots_[head_]; }

  void push(double t) {
    if (size_ == slots_.size()) grow();
    slots_[(head_ + size_) & (slots_.size() - 1)] = t;
    ++size_;
  }

  void pop() noexcept {
    assert(size_ > 0);
    head_ = (head_ + 1) & (slots_.size() - 1);
    --size_;
  }

 private:
  void grow() {
    std::vector<double> bigger(slots_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i)
      bigger[i] = slots_[(head_ + i) & (slots_.size() - 1)];
    slots_.swap(bigger);
    head_ = 0;
  }

  std::vector<double> slots_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace

BareMmcResult run_bare_mmc(int servers, double arrival_rate, double mean_service,
                           std::uint64_t customers, sim::RandomEngine& arrival_rng,
                           sim::RandomEngine& service_rng) {
  // Same parameters as sim::Distribution::exponential(mean), which stores rate = 1 / mean: the
  // arrival stream is built as exponential(1 / rate_per_day), so its rate is 1 / (1 / rate).
  boost::random::exponential_distribution<double> interarrival(1.0 / (1.0 / arrival_rate));
  boost::random::exponential_distribution<double> service(1.0 / mean_service);

  BareMmcResult result;
  Heap4 events;
  events.reserve(static_cast<std::size_t>(servers) + 1);
  TimeFifo line;
  std::uint64_t seq = 0;
  std::uint64_t arrived = 0;
  std::uint64_t started = 0;
  int busy = 0;
  double wait_sum = 0.0;
  double now = 0.0;

  if (customers > 0) events.push(Event{interarrival(arrival_rng), seq++, kArrival});
  while (!events.empty()) {
    const Event event = events.top();
    events.pop();
    now = event.time;
    ++result.events;
    if (event.kind == kArrival) {
      if (++arrived < customers) {
        events.push(Event{now + interarrival(arrival_rng), seq++, kArrival});
      }
      if (busy < servers) {
        ++busy;
        ++started;  // waited 0
        events.push(Event{now + service(service_rng), seq++, kServiceEnd});
      } else {
        line.push(now);
      }
    } else {
      ++result.customers;
      if (!line.empty()) {  // the server goes straight to the next in line
        wait_sum += now - line.front();
        line.pop();
        ++started;
        events.push(Event{now + service(service_rng), seq++, kServiceEnd});
      } else {
        --busy;
      }
    }
  }
  result.mean_wait = started > 0 ? wait_sum / static_cast<double>(started) : 0.0;
  result.end = now;
  return result;
}

}  // namespace tcsim::bench

// The classic hold model (Jones 1986; Ronngren & Ayani 1997) of a pending-event set: fill the
// queue with N events at Exp(1) times, then each iteration removes the earliest event and
// schedules a new one at its time + Exp(1), so the population stays at N. One iteration is one
// hold (a pop and a push); items/s is holds per second.
//
// sim::EventQueue (4-ary heap, moves a hole) is compared with std::priority_queue (binary heap
// via std::push_heap / std::pop_heap) of the same 24-byte sim::Event and the same ordering.

#include <cstddef>
#include <cstdint>
#include <queue>
#include <vector>

#include <benchmark/benchmark.h>
#include <boost/random/exponential_distribution.hpp>

#include "tcsim/sim/event.hpp"
#include "tcsim/sim/event_queue.hpp"
#include "tcsim/sim/random.hpp"

namespace {

using tcsim::sim::Event;
using tcsim::sim::EventPriority;
using tcsim::sim::EventQueue;
using tcsim::sim::RandomEngine;

constexpr std::uint64_t kSeed = 20240601;

// std::priority_queue keeps the largest on top: "a is less than b" must mean "b runs first".
struct RunsLater {
  bool operator()(const Event& a, const Event& b) const noexcept {
    return tcsim::sim::runs_before(b, a);
  }
};

// The same tie-breaking as EventQueue: priority class in the top 8 bits, then a sequence.
class StdEventQueue {
 public:
  void push(tcsim::sim::Time time, EventPriority priority, std::uint32_t kind,
            std::uint32_t subject) {
    const std::uint64_t order =
        (static_cast<std::uint64_t>(priority) << Event::kSequenceBits) | next_sequence_++;
    heap_.push(Event{time, order, kind, subject});
  }
  [[nodiscard]] const Event& top() const { return heap_.top(); }
  void pop() { heap_.pop(); }
  [[nodiscard]] std::size_t size() const { return heap_.size(); }

 private:
  std::priority_queue<Event, std::vector<Event>, RunsLater> heap_;
  std::uint64_t next_sequence_ = 0;
};

template <class Queue>
void hold(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  RandomEngine rng(kSeed);
  boost::random::exponential_distribution<double> exp1(1.0);

  Queue queue;
  for (std::size_t i = 0; i < n; ++i) {
    queue.push(exp1(rng), EventPriority::Arrival, 0, static_cast<std::uint32_t>(i));
  }

  for (auto _ : state) {
    if constexpr (requires { queue.take(); }) {
      // EventQueue's own hold: take() leaves the root for the push to replace (one sift).
      const Event next = queue.take();
      queue.push(next.time + exp1(rng), EventPriority::Arrival, next.kind, next.subject);
    } else {
      const Event next = queue.top();
      queue.pop();
      queue.push(next.time + exp1(rng), EventPriority::Arrival, next.kind, next.subject);
    }
  }
  benchmark::DoNotOptimize(queue.top());
  if (queue.size() != n) state.SkipWithError("population changed");
  state.SetItemsProcessed(state.iterations());
}

void BM_Hold_EventQueue(benchmark::State& state) {
  hold<EventQueue>(state);
}
// EventQueue driven as the other queue is (top, pop, push), without take().
struct EventQueuePopPush : EventQueue {
  Event take() = delete;
};
void BM_Hold_EventQueue_PopPush(benchmark::State& state) {
  hold<EventQueuePopPush>(state);
}
void BM_Hold_StdPriorityQueue(benchmark::State& state) {
  hold<StdEventQueue>(state);
}

// The cost of the random increment alone, to subtract from the hold figures.
void BM_Exp1Draw(benchmark::State& state) {
  RandomEngine rng(kSeed);
  boost::random::exponential_distribution<double> exp1(1.0);
  for (auto _ : state)
    benchmark::DoNotOptimize(exp1(rng));
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(BM_Hold_EventQueue)->RangeMultiplier(10)->Range(1'000, 1'000'000);
BENCHMARK(BM_Hold_EventQueue_PopPush)->RangeMultiplier(10)->Range(1'000, 1'000'000);
BENCHMARK(BM_Hold_StdPriorityQueue)->RangeMultiplier(10)->Range(1'000, 1'000'000);
BENCHMARK(BM_Exp1Draw);

// EventQueue: events leave in (time, priority class, insertion sequence) order.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <tuple>
#include <type_traits>
#include <vector>

#include <catch2/catch.hpp>

#include "tcsim/sim/event.hpp"
#include "tcsim/sim/event_queue.hpp"

namespace sim = tcsim::sim;
using sim::EventPriority;

namespace {

std::vector<sim::Event> drain(sim::EventQueue& queue) {
  std::vector<sim::Event> out;
  while (!queue.empty()) {
    out.push_back(queue.top());
    queue.pop();
  }
  return out;
}

// What the test pushed, in the order it pushed it: the reference order is (time, class, seq).
struct Pushed {
  double time;
  EventPriority priority;
  std::uint32_t sequence;  // also pushed as the event's subject, to identify it
};

struct ReferenceOrder {
  bool operator()(const Pushed& a, const Pushed& b) const {
    return std::tuple(a.time, a.priority, a.sequence) < std::tuple(b.time, b.priority, b.sequence);
  }
};

}  // namespace

TEST_CASE("Event is a 24-byte trivially copyable record", "[event_queue]") {
  STATIC_REQUIRE(sizeof(sim::Event) == 24);
  STATIC_REQUIRE(std::is_trivially_copyable_v<sim::Event>);
}

TEST_CASE("EventQueue pops events in time order", "[event_queue]") {
  sim::EventQueue queue;
  const std::vector<double> times{5.0, 0.25, 3.0, 1e-9, 100.0, 2.5, 0.0, 7.75};
  for (std::uint32_t i = 0; i < times.size(); ++i) {
    queue.push(times[i], EventPriority::Arrival, 0, i);
  }
  REQUIRE(queue.size() == times.size());
  const std::vector<sim::Event> out = drain(queue);
  std::vector<double> expected = times;
  std::sort(expected.begin(), expected.end());
  REQUIRE(out.size() == expected.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    CHECK(out[i].time == expected[i]);
    CHECK(times[out[i].subject] == out[i].time);
  }
  CHECK(queue.empty());
}

TEST_CASE("EventQueue breaks time ties by priority class", "[event_queue]") {
  sim::EventQueue queue;
  // Pushed in the reverse of the order they must run.
  queue.push(1.0, EventPriority::Control, 3, 0);
  queue.push(1.0, EventPriority::Arrival, 2, 0);
  queue.push(1.0, EventPriority::Departure, 1, 0);
  queue.push(1.0, EventPriority::Capacity, 0, 0);
  const std::vector<sim::Event> out = drain(queue);
  REQUIRE(out.size() == 4);
  for (std::uint32_t i = 0; i < 4; ++i) {
    CHECK(out[i].kind == i);
    CHECK(out[i].priority() == static_cast<EventPriority>(i));
  }
}

TEST_CASE("EventQueue orders extreme times: zero, subnormal, tiny, huge, infinite",
          "[event_queue]") {
  const std::vector<double> ascending{0.0,
                                      5e-324,
                                      1e-300,
                                      0x1p-24,
                                      1.0,
                                      1e15,
                                      1e300,
                                      std::numeric_limits<double>::max(),
                                      std::numeric_limits<double>::infinity()};
  sim::EventQueue queue;
  for (auto i = static_cast<std::uint32_t>(ascending.size()); i-- > 0;) {
    queue.push(ascending[i], EventPriority::Control, 0, i);
    queue.push(ascending[i], EventPriority::Capacity, 1, i);
  }
  const std::vector<sim::Event> out = drain(queue);
  REQUIRE(out.size() == 2 * ascending.size());
  for (std::size_t i = 0; i < ascending.size(); ++i) {
    CHECK(out[2 * i].time == ascending[i]);
    CHECK(out[2 * i].kind == 1);  // Capacity before Control at the same time
    CHECK(out[2 * i + 1].time == ascending[i]);
    CHECK(out[2 * i + 1].kind == 0);
  }
}

TEST_CASE("EventQueue: an earlier time wins over a higher priority class", "[event_queue]") {
  sim::EventQueue queue;
  queue.push(2.0, EventPriority::Capacity, 0, 0);
  queue.push(1.0, EventPriority::Control, 1, 0);
  REQUIRE(queue.top().kind == 1);
  queue.pop();
  REQUIRE(queue.top().kind == 0);
}

TEST_CASE("EventQueue runs same-time same-class events in insertion order", "[event_queue]") {
  sim::EventQueue queue;
  for (std::uint32_t i = 0; i < 100; ++i)
    queue.push(4.0, EventPriority::Departure, 0, i);
  const std::vector<sim::Event> out = drain(queue);
  REQUIRE(out.size() == 100);
  for (std::uint32_t i = 0; i < 100; ++i)
    CHECK(out[i].subject == i);
}

TEST_CASE("EventQueue keeps kind and subject and reports the class", "[event_queue]") {
  sim::EventQueue queue;
  queue.push(0.5, EventPriority::Arrival, 77, 123456u);
  REQUIRE(queue.top().time == 0.5);
  REQUIRE(queue.top().kind == 77);
  REQUIRE(queue.top().subject == 123456u);
  REQUIRE(queue.top().priority() == EventPriority::Arrival);
}

TEST_CASE("EventQueue matches an ordered reference under random push and pop", "[event_queue]") {
  std::mt19937_64 rng(12345);
  // Few distinct times, so ties (broken by class, then sequence) are frequent.
  std::uniform_int_distribution<int> time_slot(0, 40);
  std::uniform_int_distribution<int> priority(0, 3);
  std::uniform_int_distribution<int> action(0, 9);

  sim::EventQueue queue;
  std::set<Pushed, ReferenceOrder> reference;  // ordered by (time, class, sequence)
  std::uint32_t sequence = 0;
  std::size_t popped = 0;
  for (int step = 0; step < 20000; ++step) {
    // Grow the queue for a while, then shrink it, then mix: exercises deep and shallow heaps.
    const int push_weight = step < 5000 ? 8 : (step < 10000 ? 2 : 5);
    if (reference.empty() || action(rng) < push_weight) {
      const Pushed p{time_slot(rng) * 0.125, static_cast<EventPriority>(priority(rng)), sequence};
      queue.push(p.time, p.priority, 0, sequence);
      reference.insert(p);
      ++sequence;
    } else {
      const Pushed expected = *reference.begin();
      reference.erase(reference.begin());
      REQUIRE(!queue.empty());
      const sim::Event got = queue.top();
      queue.pop();
      REQUIRE(got.time == expected.time);
      REQUIRE(got.priority() == expected.priority);
      REQUIRE(got.subject == expected.sequence);
      ++popped;
    }
    REQUIRE(queue.size() == reference.size());
  }
  // Drain the rest against the reference.
  const std::vector<sim::Event> rest = drain(queue);
  REQUIRE(rest.size() == reference.size());
  auto expected = reference.begin();
  for (const sim::Event& e : rest)
    REQUIRE(e.subject == (expected++)->sequence);
  CHECK(popped > 5000);
}

TEST_CASE("EventQueue::take then push (a hold) matches an ordered reference", "[event_queue]") {
  std::mt19937_64 rng(4242);
  std::uniform_int_distribution<int> time_slot(0, 40);
  std::uniform_int_distribution<int> priority(0, 3);
  std::uniform_int_distribution<int> coin(0, 1);

  sim::EventQueue queue;
  std::set<Pushed, ReferenceOrder> reference;
  std::uint32_t sequence = 0;
  double clock = 0.0;
  const auto push_one = [&] {
    // Never earlier than the event being handled, as in a simulation.
    const Pushed p{clock + time_slot(rng) * 0.125, static_cast<EventPriority>(priority(rng)),
                   sequence};
    queue.push(p.time, p.priority, 0, sequence);
    reference.insert(p);
    ++sequence;
  };
  for (int i = 0; i < 200; ++i)
    push_one();
  for (int step = 0; step < 20000 && !reference.empty(); ++step) {
    const Pushed expected = *reference.begin();
    reference.erase(reference.begin());
    const sim::Event got = queue.take();
    REQUIRE(got.subject == expected.sequence);
    REQUIRE(got.time == expected.time);
    clock = got.time;
    // While handling it: no push (the removal completes lazily), one push (it replaces the
    // root in one sift) or two (the second is an ordinary push).
    const int pushes = coin(rng) + coin(rng);
    for (int k = 0; k < pushes; ++k)
      push_one();
    REQUIRE(queue.size() == reference.size());
  }
  const std::vector<sim::Event> rest = drain(queue);
  REQUIRE(rest.size() == reference.size());
  auto expected = reference.begin();
  for (const sim::Event& e : rest)
    REQUIRE(e.subject == (expected++)->sequence);
}

TEST_CASE("EventQueue agrees with std::stable_sort on a random batch", "[event_queue]") {
  std::mt19937_64 rng(777);
  std::uniform_real_distribution<double> time(0.0, 10.0);
  std::uniform_int_distribution<int> coarse(0, 1);
  std::uniform_int_distribution<int> priority(0, 3);
  sim::EventQueue queue;
  std::vector<Pushed> pushed;
  for (std::uint32_t i = 0; i < 5000; ++i) {
    // Half the times are rounded to whole days, so many collide.
    double t = time(rng);
    if (coarse(rng) == 1) t = static_cast<double>(static_cast<int>(t));
    const auto p = static_cast<EventPriority>(priority(rng));
    queue.push(t, p, 0, i);
    pushed.push_back(Pushed{t, p, i});
  }
  // A stable sort by (time, class) keeps insertion order among equals: the documented order.
  std::stable_sort(pushed.begin(), pushed.end(), [](const Pushed& a, const Pushed& b) {
    return std::tuple(a.time, a.priority) < std::tuple(b.time, b.priority);
  });
  const std::vector<sim::Event> out = drain(queue);
  REQUIRE(out.size() == pushed.size());
  for (std::size_t i = 0; i < out.size(); ++i)
    REQUIRE(out[i].subject == pushed[i].sequence);
}

TEST_CASE("EventQueue::clear empties the queue and restarts the sequence", "[event_queue]") {
  sim::EventQueue queue;
  for (std::uint32_t i = 0; i < 10; ++i)
    queue.push(1.0, EventPriority::Arrival, 0, i);
  queue.clear();
  REQUIRE(queue.empty());
  REQUIRE(queue.size() == 0);
  queue.push(3.0, EventPriority::Arrival, 0, 1);
  queue.push(3.0, EventPriority::Arrival, 0, 2);
  constexpr std::uint64_t kSequenceMask = (std::uint64_t{1} << sim::Event::kSequenceBits) - 1;
  REQUIRE((queue.top().order & kSequenceMask) == 0);
  REQUIRE(queue.top().subject == 1);
}

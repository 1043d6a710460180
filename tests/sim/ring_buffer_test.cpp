// RingBuffer: first in, first out, across growth and wrap-around.

#include <deque>
#include <random>

#include <catch2/catch.hpp>

#include "tcsim/sim/ring_buffer.hpp"

namespace sim = tcsim::sim;

TEST_CASE("RingBuffer is first in, first out", "[ring_buffer]") {
  sim::RingBuffer<int> ring;
  REQUIRE(ring.empty());
  for (int i = 0; i < 5; ++i)
    ring.push_back(i);
  REQUIRE(ring.size() == 5);
  for (int i = 0; i < 5; ++i) {
    REQUIRE(ring.front() == i);
    ring.pop_front();
  }
  REQUIRE(ring.empty());
}

TEST_CASE("RingBuffer keeps order when it grows with its head wrapped around", "[ring_buffer]") {
  sim::RingBuffer<int> ring;
  int next_in = 0;
  int next_out = 0;
  // Fill the first 16 slots, pop some so the head moves, then push past the end: the live
  // elements wrap around the end of the storage when it has to grow.
  for (; next_in < 16; ++next_in)
    ring.push_back(next_in);
  for (; next_out < 11; ++next_out) {
    REQUIRE(ring.front() == next_out);
    ring.pop_front();
  }
  for (; next_in < 200; ++next_in)
    ring.push_back(next_in);  // several doublings
  REQUIRE(ring.size() == static_cast<std::size_t>(next_in - next_out));
  for (; next_out < next_in; ++next_out) {
    REQUIRE(ring.front() == next_out);
    ring.pop_front();
  }
  REQUIRE(ring.empty());
}

TEST_CASE("RingBuffer matches std::deque under random push and pop", "[ring_buffer]") {
  std::mt19937_64 rng(99);
  std::uniform_int_distribution<int> action(0, 99);
  sim::RingBuffer<long> ring;
  std::deque<long> reference;
  long value = 0;
  for (int step = 0; step < 100000; ++step) {
    const int push_percent = (step / 10000) % 2 == 0 ? 60 : 40;
    if (reference.empty() || action(rng) < push_percent) {
      ring.push_back(value);
      reference.push_back(value);
      ++value;
    } else {
      REQUIRE(ring.front() == reference.front());
      ring.pop_front();
      reference.pop_front();
    }
    REQUIRE(ring.size() == reference.size());
  }
}

TEST_CASE("RingBuffer::clear empties it for reuse", "[ring_buffer]") {
  sim::RingBuffer<int> ring;
  for (int i = 0; i < 40; ++i)
    ring.push_back(i);
  ring.pop_front();
  ring.clear();
  REQUIRE(ring.empty());
  ring.push_back(7);
  ring.push_back(8);
  REQUIRE(ring.front() == 7);
  ring.pop_front();
  REQUIRE(ring.front() == 8);
}

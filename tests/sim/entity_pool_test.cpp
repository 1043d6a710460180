// EntityPool: freed slots are reused, records come back value-initialised, and the number of
// slots ever allocated is the peak number of live entities.

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include <catch2/catch.hpp>

#include "tcsim/sim/entity_pool.hpp"

namespace sim = tcsim::sim;

namespace {

struct Record {
  double value = 0.0;
  std::int32_t tag = -7;
};

}  // namespace

TEST_CASE("EntityPool hands out fresh slots and reuses freed ones", "[entity_pool]") {
  sim::EntityPool<Record> pool;
  REQUIRE(pool.live() == 0);
  REQUIRE(pool.capacity() == 0);

  const sim::EntityId a = pool.acquire();
  const sim::EntityId b = pool.acquire();
  const sim::EntityId c = pool.acquire();
  REQUIRE(a == 0);
  REQUIRE(b == 1);
  REQUIRE(c == 2);
  REQUIRE(pool.live() == 3);
  REQUIRE(pool.capacity() == 3);

  pool[b].value = 42.0;
  pool[b].tag = 9;
  pool.release(b);
  REQUIRE(pool.live() == 2);
  REQUIRE(pool.capacity() == 3);

  const sim::EntityId d = pool.acquire();
  REQUIRE(d == b);                // the freed slot, not a new one
  REQUIRE(pool.capacity() == 3);  // no growth
  REQUIRE(pool[d].value == 0.0);  // value-initialised again
  REQUIRE(pool[d].tag == -7);
  REQUIRE(pool.live() == 3);
}

TEST_CASE("EntityPool reuses the most recently freed slot first", "[entity_pool]") {
  sim::EntityPool<Record> pool;
  for (int i = 0; i < 5; ++i)
    static_cast<void>(pool.acquire());
  pool.release(1);
  pool.release(3);
  REQUIRE(pool.acquire() == 3);
  REQUIRE(pool.acquire() == 1);
  REQUIRE(pool.acquire() == 5);
  REQUIRE(pool.capacity() == 6);
}

TEST_CASE("EntityPool capacity equals the peak of live entities", "[entity_pool]") {
  std::mt19937_64 rng(2024);
  sim::EntityPool<Record> pool;
  std::vector<sim::EntityId> live;
  std::size_t peak = 0;
  for (int step = 0; step < 50000; ++step) {
    // A slow random walk in the live count, so the peak is reached and left several times.
    const double push_probability = (step / 5000) % 2 == 0 ? 0.6 : 0.4;
    if (live.empty() || std::uniform_real_distribution<double>(0.0, 1.0)(rng) < push_probability) {
      const sim::EntityId id = pool.acquire();
      REQUIRE(std::find(live.begin(), live.end(), id) == live.end());  // never handed out twice
      REQUIRE(id < pool.capacity());
      pool[id].value = static_cast<double>(step);
      live.push_back(id);
    } else {
      const std::size_t pick = std::uniform_int_distribution<std::size_t>(0, live.size() - 1)(rng);
      pool.release(live[pick]);
      live[pick] = live.back();
      live.pop_back();
    }
    peak = std::max(peak, live.size());
    REQUIRE(pool.live() == live.size());
    REQUIRE(pool.capacity() == peak);
  }
  CHECK(peak > 100);
}

TEST_CASE("EntityPool::clear forgets every slot", "[entity_pool]") {
  sim::EntityPool<Record> pool;
  for (int i = 0; i < 4; ++i)
    static_cast<void>(pool.acquire());
  pool.release(2);
  pool.clear();
  REQUIRE(pool.live() == 0);
  REQUIRE(pool.capacity() == 0);
  REQUIRE(pool.acquire() == 0);
}

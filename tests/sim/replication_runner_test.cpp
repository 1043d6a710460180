// run_replications: results in order of the replication index, for any number of threads.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "tcsim/sim/replication_runner.hpp"

namespace sim = tcsim::sim;

TEST_CASE("run_replications returns result k in slot k for any thread count",
          "[replication_runner]") {
  const unsigned threads = GENERATE(0u, 1u, 2u, 3u, 8u);
  std::atomic<int> calls{0};
  const std::vector<std::size_t> results = sim::run_replications(37, threads, [&](std::size_t k) {
    ++calls;
    return k * k;
  });
  REQUIRE(results.size() == 37);
  CHECK(calls == 37);
  for (std::size_t k = 0; k < results.size(); ++k)
    CHECK(results[k] == k * k);
}

TEST_CASE("run_replications with no replications returns nothing", "[replication_runner]") {
  const auto results = sim::run_replications(0, 4, [](std::size_t k) { return k; });
  CHECK(results.empty());
}

TEST_CASE("run_replications uses several threads when asked", "[replication_runner]") {
  std::mutex mutex;
  std::set<std::thread::id> ids;
  std::atomic<int> running{0};
  std::atomic<int> overlap{0};
  static_cast<void>(sim::run_replications(8, 2, [&](std::size_t k) {
    if (++running > 1) ++overlap;
    {
      const std::lock_guard lock(mutex);
      ids.insert(std::this_thread::get_id());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    --running;
    return k;
  }));
  CHECK(ids.size() == 2);
  CHECK(overlap > 0);
}

TEST_CASE("run_replications rethrows a replication's exception", "[replication_runner]") {
  const unsigned threads = GENERATE(1u, 2u);
  CHECK_THROWS_AS(sim::run_replications(20, threads,
                                        [](std::size_t k) {
                                          if (k == 13) throw std::runtime_error("replication 13");
                                          return k;
                                        }),
                  std::runtime_error);
}

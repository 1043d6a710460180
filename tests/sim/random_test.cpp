// Random streams: a seed per (master seed, replication, purpose), stable across runs.

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tcsim/sim/random.hpp"

namespace sim = tcsim::sim;

TEST_CASE("hash_name and mix64 match their reference algorithms", "[random]") {
  // FNV-1a 64 test vectors.
  STATIC_REQUIRE(sim::hash_name("") == 0xcbf29ce484222325ULL);
  STATIC_REQUIRE(sim::hash_name("a") == 0xaf63dc4c8601ec8cULL);
  STATIC_REQUIRE(sim::hash_name("foobar") == 0x85944171f73967e8ULL);
  // SplitMix64: the first outputs from states 0 and 1.
  STATIC_REQUIRE(sim::mix64(0) == 0xe220a8397b1dcdafULL);
  STATIC_REQUIRE(sim::mix64(1) == 0x910a2dec89025cc1ULL);
}

TEST_CASE("The same inputs give the same stream", "[random]") {
  STATIC_REQUIRE(sim::stream_seed(42, 3, "arrivals/a") == sim::stream_seed(42, 3, "arrivals/a"));
  sim::RandomEngine a = sim::make_stream(42, 3, "duration/ward");
  sim::RandomEngine b = sim::make_stream(42, 3, std::string("duration/") + "ward");
  for (int i = 0; i < 1000; ++i)
    REQUIRE(a() == b());
}

TEST_CASE("Streams differ by replication", "[random]") {
  std::set<std::uint64_t> seeds;
  std::set<std::uint64_t> first_draws;
  for (std::uint64_t k = 0; k < 10000; ++k) {
    seeds.insert(sim::stream_seed(7, k, "arrivals/a"));
    sim::RandomEngine engine = sim::make_stream(7, k, "arrivals/a");
    first_draws.insert(engine());
  }
  CHECK(seeds.size() == 10000);
  CHECK(first_draws.size() == 10000);
}

TEST_CASE("Streams differ by purpose and by master seed", "[random]") {
  const std::vector<std::string> purposes{"arrivals/a",  "arrivals/b", "duration/a",
                                          "duration/b",  "routing/a",  "delay/a",
                                          "arrivals/a ", "Arrivals/a", ""};
  std::set<std::uint64_t> seeds;
  for (const std::string& p : purposes)
    seeds.insert(sim::stream_seed(7, 0, p));
  CHECK(seeds.size() == purposes.size());

  std::set<std::uint64_t> by_master;
  for (std::uint64_t master = 0; master < 1000; ++master) {
    by_master.insert(sim::stream_seed(master, 0, "arrivals/a"));
  }
  CHECK(by_master.size() == 1000);
  // Replication and master seed are not interchangeable.
  CHECK(sim::stream_seed(1, 2, "x") != sim::stream_seed(2, 1, "x"));
}

TEST_CASE("Neighbouring streams are not correlated", "[random]") {
  // The top bits of streams k and k+1 agree about half the time (binomial, 64 x 2000 bits).
  std::uint64_t agreeing = 0;
  std::uint64_t total = 0;
  for (std::uint64_t k = 0; k < 2000; ++k) {
    sim::RandomEngine a = sim::make_stream(11, k, "duration/x");
    sim::RandomEngine b = sim::make_stream(11, k + 1, "duration/x");
    for (int i = 0; i < 64; ++i) {
      agreeing += (a() >> 63) == (b() >> 63) ? 1 : 0;
      ++total;
    }
  }
  const double share = static_cast<double>(agreeing) / static_cast<double>(total);
  INFO("share of agreeing top bits " << share);
  CHECK(std::abs(share - 0.5) <= 4.5 * std::sqrt(0.25 / static_cast<double>(total)));
}

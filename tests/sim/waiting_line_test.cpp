// WaitingLine: FIFO lines ignore priorities; priority lines serve the lowest value first and
// keep arrival order among equal priorities.

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

#include "tcsim/sim/waiting_line.hpp"

namespace sim = tcsim::sim;
using sim::QueueDiscipline;

namespace {

std::vector<sim::EntityId> drain(sim::WaitingLine& line) {
  std::vector<sim::EntityId> out;
  while (!line.empty()) {
    out.push_back(line.front());
    line.pop();
  }
  return out;
}

}  // namespace

TEST_CASE("A FIFO waiting line serves in arrival order whatever the priorities", "[waiting_line]") {
  sim::WaitingLine line;  // FIFO by default
  REQUIRE(line.discipline() == QueueDiscipline::Fifo);
  const std::vector<std::int32_t> priorities{5, -3, 0, 9, -3, 1};
  for (sim::EntityId id = 0; id < priorities.size(); ++id)
    line.push(id, priorities[id]);
  REQUIRE(line.size() == priorities.size());
  REQUIRE(drain(line) == std::vector<sim::EntityId>{0, 1, 2, 3, 4, 5});
}

TEST_CASE("A priority waiting line serves lower values first, FIFO among equals",
          "[waiting_line]") {
  sim::WaitingLine line(QueueDiscipline::Priority);
  REQUIRE(line.discipline() == QueueDiscipline::Priority);
  // id:        0  1  2   3  4  5  6  7
  line.push(0, 2);
  line.push(1, 1);
  line.push(2, 2);
  line.push(3, -1);
  line.push(4, 1);
  line.push(5, 2);
  line.push(6, -1);
  line.push(7, 1);
  REQUIRE(drain(line) == std::vector<sim::EntityId>{3, 6, 1, 4, 7, 0, 2, 5});
}

TEST_CASE("A priority waiting line with one priority is FIFO", "[waiting_line]") {
  sim::WaitingLine line(QueueDiscipline::Priority);
  std::vector<sim::EntityId> expected;
  for (sim::EntityId id = 0; id < 1000; ++id) {
    line.push(id, 4);
    expected.push_back(id);
  }
  REQUIRE(drain(line) == expected);
}

TEST_CASE("A priority waiting line matches a (priority, arrival) reference under random use",
          "[waiting_line]") {
  std::mt19937_64 rng(31337);
  std::uniform_int_distribution<std::int32_t> priority(0, 4);  // few levels: many ties
  std::uniform_int_distribution<int> action(0, 99);
  sim::WaitingLine line(QueueDiscipline::Priority);
  std::map<std::tuple<std::int32_t, std::uint64_t>, sim::EntityId> reference;
  std::uint64_t arrival = 0;
  sim::EntityId next_id = 0;
  for (int step = 0; step < 50000; ++step) {
    const int push_percent = (step / 5000) % 2 == 0 ? 65 : 35;
    if (reference.empty() || action(rng) < push_percent) {
      const std::int32_t p = priority(rng);
      line.push(next_id, p);
      reference.emplace(std::tuple(p, arrival++), next_id);
      ++next_id;
    } else {
      REQUIRE(line.front() == reference.begin()->second);
      line.pop();
      reference.erase(reference.begin());
    }
    REQUIRE(line.size() == reference.size());
  }
}

TEST_CASE("WaitingLine::clear empties both kinds of line", "[waiting_line]") {
  for (const QueueDiscipline d : {QueueDiscipline::Fifo, QueueDiscipline::Priority}) {
    sim::WaitingLine line(d);
    for (sim::EntityId id = 0; id < 20; ++id)
      line.push(id, static_cast<std::int32_t>(id % 3));
    line.clear();
    REQUIRE(line.empty());
    line.push(100, 1);
    line.push(101, 1);
    REQUIRE(line.front() == 100);
  }
}

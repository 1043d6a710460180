// collect_metrics: one replication's named metrics, on a run small enough to work out by hand.

#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/network/network_builder.hpp"
#include "tcsim/models/run/metrics.hpp"
#include "tcsim/sim/network_simulation.hpp"

namespace tcsim::models {
namespace {

// Three patients at day 0 on a ward of two beds - two in bed, one waiting - each staying exactly
// 5 days, then to a home team (unlimited) for exactly 2 days. Arrivals are so rare (one in 10^9
// days) that none comes in the 20 days measured.
const std::string kWard = R"(name: by hand
run: {horizon: 20, seed: 3}
settings:
  ward: {kind: beds, service: acute_beds, capacity: 2}
  home: {kind: caseload, service: district_nursing, capacity: unlimited}
cohorts:
  frail:
    arrivals: {rate_per_day: 1.0e-9}
    pathway:
      steps:
        stay:
          setting: ward
          duration: {distribution: deterministic, value: 5}
          initial: {in_place: 2, waiting: 1}
          next: visit
        visit: {setting: home, duration: {distribution: deterministic, value: 2}, next: exit}
)";

std::map<std::string, MetricValue> metrics_by_key() {
  const Scenario s = parse_scenario(kWard, "ward.yaml");
  const BuiltNetwork built = build_network(s);
  const sim::NetworkResult r = sim::simulate(built.spec, s.run.seed, 0);
  std::map<std::string, MetricValue> out;
  for (const MetricValue& m : collect_metrics(r, built.spec)) {
    INFO(m.scope << "." << m.name);
    CHECK(out.count(m.scope + "." + m.name) == 0);  // every key once
    out[m.scope + "." + m.name] = m;
  }
  return out;
}

}  // namespace

TEST_CASE("a replication's metrics, worked out by hand", "[metrics]") {
  const auto m = metrics_by_key();
  const auto value = [&m](const std::string& key) {
    INFO(key);
    REQUIRE(m.count(key) == 1);
    return m.at(key).value;
  };
  // Ward: both beds over [0, 5); the waiting patient takes one at day 5 and leaves at day 10:
  // 2 x 5 + 1 x 5 = 15 bed-days over 20 days, full for the first 5.
  CHECK(value("ward.mean_occupancy") == Approx(15.0 / 20.0));
  CHECK(value("ward.max_occupancy") == 2.0);
  CHECK(value("ward.time_full") == Approx(5.0 / 20.0));
  CHECK(value("ward.mean_stay") == Approx(5.0));
  CHECK(value("ward.occupancy_at_end") == 0.0);
  // Home: 2 patients over [5, 7), 1 over [10, 12): 6 patient-days / 20.
  CHECK(value("home.mean_occupancy") == Approx(6.0 / 20.0));
  CHECK(value("home.mean_stay") == Approx(2.0));
  CHECK(value("frail.arrivals") == 0.0);
  CHECK(value("frail.completions") == 3.0);
  CHECK(value("system.completions") == 3.0);
  CHECK(value("system.in_system_at_end") == 0.0);
  CHECK(value("system.max_in_system") == 3.0);
  CHECK(value("system.measured_days") == Approx(20.0));
  CHECK(value("system.events") > 0.0);
  // Nobody was held up: the home team is unlimited.
  CHECK(value("ward.delayed_days") == 0.0);
}

TEST_CASE("metrics come in a fixed order with their units", "[metrics]") {
  const Scenario s = parse_scenario(kWard, "ward.yaml");
  const BuiltNetwork built = build_network(s);
  const sim::NetworkResult r = sim::simulate(built.spec, s.run.seed, 0);
  const std::vector<MetricValue> all = collect_metrics(r, built.spec);
  REQUIRE(!all.empty());
  // Settings first (in order), then cohorts, then the system.
  CHECK(all.front().scope == "ward");
  CHECK(all.back().scope == "system");
  CHECK(all.back().name == "events");
  bool seen_home = false;
  for (const MetricValue& v : all) {
    CHECK_FALSE(v.unit.empty());
    if (v.scope == "home") seen_home = true;
    if (v.scope == "ward") CHECK_FALSE(seen_home);
  }
  // A delay metric per setting a patient can move to from this one: ward -> home only.
  std::size_t delay_for = 0;
  for (const MetricValue& v : all)
    delay_for += v.name.rfind("delayed_days_for_", 0) == 0 ? 1 : 0;
  CHECK(delay_for == 1);
}

}  // namespace tcsim::models

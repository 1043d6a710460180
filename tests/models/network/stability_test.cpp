// The stability check: traffic equations against hand-worked loads.

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/network/stability.hpp"

using tcsim::models::analyse_stability;
using tcsim::models::parse_scenario;

TEST_CASE("offered loads of model B are rate x share x mean stay", "[stability]") {
  const auto s =
      tcsim::models::load_scenario(TCSIM_SOURCE_DIR "/configs/reference/acute_community.yaml");
  const auto r = analyse_stability(s);
  REQUIRE(r.settings.size() == 3);
  CHECK(r.settings[0].offered_load == Approx(40 * 6));
  CHECK(r.settings[1].offered_load == Approx(40 * 0.25 * 21));
  CHECK(r.settings[2].offered_load == Approx(40 * 0.15 * 14));
  CHECK(r.stable());
}

TEST_CASE("feedback raises visits to 1 / (1 - p) per arrival", "[stability]") {
  // Each review sends 40% back to the ward: visits = 2 / 0.6 per day at the ward.
  const std::string text = R"(name: feedback
run: {horizon: 10}
settings:
  ward: {kind: beds, capacity: 20}
  clinic: {kind: caseload, capacity: unlimited}
cohorts:
  p:
    arrivals: {rate_per_day: 2}
    pathway:
      steps:
        stay: {setting: ward, duration: {distribution: deterministic, value: 3}, next: review}
        review:
          setting: clinic
          duration: {distribution: deterministic, value: 1}
          next: [{to: stay, probability: 0.4}, {to: exit, probability: 0.6}]
)";
  const auto r = analyse_stability(parse_scenario(text, "f.yaml"));
  CHECK(r.settings[0].offered_load == Approx(2.0 / 0.6 * 3.0));
  CHECK(std::isinf(r.settings[1].capacity));
  CHECK(r.stable());
}

TEST_CASE("overload is unstable unless a queue limit turns the excess away", "[stability]") {
  const std::string base = R"(name: overload
run: {horizon: 10}
settings:
  ward: {kind: beds, capacity: 4QUEUE}
cohorts:
  p:
    arrivals: {rate_per_day: 3}
    pathway:
      steps:
        stay: {setting: ward, duration: {distribution: exponential, mean: 1.5}, next: exit}
)";
  auto with = [&](const std::string& queue) {
    std::string t = base;
    t.replace(t.find("QUEUE"), 5, queue);
    return analyse_stability(parse_scenario(t, "o.yaml"));
  };
  const auto open = with("");
  CHECK_FALSE(open.stable());
  CHECK(open.unstable_settings().find("ward (offered load 4.5 places, capacity 4)") !=
        std::string::npos);
  CHECK(with(", queue: {limit: 0}").stable());
}

TEST_CASE("require_stable refuses an unstable report, naming the settings", "[stability]") {
  const std::string text = R"(name: overload
run: {horizon: 10}
settings:
  ward: {kind: beds, capacity: 4}
  clinic: {kind: beds, capacity: 100}
cohorts:
  p:
    arrivals: {rate_per_day: 3}
    pathway:
      steps:
        stay: {setting: ward, duration: {distribution: exponential, mean: 1.5}, next: visit}
        visit: {setting: clinic, duration: {distribution: exponential, mean: 1}, next: exit}
)";
  const auto report = analyse_stability(parse_scenario(text, "o.yaml"));
  REQUIRE_FALSE(report.stable());
  using tcsim::models::require_stable;
  using tcsim::models::UnstableScenario;
  const std::string settings = report.unstable_settings();
  CHECK(settings.find("clinic") == std::string::npos);
  REQUIRE_THROWS_MATCHES(require_stable(report), UnstableScenario,
                         Catch::Message("unstable: offered load reaches capacity at " + settings));
  REQUIRE_THROWS_MATCHES(require_stable(report, "model m", "raise capacity"), UnstableScenario,
                         Catch::Message("model m: unstable: offered load reaches capacity at " +
                                        settings + ". raise capacity"));
  const auto stable = analyse_stability(
      tcsim::models::load_scenario(TCSIM_SOURCE_DIR "/configs/reference/acute_community.yaml"));
  CHECK_NOTHROW(require_stable(stable, "model m", "raise capacity"));
}

TEST_CASE("patient_limit_stop rewords only the entity-limit stop", "[stability]") {
  using Stop = tcsim::sim::SimulationStopped;
  auto scenario =
      tcsim::models::load_scenario(TCSIM_SOURCE_DIR "/configs/reference/acute_community.yaml");
  scenario.run.max_patients = 1234;
  const Stop limit = tcsim::models::patient_limit_stop(
      scenario, Stop(Stop::Reason::EntityLimit, 12.25, "entity limit"));
  CHECK(limit.reason() == Stop::Reason::EntityLimit);
  CHECK(limit.at() == 12.25);
  const std::string what = limit.what();
  CHECK(what.find("more than 1234 patients in the system at once at day 12.25") == 0);
  CHECK(what.find("run.max_patients") != std::string::npos);
  const Stop deadlock = tcsim::models::patient_limit_stop(
      scenario, Stop(Stop::Reason::Deadlock, 3.0, "deadlock at day 3"));
  CHECK(deadlock.reason() == Stop::Reason::Deadlock);
  CHECK(std::string(deadlock.what()) == "deadlock at day 3");
}

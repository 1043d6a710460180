// The scenario loader: what a valid file becomes, and what each kind of bad input says.
// Error messages are part of the contract (file, line, dotted key, what was expected).

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/network/network_builder.hpp"
#include "tcsim/models/scenario/config_error.hpp"

using Catch::Matchers::Contains;
using tcsim::models::ConfigError;
using tcsim::models::parse_scenario;

namespace {

// A two-setting pathway with blocking: acute -> community (60%) or home.
const std::string kValid = R"(name: tiny
run:
  horizon: 100
  warmup: 10
  replications: 3
  seed: 7
settings:
  acute:
    kind: beds
    service: acute_beds
    capacity: 20
    source: made up for a test
  community:
    kind: caseload
    service: district_nursing
    capacity:
      schedule:
        - {from: 0, capacity: 5}
        - {from: 5, capacity: 0}
      repeat_every: 7
cohorts:
  frail:
    arrivals:
      rate_per_day: 2
      assumption: a round number
    pathway:
      steps:
        admit:
          setting: acute
          duration: {distribution: lognormal, mean: 5, sd: 3}
          next:
            - {to: visit, probability: 0.6}
            - {to: exit, probability: 0.4}
        visit:
          setting: community
          duration: {distribution: gamma, shape: 2, scale: 7}
          next: exit
)";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a valid scenario loads into plain values", "[scenario]") {
  const auto s = parse_scenario(kValid, "tiny.yaml");
  CHECK(s.name == "tiny");
  CHECK(s.run.horizon == 100.0);
  CHECK(s.run.warmup == 10.0);
  CHECK(s.run.replications == 3);
  CHECK(s.run.seed == 7);
  REQUIRE(s.settings.size() == 2);
  CHECK(s.settings[0].capacity == 20);
  CHECK(s.settings[1].capacity == 5);
  CHECK(s.settings[1].schedule_period == 7.0);
  REQUIRE(s.cohorts.size() == 1);
  CHECK(s.cohorts[0].start == "admit");
  REQUIRE(s.cohorts[0].steps.size() == 2);
  CHECK(s.cohorts[0].steps[0].duration.mean() == Approx(5.0));
  CHECK(s.cohorts[0].steps[0].next.size() == 2);
  CHECK(s.provenance.size() == 2);
}

TEST_CASE("the network built from a scenario mirrors it", "[scenario]") {
  const auto spec = tcsim::models::build_network(parse_scenario(kValid, "tiny.yaml")).spec;
  REQUIRE(spec.stations.size() == 2);
  REQUIRE(spec.steps.size() == 2);
  CHECK(spec.steps[0].name == "frail.admit");
  CHECK(spec.steps[0].routes[0].to == 1);
  CHECK(spec.steps[0].routes[1].to == tcsim::sim::kExit);
  CHECK(spec.arrivals[0].first_step == 0);
  CHECK(spec.warmup == 10.0);
}

TEST_CASE("an unknown key is an error with a suggestion", "[scenario][errors]") {
  const auto bad = replace(kValid, "    capacity: 20", "    capactiy: 20");
  REQUIRE_THROWS_WITH(parse_scenario(bad, "tiny.yaml"), Contains("tiny.yaml:11:5") &&
                                                            Contains("settings.acute.capactiy") &&
                                                            Contains("did you mean 'capacity'"));
}

TEST_CASE("probabilities must sum to one", "[scenario][errors]") {
  const auto bad = replace(kValid, "{to: exit, probability: 0.4}", "{to: exit, probability: 0.3}");
  REQUIRE_THROWS_WITH(parse_scenario(bad, "tiny.yaml"),
                      Contains("cohorts.frail.pathway.steps.admit.next") && Contains("sum to 1") &&
                          Contains("0.9"));
}

TEST_CASE("capacities and rates must be positive", "[scenario][errors]") {
  REQUIRE_THROWS_WITH(parse_scenario(replace(kValid, "capacity: 20", "capacity: 0"), "t.yaml"),
                      Contains("settings.acute.capacity") && Contains("> 0"));
  REQUIRE_THROWS_WITH(
      parse_scenario(replace(kValid, "rate_per_day: 2", "rate_per_day: -1"), "t.yaml"),
      Contains("cohorts.frail.arrivals.rate_per_day") && Contains("> 0"));
  REQUIRE_THROWS_WITH(
      parse_scenario(replace(kValid, "rate_per_day: 2", "rate_per_day: lots"), "t.yaml"),
      Contains("expected arrivals per day") && Contains("'lots'"));
}

TEST_CASE("a zero capacity is allowed inside a schedule", "[scenario]") {
  const auto s = parse_scenario(kValid, "tiny.yaml");
  bool has_zero = false;
  for (const auto& change : s.settings[1].schedule)
    has_zero = has_zero || change.capacity == 0;
  CHECK(has_zero);
}

TEST_CASE("references to settings and steps are checked", "[scenario][errors]") {
  REQUIRE_THROWS_WITH(
      parse_scenario(replace(kValid, "setting: acute", "setting: acut"), "t.yaml"),
      Contains("t.yaml:29") && Contains("no setting 'acut'") && Contains("did you mean 'acute'"));
  REQUIRE_THROWS_WITH(parse_scenario(replace(kValid, "{to: visit,", "{to: vist,"), "t.yaml"),
                      Contains("no step 'vist'") && Contains("did you mean 'visit'"));
}

TEST_CASE("distribution parameters are checked where they are written", "[scenario][errors]") {
  REQUIRE_THROWS_WITH(parse_scenario(replace(kValid, "{distribution: gamma, shape: 2, scale: 7}",
                                             "{distribution: gama, shape: 2, scale: 7}"),
                                     "t.yaml"),
                      Contains("unknown distribution 'gama'") && Contains("gamma"));
  REQUIRE_THROWS_WITH(
      parse_scenario(replace(kValid, "mean: 5, sd: 3", "mean: 5, sd: -3"), "t.yaml"),
      Contains("cohorts.frail.pathway.steps.admit.duration") && Contains("sd must be > 0"));
}

TEST_CASE("warm-up must end before the horizon", "[scenario][errors]") {
  REQUIRE_THROWS_WITH(parse_scenario(replace(kValid, "warmup: 10", "warmup: 100"), "t.yaml"),
                      Contains("run.warmup") && Contains("before the horizon"));
}

TEST_CASE("an unlimited horizon needs every cohort to stop arriving", "[scenario][errors]") {
  REQUIRE_THROWS_WITH(
      parse_scenario(replace(kValid, "horizon: 100", "horizon: unlimited"), "t.yaml"),
      Contains("cohorts.frail.arrivals") && Contains("max_arrivals"));
}

TEST_CASE("YAML syntax errors carry the line", "[scenario][errors]") {
  REQUIRE_THROWS_WITH(parse_scenario("name: x\nsettings: [a, b\n", "broken.yaml"),
                      Contains("broken.yaml:") && Contains("YAML syntax error"));
}

TEST_CASE("a missing file is a clear error", "[scenario][errors]") {
  REQUIRE_THROWS_AS(tcsim::models::load_scenario("/nonexistent/tcsim/none.yaml"), ConfigError);
  REQUIRE_THROWS_WITH(tcsim::models::load_scenario("/nonexistent/tcsim/none.yaml"),
                      Contains("none.yaml") && Contains("cannot open"));
}

TEST_CASE("a repeated key is an error", "[scenario][errors]") {
  const auto bad = replace(kValid, "    capacity: 20\n", "    capacity: 20\n    capacity: 30\n");
  REQUIRE_THROWS_WITH(parse_scenario(bad, "t.yaml"), Contains("appears twice"));
}

TEST_CASE("an empirical distribution reads its file relative to the YAML", "[scenario]") {
  const auto here = std::filesystem::path(__FILE__).parent_path().parent_path();  // tests/models
  const auto s = tcsim::models::load_scenario((here / "data" / "empirical_file.yaml").string());
  // (1 + 2 + 2 * 4) / 4
  CHECK(s.cohorts[0].steps[0].duration.mean() == Approx(11.0 / 4.0));
}

TEST_CASE("a missing empirical file is an error naming it", "[scenario][errors]") {
  const auto bad = replace(kValid, "{distribution: gamma, shape: 2, scale: 7}",
                           "{distribution: empirical, file: no_such_file.csv}");
  REQUIRE_THROWS_WITH(parse_scenario(bad, "/tmp/t.yaml"),
                      Contains("cohorts.frail.pathway.steps.visit.duration.file") &&
                          Contains("/tmp/no_such_file.csv"));
}

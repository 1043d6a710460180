// Running a scenario: replications in order whatever the thread count, the reference model A
// against Erlang C, and the JSON contract.

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/report/report_format.hpp"
#include "tcsim/models/run/scenario_run.hpp"

using Catch::Matchers::Contains;
using namespace tcsim::models;

namespace {

// Model A's structure with fewer customers, so the test is quick under sanitizers.
const std::string kSmallModelA = R"(name: small model A
run: {horizon: unlimited, seed: 11}
settings:
  servers: {kind: beds, capacity: 10}
cohorts:
  customers:
    arrivals: {rate_per_day: 9, max_arrivals: 20000}
    pathway:
      steps:
        service:
          setting: servers
          duration: {distribution: exponential, mean: 1}
          next: exit
)";

}  // namespace

TEST_CASE("replication results do not depend on the thread count", "[run][determinism]") {
  const Scenario s = parse_scenario(kSmallModelA, "a.yaml");
  RunOptions one;
  one.replications = 4;
  one.threads = 1;
  RunOptions two = one;
  two.threads = 2;
  const RunReport a = run_scenario(s, one);
  const RunReport b = run_scenario(s, two);
  REQUIRE(a.metrics.size() == b.metrics.size());
  for (std::size_t i = 0; i < a.metrics.size(); ++i) {
    INFO(a.metrics[i].scope << "." << a.metrics[i].name);
    for (std::size_t k = 0; k < a.metrics[i].values.size(); ++k) {
      const double x = a.metrics[i].values[k];
      const double y = b.metrics[i].values[k];
      CHECK(((std::isnan(x) && std::isnan(y)) || x == y));
    }
  }
  // Different replications draw different numbers.
  const auto* wait = a.find("servers", "mean_wait");
  REQUIRE(wait != nullptr);
  CHECK(wait->values[0] != wait->values[1]);
}

TEST_CASE("a different seed gives different results", "[run][determinism]") {
  const Scenario s = parse_scenario(kSmallModelA, "a.yaml");
  RunOptions options;
  options.replications = 1;
  const double w1 = run_scenario(s, options).find("servers", "mean_wait")->values[0];
  options.seed = 12;
  const double w2 = run_scenario(s, options).find("servers", "mean_wait")->values[0];
  CHECK(w1 != w2);
}

TEST_CASE("one replication reports no confidence interval, never a zero one", "[run]") {
  const Scenario s = parse_scenario(kSmallModelA, "a.yaml");
  RunOptions options;
  options.replications = 1;
  const RunReport r = run_scenario(s, options);
  CHECK_FALSE(r.find("servers", "mean_wait")->estimate.half_width.has_value());
  const std::string json = format_json(r, "test");
  CHECK_THAT(json,
             Contains("\"servers.mean_wait\": {\"mean\": ") && Contains("\"ci_half_width\": null"));
}

TEST_CASE("the JSON object has the documented shape", "[run][json]") {
  const Scenario s = parse_scenario(kSmallModelA, "a.yaml");
  RunOptions options;
  options.replications = 3;
  const RunReport r = run_scenario(s, options);
  const std::string json = format_json(r, "9.9.9");
  CHECK_THAT(json, Contains("\"tcsim_version\": \"9.9.9\"") && Contains("\"config\": \"a.yaml\"") &&
                       Contains("\"seed\": 11") && Contains("\"replications\": 3") &&
                       Contains("\"system.mean_time_in_system\"") &&
                       Contains("\"unit\": \"days\""));
  const auto* in_system = r.find("system", "mean_in_system");
  REQUIRE(in_system != nullptr);
  REQUIRE(in_system->estimate.half_width.has_value());
  CHECK(*in_system->estimate.half_width > 0.0);
  CHECK(in_system->values.size() == 3);
}

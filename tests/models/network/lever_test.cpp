// The lever plug-ins: the registry, what each lever names, and that each one read from YAML
// shapes the network only when in use.

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/network/lever.hpp"
#include "tcsim/models/network/network_builder.hpp"

using tcsim::models::Lever;
using tcsim::models::LeverCounter;
using tcsim::models::levers;
using tcsim::models::LeverSettings;
using tcsim::models::Scenario;

namespace {

// Every lever written out for one cohort, each in use, so that a lever the loader or the
// builder skipped shows.
const char* const kArea = R"(name: levers
run: {horizon: 10}
settings:
  acute: {kind: beds, capacity: 10}
  crisis_team: {kind: caseload, capacity: unlimited}
  esd_team: {kind: caseload, capacity: unlimited}
  assess: {kind: caseload, capacity: unlimited}
  care: {kind: caseload, capacity: unlimited}
cohorts:
  frail:
    arrivals: {rate_per_day: 1}
    pathway:
      start: stay
      steps:
        stay:
          setting: acute
          duration: {distribution: deterministic, value: 5}
          next:
            - {to: package, probability: 0.4, transfer_delay: {distribution: deterministic, value: 2}}
            - {to: exit, probability: 0.6}
        package: {setting: care, duration: {distribution: deterministic, value: 9}, next: exit}
        crisis: {setting: crisis_team, duration: {distribution: deterministic, value: 3}, next: exit}
        supported: {setting: esd_team, duration: {distribution: deterministic, value: 4}, next: exit}
    reforms:
      admission_avoidance: {use: true, eligible_share: 0.5, uptake: 0.5, to: crisis}
      early_supported_discharge:
        use: true
        eligible_share: 0.4
        at: stay
        days_earlier: {distribution: deterministic, value: 1}
        to: supported
      discharge_to_assess:
        use: true
        eligible_share: 0.5
        at: stay
        destinations: [package]
        setting: assess
)";

std::vector<std::string> keys() {
  std::vector<std::string> out;
  for (const Lever* lever : levers())
    out.emplace_back(lever->key());
  return out;
}

std::vector<std::string> counter_names(const Lever& lever) {
  std::vector<std::string> out;
  for (const LeverCounter& c : lever.counters())
    out.emplace_back(c.name);
  return out;
}

const Lever& lever(const std::string& key) {
  for (const Lever* l : levers()) {
    if (l->key() == key) return *l;
  }
  FAIL("no lever " << key);
  return *levers().front();  // not reached: FAIL throws
}

std::size_t step_index(const tcsim::sim::NetworkSpec& spec, const std::string& name) {
  for (std::size_t k = 0; k < spec.steps.size(); ++k) {
    if (spec.steps[k].name == name) return k;
  }
  FAIL("no step " << name);
  return 0;
}

}  // namespace

TEST_CASE("the registry lists the three levers once each, in output order", "[levers]") {
  CHECK(keys() == std::vector<std::string>{"admission_avoidance", "early_supported_discharge",
                                           "discharge_to_assess"});
}

TEST_CASE("each lever names its counters and heads its schema lines with its key", "[levers]") {
  CHECK(counter_names(lever("admission_avoidance")) ==
        std::vector<std::string>{"admissions_avoided_per_year"});
  CHECK(counter_names(lever("early_supported_discharge")) ==
        std::vector<std::string>{"early_discharges_per_year", "early_discharge_days_per_year"});
  CHECK(counter_names(lever("discharge_to_assess")) ==
        std::vector<std::string>{"assessed_at_home_per_year"});
  std::set<std::string> seen;
  for (const Lever* l : levers()) {
    INFO(l->key());
    for (const LeverCounter& c : l->counters()) {
      CHECK(seen.insert(c.name).second);  // no two levers report the same metric
      CHECK(std::string(c.unit).ends_with("/year"));
    }
    const std::string schema = l->schema();
    CHECK(schema.starts_with("      " + std::string(l->key()) + ":"));
    CHECK(schema.ends_with("\n"));
  }
}

TEST_CASE("each lever reads itself from the cohort's reforms and describes itself", "[levers]") {
  const Scenario s = tcsim::models::parse_scenario(kArea, "levers.yaml");
  for (const Lever* l : levers()) {
    INFO(l->key());
    const LeverSettings* settings = s.cohorts[0].reforms.find(l->key());
    REQUIRE(settings != nullptr);
    CHECK(settings->use);
    CHECK(l->describe(*settings).find("IN USE, eligible") != std::string::npos);
  }
  CHECK(s.cohorts[0].reforms.find("admission_avoidance")->share() == Approx(0.25));
  CHECK(lever("admission_avoidance")
            .team_setting(s.cohorts[0], *s.cohorts[0].reforms.find("admission_avoidance")) ==
        "crisis_team");
  CHECK(lever("discharge_to_assess")
            .team_setting(s.cohorts[0], *s.cohorts[0].reforms.find("discharge_to_assess")) ==
        "assess");
}

TEST_CASE("a scenario's copy has levers of its own", "[levers]") {
  const Scenario s = tcsim::models::parse_scenario(kArea, "levers.yaml");
  Scenario copy = s;
  copy.cohorts[0].reforms.find("early_supported_discharge")->use = false;
  CHECK(s.cohorts[0].reforms.find("early_supported_discharge")->use);
  copy = s;
  CHECK(copy.cohorts[0].reforms.find("early_supported_discharge")->use);
}

TEST_CASE("levers in use shape the network, and switched off leave it as written",
          "[levers][network]") {
  Scenario s = tcsim::models::parse_scenario(kArea, "levers.yaml");
  SECTION("in use") {
    const tcsim::sim::NetworkSpec spec = tcsim::models::build_network(s).spec;
    const std::size_t stay = step_index(spec, "frail.stay");
    const std::size_t crisis = step_index(spec, "frail.crisis");
    const std::size_t assess = step_index(spec, "frail.d2a_package");
    CHECK(assess == 4);  // after the cohort's own steps
    CHECK(spec.steps[assess].station == 3);
    REQUIRE(spec.arrivals[0].first_routes.size() == 2);
    CHECK(spec.arrivals[0].first_routes[0].probability == Approx(0.25));
    CHECK(spec.steps[crisis].overflow == static_cast<std::int32_t>(stay));
    REQUIRE(spec.steps[stay].early_exit.has_value());
    CHECK(spec.steps[stay].early_exit->probability == Approx(0.4));
    // The move to the package is split: half through the assessment place, in its place.
    REQUIRE(spec.steps[stay].routes.size() == 3);
    CHECK(spec.steps[stay].routes[0].to == static_cast<std::int32_t>(assess));
    CHECK(spec.steps[stay].routes[0].probability == Approx(0.4 * 0.5));
    CHECK(spec.steps[stay].routes[1].probability == Approx(0.4 * 0.5));
  }
  SECTION("off") {
    for (const Lever* l : levers())
      s.cohorts[0].reforms.find(l->key())->use = false;
    const tcsim::sim::NetworkSpec spec = tcsim::models::build_network(s).spec;
    CHECK(spec.steps.size() == 4);
    CHECK(spec.arrivals[0].first_routes.empty());
    CHECK_FALSE(spec.steps[step_index(spec, "frail.stay")].early_exit.has_value());
    CHECK(spec.steps[step_index(spec, "frail.stay")].routes.size() == 2);
  }
}

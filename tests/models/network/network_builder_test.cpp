// build_network: a scenario becomes the engine's spec, and BuiltNetwork says where each piece
// went. Checked on a toy area with every lever in use, against what the file says.

#include <catch2/catch.hpp>

#include <string>

#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/network/network_builder.hpp"

namespace tcsim::models {
namespace {

// Acute stays then home (70%) or a care package (30%) after a written assessment delay; the
// three levers in use at uptake 1, so their shares are the eligible shares.
const std::string kArea = R"(name: builder toy
run: {horizon: 100, seed: 5}
organisations:
  hospital: {kind: acute_trust}
  provider: {kind: pct_provider_arm}
settings:
  acute: {kind: beds, service: acute_beds, organisation: hospital, capacity: 30}
  crisis_team: {kind: caseload, service: rapid_response, organisation: provider, capacity: 4}
  esd_team: {kind: caseload, service: rapid_response, organisation: provider, capacity: 5}
  assess: {kind: caseload, service: discharge_to_assess, organisation: provider, capacity: 6}
  care: {kind: caseload, service: social_care_packages, organisation: provider, capacity: 7}
cohorts:
  frail:
    arrivals: {rate_per_day: 2}
    pathway:
      start: stay
      steps:
        stay:
          setting: acute
          duration: {distribution: deterministic, value: 10}
          next:
            - to: package
              probability: 0.3
              transfer_delay: {distribution: deterministic, value: 4}
            - {to: exit, probability: 0.7}
        package: {setting: care, duration: {distribution: exponential, mean: 30}, next: exit}
        crisis: {setting: crisis_team, duration: {distribution: exponential, mean: 5}, next: exit}
        supported: {setting: esd_team, duration: {distribution: exponential, mean: 10}, next: exit}
    reforms:
      admission_avoidance: {use: true, eligible_share: 0.2, to: crisis}
      early_supported_discharge:
        use: true
        eligible_share: 0.4
        at: stay
        days_earlier: {distribution: deterministic, value: 3}
        to: supported
      discharge_to_assess:
        use: true
        eligible_share: 0.5
        at: stay
        destinations: [package]
        setting: assess
        referral_delay: {distribution: deterministic, value: 0.5}
)";

std::string without_levers() {
  std::string text = kArea;
  for (std::size_t at = text.find("use: true"); at != std::string::npos;
       at = text.find("use: true", at))
    text.replace(at, 9, "use: false");
  return text;
}

}  // namespace

TEST_CASE("stations are the settings, in order", "[network_builder]") {
  const Scenario s = parse_scenario(kArea, "toy.yaml");
  const BuiltNetwork built = build_network(s);
  REQUIRE(built.spec.stations.size() == s.settings.size());
  for (std::size_t k = 0; k < s.settings.size(); ++k) {
    CHECK(built.spec.stations[k].name == s.settings[k].name);
    CHECK(built.spec.stations[k].capacity == s.settings[k].capacity);
    CHECK(BuiltNetwork::station_of_setting(k) == k);
  }
}

TEST_CASE("every step's index names the step it holds", "[network_builder]") {
  for (const std::string& text : {kArea, without_levers()}) {
    const Scenario s = parse_scenario(text, "toy.yaml");
    const BuiltNetwork built = build_network(s);
    REQUIRE(built.steps_of_cohort.size() == 1);
    for (const auto& [name, index] : built.steps_of_cohort[0]) {
      INFO(name);
      REQUIRE(index >= 0);
      REQUIRE(static_cast<std::size_t>(index) < built.spec.steps.size());
      CHECK(built.spec.steps[static_cast<std::size_t>(index)].name == "frail." + name);
      CHECK(built.step(0, name) == index);
    }
    CHECK(built.step(0, "no such step") == -1);
  }
}

TEST_CASE("levers in use shape the spec as the file says", "[network_builder][levers]") {
  const Scenario s = parse_scenario(kArea, "toy.yaml");
  const BuiltNetwork built = build_network(s);
  const auto& spec = built.spec;
  const auto step = [&](const std::string& name) {
    const std::int32_t k = built.step(0, name);
    REQUIRE(k >= 0);
    return spec.steps[static_cast<std::size_t>(k)];
  };
  // Discharge to assess: one extra step at the lever's setting, reached from `stay` by half of
  // the move to the package, where the written delay (4 days) is spent.
  REQUIRE(spec.steps.size() == 5);
  const sim::StepSpec d2a = step(d2a_step_name("package"));
  CHECK(d2a.station == 3);  // assess
  CHECK(d2a.duration.mean() == Approx(4.0));
  REQUIRE(d2a.routes.size() == 1);
  CHECK(d2a.routes[0].to == built.step(0, "package"));

  const sim::StepSpec stay = step("stay");
  REQUIRE(stay.routes.size() == 3);  // assessed share, the rest of the move, home
  CHECK(stay.routes[0].to == built.step(0, d2a_step_name("package")));
  CHECK(stay.routes[0].probability == Approx(0.3 * 0.5));
  CHECK(stay.routes[1].to == built.step(0, "package"));
  CHECK(stay.routes[1].probability == Approx(0.3 * 0.5));
  CHECK(stay.routes[2].to == sim::kExit);
  CHECK(stay.routes[2].probability == Approx(0.7));
  // Early supported discharge: an early exit from `stay` to the ESD team.
  REQUIRE(stay.early_exit.has_value());
  CHECK(stay.early_exit->probability == Approx(0.4));
  CHECK(stay.early_exit->to == built.step(0, "supported"));
  // Admission avoidance: a first route to the crisis team, which overflows to the usual start.
  REQUIRE(spec.arrivals.size() == 1);
  REQUIRE(spec.arrivals[0].first_routes.size() == 2);
  CHECK(spec.arrivals[0].first_routes[0].to == built.step(0, "crisis"));
  CHECK(spec.arrivals[0].first_routes[0].probability == Approx(0.2));
  CHECK(spec.arrivals[0].first_routes[1].to == built.step(0, "stay"));
  REQUIRE(step("crisis").overflow.has_value());
  CHECK(*step("crisis").overflow == built.step(0, "stay"));
}

TEST_CASE("levers not in use leave the written pathway", "[network_builder][levers]") {
  const Scenario s = parse_scenario(without_levers(), "toy.yaml");
  const BuiltNetwork built = build_network(s);
  CHECK(built.spec.steps.size() == 4);
  CHECK(built.step(0, d2a_step_name("package")) == -1);
  const sim::StepSpec& stay = built.spec.steps[static_cast<std::size_t>(built.step(0, "stay"))];
  REQUIRE(stay.routes.size() == 2);
  CHECK(stay.routes[0].probability == Approx(0.3));
  CHECK(stay.routes[0].delay.has_value());
  CHECK_FALSE(stay.early_exit.has_value());
  CHECK(built.spec.arrivals[0].first_routes.empty());
  CHECK(built.spec.arrivals[0].first_step == built.step(0, "stay"));
}

}  // namespace tcsim::models

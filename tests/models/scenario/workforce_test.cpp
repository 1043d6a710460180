// Caseload capacity derived from the workforce: the formula, its proportionality to the
// direct-care share, and the errors around it.

#include <catch2/catch.hpp>

#include <string>

#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/scenario/workforce.hpp"

using Catch::Matchers::Contains;
using tcsim::models::parse_scenario;
using tcsim::models::Workforce;

namespace {

std::string scenario_with(const std::string& setting) {
  return "name: w\nrun: {horizon: 10}\nsettings:\n  team:\n" + setting +
         "cohorts:\n  p:\n    arrivals: {rate_per_day: 1}\n    pathway:\n      steps:\n"
         "        visit: {setting: team, duration: {distribution: exponential, mean: 5}, "
         "next: exit}\n";
}

}  // namespace

TEST_CASE("capacity = WTE x hours x direct-care share / contact hours", "[workforce]") {
  Workforce w;
  w.wte = 12;
  w.hours_per_week = 37.5;
  w.travel_share = 0.30;
  w.admin_share = 0.25;
  w.other_share = 0.15;
  w.contact_hours_per_patient_per_week = 1.5;
  CHECK(w.direct_care_share() == Approx(0.30));
  // 12 x 37.5 x 0.30 / 1.5 = 90
  CHECK(w.capacity() == 90);
}

TEST_CASE("raising the direct-care share raises capacity in proportion", "[workforce]") {
  Workforce w;
  w.wte = 40;
  w.hours_per_week = 37.5;
  w.admin_share = 0.7;  // direct-care share 0.3
  w.contact_hours_per_patient_per_week = 1.0;
  const auto base = w.capacity();  // 450
  w.admin_share = 0.55;            // direct-care share 0.45: x1.5
  CHECK(base == 450);
  CHECK(w.capacity() == 675);
}

TEST_CASE("a caseload may give its workforce instead of a capacity", "[workforce][scenario]") {
  const auto s = parse_scenario(
      scenario_with("    kind: caseload\n    workforce: {wte: 10, hours_per_week: 37.5, "
                    "travel_share: 0.2, admin_share: 0.3, other_share: 0.1, "
                    "contact_hours_per_patient_per_week: 2}\n"),
      "w.yaml");
  REQUIRE(s.settings[0].workforce.has_value());
  CHECK(s.settings[0].capacity == 75);  // 10 x 37.5 x 0.4 / 2
}

TEST_CASE("workforce errors are located and explained", "[workforce][scenario][errors]") {
  REQUIRE_THROWS_WITH(
      parse_scenario(scenario_with("    kind: caseload\n    capacity: 5\n    workforce: {wte: 1, "
                                   "contact_hours_per_patient_per_week: 1}\n"),
                     "w.yaml"),
      Contains("w.yaml:7") && Contains("settings.team.workforce") && Contains("not both"));
  REQUIRE_THROWS_WITH(parse_scenario(scenario_with("    kind: beds\n    workforce: {wte: 1, "
                                                   "contact_hours_per_patient_per_week: 1}\n"),
                                     "w.yaml"),
                      Contains("beds are given as counts"));
  REQUIRE_THROWS_WITH(
      parse_scenario(scenario_with("    kind: caseload\n    workforce: {wte: 1, travel_share: 0.6, "
                                   "admin_share: 0.4, contact_hours_per_patient_per_week: 1}\n"),
                     "w.yaml"),
      Contains("settings.team.workforce") && Contains("direct-care share must be above 0"));
  REQUIRE_THROWS_WITH(parse_scenario(scenario_with("    kind: caseload\n    workforce: {wte: 0.01, "
                                                   "contact_hours_per_patient_per_week: 5}\n"),
                                     "w.yaml"),
                      Contains("capacity of 0"));
}

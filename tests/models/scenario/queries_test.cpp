// Look-ups on a scenario by name, and a team as it works under its organisation
// (models/scenario/queries.hpp), on a small scenario built from plain values:
//   - ward:      beds, 30 places, run by "nhs" (no change), no workforce;
//   - team:      12 WTE x 37.5 h, travel 0.30 + admin 0.15 + other 0.05 (share 0.50), 3 contact
//                hours a patient, costed as "nurse", run by "enterprise" (share +0.10);
//   - stretched: 4 WTE x 37.5 h, travel 0.30 + admin 0.10 + other 0.10 (share 0.50), 2 contact
//                hours, staff group "therapist" (not in the scenario), run by "overreach"
//                (+0.50: more than admin + other, so impossible);
//   - orphan:    2 WTE x 37.5 h, travel 0.20 + admin 0.10 + other 0.10 (share 0.60), 1.5
//                contact hours, no staff group, run by "nobody" (no such organisation).
// capacity = floor(WTE x hours x direct-care share / contact hours); every expected value is
// worked by hand in the comments.

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "tcsim/models/scenario/queries.hpp"
#include "tcsim/models/scenario/scenario.hpp"
#include "tcsim/models/scenario/workforce.hpp"

using namespace tcsim::models;

namespace {

Organisation organisation(const std::string& name, double change) {
  Organisation o;
  o.name = name;
  o.direct_care_share_change = change;
  return o;
}

Workforce team(double wte, double travel, double admin, double other, double contact_hours) {
  Workforce w;
  w.wte = wte;
  w.hours_per_week = 37.5;
  w.travel_share = travel;
  w.admin_share = admin;
  w.other_share = other;
  w.contact_hours_per_patient_per_week = contact_hours;
  return w;
}

Setting setting(const std::string& name, const std::string& organisation_name,
                std::optional<Workforce> workforce, std::int64_t capacity) {
  Setting x;
  x.name = name;
  x.kind = workforce ? SettingKind::Caseload : SettingKind::Beds;
  x.organisation = organisation_name;
  x.workforce = std::move(workforce);
  x.capacity = capacity;
  return x;
}

Scenario small_scenario() {
  Scenario s;
  s.name = "queries";
  s.organisations = {organisation("nhs", 0.0), organisation("enterprise", 0.10),
                     organisation("overreach", 0.50)};
  StaffGroup nurse;
  nurse.name = "nurse";
  nurse.cost_per_wte_year = 40000.0;
  s.staff_groups = {nurse};
  Workforce nurses = team(12, 0.30, 0.15, 0.05, 3.0);
  nurses.staff_group = "nurse";
  Workforce therapists = team(4, 0.30, 0.10, 0.10, 2.0);
  therapists.staff_group = "therapist";
  // Written capacities: team floor(12 x 37.5 x 0.5 / 3) = 75; stretched floor(4 x 37.5 x 0.5 /
  // 2) = 37; orphan floor(2 x 37.5 x 0.6 / 1.5) = 30.
  s.settings = {setting("ward", "nhs", std::nullopt, 30), setting("team", "enterprise", nurses, 75),
                setting("stretched", "overreach", therapists, 37),
                setting("orphan", "nobody", team(2, 0.20, 0.10, 0.10, 1.5), 30)};
  Cohort c;
  c.name = "stroke";
  c.start = "admit";
  c.steps.resize(2);
  c.steps[0].name = "admit";
  c.steps[0].setting = "ward";
  c.steps[1].name = "rehab";
  c.steps[1].setting = "team";
  s.cohorts = {c};
  return s;
}

}  // namespace

TEST_CASE("setting_named finds a setting by name and throws logic_error for a missing one",
          "[queries]") {
  Scenario s = small_scenario();
  const Scenario& view = s;
  CHECK(&setting_named(s, "stretched") == &s.settings[2]);
  CHECK(&setting_named(view, "ward") == &s.settings[0]);
  setting_named(s, "ward").capacity = 31;  // the mutable look-up is the scenario's own setting
  CHECK(s.settings[0].capacity == 31);
  CHECK_THROWS_AS(setting_named(s, "icu"), std::logic_error);
  CHECK_THROWS_AS(setting_named(view, "icu"), std::logic_error);
  CHECK_THROWS_AS(setting_named(view, ""), std::logic_error);
}

TEST_CASE("step_named finds a step of a cohort, nullptr for a missing one", "[queries]") {
  const Scenario s = small_scenario();
  const Cohort& c = s.cohorts[0];
  CHECK(step_named(c, "rehab") == &c.steps[1]);
  CHECK(step_named(c, "admit") == &c.steps[0]);
  CHECK(step_named(c, "ward") == nullptr);  // a setting's name, not a step's
  CHECK(step_named(Cohort{}, "admit") == nullptr);
}

TEST_CASE("organisation_named and organisation_running, nullptr for a missing name", "[queries]") {
  const Scenario s = small_scenario();
  CHECK(organisation_named(s, "enterprise") == &s.organisations[1]);
  CHECK(organisation_named(s, "nobody") == nullptr);
  CHECK(organisation_running(s, s.settings[0]) == &s.organisations[0]);
  CHECK(organisation_running(s, s.settings[2]) == &s.organisations[2]);
  CHECK(organisation_running(s, s.settings[3]) == nullptr);  // runs under "nobody"
}

TEST_CASE("staff_group_of: the group that costs a team, nullptr when there is none", "[queries]") {
  const Scenario s = small_scenario();
  CHECK(staff_group_of(s, setting_named(s, "team")) == &s.staff_groups[0]);
  CHECK(staff_group_of(s, setting_named(s, "ward")) == nullptr);       // no workforce
  CHECK(staff_group_of(s, setting_named(s, "orphan")) == nullptr);     // no staff group
  CHECK(staff_group_of(s, setting_named(s, "stretched")) == nullptr);  // "therapist": none
}

TEST_CASE("direct_care_share_change is the running organisation's, 0 without one", "[queries]") {
  const Scenario s = small_scenario();
  CHECK(direct_care_share_change(s, setting_named(s, "ward")) == 0.0);
  CHECK(direct_care_share_change(s, setting_named(s, "team")) == 0.10);
  CHECK(direct_care_share_change(s, setting_named(s, "stretched")) == 0.50);
  CHECK(direct_care_share_change(s, setting_named(s, "orphan")) == 0.0);
}

TEST_CASE("effective_workforce takes the change from admin then other, nullopt if impossible",
          "[queries]") {
  const Scenario s = small_scenario();
  CHECK_FALSE(effective_workforce(s, setting_named(s, "ward")).has_value());  // no workforce
  // team: +0.10 all from admin (0.15 -> 0.05); share 1 - 0.30 - 0.05 - 0.05 = 0.60.
  const std::optional<Workforce> w = effective_workforce(s, setting_named(s, "team"));
  REQUIRE(w.has_value());
  CHECK(w->wte == 12.0);
  CHECK(w->travel_share == 0.30);
  CHECK(w->admin_share == Approx(0.05));
  CHECK(w->other_share == 0.05);
  CHECK(w->direct_care_share() == Approx(0.60));
  CHECK(w->staff_group == "nurse");
  // stretched: +0.50 needs more than admin 0.10 + other 0.10 = 0.20.
  CHECK_FALSE(effective_workforce(s, setting_named(s, "stretched")).has_value());
  // orphan: no organisation, no change; the written team.
  const std::optional<Workforce> o = effective_workforce(s, setting_named(s, "orphan"));
  REQUIRE(o.has_value());
  CHECK(o->direct_care_share() == Approx(0.60));
}

TEST_CASE("effective_capacity: written without a workforce, derived under the change with one",
          "[queries]") {
  const Scenario s = small_scenario();
  CHECK(effective_capacity(s, setting_named(s, "ward")) == std::optional<std::int64_t>{30});
  // team: floor(12 x 37.5 x 0.60 / 3) = floor(270 / 3) = 90 (75 as written, at 0.50).
  CHECK(effective_capacity(s, setting_named(s, "team")) == std::optional<std::int64_t>{90});
  // stretched: the change is impossible.
  CHECK_FALSE(effective_capacity(s, setting_named(s, "stretched")).has_value());
  // orphan: floor(2 x 37.5 x 0.60 / 1.5) = floor(45 / 1.5) = 30.
  CHECK(effective_capacity(s, setting_named(s, "orphan")) == std::optional<std::int64_t>{30});
}

TEST_CASE("direct_care_share: under the change, the written share if the change is impossible",
          "[queries]") {
  const Scenario s = small_scenario();
  CHECK(direct_care_share(s, setting_named(s, "team")) == Approx(0.60));       // 0.50 + 0.10
  CHECK(direct_care_share(s, setting_named(s, "stretched")) == Approx(0.50));  // as written
  CHECK(direct_care_share(s, setting_named(s, "orphan")) == Approx(0.60));     // no change
}

TEST_CASE("wte_for: places x contact hours / (hours x direct-care share)", "[queries]") {
  const Scenario s = small_scenario();
  // team at 0.60: 90 x 3 / (37.5 x 0.60) = 270 / 22.5 = 12; 45 places: 6.
  CHECK(wte_for(s, setting_named(s, "team"), 90.0) == Approx(12.0));
  CHECK(wte_for(s, setting_named(s, "team"), 45.0) == Approx(6.0));
  CHECK(wte_for(s, setting_named(s, "team"), 0.0) == 0.0);
  // stretched at its written 0.50: 10 x 2 / (37.5 x 0.50) = 20 / 18.75.
  CHECK(wte_for(s, setting_named(s, "stretched"), 10.0) == Approx(20.0 / 18.75));
}

TEST_CASE("set_wte gives a team WTE (never below 0) and derives its capacity again", "[queries]") {
  Scenario s = small_scenario();
  // team, 6 WTE at 0.60: floor(6 x 37.5 x 0.60 / 3) = floor(135 / 3) = 45.
  set_wte(s, "team", 6.0);
  CHECK(setting_named(s, "team").workforce->wte == 6.0);
  CHECK(setting_named(s, "team").capacity == 45);
  // 6.1 WTE: floor(6.1 x 37.5 x 0.60 / 3) = floor(45.75) = 45; 6.2: floor(46.5) = 46.
  set_wte(s, "team", 6.1);
  CHECK(setting_named(s, "team").capacity == 45);
  set_wte(s, "team", 6.2);
  CHECK(setting_named(s, "team").capacity == 46);
  set_wte(s, "team", -3.0);
  CHECK(setting_named(s, "team").workforce->wte == 0.0);
  CHECK(setting_named(s, "team").capacity == 0);
  // stretched: whatever its WTE, its organisation's change is impossible, so 0 places.
  set_wte(s, "stretched", 8.0);
  CHECK(setting_named(s, "stretched").workforce->wte == 8.0);
  CHECK(setting_named(s, "stretched").capacity == 0);
  // orphan, 4 WTE with no change: floor(4 x 37.5 x 0.60 / 1.5) = floor(90 / 1.5) = 60.
  set_wte(s, "orphan", 4.0);
  CHECK(setting_named(s, "orphan").capacity == 60);
  CHECK_THROWS_AS(set_wte(s, "icu", 1.0), std::logic_error);
}

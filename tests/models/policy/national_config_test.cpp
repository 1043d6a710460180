// National configs (models/policy/national_config.hpp) and the scenario keys they rely on:
//   - `set:` and `area.` paths the template lacks (file, line, dotted key, what was expected);
//     what the file alone must hold is tested in tests/models/config/national_file_test.cpp;
//   - scale_scenario and build_archetype, by exact arithmetic on toys;
//   - arrivals.rate_per_1000_per_year = rate x population / 1,000 / 365, and its errors.
// Bad files are written to a temporary folder, naming the toy template by its absolute path.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <string>

#include "support/toy_nation.hpp"
#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/policy/national_config.hpp"
#include "tcsim/models/scenario/config_error.hpp"

using Catch::Matchers::Contains;
using namespace tcsim;
using models::NationalConfig;
using models::Scenario;

namespace {

constexpr double kRounding = 1e-12;

using test::error_of;
using test::kNation;
using test::load_text;
using test::replace;

}  // namespace

// --- Uncertain inputs and overrides must name the template's values -----------------------------

TEST_CASE("a set: path or an uncertain area. path that the template lacks is rejected",
          "[national][errors]") {
  std::string path;
  const std::string set = replace(kNation, "    population: 150000\n",
                                  "    population: 150000\n    set:\n"
                                  "      settings.team.workforce.wtee: 4\n");
  CHECK_THAT(error_of(set, path), Contains("settings.team.workforce.wtee") &&
                                      Contains("no key 'wtee'") && Contains("did you mean 'wte'"));
  const std::string uncertain =
      kNation +
      "uncertain:\n  area.settings.team.workforce.wtee: {distribution: uniform, min: 1, "
      "max: 2}\n";
  CHECK_THAT(error_of(uncertain, path), Contains("settings.team.workforce.wtee") &&
                                            Contains("no key 'wtee'") &&
                                            Contains("did you mean 'wte'"));
  // Paths that exist load, whatever archetype or input names them.
  const NationalConfig ok = load_text(
      replace(kNation, "    population: 150000\n",
              "    population: 150000\n    set:\n      settings.team.workforce.wte: 4\n") +
          "uncertain:\n  area.settings.team.workforce.travel_share: {distribution: uniform, min: "
          "0.05, max: 0.15}\n",
      path);
  REQUIRE(ok.archetypes[1].set.size() == 1u);
  CHECK(ok.archetypes[1].set[0] ==
        std::pair<std::string, std::string>{"settings.team.workforce.wte", "4"});
}

TEST_CASE("a bad set: path or uncertain area. path is reported at its line of the national file",
          "[national][errors]") {
  // The path is written in the national config, not given with --set: the message must say
  // where (this file, the line of the key) as every other error in the file does.
  std::string path;
  const std::string set = replace(kNation, "    population: 150000\n",
                                  "    population: 150000\n    set:\n"
                                  "      settings.team.workforce.wtee: 4\n");
  const std::string set_message = error_of(set, path);
  CHECK_THAT(set_message, Contains(path + ":11") && Contains("settings.team.workforce.wtee") &&
                              Contains("did you mean 'wte'"));
  CHECK_THAT(set_message, !Contains("--set"));
  const std::string uncertain =
      kNation +
      "uncertain:\n  area.settings.team.workforce.wtee: {distribution: uniform, min: 1, "
      "max: 2}\n";
  const std::string uncertain_message = error_of(uncertain, path);
  CHECK_THAT(uncertain_message, Contains(path + ":16") &&
                                    Contains("area.settings.team.workforce.wtee") &&
                                    Contains("did you mean 'wte'"));
  CHECK_THAT(uncertain_message, !Contains("--set"));
}

// --- Scaling ------------------------------------------------------------------------------------

namespace {

// Settings of every kind scale_scenario touches: fixed beds with a queue limit, a single bed, a
// schedule (with a closed period), a workforce team, an unlimited caseload; a cohort with a rate
// per day and one with a rate per 1,000 people a year (73 x 200,000 / 1,000 / 365 = 40 a day);
// patients in place and waiting at day 0.
const std::string kScaling = R"(name: scaling toy
population: 200000
run: {horizon: 100}
staff_groups:
  nurse: {cost_per_wte_year: 30000}
organisations:
  provider: {kind: pct_provider_arm}
settings:
  ward: {kind: beds, capacity: 10, queue: {limit: 4}}
  single: {kind: beds, capacity: 1}
  rota:
    kind: beds
    capacity:
      schedule:
        - {from: 0, capacity: 6}
        - {from: 5, capacity: 0}
      repeat_every: 7
  team:
    kind: caseload
    organisation: provider
    workforce: {wte: 8, hours_per_week: 37.5, admin_share: 0.7,
                contact_hours_per_patient_per_week: 1, staff_group: nurse}
  open: {kind: caseload, capacity: unlimited}
cohorts:
  walk_in:
    arrivals: {rate_per_day: 2.5}
    pathway:
      steps:
        stay:
          setting: ward
          duration: {distribution: exponential, mean: 2}
          next: visits
          initial: {in_place: 3, waiting: 2}
        visits: {setting: team, duration: {distribution: exponential, mean: 2}, next: exit}
  referred:
    arrivals: {rate_per_1000_per_year: 73}
    pathway:
      steps:
        a: {setting: single, duration: {distribution: exponential, mean: 0.01}, next: b}
        b: {setting: rota, duration: {distribution: exponential, mean: 0.05}, next: c}
        c: {setting: open, duration: {distribution: exponential, mean: 1}, next: exit}
)";

const models::Setting& setting(const Scenario& s, const std::string& name) {
  for (const models::Setting& x : s.settings) {
    if (x.name == name) return x;
  }
  FAIL("no setting " << name);
  return s.settings.front();
}

}  // namespace

TEST_CASE("scale_scenario multiplies rates, capacities, WTE and patients at day 0",
          "[national][scaling]") {
  const Scenario written = models::parse_scenario(kScaling, "scaling.yaml");
  REQUIRE(written.cohorts[1].rate_per_day == Approx(40.0).epsilon(kRounding));
  REQUIRE(setting(written, "team").capacity == 90);  // 8 x 37.5 x 0.3

  Scenario s = written;
  models::scale_scenario(s, 1.3);
  CHECK(*s.population == Approx(260000.0).epsilon(kRounding));
  CHECK(s.cohorts[0].rate_per_day == Approx(3.25).epsilon(kRounding));
  CHECK(s.cohorts[1].rate_per_day == Approx(52.0).epsilon(kRounding));
  CHECK(setting(s, "ward").capacity == 13);
  CHECK(setting(s, "ward").queue_limit == 5);  // 5.2
  CHECK(setting(s, "single").capacity == 1);   // 1.3
  const models::Setting& rota = setting(s, "rota");
  REQUIRE(rota.schedule.size() == 2u);
  CHECK(rota.schedule[0].capacity == 8);  // 7.8
  CHECK(rota.schedule[1].capacity == 0);  // closed stays closed
  CHECK(rota.capacity == 8);
  CHECK(setting(s, "team").workforce->wte == Approx(10.4).epsilon(kRounding));
  CHECK(setting(s, "team").capacity == 117);  // 10.4 x 37.5 x 0.3
  CHECK(setting(s, "open").capacity == sim::kUnlimited);
  CHECK(s.cohorts[0].steps[0].initial_in_place == 4);  // 3.9
  CHECK(s.cohorts[0].steps[0].initial_waiting == 3);   // 2.6
  // Durations, routes and the mix of patients are per patient: they do not scale.
  CHECK(s.cohorts[0].steps[0].duration.mean() == written.cohorts[0].steps[0].duration.mean());

  // Scaled down: a place that was there stays (at least one), a closed period stays closed.
  Scenario small = written;
  models::scale_scenario(small, 0.4);
  CHECK(setting(small, "ward").capacity == 4);
  CHECK(setting(small, "single").capacity == 1);  // 0.4, kept at 1
  CHECK(setting(small, "rota").schedule[0].capacity == 2);
  CHECK(setting(small, "rota").schedule[1].capacity == 0);
  CHECK(setting(small, "team").workforce->wte == Approx(3.2).epsilon(kRounding));
  CHECK(setting(small, "team").capacity == 36);
  CHECK(small.cohorts[1].rate_per_day == Approx(16.0).epsilon(kRounding));
  CHECK(*small.population == Approx(80000.0).epsilon(kRounding));
}

TEST_CASE("build_archetype: overrides in template units, then scaling, then the run's length",
          "[national][scaling]") {
  std::string path;
  const test::TempDir dir("archetype");
  path = dir.write("nation.yaml",
                   replace(kNation, "    population: 150000\n",
                           "    population: 150000\n    set:\n"
                           "      settings.team.workforce.wte: 4\n"
                           "      cohorts.patients.pathway.steps.visits.initial.waiting: 8\n"));
  const NationalConfig n = models::load_national_config(path);
  const models::SavingsRun length{5, 300.0, 20.0};

  const Scenario small = models::build_archetype(n, n.archetypes[0], {}, length);
  CHECK(small.name == "toy nation (small)");
  CHECK(small.settings[0].workforce->wte == 2.0);  // the template as written, factor 1
  CHECK(small.cohorts[0].steps[0].initial_waiting == 6);
  CHECK(small.run.replications == 5);
  CHECK(small.run.horizon == 300.0);
  CHECK(small.run.warmup == 20.0);

  // 4 WTE and 8 patients per template area, x 1.5.
  const Scenario large = models::build_archetype(n, n.archetypes[1], {}, length);
  CHECK(large.name == "toy nation (large)");
  CHECK(large.settings[0].workforce->wte == Approx(6.0).epsilon(kRounding));
  CHECK(large.settings[0].capacity == 45);  // 6 x 37.5 x 0.3 / 1.5
  CHECK(large.cohorts[0].steps[0].initial_waiting == 12);
  CHECK(large.cohorts[0].rate_per_day == Approx(1.5e-6).epsilon(kRounding));
  CHECK(*large.population == Approx(150000.0).epsilon(kRounding));

  // Extra overrides (a PSA draw) come after the archetype's, in template units too.
  const Scenario drawn =
      models::build_archetype(n, n.archetypes[1], {{"settings.team.workforce.wte", "5"}}, length);
  CHECK(drawn.settings[0].workforce->wte == Approx(7.5).epsilon(kRounding));
}

// --- Rates per 1,000 people a year --------------------------------------------------------------

namespace {

const std::string kPer1000 = R"(name: rate per 1000
population: 340800
run: {horizon: 10}
settings:
  ward: {kind: beds, capacity: 10}
cohorts:
  patients:
    arrivals: {rate_per_1000_per_year: 85}
    pathway:
      steps:
        stay: {setting: ward, duration: {distribution: exponential, mean: 0.5}, next: exit}
)";

}  // namespace

TEST_CASE("rate_per_1000_per_year is the rate x population / 1,000 / 365 a day",
          "[scenario][population]") {
  const Scenario s = models::parse_scenario(kPer1000, "per1000.yaml");
  REQUIRE(s.population.has_value());
  CHECK(*s.population == 340800.0);
  CHECK(s.cohorts[0].rate_per_day == Approx(85.0 * 340800.0 / 1000.0 / 365.0).epsilon(kRounding));
  // --set population= changes the rate with it.
  const Scenario doubled =
      models::parse_scenario(kPer1000, "per1000.yaml", {{"population", "681600"}});
  CHECK(doubled.cohorts[0].rate_per_day ==
        Approx(2.0 * s.cohorts[0].rate_per_day).epsilon(kRounding));
  // A rate per day needs no population.
  const Scenario plain =
      models::parse_scenario(replace(replace(kPer1000, "population: 340800\n", ""),
                                     "rate_per_1000_per_year: 85", "rate_per_day: 3"),
                             "per_day.yaml");
  CHECK_FALSE(plain.population.has_value());
  CHECK(plain.cohorts[0].rate_per_day == 3.0);
}

TEST_CASE("rate_per_1000_per_year needs a population and excludes rate_per_day",
          "[scenario][population][errors]") {
  REQUIRE_THROWS_WITH(
      models::parse_scenario(replace(kPer1000, "population: 340800\n", ""), "per1000.yaml"),
      Contains("per1000.yaml:7") &&
          Contains("'cohorts.patients.arrivals.rate_per_1000_per_year'") &&
          Contains("a rate per 1,000 population needs the scenario's `population:`"));
  REQUIRE_THROWS_WITH(
      models::parse_scenario(replace(kPer1000, "{rate_per_1000_per_year: 85}",
                                     "{rate_per_day: 3, rate_per_1000_per_year: 85}"),
                             "per1000.yaml"),
      Contains("per1000.yaml:8") &&
          Contains("'cohorts.patients.arrivals.rate_per_1000_per_year'") &&
          Contains("give either rate_per_day or rate_per_1000_per_year, not both"));
  REQUIRE_THROWS_WITH(models::parse_scenario(
                          replace(kPer1000, "population: 340800", "population: 0"), "per1000.yaml"),
                      Contains("per1000.yaml:2") && Contains("'population'"));
  REQUIRE_THROWS_WITH(
      models::parse_scenario(
          replace(kPer1000, "rate_per_1000_per_year: 85", "rate_per_1000_per_year: -1"),
          "per1000.yaml"),
      Contains("per1000.yaml:8") && Contains("'cohorts.patients.arrivals.rate_per_1000_per_year'"));
}

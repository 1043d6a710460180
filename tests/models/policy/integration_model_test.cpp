// Integration models (models/policy/integration_model.hpp) acting on an area:
//   - organisations and interfaces: merging two organisations with reformed processes and an
//     internal delay of 0 removes the delay between them and nothing else;
//   - productivity: an organisation's direct-care share change sets its caseloads' capacity by
//     the workforce formula, and an impossible change is a ConfigError;
//   - the shipped area and models: a bolt-on merger leaves acute use alone, a reformed one cuts
//     it, and the paired (common random numbers) difference is tighter than the unpaired one;
//   - pathway-reform levers switched on by a model: admission avoidance, early supported
//     discharge and discharge to assess, each against what it must do.
// Toy areas are fixed-seed YAML strings; statistical checks use Student-t or binomial intervals
// (99.9% unless the check is the 95% one the comparison table reports).

#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/economics/model_comparison.hpp"
#include "tcsim/models/network/network_builder.hpp"
#include "tcsim/models/policy/integration_model.hpp"
#include "tcsim/models/run/scenario_run.hpp"
#include "tcsim/models/scenario/config_error.hpp"
#include "tcsim/sim/network_result.hpp"
#include "tcsim/sim/network_simulation.hpp"
#include "tcsim/sim/output_analysis.hpp"

using Catch::Matchers::Contains;
using namespace tcsim;
using models::IntegrationModels;
using models::Scenario;

namespace {

constexpr double kConfidence = 0.999;
constexpr double kZ999 = 3.2905267314919;  // two-sided 99.9% normal quantile

std::size_t station(const Scenario& s, const std::string& name) {
  for (std::size_t i = 0; i < s.settings.size(); ++i) {
    if (s.settings[i].name == name) return i;
  }
  FAIL("no setting " << name);
  return 0;
}

std::size_t step(const sim::NetworkSpec& spec, const std::string& name) {
  for (std::size_t i = 0; i < spec.steps.size(); ++i) {
    if (spec.steps[i].name == name) return i;
  }
  FAIL("no step " << name);
  return 0;
}

/// Replications k = 0..count-1 of the scenario's network under its own seed, as run_scenario
/// runs them.
std::vector<sim::NetworkResult> replicate(const Scenario& s, std::size_t count) {
  const sim::NetworkSpec spec = models::build_network(s).spec;
  std::vector<sim::NetworkResult> out;
  for (std::size_t k = 0; k < count; ++k)
    out.push_back(sim::simulate(spec, s.run.seed, k));
  return out;
}

models::RunReport run(const Scenario& s, std::int64_t replications) {
  models::RunOptions options;
  options.replications = replications;
  options.threads = 0;  // one per core: the results do not depend on it
  return models::run_scenario(s, options);
}

std::vector<double> values(const models::RunReport& report, const std::string& scope,
                           const std::string& name) {
  const models::MetricSummary* m = report.find(scope, name);
  INFO("metric " << scope << "." << name);
  REQUIRE(m != nullptr);
  return m->values;
}

std::string describe(const sim::Estimate& e) {
  std::string out = std::to_string(e.mean);
  if (e.half_width) out += " +- " + std::to_string(*e.half_width);
  return out + " (" + std::to_string(e.n) + " replications)";
}

Scenario apply(const Scenario& area, const IntegrationModels& set, const std::string& id) {
  return models::apply_model(area, set, set.find(id));
}

// --- Merged organisations and interface delays --------------------------------------------------

// Acute beds (the hospital) -> district nursing (the provider arm), with a written referral
// delay, or -> home care (the council), with its own assessment delay; home care has fewer
// packages than it is sometimes asked for, so capacity waits happen there too. Acute and
// nursing are unlimited, so a change in the delay to nursing can shift nothing else.
const std::string kInterfaceArea = R"(name: toy interface area
run: {horizon: 300, warmup: 30, seed: 4242}
organisations:
  hospital: {kind: acute_trust}
  provider: {kind: pct_provider_arm}
  council: {kind: local_authority}
settings:
  acute: {kind: beds, service: acute_beds, organisation: hospital, capacity: unlimited}
  nursing: {kind: caseload, service: district_nursing, organisation: provider, capacity: unlimited}
  care: {kind: caseload, service: social_care_packages, organisation: council, capacity: 38}
cohorts:
  patients:
    arrivals: {rate_per_day: 6}
    pathway:
      steps:
        stay:
          setting: acute
          duration: {distribution: lognormal, mean: 5, sd: 4}
          next:
            - to: visits
              probability: 0.4
              transfer_delay: {distribution: lognormal, mean: 2, sd: 1.5}
            - to: package
              probability: 0.2
              transfer_delay: {distribution: lognormal, mean: 3, sd: 2}
            - {to: exit, probability: 0.4}
        visits: {setting: nursing, duration: {distribution: exponential, mean: 20}, next: exit}
        package: {setting: care, duration: {distribution: exponential, mean: 30}, next: exit}
)";

// separate: reformed processes but three organisations (no move stays inside one);
// merged: the hospital runs district nursing, reformed, internal delay 0;
// merged_bolt_on: the same merger without reform.
const std::string kInterfaceModels = R"(models:
  direct_provision:
    organisations:
      hospital: {kind: acute_trust}
      provider: {kind: pct_provider_arm}
      council: {kind: local_authority}
    services: {acute_beds: hospital, district_nursing: provider, social_care_packages: council}
    interfaces:
      processes_reformed: true
      internal_delay: {distribution: deterministic, value: 0}
  merged:
    organisations:
      hospital: {kind: acute_trust}
      council: {kind: local_authority}
    services: {acute_beds: hospital, district_nursing: hospital, social_care_packages: council}
    interfaces:
      processes_reformed: true
      internal_delay: {distribution: deterministic, value: 0}
  merged_bolt_on:
    organisations:
      hospital: {kind: acute_trust}
      council: {kind: local_authority}
    services: {acute_beds: hospital, district_nursing: hospital, social_care_packages: council}
    interfaces:
      processes_reformed: false
      internal_delay: {distribution: deterministic, value: 0}
)";

void require_same_stations(const sim::NetworkResult& a, const sim::NetworkResult& b) {
  REQUIRE(a.stations.size() == b.stations.size());
  for (std::size_t i = 0; i < a.stations.size(); ++i) {
    INFO("station " << a.stations[i].name);
    CHECK(a.stations[i].delay_days_for == b.stations[i].delay_days_for);
    CHECK(a.stations[i].blocked_days_for == b.stations[i].blocked_days_for);
    CHECK(a.stations[i].moves_to == b.stations[i].moves_to);
    CHECK(a.stations[i].occupancy.mean() == b.stations[i].occupancy.mean());
    CHECK(a.stations[i].wait.count() == b.stations[i].wait.count());
  }
  CHECK(a.arrivals == b.arrivals);
  CHECK(a.completions == b.completions);
}

}  // namespace

TEST_CASE(
    "an interface delay of 0 between merged organisations removes that delay and nothing else",
    "[integration][interfaces]") {
  const Scenario area = models::parse_scenario(kInterfaceArea, "toy_area.yaml");
  const IntegrationModels set = models::parse_integration_models(kInterfaceModels, "models.yaml");
  const Scenario separate = apply(area, set, "direct_provision");
  const Scenario merged = apply(area, set, "merged");
  const Scenario bolt_on = apply(area, set, "merged_bolt_on");
  REQUIRE(merged.settings[station(merged, "nursing")].organisation == "hospital");
  REQUIRE(merged.settings[station(merged, "care")].organisation == "council");
  // The provider arm runs nothing under the merger, so it is not an organisation of the area.
  REQUIRE(merged.organisations.size() == 2u);

  const std::size_t acute = station(area, "acute");
  const std::size_t nursing = station(area, "nursing");
  const std::size_t care = station(area, "care");
  const std::size_t reps = 6;
  const auto written = replicate(area, reps);
  const auto after = replicate(merged, reps);
  const auto control = replicate(separate, reps);
  const auto bolted = replicate(bolt_on, reps);

  for (std::size_t k = 0; k < reps; ++k) {
    INFO("replication " << k);
    const sim::StationResult& before_acute = written[k].stations[acute];
    const sim::StationResult& after_acute = after[k].stations[acute];
    // The delay cause existed, and the merger removes it: exactly 0 days, nobody held.
    CHECK(before_acute.delay_days_for[nursing] > 0.0);
    CHECK(after_acute.delay_days_for[nursing] == 0.0);
    CHECK(after_acute.blocked_days_for[nursing] == 0.0);
    // The council's interface is untouched, bit for bit: its delays, its capacity waits and
    // home care itself.
    CHECK(before_acute.delay_days_for[care] > 0.0);
    CHECK(before_acute.blocked_days_for[care] > before_acute.delay_days_for[care]);
    CHECK(after_acute.delay_days_for[care] == before_acute.delay_days_for[care]);
    CHECK(after_acute.blocked_days_for[care] == before_acute.blocked_days_for[care]);
    CHECK(after_acute.moves_to[care] == before_acute.moves_to[care]);
    CHECK(after[k].stations[care].occupancy.mean() == written[k].stations[care].occupancy.mean());
    CHECK(after[k].stations[care].wait.count() == written[k].stations[care].wait.count());
    CHECK(after[k].stations[care].wait.mean() == written[k].stations[care].wait.mean());
    // The same patients arrive, and as many reach district nursing.
    CHECK(after[k].arrivals == written[k].arrivals);
    CHECK(after[k].streams[0].arrivals == written[k].streams[0].arrivals);
    CHECK(after_acute.wait.count() == before_acute.wait.count());
    // Beds are no longer held for the referral.
    CHECK(after_acute.occupancy.mean() < before_acute.occupancy.mean());
    // Reformed processes between organisations that stay separate, and a merger without
    // reform, change nothing at all.
    require_same_stations(control[k], written[k]);
    require_same_stations(bolted[k], written[k]);
  }

  // The area metrics: the merged delay is now internal (0 days); the cross-organisation delay
  // is the council's alone. (The area as written reports no area metrics - it has no costs,
  // model or levers - so "before" is the three-organisation model, shown above to run the same.)
  const models::RunReport before_report = run(separate, static_cast<std::int64_t>(reps));
  const models::RunReport after_report = run(merged, static_cast<std::int64_t>(reps));
  const auto days = values(after_report, "system", "measured_days");
  const auto interface_before = values(before_report, "area", "delayed_days_interface_per_year");
  const auto interface_after = values(after_report, "area", "delayed_days_interface_per_year");
  const auto internal_after = values(after_report, "area", "delayed_days_internal_per_year");
  const auto moves_after = values(after_report, "area", "cross_organisation_transfers_per_year");
  const auto arrivals_before = values(before_report, "patients", "arrivals");
  const auto arrivals_after = values(after_report, "patients", "arrivals");
  for (std::size_t k = 0; k < reps; ++k) {
    INFO("replication " << k);
    const double per_year = 365.0 / days[k];
    CHECK(internal_after[k] == 0.0);
    CHECK(interface_after[k] ==
          Approx(written[k].stations[acute].delay_days_for[care] * per_year).epsilon(1e-12));
    CHECK(interface_before[k] == Approx((written[k].stations[acute].delay_days_for[nursing] +
                                         written[k].stations[acute].delay_days_for[care]) *
                                        per_year)
                                     .epsilon(1e-12));
    CHECK(moves_after[k] ==
          Approx(static_cast<double>(written[k].stations[acute].moves_to[care]) * per_year)
              .epsilon(1e-12));
    CHECK(arrivals_after[k] == arrivals_before[k]);
  }
}

TEST_CASE("a reformed handoff replaces a written delay but adds none where there was none",
          "[integration][interfaces]") {
  // Inside the merged organisation a move takes the internal delay, here exactly 1 day - in
  // place of the written referral delay, but not on a move that had none.
  std::string models_text = kInterfaceModels;
  const std::string zero = "internal_delay: {distribution: deterministic, value: 0}";
  while (models_text.find(zero) != std::string::npos) {
    models_text.replace(models_text.find(zero), zero.size(),
                        "internal_delay: {distribution: deterministic, value: 1}");
  }
  const IntegrationModels set = models::parse_integration_models(models_text, "models.yaml");
  std::string without = kInterfaceArea;
  const std::string written = R"(
              transfer_delay: {distribution: lognormal, mean: 2, sd: 1.5})";
  REQUIRE(without.find(written) != std::string::npos);
  without.erase(without.find(written), written.size());

  for (const bool has_written_delay : {true, false}) {
    INFO("written acute -> nursing delay: " << has_written_delay);
    const Scenario area =
        models::parse_scenario(has_written_delay ? kInterfaceArea : without, "toy_area.yaml");
    const Scenario merged = apply(area, set, "merged");
    const std::size_t acute = station(area, "acute");
    const std::size_t nursing = station(area, "nursing");
    for (const sim::NetworkResult& r : replicate(merged, 3)) {
      const sim::StationResult& st = r.stations[acute];
      REQUIRE(st.moves_to[nursing] > 0u);
      if (has_written_delay) {
        CHECK(st.delay_days_for[nursing] ==
              Approx(static_cast<double>(st.moves_to[nursing])).epsilon(1e-12));
      } else {
        CHECK(st.delay_days_for[nursing] == 0.0);
      }
    }
  }
}

// --- Direct-care share change -------------------------------------------------------------------

namespace {

// Two provider-arm teams (direct-care share 0.3) and a council team with the same shares.
const std::string kWorkforceArea = R"(name: toy workforce area
run: {horizon: 20, seed: 3}
organisations:
  provider: {kind: pct_provider_arm}
  council: {kind: local_authority}
settings:
  nursing:
    kind: caseload
    service: district_nursing
    organisation: provider
    workforce: {wte: 40, hours_per_week: 37.5, travel_share: 0.1, admin_share: 0.4,
                other_share: 0.2, contact_hours_per_patient_per_week: 1.0}
  matrons:
    kind: caseload
    service: community_matrons
    organisation: provider
    workforce: {wte: 20, hours_per_week: 37.5, travel_share: 0.1, admin_share: 0.4,
                other_share: 0.2, contact_hours_per_patient_per_week: 1.7}
  reablement:
    kind: caseload
    service: social_care_packages
    organisation: council
    workforce: {wte: 20, hours_per_week: 37.5, travel_share: 0.1, admin_share: 0.4,
                other_share: 0.2, contact_hours_per_patient_per_week: 1.7}
cohorts:
  patients:
    arrivals: {rate_per_day: 1}
    pathway:
      steps:
        visit:
          setting: nursing
          duration: {distribution: exponential, mean: 10}
          next:
            - {to: review, probability: 0.5}
            - {to: support, probability: 0.5}
        review: {setting: matrons, duration: {distribution: exponential, mean: 10}, next: exit}
        support: {setting: reablement, duration: {distribution: exponential, mean: 10}, next: exit}
)";

std::string workforce_model(const std::string& change) {
  return "models:\n"
         "  productive:\n"
         "    organisations:\n"
         "      provider:\n"
         "        kind: pct_provider_arm\n"
         "        direct_care_share_change: " +
         change +
         "\n"
         "      council: {kind: local_authority}\n"
         "    services: {district_nursing: provider, community_matrons: provider,\n"
         "               social_care_packages: council}\n"
         "    interfaces: {processes_reformed: false}\n";
}

/// floor(WTE x 37.5 hours x share / contact hours), keeping an exact product whole.
std::int64_t formula(double wte, double share, double contact_hours) {
  return static_cast<std::int64_t>(std::floor(wte * 37.5 * share / contact_hours + 1e-9));
}

}  // namespace

TEST_CASE("a model's direct-care share change sets caseload capacity by the workforce formula",
          "[integration][workforce]") {
  const Scenario area = models::parse_scenario(kWorkforceArea, "toy_area.yaml");
  REQUIRE(area.settings[0].capacity == 450);  // 40 x 37.5 x 0.3 / 1.0
  REQUIRE(area.settings[1].capacity == formula(20, 0.3, 1.7));
  REQUIRE(area.settings[1].capacity == 132);

  for (const double change : {0.05, 0.15, 0.3, 0.5, -0.1, -0.25}) {
    INFO("direct_care_share_change " << change);
    const IntegrationModels set =
        models::parse_integration_models(workforce_model(std::to_string(change)), "m.yaml");
    const Scenario s = apply(area, set, "productive");
    const double share = 0.3 + change;
    CHECK(s.settings[0].capacity == formula(40, share, 1.0));
    CHECK(s.settings[1].capacity == formula(20, share, 1.7));
    // Another organisation's team keeps its capacity.
    CHECK(s.settings[2].capacity == area.settings[2].capacity);
    // The engine gets the new capacity.
    const sim::NetworkSpec spec = models::build_network(s).spec;
    CHECK(spec.stations[0].capacity == s.settings[0].capacity);
    CHECK(spec.stations[1].capacity == s.settings[1].capacity);
  }

  // In proportion: 0.3 -> 0.45 is x1.5 (450 -> 675), 0.3 -> 0.6 is x2 (450 -> 900).
  const auto capacity = [&area](const char* change) {
    const IntegrationModels set =
        models::parse_integration_models(workforce_model(change), "m.yaml");
    return apply(area, set, "productive").settings[0].capacity;
  };
  CHECK(capacity("0.15") == 675);
  CHECK(capacity("0.3") == 900);
  CHECK(capacity("0") == 450);
}

TEST_CASE("a model's change replaces the area's own and acts on the written workforce",
          "[integration][workforce]") {
  std::string text = kWorkforceArea;
  const std::string from = "provider: {kind: pct_provider_arm}";
  text.replace(text.find(from), from.size(),
               "provider: {kind: pct_provider_arm, direct_care_share_change: 0.05}");
  const Scenario area = models::parse_scenario(text, "toy_area.yaml");
  CHECK(area.settings[0].capacity == 525);  // 40 x 37.5 x 0.35
  const IntegrationModels set = models::parse_integration_models(workforce_model("0.15"), "m.yaml");
  CHECK(apply(area, set, "productive").settings[0].capacity == 675);  // 0.45, not 0.5
}

TEST_CASE("an impossible direct-care share change is a ConfigError naming team and organisation",
          "[integration][workforce][errors]") {
  const Scenario area = models::parse_scenario(kWorkforceArea, "toy_area.yaml");
  // +0.65 needs more than admin (0.4) and other time (0.2) together; -0.3 leaves no time for
  // patients at all.
  for (const char* change : {"0.65", "-0.3"}) {
    INFO("direct_care_share_change " << change);
    const IntegrationModels set =
        models::parse_integration_models(workforce_model(change), "bad_models.yaml");
    REQUIRE_THROWS_AS(apply(area, set, "productive"), models::ConfigError);
    REQUIRE_THROWS_WITH(apply(area, set, "productive"),
                        Contains("bad_models.yaml:5") &&
                            Contains("models.productive.organisations.provider") &&
                            Contains("setting 'nursing'") && Contains("organisation 'provider'") &&
                            Contains("impossible"));
  }
  // Just possible: all of admin and other time.
  const IntegrationModels set = models::parse_integration_models(workforce_model("0.6"), "m.yaml");
  CHECK(apply(area, set, "productive").settings[0].capacity == 1350);  // 40 x 37.5 x 0.9
}

TEST_CASE("an impossible change is located at its own organisation and not at another one's",
          "[integration][workforce][errors]") {
  // The provider arm's change is impossible; the council's, listed after it, is fine. The
  // error must point at the provider arm's entry, the one it names.
  const Scenario area = models::parse_scenario(kWorkforceArea, "toy_area.yaml");
  std::string text = workforce_model("0.65");
  const std::string council = "council: {kind: local_authority}";
  REQUIRE(text.find(council) != std::string::npos);
  text.replace(text.find(council), council.size(),
               "council: {kind: local_authority, direct_care_share_change: 0.05}");
  const IntegrationModels set = models::parse_integration_models(text, "bad_models.yaml");
  REQUIRE_THROWS_WITH(apply(area, set, "productive"),
                      Contains("organisation 'provider'") && Contains("bad_models.yaml:5") &&
                          Contains("'models.productive.organisations.provider'"));
}

// --- The shipped area under the shipped models --------------------------------------------------

namespace {

/// configs/examples/area.yaml under `ids` (after direct_provision), 8 replications of 300
/// measured days: long enough for the effect of reform, short enough for the sanitizer build.
std::vector<models::ModelRun> shipped_runs(const std::vector<std::string>& ids) {
  Scenario area = models::load_scenario(TCSIM_SOURCE_DIR "/configs/examples/area.yaml");
  area.run.warmup = 100;
  area.run.horizon = 400;
  const IntegrationModels set =
      models::load_integration_models(TCSIM_SOURCE_DIR "/configs/integration_models.yaml");
  models::RunOptions options;
  options.replications = 8;
  options.threads = 0;
  return models::run_models(area, set, ids, options);
}

const models::MetricSummary& metric(const models::ModelRun& run, const char* name) {
  const models::MetricSummary* m = run.report.find("area", name);
  INFO("model " << run.id << ", metric area." << name);
  REQUIRE(m != nullptr);
  return *m;
}

}  // namespace

TEST_CASE("shipped models: a bolt-on merger leaves acute use alone and a reformed one reduces it",
          "[integration][shipped]") {
  const auto runs = shipped_runs({"vertical_acute", "vertical_acute_bolt_on"});
  REQUIRE(runs.size() == 3);
  REQUIRE(runs[0].id == "direct_provision");  // the baseline is run first
  REQUIRE(runs[1].id == "vertical_acute");
  REQUIRE(runs[2].id == "vertical_acute_bolt_on");

  for (const char* name : {"acute_bed_days_per_year", "acute_delayed_days_per_year"}) {
    const models::MetricSummary& base = metric(runs[0], name);
    REQUIRE(base.estimate.half_width.has_value());
    REQUIRE(base.estimate.mean > 0.0);

    const auto bolt_on = models::difference(metric(runs[2], name), base);
    REQUIRE(bolt_on.has_value());
    REQUIRE(bolt_on->paired.half_width.has_value());
    INFO("area." << name << ": baseline " << describe(base.estimate) << "; bolt-on - baseline "
                 << describe(bolt_on->paired));
    // Structure alone: less than the baseline's own uncertainty, and a paired interval that
    // holds 0.
    CHECK(std::abs(bolt_on->paired.mean) < *base.estimate.half_width);
    CHECK(std::abs(bolt_on->paired.mean) <= *bolt_on->paired.half_width);

    const auto reformed = models::difference(metric(runs[1], name), base);
    REQUIRE(reformed.has_value());
    REQUIRE(reformed->paired.half_width.has_value());
    INFO("vertical_acute - baseline " << describe(reformed->paired));
    // Reform: the paired 95% interval excludes 0, on the side of less acute use.
    CHECK(reformed->paired.mean + *reformed->paired.half_width < 0.0);
  }
}

TEST_CASE("paired differences are tighter than unpaired ones (common random numbers work)",
          "[integration][shipped][comparison]") {
  const auto runs = shipped_runs({"vertical_acute"});
  REQUIRE(runs.size() == 2);
  const auto d = models::difference(metric(runs[1], "acute_bed_days_per_year"),
                                    metric(runs[0], "acute_bed_days_per_year"));
  REQUIRE(d.has_value());
  REQUIRE(d->paired.half_width.has_value());
  REQUIRE(d->unpaired_half_width.has_value());
  INFO("paired " << describe(d->paired) << ", unpaired half-width " << *d->unpaired_half_width);
  CHECK(*d->paired.half_width < *d->unpaired_half_width);
  // The paired mean is the difference of the two means.
  CHECK(d->paired.mean == Approx(metric(runs[1], "acute_bed_days_per_year").estimate.mean -
                                 metric(runs[0], "acute_bed_days_per_year").estimate.mean)
                              .epsilon(1e-9));
}

TEST_CASE("difference(): paired Student-t and unpaired Welch intervals by hand", "[comparison]") {
  models::MetricSummary model{"area", "x", "days", {1, 3, 5, 7}, {}};
  models::MetricSummary base{"area", "x", "days", {2, 2, 4, 4}, {}};
  model.estimate = sim::estimate_mean(model.values);
  base.estimate = sim::estimate_mean(base.values);
  const auto d = models::difference(model, base);
  REQUIRE(d.has_value());
  // Paired: differences -1, 1, 1, 3: mean 1, sd sqrt(8/3), t(0.975, 3) = 3.182446.
  CHECK(d->paired.mean == Approx(1.0));
  REQUIRE(d->paired.half_width.has_value());
  CHECK(*d->paired.half_width == Approx(3.182446 * std::sqrt(8.0 / 3.0) / 2.0).epsilon(1e-6));
  // Welch: variances 20/3 and 4/3 over 4 each, se sqrt(2); dof 4 / (25/9/3 + 1/9/3) = 4.15,
  // rounded down to 4: t(0.975, 4) = 2.776445.
  REQUIRE(d->unpaired_half_width.has_value());
  CHECK(*d->unpaired_half_width == Approx(2.776445 * std::sqrt(2.0)).epsilon(1e-6));

  // No difference without a value in every replication, or with replications that differ.
  models::MetricSummary missing = model;
  missing.values[2] = std::nan("");
  CHECK_FALSE(models::difference(missing, base).has_value());
  models::MetricSummary shorter = model;
  shorter.values.pop_back();
  CHECK_FALSE(models::difference(shorter, base).has_value());
}

// --- Pathway-reform levers ----------------------------------------------------------------------

namespace {

// One cohort whose 2,000 patients all finish (the run drains): acute stays of exactly 10 days,
// then home (70%) or a council home-care package (30%) after an assessment of mean 5 days. Its
// levers, off as written: a crisis team instead of admission, early supported discharge 3 days
// early, and discharge to assess for the package. Every place is unlimited unless a test says
// otherwise.
const std::string kLeverArea = R"(name: toy levers area
run: {horizon: unlimited, seed: 77}
organisations:
  hospital: {kind: acute_trust}
  provider: {kind: pct_provider_arm}
  council: {kind: local_authority}
settings:
  acute: {kind: beds, service: acute_beds, organisation: hospital, capacity: unlimited}
  crisis_team: {kind: caseload, service: rapid_response, organisation: provider, capacity: unlimited}
  esd_team: {kind: caseload, service: rapid_response, organisation: provider, capacity: unlimited}
  assess: {kind: caseload, service: discharge_to_assess, organisation: provider, capacity: unlimited}
  care: {kind: caseload, service: social_care_packages, organisation: council, capacity: unlimited}
cohorts:
  frail:
    arrivals: {rate_per_day: 10, max_arrivals: 2000}
    pathway:
      start: stay
      steps:
        stay:
          setting: acute
          duration: {distribution: deterministic, value: 10}
          next:
            - to: package
              probability: 0.3
              transfer_delay: {distribution: lognormal, mean: 5, sd: 3}
            - {to: exit, probability: 0.7}
        package: {setting: care, duration: {distribution: exponential, mean: 30}, next: exit}
        crisis: {setting: crisis_team, duration: {distribution: exponential, mean: 5}, next: exit}
        supported: {setting: esd_team, duration: {distribution: exponential, mean: 10}, next: exit}
    reforms:
      admission_avoidance: {use: false, eligible_share: 0.3, to: crisis}
      early_supported_discharge:
        use: false
        eligible_share: 0.4
        at: stay
        days_earlier: {distribution: deterministic, value: 3}
        to: supported
      discharge_to_assess:
        use: false
        eligible_share: 0.5
        at: stay
        destinations: [package]
        setting: assess
        referral_delay: {distribution: deterministic, value: 0.5}
)";

std::string lever_model(const std::string& id, const std::string& levers) {
  return "  " + id +
         ":\n"
         "    organisations:\n"
         "      hospital: {kind: acute_trust}\n"
         "      provider: {kind: pct_provider_arm}\n"
         "      council: {kind: local_authority}\n"
         "    services: {acute_beds: hospital, rapid_response: provider,\n"
         "               discharge_to_assess: provider, social_care_packages: council}\n"
         "    interfaces: {processes_reformed: false}\n"
         "    levers:\n" +
         levers;
}

// Uptakes below 1, so a lever that ignored them would send too many.
const std::string kLeverModels =
    "models:\n" +
    lever_model("direct_provision",
                "      admission_avoidance: {use: false}\n"
                "      early_supported_discharge: {use: false}\n"
                "      discharge_to_assess: {use: false}\n") +
    lever_model("avoid", "      admission_avoidance: {use: true, uptake: 0.5}\n") +
    lever_model("esd", "      early_supported_discharge: {use: true, uptake: 0.75}\n") +
    lever_model("d2a", "      discharge_to_assess: {use: true, uptake: 0.8}\n");

/// |successes / trials - p| within the 99.9% normal-approximation binomial interval, which is
/// also required to be narrow enough to mean something.
void require_binomial(const char* what, double successes, double trials, double p) {
  const double half_width = kZ999 * std::sqrt(p * (1.0 - p) / trials);
  INFO(what << ": " << successes << " of " << trials << " = " << successes / trials << ", expected "
            << p << " +- " << half_width);
  REQUIRE(trials > 0.0);
  CHECK(half_width < 0.2 * p);
  CHECK(std::abs(successes / trials - p) <= half_width);
}

void require_in_ci(const char* what, const std::vector<double>& xs, double theory) {
  const sim::Estimate e = sim::estimate_mean(xs, kConfidence);
  INFO(what << ": " << describe(e) << " (99.9%), theory " << theory);
  REQUIRE(e.half_width.has_value());
  CHECK(*e.half_width < 0.1 * theory);
  CHECK(std::abs(e.mean - theory) <= *e.half_width);
}

}  // namespace

TEST_CASE("admission avoidance sends eligible_share x uptake of arrivals to its team",
          "[integration][levers]") {
  const IntegrationModels set = models::parse_integration_models(kLeverModels, "levers.yaml");
  const std::size_t reps = 4;

  SECTION("while the team has room") {
    const Scenario s = apply(models::parse_scenario(kLeverArea, "toy_area.yaml"), set, "avoid");
    REQUIRE(s.cohorts[0].reforms.find("admission_avoidance")->use);
    const sim::NetworkSpec spec = models::build_network(s).spec;
    const std::size_t crisis = step(spec, "frail.crisis");
    const std::size_t stay = step(spec, "frail.stay");
    double avoided = 0.0;
    double arrivals = 0.0;
    for (const sim::NetworkResult& r : replicate(s, reps)) {
      REQUIRE(r.streams[0].arrivals == 2000u);
      CHECK(r.steps[crisis].overflows == 0u);
      // Everyone else is admitted as usual.
      CHECK(r.steps[stay].starts + r.steps[crisis].starts == 2000u);
      avoided += static_cast<double>(r.steps[crisis].starts);
      arrivals += static_cast<double>(r.streams[0].arrivals);
    }
    require_binomial("arrivals sent to the crisis team", avoided, arrivals, 0.3 * 0.5);
  }

  SECTION("and none when it has no room: they go to the start step") {
    std::string text = kLeverArea;
    const std::string from =
        "crisis_team: {kind: caseload, service: rapid_response, "
        "organisation: provider, capacity: unlimited}";
    REQUIRE(text.find(from) != std::string::npos);
    text.replace(text.find(from), from.size(),
                 "crisis_team: {kind: caseload, service: rapid_response, organisation: "
                 "provider, capacity: {schedule: [{from: 0, capacity: 0}]}}");
    const Scenario s = apply(models::parse_scenario(text, "toy_area.yaml"), set, "avoid");
    const sim::NetworkSpec spec = models::build_network(s).spec;
    const std::size_t crisis = step(spec, "frail.crisis");
    const std::size_t stay = step(spec, "frail.stay");
    double overflows = 0.0;
    double arrivals = 0.0;
    for (const sim::NetworkResult& r : replicate(s, reps)) {
      CHECK(r.steps[crisis].starts == 0u);
      CHECK(r.steps[stay].starts == r.streams[0].arrivals);
      overflows += static_cast<double>(r.steps[crisis].overflows);
      arrivals += static_cast<double>(r.streams[0].arrivals);
    }
    // The lever still sends its share; every one of them comes back to the start step.
    require_binomial("arrivals sent back from a full crisis team", overflows, arrivals, 0.3 * 0.5);
    for (const double x : values(run(s, 2), "area", "admissions_avoided_per_year"))
      CHECK(x == 0.0);
  }
}

TEST_CASE("early supported discharge with room in the team shortens the acute stay",
          "[integration][levers]") {
  const Scenario area = models::parse_scenario(kLeverArea, "toy_area.yaml");
  const IntegrationModels set = models::parse_integration_models(kLeverModels, "levers.yaml");
  const models::RunReport base = run(apply(area, set, "direct_provision"), 8);
  const models::RunReport esd = run(apply(area, set, "esd"), 8);
  const auto stay_before = values(base, "acute", "mean_stay");
  const auto stay_after = values(esd, "acute", "mean_stay");
  const auto early = values(esd, "area", "early_discharges_per_year");
  const auto early_days = values(esd, "area", "early_discharge_days_per_year");
  for (std::size_t k = 0; k < stay_before.size(); ++k) {
    INFO("replication " << k);
    CHECK(stay_after[k] < stay_before[k]);
    CHECK(early[k] > 0.0);
    CHECK(early_days[k] == Approx(3.0 * early[k]).epsilon(1e-9));  // 3 days each
  }
  // A stay is 10 days, and a patient bound for home care (30%) holds the bed through the
  // assessment (mean 5 days): 10 + 0.3 x 5 = 11.5. With the lever a share q = 0.4 x 0.75 = 0.3
  // of the stays end after 7 days instead, and those patients go to the ESD team, not to home
  // care: q x 7 + (1 - q) x 11.5 = 10.15.
  require_in_ci("acute.mean_stay without ESD", stay_before, 10.0 + 0.3 * 5.0);
  const double q = 0.4 * 0.75;
  require_in_ci("acute.mean_stay with ESD", stay_after, q * 7.0 + (1.0 - q) * 11.5);
  // Each of them starts an ESD episode.
  const auto esd_admissions = values(esd, "esd_team", "admissions");
  const auto acute_admissions = values(esd, "acute", "admissions");
  double sent = 0.0;
  double admitted = 0.0;
  for (std::size_t k = 0; k < esd_admissions.size(); ++k) {
    sent += esd_admissions[k];
    admitted += acute_admissions[k];
  }
  require_binomial("acute stays ended early", sent, admitted, 0.4 * 0.75);
}

TEST_CASE("discharge to assess moves the assessment out of the acute bed",
          "[integration][levers]") {
  const Scenario area = models::parse_scenario(kLeverArea, "toy_area.yaml");
  const IntegrationModels set = models::parse_integration_models(kLeverModels, "levers.yaml");
  const Scenario d2a = apply(area, set, "d2a");
  const models::RunReport base = run(apply(area, set, "direct_provision"), 8);
  const models::RunReport after = run(d2a, 8);

  const auto for_care_before = values(base, "acute", "delayed_days_for_care");
  const auto for_care_after = values(after, "acute", "delayed_days_for_care");
  const auto for_assess = values(after, "acute", "delayed_days_for_assess");
  const auto assessed = values(after, "assess", "admissions");
  const auto to_care = values(after, "care", "admissions");
  const auto to_care_before = values(base, "care", "admissions");
  const auto at_home = values(after, "area", "assessed_at_home_per_year");
  std::vector<double> saved;
  std::vector<double> per_direct_move;
  double assessed_total = 0.0;
  double care_total = 0.0;
  for (std::size_t k = 0; k < for_care_before.size(); ++k) {
    INFO("replication " << k);
    CHECK(for_care_after[k] < for_care_before[k]);
    saved.push_back(for_care_before[k] - for_care_after[k]);
    // The assessed patients hold the acute bed only for the 0.5-day referral.
    CHECK(assessed[k] > 0.0);
    CHECK(for_assess[k] == Approx(0.5 * assessed[k]).epsilon(1e-9));
    CHECK(at_home[k] > 0.0);
    // The same routing draws lead to home care, directly or through assessment.
    CHECK(to_care[k] == to_care_before[k]);
    per_direct_move.push_back(for_care_after[k] / (to_care[k] - assessed[k]));
    assessed_total += assessed[k];
    care_total += to_care[k];
  }
  // A share 0.5 x 0.8 of those bound for home care is assessed out of hospital.
  require_binomial("moves to home care assessed at home", assessed_total, care_total, 0.5 * 0.8);
  // The rest still wait the written assessment (mean 5 days) in the acute bed...
  require_in_ci("acute delay days per direct move to home care", per_direct_move, 5.0);
  // ...and the assessed spend it in the discharge-to-assess place instead.
  require_in_ci("assess.mean_stay", values(after, "assess", "mean_stay"), 5.0);
  const sim::Estimate e = sim::estimate_mean(saved, kConfidence);
  INFO("acute delay days for home care saved: " << describe(e));
  REQUIRE(e.half_width.has_value());
  CHECK(e.mean - *e.half_width > 0.0);
}

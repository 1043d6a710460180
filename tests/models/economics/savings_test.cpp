// What productivity saves (models/economics/savings.hpp) and how uncertain it is
// (models/economics/sensitivity.hpp):
//   - hand-computed release on a deterministic toy (tests/models/data/savings/): a team whose
//     minimal caseload is known exactly, so the spare WTE is N c / (h s0) - N c / (h (s0 + g))
//     and the saving that WTE x cost per WTE x (1 + overhead) a year; national = count x area
//     over two archetypes of different sizes;
//   - with no productivity gain neither policy saves anything (the shipped area, quick runs);
//   - the absorb saving grows with the acute bed-day cost, by exactly the beds closed x 365 x
//     occupancy x the rise in cost;
//   - the search finds the minimum of an M/M/c caseload that Erlang C gives;
//   - the shipped England config's calibration report (quick run) is within every judged range;
//   - distribution quantiles, and the tornado and PSA on the toy, where every saving is known in
//     closed form (the Latin hypercube the PSA draws from: tests/models/experiments/design_test).
// Exact quantities are compared to rounding (relative 1e-12); statistical ones by 99.9%
// Student-t intervals across replications, or by the binomial spread of a sample quantile.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "support/queueing_theory.hpp"
#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/economics/capacity_search.hpp"
#include "tcsim/models/economics/savings.hpp"
#include "tcsim/models/economics/sensitivity.hpp"
#include "tcsim/models/experiments/design.hpp"  // latin_hypercube: the PSA draws
#include "tcsim/models/policy/integration_model.hpp"
#include "tcsim/models/policy/national_config.hpp"
#include "tcsim/models/run/scenario_run.hpp"
#include "tcsim/sim/distribution.hpp"
#include "tcsim/sim/output_analysis.hpp"

using namespace tcsim;
using models::NationalConfig;
using models::RunReport;
using models::SavingsOptions;
using models::SavingsReport;
using models::SavingsRow;
using models::Scenario;

namespace {

constexpr double kRounding = 1e-12;
constexpr double kConfidence = 0.999;
constexpr double kZ999 = 3.2905267314919;  // two-sided 99.9% normal quantile

const std::string kData = TCSIM_SOURCE_DIR "/tests/models/data/savings/";
const std::string kEngland = TCSIM_SOURCE_DIR "/configs/england_2009.yaml";
const std::string kShippedModels = TCSIM_SOURCE_DIR "/configs/integration_models.yaml";

RunReport run(const Scenario& s, std::int64_t replications) {
  models::RunOptions options;
  options.replications = replications;
  options.threads = 0;  // one per core: the results do not depend on it
  return models::run_scenario(s, options);
}

const std::vector<double>& values(const RunReport& report, const std::string& scope,
                                  const std::string& name) {
  const models::MetricSummary* m = report.find(scope, name);
  INFO("metric " << scope << "." << name);
  REQUIRE(m != nullptr);
  return m->values;
}

const SavingsRow& row(const SavingsReport& report, const std::string& model,
                      const std::string& policy) {
  const SavingsRow* r = report.find(model, policy);
  INFO("row " << model << " / " << policy);
  REQUIRE(r != nullptr);
  return *r;
}

std::string describe(const sim::Estimate& e) {
  std::string out = std::to_string(e.mean);
  if (e.half_width) out += " +- " + std::to_string(*e.half_width);
  return out + " (" + std::to_string(e.n) + " replications)";
}

// --- The toy of tests/models/data/savings/ ------------------------------------------------------
// One district-nursing team: 37.5 hours a WTE a week, direct-care share 0.30 (travel 0.1, admin
// 0.4, other 0.2), 1.5 contact hours a patient a week, £40,000 a WTE a year, provider overhead
// 10%. Six patients wait for it at day 0 (nine where the area is 1.5 times the template).
constexpr double kHours = 37.5;
constexpr double kContactHours = 1.5;
constexpr double kShare = 0.30;
constexpr double kCostPerWte = 40000.0;
constexpr double kOverhead = 0.10;

/// WTE the toy team needs to carry `places` patients at direct-care share `share`.
double wte_needed(double places, double share) {
  return places * kContactHours / (kHours * share);
}

/// The toy nation's spare WTE at gain `g`: 3 areas whose minimum is 6 places and 2 whose
/// minimum is 9, each freeing what its places need at 0.30 less what they need at 0.30 + g.
double toy_spare_wte(double g) {
  const double small = wte_needed(6, kShare) - wte_needed(6, kShare + g);
  const double large = wte_needed(9, kShare) - wte_needed(9, kShare + g);
  return 3.0 * small + 2.0 * large;
}

NationalConfig toy_nation() {
  return models::load_national_config(kData + "toy_nation.yaml");
}

models::IntegrationModels toy_models() {
  return models::load_integration_models(kData + "toy_models.yaml");
}

}  // namespace

// --- Hand-computed release on a deterministic toy -----------------------------------------------

TEST_CASE("minimal capacity: N patients waiting at day 0 for stays within the run need N places",
          "[savings][search]") {
  const Scenario area = models::load_scenario(kData + "toy_area.yaml");
  REQUIRE(area.settings[0].capacity == 15);  // 2 x 37.5 x 0.3 / 1.5
  const RunReport base = run(area, 2);
  for (std::size_t k = 0; k < 2; ++k) {
    INFO("replication " << k);
    REQUIRE(values(base, "system", "arrivals")[k] == 0.0);  // nobody but the six
    REQUIRE(values(base, "team", "admissions")[k] == 6.0);
    REQUIRE(values(base, "team", "p95_wait")[k] == 0.0);
  }
  const models::SavingsSettings cfg;  // wait tolerance 0.5 day
  const models::SavingsRun length{2, 400.0, 0.0};
  // Five places: the sixth patient waits 100 days. Six: nobody waits.
  CHECK(models::minimal_capacity(area, "team", base, cfg, length, 0) == 6);
  // The tolerance is a rise in days. Allowing a little over 100 (the p95 is read from a histogram
  // within 1.6%), three places do: three patients start at day 0 and three at day 100, while at
  // two places the last two wait 200 days.
  models::SavingsSettings lax = cfg;
  lax.wait_tolerance_days = 102.0;
  CHECK(models::minimal_capacity(area, "team", base, lax, length, 0) == 3);
}

TEST_CASE("minimal capacity: N patients waiting at day 0 who stay beyond the horizon need N places",
          "[savings][search]") {
  // The issue's toy as stated: stays longer than the horizon, so below N places somebody waits
  // for ever - the whole run - and is never admitted; at N places nobody waits.
  Scenario area = models::load_scenario(kData + "toy_area.yaml");
  area.cohorts[0].steps[0].duration = sim::Distribution::deterministic(1000.0);  // > 400 days
  const RunReport base = run(area, 2);
  for (std::size_t k = 0; k < 2; ++k) {
    INFO("replication " << k);
    REQUIRE(values(base, "system", "arrivals")[k] == 0.0);
    REQUIRE(values(base, "team", "admissions")[k] == 6.0);
    REQUIRE(values(base, "team", "p95_wait")[k] == 0.0);
  }
  // At one place five patients wait all 400 days: that is not the baseline's service level.
  Scenario one_place = area;
  one_place.settings[0].capacity = 1;
  const RunReport starved = run(one_place, 2);
  CHECK(values(starved, "team", "mean_queue")[0] == Approx(5.0));
  const models::SavingsSettings cfg;
  const models::SavingsRun length{2, 400.0, 0.0};
  CHECK(models::minimal_capacity(area, "team", base, cfg, length, 0) == 6);
}

TEST_CASE("release by hand: spare WTE, its cost with overheads, national = count x area",
          "[savings][release]") {
  const NationalConfig nation = toy_nation();
  const models::IntegrationModels set = toy_models();
  REQUIRE(nation.archetypes.size() == 2u);

  // Each archetype is the template scaled to its population: 6 patients and 2 WTE (15 places)
  // in the small areas, 9 and 3 WTE (22 places) in the large ones; the search finds 6 and 9.
  const std::int64_t waiting[] = {6, 9};
  const double wte[] = {2.0, 3.0};
  const std::int64_t places[] = {15, 22};
  for (std::size_t a = 0; a < 2; ++a) {
    const models::Archetype& archetype = nation.archetypes[a];
    INFO("archetype " << archetype.name);
    const Scenario area =
        models::apply_model(models::build_archetype(nation, archetype, {}, nation.savings.full),
                            set, set.find(models::kBaselineModel));
    REQUIRE(area.cohorts[0].steps[0].initial_waiting == waiting[a]);
    REQUIRE(area.settings[0].workforce->wte == Approx(wte[a]).epsilon(kRounding));
    REQUIRE(area.settings[0].capacity == places[a]);
    const RunReport base = run(area, nation.savings.full.replications);
    for (double x : values(base, "system", "arrivals"))
      REQUIRE(x == 0.0);
    CHECK(models::minimal_capacity(area, "team", base, nation.savings, nation.savings.full, 0) ==
          waiting[a]);
  }

  // The config's gain (0.10) and two given as overrides.
  for (const double gain : {0.10, 0.05, 0.25}) {
    INFO("productivity gain " << gain);
    SavingsOptions options;
    if (gain != 0.10) options.productivity_gain = gain;
    const SavingsReport report = models::run_savings(nation, set, options);
    CHECK(report.productivity_gain == gain);
    CHECK(report.replications == 2);
    REQUIRE(report.rows.size() == 2u);  // the baseline model under the two policies

    const double spare = toy_spare_wte(gain);
    if (gain == 0.10) {
      // 6 x 1.5 / 37.5 x (1/0.3 - 1/0.4) = 0.2 WTE a small area, 0.3 a large one.
      CHECK(spare == Approx(3 * 0.2 + 2 * 0.3).epsilon(kRounding));
    }
    const double saving = spare * kCostPerWte * (1.0 + kOverhead);
    if (gain == 0.10) CHECK(saving == Approx(52'800.0).epsilon(kRounding));
    CHECK(report.community_cost_per_wte == Approx(kCostPerWte).epsilon(kRounding));

    const SavingsRow& release = row(report, models::kBaselineModel, "release");
    const SavingsRow& absorb = row(report, models::kBaselineModel, "absorb");
    for (const SavingsRow* r : {&release, &absorb}) {
      INFO("policy " << r->policy);
      CHECK(r->spare_wte == Approx(spare).epsilon(kRounding));
      CHECK(r->spare_beds == 0.0);
      REQUIRE(r->saving.size() == 2u);
      for (std::size_t k = 0; k < 2; ++k) {
        INFO("replication " << k);
        // Nothing reaches a hospital: no acute beds, no levers (absorb cuts as release does).
        CHECK(r->acute_bed_days_avoided[k] == 0.0);
        CHECK(r->admissions_avoided[k] == 0.0);
        CHECK(r->acute_beds_closed[k] == 0.0);
        CHECK(r->delayed_days_change[k] == 0.0);
        CHECK(r->community_cost_change[k] == Approx(-saving).epsilon(kRounding));
        CHECK(r->saving[k] == Approx(saving).epsilon(kRounding));
      }
    }
  }
}

// --- No gain, no saving; absorb and the acute cost ----------------------------------------------

namespace {

/// The shipped England config with its `mixed` archetype alone (the template as written, 63
/// areas), for the properties below that need the real area but not all three archetypes.
NationalConfig england_mixed_only() {
  NationalConfig config = models::load_national_config(kEngland);
  const auto mixed = std::find_if(config.archetypes.begin(), config.archetypes.end(),
                                  [](const models::Archetype& a) { return a.name == "mixed"; });
  REQUIRE(mixed != config.archetypes.end());
  REQUIRE(mixed->set.empty());
  config.archetypes = {*mixed};
  return config;
}

SavingsOptions quick_baseline() {
  SavingsOptions options;
  options.quick = true;
  options.models = {models::kBaselineModel};
  return options;
}

}  // namespace

TEST_CASE("with no productivity gain neither policy saves anything under direct provision",
          "[savings][shipped]") {
  NationalConfig config = england_mixed_only();
  // Ten replications, not the quick three: on 2 degrees of freedom the 99.9% interval is 31.6
  // standard errors wide each way and would not see a saving of hundreds of millions.
  config.savings.quick.replications = 10;
  const models::IntegrationModels set = models::load_integration_models(kShippedModels);
  SavingsOptions options = quick_baseline();
  options.productivity_gain = 0.0;
  const SavingsReport report = models::run_savings(config, set, options);
  CHECK(report.productivity_gain == 0.0);
  for (const char* policy : {"release", "absorb"}) {
    INFO("policy " << policy);
    const SavingsRow& r = row(report, models::kBaselineModel, policy);
    CHECK(r.spare_wte == 0.0);
    CHECK(r.spare_beds == 0.0);
    const sim::Estimate saving = sim::estimate_mean(r.saving, kConfidence);
    INFO("saving " << describe(saving));
    REQUIRE(saving.half_width.has_value());
    CHECK(std::abs(saving.mean) <= *saving.half_width);
  }
  // Release with nothing freed is the baseline itself: the same replications, the same cost.
  for (double x : row(report, models::kBaselineModel, "release").saving)
    CHECK(x == 0.0);
  // Absorb has no freed WTE to staff the lever teams with, so nobody is diverted to them.
  const SavingsRow& absorb = row(report, models::kBaselineModel, "absorb");
  for (std::size_t k = 0; k < absorb.saving.size(); ++k) {
    INFO("replication " << k);
    CHECK(absorb.admissions_avoided[k] == 0.0);
    CHECK(absorb.acute_beds_closed[k] == 0.0);
  }
}

TEST_CASE("the absorb saving grows with the acute bed-day cost by the beds closed",
          "[savings][absorb][shipped]") {
  const NationalConfig config = england_mixed_only();
  const models::IntegrationModels set = models::load_integration_models(kShippedModels);
  SavingsOptions low = quick_baseline();
  SavingsOptions high = quick_baseline();
  // In 2010/11 prices, area.yaml's price year for the acute cost (a full cost: no overhead).
  low.area_overrides = {{"settings.acute.cost.per_occupied_day", "230"}};
  high.area_overrides = {{"settings.acute.cost.per_occupied_day", "300"}};
  const SavingsReport at_low = models::run_savings(config, set, low);
  const SavingsReport at_high = models::run_savings(config, set, high);
  const double deflator = 275.6 / 281.8;  // area.yaml's index, 2010/11 -> 2009/10
  CHECK(at_low.acute_cost_per_bed_day == Approx(230.0 * deflator).epsilon(kRounding));
  CHECK(at_high.acute_cost_per_bed_day == Approx(300.0 * deflator).epsilon(kRounding));
  const double rise = at_high.acute_cost_per_bed_day - at_low.acute_cost_per_bed_day;
  const double occupancy = config.savings.target_acute_occupancy;

  const SavingsRow& a_low = row(at_low, models::kBaselineModel, "absorb");
  const SavingsRow& a_high = row(at_high, models::kBaselineModel, "absorb");
  REQUIRE(a_low.saving.size() == a_high.saving.size());
  double closed = 0.0;
  for (std::size_t k = 0; k < a_low.saving.size(); ++k) {
    INFO("replication " << k);
    // The cost moves no patient (same seed): the same beds close, community costs are equal.
    REQUIRE(a_high.acute_beds_closed[k] == a_low.acute_beds_closed[k]);
    CHECK(a_high.community_cost_change[k] == a_low.community_cost_change[k]);
    const double beds = a_low.acute_beds_closed[k];
    closed += beds;
    CHECK(a_high.saving[k] - a_low.saving[k] ==
          Approx(beds * 365.0 * occupancy * rise)
              .margin(kRounding * std::max(std::abs(a_high.saving[k]), 1.0)));
    CHECK(a_high.saving[k] >= a_low.saving[k]);
    if (beds > 0.0) CHECK(a_high.saving[k] > a_low.saving[k]);
  }
  CHECK(closed > 0.0);  // beds do close, so the strict case was tested
  // Release closes no acute beds: its saving does not depend on their cost.
  CHECK(row(at_high, models::kBaselineModel, "release").saving ==
        row(at_low, models::kBaselineModel, "release").saving);
}

// --- The search against Erlang C ----------------------------------------------------------------

namespace {

// An M/M/c caseload: referrals at 4 a day (Poisson), exponential episodes of mean 5 days, so
// the offered load is 20 places; 40 places today, where almost nobody waits (P(wait) ~ 1e-5).
// Sixteen replications of 15,000 days after a 200-day warm-up (the queue relaxes in days) give
// each p95 from about 60,000 waits.
const std::string kMmcCaseload = R"(name: M/M/c caseload
run: {horizon: 15200, warmup: 200, seed: 977}
settings:
  caseload:
    kind: caseload
    service: district_nursing
    capacity: 40
    cost: {per_occupied_day: 10}
cohorts:
  referrals:
    arrivals: {rate_per_day: 4}
    pathway:
      steps:
        episode: {setting: caseload, duration: {distribution: exponential, mean: 5}, next: exit}
)";

constexpr double kLambda = 4.0;
constexpr double kMeanEpisode = 5.0;
constexpr std::int64_t kMmcReplications = 16;

}  // namespace

TEST_CASE("the search finds the fewest places whose Erlang C p95 wait keeps the service level",
          "[savings][search][theory]") {
  const Scenario caseload = models::parse_scenario(kMmcCaseload, "mmc_caseload.yaml");
  const RunReport base = run(caseload, kMmcReplications);
  // At 40 places P(wait) = C(40, 20) ~ 1e-5 < 5%: the baseline's p95 wait is 0.
  REQUIRE(test::mmc_wait_quantile(40, kLambda, kMeanEpisode, 0.95) == 0.0);
  for (double x : values(base, "caseload", "p95_wait"))
    REQUIRE(x == 0.0);

  // The tolerance sits midway between the p95 waits of 25 places (1.43 days) and 26 (0.88).
  models::SavingsSettings cfg;
  cfg.wait_tolerance_days = 1.15;
  std::int64_t expected = 0;
  for (std::int64_t c = 21; c <= 40 && expected == 0; ++c) {
    if (test::mmc_wait_quantile(c, kLambda, kMeanEpisode, 0.95) <= cfg.wait_tolerance_days)
      expected = c;
  }
  REQUIRE(expected == 26);

  // The simulated p95 at the two capacities that decide the answer: theory inside its 99.9%
  // interval, and the whole interval on the right side of the tolerance, so that the search's
  // verdict there is not a matter of noise.
  for (const std::int64_t c : {expected - 1, expected}) {
    Scenario trial = caseload;
    trial.settings[0].capacity = c;
    const sim::Estimate p95 = sim::estimate_mean(
        values(run(trial, kMmcReplications), "caseload", "p95_wait"), kConfidence);
    const double theory = test::mmc_wait_quantile(c, kLambda, kMeanEpisode, 0.95);
    INFO(c << " places: simulated p95 wait " << describe(p95) << ", Erlang C " << theory);
    REQUIRE(p95.half_width.has_value());
    CHECK(std::abs(p95.mean - theory) <= *p95.half_width);
    if (c < expected) {
      CHECK(p95.mean - *p95.half_width > cfg.wait_tolerance_days);
    } else {
      CHECK(p95.mean + *p95.half_width < cfg.wait_tolerance_days);
    }
  }

  const models::SavingsRun length{kMmcReplications, 15200.0, 200.0};
  CHECK(models::minimal_capacity(caseload, "caseload", base, cfg, length, 0) == expected);
}

// --- Calibration of the shipped England config ---------------------------------------------------

TEST_CASE("the shipped England baseline is within every judged calibration range (quick run)",
          "[savings][calibration][shipped]") {
  const NationalConfig england = models::load_national_config(kEngland);
  const models::IntegrationModels set = models::load_integration_models(kShippedModels);
  const SavingsReport report = models::run_savings(england, set, quick_baseline());
  REQUIRE(report.calibration.size() == england.calibration.size());
  int judged = 0;
  int context = 0;
  for (std::size_t i = 0; i < report.calibration.size(); ++i) {
    const models::CalibrationRow& c = report.calibration[i];
    INFO(c.name << ": simulated " << describe(c.simulated) << ", published " << c.low << " to "
                << c.high << (c.context ? " (context)" : ""));
    CHECK(c.name == england.calibration[i].name);
    CHECK(c.context == england.calibration[i].context);
    CHECK(std::isfinite(c.simulated.mean));  // every target is one the baseline simulates
    if (c.context) {
      ++context;
      continue;
    }
    ++judged;
    CHECK(c.within());
  }
  CHECK(judged > 0);
  CHECK(context > 0);
}

// --- Quantiles --------------------------------------------------------------------------------

TEST_CASE("distribution_quantile is the quantile within the spread of 20,000 draws",
          "[sensitivity]") {
  // The q-quantile of n draws has standard deviation sqrt(q (1 - q) / n) / f(x_q) for density f
  // (normal approximation of the binomial count below x_q); each check allows 3.29 of them
  // (99.9%) plus the interpolation between neighbouring order statistics.
  const double n = 20'000.0;
  const double a = 220.0, b = 300.0;
  const sim::Distribution uniform = sim::Distribution::uniform(a, b);
  for (const double q : {0.05, 0.25, 0.5, 0.75, 0.95}) {
    const double tolerance = kZ999 * (b - a) * std::sqrt(q * (1.0 - q) / n) + (b - a) / n;
    INFO("uniform(220, 300), q = " << q << ", tolerance " << tolerance);
    CHECK(std::abs(models::distribution_quantile(uniform, q) - (a + q * (b - a))) <= tolerance);
  }
  // Triangular(0.02, 0.10, 0.20), as savings.productivity_gain in the England config:
  // F(x) = (x - lo)^2 / ((hi - lo)(mode - lo)) up to the mode, 1 - (hi - x)^2 / ((hi - lo)(hi -
  // mode)) above it.
  const double lo = 0.02, mode = 0.10, hi = 0.20;
  const sim::Distribution triangle = sim::Distribution::triangular(lo, mode, hi);
  const double at_mode = (mode - lo) / (hi - lo);
  for (const double q : {0.05, 0.3, 0.5, 0.95}) {
    const double x = q <= at_mode ? lo + std::sqrt(q * (hi - lo) * (mode - lo))
                                  : hi - std::sqrt((1.0 - q) * (hi - lo) * (hi - mode));
    const double density = x <= mode ? 2.0 * (x - lo) / ((hi - lo) * (mode - lo))
                                     : 2.0 * (hi - x) / ((hi - lo) * (hi - mode));
    const double tolerance = kZ999 * std::sqrt(q * (1.0 - q) / n) / density + (hi - lo) / n;
    INFO("triangular(0.02, 0.10, 0.20), q = " << q << ": " << x << ", tolerance " << tolerance);
    CHECK(std::abs(models::distribution_quantile(triangle, q) - x) <= tolerance);
  }
}

// --- Tornado and PSA on the toy, where each saving is known in closed form ----------------------

namespace {

/// The toy nation with two uncertain inputs: the nurses' cost per WTE and the gain.
NationalConfig toy_nation_with_uncertain_inputs() {
  NationalConfig nation = toy_nation();
  const auto input = [](const char* path, const sim::Distribution& d) {
    models::UncertainInput u;  // by member: the file location is not part of the test
    u.path = path;
    u.distribution = d;
    return u;
  };
  nation.uncertain = {
      input("area.staff_groups.nurse.cost_per_wte_year", sim::Distribution::uniform(30000, 50000)),
      input("savings.productivity_gain", sim::Distribution::uniform(0.05, 0.15)),
  };
  return nation;
}

/// The toy's release saving (and absorb: no beds, no levers) at gain g and cost per WTE.
double toy_saving(double gain, double cost_per_wte) {
  return toy_spare_wte(gain) * cost_per_wte * (1.0 + kOverhead);
}

}  // namespace

TEST_CASE("tornado on the toy: each input at its 5th and 95th percentile, ranked by swing",
          "[sensitivity][tornado]") {
  const NationalConfig nation = toy_nation_with_uncertain_inputs();
  const models::TornadoReport tornado = models::run_tornado(nation, toy_models(), SavingsOptions{});
  // Central: the config's own values (gain 0.10, £40,000), not the distributions' means.
  CHECK(tornado.release_central == Approx(toy_saving(0.10, kCostPerWte)).epsilon(kRounding));
  CHECK(tornado.absorb_central == Approx(toy_saving(0.10, kCostPerWte)).epsilon(kRounding));
  REQUIRE(tornado.bars.size() == 2u);
  for (const models::TornadoBar& bar : tornado.bars) {
    INFO("input " << bar.input);
    const bool cost = bar.input == nation.uncertain[0].path;
    const sim::Distribution& d = nation.uncertain[cost ? 0 : 1].distribution;
    CHECK(bar.low_value == models::distribution_quantile(d, 0.05));
    CHECK(bar.high_value == models::distribution_quantile(d, 0.95));
    const double at_low = cost ? toy_saving(0.10, bar.low_value) : toy_saving(bar.low_value, 4e4);
    const double at_high =
        cost ? toy_saving(0.10, bar.high_value) : toy_saving(bar.high_value, 4e4);
    CHECK(bar.release_at_low == Approx(at_low).epsilon(kRounding));
    CHECK(bar.release_at_high == Approx(at_high).epsilon(kRounding));
    CHECK(bar.absorb_at_low == Approx(at_low).epsilon(kRounding));
    CHECK(bar.absorb_at_high == Approx(at_high).epsilon(kRounding));
    CHECK(bar.swing() == Approx(std::abs(at_high - at_low)).epsilon(kRounding));
  }
  // The gain's range (about 0.055-0.145) moves the saving more than the cost's (31,000-49,000).
  CHECK(tornado.bars[0].input == "savings.productivity_gain");
  CHECK(tornado.bars[0].swing() > tornado.bars[1].swing());
}

TEST_CASE("PSA on the toy: Latin hypercube draws of the inputs, the whole analysis per draw",
          "[sensitivity][psa]") {
  const NationalConfig nation = toy_nation_with_uncertain_inputs();
  const std::size_t draws = 5;
  const models::PsaReport psa = models::run_psa(nation, toy_models(), SavingsOptions{}, draws, 11);
  REQUIRE(psa.inputs ==
          std::vector<std::string>{nation.uncertain[0].path, nation.uncertain[1].path});
  const auto points = models::latin_hypercube(draws, 2, 11);
  REQUIRE(psa.draws.size() == draws);
  REQUIRE(psa.rows.size() == 2u);
  CHECK(psa.rows[0].policy == "release");
  CHECK(psa.rows[1].policy == "absorb");
  for (std::size_t j = 0; j < draws; ++j) {
    INFO("draw " << j);
    const double cost = psa.draws[j][0];
    const double gain = psa.draws[j][1];
    CHECK(cost == models::distribution_quantile(nation.uncertain[0].distribution, points[j][0]));
    CHECK(gain == models::distribution_quantile(nation.uncertain[1].distribution, points[j][1]));
    for (const models::PsaRow& r : psa.rows) {
      REQUIRE(r.savings.size() == draws);
      CHECK(r.savings[j] == Approx(toy_saving(gain, cost)).epsilon(kRounding));
    }
  }
}

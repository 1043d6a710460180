// The reference models loaded from their shipped YAML files (configs/reference/), changed by
// overrides as `tcsim run --set` changes them, and checked against what is known exactly:
//   - model B with unlimited community places: nobody is ever blocked, and the acute ward's
//     mean occupancy is admissions per day x mean stay = 40 x 6 = 240 beds (Little's law);
//   - model B as stated: delayed transfer days, which fall when intermediate care has more beds
//     (a paired comparison under common random numbers);
//   - model A: the M/M/c mean wait of Erlang C, 0.6687 days.
// Each comparison with theory uses the 99.9% Student-t interval across replications (as in
// tests/support/replications.hpp). Run lengths are kept short enough for the sanitizer build.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "support/queueing_theory.hpp"
#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/run/scenario_run.hpp"
#include "tcsim/sim/output_analysis.hpp"

using namespace tcsim;

namespace {

constexpr double kConfidence = 0.999;

std::string reference_config(const std::string& name) {
  return std::string(TCSIM_SOURCE_DIR) + "/configs/reference/" + name;
}

models::RunReport run(const models::Scenario& scenario, std::int64_t replications) {
  models::RunOptions options;
  options.replications = replications;
  options.threads = 0;  // one per core: the results do not depend on it
  return models::run_scenario(scenario, options);
}

std::vector<double> values(const models::RunReport& report, const std::string& scope,
                           const std::string& name) {
  const models::MetricSummary* metric = report.find(scope, name);
  INFO("metric " << scope << "." << name);
  REQUIRE(metric != nullptr);
  return metric->values;
}

sim::Estimate estimate(const std::vector<double>& values) {
  return sim::estimate_mean(values, kConfidence);
}

std::string describe(const sim::Estimate& e) {
  std::ostringstream out;
  out << e.mean;
  if (e.half_width) out << " +- " << *e.half_width;
  out << " (99.9% CI, " << e.n << " replications)";
  return out.str();
}

/// `theory` lies in the 99.9% interval of `metric`, and the interval is narrower than
/// `max_half_width` (a check with a very wide interval would prove nothing).
void require_in_ci(const models::RunReport& report, const std::string& scope,
                   const std::string& name, double theory, double max_half_width) {
  const sim::Estimate e = estimate(values(report, scope, name));
  INFO(scope << "." << name << ": simulated " << describe(e) << ", theory " << theory);
  REQUIRE(e.half_width.has_value());
  CHECK(*e.half_width < max_half_width);
  CHECK(std::abs(e.mean - theory) <= *e.half_width);
}

}  // namespace

TEST_CASE("model B with unlimited community places blocks nobody and fills 240 acute beds",
          "[model_b][validation]") {
  // 100 days of warm-up from empty (stays average 6, 21 and 14 days), then 1000 measured days.
  const models::Scenario scenario =
      models::load_scenario(reference_config("acute_community.yaml"),
                            {{"settings.community_nursing.capacity", "unlimited"},
                             {"settings.intermediate_care.capacity", "unlimited"},
                             {"run.warmup", "100"},
                             {"run.horizon", "1100"}});
  REQUIRE(scenario.settings.size() == 3);
  CHECK(scenario.settings[1].capacity == sim::kUnlimited);
  CHECK(scenario.settings[2].capacity == sim::kUnlimited);
  const models::RunReport report = run(scenario, 10);

  // Every discharge finds a place at once: no delayed transfers in any replication.
  for (const double delayed : values(report, "acute", "delayed_patients"))
    CHECK(delayed == 0.0);
  for (const double days : values(report, "acute", "delayed_days"))
    CHECK(days == 0.0);
  for (const double days : values(report, "system", "measured_days"))
    CHECK(days == 1000.0);

  // Little's law with stays that no blocking lengthens: admissions per day x mean stay.
  require_in_ci(report, "acute", "mean_occupancy", 40.0 * 6.0, 0.02 * 240.0);
  require_in_ci(report, "community_nursing", "mean_occupancy", 40.0 * 0.25 * 21.0, 0.05 * 210.0);
  require_in_ci(report, "intermediate_care", "mean_occupancy", 40.0 * 0.15 * 14.0, 0.05 * 84.0);
}

TEST_CASE("model B: more intermediate-care beds mean fewer delayed transfer days in acute",
          "[model_b][validation]") {
  // As stated (100 intermediate-care beds, offered load 84) against 130 beds, ten years each,
  // under the same seed: replication k of both runs sees the same patients (common random
  // numbers), so the per-replication differences measure the effect of the beds alone.
  const std::string path = reference_config("acute_community.yaml");
  const models::Scenario stated = models::load_scenario(path);
  const models::Scenario more =
      models::load_scenario(path, {{"settings.intermediate_care.capacity", "130"}});
  REQUIRE(stated.settings[2].name == "intermediate_care");
  REQUIRE(stated.settings[2].capacity == 100);
  REQUIRE(more.settings[2].capacity == 130);
  REQUIRE(stated.run.seed == more.run.seed);

  const std::int64_t replications = 16;
  const std::vector<double> before = values(run(stated, replications), "acute", "delayed_days");
  const std::vector<double> after = values(run(more, replications), "acute", "delayed_days");
  REQUIRE(before.size() == after.size());

  const sim::Estimate stated_days = estimate(before);
  INFO("acute.delayed_days with 100 beds: " << describe(stated_days));
  REQUIRE(stated_days.half_width.has_value());
  CHECK(stated_days.mean - *stated_days.half_width > 0.0);

  std::vector<double> saved;
  for (std::size_t k = 0; k < before.size(); ++k)
    saved.push_back(before[k] - after[k]);
  const sim::Estimate difference = estimate(saved);
  INFO("acute.delayed_days saved by 30 more beds: " << describe(difference));
  REQUIRE(difference.half_width.has_value());
  CHECK(difference.mean - *difference.half_width > 0.0);  // the interval excludes 0
  CHECK(estimate(after).mean < stated_days.mean);
}

TEST_CASE("model A from its YAML file reproduces Erlang C's mean wait", "[model_a][validation]") {
  // configs/reference/mmc.yaml with 50,000 customers per replication instead of 1,000,000.
  const models::Scenario scenario = models::load_scenario(
      reference_config("mmc.yaml"), {{"cohorts.customers.arrivals.max_arrivals", "50000"}});
  REQUIRE(scenario.cohorts.size() == 1);
  REQUIRE(scenario.cohorts[0].max_arrivals == 50000);
  const models::RunReport report = run(scenario, 20);

  const test::MmcTheory theory = test::mmc(10, 9.0, 1.0);
  CHECK(theory.wq == Approx(0.6687).margin(5e-5));
  for (const double arrivals : values(report, "system", "arrivals"))
    CHECK(arrivals == 50000.0);
  require_in_ci(report, "servers", "mean_wait", theory.wq, 0.2 * theory.wq);
  require_in_ci(report, "servers", "utilisation", theory.rho, 0.01);
}

// The service-level rule of the capacity search (models/economics/capacity_search.hpp), on
// hand-made run reports: each of its three limits (the 95th-percentile wait, the waiting line
// by Little's law, the acute delayed days) is met at its edge and broken just past it. The
// search itself, on simulated caseloads against known minima, is in savings_test.

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "tcsim/models/economics/capacity_search.hpp"

using namespace tcsim;
using models::RunReport;
using models::SavingsSettings;

namespace {

void set_metric(RunReport& r, const std::string& scope, const std::string& name,
                std::vector<double> values) {
  for (models::MetricSummary& m : r.metrics) {
    if (m.scope == scope && m.name == name) {
      m.values = std::move(values);
      return;
    }
  }
  models::MetricSummary m;
  m.scope = scope;
  m.name = name;
  m.values = std::move(values);
  r.metrics.push_back(m);
}

/// Two replications of an area whose community team "team" admits 2 patients a day
/// (200 over 100 measured days): p95 wait 3 days, mean line 4 patients, 1000 acute delayed
/// days a year.
RunReport base_report() {
  RunReport r;
  r.replications = 2;
  set_metric(r, "team", "p95_wait", {2.0, 4.0});
  set_metric(r, "team", "mean_queue", {3.0, 5.0});
  set_metric(r, "team", "admissions", {190.0, 210.0});
  set_metric(r, "system", "measured_days", {100.0, 100.0});
  set_metric(r, "area", "acute_delayed_days_per_year", {900.0, 1100.0});
  return r;
}

SavingsSettings tolerances() {
  SavingsSettings cfg;
  cfg.wait_tolerance_days = 0.5;      // so the line may grow by 2 a day x 0.5 = 1 patient
  cfg.delayed_days_tolerance = 0.05;  // so delayed days may reach 1050
  return cfg;
}

}  // namespace

TEST_CASE("keeps_service_level: the baseline itself keeps it", "[search][unit]") {
  const RunReport base = base_report();
  CHECK(models::keeps_service_level(base, base, "team", tolerances()));
}

TEST_CASE("keeps_service_level: the p95 wait may rise by the tolerance, not more",
          "[search][unit]") {
  const RunReport base = base_report();
  RunReport trial = base;
  set_metric(trial, "team", "p95_wait", {3.0, 4.0});  // mean 3.5 = 3 + 0.5
  CHECK(models::keeps_service_level(trial, base, "team", tolerances()));
  set_metric(trial, "team", "p95_wait", {3.0, 4.1});  // mean 3.55
  CHECK_FALSE(models::keeps_service_level(trial, base, "team", tolerances()));
  // A replication without a wait (no admissions) is left out of the mean, not counted as 0.
  set_metric(trial, "team", "p95_wait", {std::nan(""), 3.6});
  CHECK_FALSE(models::keeps_service_level(trial, base, "team", tolerances()));
  set_metric(trial, "team", "p95_wait", {std::nan(""), 3.5});
  CHECK(models::keeps_service_level(trial, base, "team", tolerances()));
}

TEST_CASE("keeps_service_level: the line may grow by admissions a day x the wait tolerance",
          "[search][unit]") {
  const RunReport base = base_report();
  RunReport trial = base;
  set_metric(trial, "team", "mean_queue", {4.0, 6.0});  // mean 5 = 4 + 2 a day x 0.5
  CHECK(models::keeps_service_level(trial, base, "team", tolerances()));
  set_metric(trial, "team", "mean_queue", {4.0, 6.2});  // mean 5.1
  CHECK_FALSE(models::keeps_service_level(trial, base, "team", tolerances()));
}

TEST_CASE("keeps_service_level: acute delayed days may rise by the relative tolerance",
          "[search][unit]") {
  const RunReport base = base_report();
  RunReport trial = base;
  set_metric(trial, "area", "acute_delayed_days_per_year", {1000.0, 1100.0});  // 1050
  CHECK(models::keeps_service_level(trial, base, "team", tolerances()));
  set_metric(trial, "area", "acute_delayed_days_per_year", {1000.0, 1102.0});  // 1051
  CHECK_FALSE(models::keeps_service_level(trial, base, "team", tolerances()));
}

// Batch experiments, piece by piece: the design an experiment file becomes, the daily
// delayed-transfer series, MSER-5 and the report's statistics - each against a hand computation
// or theory. The journal and the HDF5 results file are tested beside their sources
// (tests/models/results/journal_test.cpp, results_file_test.cpp).

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include <catch2/catch.hpp>

#include "support/temp_dir.hpp"
#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/experiments/batch_run.hpp"
#include "tcsim/models/experiments/experiment.hpp"
#include "tcsim/models/network/network_builder.hpp"
#include "tcsim/models/report/results_report.hpp"
#include "tcsim/models/results/results_file.hpp"
#include "tcsim/models/results/results_journal.hpp"
#include "tcsim/models/run/daily_series.hpp"
#include "tcsim/models/run/metrics.hpp"
#include "tcsim/models/scenario/config_error.hpp"
#include "tcsim/sim/network_simulation.hpp"
#include "tcsim/sim/output_analysis.hpp"

namespace tcsim::models {
namespace {

const std::string kSource = TCSIM_SOURCE_DIR;
const std::string kModels = kSource + "/configs/integration_models.yaml";

/// An experiment file in `dir` on the shipped reference acute/community scenario.
std::string experiment_file(const test::TempDir& dir, const std::string& body) {
  return dir.write("experiment.yaml",
                   "name: test\nscenario: " + kSource +
                       "/configs/reference/acute_community.yaml\nseed: 7\noutput: out.h5\n" + body);
}

TaskResult task(std::int64_t point, std::int64_t replication, double value) {
  TaskResult t;
  t.design_point = point;
  t.replication = replication;
  t.metrics.push_back(MetricValue{"area", "cost_per_year", "GBP/year", value});
  return t;
}

}  // namespace

TEST_CASE("a grid crosses the models with every combination of levels, model slowest",
          "[batch][experiment]") {
  const test::TempDir dir("batch_grid");
  const std::string file =
      dir.write("experiment.yaml",
                "name: grid\nscenario: " + kSource +
                    "/configs/examples/area.yaml\nmodels: [direct_provision, vertical_acute]\n"
                    "factors:\n  productivity_gain: {levels: [0, 0.1]}\n"
                    "  run.horizon: {levels: [300, 400, 500]}\n"
                    "replications: 2\nseed: 1\noutput: x.h5\n");
  const Experiment e = load_experiment(file, kModels);
  REQUIRE(e.points.size() == 2 * 2 * 3);
  CHECK(e.tasks() == 24);
  CHECK(e.points[0].name == "direct_provision, productivity_gain=0, run.horizon=300");
  CHECK(e.points[1].name == "direct_provision, productivity_gain=0, run.horizon=400");
  CHECK(e.points[3].name == "direct_provision, productivity_gain=0.1, run.horizon=300");
  CHECK(e.points[6].model == "vertical_acute");
  CHECK(e.points[11].values == std::vector<double>{0.1, 500});
  // The factor values reach the scenario: the horizon directly, the gain through the
  // direct-care share (district nursing's caseload grows).
  const IntegrationModels models = load_integration_models(kModels);
  const Scenario base = design_point_scenario(e, 0, &models);
  const Scenario raised = design_point_scenario(e, 3, &models);
  CHECK(base.run.horizon == 300);
  const auto caseload = [](const Scenario& s) {
    for (const Setting& x : s.settings) {
      if (x.name == "district_nursing") return x.capacity;
    }
    return std::int64_t{-1};
  };
  CHECK(caseload(raised) > caseload(base));
}

TEST_CASE("a Latin hypercube puts one point in each stratum of every range",
          "[batch][experiment]") {
  const test::TempDir dir("batch_lhs");
  const Experiment e =
      load_experiment(experiment_file(dir,
                                      "design: lhs\npoints: 13\nreplications: 1\nfactors:\n"
                                      "  run.horizon: {range: [100, 230]}\n"
                                      "  settings.community_nursing.capacity: {range: [300, 430], "
                                      "integer: true}\n"),
                      kModels);
  REQUIRE(e.points.size() == 13);
  // The horizon's range, 130 wide over 13 points: stratum i is [100 + 10 i, 100 + 10 (i + 1)).
  std::multiset<int> strata;
  for (const DesignPoint& p : e.points)
    strata.insert(static_cast<int>(std::floor((p.values[0] - 100.0) / 10.0)));
  for (int i = 0; i < 13; ++i)
    CHECK(strata.count(i) == 1);
  // The capacity is rounded to whole places, so each value is an integer within its stratum's
  // rounding: 13 distinct values in [300, 430].
  std::set<double> capacities;
  for (const DesignPoint& p : e.points) {
    CHECK(p.values[1] == std::round(p.values[1]));
    CHECK(p.values[1] >= 300.0);
    CHECK(p.values[1] <= 430.0);
    capacities.insert(p.values[1]);
  }
  CHECK(capacities.size() == 13);
}

TEST_CASE("a PSA draws each factor from its distribution, the same draws for the same seed",
          "[batch][experiment]") {
  const test::TempDir dir("batch_psa");
  const std::string body =
      "design: psa\npoints: 400\nreplications: 1\nfactors:\n"
      "  run.horizon: {draw: {distribution: uniform, min: 100, max: 200}}\n";
  const Experiment a = load_experiment(experiment_file(dir, body), kModels);
  const Experiment b = load_experiment(experiment_file(dir, body), kModels);
  REQUIRE(a.points.size() == 400);
  double sum = 0.0;
  for (std::size_t i = 0; i < a.points.size(); ++i) {
    CHECK(a.points[i].values == b.points[i].values);
    CHECK(a.points[i].values[0] >= 100.0);
    CHECK(a.points[i].values[0] <= 200.0);
    sum += a.points[i].values[0];
  }
  // Uniform(100, 200): mean 150, sd 28.9; the mean of 400 draws has sd 1.44 - within 4.5 sd.
  CHECK(std::abs(sum / 400.0 - 150.0) < 6.5);
}

TEST_CASE("experiment errors name the file, the line and what was expected",
          "[batch][experiment]") {
  const test::TempDir dir("batch_bad");
  const auto message = [&](const std::string& body) {
    try {
      (void)load_experiment(experiment_file(dir, body), kModels);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(message("replications: 0\n"),
             Catch::Contains("experiment.yaml:5") && Catch::Contains("replications"));
  CHECK_THAT(message("replications: 2\nfactors:\n  settings.nosuch.capacity: {levels: [1]}\n"),
             Catch::Contains("experiment.yaml:7") && Catch::Contains("nosuch"));
  CHECK_THAT(message("replications: 2\ndesign: lhs\npoints: 3\nfactors:\n"
                     "  run.horizon: {range: [5, 1]}\n"),
             Catch::Contains("low < high"));
  CHECK_THAT(message("replications: 2\nmodels: [direct_provison]\n"),
             Catch::Contains("did you mean 'direct_provision'"));
  CHECK_THAT(message("replications: 2\nthreads: 4\n"), Catch::Contains("unknown key"));
}

TEST_CASE("the daily delayed series integrates to the delayed days the engine counts",
          "[batch][daily_series]") {
  // Little's law on a path: the time-average number of fit-but-waiting patients over the run
  // times its length is the total of their waits. With no warm-up the engine's delayed days
  // count the same waits, except those still running at the end (bounded by the patients
  // delayed at the end times the run).
  Scenario s = load_scenario(kSource + "/configs/reference/acute_community.yaml",
                             {{"run.horizon", "400"},
                              {"run.warmup", "0"},
                              {"settings.community_nursing.capacity", "212"}});
  const sim::NetworkSpec spec = build_network(s).spec;
  DailySeries daily(spec);
  const sim::NetworkResult result = sim::simulate(spec, 11, 0, &daily);
  daily.finish(result.end);
  const std::vector<MetricValue> metrics = collect_metrics(result, spec);
  double engine_delayed_days = 0.0;
  for (const MetricValue& m : metrics) {
    if (m.scope == "acute" && m.name == "delayed_days") engine_delayed_days = m.value;
  }
  REQUIRE(engine_delayed_days > 100.0);
  double integral = 0.0;
  const auto delayed = daily.delayed().days();
  const auto occupancy = daily.occupancy().days();
  for (const auto& day : delayed)
    integral += day[0];  // acute is the first setting
  const double at_end = delayed.back()[0];
  CHECK(integral >= engine_delayed_days - 1e-6 * engine_delayed_days);
  CHECK(integral - engine_delayed_days <= at_end * 60.0 + 1e-6 * engine_delayed_days);
  // Occupancy counts every place held, the delayed among them.
  for (std::size_t d = 0; d < delayed.size(); ++d)
    CHECK(delayed[d][0] <= occupancy[d][0] + 1e-9);
}

TEST_CASE("MSER-5 finds the end of an initial transient", "[batch][output_analysis]") {
  // 60 days at 0, then 240 days alternating 10 +/- 1: the first batches' means are far from the
  // rest, so MSER-5 deletes exactly the 60 transient days (12 batches).
  std::vector<double> series;
  for (int d = 0; d < 60; ++d)
    series.push_back(0.0);
  for (int d = 0; d < 240; ++d)
    series.push_back(d % 2 ? 11.0 : 9.0);
  CHECK(sim::mser5_truncation(series) == 60);
  // A stationary series needs no deletion; NaN padding ends the series.
  std::vector<double> flat(100, 5.0);
  for (int d = 0; d < 100; d += 2)
    flat[static_cast<std::size_t>(d)] = 6.0;
  CHECK(sim::mser5_truncation(flat) == 0);
  series.push_back(std::nan(""));
  CHECK(sim::mser5_truncation(series) == 60);
  CHECK(sim::mser5_truncation(std::vector<double>{1, 2, 3}) == 0);
}

TEST_CASE("the report's CIs, paired differences, sufficiency and tornado match hand sums",
          "[batch][report]") {
  // Two factors on a 2x2 grid, 3 replications; cost = 100 - 10 x f1 - 4 x f2 + noise shared
  // by replication (common random numbers), so paired differences have no spread at all.
  ResultsFile file;
  file.meta.experiment_name = "hand";
  file.meta.replications = 3;
  file.meta.point_names = {"p0", "p1", "p2", "p3"};
  file.meta.point_models = {"", "", "", ""};
  file.meta.factor_names = {"f1", "f2"};
  file.meta.factor_values = {{0, 0, 1, 1}, {0, 2, 0, 2}};
  std::vector<TaskResult> tasks;
  const double noise[3] = {-1.0, 0.5, 2.0};
  for (int p = 0; p < 4; ++p) {
    for (int r = 0; r < 3; ++r) {
      const double f1 = file.meta.factor_values[0][static_cast<std::size_t>(p)];
      const double f2 = file.meta.factor_values[1][static_cast<std::size_t>(p)];
      tasks.push_back(task(p, r, 100.0 - 10.0 * f1 - 4.0 * f2 + noise[r]));
    }
  }
  file.table = tabulate(tasks, 0);
  file.complete = true;
  const ResultsReport r = analyse_results(file, "hand.h5", ReportOptions{});
  REQUIRE(r.cost_metric);
  // p0: values 99, 100.5, 102: mean 100.5, sd 1.5, half-width t(0.975, 2) x 1.5 / sqrt 3.
  const PointMetric& p0 = r.points[0][*r.cost_metric];
  CHECK(p0.estimate.mean == Approx(100.5));
  CHECK(*p0.estimate.half_width == Approx(4.302652729749464 * 1.5 / std::sqrt(3.0)));
  // Replications for +/-5%: 3 x (hw / (0.05 x 100.5))^2, rounded up.
  const double ratio = *p0.estimate.half_width / (0.05 * 100.5);
  CHECK(*p0.replications_needed == static_cast<std::size_t>(std::ceil(3 * ratio * ratio)));
  const PointMetric& p3 = r.points[3][*r.cost_metric];
  CHECK(p3.difference->mean == Approx(-18.0));
  CHECK(*p3.difference->half_width == Approx(0.0).margin(1e-9));
  CHECK_FALSE(r.points[0][*r.cost_metric].difference->half_width.value_or(1.0) > 1e-12);
  // Savings = -difference; the tornado recovers each factor's effect over its range.
  REQUIRE(r.tornado.size() == 2);
  CHECK(r.tornado[0].factor == "f1");  // swing 10 > 8
  CHECK(r.tornado[0].output_at_high - r.tornado[0].output_at_low == Approx(10.0));
  CHECK(r.tornado[1].output_at_high - r.tornado[1].output_at_low == Approx(8.0));
  CHECK(r.best_point() == 3);
  CHECK_THAT(format_savings_csv(r), Catch::Contains("3,p3,,area.cost_per_year,18,"));
  CHECK_FALSE(r.tornado[0].swing_half_width);  // an exact fit leaves nothing to judge by

  // An interaction of +1 at p3 leaves one residual degree of freedom: RSS = 4 (1/4)^2, so
  // sigma^2 = 1/4; f1 (0/1, 4 points) has var(b1) = sigma^2 / 1, f2 (0/2) var(b2) = sigma^2 / 4;
  // each swing's half-width = t(0.975, 1) x se x range = 12.706 x 1/2.
  for (std::size_t row = 9; row < 12; ++row)
    file.table.metrics[0].values[row] += 1.0;
  const ResultsReport noisy = analyse_results(file, "hand.h5", ReportOptions{});
  REQUIRE(noisy.tornado.size() == 2);
  for (const TornadoRow& bar : noisy.tornado) {
    REQUIRE(bar.swing_half_width);
    CHECK(*bar.swing_half_width == Approx(12.706204736174705 / 2.0));
  }
}

}  // namespace tcsim::models

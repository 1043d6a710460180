// Student-t critical values and across-replication confidence intervals.

#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <vector>

#include <boost/random/normal_distribution.hpp>
#include <catch2/catch.hpp>

#include "tcsim/sim/output_analysis.hpp"
#include "tcsim/sim/random.hpp"

namespace sim = tcsim::sim;

TEST_CASE("t_critical matches Student-t table values", "[output_analysis]") {
  struct Row {
    double confidence;
    std::size_t dof;
    double table;  // two-sided critical value, 3 decimals
  };
  const std::vector<Row> table{{0.95, 1, 12.706},     {0.95, 2, 4.303},   {0.95, 4, 2.776},
                               {0.95, 5, 2.571},      {0.95, 10, 2.228},  {0.95, 30, 2.042},
                               {0.90, 20, 1.725},     {0.99, 5, 4.032},   {0.99, 10, 3.169},
                               {0.999, 9, 4.781},     {0.999, 19, 3.883}, {0.999, 29, 3.659},
                               {0.95, 1000000, 1.960}};  // -> the normal quantile
  for (const Row& row : table) {
    INFO("confidence " << row.confidence << ", " << row.dof << " degrees of freedom");
    CHECK(sim::t_critical(row.confidence, row.dof) == Approx(row.table).margin(6e-4));
  }
}

TEST_CASE("t_critical rejects impossible arguments", "[output_analysis]") {
  CHECK_THROWS_AS(sim::t_critical(0.95, 0), std::invalid_argument);
  CHECK_THROWS_AS(sim::t_critical(0.0, 5), std::invalid_argument);
  CHECK_THROWS_AS(sim::t_critical(1.0, 5), std::invalid_argument);
  CHECK_THROWS_AS(sim::t_critical(1.5, 5), std::invalid_argument);
  CHECK_THROWS_AS(sim::t_critical(std::nan(""), 5), std::invalid_argument);
}

TEST_CASE("estimate_mean of known values", "[output_analysis]") {
  const std::vector<double> values{1.0, 2.0, 3.0, 4.0, 5.0};
  const sim::Estimate e = sim::estimate_mean(values);  // default 95%
  CHECK(e.n == 5);
  CHECK(e.mean == Approx(3.0));
  REQUIRE(e.sd.has_value());
  CHECK(*e.sd == Approx(std::sqrt(2.5)));
  REQUIRE(e.half_width.has_value());
  // t(0.975, 4) = 2.7764451 times sd / sqrt(n)
  CHECK(*e.half_width == Approx(2.7764451 * std::sqrt(2.5) / std::sqrt(5.0)).epsilon(1e-6));

  const sim::Estimate wide = sim::estimate_mean(values, 0.999);
  REQUIRE(wide.half_width.has_value());
  CHECK(*wide.half_width > *e.half_width);
  CHECK(wide.mean == e.mean);
}

TEST_CASE("One replication gives no interval: half_width is absent, never 0", "[output_analysis]") {
  const std::vector<double> one{4.2};
  const sim::Estimate e = sim::estimate_mean(one, 0.999);
  CHECK(e.n == 1);
  CHECK(e.mean == 4.2);
  CHECK_FALSE(e.sd.has_value());
  CHECK_FALSE(e.half_width.has_value());
  CHECK(e.half_width != std::optional<double>(0.0));
}

TEST_CASE("No values, or a NaN value, give no interval", "[output_analysis]") {
  const sim::Estimate none = sim::estimate_mean(std::vector<double>{});
  CHECK(none.n == 0);
  CHECK(std::isnan(none.mean));
  CHECK_FALSE(none.half_width.has_value());

  const std::vector<double> with_nan{1.0, std::numeric_limits<double>::quiet_NaN(), 3.0};
  const sim::Estimate e = sim::estimate_mean(with_nan);
  CHECK(e.n == 3);
  CHECK(std::isnan(e.mean));
  CHECK_FALSE(e.half_width.has_value());
}

TEST_CASE("Identical replications give a zero-width interval", "[output_analysis]") {
  const std::vector<double> same{2.5, 2.5, 2.5};
  const sim::Estimate e = sim::estimate_mean(same);
  REQUIRE(e.half_width.has_value());
  CHECK(*e.half_width == 0.0);
  CHECK(e.mean == 2.5);
}

// The 95% interval from 5 normal values covers the true mean in 95% of experiments; over 4000
// experiments the observed coverage is within 4.5 binomial standard errors of 0.95.
TEST_CASE("Student-t intervals have their nominal coverage", "[output_analysis]") {
  sim::RandomEngine engine = sim::make_stream(2718, 0, "output_analysis_test/coverage");
  boost::random::normal_distribution<double> normal(10.0, 3.0);
  constexpr int kExperiments = 4000;
  int covered = 0;
  std::vector<double> values(5);
  for (int i = 0; i < kExperiments; ++i) {
    for (double& v : values)
      v = normal(engine);
    const sim::Estimate e = sim::estimate_mean(values, 0.95);
    if (std::abs(e.mean - 10.0) <= *e.half_width) ++covered;
  }
  const double coverage = static_cast<double>(covered) / kExperiments;
  INFO("coverage " << coverage);
  CHECK(std::abs(coverage - 0.95) <= 4.5 * std::sqrt(0.95 * 0.05 / kExperiments));
}

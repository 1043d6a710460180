// Distribution: for every kind, the sample mean and variance agree with Distribution::mean() and
// variance() within limits from the central limit theorem, the analytic moments agree with
// formulas written here from the raw moments, and bad parameters throw std::invalid_argument.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tcsim/sim/distribution.hpp"
#include "tcsim/sim/random.hpp"

namespace sim = tcsim::sim;
using sim::Distribution;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Raw moments E[X^k], k = 1..4, computed here independently of the engine.
struct RawMoments {
  double m1, m2, m3, m4;
  [[nodiscard]] double mean() const { return m1; }
  [[nodiscard]] double variance() const { return m2 - m1 * m1; }
  // Fourth central moment.
  [[nodiscard]] double mu4() const {
    return m4 - 4.0 * m1 * m3 + 6.0 * m1 * m1 * m2 - 3.0 * m1 * m1 * m1 * m1;
  }
};

RawMoments from_function(const std::function<double(int)>& moment) {
  return RawMoments{moment(1), moment(2), moment(3), moment(4)};
}

RawMoments exponential_moments(double mean) {
  return from_function([=](int k) { return std::tgamma(k + 1.0) * std::pow(mean, k); });
}
RawMoments lognormal_moments(double meanlog, double sdlog) {
  return from_function([=](int k) { return std::exp(k * meanlog + k * k * sdlog * sdlog / 2.0); });
}
RawMoments gamma_moments(double shape, double scale) {
  return from_function([=](int k) {
    return std::pow(scale, k) * std::exp(std::lgamma(shape + k) - std::lgamma(shape));
  });
}
RawMoments weibull_moments(double shape, double scale) {
  return from_function([=](int k) { return std::pow(scale, k) * std::tgamma(1.0 + k / shape); });
}
RawMoments uniform_moments(double a, double b) {
  return from_function(
      [=](int k) { return (std::pow(b, k + 1) - std::pow(a, k + 1)) / ((k + 1) * (b - a)); });
}
// The triangular density integrated numerically (composite Simpson on each linear piece).
RawMoments triangular_moments(double a, double c, double b) {
  const auto density = [=](double x) {
    if (x < a || x > b) return 0.0;
    if (x < c) return 2.0 * (x - a) / ((b - a) * (c - a));
    if (x > c) return 2.0 * (b - x) / ((b - a) * (b - c));
    return 2.0 / (b - a);
  };
  const auto integrate = [&](double from, double to, int k) {
    if (!(to > from)) return 0.0;
    const int n = 2000;
    const double h = (to - from) / n;
    double s = 0.0;
    for (int i = 0; i <= n; ++i) {
      const double x = from + i * h;
      const double w = (i == 0 || i == n) ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0);
      s += w * std::pow(x, k) * density(x);
    }
    return s * h / 3.0;
  };
  return from_function([&](int k) { return integrate(a, c, k) + integrate(c, b, k); });
}
RawMoments discrete_moments(const std::vector<double>& values, std::vector<double> weights) {
  if (weights.empty()) weights.assign(values.size(), 1.0);
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  return from_function([&](int k) {
    double m = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i)
      m += weights[i] / total * std::pow(values[i], k);
    return m;
  });
}

struct Case {
  std::string name;
  Distribution distribution;
  RawMoments moments;
};

std::vector<Case> all_kinds() {
  return {
      {"exponential(2.5)", Distribution::exponential(2.5), exponential_moments(2.5)},
      {"exponential(0.01)", Distribution::exponential(0.01), exponential_moments(0.01)},
      {"lognormal_log(1, 0.5)", Distribution::lognormal_log(1.0, 0.5), lognormal_moments(1.0, 0.5)},
      {"lognormal_log(-2, 0.8)", Distribution::lognormal_log(-2.0, 0.8),
       lognormal_moments(-2.0, 0.8)},
      // mean 5, sd 3: sdlog^2 = ln(1 + 9/25), meanlog = ln 5 - sdlog^2 / 2
      {"lognormal_mean_sd(5, 3)", Distribution::lognormal_mean_sd(5.0, 3.0),
       lognormal_moments(std::log(5.0) - std::log1p(9.0 / 25.0) / 2.0,
                         std::sqrt(std::log1p(9.0 / 25.0)))},
      {"gamma(0.7, 3)", Distribution::gamma(0.7, 3.0), gamma_moments(0.7, 3.0)},
      {"gamma(4, 0.5)", Distribution::gamma(4.0, 0.5), gamma_moments(4.0, 0.5)},
      // mean 4, sd 2: shape 4, scale 1
      {"gamma_mean_sd(4, 2)", Distribution::gamma_mean_sd(4.0, 2.0), gamma_moments(4.0, 1.0)},
      {"weibull(1.5, 2)", Distribution::weibull(1.5, 2.0), weibull_moments(1.5, 2.0)},
      {"weibull(0.8, 10)", Distribution::weibull(0.8, 10.0), weibull_moments(0.8, 10.0)},
      {"uniform(1, 4)", Distribution::uniform(1.0, 4.0), uniform_moments(1.0, 4.0)},
      {"uniform(0, 0.5)", Distribution::uniform(0.0, 0.5), uniform_moments(0.0, 0.5)},
      {"triangular(1, 2, 6)", Distribution::triangular(1.0, 2.0, 6.0),
       triangular_moments(1.0, 2.0, 6.0)},
      {"triangular(0, 0, 3)", Distribution::triangular(0.0, 0.0, 3.0),
       triangular_moments(0.0, 0.0, 3.0)},
      {"triangular(2, 5, 5)", Distribution::triangular(2.0, 5.0, 5.0),
       triangular_moments(2.0, 5.0, 5.0)},
      {"deterministic(3)", Distribution::deterministic(3.0), discrete_moments({3.0}, {})},
      {"deterministic(0)", Distribution::deterministic(0.0), discrete_moments({0.0}, {})},
      {"empirical equal weights", Distribution::empirical({1.0, 2.0, 7.0}),
       discrete_moments({1.0, 2.0, 7.0}, {})},
      {"empirical weighted", Distribution::empirical({0.5, 1.0, 3.0, 10.0}, {4.0, 0.0, 5.0, 1.0}),
       discrete_moments({0.5, 1.0, 3.0, 10.0}, {4.0, 0.0, 5.0, 1.0})},
  };
}

}  // namespace

TEST_CASE("Distribution::mean() and variance() agree with the raw moments", "[distribution]") {
  for (const Case& c : all_kinds()) {
    INFO(c.name << " = " << c.distribution.describe());
    CHECK(c.distribution.mean() == Approx(c.moments.mean()).epsilon(1e-9));
    CHECK(c.distribution.variance() == Approx(c.moments.variance()).epsilon(1e-7).margin(1e-12));
  }
  // The moment-parameterised factories hit the requested moments.
  CHECK(Distribution::lognormal_mean_sd(5.0, 3.0).mean() == Approx(5.0));
  CHECK(Distribution::lognormal_mean_sd(5.0, 3.0).variance() == Approx(9.0));
  CHECK(Distribution::gamma_mean_sd(7.0, 0.5).mean() == Approx(7.0));
  CHECK(Distribution::gamma_mean_sd(7.0, 0.5).variance() == Approx(0.25));
  CHECK(Distribution::exponential(2.0).variance() == Approx(4.0));
  CHECK(Distribution().mean() == 0.0);  // default: deterministic 0
}

// n independent draws: the sample mean is within 4.5 standard errors (sigma / sqrt(n)) of the
// mean, and the sample variance within 4.5 of its own standard errors, sqrt((mu4 - sigma^4) / n)
// to first order. Under the CLT a correct distribution fails either with probability ~1e-5.
TEST_CASE("Sample mean and variance agree with Distribution::mean() and variance()",
          "[distribution]") {
  constexpr int kDraws = 200000;
  constexpr double kZ = 4.5;
  std::uint64_t replication = 0;
  for (const Case& c : all_kinds()) {
    sim::RandomEngine engine = sim::make_stream(99, replication++, "distribution_test/" + c.name);
    double sum = 0.0;
    double sum_sq = 0.0;
    std::vector<double> xs(kDraws);
    double min = kInf;
    for (double& x : xs) {
      x = c.distribution.sample(engine);
      sum += x;
      min = std::min(min, x);
    }
    const double mean = sum / kDraws;
    for (const double x : xs)
      sum_sq += (x - mean) * (x - mean);
    const double variance = sum_sq / (kDraws - 1);

    const double mu = c.distribution.mean();
    const double sigma2 = c.distribution.variance();
    const double mean_se = std::sqrt(sigma2 / kDraws);
    const double variance_se = std::sqrt(std::max(0.0, c.moments.mu4() - sigma2 * sigma2) / kDraws);
    INFO(c.name << ": sample mean " << mean << " vs " << mu << " (se " << mean_se
                << "), sample variance " << variance << " vs " << sigma2 << " (se " << variance_se
                << ")");
    CHECK(min >= 0.0);  // durations are never negative
    CHECK(std::abs(mean - mu) <= kZ * mean_se + 1e-12 * std::abs(mu));
    CHECK(std::abs(variance - sigma2) <= kZ * variance_se + 1e-12 * std::abs(mu * mu));
  }
}

TEST_CASE("Deterministic and empirical distributions draw only their values", "[distribution]") {
  sim::RandomEngine engine = sim::make_stream(1, 0, "distribution_test/discrete");
  const Distribution fixed = Distribution::deterministic(2.25);
  for (int i = 0; i < 100; ++i)
    REQUIRE(fixed.sample(engine) == 2.25);

  // Frequencies within 4.5 binomial standard errors; a zero weight is never drawn.
  const std::vector<double> values{0.5, 1.0, 3.0, 10.0};
  const std::vector<double> weights{4.0, 0.0, 5.0, 1.0};
  const Distribution empirical = Distribution::empirical(values, weights);
  constexpr int kDraws = 100000;
  std::vector<int> hits(values.size(), 0);
  for (int i = 0; i < kDraws; ++i) {
    const double x = empirical.sample(engine);
    const auto it = std::find(values.begin(), values.end(), x);
    REQUIRE(it != values.end());
    ++hits[static_cast<std::size_t>(it - values.begin())];
  }
  CHECK(hits[1] == 0);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double p = weights[i] / 10.0;
    const double share = static_cast<double>(hits[i]) / kDraws;
    INFO("value " << values[i] << ": share " << share << ", expected " << p);
    CHECK(std::abs(share - p) <= 4.5 * std::sqrt(p * (1.0 - p) / kDraws));
  }
}

TEST_CASE("A copied distribution draws the same numbers from the same stream", "[distribution]") {
  const Distribution original = Distribution::gamma(2.0, 1.5);
  const Distribution copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
  sim::RandomEngine a = sim::make_stream(5, 3, "x");
  sim::RandomEngine b = sim::make_stream(5, 3, "x");
  for (int i = 0; i < 1000; ++i)
    REQUIRE(original.sample(a) == copy.sample(b));
}

TEST_CASE("Distribution factories reject bad parameters with std::invalid_argument",
          "[distribution]") {
  using Catch::Matchers::Contains;
  // Exponential
  CHECK_THROWS_AS(Distribution::exponential(0.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::exponential(-1.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::exponential(kNaN), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::exponential(kInf), std::invalid_argument);
  CHECK_THROWS_WITH(Distribution::exponential(-1.0), Contains("mean"));
  // Lognormal
  CHECK_THROWS_AS(Distribution::lognormal_mean_sd(0.0, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::lognormal_mean_sd(1.0, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::lognormal_mean_sd(1.0, -2.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::lognormal_mean_sd(kNaN, 1.0), std::invalid_argument);
  CHECK_THROWS_WITH(Distribution::lognormal_mean_sd(1.0, -2.0), Contains("sd"));
  CHECK_THROWS_AS(Distribution::lognormal_log(kInf, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::lognormal_log(kNaN, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::lognormal_log(0.0, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::lognormal_log(0.0, -1.0), std::invalid_argument);
  CHECK_THROWS_WITH(Distribution::lognormal_log(0.0, -1.0), Contains("sdlog"));
  // Gamma
  CHECK_THROWS_AS(Distribution::gamma(0.0, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::gamma(1.0, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::gamma(-1.0, 1.0), std::invalid_argument);
  CHECK_THROWS_WITH(Distribution::gamma(-1.0, 1.0), Contains("shape"));
  CHECK_THROWS_WITH(Distribution::gamma(1.0, -1.0), Contains("scale"));
  CHECK_THROWS_AS(Distribution::gamma_mean_sd(0.0, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::gamma_mean_sd(1.0, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::gamma_mean_sd(kInf, 1.0), std::invalid_argument);
  // Weibull
  CHECK_THROWS_AS(Distribution::weibull(0.0, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::weibull(1.0, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::weibull(kNaN, 1.0), std::invalid_argument);
  CHECK_THROWS_WITH(Distribution::weibull(1.0, -3.0), Contains("scale"));
  // Uniform
  CHECK_THROWS_AS(Distribution::uniform(-1.0, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::uniform(2.0, 2.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::uniform(3.0, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::uniform(0.0, kInf), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::uniform(kNaN, 1.0), std::invalid_argument);
  CHECK_THROWS_WITH(Distribution::uniform(3.0, 1.0), Contains("max"));
  // Triangular
  CHECK_THROWS_AS(Distribution::triangular(-1.0, 0.0, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::triangular(1.0, 0.5, 2.0), std::invalid_argument);  // mode < min
  CHECK_THROWS_AS(Distribution::triangular(0.0, 2.0, 1.0), std::invalid_argument);  // max < mode
  CHECK_THROWS_AS(Distribution::triangular(1.0, 1.0, 1.0), std::invalid_argument);  // max == min
  CHECK_THROWS_AS(Distribution::triangular(0.0, kNaN, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::triangular(0.0, 1.0, kInf), std::invalid_argument);
  CHECK_THROWS_WITH(Distribution::triangular(1.0, 0.5, 2.0), Contains("mode"));
  // Deterministic
  CHECK_THROWS_AS(Distribution::deterministic(-0.5), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::deterministic(kNaN), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::deterministic(kInf), std::invalid_argument);
  // Empirical
  CHECK_THROWS_AS(Distribution::empirical({}), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::empirical({-1.0, 2.0}), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::empirical({1.0, kNaN}), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::empirical({1.0, 2.0}, {1.0}), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::empirical({1.0, 2.0}, {1.0, -1.0}), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::empirical({1.0, 2.0}, {0.0, 0.0}), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::empirical({1.0, 2.0}, {1.0, kInf}), std::invalid_argument);
  CHECK_THROWS_WITH(Distribution::empirical({1.0, 2.0}, {1.0}), Contains("weight"));
  // Good parameters at the edges are accepted.
  CHECK_NOTHROW(Distribution::deterministic(0.0));
  CHECK_NOTHROW(Distribution::uniform(0.0, 1e-9));
  CHECK_NOTHROW(Distribution::triangular(0.0, 0.0, 1.0));
  CHECK_NOTHROW(Distribution::triangular(0.0, 1.0, 1.0));
  CHECK_NOTHROW(Distribution::empirical({0.0}));
  CHECK_NOTHROW(Distribution::empirical({1.0, 2.0}, {0.0, 1.0}));
}

TEST_CASE("Distribution::describe names the kind and its parameters", "[distribution]") {
  CHECK(Distribution::exponential(2.0).describe() == "exponential(mean=2)");
  CHECK(Distribution::deterministic(1.5).describe() == "deterministic(1.5)");
  CHECK(Distribution::uniform(1.0, 3.0).describe() == "uniform(min=1, max=3)");
  CHECK(Distribution::triangular(1.0, 2.0, 4.0).describe() == "triangular(min=1, mode=2, max=4)");
  CHECK(Distribution::empirical({1.0, 2.0, 3.0}).describe() == "empirical(3 values)");
  CHECK(Distribution::gamma(2.0, 0.5).describe() == "gamma(shape=2, scale=0.5)");
}

// Tally, LogHistogram and TimeWeightedCount against direct computations.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "tcsim/sim/statistics.hpp"

namespace sim = tcsim::sim;

namespace {

// The exact sample p-quantile with the histogram's rank rule: the ceil(p n)-th smallest value
// (the smallest value for p = 0).
double exact_quantile(std::vector<double> sorted, double p) {
  std::sort(sorted.begin(), sorted.end());
  const auto n = static_cast<double>(sorted.size());
  const auto rank = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(p * n)));
  return sorted[rank - 1];
}

// A quantile reported as its bucket's midpoint is within half a bucket (1/64 of the bucket's
// lower edge) of any value in the bucket: 1.5625% relative, inside the documented 1.6%.
constexpr double kHistogramRelativeError = 0.016;

const std::vector<double> kProbabilities{0.0,  0.001, 0.01, 0.1,   0.25, 0.5,
                                         0.75, 0.9,   0.99, 0.999, 1.0};

}  // namespace

TEST_CASE("Tally mean and variance agree with a two-pass computation", "[statistics]") {
  std::mt19937_64 rng(4242);
  // A large offset makes the naive sum-of-squares formula lose digits; Welford's must not.
  const double offset = GENERATE(0.0, 1e6);
  std::lognormal_distribution<double> draw(0.5, 1.2);
  std::vector<double> xs;
  sim::Tally tally;
  for (int i = 0; i < 100000; ++i) {
    const double x = offset + draw(rng);
    xs.push_back(x);
    tally.add(x);
  }
  double sum = 0.0;
  for (double x : xs)
    sum += x;
  const double mean = sum / static_cast<double>(xs.size());
  double ss = 0.0;
  for (double x : xs)
    ss += (x - mean) * (x - mean);
  const double variance = ss / static_cast<double>(xs.size() - 1);

  REQUIRE(tally.count() == xs.size());
  REQUIRE(tally.sum() == Approx(sum).epsilon(1e-12));
  REQUIRE(tally.mean() == Approx(mean).epsilon(1e-12));
  REQUIRE(tally.variance() == Approx(variance).epsilon(1e-9));
  REQUIRE(tally.min() == *std::min_element(xs.begin(), xs.end()));
  REQUIRE(tally.max() == *std::max_element(xs.begin(), xs.end()));
}

TEST_CASE("Tally with too few observations reports NaN, not zero", "[statistics]") {
  sim::Tally tally;
  CHECK(tally.count() == 0);
  CHECK(std::isnan(tally.mean()));
  CHECK(std::isnan(tally.variance()));
  CHECK(std::isnan(tally.min()));
  CHECK(std::isnan(tally.max()));
  CHECK(std::isnan(tally.quantile(0.5)));
  tally.add(3.5);
  CHECK(tally.mean() == 3.5);
  CHECK(std::isnan(tally.variance()));
  CHECK(tally.min() == 3.5);
  CHECK(tally.max() == 3.5);
  tally.add(5.5);
  CHECK(tally.mean() == 4.5);
  CHECK(tally.variance() == 2.0);
}

TEST_CASE("Tally::reset forgets everything", "[statistics]") {
  sim::Tally tally;
  for (int i = 1; i <= 10; ++i)
    tally.add(static_cast<double>(i));
  tally.reset();
  CHECK(tally.count() == 0);
  CHECK(tally.sum() == 0.0);
  CHECK(std::isnan(tally.mean()));
  tally.add(2.0);
  tally.add(4.0);
  CHECK(tally.mean() == 3.0);
  CHECK(tally.min() == 2.0);
  CHECK(tally.max() == 4.0);
  CHECK(tally.quantile(1.0) == Approx(4.0).epsilon(kHistogramRelativeError));
}

TEST_CASE("LogHistogram quantiles are within 1.6% of the exact sample quantiles", "[statistics]") {
  std::mt19937_64 rng(8080);
  // Several shapes, each spanning many octaves: lengths of stay, waits, tiny and huge values.
  struct Case {
    double meanlog;
    double sdlog;
    int n;
  };
  const Case c = GENERATE(Case{0.0, 1.0, 10000}, Case{2.0, 2.5, 20000}, Case{-8.0, 1.5, 5000},
                          Case{5.0, 0.1, 3}, Case{0.0, 3.0, 1});
  std::lognormal_distribution<double> draw(c.meanlog, c.sdlog);
  std::vector<double> xs;
  sim::LogHistogram histogram;
  sim::Tally tally;
  for (int i = 0; i < c.n; ++i) {
    // Keep the values inside the histogram's range [2^-24, 2^24).
    const double x = std::clamp(draw(rng), 0x1p-23, 0x1p23);
    xs.push_back(x);
    histogram.add(x);
    tally.add(x);
  }
  REQUIRE(histogram.count() == xs.size());
  for (const double p : kProbabilities) {
    const double exact = exact_quantile(xs, p);
    INFO("p = " << p << ", exact " << exact << ", histogram " << histogram.quantile(p));
    CHECK(std::abs(histogram.quantile(p) - exact) <= kHistogramRelativeError * exact);
    CHECK(std::abs(tally.quantile(p) - exact) <= kHistogramRelativeError * exact);
  }
}

TEST_CASE("LogHistogram buckets: midpoints within 1.6%, tiny values as 0, order kept",
          "[statistics]") {
  using H = sim::LogHistogram;
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> log2_value(-23.99, 23.99);
  std::size_t previous_bucket = 0;
  double previous_value = 0.0;
  std::vector<double> values;
  values.reserve(20000);
  for (int i = 0; i < 20000; ++i)
    values.push_back(std::exp2(log2_value(rng)));
  std::sort(values.begin(), values.end());
  for (const double v : values) {
    const std::size_t b = H::bucket_of(v);
    REQUIRE(b >= 1);
    REQUIRE(b < H::kBuckets - 1);
    REQUIRE(std::abs(H::bucket_value(b) - v) <= kHistogramRelativeError * v);
    REQUIRE(b >= previous_bucket);  // monotone in the value
    if (b == previous_bucket) REQUIRE(v >= previous_value);
    previous_bucket = b;
    previous_value = v;
  }
  CHECK(H::bucket_of(0.0) == 0);
  CHECK(H::bucket_of(0x1p-25) == 0);
  CHECK(H::bucket_of(-1.0) == 0);
  CHECK(H::bucket_value(0) == 0.0);
  CHECK(H::bucket_of(0x1p24) == H::kBuckets - 1);
  CHECK(H::bucket_of(1e300) == H::kBuckets - 1);

  H histogram;
  CHECK(histogram.quantile(0.5) == 0.0);  // empty
  histogram.add(0.0);
  histogram.add(1.0);
  CHECK(histogram.quantile(0.5) == 0.0);
  CHECK(histogram.quantile(1.0) == Approx(1.0).epsilon(kHistogramRelativeError));
  histogram.reset();
  CHECK(histogram.count() == 0);
  CHECK(histogram.quantile(1.0) == 0.0);
}

TEST_CASE("TimeWeightedCount on a hand-made path", "[statistics]") {
  // level:  0 on [0,2), 1 on [2,5), 3 on [5,6), 2 on [6,10]
  sim::TimeWeightedCount count;
  count.increment(2.0);
  count.move_to(5.0, 3);
  count.decrement(6.0);
  count.finish(10.0);

  CHECK(count.level() == 2);
  CHECK(count.max() == 3);
  CHECK(count.elapsed() == 10.0);
  CHECK(count.area() == 14.0);  // 0*2 + 1*3 + 3*1 + 2*4
  CHECK(count.mean() == Approx(1.4));
  CHECK(count.share_at(0) == Approx(0.2));
  CHECK(count.share_at(1) == Approx(0.3));
  CHECK(count.share_at(2) == Approx(0.4));
  CHECK(count.share_at(3) == Approx(0.1));
  CHECK(count.share_at(4) == 0.0);
  CHECK(count.share_at(-1) == 0.0);
  // Cumulative shares by level: 0.2, 0.5, 0.9, 1.0.
  CHECK(count.quantile(0.0) == 0.0);
  CHECK(count.quantile(0.1) == 0.0);
  CHECK(count.quantile(0.25) == 1.0);
  CHECK(count.quantile(0.5) == 1.0);  // reaches exactly 0.5 at level 1
  CHECK(count.quantile(0.6) == 2.0);
  CHECK(count.quantile(0.95) == 3.0);
  CHECK(count.quantile(1.0) == 3.0);

  SECTION("reset starts a new period at the current level") {
    count.reset(10.0);
    CHECK(count.level() == 2);
    CHECK(count.max() == 2);
    CHECK(count.area() == 0.0);
    CHECK(count.elapsed() == 0.0);
    CHECK(std::isnan(count.mean()));  // an empty period has no mean
    CHECK(std::isnan(count.quantile(0.5)));
    count.move_to(12.0, 4);  // 2 on [10,12), 4 on [12,15]
    count.finish(15.0);
    CHECK(count.elapsed() == 5.0);
    CHECK(count.area() == 16.0);
    CHECK(count.mean() == Approx(3.2));
    CHECK(count.max() == 4);
    CHECK(count.share_at(0) == 0.0);  // time before the reset is forgotten
    CHECK(count.share_at(3) == 0.0);
    CHECK(count.share_at(2) == Approx(0.4));
    CHECK(count.share_at(4) == Approx(0.6));
    CHECK(count.quantile(0.3) == 2.0);
    CHECK(count.quantile(0.5) == 4.0);
  }
}

TEST_CASE("TimeWeightedCount measured from a non-zero start", "[statistics]") {
  sim::TimeWeightedCount count(100.0);
  count.move_to(100.0, 5);  // at the start itself: no time at level 0
  count.move_to(104.0, 1);
  count.finish(108.0);
  CHECK(count.elapsed() == 8.0);
  CHECK(count.mean() == Approx(3.0));
  CHECK(count.share_at(0) == 0.0);
  CHECK(count.quantile(0.0) == 1.0);  // lowest level actually occupied
  CHECK(count.quantile(1.0) == 5.0);
}

TEST_CASE("TimeWeightedCount: mean and quantiles match a brute-force sampling of a random path",
          "[statistics]") {
  std::mt19937_64 rng(606);
  std::exponential_distribution<double> gap(3.0);
  std::bernoulli_distribution up(0.5);
  sim::TimeWeightedCount count;
  struct Segment {
    double from, to;
    std::int64_t level;
  };
  std::vector<Segment> path;
  double t = 0.0;
  std::int64_t level = 0;
  for (int i = 0; i < 5000; ++i) {
    const double next = t + gap(rng);
    path.push_back(Segment{t, next, level});
    level = level == 0 || up(rng) ? level + 1 : level - 1;
    count.move_to(next, level);
    t = next;
  }
  count.finish(t);
  double area = 0.0;
  std::vector<double> time_at;
  for (const Segment& s : path) {
    area += static_cast<double>(s.level) * (s.to - s.from);
    if (static_cast<std::size_t>(s.level) >= time_at.size()) time_at.resize(s.level + 1, 0.0);
    time_at[static_cast<std::size_t>(s.level)] += s.to - s.from;
  }
  CHECK(count.mean() == Approx(area / t).epsilon(1e-9));
  for (const double p : {0.05, 0.3, 0.5, 0.77, 0.95}) {
    double seen = 0.0;
    std::size_t expected = 0;
    while (seen + time_at[expected] < p * t)
      seen += time_at[expected++];
    INFO("p = " << p);
    CHECK(count.quantile(p) == static_cast<double>(expected));
  }
}

// The p-quantile is "the smallest level L with time at levels <= L at least p of the period",
// so quantile(1) is the highest level actually occupied for some time. A level touched only for
// an instant (as in_system is by an arrival that is lost at once) has no time at all and must not
// be reported, however the running sums round.
TEST_CASE("TimeWeightedCount::quantile(1) ignores levels held for no time", "[statistics]") {
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> gap(0.01, 1.0);
  std::uniform_int_distribution<std::int64_t> level(0, 5);
  int reported_instant_level = 0;
  for (int trial = 0; trial < 200; ++trial) {
    sim::TimeWeightedCount count;
    double t = 0.0;
    for (int i = 0; i < 100; ++i) {
      t += gap(rng);
      count.move_to(t, level(rng));
    }
    // A spike to 9 that lasts no time, then back down.
    const std::int64_t back = count.level();
    count.move_to(t, 9);
    count.move_to(t, back);
    t += gap(rng);
    count.finish(t);
    REQUIRE(count.share_at(9) == 0.0);
    if (count.quantile(1.0) == 9.0) ++reported_instant_level;
  }
  CHECK(reported_instant_level == 0);
}

TEST_CASE("Tally::merge equals tallying every observation in one", "[statistics]") {
  std::mt19937_64 rng(99);
  std::lognormal_distribution<double> value(1.0, 0.8);
  sim::Tally all;
  sim::Tally a;
  sim::Tally b;
  for (int i = 0; i < 5000; ++i) {
    const double x = value(rng);
    all.add(x);
    (i % 3 == 0 ? a : b).add(x);
  }
  sim::Tally empty;
  a.merge(empty);  // merging nothing changes nothing
  a.merge(b);
  CHECK(a.count() == all.count());
  CHECK(a.mean() == Approx(all.mean()).epsilon(1e-12));
  CHECK(a.variance() == Approx(all.variance()).epsilon(1e-10));
  CHECK(a.sum() == Approx(all.sum()).epsilon(1e-12));
  CHECK(a.min() == all.min());
  CHECK(a.max() == all.max());
  CHECK(a.quantile(0.5) == all.quantile(0.5));
  CHECK(a.quantile(0.95) == all.quantile(0.95));
  sim::Tally into_empty;
  into_empty.merge(all);
  CHECK(into_empty.mean() == all.mean());
}

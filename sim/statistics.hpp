#pragma once
// Streaming statistics whose memory does not grow with the number of observations:
// - LogHistogram: counts in log-spaced buckets, for quantiles of positive values;
// - Tally: count, mean, variance, min, max and quantiles of observations (waits, stays);
// - TimeWeightedCount: time-average, max and quantiles of an integer level (occupancy, queue).
// Each can be reset at the end of a warm-up period.

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <vector>

#include "tcsim/sim/time.hpp"

namespace tcsim::sim {

/// Counts of non-negative values in buckets 1/32 of an octave wide between 2^-24 and 2^24
/// (about 0.005 s to 46,000 years in days): a quantile is reported as its bucket's midpoint, so
/// it is within 1.6% (relative) of the exact sample quantile. Values below 2^-24 count as 0.
class LogHistogram {
 public:
  static constexpr int kSubBucketBits = 5;
  static constexpr int kMinExponent = -24;
  static constexpr int kMaxExponent = 24;
  static constexpr std::size_t kBuckets =
      2 + (static_cast<std::size_t>(kMaxExponent - kMinExponent) << kSubBucketBits);

  LogHistogram() : counts_(kBuckets, 0) {}

  void add(double value) noexcept {
    ++counts_[bucket_of(value)];
    ++total_;
  }

  /// The p-quantile (0 <= p <= 1) of the values added; 0 when none were.
  [[nodiscard]] double quantile(double p) const noexcept;
  [[nodiscard]] std::uint64_t count() const noexcept { return total_; }

  void reset() noexcept {
    std::fill(counts_.begin(), counts_.end(), 0);
    total_ = 0;
  }

  /// Adds the counts of `other`, as if its values had been added here.
  void merge(const LogHistogram& other) noexcept {
    for (std::size_t b = 0; b < counts_.size(); ++b)
      counts_[b] += other.counts_[b];
    total_ += other.total_;
  }

  /// Bucket index: 0 for tiny values, then exponent and top mantissa bits, last for overflow.
  [[nodiscard]] static std::size_t bucket_of(double value) noexcept {
    const auto bits = std::bit_cast<std::uint64_t>(value);
    const int exponent = static_cast<int>((bits >> 52) & 0x7ff) - 1023;
    if (value < 0x1p-24 || exponent < kMinExponent) return 0;  // also catches negatives
    if (exponent >= kMaxExponent) return kBuckets - 1;
    const auto sub =
        static_cast<std::size_t>((bits >> (52 - kSubBucketBits)) & ((1u << kSubBucketBits) - 1));
    return 1 + (static_cast<std::size_t>(exponent - kMinExponent) << kSubBucketBits) + sub;
  }
  /// The value a bucket stands for (its midpoint).
  [[nodiscard]] static double bucket_value(std::size_t bucket) noexcept;

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
};

class Tally {
 public:
  void add(double x) noexcept {
    // Sums of deviations from the first observation ("shifted data"): as stable as Welford's
    // update for the mean and variance here, without a division per observation.
    if (count_ == 0) shift_ = x;
    const double d = x - shift_;
    ++count_;
    sum_d_ += d;
    sum_d2_ += d * d;
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
    histogram_.add(x);
  }

  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] double sum() const noexcept {
    return shift_ * static_cast<double>(count_) + sum_d_;
  }
  /// Mean of the observations; NaN when there are none (an undefined mean is not zero).
  [[nodiscard]] double mean() const noexcept {
    return count_ ? shift_ + sum_d_ / static_cast<double>(count_)
                  : std::numeric_limits<double>::quiet_NaN();
  }
  /// Sample variance (n - 1); NaN with fewer than two observations.
  [[nodiscard]] double variance() const noexcept {
    if (count_ < 2) return std::numeric_limits<double>::quiet_NaN();
    const auto n = static_cast<double>(count_);
    return std::max(0.0, (sum_d2_ - sum_d_ * sum_d_ / n) / (n - 1.0));
  }
  [[nodiscard]] double min() const noexcept {
    return count_ ? min_ : std::numeric_limits<double>::quiet_NaN();
  }
  [[nodiscard]] double max() const noexcept {
    return count_ ? max_ : std::numeric_limits<double>::quiet_NaN();
  }
  /// Approximate p-quantile (see LogHistogram); NaN when there are no observations.
  [[nodiscard]] double quantile(double p) const noexcept {
    return count_ ? histogram_.quantile(p) : std::numeric_limits<double>::quiet_NaN();
  }

  void reset() noexcept { *this = Tally{}; }

  /// Combines `other` into this tally, as if its observations had been added here (Chan et
  /// al.'s pairwise update of mean and sum of squared deviations).
  void merge(const Tally& other) noexcept;

 private:
  std::uint64_t count_ = 0;
  double shift_ = 0.0;
  double sum_d_ = 0.0;
  double sum_d2_ = 0.0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
  LogHistogram histogram_;
};

/// An integer level that changes over time. The time spent at each level is kept, so the
/// time-weighted quantiles are exact; memory follows the highest level reached.
class TimeWeightedCount {
 public:
  explicit TimeWeightedCount(Time start = 0.0) : start_(start), last_(start) {}

  void increment(Time now) { move_to(now, level_ + 1); }
  void decrement(Time now) { move_to(now, level_ - 1); }

  void move_to(Time now, std::int64_t level) {
    accumulate(now);
    level_ = level;
    if (level_ > max_) max_ = level_;
  }

  /// Starts a new measurement period at `now` (end of warm-up), keeping the current level.
  void reset(Time now) {
    start_ = now;
    last_ = now;
    area_ = 0.0;
    max_ = level_;
    std::fill(time_at_level_.begin(), time_at_level_.end(), 0.0);
  }

  /// Closes the measurement period at `now`; the accessors below describe [start, now].
  void finish(Time now) { accumulate(now); }

  [[nodiscard]] std::int64_t level() const noexcept { return level_; }
  [[nodiscard]] std::int64_t max() const noexcept { return max_; }
  [[nodiscard]] double area() const noexcept { return area_; }
  [[nodiscard]] Time elapsed() const noexcept { return last_ - start_; }
  /// Time-average level over the period; NaN for an empty period.
  [[nodiscard]] double mean() const noexcept {
    return elapsed() > 0.0 ? area_ / elapsed() : std::numeric_limits<double>::quiet_NaN();
  }
  /// The smallest level L with time at levels <= L at least p of the period.
  [[nodiscard]] double quantile(double p) const noexcept;
  /// Share of the period spent at exactly `level`.
  [[nodiscard]] double share_at(std::int64_t level) const noexcept;

 private:
  void accumulate(Time now) {
    const double dt = now - last_;
    area_ += static_cast<double>(level_) * dt;
    const auto index = static_cast<std::size_t>(level_);
    if (index >= time_at_level_.size()) time_at_level_.resize(index + 1, 0.0);
    time_at_level_[index] += dt;
    last_ = now;
  }

  Time start_;
  Time last_;
  std::int64_t level_ = 0;
  std::int64_t max_ = 0;
  double area_ = 0.0;
  std::vector<double> time_at_level_;
};

}  // namespace tcsim::sim

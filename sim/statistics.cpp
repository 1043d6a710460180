#include "tcsim/sim/statistics.hpp"

#include <cmath>

namespace tcsim::sim {

double LogHistogram::bucket_value(std::size_t bucket) noexcept {
  if (bucket == 0) return 0.0;
  if (bucket >= kBuckets - 1) return std::ldexp(1.0, kMaxExponent);
  const std::size_t index = bucket - 1;
  const int exponent = kMinExponent + static_cast<int>(index >> kSubBucketBits);
  const auto sub = static_cast<double>(index & ((1u << kSubBucketBits) - 1));
  constexpr double kSubBuckets = 1 << kSubBucketBits;
  return std::ldexp(1.0 + (sub + 0.5) / kSubBuckets, exponent);
}

double LogHistogram::quantile(double p) const noexcept {
  if (total_ == 0) return 0.0;
  p = std::clamp(p, 0.0, 1.0);
  // The smallest bucket whose cumulative count reaches ceil(p * n) (at least the first value).
  const auto rank = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(total_))));
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < counts_.size(); ++b) {
    seen += counts_[b];
    if (seen >= rank) return bucket_value(b);
  }
  return bucket_value(counts_.size() - 1);
}

void Tally::merge(const Tally& other) noexcept {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  const auto na = static_cast<double>(count_);
  const auto nb = static_cast<double>(other.count_);
  const double n = na + nb;
  const double mean_a = mean();
  const double mean_b = other.mean();
  const double m2_a = sum_d2_ - sum_d_ * sum_d_ / na;
  const double m2_b = other.sum_d2_ - other.sum_d_ * other.sum_d_ / nb;
  const double delta = mean_b - mean_a;
  // Re-centre on the combined mean: deviations then sum to 0 and their squares to M2.
  shift_ = mean_a + delta * nb / n;
  sum_d_ = 0.0;
  sum_d2_ = m2_a + m2_b + delta * delta * na * nb / n;
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  histogram_.merge(other.histogram_);
}

double TimeWeightedCount::quantile(double p) const noexcept {
  const double total = elapsed();
  if (!(total > 0.0)) return std::numeric_limits<double>::quiet_NaN();
  const double target = std::clamp(p, 0.0, 1.0) * total;
  double seen = 0.0;
  std::size_t highest_held = 0;  // levels held for no time (an instant's visit) do not count
  for (std::size_t level = 0; level < time_at_level_.size(); ++level) {
    if (!(time_at_level_[level] > 0.0)) continue;
    highest_held = level;
    seen += time_at_level_[level];
    if (seen >= target) return static_cast<double>(level);
  }
  // Rounding can leave the running sum a hair short of the total: the answer is then the
  // highest level actually held.
  return static_cast<double>(highest_held);
}

double TimeWeightedCount::share_at(std::int64_t level) const noexcept {
  const double total = elapsed();
  const auto index = static_cast<std::size_t>(level);
  if (!(total > 0.0) || level < 0 || index >= time_at_level_.size()) return 0.0;
  return time_at_level_[index] / total;
}

}  // namespace tcsim::sim

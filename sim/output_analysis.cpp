#include "tcsim/sim/output_analysis.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include <boost/math/distributions/students_t.hpp>

namespace tcsim::sim {

double t_critical(double confidence, std::size_t dof) {
  if (dof == 0) throw std::invalid_argument("t_critical needs at least one degree of freedom");
  if (!(confidence > 0.0 && confidence < 1.0)) {
    throw std::invalid_argument("confidence must be strictly between 0 and 1");
  }
  const boost::math::students_t dist(static_cast<double>(dof));
  return boost::math::quantile(boost::math::complement(dist, (1.0 - confidence) / 2.0));
}

Estimate estimate_mean(std::span<const double> values, double confidence) {
  Estimate e;
  e.n = values.size();
  if (values.empty()) {
    e.mean = std::nan("");
    return e;
  }
  double sum = 0.0;
  for (double v : values)
    sum += v;
  e.mean = sum / static_cast<double>(e.n);
  if (e.n < 2 || !std::isfinite(e.mean)) return e;
  double ss = 0.0;
  for (double v : values)
    ss += (v - e.mean) * (v - e.mean);
  const double sd = std::sqrt(ss / static_cast<double>(e.n - 1));
  e.sd = sd;
  e.half_width = t_critical(confidence, e.n - 1) * sd / std::sqrt(static_cast<double>(e.n));
  return e;
}

std::size_t mser5_truncation(std::span<const double> series) {
  constexpr std::size_t kBatch = 5;
  std::size_t length = 0;
  while (length < series.size() && !std::isnan(series[length]))
    ++length;
  const std::size_t batches = length / kBatch;
  if (batches < 2) return 0;
  std::vector<double> z(batches, 0.0);
  for (std::size_t b = 0; b < batches; ++b) {
    for (std::size_t i = 0; i < kBatch; ++i)
      z[b] += series[b * kBatch + i];
    z[b] /= static_cast<double>(kBatch);
  }
  std::size_t best = 0;
  double best_value = std::numeric_limits<double>::infinity();
  for (std::size_t d = 0; d < batches / 2; ++d) {
    const auto kept = static_cast<double>(batches - d);
    double mean = 0.0;
    for (std::size_t i = d; i < batches; ++i)
      mean += z[i];
    mean /= kept;
    double squares = 0.0;
    for (std::size_t i = d; i < batches; ++i)
      squares += (z[i] - mean) * (z[i] - mean);
    const double value = squares / (kept * kept);
    if (value < best_value) {
      best_value = value;
      best = d;
    }
  }
  return best * kBatch;
}

}  // namespace tcsim::sim

#include "sim/output_analysis.hpp"

#include <cmath>
#include <stdexcept>

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

}  // namespace tcsim::sim

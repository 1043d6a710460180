#include "tcsim/models/economics/per_replication.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace tcsim::models {

const Values& values(const RunReport& report, const std::string& scope, const std::string& name) {
  const MetricSummary* m = report.find(scope, name);
  if (!m) throw std::logic_error(fmt::format("savings: no metric {}.{}", scope, name));
  return m->values;
}

double mean_of(const Values& v) {
  double sum = 0.0;
  for (double x : v)
    sum += x;
  return v.empty() ? 0.0 : sum / static_cast<double>(v.size());
}

Values difference(const Values& a, const Values& b) {
  Values d(a.size());
  for (std::size_t k = 0; k < a.size(); ++k)
    d[k] = a[k] - b[k];
  return d;
}

void add_scaled(Values& into, const Values& v, double factor) {
  if (into.empty()) into.assign(v.size(), 0.0);
  for (std::size_t k = 0; k < v.size(); ++k)
    into[k] += factor * v[k];
}

}  // namespace tcsim::models

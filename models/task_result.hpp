#pragma once
// What one task of a batch (design point x replication) produces: its metric values and, if
// the experiment keeps them, its daily series. Journal and results file both store these.

#include <cstdint>
#include <vector>

#include "models/metrics.hpp"

namespace tcsim::models {

struct TaskResult {
  std::int64_t design_point = 0;
  std::int64_t replication = 0;
  std::vector<MetricValue> metrics;
  /// occupancy[d][s], delayed[d][s]: daily means per setting (empty when not kept).
  std::vector<std::vector<double>> occupancy;
  std::vector<std::vector<double>> delayed;
};

}  // namespace tcsim::models

#pragma once
// What one task of a batch (design point x replication) produces: its metric values and, if
// the experiment keeps them, its daily series. Journal and results file both store these.

#include <cstdint>
#include <vector>

#include "tcsim/models/run/metrics.hpp"

namespace tcsim::models {

struct TaskResult {
  std::int64_t design_point = 0;
  std::int64_t replication = 0;
  std::vector<MetricValue> metrics;
  /// Daily means per setting, day-major: value of day d, setting s at [d * settings + s]
  /// (empty when not kept).
  std::size_t days = 0;
  std::size_t settings = 0;
  std::vector<double> occupancy;
  std::vector<double> delayed;
};

}  // namespace tcsim::models

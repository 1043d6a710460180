#include "tcsim/sim/network_result.hpp"

#include <cmath>

namespace tcsim::sim {

double StationResult::utilisation() const {
  if (unlimited || !(capacity_area > 0.0)) return std::nan("");
  return occupancy.area() / capacity_area;
}

double StationResult::loss_probability() const {
  return newcomers ? static_cast<double>(losses) / static_cast<double>(newcomers) : std::nan("");
}

double StationResult::full_share() const {
  const double period = occupancy.elapsed();
  return period > 0.0 ? full_days / period : std::nan("");
}

double NetworkResult::throughput() const {
  const double period = end - start;
  return period > 0.0 ? static_cast<double>(completions) / period : std::nan("");
}

}  // namespace tcsim::sim

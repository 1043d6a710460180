#pragma once
// One number per replication - a metric's values across a run's replications - and the
// arithmetic the analyses do on them element by element. National sums are kept per
// replication (replication k of every area and model shares its random numbers), so their
// confidence intervals come from the replications.

#include <string>
#include <vector>

#include "tcsim/models/run/scenario_run.hpp"

namespace tcsim::models {

using Values = std::vector<double>;

/// The values of metric `scope`.`name` of `report`; a missing metric is a programming error
/// (std::logic_error), since the analyses ask only for metrics every run records.
[[nodiscard]] const Values& values(const RunReport& report, const std::string& scope,
                                   const std::string& name);

/// The plain mean (0 for no values), summed in order so that it is the same on every platform.
[[nodiscard]] double mean_of(const Values& v);

/// a - b, element by element (b at least as long as a).
[[nodiscard]] Values difference(const Values& a, const Values& b);

/// into += factor x v, element by element; an empty `into` starts at zero.
void add_scaled(Values& into, const Values& v, double factor);

}  // namespace tcsim::models

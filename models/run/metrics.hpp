#pragma once
// The named metrics a run reports, per replication. Names and units are a stable contract
// (docs/metrics.md): `<scope>.<name>` where scope is a setting, a cohort or "system".

#include <string>
#include <vector>

#include "tcsim/sim/network_result.hpp"
#include "tcsim/sim/network_spec.hpp"

namespace tcsim::models {

struct MetricValue {
  std::string scope;
  std::string name;
  std::string unit;
  double value = 0.0;  // NaN when undefined in this replication (e.g. no observations)
};

/// Every metric of one replication, in a fixed order (settings, cohorts, system). `spec` tells
/// which settings patients move between, for delayed days by the setting waited for.
[[nodiscard]] std::vector<MetricValue> collect_metrics(const sim::NetworkResult& result,
                                                       const sim::NetworkSpec& spec);

}  // namespace tcsim::models

#pragma once
// What a replication costs and what the organisations and reform levers did: cost per setting
// (service line), per organisation and for the area, in £ a year at 2009/10 prices; WTE and
// spare caseload capacity; delayed transfer days by cause; admissions avoided and early
// discharges. Names and units are in docs/metrics.md.

#include <vector>

#include "tcsim/models/network/network_builder.hpp"
#include "tcsim/models/run/metrics.hpp"
#include "tcsim/models/scenario/scenario.hpp"
#include "tcsim/sim/network_result.hpp"

namespace tcsim::models {

/// True if the scenario says anything about money, integration models or reform levers;
/// otherwise (e.g. a queueing benchmark) there is nothing to report.
[[nodiscard]] bool has_economics(const Scenario& scenario);

/// `network` must be build_network(scenario). Empty unless has_economics(scenario).
[[nodiscard]] std::vector<MetricValue> collect_economics(const sim::NetworkResult& result,
                                                         const BuiltNetwork& network,
                                                         const Scenario& scenario);

}  // namespace tcsim::models

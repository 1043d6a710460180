#pragma once
// `tcsim describe`: the scenario as tcsim understood it - settings, cohorts with their
// effective mean arrival rates, pathways with mean stays, overrides and every source.

#include <string>

#include "tcsim/models/network/stability.hpp"
#include "tcsim/models/scenario/scenario.hpp"

namespace tcsim::models {

[[nodiscard]] std::string describe_scenario(const Scenario& scenario,
                                            const StabilityReport& stability);

}  // namespace tcsim::models

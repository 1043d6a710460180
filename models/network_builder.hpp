#pragma once
// Turns a health-economy Scenario into the engine's NetworkSpec: settings become stations,
// each cohort's pathway steps become steps (named "cohort.step", which also names their random
// streams), and each cohort an arrival stream.

#include "models/scenario.hpp"
#include "sim/network_spec.hpp"

namespace tcsim::models {

[[nodiscard]] sim::NetworkSpec build_network(const Scenario& scenario);

}  // namespace tcsim::models

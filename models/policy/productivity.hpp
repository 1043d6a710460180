#pragma once
// The productivity lever: a higher direct-care share for community teams.

#include "tcsim/models/scenario/scenario.hpp"

namespace tcsim::models {

/// Adds `gain` to the direct-care share of every organisation that runs a community team and
/// derives the capacities again (the productivity lever of `tcsim savings` and of experiments).
void raise_productivity(Scenario& s, double gain);

}  // namespace tcsim::models

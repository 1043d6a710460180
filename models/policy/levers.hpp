#pragma once
// The pathway-reform levers as the savings analysis uses them: which teams exist only for a
// lever, and switching the levers for a policy.

#include <set>
#include <string>

#include "tcsim/models/scenario/scenario.hpp"

namespace tcsim::models {

/// Settings whose teams exist only for a reform lever (idle at baseline). With `absorbing`,
/// only those of the levers the absorb policy uses (Lever::absorbs_spare_capacity: admission
/// avoidance, early discharge).
[[nodiscard]] std::set<std::string> lever_settings(const Scenario& s, bool absorbing = false);

enum class Levers { Off, Absorb };

/// Off switches every lever off; Absorb switches on, for every eligible patient, the levers
/// that absorb spare capacity (admission avoidance and early supported discharge); the others
/// stay off (discharge to assess needs a place before it can act, so it is not a way to use
/// spare capacity).
void switch_levers(Scenario& s, Levers levers);

}  // namespace tcsim::models

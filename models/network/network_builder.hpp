#pragma once
// Turns a health-economy Scenario into the engine's NetworkSpec: settings become stations (in
// the same order), each cohort's pathway steps become steps (named "cohort.step", which also
// names their random streams), and each cohort an arrival stream.
//
// Organisations and reform levers act here. Under an integration model's interface rules a
// move between two settings of one organisation takes the internal delay instead of its
// written (cross-organisation) transfer delay. Levers in use become: admission avoidance - a
// first route to the lever's step, which overflows to the usual start when its setting is full;
// early supported discharge - an early exit from its step; discharge to assess - part of each
// move to an assessed destination goes first to a new step "cohort.d2a_<destination>" at the
// lever's setting, where the destination's transfer delay is spent.

#include <string>

#include "tcsim/models/scenario/scenario.hpp"
#include "tcsim/sim/network_spec.hpp"

namespace tcsim::models {

[[nodiscard]] sim::NetworkSpec build_network(const Scenario& scenario);

/// The name of the discharge-to-assess step built for moves to `destination`.
[[nodiscard]] std::string d2a_step_name(const std::string& destination);

}  // namespace tcsim::models

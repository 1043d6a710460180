#pragma once
// Turns a health-economy Scenario into the engine's NetworkSpec: settings become stations (in
// the same order), each cohort's pathway steps become steps (named "cohort.step", which also
// names their random streams), and each cohort an arrival stream.
//
// Organisations and reform levers act here. Under an integration model's interface rules a
// move between two settings of one organisation takes the internal delay instead of its
// written (cross-organisation) transfer delay. Each cohort's pathway is built as written, then
// each reform lever in use changes it (network/lever.hpp, one file per lever in
// network/levers/): first routes, overflows, early exits, split routes, steps of its own.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tcsim/models/scenario/scenario.hpp"
#include "tcsim/sim/network_spec.hpp"

namespace tcsim::models {

/// The engine's spec of a scenario and where each of the scenario's pieces went in it, so
/// that nothing downstream finds a station or a step again by its name.
struct BuiltNetwork {
  sim::NetworkSpec spec;
  /// spec.steps index of each cohort's steps (by step name, including the lever steps such
  /// as d2a_<destination>), one map per cohort in the scenario's order.
  std::vector<std::map<std::string, std::int32_t>> steps_of_cohort;
  /// One past the last spec.steps index of each cohort: its steps (the pathway's, then its
  /// levers') stand together in spec.steps, cohort after cohort.
  std::vector<std::size_t> steps_end_of_cohort;

  /// spec.stations[k] is scenario.settings[k]: stations are the settings in order.
  [[nodiscard]] static std::uint32_t station_of_setting(std::size_t setting) {
    return static_cast<std::uint32_t>(setting);
  }
  /// The spec.steps index of step `name` of cohort number `cohort`, or -1 if it has none.
  [[nodiscard]] std::int32_t step(std::size_t cohort, const std::string& name) const;
};

[[nodiscard]] BuiltNetwork build_network(const Scenario& scenario);

/// The name of the step discharge to assess builds for assessed moves to `destination`
/// (defined with that lever, network/levers/discharge_to_assess.cpp).
[[nodiscard]] std::string d2a_step_name(const std::string& destination);

}  // namespace tcsim::models

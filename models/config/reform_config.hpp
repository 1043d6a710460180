#pragma once
// Reading a cohort's `reforms:` - the pathway-reform levers of the registry
// (network/lever.hpp) - and checking they name the cohort's steps and the scenario's settings.
// Each lever reads and checks itself; this file hands it its YAML mapping as a LeverInput.

#include <string>
#include <utility>
#include <vector>

#include "tcsim/models/config/config_node.hpp"
#include "tcsim/models/scenario/scenario.hpp"

namespace tcsim::models {

[[nodiscard]] Reforms parse_reforms(const ConfigNode& node);

/// Fails at the lever's key if it names a step the cohort lacks, or uses a step in a way that
/// cannot work. Run before the pathway's reachability check, which follows the levers.
void check_reform_steps(const Cohort& cohort, const ConfigNode& reforms_node);

/// Fails if a lever names a setting the scenario lacks.
void check_reform_settings(const Cohort& cohort, const std::vector<Setting>& settings,
                           const ConfigNode& reforms_node);

/// Steps a lever can lead to, as (from, to), e.g. admission avoidance from the start, early
/// discharge from its `at` step. For reachability checks.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> reform_edges(const Cohort& cohort);

/// The levers' keys, in registry order (for expect_keys).
[[nodiscard]] std::vector<std::string_view> lever_keys();

}  // namespace tcsim::models

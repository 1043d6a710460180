#pragma once
// Reads a scenario YAML into a Scenario: defaults, then checks, then plain values. Any problem
// throws ConfigError naming file, line, key, what was found and what was expected - before
// anything is simulated. The format is documented in configs/README.md.

#include <string>

#include "models/scenario.hpp"

namespace tcsim::models {

/// Loads and checks the scenario at `path`.
[[nodiscard]] Scenario load_scenario(const std::string& path);

/// Same, from text already read; `file` names it in messages.
[[nodiscard]] Scenario parse_scenario(const std::string& text, const std::string& file);

}  // namespace tcsim::models

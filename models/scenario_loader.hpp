#pragma once
// Reads a scenario YAML into a Scenario: defaults, then checks, then plain values. Any problem
// throws ConfigError naming file, line, key, what was found and what was expected - before
// anything is simulated. The format is documented in configs/README.md.

#include <string>
#include <utility>
#include <vector>

#include "models/scenario.hpp"

namespace tcsim::models {

/// ("dotted.path", "value") pairs from `--set`, applied to the YAML before it is read.
using Overrides = std::vector<std::pair<std::string, std::string>>;

/// Loads and checks the scenario at `path`, with `overrides` applied.
[[nodiscard]] Scenario load_scenario(const std::string& path, const Overrides& overrides = {});

/// Same, from text already read; `file` names it in messages.
[[nodiscard]] Scenario parse_scenario(const std::string& text, const std::string& file,
                                      const Overrides& overrides = {});

}  // namespace tcsim::models

#pragma once
// Reads a scenario YAML into a Scenario: defaults, then checks, then plain values. Any problem
// throws ConfigError naming file, line, key, what was found and what was expected - before
// anything is simulated. The format is documented in configs/README.md.

#include <string>
#include <utility>
#include <vector>

#include "tcsim/models/config/input_file.hpp"
#include "tcsim/models/scenario/scenario.hpp"

namespace tcsim::models {

/// ("dotted.path", "value") pairs from `--set`, applied to the YAML before it is read.
using Overrides = std::vector<std::pair<std::string, std::string>>;

/// Loads and checks the scenario at `path` (a regular file of at most kMaxYamlBytes), with
/// `overrides` applied; `options` govern the files it names (an empirical `file:`).
[[nodiscard]] Scenario load_scenario(const std::string& path, const Overrides& overrides = {},
                                     const InputOptions& options = {});

/// Same, from text already read; `file` names it in messages, and its folder is where the
/// files it names are found.
[[nodiscard]] Scenario parse_scenario(const std::string& text, const std::string& file,
                                      const Overrides& overrides = {},
                                      const InputOptions& options = {});

/// Where the value at `dotted_path` (e.g. "run.horizon") of the loaded scenario is: its file,
/// line and column, "--set" if an override gave it, or the file alone if it is a default.
[[nodiscard]] ConfigLocation scenario_key_location(const Scenario& scenario,
                                                   const std::string& dotted_path);

/// Refuses a run whose daily series (kept for `run --out`) would hold more than
/// kMaxDailyValues values - days x settings x replications - with a ConfigError at
/// run.horizon, before anything is allocated. An unlimited horizon cannot be sized up front.
void check_daily_series_size(const Scenario& scenario, std::int64_t replications);

/// The ConfigError for running out of memory while simulating `scenario`: its size comes from
/// the patients it holds at once (run.max_patients), so that is the key named.
[[nodiscard]] ConfigError out_of_memory_error(const Scenario& scenario);

}  // namespace tcsim::models

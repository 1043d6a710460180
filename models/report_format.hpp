#pragma once
// How a RunReport is shown: a plain-text table for people, one JSON object for programs.

#include <string>

#include "models/scenario_run.hpp"

namespace tcsim::models {

/// A table with a row per metric: mean, 95% CI half-width (or "n/a" with one replication), unit.
[[nodiscard]] std::string format_table(const RunReport& report);

/// {"tcsim_version", "config", "seed", "replications", "metrics": {"scope.name": {"mean",
/// "ci_half_width", "values", "unit"}}}; undefined numbers are null.
[[nodiscard]] std::string format_json(const RunReport& report, const std::string& version);

}  // namespace tcsim::models

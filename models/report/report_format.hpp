#pragma once
// How a RunReport is shown: a plain-text table for people, one JSON object for programs.

#include <string>

#include "tcsim/models/run/scenario_run.hpp"

namespace tcsim::models {

/// A table with a row per metric: mean, 95% CI half-width (or "n/a" with one replication), unit.
[[nodiscard]] std::string format_table(const RunReport& report);

/// {"tcsim_version", "tcsim_build", "config", "seed", "replications", "metrics": {"scope.name":
/// {"mean", "ci_half_width", "values", "unit"}}}; undefined numbers are null. `build` says
/// which code ran (a commit, or a hash of the sources outside git).
[[nodiscard]] std::string format_json(const RunReport& report, const std::string& version,
                                      const std::string& build = "");

/// Long CSV, one row per (replication, metric): replication,scope,metric,unit,value.
[[nodiscard]] std::string format_replications_csv(const RunReport& report);

/// One row per metric: scope,metric,unit,mean,ci_half_width,replications (empty cells where
/// undefined).
[[nodiscard]] std::string format_summary_csv(const RunReport& report);

/// replication,day,setting,mean_occupancy - from RunReport::daily.
[[nodiscard]] std::string format_daily_csv(const RunReport& report);

}  // namespace tcsim::models

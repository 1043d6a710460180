#pragma once
// How `tcsim compare` shows its results: a table for the reader and a CSV of every metric.

#include <string>
#include <vector>

#include "tcsim/models/economics/model_comparison.hpp"

namespace tcsim::models {

/// One table: a row per model, key area metrics; the baseline's levels, then each model's
/// paired difference from it with its 95% CI.
[[nodiscard]] std::string format_comparison(const std::vector<ModelRun>& runs);

/// Every metric of every model: mean, CI, and paired/unpaired differences from the baseline.
[[nodiscard]] std::string format_comparison_csv(const std::vector<ModelRun>& runs);

}  // namespace tcsim::models

#pragma once
// How `tcsim savings` shows its results: the savings table with what drives it and the
// calibration, and the two sensitivity analyses (PSA and tornado) beneath it.

#include <string>

#include "tcsim/models/economics/savings.hpp"
#include "tcsim/models/economics/sensitivity.hpp"

namespace tcsim::models {

/// The main table (a row per model and policy, the reported figures beside them), what drives
/// the difference, and the calibration report.
[[nodiscard]] std::string format_savings(const SavingsReport& report);

/// Each row's saving over the draws: mean, 95% CI of the mean, 5th-95th percentile range.
[[nodiscard]] std::string format_psa(const PsaReport& report);

/// The inputs, largest swing first, with the baseline model's savings at each end.
[[nodiscard]] std::string format_tornado(const TornadoReport& report);

}  // namespace tcsim::models

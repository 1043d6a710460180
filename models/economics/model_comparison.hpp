#pragma once
// Runs one area under several integration models with common random numbers and sets each
// against the baseline (direct provision): per metric, the paired difference's mean and 95%
// CI (and, to show what the pairing buys, the unpaired CI of the same difference).

#include <optional>
#include <string>
#include <vector>

#include "tcsim/models/policy/integration_model.hpp"
#include "tcsim/models/run/scenario_run.hpp"
#include "tcsim/models/scenario/scenario.hpp"
#include "tcsim/sim/output_analysis.hpp"

namespace tcsim::models {

struct ModelRun {
  std::string id;
  RunReport report;
};

/// Model minus baseline for one metric.
struct Difference {
  sim::Estimate paired;  // mean and CI of the per-replication differences
  /// Half-width of the Welch interval treating the two runs as independent; nullopt when
  /// either has fewer than two values.
  std::optional<double> unpaired_half_width;
};

/// Runs `ids` (the baseline is added first if missing) on `area` with the same seed and
/// replications, so replication k of every model sees the same random numbers.
[[nodiscard]] std::vector<ModelRun> run_models(const Scenario& area,
                                               const IntegrationModels& models,
                                               const std::vector<std::string>& ids,
                                               const RunOptions& options);

/// nullopt if either lacks a value in some replication, or their replications differ.
[[nodiscard]] std::optional<Difference> difference(const MetricSummary& model,
                                                   const MetricSummary& baseline);

}  // namespace tcsim::models

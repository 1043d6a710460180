#pragma once
// What productivity in community services is worth, under each integration model, for the two
// policies the reports of the time contrast:
//
//   release - cut the capacity the productivity gain frees: the smallest caseload (and bed)
//             capacity that keeps the baseline service level is found by bisection with common
//             random numbers; the WTE freed is what that capacity needed at the baseline
//             direct-care share less what it needs at the raised one (slack the baseline already
//             had is not a productivity saving); saving = the fall in community cost;
//   absorb  - keep the workforce: the freed WTE staff the admission-avoidance and early-
//             supported-discharge teams; saving = the acute cost of the beds that can close at
//             the target occupancy, less the rise in community cost.
//
// Areas are the national config's archetypes; national figures are count-weighted sums, per
// replication, so their CIs come from replications (or from a PSA over uncertain inputs).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tcsim/models/policy/integration_model.hpp"
#include "tcsim/models/policy/national_config.hpp"
#include "tcsim/models/run/scenario_run.hpp"
#include "tcsim/sim/output_analysis.hpp"

namespace tcsim::models {

struct SavingsOptions {
  bool quick = false;
  unsigned threads = 0;
  std::vector<std::string> models;          // empty: every model of the file
  Overrides area_overrides;                 // applied to the template (e.g. a PSA draw)
  std::optional<double> productivity_gain;  // overrides the config's
};

/// One integration model under one policy, national, per year; vectors hold one value per
/// replication.
struct SavingsRow {
  std::string model;
  std::string policy;      // "release" or "absorb"
  double spare_wte = 0.0;  // freed by productivity (the search's result; no replication spread)
  double spare_beds = 0.0;
  std::vector<double> acute_bed_days_avoided;
  std::vector<double> admissions_avoided;
  std::vector<double> acute_beds_closed;
  std::vector<double> delayed_days_change;  // acute delayed transfer days, policy - baseline
  std::vector<double> community_cost_change;
  std::vector<double> saving;  // GBP a year
};

struct CalibrationRow {
  std::string name;
  sim::Estimate simulated;
  double low = 0.0;
  double high = 0.0;
  std::string note;
  bool context = false;  // not judged: see CalibrationTarget::context
  /// Inside [low, high], allowing for rounding at the ends (a share of exactly 0.30).
  [[nodiscard]] bool within() const {
    const double slack = 1e-9 * std::max(std::abs(low), std::abs(high));
    return simulated.mean >= low - slack && simulated.mean <= high + slack;
  }
};

struct SavingsReport {
  std::string config_name;
  std::string config_file;
  double productivity_gain = 0.0;
  std::int64_t replications = 0;
  double target_acute_occupancy = 0.0;
  double acute_cost_per_bed_day = 0.0;  // GBP, 2009/10, population-weighted
  double community_cost_per_wte = 0.0;  // GBP a year, of the WTE freed (weighted)
  std::vector<SavingsRow> rows;
  std::vector<CalibrationRow> calibration;
  std::uint64_t simulated_replications = 0;  // every replication run, searches included
  double wall_seconds = 0.0;

  [[nodiscard]] const SavingsRow* find(const std::string& model, const std::string& policy) const;
};

[[nodiscard]] SavingsReport run_savings(const NationalConfig& config,
                                        const IntegrationModels& models,
                                        const SavingsOptions& options);

}  // namespace tcsim::models

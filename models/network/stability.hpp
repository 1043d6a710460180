#pragma once
// The stability check run before any simulation: each cohort's traffic equations
// (visits = arrivals at the start step + visits routed from other steps) solved with Eigen give
// every step's visit rate; times mean stays, summed per setting, they give the offered load in
// places, which must stay below the setting's long-run capacity.

#include <string>
#include <vector>

#include "tcsim/models/scenario/scenario.hpp"

namespace tcsim::models {

struct SettingLoad {
  std::string setting;
  double offered_load = 0.0;      // mean places in use if nothing ever waited or was blocked
  double capacity = 0.0;          // long-run mean capacity; infinity if unlimited
  double arrivals_per_day = 0.0;  // admissions per day (visits that take a place)
  /// A limited waiting line turns the excess away (a loss system): it cannot grow for ever.
  bool queue_limited = false;
  [[nodiscard]] bool stable() const { return queue_limited || offered_load < capacity; }
};

struct StabilityReport {
  std::vector<SettingLoad> settings;
  /// Effective mean arrival rate of each cohort (base rate x mean multiplier), per day.
  std::vector<std::pair<std::string, double>> cohort_rates;
  [[nodiscard]] bool stable() const;
  /// "setting (load L, capacity C)" for each unstable setting, comma separated.
  [[nodiscard]] std::string unstable_settings() const;
};

/// Throws ConfigError (naming the cohort's pathway) if a pathway can loop forever with no way
/// out: then no patient ever leaves and the equations have no solution.
[[nodiscard]] StabilityReport analyse_stability(const Scenario& scenario);

/// A table of settings with load, capacity and load / capacity.
[[nodiscard]] std::string format_stability(const StabilityReport& report);

}  // namespace tcsim::models

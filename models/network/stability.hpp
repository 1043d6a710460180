#pragma once
// The stability check run before any simulation: each cohort's traffic equations
// (visits = arrivals at the start step + visits routed from other steps) solved with Eigen give
// every step's visit rate; times mean stays, summed per setting, they give the offered load in
// places, which must stay below the setting's long-run capacity.

#include <stdexcept>
#include <string>
#include <vector>

#include "tcsim/models/scenario/scenario.hpp"
#include "tcsim/sim/network_simulation.hpp"

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

/// A scenario refused before it runs: offered load reaches capacity somewhere, so queues would
/// grow without limit and the run's numbers would mean nothing.
struct UnstableScenario : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Throws UnstableScenario if `report` is unstable: "[subject: ]unstable: offered load reaches
/// capacity at <settings>[. advice]". `subject` names what was checked (e.g. "model X") when
/// several scenarios are; `advice` says what the caller can do about it.
void require_stable(const StabilityReport& report, const std::string& subject = "",
                    const std::string& advice = "");

/// The engine's stop at its entity limit reworded for a scenario: more than run.max_patients
/// patients at once means the scenario is probably overloaded, which the stability table shows.
/// Any other stop is returned unchanged.
[[nodiscard]] sim::SimulationStopped patient_limit_stop(const Scenario& scenario,
                                                        const sim::SimulationStopped& stop);

}  // namespace tcsim::models

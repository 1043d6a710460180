#include "tcsim/models/economics/capacity_search.hpp"

#include <algorithm>
#include <cmath>

#include "tcsim/models/economics/per_replication.hpp"
#include "tcsim/models/network/stability.hpp"
#include "tcsim/models/scenario/queries.hpp"

namespace tcsim::models {
namespace {

/// The mean of the finite values (a replication with no admissions has no p95 wait).
double defined_mean(const Values& v) {
  double sum = 0.0;
  std::size_t n = 0;
  for (double x : v) {
    if (std::isfinite(x)) {
      sum += x;
      ++n;
    }
  }
  return n == 0 ? 0.0 : sum / static_cast<double>(n);
}

}  // namespace

RunReport Runner::operator()(const Scenario& s) {
  RunOptions options;
  options.replications = run_.replications;
  options.threads = threads_;
  replications_ += static_cast<std::uint64_t>(run_.replications);
  return run_scenario(s, options);
}

bool keeps_service_level(const RunReport& trial, const RunReport& base, const std::string& setting,
                         const SavingsSettings& cfg) {
  const double wait = defined_mean(values(trial, setting, "p95_wait"));
  const double base_wait = defined_mean(values(base, setting, "p95_wait"));
  const double delayed = mean_of(values(trial, "area", "acute_delayed_days_per_year"));
  const double base_delayed = mean_of(values(base, "area", "acute_delayed_days_per_year"));
  // Waits and delays are recorded when a patient gets the place, so a patient still waiting at
  // the end counts in neither. The line's mean length does count them: by Little's law a rise
  // of `wait_tolerance_days` in the mean wait is a rise of (admissions a day) x that in it.
  const double queue = mean_of(values(trial, setting, "mean_queue"));
  const double base_queue = mean_of(values(base, setting, "mean_queue"));
  const double per_day = mean_of(values(base, setting, "admissions")) /
                         std::max(1.0, mean_of(values(base, "system", "measured_days")));
  return wait <= base_wait + cfg.wait_tolerance_days &&
         queue <= base_queue + per_day * cfg.wait_tolerance_days + 1e-9 &&
         delayed <= base_delayed * (1.0 + cfg.delayed_days_tolerance) + 1e-9;
}

std::int64_t search_capacity(const Scenario& x, const std::string& setting, const RunReport& base,
                             const SavingsSettings& cfg, Runner& run) {
  std::int64_t hi = setting_named(x, setting).capacity;
  std::int64_t lo = 0;
  for (const SettingLoad& load : analyse_stability(x).settings) {
    if (load.setting == setting) lo = static_cast<std::int64_t>(std::floor(load.offered_load));
  }
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    Scenario trial = x;
    setting_named(trial, setting).capacity = mid;
    if (keeps_service_level(run(trial), base, setting, cfg)) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return hi;
}

std::int64_t minimal_capacity(const Scenario& scenario, const std::string& setting,
                              const RunReport& base, const SavingsSettings& cfg,
                              const SavingsRun& run, unsigned threads) {
  Runner runner(run, threads);
  return search_capacity(scenario, setting, base, cfg, runner);
}

Capacities search_minimal_capacities(const Scenario& flows, const std::vector<std::string>& targets,
                                     const RunReport& base, const SavingsSettings& cfg,
                                     Runner& run) {
  Capacities found;
  Scenario x = flows;
  for (const std::string& t : targets) {
    found[t] = search_capacity(x, t, base, cfg, run);
    setting_named(x, t).capacity = found[t];  // later searches keep this one's cut
  }
  return found;
}

}  // namespace tcsim::models

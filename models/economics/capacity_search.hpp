#pragma once
// The capacity search of the release policy: the fewest places at a community setting that
// keep the baseline's service level, by bisection with common random numbers.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tcsim/models/policy/national_config.hpp"
#include "tcsim/models/run/scenario_run.hpp"
#include "tcsim/models/scenario/scenario.hpp"

namespace tcsim::models {

/// Runs scenarios for the savings analysis at one run length, counting the replications.
class Runner {
 public:
  Runner(const SavingsRun& run, unsigned threads) : run_(run), threads_(threads) {}
  RunReport operator()(const Scenario& s);
  [[nodiscard]] std::uint64_t replications() const { return replications_; }

 private:
  SavingsRun run_;
  unsigned threads_;
  std::uint64_t replications_ = 0;
};

/// Does `trial` keep `base`'s service level: the 95th-percentile wait for `setting` and the
/// acute delayed transfer days no worse, within the tolerances?
[[nodiscard]] bool keeps_service_level(const RunReport& trial, const RunReport& base,
                                       const std::string& setting, const SavingsSettings& cfg);

/// minimal_capacity, with the trials run (and counted) by `run`.
[[nodiscard]] std::int64_t search_capacity(const Scenario& x, const std::string& setting,
                                           const RunReport& base, const SavingsSettings& cfg,
                                           Runner& run);

/// The fewest places at `setting` of `scenario` that keep `base`'s service level (the 95th-
/// percentile wait at `setting` no more than `cfg.wait_tolerance_days` above base's, its mean
/// waiting line no longer than that rise of wait implies by Little's law - which counts those
/// still waiting at the end - and the acute delayed transfer days no more than
/// `cfg.delayed_days_tolerance` above base's), by bisection between
/// the offered load (below it queues grow without limit) and today's capacity, assumed to pass.
/// Every trial runs `run.replications` with the same seed, so two trials differ only by the
/// capacity (common random numbers) and noise cannot reverse a step of the search.
[[nodiscard]] std::int64_t minimal_capacity(const Scenario& scenario, const std::string& setting,
                                            const RunReport& base, const SavingsSettings& cfg,
                                            const SavingsRun& run, unsigned threads);

/// Minimal places per target setting.
using Capacities = std::map<std::string, std::int64_t>;

/// The minimal capacity of each of `targets` in turn, each search keeping the cuts of those
/// before it (so the targets are cut together, not each alone).
[[nodiscard]] Capacities search_minimal_capacities(const Scenario& flows,
                                                   const std::vector<std::string>& targets,
                                                   const RunReport& base,
                                                   const SavingsSettings& cfg, Runner& run);

}  // namespace tcsim::models

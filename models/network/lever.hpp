#pragma once
// The pathway-reform levers as plug-ins. A lever (admission avoidance, early supported
// discharge, discharge to assess, ...) is one file in network/levers/ implementing `Lever` and
// one line in the registry (network/levers/registry.cpp); every other part of tcsim asks the
// registry, in its order, which is the order of every output (errors, describe, metrics).
//
// The interface stands on the network floor because building the network is what a lever is
// for; its other hooks take plain values so that the floors above can call it without the
// lever knowing them: config/ reads a lever's YAML through `LeverInput` (it implements it over
// its located YAML nodes, so no lever file sees yaml-cpp), run/ passes a replication's result
// through `CohortCounts`, policy/ and report/ pass settings. Levers only shape the NetworkSpec
// before a run: the engine's event loop never sees them.

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tcsim/models/scenario/lever_settings.hpp"
#include "tcsim/models/scenario/queries.hpp"
#include "tcsim/models/scenario/scenario.hpp"
#include "tcsim/sim/distribution.hpp"
#include "tcsim/sim/network_result.hpp"
#include "tcsim/sim/network_spec.hpp"

namespace tcsim::models {

/// A lever's mapping in the input, read through config/ (which knows where each key is written,
/// so every complaint is located). `missing` completes "missing key 'k': expected ...";
/// `expected` completes "expected ..." for a value of the wrong kind.
class LeverInput {
 public:
  LeverInput() = default;
  LeverInput(const LeverInput&) = delete;
  LeverInput& operator=(const LeverInput&) = delete;
  LeverInput(LeverInput&&) = delete;
  LeverInput& operator=(LeverInput&&) = delete;
  virtual ~LeverInput() = default;

  /// Fails on a key not in `allowed` (suggesting the nearest) or a repeated key.
  virtual void expect_keys(std::initializer_list<std::string_view> allowed) const = 0;
  /// `key: true` or `key: false`; false when the key is absent.
  [[nodiscard]] virtual bool flag(std::string_view key) const = 0;
  [[nodiscard]] virtual double share(std::string_view key, std::string_view missing,
                                     std::string_view expected) const = 0;
  [[nodiscard]] virtual std::optional<double> optional_share(std::string_view key,
                                                             std::string_view expected) const = 0;
  [[nodiscard]] virtual std::string text(std::string_view key, std::string_view missing,
                                         std::string_view expected) const = 0;
  /// A list of texts; `missing` also names the list when the value is not one.
  [[nodiscard]] virtual std::vector<std::string> texts(std::string_view key,
                                                       std::string_view missing,
                                                       std::string_view expected) const = 0;
  [[nodiscard]] virtual sim::Distribution distribution(std::string_view key,
                                                       std::string_view missing) const = 0;
  [[nodiscard]] virtual std::optional<sim::Distribution> optional_distribution(
      std::string_view key) const = 0;
  /// Fails at the value of `key`, or at item `index` of the list there.
  [[noreturn]] virtual void fail(std::string_view key, const std::string& problem) const = 0;
  [[noreturn]] virtual void fail_item(std::string_view key, std::size_t index,
                                      const std::string& problem) const = 0;
};

/// One cohort's part of the network while it is built: its pathway steps and arrival stream
/// are in `spec`; a lever in use changes them and may add steps of its own.
struct CohortNetwork {
  const Scenario& scenario;
  const Cohort& cohort;
  sim::NetworkSpec& spec;
  /// spec.steps index of each of the cohort's steps by name, lever steps included.
  std::map<std::string, std::int32_t>& steps;
  const std::map<std::string, std::uint32_t>& station_of;  // settings are stations, in order
  std::uint32_t stream;                                    // spec.arrivals index of the cohort

  [[nodiscard]] const Setting& setting(const std::string& name) const;
  /// The cohort's step `name` as written.
  [[nodiscard]] const Step& step(const std::string& name) const;
  [[nodiscard]] sim::StepSpec& spec_step(const std::string& name) const;
  /// The delay of a move between two settings given its written delay: under an integration
  /// model's interface rules a move inside one reformed organisation takes the internal delay.
  [[nodiscard]] std::optional<sim::Distribution> handoff(
      const std::string& from_setting, const std::string& to_setting,
      std::optional<sim::Distribution> written) const;
  /// Appends a step of the lever's, named "cohort.`name`" in the spec and `name` in `steps`.
  void add_step(const std::string& name, sim::StepSpec step) const;
};

/// What one replication did in one cohort, for a lever's counters.
struct CohortCounts {
  const sim::NetworkResult& result;
  const std::map<std::string, std::int32_t>& steps;  // as CohortNetwork::steps

  /// The result of the cohort's step `name`, or nullptr if the network has no such step.
  [[nodiscard]] const sim::StepResult* step(const std::string& name) const;
  /// Stays begun at step `name` (0 if there is none).
  [[nodiscard]] double starts_at(const std::string& name) const;
};

/// An area metric a lever reports, per year (docs/metrics.md).
struct LeverCounter {
  const char* name;
  const char* unit;
};

class Lever {
 public:
  Lever() = default;
  Lever(const Lever&) = delete;
  Lever& operator=(const Lever&) = delete;
  Lever(Lever&&) = delete;
  Lever& operator=(Lever&&) = delete;
  virtual ~Lever() = default;

  /// Its key under a cohort's `reforms:` and an integration model's `levers:`.
  [[nodiscard]] virtual const char* key() const = 0;
  /// Its lines of the scenario outline (`tcsim schema`), indented under `reforms:`.
  [[nodiscard]] virtual const char* schema() const = 0;

  /// Reads the lever's mapping under `reforms:`.
  [[nodiscard]] virtual std::unique_ptr<LeverSettings> parse(const LeverInput& in) const = 0;
  /// Fails (through `in`, the same mapping) if the settings name a step the cohort lacks or
  /// use one in a way that cannot work. Runs before the pathway's reachability check.
  virtual void check_steps(const Cohort& cohort, const LeverSettings& settings,
                           const LeverInput& in) const = 0;
  /// Fails if the settings name a setting the scenario lacks.
  virtual void check_settings(const std::vector<Setting>& settings, const LeverSettings& lever,
                              const LeverInput& in) const;
  /// Steps the lever can lead to, as (from, to), for the reachability check.
  [[nodiscard]] virtual std::vector<std::pair<std::string, std::string>> edges(
      const Cohort& cohort, const LeverSettings& settings) const;

  /// True if the savings analysis's absorb policy switches it on for every eligible patient
  /// to use spare capacity; otherwise that policy (and the baseline) switches it off.
  [[nodiscard]] virtual bool absorbs_spare_capacity() const = 0;
  /// The setting whose team exists only for this lever (idle without it), or "".
  [[nodiscard]] virtual std::string team_setting(const Cohort& cohort,
                                                 const LeverSettings& settings) const = 0;

  /// Changes the cohort's part of the network; called only for a lever in use, after the
  /// cohort's own steps and arrival stream are in the spec, levers in registry order.
  virtual void shape(const LeverSettings& settings, CohortNetwork& network) const = 0;

  /// The metrics it reports, in order.
  [[nodiscard]] virtual std::vector<LeverCounter> counters() const = 0;
  /// Adds what it did in one cohort (in use) to `totals`, one per counter, per period.
  virtual void count(const LeverSettings& settings, const CohortCounts& cohort,
                     std::span<double> totals) const = 0;

  /// Its line of `tcsim describe`.
  [[nodiscard]] virtual std::string describe(const LeverSettings& settings) const = 0;
};

/// Every lever, in registry order (network/levers/registry.cpp).
[[nodiscard]] const std::vector<const Lever*>& levers();

/// "IN USE, eligible 0.3 x uptake 1" or "off, ...": the state every description starts with.
[[nodiscard]] std::string lever_state(const LeverSettings& settings);

/// Reads `use`, `eligible_share` (with the lever's words for what it is a share of) and
/// `uptake`, in that order, into `settings`.
void read_lever_state(const LeverInput& in, LeverSettings& settings, std::string_view missing,
                      std::string_view expected);

/// The cohort's step named at `key`; fails there if the pathway has none.
const Step& require_step(const Cohort& cohort, const LeverInput& in, std::string_view key,
                         const std::string& name);

/// "no step 'x' in this cohort's pathway (did you mean 'y'?)".
[[nodiscard]] std::string no_such_step(const Cohort& cohort, const std::string& name);

/// The settings of a lever as its own type (they were made by its parse()).
template <class Settings>
[[nodiscard]] const Settings& settings_as(const LeverSettings& settings) {
  return dynamic_cast<const Settings&>(settings);
}

}  // namespace tcsim::models

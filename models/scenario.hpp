#pragma once
// A health-economy scenario as plain values, loaded from YAML in one place
// (scenario_loader.hpp) and turned into an engine network by network_builder.hpp.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/workforce.hpp"
#include "sim/distribution.hpp"
#include "sim/network_spec.hpp"

namespace tcsim::models {

/// What a setting's places are: beds (a patient occupies one for the stay) or a caseload
/// (concurrent patients or care packages a team carries).
enum class SettingKind { Beds, Caseload };

struct Setting {
  std::string name;
  SettingKind kind = SettingKind::Beds;
  std::string service;  // documented vocabulary tag, e.g. "acute_beds"
  std::int64_t capacity = sim::kUnlimited;
  /// For caseloads: the team the capacity was derived from, if given as a workforce.
  std::optional<Workforce> workforce;
  std::vector<sim::CapacityChange> schedule;  // empty: fixed capacity
  double schedule_period = 0.0;               // days; 0: the schedule does not repeat
  sim::QueueDiscipline discipline = sim::QueueDiscipline::Fifo;
  std::int64_t queue_limit = sim::kUnlimited;
};

struct NextStep {
  std::string to;  // step name in the same pathway, or "exit"
  double probability = 1.0;
  /// Overrides the step's transfer delay for this move.
  std::optional<sim::Distribution> transfer_delay{};
};

struct Step {
  std::string name;
  std::string setting;
  sim::Distribution duration;
  std::int32_t priority = 0;
  /// Referral / assessment time between being fit to move and seeking the next place, with the
  /// current place held; applies to moves to another step (not to exit).
  std::optional<sim::Distribution> transfer_delay{};
  std::vector<NextStep> next;
  /// Patients at this step at time 0: in place, and waiting for a place.
  std::int64_t initial_in_place = 0;
  std::int64_t initial_waiting = 0;
};

struct Cohort {
  std::string name;
  double rate_per_day = 0.0;                                       // base rate, before multipliers
  std::array<double, 7> weekday_multipliers{1, 1, 1, 1, 1, 1, 1};  // Monday..Sunday
  std::array<double, 12> month_multipliers{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  std::int64_t max_arrivals = sim::kUnlimited;
  std::string start;        // first step
  std::vector<Step> steps;  // in document order
};

struct RunControl {
  double horizon = sim::kForever;  // days
  double warmup = 0.0;             // days
  std::int64_t replications = 1;
  std::uint64_t seed = 1;
  std::chrono::year_month_day start_date{std::chrono::year(2009), std::chrono::April,
                                         std::chrono::day(1)};  // the date of day 0
  std::int64_t max_patients = 10'000'000;  // in the system at once; beyond it the run stops
};

struct Scenario {
  std::string name;
  std::string description;
  std::string file;  // where it was loaded from
  std::string text;  // the YAML as read, kept for outputs
  /// `--set` overrides applied on top of `text`, as ("dotted.path", "value").
  std::vector<std::pair<std::string, std::string>> overrides;
  RunControl run;
  std::vector<Setting> settings;
  std::vector<Cohort> cohorts;
  /// (dotted path, "source: ..." or "assumption: ...") for every documented number.
  std::vector<std::pair<std::string, std::string>> provenance;
};

}  // namespace tcsim::models

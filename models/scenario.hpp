#pragma once
// A health-economy scenario as plain values, loaded from YAML in one place
// (scenario_loader.hpp) and turned into an engine network by network_builder.hpp.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

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
  std::vector<sim::CapacityChange> schedule;  // empty: fixed capacity
  double schedule_period = 0.0;               // days; 0: the schedule does not repeat
  sim::QueueDiscipline discipline = sim::QueueDiscipline::Fifo;
  std::int64_t queue_limit = sim::kUnlimited;
};

struct NextStep {
  std::string to;  // step name in the same pathway, or "exit"
  double probability = 1.0;
};

struct Step {
  std::string name;
  std::string setting;
  sim::Distribution duration;
  std::int32_t priority = 0;
  std::vector<NextStep> next;
};

struct Cohort {
  std::string name;
  double rate_per_day = 0.0;
  std::int64_t max_arrivals = sim::kUnlimited;
  std::string start;        // first step
  std::vector<Step> steps;  // in document order
};

struct RunControl {
  double horizon = sim::kForever;  // days
  double warmup = 0.0;             // days
  std::int64_t replications = 1;
  std::uint64_t seed = 1;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string file;  // where it was loaded from
  std::string text;  // the YAML as read, kept for outputs
  RunControl run;
  std::vector<Setting> settings;
  std::vector<Cohort> cohorts;
  /// (dotted path, "source: ..." or "assumption: ...") for every documented number.
  std::vector<std::pair<std::string, std::string>> provenance;
};

}  // namespace tcsim::models

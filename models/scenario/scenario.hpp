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

#include "tcsim/models/scenario/input_files.hpp"
#include "tcsim/models/scenario/lever_settings.hpp"
#include "tcsim/models/scenario/workforce.hpp"
#include "tcsim/sim/distribution.hpp"
#include "tcsim/sim/network_spec.hpp"

namespace tcsim::models {

/// What a setting's places are: beds (a patient occupies one for the stay) or a caseload
/// (concurrent patients or care packages a team carries).
enum class SettingKind { Beds, Caseload };

/// What running a setting costs, in 2009/10 prices (converted from the source's prices by the
/// scenario's price index when loaded). A caseload with a workforce costs its WTE as well.
struct SettingCost {
  double per_occupied_day = 0.0;  // £ per occupied place-day (bed-day, package-day)
  double per_place_day = 0.0;     // £ per available place-day (a fixed cost)
  /// The figures are full costs (e.g. reference costs): the organisation's overhead share is
  /// not added again.
  bool includes_overheads = false;
};

/// Who runs a setting: an acute trust, a PCT provider arm, a social enterprise, ...
struct Organisation {
  std::string name;
  std::string kind;        // documented vocabulary (organisation_vocabulary.hpp)
  std::string legal_form;  // social enterprises only
  /// Management and back-office cost as a share of the organisation's direct cost.
  double overhead_share = 0.0;
  /// Change (absolute) in the direct-care share of its caseload teams' time, taken from admin
  /// and then other non-patient time; set by an integration model.
  double direct_care_share_change = 0.0;
  /// Recurring contracting and transaction cost as a share of its direct cost.
  double annual_transaction_share = 0.0;
};

struct StaffGroup {
  std::string name;
  double cost_per_wte_year = 0.0;  // £, 2009/10 prices: salary and employer's on-costs
};

struct Setting {
  std::string name;
  SettingKind kind = SettingKind::Beds;
  std::string service;       // documented vocabulary tag, e.g. "acute_beds"
  std::string organisation;  // name of an Organisation of the scenario
  SettingCost cost;
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
  Reforms reforms;          // its pathway-reform levers (lever_settings.hpp)
};

/// How handoffs depend on organisations; set by an integration model. Without it every route
/// keeps its written transfer delay.
struct InterfaceRules {
  /// Moves between settings of one organisation use `internal_delay` (not the written,
  /// cross-organisation one); false for a "bolt-on" merger that changed no process.
  bool processes_reformed = false;
  std::optional<sim::Distribution> internal_delay{};
  double cost_per_cross_organisation_transfer = 0.0;  // £ per patient handed over
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
  /// People the area serves, if given (needed for rates per 1,000 population).
  std::optional<double> population;
  /// `--set` overrides applied on top of `text`, as ("dotted.path", "value").
  std::vector<std::pair<std::string, std::string>> overrides;
  RunControl run;
  std::vector<Organisation> organisations;
  std::vector<StaffGroup> staff_groups;
  std::vector<Setting> settings;
  std::vector<Cohort> cohorts;
  /// The integration model applied (`--model`), or empty for the area as written.
  std::string model;
  std::optional<InterfaceRules> interfaces;
  /// Income of a community service line = its direct cost x (1 + this); set with a model.
  std::optional<double> contract_overhead_allowance;
  /// (dotted path, "source: ..." or "assumption: ...") for every documented number.
  std::vector<std::pair<std::string, std::string>> provenance;
  /// The files the scenario names and that were read (empirical CSVs), with their SHA-256:
  /// part of the identity of a batch run on it.
  std::vector<InputDigest> input_files;
};

}  // namespace tcsim::models

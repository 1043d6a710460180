#include "tcsim/models/network/network_builder.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace tcsim::models {
namespace {

/// The delay of a move from `from` to `to` (settings), given its written delay: the interface
/// rules of an integration model decide whether a move inside one organisation keeps it.
std::optional<sim::Distribution> handoff_delay(const Scenario& scenario, const Setting& from,
                                               const Setting& to,
                                               std::optional<sim::Distribution> written) {
  if (!scenario.interfaces || from.name == to.name || !written) return written;
  const InterfaceRules& rules = *scenario.interfaces;
  // A reformed process shortens a handoff that existed; it does not add one where none was.
  if (from.organisation == to.organisation && rules.processes_reformed) {
    return rules.internal_delay;
  }
  return written;
}

double lever_share(double eligible, double uptake) {
  return eligible * uptake;
}

/// What building one cohort needs to look up: the scenario's settings by name, the cohort's
/// steps by name and their indices in the spec, and its discharge-to-assess lever if in use.
struct CohortContext {
  const Scenario& scenario;
  const Cohort& cohort;
  std::map<std::string, std::uint32_t> station_of;  // settings are stations, in order
  std::map<std::string, const Step*> step_of;
  std::map<std::string, std::int32_t> step_index;
  const DischargeToAssess* d2a = nullptr;

  [[nodiscard]] const Setting& setting(const std::string& name) const {
    return scenario.settings[station_of.at(name)];
  }
  [[nodiscard]] const Setting& setting_of_step(const std::string& step) const {
    return setting(step_of.at(step)->setting);
  }
};

CohortContext cohort_context(const Scenario& scenario, const Cohort& c, std::int32_t first) {
  CohortContext x{scenario, c, {}, {}, {}, nullptr};
  for (std::size_t k = 0; k < scenario.settings.size(); ++k)
    x.station_of[scenario.settings[k].name] = static_cast<std::uint32_t>(k);
  const Reforms& reforms = c.reforms;
  if (reforms.discharge_to_assess && reforms.discharge_to_assess->use) {
    x.d2a = &*reforms.discharge_to_assess;
  }
  std::int32_t next = first;
  for (const Step& s : c.steps) {
    x.step_index[s.name] = next++;
    x.step_of[s.name] = &s;
  }
  if (x.d2a) {
    for (const std::string& destination : x.d2a->destinations)
      x.step_index[d2a_step_name(destination)] = next++;
  }
  return x;
}

/// The routes of step `s` to each of its next steps (discharge to assess splits a move).
std::vector<sim::Route> routes_of(const CohortContext& x, const Step& s) {
  const Setting& from = x.setting(s.setting);
  const DischargeToAssess* d2a = x.d2a;
  std::vector<sim::Route> routes;
  for (const NextStep& n : s.next) {
    if (n.to == "exit") {
      // A step's transfer delay is a handoff to another place, so it does not apply on
      // leaving; a delay written on the exit entry itself (e.g. awaiting transport) does.
      routes.push_back(sim::Route{sim::kExit, n.probability, n.transfer_delay});
      continue;
    }
    const Setting& to = x.setting_of_step(n.to);
    const std::optional<sim::Distribution> written =
        n.transfer_delay ? n.transfer_delay : s.transfer_delay;
    const std::optional<sim::Distribution> delay = handoff_delay(x.scenario, from, to, written);
    const bool assessed = d2a && d2a->at == s.name &&
                          std::find(d2a->destinations.begin(), d2a->destinations.end(), n.to) !=
                              d2a->destinations.end();
    if (!assessed) {
      routes.push_back(sim::Route{x.step_index.at(n.to), n.probability, delay});
      continue;
    }
    // Discharge to assess: the eligible share goes to the assessment place first; the two
    // routes stand side by side where the one route stood, so a routing draw leads to the
    // same destination family as without the lever (common random numbers).
    const double share = lever_share(d2a->eligible_share, d2a->uptake);
    const Setting& assess_at = x.setting(d2a->setting);
    routes.push_back(sim::Route{x.step_index.at(d2a_step_name(n.to)), n.probability * share,
                                handoff_delay(x.scenario, from, assess_at, d2a->referral_delay)});
    routes.push_back(sim::Route{x.step_index.at(n.to), n.probability * (1.0 - share), delay});
  }
  return routes;
}

sim::StepSpec step_spec(const CohortContext& x, const Step& s) {
  const Reforms& reforms = x.cohort.reforms;
  sim::StepSpec step;
  step.name = x.cohort.name + "." + s.name;
  step.station = x.station_of.at(s.setting);
  step.duration = s.duration;
  step.priority = s.priority;
  step.routes = routes_of(x, s);
  if (reforms.early_supported_discharge && reforms.early_supported_discharge->use &&
      reforms.early_supported_discharge->at == s.name) {
    const EarlySupportedDischarge& esd = *reforms.early_supported_discharge;
    step.early_exit = sim::EarlyExit{lever_share(esd.eligible_share, esd.uptake), esd.days_earlier,
                                     x.step_index.at(esd.to)};
  }
  if (reforms.admission_avoidance && reforms.admission_avoidance->use &&
      reforms.admission_avoidance->to == s.name) {
    step.overflow = x.step_index.at(x.cohort.start);  // the team is full: hospital as usual
  }
  return step;
}

/// The discharge-to-assess steps: the assessment (the move's written delay) now happens at
/// the lever's setting, holding its place; the move on is an ordinary handoff, no delay.
void add_d2a_steps(const CohortContext& x, sim::NetworkSpec& spec) {
  if (!x.d2a) return;
  const std::uint32_t station = x.station_of.at(x.d2a->setting);
  const Step& at = *x.step_of.at(x.d2a->at);
  for (const std::string& destination : x.d2a->destinations) {
    std::optional<sim::Distribution> assessment = at.transfer_delay;
    for (const NextStep& n : at.next) {
      if (n.to == destination && n.transfer_delay) assessment = n.transfer_delay;
    }
    sim::StepSpec step;
    step.name = x.cohort.name + "." + d2a_step_name(destination);
    step.station = station;
    step.duration = assessment.value_or(sim::Distribution::deterministic(0.0));
    step.routes = {sim::Route{x.step_index.at(destination), 1.0, std::nullopt}};
    spec.steps.push_back(std::move(step));
  }
}

/// The cohort's arrival stream (admission avoidance routes a share of arrivals to its team
/// first) and the patients already in place at day 0.
void add_arrivals(const CohortContext& x, sim::NetworkSpec& spec) {
  const Cohort& c = x.cohort;
  const auto stream = static_cast<std::uint32_t>(spec.arrivals.size());
  spec.arrivals.push_back(sim::ArrivalSpec{
      c.name, c.rate_per_day,
      sim::RateProfile(c.weekday_multipliers, c.month_multipliers, x.scenario.run.start_date),
      c.max_arrivals, x.step_index.at(c.start)});
  if (c.reforms.admission_avoidance && c.reforms.admission_avoidance->use) {
    const AdmissionAvoidance& aa = *c.reforms.admission_avoidance;
    const double share = lever_share(aa.eligible_share, aa.uptake);
    spec.arrivals.back().first_routes = {
        sim::Route{x.step_index.at(aa.to), share, std::nullopt},
        sim::Route{x.step_index.at(c.start), 1.0 - share, std::nullopt}};
  }
  for (const Step& s : c.steps) {
    if (s.initial_in_place > 0 || s.initial_waiting > 0) {
      spec.initial.push_back(sim::InitialEntities{stream, x.step_index.at(s.name),
                                                  s.initial_in_place, s.initial_waiting});
    }
  }
}

}  // namespace

std::string d2a_step_name(const std::string& destination) {
  return "d2a_" + destination;
}

std::int32_t BuiltNetwork::step(std::size_t cohort, const std::string& name) const {
  const auto& steps = steps_of_cohort.at(cohort);
  const auto it = steps.find(name);
  return it == steps.end() ? -1 : it->second;
}

BuiltNetwork build_network(const Scenario& scenario) {
  BuiltNetwork built;
  sim::NetworkSpec& spec = built.spec;
  spec.horizon = scenario.run.horizon;
  spec.warmup = scenario.run.warmup;
  spec.max_entities = scenario.run.max_patients;
  for (const Setting& s : scenario.settings) {
    spec.stations.push_back(sim::StationSpec{s.name, s.capacity, s.schedule, s.schedule_period,
                                             s.discipline, s.queue_limit});
  }
  for (const Cohort& c : scenario.cohorts) {
    const CohortContext x =
        cohort_context(scenario, c, static_cast<std::int32_t>(spec.steps.size()));
    for (const Step& s : c.steps)
      spec.steps.push_back(step_spec(x, s));
    add_d2a_steps(x, spec);
    add_arrivals(x, spec);
    built.steps_of_cohort.push_back(x.step_index);
  }
  return built;
}

}  // namespace tcsim::models

std::string d2a_step_name(const std::string& destination) {
  return "d2a_" + destination;
}

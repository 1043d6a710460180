#include "tcsim/models/network/network_builder.hpp"

#include <map>

#include "tcsim/models/network/lever.hpp"

namespace tcsim::models {
namespace {

/// The routes of step `s` to each of its next steps, as written (levers change them later).
std::vector<sim::Route> routes_of(const CohortNetwork& x, const Step& s) {
  std::vector<sim::Route> routes;
  for (const NextStep& n : s.next) {
    if (n.to == "exit") {
      // A step's transfer delay is a handoff to another place, so it does not apply on
      // leaving; a delay written on the exit entry itself (e.g. awaiting transport) does.
      routes.push_back(sim::Route{sim::kExit, n.probability, n.transfer_delay});
      continue;
    }
    const std::optional<sim::Distribution> written =
        n.transfer_delay ? n.transfer_delay : s.transfer_delay;
    routes.push_back(sim::Route{x.steps.at(n.to), n.probability,
                                x.handoff(s.setting, x.step(n.to).setting, written)});
  }
  return routes;
}

sim::StepSpec step_spec(const CohortNetwork& x, const Step& s) {
  sim::StepSpec step;
  step.name = x.cohort.name + "." + s.name;
  step.station = x.station_of.at(s.setting);
  step.duration = s.duration;
  step.priority = s.priority;
  step.routes = routes_of(x, s);
  return step;
}

/// The cohort's arrival stream and the patients already in place at day 0.
void add_arrivals(const CohortNetwork& x) {
  const Cohort& c = x.cohort;
  x.spec.arrivals.push_back(sim::ArrivalSpec{
      c.name, c.rate_per_day,
      sim::RateProfile(c.weekday_multipliers, c.month_multipliers, x.scenario.run.start_date),
      c.max_arrivals, x.steps.at(c.start)});
  for (const Step& s : c.steps) {
    if (s.initial_in_place > 0 || s.initial_waiting > 0) {
      x.spec.initial.push_back(sim::InitialEntities{x.stream, x.steps.at(s.name),
                                                    s.initial_in_place, s.initial_waiting});
    }
  }
}

/// One cohort: its pathway's steps as written and its arrival stream, then each lever in use
/// (in registry order) changes them and adds its steps. Returns the cohort's step indices.
std::map<std::string, std::int32_t> add_cohort(const Scenario& scenario, const Cohort& c,
                                               const std::map<std::string, std::uint32_t>& stations,
                                               sim::NetworkSpec& spec) {
  std::map<std::string, std::int32_t> steps;
  auto next = static_cast<std::int32_t>(spec.steps.size());
  for (const Step& s : c.steps)
    steps[s.name] = next++;
  CohortNetwork x{scenario, c,        spec,
                  steps,    stations, static_cast<std::uint32_t>(spec.arrivals.size())};
  for (const Step& s : c.steps)
    spec.steps.push_back(step_spec(x, s));
  add_arrivals(x);
  for (const Lever* lever : levers()) {
    const LeverSettings* settings = c.reforms.find(lever->key());
    if (settings && settings->use) lever->shape(*settings, x);
  }
  return steps;
}

}  // namespace

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
  std::map<std::string, std::uint32_t> stations;  // settings are stations, in order
  for (std::size_t k = 0; k < scenario.settings.size(); ++k)
    stations[scenario.settings[k].name] = static_cast<std::uint32_t>(k);
  for (const Cohort& c : scenario.cohorts) {
    built.steps_of_cohort.push_back(add_cohort(scenario, c, stations, spec));
    built.steps_end_of_cohort.push_back(spec.steps.size());
  }
  return built;
}

}  // namespace tcsim::models

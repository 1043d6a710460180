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

}  // namespace

std::string d2a_step_name(const std::string& destination) {
  return "d2a_" + destination;
}

sim::NetworkSpec build_network(const Scenario& scenario) {
  sim::NetworkSpec spec;
  spec.horizon = scenario.run.horizon;
  spec.warmup = scenario.run.warmup;
  spec.max_entities = scenario.run.max_patients;

  std::map<std::string, std::uint32_t> station_of;
  std::map<std::string, const Setting*> setting_of;
  for (const Setting& s : scenario.settings) {
    station_of[s.name] = static_cast<std::uint32_t>(spec.stations.size());
    setting_of[s.name] = &s;
    spec.stations.push_back(sim::StationSpec{s.name, s.capacity, s.schedule, s.schedule_period,
                                             s.discipline, s.queue_limit});
  }

  for (const Cohort& c : scenario.cohorts) {
    const Reforms& reforms = c.reforms;
    const DischargeToAssess* d2a = reforms.discharge_to_assess && reforms.discharge_to_assess->use
                                       ? &*reforms.discharge_to_assess
                                       : nullptr;
    std::map<std::string, std::int32_t> step_index;
    std::map<std::string, const Step*> step_of;
    auto next = static_cast<std::int32_t>(spec.steps.size());
    for (const Step& s : c.steps) {
      step_index[s.name] = next++;
      step_of[s.name] = &s;
    }
    if (d2a) {
      for (const std::string& destination : d2a->destinations)
        step_index[d2a_step_name(destination)] = next++;
    }

    for (const Step& s : c.steps) {
      const Setting& from = *setting_of.at(s.setting);
      sim::StepSpec step;
      step.name = c.name + "." + s.name;
      step.station = station_of.at(s.setting);
      step.duration = s.duration;
      step.priority = s.priority;
      step.routes.clear();
      for (const NextStep& n : s.next) {
        if (n.to == "exit") {
          // A step's transfer delay is a handoff to another place, so it does not apply on
          // leaving; a delay written on the exit entry itself (e.g. awaiting transport) does.
          step.routes.push_back(sim::Route{sim::kExit, n.probability, n.transfer_delay});
          continue;
        }
        const Setting& to = *setting_of.at(step_of.at(n.to)->setting);
        const std::optional<sim::Distribution> written =
            n.transfer_delay ? n.transfer_delay : s.transfer_delay;
        const std::optional<sim::Distribution> delay = handoff_delay(scenario, from, to, written);
        const bool assessed = d2a && d2a->at == s.name &&
                              std::find(d2a->destinations.begin(), d2a->destinations.end(), n.to) !=
                                  d2a->destinations.end();
        if (!assessed) {
          step.routes.push_back(sim::Route{step_index.at(n.to), n.probability, delay});
          continue;
        }
        // Discharge to assess: the eligible share goes to the assessment place first; the two
        // routes stand side by side where the one route stood, so a routing draw leads to the
        // same destination family as without the lever (common random numbers).
        const double share = lever_share(d2a->eligible_share, d2a->uptake);
        const Setting& assess_at = *setting_of.at(d2a->setting);
        step.routes.push_back(
            sim::Route{step_index.at(d2a_step_name(n.to)), n.probability * share,
                       handoff_delay(scenario, from, assess_at, d2a->referral_delay)});
        step.routes.push_back(
            sim::Route{step_index.at(n.to), n.probability * (1.0 - share), delay});
      }
      if (reforms.early_supported_discharge && reforms.early_supported_discharge->use &&
          reforms.early_supported_discharge->at == s.name) {
        const EarlySupportedDischarge& esd = *reforms.early_supported_discharge;
        step.early_exit = sim::EarlyExit{lever_share(esd.eligible_share, esd.uptake),
                                         esd.days_earlier, step_index.at(esd.to)};
      }
      if (reforms.admission_avoidance && reforms.admission_avoidance->use &&
          reforms.admission_avoidance->to == s.name) {
        step.overflow = step_index.at(c.start);  // the team is full: hospital as usual
      }
      spec.steps.push_back(std::move(step));
    }
    if (d2a) {
      const Setting& assess_at = *setting_of.at(d2a->setting);
      for (const std::string& destination : d2a->destinations) {
        // The assessment (the move's written delay) now happens here, holding this place;
        // the move on is an ordinary handoff with no further delay.
        const Step& at = *step_of.at(d2a->at);
        std::optional<sim::Distribution> assessment = at.transfer_delay;
        for (const NextStep& n : at.next) {
          if (n.to == destination && n.transfer_delay) assessment = n.transfer_delay;
        }
        sim::StepSpec step;
        step.name = c.name + "." + d2a_step_name(destination);
        step.station = station_of.at(assess_at.name);
        step.duration = assessment.value_or(sim::Distribution::deterministic(0.0));
        step.routes = {sim::Route{step_index.at(destination), 1.0, std::nullopt}};
        spec.steps.push_back(std::move(step));
      }
    }

    const auto stream = static_cast<std::uint32_t>(spec.arrivals.size());
    spec.arrivals.push_back(sim::ArrivalSpec{
        c.name, c.rate_per_day,
        sim::RateProfile(c.weekday_multipliers, c.month_multipliers, scenario.run.start_date),
        c.max_arrivals, step_index.at(c.start)});
    if (reforms.admission_avoidance && reforms.admission_avoidance->use) {
      const AdmissionAvoidance& aa = *reforms.admission_avoidance;
      const double share = lever_share(aa.eligible_share, aa.uptake);
      spec.arrivals.back().first_routes = {
          sim::Route{step_index.at(aa.to), share, std::nullopt},
          sim::Route{step_index.at(c.start), 1.0 - share, std::nullopt}};
    }
    for (const Step& s : c.steps) {
      if (s.initial_in_place > 0 || s.initial_waiting > 0) {
        spec.initial.push_back(sim::InitialEntities{stream, step_index.at(s.name),
                                                    s.initial_in_place, s.initial_waiting});
      }
    }
  }
  return spec;
}

}  // namespace tcsim::models

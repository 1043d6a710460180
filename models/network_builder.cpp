#include "models/network_builder.hpp"

#include <map>
#include <stdexcept>

namespace tcsim::models {

sim::NetworkSpec build_network(const Scenario& scenario) {
  sim::NetworkSpec spec;
  spec.horizon = scenario.run.horizon;
  spec.warmup = scenario.run.warmup;
  spec.max_entities = scenario.run.max_patients;

  std::map<std::string, std::uint32_t> station_of;
  for (const Setting& s : scenario.settings) {
    station_of[s.name] = static_cast<std::uint32_t>(spec.stations.size());
    spec.stations.push_back(sim::StationSpec{s.name, s.capacity, s.schedule, s.schedule_period,
                                             s.discipline, s.queue_limit});
  }

  for (const Cohort& c : scenario.cohorts) {
    std::map<std::string, std::int32_t> step_index;
    const auto first = static_cast<std::int32_t>(spec.steps.size());
    for (std::size_t i = 0; i < c.steps.size(); ++i) {
      step_index[c.steps[i].name] = first + static_cast<std::int32_t>(i);
    }
    for (const Step& s : c.steps) {
      sim::StepSpec step;
      step.name = c.name + "." + s.name;
      step.station = station_of.at(s.setting);
      step.duration = s.duration;
      step.priority = s.priority;
      step.routes.clear();
      for (const NextStep& n : s.next) {
        const bool to_exit = n.to == "exit";
        // A transfer delay is the handoff to the next place: none when leaving the system.
        std::optional<sim::Distribution> delay = n.transfer_delay;
        if (!delay && !to_exit) delay = s.transfer_delay;
        step.routes.push_back(
            sim::Route{to_exit ? sim::kExit : step_index.at(n.to), n.probability, delay});
      }
      spec.steps.push_back(std::move(step));
    }
    const auto stream = static_cast<std::uint32_t>(spec.arrivals.size());
    spec.arrivals.push_back(sim::ArrivalSpec{
        c.name, c.rate_per_day,
        sim::RateProfile(c.weekday_multipliers, c.month_multipliers, scenario.run.start_date),
        c.max_arrivals, step_index.at(c.start)});
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

#include "models/network_builder.hpp"

#include <map>
#include <stdexcept>

namespace tcsim::models {

sim::NetworkSpec build_network(const Scenario& scenario) {
  sim::NetworkSpec spec;
  spec.horizon = scenario.run.horizon;
  spec.warmup = scenario.run.warmup;

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
        step.routes.push_back(
            sim::Route{n.to == "exit" ? sim::kExit : step_index.at(n.to), n.probability, {}});
      }
      spec.steps.push_back(std::move(step));
    }
    spec.arrivals.push_back(
        sim::ArrivalSpec{c.name, c.rate_per_day, c.max_arrivals, step_index.at(c.start)});
  }
  return spec;
}

}  // namespace tcsim::models

#include "tcsim/models/policy/levers.hpp"

#include "tcsim/models/scenario/queries.hpp"

namespace tcsim::models {

std::set<std::string> lever_settings(const Scenario& s, bool absorbing) {
  std::set<std::string> out;
  for (const Cohort& c : s.cohorts) {
    const auto setting_of = [&c](const std::string& step) {
      const Step* x = step_named(c, step);
      return x ? x->setting : std::string();
    };
    if (c.reforms.admission_avoidance) out.insert(setting_of(c.reforms.admission_avoidance->to));
    if (c.reforms.early_supported_discharge) {
      out.insert(setting_of(c.reforms.early_supported_discharge->to));
    }
    if (c.reforms.discharge_to_assess && !absorbing) {
      out.insert(c.reforms.discharge_to_assess->setting);
    }
  }
  out.erase("");
  return out;
}

void switch_levers(Scenario& s, Levers levers) {
  for (Cohort& c : s.cohorts) {
    Reforms& r = c.reforms;
    if (r.admission_avoidance) {
      r.admission_avoidance->use = levers == Levers::Absorb;
      r.admission_avoidance->uptake = 1.0;
    }
    if (r.early_supported_discharge) {
      r.early_supported_discharge->use = levers == Levers::Absorb;
      r.early_supported_discharge->uptake = 1.0;
    }
    if (r.discharge_to_assess) r.discharge_to_assess->use = false;
  }
}

}  // namespace tcsim::models

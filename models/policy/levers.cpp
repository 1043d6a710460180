#include "tcsim/models/policy/levers.hpp"

#include "tcsim/models/network/lever.hpp"

namespace tcsim::models {

std::set<std::string> lever_settings(const Scenario& s, bool absorbing) {
  std::set<std::string> out;
  for (const Cohort& c : s.cohorts) {
    for (const Lever* lever : levers()) {
      const LeverSettings* settings = c.reforms.find(lever->key());
      if (!settings || (absorbing && !lever->absorbs_spare_capacity())) continue;
      out.insert(lever->team_setting(c, *settings));
    }
  }
  out.erase("");
  return out;
}

void switch_levers(Scenario& s, Levers levers) {
  for (Cohort& c : s.cohorts) {
    for (const Lever* lever : models::levers()) {
      LeverSettings* settings = c.reforms.find(lever->key());
      if (!settings) continue;
      if (lever->absorbs_spare_capacity()) {
        settings->use = levers == Levers::Absorb;
        settings->uptake = 1.0;
      } else {
        settings->use = false;  // it needs a place before it can act: no use of spare capacity
      }
    }
  }
}

}  // namespace tcsim::models

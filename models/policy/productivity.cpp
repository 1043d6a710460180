#include "tcsim/models/policy/productivity.hpp"

#include <set>
#include <string>

#include "tcsim/models/scenario/derived_capacity.hpp"
#include "tcsim/models/scenario/organisation_vocabulary.hpp"

namespace tcsim::models {

void raise_productivity(Scenario& s, double gain) {
  if (gain == 0.0) return;
  std::set<std::string> orgs;
  for (const Setting& x : s.settings) {
    if (x.workforce && is_community_service(x.service)) orgs.insert(x.organisation);
  }
  for (Organisation& o : s.organisations) {
    if (orgs.contains(o.name)) o.direct_care_share_change += gain;
  }
  derive_capacities(s, {}, ConfigLocation{s.file, 0, 0, "savings.productivity_gain"});
}

}  // namespace tcsim::models

#include "tcsim/models/scenario/derived_capacity.hpp"

#include <fmt/format.h>

namespace tcsim::models {

void derive_capacities(Scenario& scenario,
                       const std::map<std::string, ConfigLocation>& where_organisation,
                       const ConfigLocation& otherwise) {
  for (Setting& s : scenario.settings) {
    if (!s.workforce) continue;
    double change = 0.0;
    for (const Organisation& o : scenario.organisations) {
      if (o.name == s.organisation) change = o.direct_care_share_change;
    }
    const std::optional<Workforce> w = with_direct_care_change(*s.workforce, change);
    if (!w || w->capacity() < 1) {
      const auto found = where_organisation.find(s.organisation);
      throw ConfigError(
          found != where_organisation.end() ? found->second : otherwise,
          fmt::format("setting '{}': a direct-care share change of {:+.3g} for "
                      "organisation '{}' is impossible: the team's admin ({:.3g}) and "
                      "other ({:.3g}) shares cannot supply it, or no capacity is left",
                      s.name, change, s.organisation, s.workforce->admin_share,
                      s.workforce->other_share));
    }
    s.capacity = w->capacity();
  }
}

}  // namespace tcsim::models

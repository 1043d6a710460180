#include "tcsim/models/scenario/derived_capacity.hpp"

#include <fmt/format.h>

#include "tcsim/models/scenario/queries.hpp"

namespace tcsim::models {

void derive_capacities(Scenario& scenario,
                       const std::map<std::string, ConfigLocation>& where_organisation,
                       const ConfigLocation& otherwise) {
  for (Setting& s : scenario.settings) {
    if (!s.workforce) continue;
    const std::optional<std::int64_t> capacity = effective_capacity(scenario, s);
    if (!capacity || *capacity < 1) {
      const double change = direct_care_share_change(scenario, s);
      const auto found = where_organisation.find(s.organisation);
      throw ConfigError(
          found != where_organisation.end() ? found->second : otherwise,
          fmt::format("setting '{}': a direct-care share change of {:+.3g} for "
                      "organisation '{}' is impossible: the team's admin ({:.3g}) and "
                      "other ({:.3g}) shares cannot supply it, or no capacity is left",
                      s.name, change, s.organisation, s.workforce->admin_share,
                      s.workforce->other_share));
    }
    s.capacity = *capacity;
  }
}

}  // namespace tcsim::models

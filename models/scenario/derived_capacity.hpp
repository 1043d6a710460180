#pragma once
// Caseload capacities derived again from the written workforce when an organisation's
// direct-care share changes (workforce.hpp): when a scenario is loaded, when an integration
// model is applied and when productivity is raised.

#include <map>
#include <string>

#include "tcsim/models/scenario/config_error.hpp"
#include "tcsim/models/scenario/scenario.hpp"

namespace tcsim::models {

/// Recomputes each workforce-derived capacity from the written workforce and its
/// organisation's direct-care share change; throws ConfigError if a change is impossible, at
/// the organisation's entry in `where_organisation` (or `otherwise`). Called when a scenario is
/// loaded and when a model is applied.
void derive_capacities(Scenario& scenario,
                       const std::map<std::string, ConfigLocation>& where_organisation,
                       const ConfigLocation& otherwise);

}  // namespace tcsim::models

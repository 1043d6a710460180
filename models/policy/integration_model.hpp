#pragma once
// An integration model (scenario/integration_models.hpp, read by
// config/integration_models_file.hpp) applied to an area. A model acts on an area through its
// settings' `service:` tags, so it needs no knowledge of the area's setting names:
//
//   IntegrationModels models = load_integration_models("configs/integration_models.yaml");
//   Scenario vertical = apply_model(area, models, models.find("vertical_acute"));

#include "tcsim/models/config/integration_models_file.hpp"  // load_integration_models, for callers
#include "tcsim/models/scenario/integration_models.hpp"
#include "tcsim/models/scenario/scenario.hpp"

namespace tcsim::models {

/// `area` run under model `model`: its settings' organisations follow the model's service
/// map, caseload capacities follow the direct-care share it achieves, handoffs follow its
/// interface rules and the area's reform levers are switched as it says. ConfigError if the
/// two do not fit (e.g. a productivity change larger than the time it is taken from).
[[nodiscard]] Scenario apply_model(const Scenario& area, const IntegrationModels& models,
                                   const IntegrationModel& model);

}  // namespace tcsim::models

#pragma once
// Reading an integration models file (configs/integration_models.yaml) into IntegrationModels:
// every model's organisations, service map, interface rules and levers, each problem located.
//
//   IntegrationModels models = load_integration_models("configs/integration_models.yaml");

#include <string>

#include "tcsim/models/scenario/integration_models.hpp"

namespace tcsim::models {

[[nodiscard]] IntegrationModels load_integration_models(const std::string& path);
[[nodiscard]] IntegrationModels parse_integration_models(const std::string& text,
                                                         const std::string& file);

}  // namespace tcsim::models

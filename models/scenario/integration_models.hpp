#pragma once
// Integration models as plain values: named parameter sets (configs/integration_models.yaml,
// read by config/integration_models_file.hpp) that say who runs each service, what
// organisations cost, how handoffs work and which reform levers are used. A model acts on an
// area through its settings' `service:` tags (policy/integration_model.hpp, apply_model).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tcsim/models/scenario/config_error.hpp"
#include "tcsim/models/scenario/scenario.hpp"

namespace tcsim::models {

struct LeverSwitch {
  bool use = false;
  double uptake = 1.0;  // share of the area's eligible patients actually diverted
};

struct ModelOrganisation {
  Organisation organisation;
  ConfigLocation where;  // for errors found when the model meets an area
};

struct IntegrationModel {
  std::string id;
  std::string description;
  std::vector<ModelOrganisation> organisations;
  std::vector<std::pair<std::string, std::string>> services;  // service tag -> organisation
  InterfaceRules interfaces;
  /// (lever key, switch) for every lever of the registry if the model has `levers:`.
  std::vector<std::pair<std::string, LeverSwitch>> levers;

  /// The switch of lever `key`; a lever the model does not name is off (uptake 1).
  [[nodiscard]] LeverSwitch lever(std::string_view key) const;
};

struct IntegrationModels {
  std::string file;
  ConfigLocation where;  // of the `models:` key, for a model looked up that is not there
  std::string text;      // the YAML as read, kept for outputs
  double contract_overhead_allowance = 0.0;
  std::vector<IntegrationModel> models;  // in file order
  std::vector<std::pair<std::string, std::string>> provenance;

  /// The model `id`; ConfigError at `models:` listing the IDs (with a suggestion) if there is
  /// none - e.g. a models file without the baseline kBaselineModel given to compare or savings.
  [[nodiscard]] const IntegrationModel& find(const std::string& id) const;
};

/// The ID of the baseline every comparison is made against.
inline constexpr const char* kBaselineModel = "direct_provision";

}  // namespace tcsim::models

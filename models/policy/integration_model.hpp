#pragma once
// Integration models: named parameter sets (configs/integration_models.yaml) that say who runs
// each service, what organisations cost, how handoffs work and which reform levers are used.
// A model acts on an area through its settings' `service:` tags, so it needs no knowledge of
// the area's setting names:
//
//   IntegrationModels models = load_integration_models("configs/integration_models.yaml");
//   Scenario vertical = apply_model(area, models, "vertical_acute");

#include <string>
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
  LeverSwitch admission_avoidance;
  LeverSwitch early_supported_discharge;
  LeverSwitch discharge_to_assess;
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

[[nodiscard]] IntegrationModels load_integration_models(const std::string& path);
[[nodiscard]] IntegrationModels parse_integration_models(const std::string& text,
                                                         const std::string& file);

/// `area` run under model `model`: its settings' organisations follow the model's service
/// map, caseload capacities follow the direct-care share it achieves, handoffs follow its
/// interface rules and the area's reform levers are switched as it says. ConfigError if the
/// two do not fit (e.g. a productivity change larger than the time it is taken from).
[[nodiscard]] Scenario apply_model(const Scenario& area, const IntegrationModels& models,
                                   const IntegrationModel& model);

}  // namespace tcsim::models

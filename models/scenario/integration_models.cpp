#include "tcsim/models/scenario/integration_models.hpp"

#include <fmt/format.h>

namespace tcsim::models {

LeverSwitch IntegrationModel::lever(std::string_view key) const {
  for (const auto& [name, lever] : levers) {
    if (name == key) return lever;
  }
  return LeverSwitch{};
}

const IntegrationModel& IntegrationModels::find(const std::string& id) const {
  std::vector<std::string> ids;
  for (const IntegrationModel& m : models) {
    if (m.id == id) return m;
    ids.push_back(m.id);
  }
  std::string list;
  for (const std::string& i : ids)
    list += (list.empty() ? "" : ", ") + i;
  const std::string role =
      id == kBaselineModel ? " (the baseline every other model is compared with)" : "";
  const ConfigLocation at = where.file.empty() ? ConfigLocation{file, 0, 0, "models"} : where;
  throw ConfigError(at, fmt::format("no integration model '{}'{}{}; models: {}", id, role,
                                    did_you_mean(id, ids), list));
}

}  // namespace tcsim::models

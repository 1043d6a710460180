#include "tcsim/models/policy/integration_model.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "tcsim/models/network/lever.hpp"
#include "tcsim/models/scenario/derived_capacity.hpp"

namespace tcsim::models {

Scenario apply_model(const Scenario& area, const IntegrationModels& models,
                     const IntegrationModel& model) {
  Scenario s = area;
  s.model = model.id;
  for (Setting& setting : s.settings) {
    for (const auto& [service, org] : model.services) {
      if (service == setting.service) setting.organisation = org;
    }
  }
  // The organisations in play: the model's, and the area's own for services it leaves alone.
  std::vector<Organisation> orgs;
  for (const ModelOrganisation& m : model.organisations)
    orgs.push_back(m.organisation);
  for (const Organisation& o : area.organisations) {
    const bool replaced = std::any_of(orgs.begin(), orgs.end(),
                                      [&o](const Organisation& x) { return x.name == o.name; });
    if (!replaced) orgs.push_back(o);
  }
  s.organisations.clear();
  for (const Organisation& o : orgs) {
    const bool used = std::any_of(s.settings.begin(), s.settings.end(),
                                  [&o](const Setting& x) { return x.organisation == o.name; });
    if (used) s.organisations.push_back(o);
  }
  const ConfigLocation model_location{models.file, 0, 0, "models." + model.id};
  std::map<std::string, ConfigLocation> where_organisation;
  for (const ModelOrganisation& m : model.organisations)
    where_organisation.emplace(m.organisation.name, m.where);
  for (const Organisation& o : s.organisations) {
    const bool clash = o.name == "system" || o.name == "area" ||
                       std::any_of(s.settings.begin(), s.settings.end(),
                                   [&o](const Setting& x) { return x.name == o.name; }) ||
                       std::any_of(s.cohorts.begin(), s.cohorts.end(),
                                   [&o](const Cohort& x) { return x.name == o.name; });
    if (clash) {
      const auto found = where_organisation.find(o.name);
      throw ConfigError(found != where_organisation.end() ? found->second : model_location,
                        fmt::format("organisation '{}' has the name of a setting or cohort of "
                                    "{} (or a built-in scope): rename one of them",
                                    o.name, area.file));
    }
  }
  derive_capacities(s, where_organisation, model_location);
  s.interfaces = model.interfaces;
  s.contract_overhead_allowance = models.contract_overhead_allowance;
  for (Cohort& c : s.cohorts) {
    for (const Lever* lever : levers()) {
      if (LeverSettings* settings = c.reforms.find(lever->key())) {
        const LeverSwitch use = model.lever(lever->key());
        settings->use = use.use;
        settings->uptake = use.uptake;
      }
    }
  }
  // The sources of this model and of the file's shared values, not of the other models.
  const std::string own = "models." + model.id;
  for (const auto& [path, text] : models.provenance) {
    const bool mine = path == own || path.starts_with(own + ".");
    if (mine || !path.starts_with("models"))
      s.provenance.emplace_back(models.file + ": " + path, text);
  }
  return s;
}

}  // namespace tcsim::models

#include "tcsim/models/config/integration_models_file.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "tcsim/models/config/config_node.hpp"
#include "tcsim/models/config/distribution_config.hpp"
#include "tcsim/models/config/economics_config.hpp"
#include "tcsim/models/config/input_file.hpp"
#include "tcsim/models/config/reform_config.hpp"
#include "tcsim/models/scenario/service_vocabulary.hpp"

namespace tcsim::models {
namespace {

LeverSwitch parse_lever(const ConfigNode& levers, std::string_view key) {
  LeverSwitch lever;
  auto node = levers.find(key);
  if (!node) return lever;
  node->expect_keys({"use", "uptake"});
  const ConfigNode use = node->at("use", "true or false");
  if (use.is_word("true")) {
    lever.use = true;
  } else if (!use.is_word("false")) {
    use.fail(fmt::format("expected true or false, found '{}'", use.text("true or false")));
  }
  if (auto u = node->find("uptake")) lever.uptake = u->probability("a share of the eligible");
  return lever;
}

InterfaceRules parse_interfaces(const ConfigNode& node) {
  node.expect_keys(
      {"processes_reformed", "internal_delay", "cost_per_cross_organisation_transfer"});
  InterfaceRules rules;
  const ConfigNode reformed = node.at("processes_reformed", "true or false");
  if (reformed.is_word("true")) {
    rules.processes_reformed = true;
  } else if (!reformed.is_word("false")) {
    reformed.fail(
        fmt::format("expected true or false, found '{}'", reformed.text("true or false")));
  }
  if (auto d = node.find("internal_delay")) rules.internal_delay = parse_distribution(*d);
  if (rules.processes_reformed && !rules.internal_delay) {
    node.fail_at_key("processes_reformed",
                     "with processes_reformed: true, give the internal_delay that moves within "
                     "one organisation take");
  }
  if (auto c = node.find("cost_per_cross_organisation_transfer")) {
    rules.cost_per_cross_organisation_transfer = c->non_negative("£ per patient handed over");
  }
  return rules;
}

IntegrationModel parse_model(const std::string& id, const ConfigNode& node) {
  node.expect_keys({"description", "organisations", "services", "interfaces", "levers"});
  IntegrationModel m;
  m.id = id;
  if (auto d = node.find("description")) m.description = d->text("a description");
  const ConfigNode orgs = node.at("organisations", "a mapping of organisation names");
  orgs.expect_map("a mapping of organisation names to {kind: ...}");
  std::vector<std::string> org_names;
  for (const auto& [name, org] : orgs.entries()) {
    m.organisations.push_back(ModelOrganisation{parse_organisation(name, org), org.location()});
    org_names.push_back(name);
  }
  const ConfigNode services = node.at("services", "a mapping of service tags to organisations");
  services.expect_map("a mapping of service tags to organisations");
  const std::vector<std::string> tags(kServices.begin(), kServices.end());
  for (const auto& [service, org] : services.entries()) {
    if (std::find(tags.begin(), tags.end(), service) == tags.end()) {
      services.fail_at_key(
          service, fmt::format("unknown service '{}'{}", service, did_you_mean(service, tags)));
    }
    const std::string name = org.text("an organisation of this model");
    if (std::find(org_names.begin(), org_names.end(), name) == org_names.end()) {
      org.fail(
          fmt::format("no organisation '{}' in this model{}", name, did_you_mean(name, org_names)));
    }
    m.services.emplace_back(service, name);
  }
  m.interfaces = parse_interfaces(node.at("interfaces", "{processes_reformed: true|false, ...}"));
  if (auto levers = node.find("levers")) {
    levers->expect_keys(lever_keys());
    for (const std::string_view key : lever_keys())
      m.levers.emplace_back(key, parse_lever(*levers, key));
  }
  return m;
}

}  // namespace

IntegrationModels parse_integration_models(const std::string& text, const std::string& file) {
  const ConfigNode root = ConfigNode::parse(text, file);
  root.expect_keys({"contract", "models"});
  IntegrationModels set;
  set.file = file;
  set.text = text;
  if (auto contract = root.find("contract")) {
    contract->expect_keys({"overhead_allowance"});
    set.contract_overhead_allowance = contract->at("overhead_allowance", "a share of direct cost")
                                          .non_negative("a share of direct cost (0.1 = 10%)");
  }
  const ConfigNode models = root.at("models", "a mapping of model IDs to models");
  set.where = root.key_location("models");
  models.expect_map("a mapping of model IDs to models");
  for (const auto& [id, node] : models.entries()) {
    set.models.push_back(parse_model(id, node));
  }
  if (set.models.empty()) models.fail("expected at least one model");
  root.collect_provenance(set.provenance);
  return set;
}

IntegrationModels load_integration_models(const std::string& path) {
  return parse_integration_models(
      read_input_file(path, ConfigLocation{path, 0, 0, ""}, "a models file"), path);
}

}  // namespace tcsim::models

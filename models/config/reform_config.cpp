#include "tcsim/models/config/reform_config.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "tcsim/models/config/distribution_config.hpp"
#include "tcsim/models/network/network_builder.hpp"

namespace tcsim::models {
namespace {

bool parse_use(const ConfigNode& lever) {
  if (auto use = lever.find("use")) {
    if (use->is_word("true")) return true;
    if (use->is_word("false")) return false;
    use->fail(fmt::format("expected true or false, found '{}'", use->text("true or false")));
  }
  return false;
}

std::string step_name(const ConfigNode& lever, const char* key) {
  return lever.at(key, "a step name of this cohort's pathway").text("a step name");
}

}  // namespace

Reforms parse_reforms(const ConfigNode& node) {
  node.expect_keys({"admission_avoidance", "early_supported_discharge", "discharge_to_assess"});
  Reforms r;
  if (auto n = node.find("admission_avoidance")) {
    n->expect_keys({"use", "eligible_share", "uptake", "to"});
    AdmissionAvoidance a;
    a.use = parse_use(*n);
    a.eligible_share =
        n->at("eligible_share", "a share of arrivals").probability("a share of arrivals");
    if (auto u = n->find("uptake")) a.uptake = u->probability("a share of the eligible");
    a.to = step_name(*n, "to");
    r.admission_avoidance = a;
  }
  if (auto n = node.find("early_supported_discharge")) {
    n->expect_keys({"use", "eligible_share", "uptake", "at", "days_earlier", "to"});
    EarlySupportedDischarge e;
    e.use = parse_use(*n);
    e.eligible_share = n->at("eligible_share", "a share of stays").probability("a share of stays");
    if (auto u = n->find("uptake")) e.uptake = u->probability("a share of the eligible");
    e.at = step_name(*n, "at");
    e.days_earlier = parse_distribution(n->at("days_earlier", "a distribution of days"));
    e.to = step_name(*n, "to");
    r.early_supported_discharge = e;
  }
  if (auto n = node.find("discharge_to_assess")) {
    n->expect_keys(
        {"use", "eligible_share", "uptake", "at", "destinations", "setting", "referral_delay"});
    DischargeToAssess d;
    d.use = parse_use(*n);
    d.eligible_share =
        n->at("eligible_share", "a share of moves").probability("a share of the moves");
    if (auto u = n->find("uptake")) d.uptake = u->probability("a share of the eligible");
    d.at = step_name(*n, "at");
    const ConfigNode destinations = n->at("destinations", "a list of step names");
    for (const ConfigNode& item : destinations.items("a list of step names")) {
      d.destinations.push_back(item.text("a step name"));
    }
    if (d.destinations.empty()) destinations.fail("expected at least one destination step");
    d.setting = n->at("setting", "the setting where patients are assessed").text("a setting");
    if (auto delay = n->find("referral_delay")) d.referral_delay = parse_distribution(*delay);
    r.discharge_to_assess = d;
  }
  return r;
}

void check_reform_steps(const Cohort& cohort, const ConfigNode& reforms_node) {
  const auto find_step = [&cohort](const std::string& name) -> const Step* {
    for (const Step& s : cohort.steps) {
      if (s.name == name) return &s;
    }
    return nullptr;
  };
  std::vector<std::string> names;
  for (const Step& s : cohort.steps)
    names.push_back(s.name);
  const auto require = [&](const ConfigNode& lever, const char* key, const std::string& name) {
    if (!find_step(name)) {
      lever.at(key, "").fail(
          fmt::format("no step '{}' in this cohort's pathway{}", name, did_you_mean(name, names)));
    }
    return find_step(name);
  };
  const Reforms& r = cohort.reforms;
  if (r.admission_avoidance) {
    const ConfigNode lever = reforms_node.at("admission_avoidance", "");
    const Step* to = require(lever, "to", r.admission_avoidance->to);
    if (to->name == cohort.start) {
      lever.at("to", "").fail(
          "an avoided admission must start somewhere other than the start step");
    }
  }
  if (r.early_supported_discharge) {
    const ConfigNode lever = reforms_node.at("early_supported_discharge", "");
    const Step* at = require(lever, "at", r.early_supported_discharge->at);
    const Step* to = require(lever, "to", r.early_supported_discharge->to);
    if (at->setting == to->setting) {
      lever.at("to", "").fail("early discharge must lead to a step at another setting");
    }
  }
  if (r.discharge_to_assess) {
    const DischargeToAssess& d = *r.discharge_to_assess;
    const ConfigNode lever = reforms_node.at("discharge_to_assess", "");
    const Step* at = require(lever, "at", d.at);
    const ConfigNode destinations = lever.at("destinations", "");
    for (std::size_t i = 0; i < d.destinations.size(); ++i) {
      const ConfigNode item = destinations.items("")[i];
      if (!find_step(d.destinations[i])) {
        item.fail(fmt::format("no step '{}' in this cohort's pathway{}", d.destinations[i],
                              did_you_mean(d.destinations[i], names)));
      }
      const bool routed = std::any_of(at->next.begin(), at->next.end(),
                                      [&](const NextStep& n) { return n.to == d.destinations[i]; });
      if (!routed) {
        item.fail(fmt::format("step '{}' has no `next:` route to '{}' to assess at home", d.at,
                              d.destinations[i]));
      }
      if (find_step(d2a_step_name(d.destinations[i]))) {
        item.fail(
            fmt::format("the pathway already has a step '{}', the name this lever gives "
                        "its assessment step: rename that step",
                        d2a_step_name(d.destinations[i])));
      }
    }
  }
}

void check_reform_settings(const Cohort& cohort, const std::vector<Setting>& settings,
                           const ConfigNode& reforms_node) {
  if (!cohort.reforms.discharge_to_assess) return;
  const DischargeToAssess& d = *cohort.reforms.discharge_to_assess;
  std::vector<std::string> setting_names;
  setting_names.reserve(settings.size());
  for (const Setting& s : settings)
    setting_names.push_back(s.name);
  if (std::find(setting_names.begin(), setting_names.end(), d.setting) == setting_names.end()) {
    reforms_node.at("discharge_to_assess", "")
        .at("setting", "")
        .fail(fmt::format("no setting '{}'{}", d.setting, did_you_mean(d.setting, setting_names)));
  }
}

std::vector<std::pair<std::string, std::string>> reform_edges(const Cohort& cohort) {
  std::vector<std::pair<std::string, std::string>> edges;
  if (cohort.reforms.admission_avoidance) {
    edges.emplace_back(cohort.start, cohort.reforms.admission_avoidance->to);
  }
  if (cohort.reforms.early_supported_discharge) {
    edges.emplace_back(cohort.reforms.early_supported_discharge->at,
                       cohort.reforms.early_supported_discharge->to);
  }
  return edges;
}

}  // namespace tcsim::models

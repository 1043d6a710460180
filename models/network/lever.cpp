#include "tcsim/models/network/lever.hpp"

#include <fmt/format.h>

#include "tcsim/models/scenario/config_error.hpp"

namespace tcsim::models {

void Lever::check_settings(const std::vector<Setting>& /*settings*/, const LeverSettings& /*lever*/,
                           const LeverInput& /*in*/) const {}

std::vector<std::pair<std::string, std::string>> Lever::edges(
    const Cohort& /*cohort*/, const LeverSettings& /*settings*/) const {
  return {};
}

const Setting& CohortNetwork::setting(const std::string& name) const {
  return scenario.settings[station_of.at(name)];
}

const Step& CohortNetwork::step(const std::string& name) const {
  const Step* s = step_named(cohort, name);
  if (!s) throw std::out_of_range("no step '" + name + "' in cohort " + cohort.name);
  return *s;
}

sim::StepSpec& CohortNetwork::spec_step(const std::string& name) const {
  return spec.steps[static_cast<std::size_t>(steps.at(name))];
}

std::optional<sim::Distribution> CohortNetwork::handoff(
    const std::string& from_setting, const std::string& to_setting,
    std::optional<sim::Distribution> written) const {
  const Setting& from = setting(from_setting);
  const Setting& to = setting(to_setting);
  if (!scenario.interfaces || from.name == to.name || !written) return written;
  const InterfaceRules& rules = *scenario.interfaces;
  // A reformed process shortens a handoff that existed; it does not add one where none was.
  if (from.organisation == to.organisation && rules.processes_reformed) {
    return rules.internal_delay;
  }
  return written;
}

void CohortNetwork::add_step(const std::string& name, sim::StepSpec step) const {
  step.name = cohort.name + "." + name;
  steps[name] = static_cast<std::int32_t>(spec.steps.size());
  spec.steps.push_back(std::move(step));
}

const sim::StepResult* CohortCounts::step(const std::string& name) const {
  const auto it = steps.find(name);
  return it == steps.end() ? nullptr : &result.steps[static_cast<std::size_t>(it->second)];
}

double CohortCounts::starts_at(const std::string& name) const {
  const sim::StepResult* s = step(name);
  return s ? static_cast<double>(s->starts) : 0.0;
}

std::string lever_state(const LeverSettings& settings) {
  return fmt::format("{}, eligible {:g} x uptake {:g}", settings.use ? "IN USE" : "off",
                     settings.eligible_share, settings.uptake);
}

void read_lever_state(const LeverInput& in, LeverSettings& settings, std::string_view missing,
                      std::string_view expected) {
  settings.use = in.flag("use");
  settings.eligible_share = in.share("eligible_share", missing, expected);
  if (auto uptake = in.optional_share("uptake", "a share of the eligible")) {
    settings.uptake = *uptake;
  }
}

std::string no_such_step(const Cohort& cohort, const std::string& name) {
  std::vector<std::string> names;
  names.reserve(cohort.steps.size());
  for (const Step& s : cohort.steps)
    names.push_back(s.name);
  return fmt::format("no step '{}' in this cohort's pathway{}", name, did_you_mean(name, names));
}

const Step& require_step(const Cohort& cohort, const LeverInput& in, std::string_view key,
                         const std::string& name) {
  const Step* s = step_named(cohort, name);
  if (!s) in.fail(key, no_such_step(cohort, name));
  return *s;
}

}  // namespace tcsim::models

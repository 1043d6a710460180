#include "tcsim/models/scenario/queries.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace tcsim::models {
namespace {

template <typename Item>
Item* named(std::vector<Item>& items, std::string_view name) {
  for (Item& x : items) {
    if (x.name == name) return &x;
  }
  return nullptr;
}

template <typename Item>
const Item* named(const std::vector<Item>& items, std::string_view name) {
  for (const Item& x : items) {
    if (x.name == name) return &x;
  }
  return nullptr;
}

}  // namespace

Setting& setting_named(Scenario& s, std::string_view name) {
  if (Setting* x = named(s.settings, name)) return *x;
  throw std::logic_error("no setting " + std::string(name));
}

const Setting& setting_named(const Scenario& s, std::string_view name) {
  if (const Setting* x = named(s.settings, name)) return *x;
  throw std::logic_error("no setting " + std::string(name));
}

const Step* step_named(const Cohort& cohort, std::string_view name) {
  return named(cohort.steps, name);
}

const Organisation* organisation_named(const Scenario& s, std::string_view name) {
  return named(s.organisations, name);
}

const Organisation* organisation_running(const Scenario& s, const Setting& setting) {
  return organisation_named(s, setting.organisation);
}

const StaffGroup* staff_group_of(const Scenario& s, const Setting& setting) {
  if (!setting.workforce || setting.workforce->staff_group.empty()) return nullptr;
  return named(s.staff_groups, setting.workforce->staff_group);
}

double direct_care_share_change(const Scenario& s, const Setting& setting) {
  const Organisation* o = organisation_running(s, setting);
  return o ? o->direct_care_share_change : 0.0;
}

std::optional<Workforce> effective_workforce(const Scenario& s, const Setting& setting) {
  if (!setting.workforce) return std::nullopt;
  return with_direct_care_change(*setting.workforce, direct_care_share_change(s, setting));
}

std::optional<std::int64_t> effective_capacity(const Scenario& s, const Setting& setting) {
  if (!setting.workforce) return setting.capacity;
  const std::optional<Workforce> w = effective_workforce(s, setting);
  if (!w) return std::nullopt;
  return w->capacity();
}

double direct_care_share(const Scenario& s, const Setting& setting) {
  const auto w = effective_workforce(s, setting);
  return w ? w->direct_care_share() : setting.workforce->direct_care_share();
}

double wte_for(const Scenario& s, const Setting& setting, double places) {
  const Workforce& w = *setting.workforce;
  return places * w.contact_hours_per_patient_per_week /
         (w.hours_per_week * direct_care_share(s, setting));
}

void set_wte(Scenario& s, std::string_view name, double wte) {
  Setting& setting = setting_named(s, name);
  setting.workforce->wte = std::max(0.0, wte);
  setting.capacity = effective_capacity(s, setting).value_or(0);
}

}  // namespace tcsim::models

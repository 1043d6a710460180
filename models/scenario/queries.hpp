#pragma once
// Look-ups on a scenario by name, and a team as it works under its organisation - written once
// here instead of as loops over organisations, staff groups and settings at each use.
// Names are unique within a scenario (the loader refuses duplicates), so the first match is
// the only one.

#include <optional>
#include <string_view>

#include "tcsim/models/scenario/scenario.hpp"
#include "tcsim/models/scenario/workforce.hpp"

namespace tcsim::models {

/// The setting called `name`; std::logic_error if there is none (callers ask only for names
/// they took from the scenario).
[[nodiscard]] Setting& setting_named(Scenario& s, std::string_view name);
[[nodiscard]] const Setting& setting_named(const Scenario& s, std::string_view name);

/// The step of `cohort` called `name`; nullptr if there is none.
[[nodiscard]] const Step* step_named(const Cohort& cohort, std::string_view name);

/// The organisation called `name`; nullptr if there is none.
[[nodiscard]] const Organisation* organisation_named(const Scenario& s, std::string_view name);

/// The organisation that runs `setting`; nullptr if the scenario has none of that name.
[[nodiscard]] const Organisation* organisation_running(const Scenario& s, const Setting& setting);

/// The staff group that costs `setting`'s team; nullptr without a workforce, a staff group, or
/// a group of that name.
[[nodiscard]] const StaffGroup* staff_group_of(const Scenario& s, const Setting& setting);

/// The change in the direct-care share that `setting`'s organisation makes (0 if none).
[[nodiscard]] double direct_care_share_change(const Scenario& s, const Setting& setting);

/// `setting`'s team as it works under its organisation's direct-care share change; nullopt
/// without a workforce or if the change is impossible (workforce.hpp).
[[nodiscard]] std::optional<Workforce> effective_workforce(const Scenario& s,
                                                           const Setting& setting);

/// The one effective-capacity rule: the patients a workforce team carries as it works under
/// its organisation (Workforce::capacity of the effective workforce); std::nullopt if the
/// organisation's direct-care share change is impossible for the team. A setting without a
/// workforce keeps its written capacity.
[[nodiscard]] std::optional<std::int64_t> effective_capacity(const Scenario& s,
                                                             const Setting& setting);

/// The direct-care share `setting`'s team works at in `s` (the written share if the change is
/// impossible). The setting must have a workforce.
[[nodiscard]] double direct_care_share(const Scenario& s, const Setting& setting);

/// WTE `setting`'s team needs to carry `places` patients at its direct-care share in `s`.
/// The setting must have a workforce.
[[nodiscard]] double wte_for(const Scenario& s, const Setting& setting, double places);

/// Gives the team of setting `name` `wte` WTE (never below 0) and derives its capacity again
/// under its organisation (0 if the organisation's change is impossible for the new team).
void set_wte(Scenario& s, std::string_view name, double wte);

}  // namespace tcsim::models

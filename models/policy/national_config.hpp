#pragma once
// A national configuration (config/national_file.hpp) checked against its template area, and
// its archetypes built: each the template area scaled to its population with its own overrides.

#include <string>

#include "tcsim/models/config/input_file.hpp"
#include "tcsim/models/config/national_file.hpp"
#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/scenario/scenario.hpp"

namespace tcsim::models {

/// Reads and checks the file (read_national_file), then checks it against the template: every
/// `area.` path of an uncertain input and every archetype override must exist in the template
/// (checked by loading it); the files the template names join `input_files`.
/// `options` govern the files it names (`area:`) and those they name.
[[nodiscard]] NationalConfig load_national_config(const std::string& path,
                                                  const InputOptions& options = {});

/// The template area with `archetype`'s overrides and then `extra` (e.g. a PSA draw) applied,
/// scaled from the template population to the archetype's (rates, capacities, WTE and initial
/// patients in proportion), run for `run`.
[[nodiscard]] Scenario build_archetype(const NationalConfig& config, const Archetype& archetype,
                                       const Overrides& extra, const SavingsRun& run);

/// Every rate, capacity, workforce, queue limit, arrival limit and initial count of `scenario`
/// times `factor`, rounded to whole numbers; capacities stay at least 1 where they were.
void scale_scenario(Scenario& scenario, double factor);

}  // namespace tcsim::models

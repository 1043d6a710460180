#pragma once
// A batch experiment (configs/experiments/*.yaml, format in configs/README.md): a base scenario,
// optional integration models, factors varied by dotted path, replications and a seed. Loading
// it builds the design - one design point per (model, factor setting) - and checks that every
// design point's scenario loads, so a typo fails before anything runs.
//
//   grid: every combination of the factors' levels;
//   lhs:  `points` Latin hypercube samples of the factors' ranges (each range cut into
//         `points` strata, each stratum sampled once per factor);
//   psa:  `points` independent draws of each factor from its distribution.
// Models, if any, are crossed with the factor settings (model varies slowest).

#include <cstddef>
#include <string>

#include "tcsim/models/config/experiment_file.hpp"
#include "tcsim/models/config/input_file.hpp"
#include "tcsim/models/policy/integration_model.hpp"
#include "tcsim/models/scenario/scenario.hpp"

namespace tcsim::models {

/// Loads the experiment at `path`; `default_models_file` is used when it names models but no
/// models file. Throws ConfigError (file, line, key) on any problem, including a design point
/// whose scenario does not load, more design points or replications than the limits
/// (input_file.hpp) and a `metrics:` pattern that selects no metric. `options` govern the files
/// it names (scenario:, models_file:) and those they name.
[[nodiscard]] Experiment load_experiment(const std::string& path,
                                         const std::string& default_models_file,
                                         const InputOptions& options = {});

/// The scenario of design point `index`: the base with the factor values set and the model
/// applied (`models` may be null when the experiment has none).
[[nodiscard]] Scenario design_point_scenario(const Experiment& experiment, std::size_t index,
                                             const IntegrationModels* models);

/// True when the metric key ("scope.name") is selected by the experiment's patterns.
[[nodiscard]] bool metric_selected(const Experiment& experiment, const std::string& key);

}  // namespace tcsim::models

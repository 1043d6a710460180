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

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tcsim/models/config/input_file.hpp"
#include "tcsim/models/policy/integration_model.hpp"
#include "tcsim/models/scenario/scenario.hpp"
#include "tcsim/sim/distribution.hpp"

namespace tcsim::models {

/// The factor name that is not a dotted path: added to the direct-care share of every
/// organisation running a community team, as `tcsim savings` does (raise_productivity).
inline constexpr const char* kProductivityGainFactor = "productivity_gain";

enum class DesignKind { grid, lhs, psa };
[[nodiscard]] const char* design_kind_name(DesignKind kind);

struct ExperimentFactor {
  std::string path;              // dotted path of the base scenario, or kProductivityGainFactor
  std::vector<double> levels;    // grid
  double low = 0.0, high = 0.0;  // lhs
  std::optional<sim::Distribution> distribution;  // psa
  bool integer = false;                           // round sampled values (lhs, psa)
};

struct DesignPoint {
  std::string name;            // e.g. "vertical_acute, productivity_gain=0.1"
  std::string model;           // integration model ID, "" when the experiment has none
  std::vector<double> values;  // one per factor, in the experiment's factor order
};

struct Experiment {
  std::string name;
  std::string description;
  std::string file;  // as given
  std::string text;  // the experiment YAML, as read
  std::string scenario_file;
  std::string scenario_text;
  std::string models_file;  // "" when no models are used
  std::string models_text;
  DesignKind design = DesignKind::grid;
  std::vector<ExperimentFactor> factors;
  std::vector<DesignPoint> points;
  std::int64_t replications = 1;
  std::uint64_t seed = 0;
  std::string output;                // relative to the working folder
  std::vector<std::string> metrics;  // "scope.name" patterns with * and ?; empty = all
  bool time_series = false;
  bool allow_unstable = false;
  InputOptions input_options;  // how the scenario's own named files are read, as it was loaded
  /// Every file the design points' scenarios read (empirical CSVs), with its SHA-256: part of
  /// the run's identity, beside the texts above.
  std::vector<InputDigest> input_files;

  [[nodiscard]] std::int64_t tasks() const {
    return static_cast<std::int64_t>(points.size()) * replications;
  }
};

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

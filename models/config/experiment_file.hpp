#pragma once
// Reading a batch experiment file (configs/experiments/*.yaml, format in configs/README.md): its
// base scenario, optional integration models, factors, design kind, replications, seed and
// outputs, each problem located. The design points are built and checked against the scenario
// by experiments/experiment.hpp (load_experiment), which reports what it finds at the places
// kept here.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tcsim/models/config/input_digest.hpp"
#include "tcsim/models/config/input_file.hpp"
#include "tcsim/models/scenario/config_error.hpp"
#include "tcsim/models/scenario/integration_models.hpp"
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

/// Where the experiment file gives what the design points are checked against.
struct ExperimentPlaces {
  ConfigLocation factors;                   // the `factors:` mapping, else the file
  std::vector<ConfigLocation> factor_keys;  // each factor's key, in factor order
  std::vector<ConfigLocation> metrics;      // each `metrics:` pattern, in order
  ConfigLocation time_series;               // the `time_series:` value
};

/// An experiment file as read: the experiment without its design points, what they are made
/// from, and where its parts are.
struct ExperimentFile {
  Experiment experiment;
  std::int64_t points = 1;                  // samples of an lhs or psa design; 1 for a grid
  std::vector<std::string> model_ids;       // in design order; empty without models
  std::optional<IntegrationModels> models;  // read from experiment.models_file
  ExperimentPlaces places;
};

/// Reads and checks the experiment at `path`; `default_models_file` is used when it names
/// models but no models file. Refuses more design points or replications than the limits
/// (input_file.hpp). `options` govern the files it names (scenario:, models_file:).
[[nodiscard]] ExperimentFile read_experiment_file(const std::string& path,
                                                  const std::string& default_models_file,
                                                  const InputOptions& options = {});

}  // namespace tcsim::models

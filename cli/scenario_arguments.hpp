#pragma once
// What run, check, describe, compare and savings share: the scenario a command reads (its file,
// --set overrides, --horizon, --model), the integration models file, the replications and where
// their outputs go.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "tcsim/models/run/scenario_run.hpp"
#include "tcsim/models/scenario/integration_models.hpp"
#include "tcsim/models/scenario/scenario.hpp"

namespace tcsim::cli {

struct ScenarioArguments {
  std::string config;
  std::vector<std::string> set;
  std::optional<double> horizon;
  std::optional<std::string> model;
  std::optional<std::string> models_file;
  bool confine_inputs = false;
};

/// How a scenario's replications run and where their outputs go (run and compare).
struct ReplicationArguments {
  std::optional<std::int64_t> replications;
  std::optional<std::uint64_t> seed;
  unsigned threads = 0;
  std::optional<std::string> out;
  bool allow_unstable = false;
};

/// --models-file: the integration models (default: the shipped one).
void add_models_file_option(CLI::App* cmd, std::optional<std::string>& file);

/// The scenario file and --set, --horizon, --model, --models-file, --confine-inputs.
void add_scenario_arguments(CLI::App* cmd, ScenarioArguments& args);

/// The integration models of `file`, or of the shipped configs/integration_models.yaml.
[[nodiscard]] models::IntegrationModels load_models(const std::optional<std::string>& file);

/// The scenario with its overrides, under --model if one is given.
[[nodiscard]] models::Scenario load(const ScenarioArguments& args);

/// The model IDs of --models: "all" (every model of `set`, in its order) or a comma-separated
/// list, each checked against `set` and kept once.
[[nodiscard]] std::vector<std::string> model_ids(const std::string& list,
                                                 const models::IntegrationModels& set);

/// The folder of `--out`, created if need be; nullopt without `--out`. Fails before anything
/// runs if it cannot be made.
[[nodiscard]] std::optional<std::filesystem::path> output_folder(
    const std::optional<std::string>& out);

/// The replications, seed and threads of `args` as run options.
[[nodiscard]] models::RunOptions run_options(const ReplicationArguments& args);

}  // namespace tcsim::cli

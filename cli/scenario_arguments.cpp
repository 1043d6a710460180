#include "scenario_arguments.hpp"

#include <algorithm>
#include <system_error>

#include <fmt/format.h>

#include "cli_support.hpp"
#include "input_checks.hpp"
#include "tcsim/models/config/integration_models_file.hpp"
#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/policy/integration_model.hpp"

namespace tcsim::cli {
namespace {

models::Overrides parse_overrides(const ScenarioArguments& args) {
  models::Overrides overrides;
  for (const std::string& item : args.set) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw UsageError(fmt::format("--set '{}': expected PATH=VALUE, e.g. run.seed=7", item));
    }
    overrides.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  if (args.horizon) overrides.emplace_back("run.horizon", fmt::format("{}", *args.horizon));
  return overrides;
}

}  // namespace

void add_models_file_option(CLI::App* cmd, std::optional<std::string>& file) {
  cmd->add_option("--models-file", file,
                  "Integration models file (default: the shipped configs/integration_models.yaml)");
}

void add_scenario_arguments(CLI::App* cmd, ScenarioArguments& args) {
  cmd->add_option("config", args.config, "Scenario YAML file")->required();
  cmd->add_option("--set", args.set,
                  "Override a single value by its dotted path, e.g. "
                  "--set settings.acute.capacity=320 (repeatable)")
      ->type_name("PATH=VALUE");
  cmd->add_option("--horizon", args.horizon, "Horizon in days (same as --set run.horizon=D)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--model", args.model,
                  "Run the area under this integration model, e.g. vertical_acute");
  add_models_file_option(cmd, args.models_file);
  add_confine_flag(cmd, args.confine_inputs);
}

models::IntegrationModels load_models(const std::optional<std::string>& file) {
  return models::load_integration_models(file ? *file : shipped_config("integration_models.yaml"));
}

models::Scenario load(const ScenarioArguments& args) {
  models::Scenario area = models::load_scenario(args.config, parse_overrides(args),
                                                models::InputOptions{args.confine_inputs});
  if (!args.model) return area;
  const models::IntegrationModels models = load_models(args.models_file);
  return models::apply_model(area, models, models.find(*args.model));
}

std::vector<std::string> model_ids(const std::string& list, const models::IntegrationModels& set) {
  std::vector<std::string> ids;
  if (list == "all") {
    for (const models::IntegrationModel& m : set.models)
      ids.push_back(m.id);
    return ids;
  }
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::string id = list.substr(start, comma - start);
    if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) {
      ids.push_back(set.find(id).id);
    }
    start = comma + 1;
  }
  return ids;
}

std::optional<std::filesystem::path> output_folder(const std::optional<std::string>& out) {
  if (!out) return std::nullopt;
  std::error_code error;
  std::filesystem::create_directories(*out, error);
  if (error || !std::filesystem::is_directory(*out)) {
    throw UsageError(fmt::format("--out '{}': cannot create the folder ({})", *out,
                                 error ? error.message() : "not a folder"));
  }
  return std::filesystem::path(*out);
}

models::RunOptions run_options(const ReplicationArguments& args) {
  models::RunOptions options;
  options.replications = args.replications;
  options.seed = args.seed;
  options.threads = args.threads;
  return options;
}

}  // namespace tcsim::cli

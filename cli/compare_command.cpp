// `tcsim compare`: one area under several integration models, each against the baseline.

#include <filesystem>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "commands.hpp"
#include "input_checks.hpp"
#include "scenario_arguments.hpp"
#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/economics/model_comparison.hpp"
#include "tcsim/models/network/stability.hpp"
#include "tcsim/models/policy/integration_model.hpp"
#include "tcsim/models/report/comparison_report.hpp"
#include "tcsim/models/results/file_output.hpp"

namespace tcsim::cli {
namespace {

struct CompareArguments {
  ScenarioArguments scenario;  // no --model: every model of --models is run
  ReplicationArguments replications;
  std::string models = "all";
};

/// Refuses before anything runs if the baseline or any model asked for is unstable.
void require_stable_models(const models::Scenario& area, const models::IntegrationModels& models,
                           const std::vector<std::string>& ids) {
  std::vector<std::string> checked{models.find(models::kBaselineModel).id};
  checked.insert(checked.end(), ids.begin(), ids.end());
  for (const std::string& id : checked) {
    const models::Scenario scenario = models::apply_model(area, models, models.find(id));
    models::require_stable(models::analyse_stability(scenario), "model " + id);
  }
}

int compare_command(const CompareArguments& args) {
  const models::Scenario area = load(args.scenario);
  const models::IntegrationModels models = load_models(args.scenario.models_file);
  const std::vector<std::string> ids = model_ids(args.models, models);
  if (!args.replications.allow_unstable) require_stable_models(area, models, ids);
  const std::optional<std::filesystem::path> dir = output_folder(args.replications.out);
  std::vector<models::ModelRun> runs;
  try {
    runs = models::run_models(area, models, ids, run_options(args.replications));
  } catch (const std::bad_alloc&) {
    throw models::out_of_memory_error(area);
  }
  if (dir) {
    models::write_file_atomically((*dir / "comparison.csv").string(),
                                  models::format_comparison_csv(runs));
  }
  print(models::format_comparison(runs));
  return kOk;
}

void add_compare_options(CLI::App* cmd, CompareArguments& compare) {
  ScenarioArguments& area = compare.scenario;
  ReplicationArguments& reps = compare.replications;
  cmd->add_option("config", area.config, "Area scenario YAML file")->required();
  cmd->add_option("--models", compare.models,
                  "'all' or a comma-separated list of model IDs (direct_provision is always run "
                  "as the baseline)")
      ->capture_default_str();
  add_models_file_option(cmd, area.models_file);
  cmd->add_option("--set", area.set, "Override a value of the area (repeatable)")
      ->type_name("PATH=VALUE");
  cmd->add_option("--horizon", area.horizon, "Horizon in days (as --set run.horizon=D)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--allow-unstable", reps.allow_unstable,
                "Run even if a model's offered load reaches capacity somewhere");
  cmd->add_option("--reps", reps.replications, "Replications per model")
      ->check(replications_range());
  cmd->add_option("--seed", reps.seed, "Master seed (shared by every model)")->check(seed_range());
  add_confine_flag(cmd, area.confine_inputs);
  cmd->add_option("--threads", reps.threads, "Threads (0: one per core)")->capture_default_str();
  cmd->add_option("--out", reps.out, "Also write comparison.csv (every metric, every model) here");
}

}  // namespace

Command register_compare(CLI::App& app) {
  auto args = std::make_shared<CompareArguments>();
  CLI::App* cmd = app.add_subcommand(
      "compare", "Run an area under several integration models and compare them with the baseline");
  add_compare_options(cmd, *args);
  cmd->footer(
      "Examples:\n  tcsim compare configs/examples/area.yaml --models all\n"
      "  tcsim compare configs/examples/area.yaml --models vertical_acute,vertical_acute_bolt_on");
  return {cmd, [args] { return compare_command(*args); }};
}

}  // namespace tcsim::cli

// `tcsim savings`: what productivity in community services saves nationally under each
// integration model, with optional probabilistic (--psa) and one-way (--tornado) sensitivity.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "commands.hpp"
#include "input_checks.hpp"
#include "scenario_arguments.hpp"
#include "tcsim/models/config/input_digest.hpp"
#include "tcsim/models/economics/savings.hpp"
#include "tcsim/models/economics/sensitivity.hpp"
#include "tcsim/models/policy/national_config.hpp"
#include "tcsim/models/report/savings_report.hpp"
#include "tcsim/models/results/file_output.hpp"

namespace tcsim::cli {
namespace {

struct SavingsArguments {
  std::optional<std::string> config;
  std::optional<std::string> models_file;
  std::string models = "all";
  bool quick = false;
  unsigned threads = 0;
  std::optional<std::string> out;
  std::size_t psa = 0;
  bool tornado = false;
  std::uint64_t seed = 20090401;
  bool confine_inputs = false;
};

/// The savings report, then the sensitivity analyses asked for, then the inputs read.
std::string savings_text(const SavingsArguments& args, const models::NationalConfig& config,
                         const models::IntegrationModels& models,
                         const models::SavingsOptions& options) {
  models::SavingsReport report = models::run_savings(config, models, options);
  if (!args.config) report.config_file = "shipped configs/england_2009.yaml";
  std::string text = models::format_savings(report);
  if (args.psa > 0) {
    text +=
        "\n" + models::format_psa(models::run_psa(config, models, options, args.psa, args.seed));
  }
  if (args.tornado)
    text += "\n" + models::format_tornado(models::run_tornado(config, models, options));
  std::vector<models::InputDigest> inputs = config.input_files;
  models::add_input(inputs, models::InputDigest{models.file, models::sha256_hex(models.text)});
  text += "\nInputs read (SHA-256  file):\n" + models::inputs_text(inputs);
  return text;
}

int savings_command(const SavingsArguments& args) {
  const models::NationalConfig config =
      models::load_national_config(args.config ? *args.config : shipped_config("england_2009.yaml"),
                                   models::InputOptions{args.confine_inputs});
  const models::IntegrationModels models = load_models(args.models_file);
  models::SavingsOptions options;
  options.quick = args.quick;
  options.threads = args.threads;
  options.models = model_ids(args.models, models);
  const std::optional<std::filesystem::path> dir = output_folder(args.out);
  const std::string text = savings_text(args, config, models, options);
  if (dir) models::write_file_atomically((*dir / "savings.txt").string(), text);
  print(text);
  return kOk;
}

void add_savings_options(CLI::App* cmd, SavingsArguments& savings) {
  cmd->add_option("config", savings.config,
                  "National config (default: the shipped configs/england_2009.yaml)");
  cmd->add_option("--models", savings.models, "'all' or a comma-separated list of model IDs")
      ->capture_default_str();
  add_models_file_option(cmd, savings.models_file);
  cmd->add_flag("--quick", savings.quick,
                "Fewer, shorter replications (the config's savings.quick) for a first look");
  cmd->add_option("--threads", savings.threads, "Threads (0: one per core)")->capture_default_str();
  cmd->add_option("--out", savings.out, "Also write the report to DIR/savings.txt");
  cmd->add_option("--psa", savings.psa,
                  "Probabilistic sensitivity analysis: N Latin hypercube draws of the config's "
                  "uncertain inputs, the whole analysis per draw")
      ->check(whole_number(1, static_cast<std::uint64_t>(models::kMaxDesignPoints)));
  cmd->add_flag("--tornado", savings.tornado,
                "One-way sensitivity: each uncertain input at its 5th and 95th percentile");
  cmd->add_option("--seed", savings.seed, "Seed of the Latin hypercube (--psa)")
      ->check(seed_range())
      ->capture_default_str();
  add_confine_flag(cmd, savings.confine_inputs);
}

}  // namespace

Command register_savings(CLI::App& app) {
  auto args = std::make_shared<SavingsArguments>();
  CLI::App* cmd = app.add_subcommand(
      "savings",
      "The main job: what productivity in community services saves nationally under each "
      "integration model, if the freed capacity is released or absorbs acute patients");
  add_savings_options(cmd, *args);
  cmd->footer(
      "Examples:\n  tcsim savings\n  tcsim savings --quick\n"
      "  tcsim savings configs/england_2009.yaml --models direct_provision,vertical_acute");
  return {cmd, [args] { return savings_command(*args); }};
}

}  // namespace tcsim::cli

// tcsim command line. Exit codes: 0 success, 1 runtime failure, 2 bad input (config or
// arguments), before anything is simulated.

#include <cstdio>
#include <exception>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "models/config_error.hpp"
#include "models/report_format.hpp"
#include "models/scenario_loader.hpp"
#include "models/scenario_run.hpp"
#include "tcsim_git_commit.hpp"  // generated at build time: TCSIM_GIT_COMMIT

namespace {

constexpr int kBadInput = 2;

std::string version_text() {
  return fmt::format("tcsim {} (commit {})", TCSIM_VERSION, TCSIM_GIT_COMMIT);
}

struct RunArguments {
  std::string config;
  std::optional<std::int64_t> replications;
  std::optional<std::uint64_t> seed;
  unsigned threads = 0;
  bool json = false;
};

int run_command(const RunArguments& args) {
  const tcsim::models::Scenario scenario = tcsim::models::load_scenario(args.config);
  tcsim::models::RunOptions options;
  options.replications = args.replications;
  options.seed = args.seed;
  options.threads = args.threads;
  const tcsim::models::RunReport report = tcsim::models::run_scenario(scenario, options);
  const std::string text = args.json ? tcsim::models::format_json(report, TCSIM_VERSION)
                                     : tcsim::models::format_table(report);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "tcsim: discrete-event simulation of patient flow between acute hospitals and "
      "community health services"};
  app.set_version_flag("--version", version_text());
  app.require_subcommand(1);

  RunArguments run;
  CLI::App* run_cmd = app.add_subcommand("run", "Simulate a scenario and print its metrics");
  run_cmd->add_option("config", run.config, "Scenario YAML file")->required();
  run_cmd->add_option("--reps", run.replications, "Replications (overrides run.replications)")
      ->check(CLI::PositiveNumber);
  run_cmd->add_option("--seed", run.seed, "Master seed (overrides run.seed)");
  run_cmd
      ->add_option("--threads", run.threads,
                   "Threads to spread replications over (0: one per core)")
      ->capture_default_str();
  run_cmd->add_flag("--json", run.json, "Print one JSON object instead of a table");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kBadInput;
  }

  try {
    if (run_cmd->parsed()) return run_command(run);
  } catch (const tcsim::models::ConfigError& e) {
    fmt::print(stderr, "tcsim: error: {}\n", e.what());
    return kBadInput;
  } catch (const std::exception& e) {
    fmt::print(stderr, "tcsim: error: {}\n", e.what());
    return 1;
  }
  return 0;
}

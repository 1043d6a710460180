// tcsim command line. Exit codes (docs/cli.md, cli_support.hpp): 0 success; 1 internal failure;
// 2 bad input (config, arguments, output paths) - nothing is simulated; 3 refused (an unstable
// scenario without --allow-unstable, or results that would be overwritten); 4 stopped
// (deadlock, or more patients than run.max_patients).

#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

#include "cli_support.hpp"
#include "commands.hpp"

namespace {

using namespace tcsim::cli;

/// "unknown command 'X'; ..." when the first argument is a word that names no command (CLI11
/// only says a command is required), else "".
std::string unknown_command(CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return "";
  std::vector<std::string> names;
  for (const CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
    if (command->get_name() == argv[1]) return "";
    names.push_back(command->get_name());
  }
  return fmt::format("unknown command '{}'; expected one of: {} (tcsim --help)", argv[1],
                     fmt::join(names, ", "));
}

}  // namespace

// Commands report their own failures (exit codes above); what could still escape is a failure
// to build the command line itself (out of memory), which std::terminate reports.
// NOLINTNEXTLINE(bugprone-exception-escape)
int main(int argc, char** argv) {
  // A write beyond the file-size limit (ulimit -f) then fails with EFBIG, reported like any
  // failed write, instead of killing tcsim before it can say what happened.
  std::signal(SIGXFSZ, SIG_IGN);
  CLI::App app{
      "tcsim: discrete-event simulation of patient flow between acute hospitals and "
      "community health services"};
  app.set_version_flag("--version", version_text());
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  tcsim savings\n"
      "  tcsim savings --quick --psa 20\n"
      "  tcsim run configs/reference/mmc.yaml --reps 5\n"
      "  tcsim run configs/reference/acute_community.yaml --set "
      "settings.community_nursing.capacity=300\n"
      "  tcsim check configs/examples/area.yaml\n"
      "  tcsim describe configs/examples/area_esd.yaml\n"
      "  tcsim run configs/examples/area.yaml --model vertical_acute\n"
      "  tcsim compare configs/examples/area.yaml --models all\n"
      "  tcsim batch configs/experiments/integration_models.yaml\n"
      "  tcsim report results/integration_models.h5\n"
      "Exit codes: 0 ok, 1 internal failure, 2 bad input, 3 refused (unstable, or results "
      "would be overwritten), 4 stopped (deadlock or patient limit).");

  // In the order `tcsim --help` lists them.
  const std::vector<Command> commands{
      register_run(app),     register_check(app),   register_describe(app),
      register_compare(app), register_savings(app), register_batch(app),
      register_report(app),  register_merge(app),   register_schema(app)};

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (const std::string unknown = unknown_command(app, argc, argv); !unknown.empty()) {
      fmt::print(stderr, "tcsim: error: {}\n", unknown);
      return kBadInput;
    }
    const int code = app.exit(e);
    return code == 0 ? kOk : kBadInput;
  }

  return flush_standard_output(guarded([&] {
    for (const Command& command : commands)
      if (command.app->parsed()) return command.run();
    return int{kOk};
  }));
}

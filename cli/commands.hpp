#pragma once
// The subcommands of tcsim. Each register_ function adds its subcommand, with its options and
// help, to the app and returns what runs it once the command line is parsed; main only wires
// them in the order `tcsim --help` lists them.

#include <functional>

#include <CLI/CLI.hpp>

namespace tcsim::cli {

/// A subcommand and what runs it (its exit code) when it is the one parsed.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

// run_command.cpp: one scenario.
Command register_run(CLI::App& app);
Command register_check(CLI::App& app);
Command register_describe(CLI::App& app);
Command register_schema(CLI::App& app);
// compare_command.cpp: one area under several integration models.
Command register_compare(CLI::App& app);
// savings_command.cpp: the national savings.
Command register_savings(CLI::App& app);
// batch_commands.cpp: experiments and their results files.
Command register_batch(CLI::App& app);
Command register_report(CLI::App& app);
Command register_merge(CLI::App& app);

}  // namespace tcsim::cli

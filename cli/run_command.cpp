// `tcsim run`, `check`, `describe` and `schema`: one scenario simulated, validated or shown, and
// the scenario format.

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "batch_commands.hpp"
#include "cli_support.hpp"
#include "commands.hpp"
#include "input_checks.hpp"
#include "scenario_arguments.hpp"
#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/config/schema.hpp"
#include "tcsim/models/network/network_builder.hpp"
#include "tcsim/models/network/stability.hpp"
#include "tcsim/models/report/describe.hpp"
#include "tcsim/models/report/report_format.hpp"
#include "tcsim/models/results/file_output.hpp"
#include "tcsim/models/results/trace_writer.hpp"
#include "tcsim/models/run/scenario_run.hpp"
#include "tcsim/sim/network_simulation.hpp"

namespace tcsim::cli {
namespace {

struct RunArguments {
  ScenarioArguments scenario;
  ReplicationArguments replications;
  bool json = false;
  std::optional<std::int64_t> replication;
  std::optional<std::string> trace;
};

/// Fails now, not after every replication has run, if an output cannot be written: a results
/// file that exists, a folder that cannot be made, a trace that cannot be created.
void check_outputs(const RunArguments& args) {
  const std::optional<std::string>& out = args.replications.out;
  if (out && is_results_file(*out)) {
    check_new_results_file(*out);
  } else {
    (void)output_folder(out);
  }
  if (args.trace && !models::is_special_file(*args.trace)) {
    const std::string probe = *args.trace + ".tmp";
    std::FILE* f = std::fopen(probe.c_str(), "wb");
    if (!f) {
      throw UsageError(
          fmt::format("--trace '{}': cannot write there ({})", *args.trace, std::strerror(errno)));
    }
    std::fclose(f);
    std::remove(probe.c_str());
  }
}

models::RunReport run_replications(const models::Scenario& scenario, const RunArguments& args) {
  models::RunOptions options = run_options(args.replications);
  options.only_replication = args.replication;
  options.daily_series = args.replications.out.has_value();
  if (options.daily_series) {
    models::check_daily_series_size(
        scenario,
        args.replication ? 1 : args.replications.replications.value_or(scenario.run.replications));
  }
  try {
    return models::run_scenario(scenario, options);
  } catch (const std::bad_alloc&) {
    throw models::out_of_memory_error(scenario);
  } catch (const sim::SimulationStopped& e) {
    throw models::patient_limit_stop(scenario, e);
  }
}

/// The per-patient event log of replication --rep K (default 0), run again alone.
void write_trace(const models::Scenario& scenario, const models::RunReport& report,
                 const RunArguments& args) {
  const sim::NetworkSpec spec = models::build_network(scenario).spec;
  models::TraceWriter trace(spec, *args.trace);
  try {
    models::observe_replication(scenario, report.seed, args.replication.value_or(0), trace);
  } catch (const std::system_error& e) {  // a row's write failed (a full disk, /dev/full)
    throw std::runtime_error(
        fmt::format("the trace '{}' was not written: {}", *args.trace, e.what()));
  }
  trace.finish();
}

/// --out: a results file, or a folder of CSV files.
void write_outputs(const models::Scenario& scenario, const models::RunReport& report,
                   const std::string& out) {
  if (is_results_file(out)) {
    write_run_results(out, scenario, report);
    return;
  }
  const std::filesystem::path dir(out);
  models::write_file_atomically((dir / "summary.csv").string(), models::format_summary_csv(report));
  models::write_file_atomically((dir / "replications.csv").string(),
                                models::format_replications_csv(report));
  models::write_file_atomically((dir / "daily_occupancy.csv").string(),
                                models::format_daily_csv(report));
}

int run_command(const RunArguments& args) {
  const models::Scenario scenario = load(args.scenario);
  if (!args.replications.allow_unstable) {
    models::require_stable(
        models::analyse_stability(scenario), "",
        "Queues would grow without limit; raise capacity, or run anyway with --allow-unstable");
  }
  check_outputs(args);
  const models::RunReport report = run_replications(scenario, args);
  if (args.trace) write_trace(scenario, report, args);
  if (args.replications.out) write_outputs(scenario, report, *args.replications.out);
  print(args.json ? models::format_json(report, TCSIM_VERSION, build_identity())
                  : models::format_table(report));
  return kOk;
}

int check_command(const ScenarioArguments& args) {
  const models::Scenario scenario = load(args);
  const models::StabilityReport stability = models::analyse_stability(scenario);
  print(fmt::format("{}: valid scenario '{}'\n", scenario.file, scenario.name));
  print(models::format_stability(stability));
  models::require_stable(stability);
  return kOk;
}

int describe_command(const ScenarioArguments& args) {
  const models::Scenario scenario = load(args);
  print(models::describe_scenario(scenario, models::analyse_stability(scenario)));
  return kOk;
}

void add_run_options(CLI::App* cmd, RunArguments& run) {
  add_scenario_arguments(cmd, run.scenario);
  ReplicationArguments& reps = run.replications;
  cmd->add_option("--reps", reps.replications, "Replications (overrides run.replications)")
      ->check(replications_range());
  cmd->add_option("--seed", reps.seed, "Master seed (overrides run.seed)")->check(seed_range());
  cmd->add_option("--threads", reps.threads,
                  "Threads to spread replications over (0: one per core)")
      ->capture_default_str();
  cmd->add_flag("--json", run.json, "Print one JSON object instead of a table");
  cmd->add_option(
      "--out", reps.out,
      "Also write summary.csv, replications.csv and daily_occupancy.csv to this folder, or, "
      "if it ends in .h5, a results file (docs/results-format.md)");
  cmd->add_option("--rep", run.replication,
                  "Run replication K alone (numbered from 0), exactly as in a full run")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--trace", run.trace,
                  "Write a per-patient event log (CSV) of replication --rep K (default 0)");
  cmd->add_flag("--allow-unstable", reps.allow_unstable,
                "Run even if offered load reaches capacity somewhere");
}

}  // namespace

Command register_run(CLI::App& app) {
  auto args = std::make_shared<RunArguments>();
  CLI::App* cmd = app.add_subcommand("run", "Simulate a scenario and print its metrics");
  add_run_options(cmd, *args);
  cmd->footer(
      "Examples:\n"
      "  tcsim run configs/reference/acute_community.yaml --reps 5 --threads 2\n"
      "  tcsim run configs/examples/area.yaml --out results/area --json\n"
      "  tcsim run configs/reference/acute_community.yaml --rep 3 --trace results/rep3.csv");
  return {cmd, [args] { return run_command(*args); }};
}

Command register_check(CLI::App& app) {
  auto args = std::make_shared<ScenarioArguments>();
  CLI::App* cmd = app.add_subcommand(
      "check", "Validate a scenario and report the load on each setting, without simulating");
  add_scenario_arguments(cmd, *args);
  cmd->footer("Example:\n  tcsim check configs/examples/area.yaml");
  return {cmd, [args] { return check_command(*args); }};
}

Command register_describe(CLI::App& app) {
  auto args = std::make_shared<ScenarioArguments>();
  CLI::App* cmd = app.add_subcommand(
      "describe", "Print the scenario as understood, with its sources and effective rates");
  add_scenario_arguments(cmd, *args);
  cmd->footer("Example:\n  tcsim describe configs/examples/area.yaml");
  return {cmd, [args] { return describe_command(*args); }};
}

Command register_schema(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("schema", "Print the scenario format");
  return {cmd, [] {
            print(models::scenario_schema());
            return int{kOk};
          }};
}

}  // namespace tcsim::cli

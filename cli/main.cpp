// tcsim command line. Exit codes (docs/cli.md, cli_support.hpp): 0 success; 1 internal failure;
// 2 bad input (config, arguments, output paths) - nothing is simulated; 3 refused (an unstable
// scenario without --allow-unstable, or results that would be overwritten); 4 stopped
// (deadlock, or more patients than run.max_patients).

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <new>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

#include "batch_commands.hpp"
#include "cli_support.hpp"
#include "input_checks.hpp"
#ifdef TCSIM_WITH_MPI
#include "mpi_batch.hpp"
#endif
#include "tcsim/models/config/input_digest.hpp"
#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/config/schema.hpp"
#include "tcsim/models/economics/model_comparison.hpp"
#include "tcsim/models/economics/savings.hpp"
#include "tcsim/models/economics/sensitivity.hpp"
#include "tcsim/models/report/comparison_report.hpp"
#include "tcsim/models/report/savings_report.hpp"
#include "tcsim/models/network/network_builder.hpp"
#include "tcsim/models/network/stability.hpp"
#include "tcsim/models/policy/integration_model.hpp"
#include "tcsim/models/policy/national_config.hpp"
#include "tcsim/models/report/describe.hpp"
#include "tcsim/models/report/report_format.hpp"
#include "tcsim/models/results/file_output.hpp"
#include "tcsim/models/run/scenario_run.hpp"
#include "tcsim/models/run/trace_writer.hpp"
#include "tcsim/models/scenario/config_error.hpp"
#include "tcsim/sim/network_simulation.hpp"

namespace {

using namespace tcsim;
using namespace tcsim::cli;

struct ScenarioArguments {
  std::string config;
  std::vector<std::string> set;
  std::optional<double> horizon;
  std::optional<std::string> model;
  std::optional<std::string> models_file;
  bool confine_inputs = false;
};

models::IntegrationModels load_models(const std::optional<std::string>& file) {
  return models::load_integration_models(file ? *file : shipped_config("integration_models.yaml"));
}

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

models::Scenario load(const ScenarioArguments& args) {
  models::Scenario area = models::load_scenario(args.config, parse_overrides(args),
                                                models::InputOptions{args.confine_inputs});
  if (!args.model) return area;
  const models::IntegrationModels models = load_models(args.models_file);
  return models::apply_model(area, models, models.find(*args.model));
}

struct RunArguments {
  ScenarioArguments scenario;
  std::optional<std::int64_t> replications;
  std::optional<std::uint64_t> seed;
  unsigned threads = 0;
  bool json = false;
  std::optional<std::string> out;
  std::optional<std::int64_t> replication;
  std::optional<std::string> trace;
  bool allow_unstable = false;
};

/// The folder of `--out`, created if need be; nullopt without `--out`. Fails before anything
/// runs if it cannot be made.
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

int run_command(const RunArguments& args) {
  const models::Scenario scenario = load(args.scenario);
  const models::StabilityReport stability = models::analyse_stability(scenario);
  if (!stability.stable() && !args.allow_unstable) {
    throw Refused(fmt::format(
        "unstable: offered load reaches capacity at {}. Queues would grow without limit; "
        "raise capacity, or run anyway with --allow-unstable",
        stability.unstable_settings()));
  }
  const bool to_results_file = args.out && is_results_file(*args.out);
  if (to_results_file) {
    check_new_results_file(*args.out);
  } else {
    (void)output_folder(args.out);
  }

  if (args.trace && !models::is_special_file(*args.trace)) {
    // Fail now, not after every replication has run: can the trace be written there?
    const std::string probe = *args.trace + ".tmp";
    std::FILE* f = std::fopen(probe.c_str(), "wb");
    if (!f) {
      throw UsageError(
          fmt::format("--trace '{}': cannot write there ({})", *args.trace, std::strerror(errno)));
    }
    std::fclose(f);
    std::remove(probe.c_str());
  }

  models::RunOptions options;
  options.replications = args.replications;
  options.seed = args.seed;
  options.threads = args.threads;
  options.only_replication = args.replication;
  options.daily_series = args.out.has_value();
  if (options.daily_series) {
    models::check_daily_series_size(
        scenario, args.replication ? 1 : args.replications.value_or(scenario.run.replications));
  }
  models::RunReport report;
  try {
    report = models::run_scenario(scenario, options);
  } catch (const std::bad_alloc&) {
    throw models::out_of_memory_error(scenario);
  } catch (const sim::SimulationStopped& e) {
    if (e.reason() != sim::SimulationStopped::Reason::EntityLimit) throw;
    throw sim::SimulationStopped(
        e.reason(), e.at(),
        fmt::format("more than {} patients in the system at once at day {:.2f} (the limit "
                    "run.max_patients): the scenario is probably overloaded - see `tcsim check` "
                    "for the load on each setting",
                    scenario.run.max_patients, e.at()));
  }

  if (args.trace) {
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
  if (to_results_file) {
    write_run_results(*args.out, scenario, report);
  } else if (args.out) {
    const std::filesystem::path dir(*args.out);
    models::write_file_atomically((dir / "summary.csv").string(),
                                  models::format_summary_csv(report));
    models::write_file_atomically((dir / "replications.csv").string(),
                                  models::format_replications_csv(report));
    models::write_file_atomically((dir / "daily_occupancy.csv").string(),
                                  models::format_daily_csv(report));
  }
  print(args.json ? models::format_json(report, TCSIM_VERSION, build_identity())
                  : models::format_table(report));
  return kOk;
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

struct CompareArguments {
  std::string config;
  std::vector<std::string> set;
  std::optional<double> horizon;
  bool allow_unstable = false;
  std::string models = "all";
  std::optional<std::string> models_file;
  std::optional<std::int64_t> replications;
  std::optional<std::uint64_t> seed;
  unsigned threads = 0;
  std::optional<std::string> out;
  bool confine_inputs = false;
};

int compare_command(const CompareArguments& args) {
  ScenarioArguments scenario_args;
  scenario_args.config = args.config;
  scenario_args.set = args.set;
  scenario_args.horizon = args.horizon;
  scenario_args.confine_inputs = args.confine_inputs;
  const models::Scenario area = load(scenario_args);
  const models::IntegrationModels models = load_models(args.models_file);
  const std::vector<std::string> ids = model_ids(args.models, models);
  std::vector<std::string> checked{models.find(models::kBaselineModel).id};
  checked.insert(checked.end(), ids.begin(), ids.end());
  for (const std::string& id : checked) {
    const models::Scenario scenario = models::apply_model(area, models, models.find(id));
    const models::StabilityReport stability = models::analyse_stability(scenario);
    if (!stability.stable() && !args.allow_unstable) {
      throw Refused(fmt::format("model {}: unstable: offered load reaches capacity at {}", id,
                                stability.unstable_settings()));
    }
  }
  const std::optional<std::filesystem::path> dir = output_folder(args.out);
  models::RunOptions options;
  options.replications = args.replications;
  options.seed = args.seed;
  options.threads = args.threads;
  std::vector<models::ModelRun> runs;
  try {
    runs = models::run_models(area, models, ids, options);
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
  if (dir) models::write_file_atomically((*dir / "savings.txt").string(), text);
  print(text);
  return kOk;
}

int check_command(const ScenarioArguments& args) {
  const models::Scenario scenario = load(args);
  const models::StabilityReport stability = models::analyse_stability(scenario);
  print(fmt::format("{}: valid scenario '{}'\n", scenario.file, scenario.name));
  print(models::format_stability(stability));
  if (!stability.stable()) {
    throw Refused(fmt::format("unstable: offered load reaches capacity at {}",
                              stability.unstable_settings()));
  }
  return kOk;
}

int describe_command(const ScenarioArguments& args) {
  const models::Scenario scenario = load(args);
  print(models::describe_scenario(scenario, models::analyse_stability(scenario)));
  return kOk;
}

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

  RunArguments run;
  CLI::App* run_cmd = app.add_subcommand("run", "Simulate a scenario and print its metrics");
  add_scenario_arguments(run_cmd, run.scenario);
  run_cmd->add_option("--reps", run.replications, "Replications (overrides run.replications)")
      ->check(replications_range());
  run_cmd->add_option("--seed", run.seed, "Master seed (overrides run.seed)")->check(seed_range());
  run_cmd
      ->add_option("--threads", run.threads,
                   "Threads to spread replications over (0: one per core)")
      ->capture_default_str();
  run_cmd->add_flag("--json", run.json, "Print one JSON object instead of a table");
  run_cmd->add_option(
      "--out", run.out,
      "Also write summary.csv, replications.csv and daily_occupancy.csv to this folder, or, "
      "if it ends in .h5, a results file (docs/results-format.md)");
  run_cmd
      ->add_option("--rep", run.replication,
                   "Run replication K alone (numbered from 0), exactly as in a full run")
      ->check(CLI::NonNegativeNumber);
  run_cmd->add_option("--trace", run.trace,
                      "Write a per-patient event log (CSV) of replication --rep K (default 0)");
  run_cmd->add_flag("--allow-unstable", run.allow_unstable,
                    "Run even if offered load reaches capacity somewhere");
  run_cmd->footer(
      "Examples:\n"
      "  tcsim run configs/reference/acute_community.yaml --reps 5 --threads 2\n"
      "  tcsim run configs/examples/area.yaml --out results/area --json\n"
      "  tcsim run configs/reference/acute_community.yaml --rep 3 --trace results/rep3.csv");

  ScenarioArguments check;
  CLI::App* check_cmd = app.add_subcommand(
      "check", "Validate a scenario and report the load on each setting, without simulating");
  add_scenario_arguments(check_cmd, check);
  check_cmd->footer("Example:\n  tcsim check configs/examples/area.yaml");

  ScenarioArguments describe;
  CLI::App* describe_cmd = app.add_subcommand(
      "describe", "Print the scenario as understood, with its sources and effective rates");
  add_scenario_arguments(describe_cmd, describe);
  describe_cmd->footer("Example:\n  tcsim describe configs/examples/area.yaml");

  CompareArguments compare;
  CLI::App* compare_cmd = app.add_subcommand(
      "compare", "Run an area under several integration models and compare them with the baseline");
  compare_cmd->add_option("config", compare.config, "Area scenario YAML file")->required();
  compare_cmd
      ->add_option("--models", compare.models,
                   "'all' or a comma-separated list of model IDs (direct_provision is always run "
                   "as the baseline)")
      ->capture_default_str();
  add_models_file_option(compare_cmd, compare.models_file);
  compare_cmd->add_option("--set", compare.set, "Override a value of the area (repeatable)")
      ->type_name("PATH=VALUE");
  compare_cmd->add_option("--horizon", compare.horizon, "Horizon in days (as --set run.horizon=D)")
      ->check(CLI::PositiveNumber);
  compare_cmd->add_flag("--allow-unstable", compare.allow_unstable,
                        "Run even if a model's offered load reaches capacity somewhere");
  compare_cmd->add_option("--reps", compare.replications, "Replications per model")
      ->check(replications_range());
  compare_cmd->add_option("--seed", compare.seed, "Master seed (shared by every model)")
      ->check(seed_range());
  add_confine_flag(compare_cmd, compare.confine_inputs);
  compare_cmd->add_option("--threads", compare.threads, "Threads (0: one per core)")
      ->capture_default_str();
  compare_cmd->add_option("--out", compare.out,
                          "Also write comparison.csv (every metric, every model) here");
  compare_cmd->footer(
      "Examples:\n  tcsim compare configs/examples/area.yaml --models all\n"
      "  tcsim compare configs/examples/area.yaml --models vertical_acute,vertical_acute_bolt_on");

  SavingsArguments savings;
  CLI::App* savings_cmd = app.add_subcommand(
      "savings",
      "The main job: what productivity in community services saves nationally under each "
      "integration model, if the freed capacity is released or absorbs acute patients");
  savings_cmd->add_option("config", savings.config,
                          "National config (default: the shipped configs/england_2009.yaml)");
  savings_cmd
      ->add_option("--models", savings.models, "'all' or a comma-separated list of model IDs")
      ->capture_default_str();
  add_models_file_option(savings_cmd, savings.models_file);
  savings_cmd->add_flag(
      "--quick", savings.quick,
      "Fewer, shorter replications (the config's savings.quick) for a first look");
  savings_cmd->add_option("--threads", savings.threads, "Threads (0: one per core)")
      ->capture_default_str();
  savings_cmd->add_option("--out", savings.out, "Also write the report to DIR/savings.txt");
  savings_cmd
      ->add_option("--psa", savings.psa,
                   "Probabilistic sensitivity analysis: N Latin hypercube draws of the config's "
                   "uncertain inputs, the whole analysis per draw")
      ->check(whole_number(1, static_cast<std::uint64_t>(models::kMaxDesignPoints)));
  savings_cmd->add_flag("--tornado", savings.tornado,
                        "One-way sensitivity: each uncertain input at its 5th and 95th percentile");
  savings_cmd->add_option("--seed", savings.seed, "Seed of the Latin hypercube (--psa)")
      ->check(seed_range())
      ->capture_default_str();
  add_confine_flag(savings_cmd, savings.confine_inputs);
  savings_cmd->footer(
      "Examples:\n  tcsim savings\n  tcsim savings --quick\n"
      "  tcsim savings configs/england_2009.yaml --models direct_provision,vertical_acute");

  BatchArguments batch;
  CLI::App* batch_cmd = app.add_subcommand(
      "batch",
      "Run an experiment (design points x replications) on threads into an HDF5 results file "
      "that survives a crash");
  batch_cmd->add_option("experiment", batch.experiment, "Experiment YAML file")->required();
  batch_cmd->add_option("--out", batch.out, "Results file (overrides the experiment's output:)");
  batch_cmd->add_option("--threads", batch.threads, "Threads (0: one per core)")
      ->capture_default_str();
  batch_cmd->add_flag("--resume", batch.resume,
                      "Continue an interrupted run: only the tasks not yet saved are run");
  batch_cmd->add_flag("--quiet", batch.quiet, "No progress line");
  add_confine_flag(batch_cmd, batch.confine_inputs);
  batch_cmd
      ->add_option("--shard", batch.shard,
                   "Run only shard i of n (1 <= i <= n) of the tasks, e.g. for a Slurm job "
                   "array; merge the shards' files with tcsim merge")
      ->type_name("i/n");
#ifdef TCSIM_WITH_MPI
  batch_cmd
      ->add_option("--chunk", batch.chunk,
                   "Under mpirun: tasks handed to a rank at a time (threads are per rank, "
                   "default 1)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
#endif
  batch_cmd->footer(
      "Examples:\n  tcsim batch configs/experiments/integration_models.yaml\n"
      "  tcsim batch configs/experiments/integration_models.yaml --resume\n"
      "  tcsim batch my_experiment.yaml --out results/mine.h5 --threads 2");

  ReportArguments report;
  CLI::App* report_cmd =
      app.add_subcommand("report", "Tables (markdown, CSV) and plots (PNG) from a results file");
  report_cmd->add_option("results", report.results, "Results file (.h5)")->required();
  report_cmd->add_option("--baseline", report.baseline,
                         "Design point to compare with (default: the first)");
  report_cmd->add_option("--out", report.out, "Folder for the report (default: RESULTS_report/)");
  report_cmd
      ->add_option("--precision", report.precision,
                   "Target CI half-width relative to the mean, for replications needed")
      ->check(CLI::Range(1e-6, 10.0))
      ->check([](const std::string& text) {
        // CLI::Range lets NaN through: every comparison with it is false.
        return std::isnan(std::strtod(text.c_str(), nullptr)) ? std::string("expected a number")
                                                              : std::string();
      })
      ->capture_default_str();
  report_cmd->add_flag("--no-plots", report.no_plots, "Tables only");
  report_cmd->footer(
      "Examples:\n  tcsim report results/integration_models.h5\n"
      "  tcsim report results/integration_models.h5 --baseline 'direct_provision, "
      "productivity_gain=0' --out results/report");

  MergeArguments merge;
  CLI::App* merge_cmd = app.add_subcommand(
      "merge", "Merge the results files of one experiment's shards into one results file");
  merge_cmd->add_option("files", merge.inputs, "Results files of the shards")->required();
  merge_cmd->add_option("--out", merge.out, "The merged results file")->required();
  merge_cmd->add_flag("--require-complete", merge.require_complete,
                      "Refuse (exit 3) if some task is in none of the files");
  merge_cmd->footer(
      "Example:\n  tcsim merge results/x.shard-*-of-8.h5 --out results/x.h5 "
      "--require-complete");

  CLI::App* schema_cmd = app.add_subcommand("schema", "Print the scenario format");

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
    if (run_cmd->parsed()) return run_command(run);
    if (check_cmd->parsed()) return check_command(check);
    if (compare_cmd->parsed()) return compare_command(compare);
    if (savings_cmd->parsed()) return savings_command(savings);
#ifdef TCSIM_WITH_MPI
    if (batch_cmd->parsed()) return mpi_batch_command(batch);
#else
    if (batch_cmd->parsed()) return batch_command(batch);
#endif
    if (report_cmd->parsed()) return report_command(report);
    if (merge_cmd->parsed()) return merge_command(merge);
    if (describe_cmd->parsed()) return describe_command(describe);
    if (schema_cmd->parsed()) print(models::scenario_schema());
    return int{kOk};
  }));
}

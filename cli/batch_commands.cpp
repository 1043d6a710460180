#include "batch_commands.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <regex>
#include <vector>

#include <fmt/format.h>

#include "cli_support.hpp"
#include "commands.hpp"
#include "input_checks.hpp"
#include "tcsim/models/experiments/batch_run.hpp"
#ifdef TCSIM_WITH_MPI
#include "mpi_batch.hpp"
#endif
#include "stop_signals.hpp"
#include "tcsim/models/config/integration_models_file.hpp"
#include "tcsim/models/experiments/experiment.hpp"
#include "tcsim/models/report/results_report.hpp"
#include "tcsim/models/results/file_output.hpp"
#include "tcsim/models/results/results_file.hpp"
#include "tcsim/models/results/results_journal.hpp"
#include "tcsim/models/results/results_merge.hpp"

namespace tcsim::cli {
namespace {

namespace fs = std::filesystem;

/// Creates the folder a results file goes into; a UsageError if it cannot be written.
void prepare_folder_of(const std::string& path) {
  const fs::path folder = fs::path(path).parent_path();
  std::error_code error;
  if (!folder.empty()) fs::create_directories(folder, error);
  const std::string shown = folder.empty() ? std::string(".") : folder.string();
  if (error || ::access(shown.c_str(), W_OK) != 0) {
    throw UsageError(
        fmt::format("cannot write results to '{}': the folder '{}' {}", path, shown,
                    error ? "cannot be created (" + error.message() + ")" : "is not writable"));
  }
}

std::string clock_text(double seconds) {
  // Elapsed seconds are >= 0, where adding 0.5 rounds half up as it always has.
  const auto s = static_cast<long>(seconds + 0.5);  // NOLINT(bugprone-incorrect-roundings)
  return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
                   : fmt::format("{}:{:02}", s / 60, s % 60);
}

/// Runs the plotting script; returns its exit status (127 if it could not start).
int run_plots(const std::vector<std::string>& arguments) {
  std::vector<char*> argv;
  argv.reserve(arguments.size() + 1);
  // execvp takes char* const[] for C's sake and does not write through it.
  for (const std::string& a : arguments)
    argv.push_back(const_cast<char*>(a.c_str()));  // NOLINT(cppcoreguidelines-pro-type-const-cast)
  argv.push_back(nullptr);
  std::fflush(stdout);
  const pid_t child = ::fork();
  if (child < 0) return 127;
  if (child == 0) {
    ::execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  if (::waitpid(child, &status, 0) < 0) return 127;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/// "i/n" with 1 <= i <= n; a UsageError otherwise (also for numbers too large to hold).
std::pair<std::int64_t, std::int64_t> parse_shard(const std::string& text) {
  const auto bad = [&text] {
    return UsageError(fmt::format("--shard '{}': expected i/n with 1 <= i <= n, e.g. 3/8", text));
  };
  std::smatch m;
  static const std::regex form(R"(^\s*(\d+)\s*/\s*(\d+)\s*$)");
  if (!std::regex_match(text, m, form)) throw bad();
  std::int64_t index = 0;
  std::int64_t count = 0;
  const std::string i = m[1];
  const std::string n = m[2];
  if (std::from_chars(i.data(), i.data() + i.size(), index).ec != std::errc{} ||
      std::from_chars(n.data(), n.data() + n.size(), count).ec != std::errc{} || index < 1 ||
      index > count) {
    throw bad();
  }
  return {index, count};
}

/// The command that finishes a stopped batch.
std::string resume_command(const BatchArguments& args, const std::string& output) {
  return fmt::format("tcsim batch {} --out {}{} --resume", args.experiment, output,
                     args.shard ? " --shard " + *args.shard : "");
}

/// Says where a stopped batch left off, then ends tcsim at once with 128 + the signal, without
/// waiting for the tasks still running (what they had done is lost; the journal is whole).
[[noreturn]] void exit_stopped(const models::BatchStop& stop, const BatchArguments& args,
                               const std::string& output, bool show_progress) {
  std::fflush(stdout);
  if (show_progress) fmt::print(stderr, "\n");
  if (stop.journal.empty()) {
    fmt::print(stderr, "tcsim: stopped by {}: nothing was being written\n",
               signal_name(stop.signal));
  } else {
    fmt::print(stderr,
               "tcsim: stopped by {}: {} of {} tasks are safe in the journal '{}'; to finish, "
               "run: {}\n",
               signal_name(stop.signal), stop.tasks_safe, stop.tasks_total, stop.journal,
               resume_command(args, output));
  }
  std::fflush(stderr);
  std::_Exit(128 + stop.signal);
}

}  // namespace

bool is_results_file(const std::string& out) {
  return fs::path(out).extension() == ".h5";
}

void check_new_results_file(const std::string& path) {
  if (fs::exists(path)) {
    throw Refused(fmt::format("'{}' already exists; remove it or choose another --out", path));
  }
  prepare_folder_of(path);
}

namespace {

/// Where and how the batch runs: --out (else the experiment's output, or for a shard a file of
/// its own), --shard, --threads, --resume.
models::BatchOptions batch_options(const BatchArguments& args, const models::Experiment& experiment,
                                   models::RemoteWorkers* remote) {
  models::BatchOptions options;
  options.output = args.out.value_or(experiment.output);
  if (args.shard) {
    const auto [index, count] = parse_shard(*args.shard);
    options.shard_index = index;
    options.shard_count = count;
    if (!args.out) {
      // Each shard needs a file of its own: results/x.h5 -> results/x.shard-3-of-8.h5.
      options.output = fs::path(options.output)
                           .replace_extension(fmt::format("shard-{}-of-{}.h5", options.shard_index,
                                                          options.shard_count))
                           .string();
    }
  }
  options.threads = args.threads;
  options.resume = args.resume;
  options.version = version_text();
  options.remote = remote;
  return options;
}

/// What was run, how fast, where the results are and what to run next.
std::string batch_summary_text(const models::Experiment& experiment,
                               const models::BatchSummary& summary,
                               const models::BatchOptions& options, bool remote) {
  const double rate = summary.wall_seconds > 0
                          ? static_cast<double>(summary.tasks_run) / summary.wall_seconds
                          : 0.0;
  const std::string shard_text =
      options.shard_count > 1
          ? fmt::format(", shard {} of {}", options.shard_index, options.shard_count)
          : "";
  // Events are counted where tasks run; other ranks' are not seen here.
  const std::string events =
      remote ? ""
             : fmt::format(", {:.2f} M events/s",
                           static_cast<double>(summary.events) / summary.wall_seconds / 1e6);
  return fmt::format(
      "{}: {} tasks ({} design points x {} replications{}): {} run now{}, in {:.1f} s ({:.1f} "
      "runs/s{}; writing {:.2f} s)\nresults: {}\nnext: tcsim {} {}\n",
      experiment.name, summary.tasks_total, experiment.points.size(), experiment.replications,
      shard_text, summary.tasks_run,
      summary.tasks_from_journal ? fmt::format(", {} from the journal", summary.tasks_from_journal)
                                 : "",
      summary.wall_seconds, rate, events, summary.write_seconds, options.output,
      options.shard_count > 1 ? "merge" : "report",
      options.shard_count > 1 ? "<every shard's file> --out ALL.h5" : options.output);
}

}  // namespace

int batch_command(const BatchArguments& args, models::RemoteWorkers* remote) {
  const models::Experiment experiment =
      models::load_experiment(args.experiment, shipped_config("integration_models.yaml"),
                              models::InputOptions{args.confine_inputs});
  std::optional<models::IntegrationModels> models;
  if (!experiment.models_file.empty())
    models = models::load_integration_models(experiment.models_file);

  models::BatchOptions options = batch_options(args, experiment, remote);
  prepare_folder_of(options.output);
  const bool show_progress = !args.quiet && ::isatty(STDERR_FILENO);
  if (show_progress) {
    options.on_progress = [](const models::BatchProgress& p) {
      fmt::print(stderr, "\r{}/{} tasks  {:.1f} runs/s  {} left   ", p.done, p.total,
                 p.runs_per_second, clock_text(p.seconds_left));
      std::fflush(stderr);
    };
  }

  const StopSignals signals;  // SIGTERM and SIGINT caught until the batch returns
  options.stop_signal = &StopSignals::received();
  options.on_stopped = [&](const models::BatchStop& stop) {
    exit_stopped(stop, args, options.output, show_progress);
  };

  models::BatchSummary summary;
  try {
    summary = models::run_batch(experiment, models ? &*models : nullptr, options);
  } catch (const models::BatchRefused& e) {
    throw Refused(e.what());
  } catch (const models::JournalError& e) {
    if (show_progress) fmt::print(stderr, "\n");
    throw std::runtime_error(fmt::format(
        "{}. Every task flushed before is kept: fix the cause, then run again with --resume",
        e.what()));
  }
  if (show_progress) fmt::print(stderr, "\n");
  if (summary.already_complete) {
    print(fmt::format("{}: complete ({} tasks); nothing to run\n", options.output,
                      summary.tasks_total));
    return kOk;
  }
  print(batch_summary_text(experiment, summary, options, remote != nullptr));
  return kOk;
}

int merge_command(const MergeArguments& args) {
  check_new_results_file(args.out);
  models::MergedResults merged;
  try {
    merged = models::merge_results(args.inputs);
  } catch (const models::MergeRefused& e) {
    throw Refused(e.what());
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what());  // a file that cannot be read as results
  }
  if (!merged.missing.empty()) {
    const std::string list = models::describe_tasks(merged.file.meta, merged.missing);
    if (args.require_complete) {
      throw Refused(
          fmt::format("{} task(s) are in none of the files: {}", merged.missing.size(), list));
    }
    fmt::print(stderr, "tcsim: warning: {} task(s) are in none of the files: {}\n",
               merged.missing.size(), list);
  }
  models::write_results_file(args.out, merged.file.meta, merged.file.table);
  print(fmt::format("{}: {} files, {} of {} tasks{}\n", args.out, args.inputs.size(),
                    merged.file.table.rows(), merged.file.meta.tasks_expected(),
                    merged.missing.empty() ? " (complete)" : " (INCOMPLETE)"));
  return kOk;
}

int report_command(const ReportArguments& args) {
  models::ResultsFile results;
  try {
    results = models::read_results_file(args.results);
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what());
  }
  models::ReportOptions options;
  options.baseline = args.baseline;
  options.target_precision = args.precision;
  models::ResultsReport report;
  try {
    report = models::analyse_results(results, args.results, options);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  fs::path dir = args.out ? fs::path(*args.out)
                          : fs::path(args.results).replace_extension("").concat("_report");
  std::error_code error;
  fs::create_directories(dir, error);
  if (error || !fs::is_directory(dir)) {
    throw UsageError(fmt::format("--out '{}': cannot create the folder ({})", dir.string(),
                                 error ? error.message() : "not a folder"));
  }
  const std::string markdown = models::format_report_markdown(report);
  models::write_file_atomically((dir / "report.md").string(), markdown);
  models::write_file_atomically((dir / "summary.csv").string(),
                                models::format_results_summary_csv(report));
  models::write_file_atomically((dir / "differences.csv").string(),
                                models::format_results_differences_csv(report));
  models::write_file_atomically((dir / "savings.csv").string(), models::format_savings_csv(report));
  models::write_file_atomically((dir / "tornado.csv").string(), models::format_tornado_csv(report));
  print(markdown);
  print(
      fmt::format("\nwrote {}/report.md, summary.csv, differences.csv, savings.csv, tornado.csv\n",
                  dir.string()));
  if (args.no_plots) return kOk;

  std::vector<std::string> command{
      "/usr/bin/python3",    shipped_plot_script(),
      args.results,          dir.string(),
      "--baseline-row",      std::to_string(report.baseline),
      "--compare-row",       std::to_string(report.best_point()),
      "--warmup-days",       std::to_string(report.mser5_warmup_days),
      "--configured-warmup", fmt::format("{}", report.configured_warmup_days),
      "--title-suffix",      report.meta.experiment_name};
  if (report.key_setting) {
    command.emplace_back("--setting");
    command.push_back(report.meta.settings[*report.key_setting]);
  }
  const int status = run_plots(command);
  if (status != 0) {
    throw std::runtime_error(fmt::format(
        "the plots were not made ({} exited with {}{}); the tables above are written. Plots need "
        "/usr/bin/python3 with python3-matplotlib and python3-h5py; --no-plots skips them",
        command[1], status, status == 127 ? ": could not start /usr/bin/python3" : ""));
  }
  return kOk;
}

void write_run_results(const std::string& path, const models::Scenario& scenario,
                       const models::RunReport& report) {
  std::vector<models::TaskResult> tasks(report.replication_ids.size());
  for (std::size_t k = 0; k < tasks.size(); ++k) {
    tasks[k].design_point = 0;
    tasks[k].replication = report.replication_ids[k];
    for (const models::MetricSummary& m : report.metrics)
      tasks[k].metrics.push_back({m.scope, m.name, m.unit, m.values[k]});
    if (k < report.daily.size()) {
      for (const auto& day : report.daily[k])
        tasks[k].occupancy.insert(tasks[k].occupancy.end(), day.begin(), day.end());
      for (const auto& day : report.daily_delayed[k])
        tasks[k].delayed.insert(tasks[k].delayed.end(), day.begin(), day.end());
      tasks[k].days = report.daily[k].size();
      tasks[k].settings = report.settings.size();
    }
  }
  models::ResultsMetadata meta;
  meta.tcsim_version = version_text();
  meta.experiment_name = scenario.name;
  meta.design_kind = "single";
  meta.experiment_text = fmt::format(
      "# written by tcsim run: the scenario as one design point\nname: '{}'\nscenario: {}\n"
      "replications: {}\nseed: {}\noutput: {}\ntime_series: true\n",
      std::regex_replace(scenario.name, std::regex("'"), "''"), scenario.file, report.replications,
      report.seed, path);
  meta.scenario_text = scenario.text;  // the file as it was read (read_input_file) and run
  meta.inputs_text = models::inputs_text(scenario.input_files);
  meta.seed = report.seed;
  meta.replications = report.replications;
  meta.point_names = {scenario.name};
  meta.point_models = {""};
  for (const models::Setting& s : scenario.settings) {
    meta.settings.push_back(s.name);
    meta.services.push_back(s.service);
  }
  models::write_results_file(path, meta, models::tabulate(std::move(tasks), meta.settings.size()));
}

Command register_batch(CLI::App& app) {
  auto args = std::make_shared<BatchArguments>();
  BatchArguments& batch = *args;
  CLI::App* cmd = app.add_subcommand(
      "batch",
      "Run an experiment (design points x replications) on threads into an HDF5 results file "
      "that survives a crash");
  cmd->add_option("experiment", batch.experiment, "Experiment YAML file")->required();
  cmd->add_option("--out", batch.out, "Results file (overrides the experiment's output:)");
  cmd->add_option("--threads", batch.threads, "Threads (0: one per core)")->capture_default_str();
  cmd->add_flag("--resume", batch.resume,
                "Continue an interrupted run: only the tasks not yet saved are run");
  cmd->add_flag("--quiet", batch.quiet, "No progress line");
  add_confine_flag(cmd, batch.confine_inputs);
  cmd->add_option("--shard", batch.shard,
                  "Run only shard i of n (1 <= i <= n) of the tasks, e.g. for a Slurm job "
                  "array; merge the shards' files with tcsim merge")
      ->type_name("i/n");
#ifdef TCSIM_WITH_MPI
  cmd->add_option("--chunk", batch.chunk,
                  "Under mpirun: tasks handed to a rank at a time (threads are per rank, "
                  "default 1)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
#endif
  cmd->footer(
      "Examples:\n  tcsim batch configs/experiments/integration_models.yaml\n"
      "  tcsim batch configs/experiments/integration_models.yaml --resume\n"
      "  tcsim batch my_experiment.yaml --out results/mine.h5 --threads 2");
#ifdef TCSIM_WITH_MPI
  return {cmd, [args] { return mpi_batch_command(*args); }};
#else
  return {cmd, [args] { return batch_command(*args); }};
#endif
}

Command register_report(CLI::App& app) {
  auto args = std::make_shared<ReportArguments>();
  ReportArguments& report = *args;
  CLI::App* cmd =
      app.add_subcommand("report", "Tables (markdown, CSV) and plots (PNG) from a results file");
  cmd->add_option("results", report.results, "Results file (.h5)")->required();
  cmd->add_option("--baseline", report.baseline,
                  "Design point to compare with (default: the first)");
  cmd->add_option("--out", report.out, "Folder for the report (default: RESULTS_report/)");
  cmd->add_option("--precision", report.precision,
                  "Target CI half-width relative to the mean, for replications needed")
      ->check(CLI::Range(1e-6, 10.0))
      ->check([](const std::string& text) {
        // CLI::Range lets NaN through: every comparison with it is false.
        return std::isnan(std::strtod(text.c_str(), nullptr)) ? std::string("expected a number")
                                                              : std::string();
      })
      ->capture_default_str();
  cmd->add_flag("--no-plots", report.no_plots, "Tables only");
  cmd->footer(
      "Examples:\n  tcsim report results/integration_models.h5\n"
      "  tcsim report results/integration_models.h5 --baseline 'direct_provision, "
      "productivity_gain=0' --out results/report");
  return {cmd, [args] { return report_command(*args); }};
}

Command register_merge(CLI::App& app) {
  auto args = std::make_shared<MergeArguments>();
  CLI::App* cmd = app.add_subcommand(
      "merge", "Merge the results files of one experiment's shards into one results file");
  cmd->add_option("files", args->inputs, "Results files of the shards")->required();
  cmd->add_option("--out", args->out, "The merged results file")->required();
  cmd->add_flag("--require-complete", args->require_complete,
                "Refuse (exit 3) if some task is in none of the files");
  cmd->footer(
      "Example:\n  tcsim merge results/x.shard-*-of-8.h5 --out results/x.h5 "
      "--require-complete");
  return {cmd, [args] { return merge_command(*args); }};
}

}  // namespace tcsim::cli

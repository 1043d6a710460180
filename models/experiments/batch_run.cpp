#include "tcsim/models/experiments/batch_run.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "tcsim/models/config/input_digest.hpp"
#include "tcsim/models/network/network_builder.hpp"
#include "tcsim/models/network/stability.hpp"
#include "tcsim/models/results/results_file.hpp"
#include "tcsim/models/results/results_journal.hpp"
#include "tcsim/models/run/replication.hpp"
#include "tcsim/sim/network_simulation.hpp"
#include "tcsim/sim/replication_runner.hpp"

namespace tcsim::models {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// What a journal or results file must match to be continued: the same texts and version.
struct Identity {
  std::string version;
  std::string experiment;
  std::string scenario;
  std::string models;
  std::string shard = "1/1";
  std::string inputs;  // inputs_text() of every other file read

  [[nodiscard]] std::string text() const {
    return fmt::format(
        "version: {}\nshard: {}\n--- experiment\n{}\n--- scenario\n{}\n--- models\n{}"
        "\n--- inputs\n{}",
        version, shard, experiment, scenario, models, inputs);
  }
  /// What differs from `other`, or "" if nothing.
  [[nodiscard]] std::string difference(const Identity& other) const {
    if (experiment != other.experiment) return "the experiment file has changed";
    if (scenario != other.scenario) return "the base scenario file has changed";
    if (models != other.models) return "the integration models file has changed";
    if (const std::string changed =
            first_changed_input(parse_inputs_text(other.inputs), parse_inputs_text(inputs));
        !changed.empty()) {
      return fmt::format("the input file '{}' has changed", changed);
    }
    if (shard != other.shard) return fmt::format("it is shard {}, not {}", other.shard, shard);
    if (version != other.version) {
      return fmt::format("it was written by {}, this is {}", other.version, version);
    }
    return "";
  }
};

Identity parse_identity(const std::string& text) {
  Identity id;
  const auto section = [&text](const std::string& head, const std::string& next) {
    const auto from = text.find(head);
    if (from == std::string::npos) return std::string{};
    const auto start = from + head.size();
    const auto end = next.empty() ? text.size() : text.find(next, start);
    return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  };
  const auto line_end = text.find('\n');
  if (text.starts_with("version: ") && line_end != std::string::npos)
    id.version = text.substr(9, line_end - 9);
  const auto shard = text.find("\nshard: ");
  if (shard != std::string::npos && shard < text.find("\n--- experiment\n")) {
    const auto from = shard + 8;
    id.shard = text.substr(from, text.find('\n', from) - from);
  }
  id.experiment = section("\n--- experiment\n", "\n--- scenario\n");
  id.scenario = section("\n--- scenario\n", "\n--- models\n");
  id.models = section("\n--- models\n", "\n--- inputs\n");
  id.inputs = section("\n--- inputs\n", "");
  return id;
}

/// One design point, ready to simulate.
struct PreparedPoint {
  BuiltNetwork network;
  Scenario scenario;
};

std::vector<PreparedPoint> prepare(const Experiment& e, const IntegrationModels* models,
                                   unsigned threads) {
  // Loading, checking and building each design point is independent: on threads, in order.
  struct Prepared {
    PreparedPoint point;
    std::string unstable;  // the unstable settings, if any
  };
  std::vector<Prepared> prepared =
      sim::run_replications(e.points.size(), threads, [&](std::size_t i) {
        Prepared p;
        p.point.scenario = design_point_scenario(e, i, models);
        if (!e.allow_unstable) {
          const StabilityReport stability = analyse_stability(p.point.scenario);
          if (!stability.stable()) p.unstable = stability.unstable_settings();
        }
        p.point.network = build_network(p.point.scenario);
        sim::validate(p.point.network.spec);
        return p;
      });
  std::vector<PreparedPoint> points;
  for (std::size_t i = 0; i < prepared.size(); ++i) {
    if (!prepared[i].unstable.empty()) {
      throw BatchRefused(fmt::format(
          "design point '{}' is unstable: {} (set allow_unstable: true to run it anyway)",
          e.points[i].name, prepared[i].unstable));
    }
    points.push_back(std::move(prepared[i].point));
  }
  if (e.time_series) {
    for (const PreparedPoint& p : points) {
      if (p.scenario.settings.size() != points.front().scenario.settings.size()) {
        throw BatchRefused(
            "time_series: every design point must have the same settings (a factor changes them)");
      }
    }
  }
  return points;
}

TaskResult run_task(const Experiment& e, const PreparedPoint& p, std::int64_t point,
                    std::int64_t replication, std::uint64_t& events) {
  TaskResult task;
  task.design_point = point;
  task.replication = replication;
  ReplicationOutcome outcome = run_replication(
      p.scenario, p.network, e.seed, static_cast<std::uint64_t>(replication), e.time_series);
  events = outcome.events;
  if (e.time_series) {
    task.days = outcome.days;
    task.settings = p.network.spec.stations.size();
    task.occupancy = std::move(outcome.occupancy);
    task.delayed = std::move(outcome.delayed);
  }
  for (MetricValue& m : outcome.metrics) {
    if (metric_selected(e, m.scope + "." + m.name)) task.metrics.push_back(std::move(m));
  }
  return task;
}

ResultsMetadata metadata(const Experiment& e, const std::vector<PreparedPoint>& points,
                         const BatchOptions& options) {
  const std::string& version = options.version;
  ResultsMetadata m;
  m.shard_index = options.shard_index;
  m.shard_count = options.shard_count;
  m.tcsim_version = version;
  m.experiment_name = e.name;
  m.design_kind = design_kind_name(e.design);
  m.experiment_text = e.text;
  m.scenario_text = e.scenario_text;
  m.models_text = e.models_text;
  m.inputs_text = inputs_text(e.input_files);
  m.seed = e.seed;
  m.replications = e.replications;
  for (const DesignPoint& p : e.points) {
    m.point_names.push_back(p.name);
    m.point_models.push_back(p.model);
  }
  for (std::size_t f = 0; f < e.factors.size(); ++f) {
    m.factor_names.push_back(e.factors[f].path);
    m.factor_values.emplace_back();
    for (const DesignPoint& p : e.points)
      m.factor_values.back().push_back(p.values[f]);
  }
  if (e.time_series && !points.empty()) {
    for (const Setting& s : points.front().scenario.settings) {
      m.settings.push_back(s.name);
      m.services.push_back(s.service);
    }
  }
  return m;
}

/// Completed tasks handed from the workers to the thread that writes them.
class Outbox {
 public:
  void put(TaskResult t) {
    {
      const std::lock_guard lock(mutex_);
      pending_.push_back(std::move(t));
    }
    ready_.notify_one();
  }
  void fail(std::exception_ptr e) {
    {
      const std::lock_guard lock(mutex_);
      if (!failure_) failure_ = std::move(e);
    }
    ready_.notify_one();
  }
  void finish_worker() {
    {
      const std::lock_guard lock(mutex_);
      ++finished_workers_;
    }
    ready_.notify_one();
  }
  /// Waits until `deadline` or until every worker has finished; returns what is pending.
  std::vector<TaskResult> take(Clock::time_point deadline, unsigned workers, bool& all_finished,
                               std::exception_ptr& failure) {
    std::unique_lock lock(mutex_);
    ready_.wait_until(lock, deadline, [&] { return finished_workers_ == workers; });
    all_finished = finished_workers_ == workers;
    failure = failure_;
    return std::exchange(pending_, {});
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<TaskResult> pending_;
  std::exception_ptr failure_;
  unsigned finished_workers_ = 0;
};

/// What earlier runs to the same output left - nothing, a journal to continue, or a finished
/// file (which --resume leaves alone) - and the journal this run writes, locked.
struct Earlier {
  std::optional<JournalWriter> journal;
  bool created = false;  // the journal is new: removed if the run fails before any task runs
  std::set<TaskId> done;
  bool complete = false;
};

BatchRefused busy(const std::string& journal_path, const std::string& holder) {
  return BatchRefused(fmt::format(
      "'{}' is being written by a batch that is still running ({}); wait for it to finish, or "
      "stop it and run again with --resume",
      journal_path, holder.empty() ? "another process" : holder));
}

/// Continues the journal `writer` holds: refused if it is of another run.
void continue_journal(JournalWriter& writer, const Identity& identity, Earlier& earlier) {
  JournalContents contents;
  try {
    contents = writer.read();
  } catch (const JournalError& error) {
    throw BatchRefused(error.what());  // not ours to continue or overwrite
  }
  if (contents.header_torn) {
    // Killed before its header was written: it holds no task, so start afresh.
    writer.start_afresh(identity.text());
    return;
  }
  const std::string why = identity.difference(parse_identity(contents.identity));
  if (!why.empty()) {
    throw BatchRefused(
        fmt::format("cannot resume from '{}': {}; run to another --out", writer.path(), why));
  }
  for (const TaskResult& t : contents.tasks)
    earlier.done.emplace(t.design_point, t.replication);
  writer.resume(contents);
}

/// A finished results file: --resume has nothing to do if it is of this run.
void check_finished_file(const BatchOptions& options, const std::string& journal_path,
                         const Identity& identity) {
  ResultsFile file;
  try {
    file = read_results_file(options.output);
  } catch (const ResultsFileError& error) {
    throw BatchRefused(fmt::format("cannot resume '{}': {}", options.output, error.what()));
  }
  const Identity found{file.meta.tcsim_version,
                       file.meta.experiment_text,
                       file.meta.scenario_text,
                       file.meta.models_text,
                       fmt::format("{}/{}", file.meta.shard_index, file.meta.shard_count),
                       file.meta.inputs_text};
  const std::string why = identity.difference(found);
  if (!why.empty()) {
    throw BatchRefused(
        fmt::format("cannot resume '{}': {}; run to another --out", options.output, why));
  }
  if (!file.complete) {
    throw BatchRefused(
        fmt::format("'{}' is incomplete and its journal '{}' is gone; run to another --out",
                    options.output, journal_path));
  }
}

/// Takes the output over: the journal locked (continued or new), or a finished file found.
/// Refused if another batch is writing it, or if it exists and `resume` is not set.
Earlier take_over_output(const BatchOptions& options, const std::string& journal_path,
                         const Identity& identity) {
  namespace fs = std::filesystem;
  // Another batch may finish (removing its journal) or start (creating one) while this one
  // looks: each such race sends it round again.
  for (int attempt = 0; attempt < 5; ++attempt) {
    Earlier earlier;
    if (fs::exists(journal_path)) {
      if (const std::string holder = journal_holder(journal_path); !holder.empty())
        throw busy(journal_path, holder);
      if (!options.resume) {
        throw BatchRefused(fmt::format(
            "'{}' already exists; add --resume to continue that run, or choose another --out",
            journal_path));
      }
      try {
        earlier.journal = JournalWriter::open_existing(journal_path);
      } catch (const JournalBusy&) {
        throw busy(journal_path, journal_holder(journal_path));
      }
      if (!earlier.journal) continue;
      continue_journal(*earlier.journal, identity, earlier);
      return earlier;
    }
    if (fs::exists(options.output)) {
      if (!options.resume) {
        throw BatchRefused(fmt::format(
            "'{}' already exists; add --resume to continue that run, or choose another --out",
            options.output));
      }
      check_finished_file(options, journal_path, identity);
      earlier.complete = true;
      return earlier;
    }
    try {
      earlier.journal = JournalWriter::create(journal_path, identity.text());
      earlier.created = true;
      return earlier;
    } catch (const JournalBusy&) {
    }
  }
  throw busy(journal_path, journal_holder(journal_path));
}

/// Refuses to replace the journal by a results file that lacks a task of the run: the journal
/// may have been changed behind this run's back (by a process that ignores its lock).
void check_journal_complete(const JournalWriter& journal, const JournalContents& all,
                            const std::vector<TaskId>& expected) {
  const auto kept = [&journal](const std::string& why) {
    return JournalError(fmt::format(
        "{}; the results file was not written and the journal '{}' is kept as it is: check "
        "that no other process writes it, then run again with --resume",
        why, journal.path()));
  };
  if (!journal.still_named()) {
    throw kept(
        "the journal this run wrote is no longer at its name (another process replaced "
        "or removed it)");
  }
  std::set<TaskId> present;
  for (const TaskResult& t : all.tasks)
    present.emplace(t.design_point, t.replication);
  std::size_t missing = 0;
  const TaskId* first = nullptr;
  for (const TaskId& task : expected) {
    if (present.contains(task)) continue;
    if (!first) first = &task;
    ++missing;
  }
  if (missing > 0) {
    throw kept(fmt::format(
        "the journal holds {} of the {} tasks of this run ({} missing, the first design point "
        "{} replication {}); another process changed it",
        expected.size() - missing, expected.size(), missing, first->first, first->second));
  }
}

using Flush = std::function<void(const std::vector<TaskResult>&)>;

/// Runs `todo` on `threads` workers while the calling thread hands each flush's completed
/// tasks to `flush` (at least every flush_seconds), answers remote workers, watches for a stop
/// signal and reports progress. run() rethrows the first failure, after flushing what
/// completed before it.
class TaskLoop {
 public:
  TaskLoop(const Experiment& e, const std::vector<PreparedPoint>& points,
           const std::vector<TaskId>& todo, unsigned threads, const BatchOptions& options,
           BatchSummary& summary, const Flush& flush)
      : e_(e),
        points_(points),
        todo_(todo),
        threads_(threads),
        options_(options),
        summary_(summary),
        flush_(flush),
        remote_busy_(options.remote != nullptr) {}

  void run() {
    for (unsigned w = 0; w < threads_; ++w)
      pool_.emplace_back([this] { work(); });
    std::exception_ptr failure;
    try {
      failure = coordinate();
    } catch (...) {
      failure = std::current_exception();
      try {
        flush_pending();  // what completed before the failure is kept, if the journal allows
      } catch (...) {
      }
    }
    stop_ = true;
    for (std::thread& t : pool_)
      t.join();
    if (failure) std::rethrow_exception(failure);
    summary_.events = events_;
  }

 private:
  /// One worker: takes the next task from the shared list until none is left or a stop.
  void work() {
    for (std::size_t i = next_++; i < todo_.size() && !stop_; i = next_++) {
      try {
        std::uint64_t task_events = 0;
        outbox_.put(run_task(e_, points_[static_cast<std::size_t>(todo_[i].first)], todo_[i].first,
                             todo_[i].second, task_events));
        events_ += task_events;
      } catch (...) {
        outbox_.fail(std::current_exception());
        stop_ = true;
      }
    }
    outbox_.finish_worker();
  }

  /// How long to wait for completed tasks before looking again: remote workers are answered
  /// every few milliseconds, a stop signal is looked at every 0.1 s.
  [[nodiscard]] Clock::duration wait_time() const {
    Clock::duration wait = options_.on_progress
                               ? std::min<Clock::duration>(flush_every(), kProgressEvery)
                               : flush_every();
    if (options_.stop_signal) {
      wait = std::min<Clock::duration>(wait, std::chrono::milliseconds(100));
    }
    if (options_.remote) wait = std::chrono::milliseconds(2);
    return wait;
  }

  [[nodiscard]] Clock::duration flush_every() const {
    return std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(options_.flush_seconds));
  }

  /// Up to `n` tasks from the shared list for a remote worker.
  std::vector<TaskId> take(std::size_t n) {
    std::vector<TaskId> chunk;
    if (stop_) return chunk;
    const std::size_t first = next_.fetch_add(n);  // past the end is harmless: workers check
    for (std::size_t i = first; i < std::min(todo_.size(), first + n); ++i)
      chunk.push_back(todo_[i]);
    return chunk;
  }

  /// Completed tasks, local and remote, wait in pending_ for the next flush: one write and
  /// fsync at most every flush_seconds (and at the end, or before a failure is reported).
  void flush_pending() {
    if (!pending_.empty()) flush_(pending_);
    pending_.clear();
    last_flush_ = Clock::now();
  }

  /// Collects, flushes and reports until every task is done; the failure that ended it early
  /// (a worker's, or a stop signal), if any.
  std::exception_ptr coordinate() {
    const Clock::duration wait = wait_time();
    bool all_finished = false;
    while (!all_finished || remote_busy_) {
      std::exception_ptr worker_failure;
      std::vector<TaskResult> local =
          outbox_.take(Clock::now() + wait, threads_, all_finished, worker_failure);
      if (remote_busy_ && all_finished && local.empty())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));  // only remote work is left
      keep(std::move(local));
      if (remote_busy_) {
        remote_busy_ = options_.remote->poll(
            [this](std::size_t n) { return take(n); },
            [this](std::vector<TaskResult> results) { keep(std::move(results)); });
      }
      const bool done = all_finished && !remote_busy_;
      if (done || worker_failure || Clock::now() - last_flush_ >= flush_every()) flush_pending();
      if (worker_failure) return worker_failure;
      if (options_.stop_signal && options_.stop_signal->load() != 0) return stopped();
      if (options_.on_progress && (done || Clock::now() - last_progress_ >= kProgressEvery)) {
        report_progress();
      }
    }
    return nullptr;
  }

  void keep(std::vector<TaskResult> results) {
    summary_.tasks_run += static_cast<std::int64_t>(results.size());
    for (TaskResult& r : results)
      pending_.push_back(std::move(r));
  }

  /// A stop signal arrived: what completed is flushed, and the caller told where it stopped.
  std::exception_ptr stopped() {
    flush_pending();
    BatchStop where{options_.stop_signal->load(), summary_.tasks_from_journal + summary_.tasks_run,
                    summary_.tasks_total,
                    options_.output.empty() ? "" : options_.output + ".journal"};
    if (options_.on_stopped) options_.on_stopped(where);
    return std::make_exception_ptr(BatchStopped(std::move(where)));
  }

  void report_progress() {
    last_progress_ = Clock::now();
    BatchProgress p;
    p.done = summary_.tasks_from_journal + summary_.tasks_run;
    p.total = summary_.tasks_total;
    const double elapsed = seconds_since(run_start_);
    p.runs_per_second = elapsed > 0 ? static_cast<double>(summary_.tasks_run) / elapsed : 0.0;
    p.seconds_left =
        p.runs_per_second > 0 ? static_cast<double>(p.total - p.done) / p.runs_per_second : 0.0;
    options_.on_progress(p);
  }

  static constexpr auto kProgressEvery = std::chrono::milliseconds(500);

  const Experiment& e_;
  const std::vector<PreparedPoint>& points_;
  const std::vector<TaskId>& todo_;
  unsigned threads_;
  const BatchOptions& options_;
  BatchSummary& summary_;
  const Flush& flush_;
  Outbox outbox_;
  std::atomic<std::size_t> next_{0};  // local threads and remote workers take from one list
  std::atomic<std::uint64_t> events_{0};
  std::atomic<bool> stop_{false};
  std::vector<std::thread> pool_;
  std::vector<TaskResult> pending_;
  bool remote_busy_;
  Clock::time_point run_start_ = Clock::now();
  Clock::time_point last_progress_{};
  Clock::time_point last_flush_ = Clock::now();
};

}  // namespace

namespace {

/// The tasks of this run (of its shard), replication-major: an interrupted run has some
/// replications of every design point.
std::vector<TaskId> tasks_of_run(const Experiment& e, const BatchOptions& options) {
  std::vector<TaskId> tasks;
  const auto points = static_cast<std::int64_t>(e.points.size());
  for (std::int64_t r = 0; r < e.replications; ++r) {
    for (std::int64_t p = 0; p < points; ++p) {
      if ((r * points + p) % options.shard_count == options.shard_index - 1)
        tasks.emplace_back(p, r);
    }
  }
  return tasks;
}

/// Builds the results file from the journal once every task is in it, then removes the
/// journal (still holding its lock, so no other batch can take it over in between).
void write_results(const Experiment& e, const std::vector<PreparedPoint>& points,
                   const BatchOptions& options, std::optional<JournalWriter>& journal,
                   const std::vector<TaskId>& expected) {
  JournalContents all = journal->read();
  check_journal_complete(*journal, all, expected);
  try {
    write_results_file(options.output, metadata(e, points, options),
                       tabulate(std::move(all.tasks), points.front().scenario.settings.size()));
  } catch (const std::runtime_error& error) {
    throw JournalError(
        fmt::format("{} - the journal '{}' still holds every task", error.what(), journal->path()));
  }
  std::filesystem::remove(journal->path());  // the results file now holds everything it had
  journal.reset();
}

}  // namespace

BatchSummary run_batch(const Experiment& e, const IntegrationModels* models,
                       const BatchOptions& options) {
  const auto start = Clock::now();
  BatchSummary summary;
  const Identity identity{options.version,
                          e.text,
                          e.scenario_text,
                          e.models_text,
                          fmt::format("{}/{}", options.shard_index, options.shard_count),
                          inputs_text(e.input_files)};
  const std::vector<TaskId> tasks = tasks_of_run(e, options);
  summary.tasks_total = static_cast<std::int64_t>(tasks.size());
  const bool writing = !options.output.empty();

  Earlier earlier;
  if (writing) earlier = take_over_output(options, options.output + ".journal", identity);
  if (earlier.complete) {
    summary.already_complete = true;
    summary.tasks_from_journal = summary.tasks_total;
    summary.wall_seconds = seconds_since(start);
    return summary;
  }

  unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
  std::vector<PreparedPoint> points;
  try {
    points = prepare(e, models, threads);
  } catch (...) {
    // Nothing ran: leave no journal behind that would ask for --resume.
    if (earlier.created) std::filesystem::remove(earlier.journal->path());
    throw;
  }
  std::vector<TaskId> todo;
  for (const TaskId& task : tasks) {
    if (!earlier.done.contains(task)) todo.push_back(task);
  }
  summary.tasks_from_journal = summary.tasks_total - static_cast<std::int64_t>(todo.size());

  threads = static_cast<unsigned>(
      std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(todo.size(), 1)));
  std::optional<JournalWriter>& journal = earlier.journal;
  const Flush to_journal = [&](const std::vector<TaskResult>& batch) {
    if (!journal) return;
    const auto write_start = Clock::now();
    journal->append(batch);
    summary.write_seconds += seconds_since(write_start);
  };
  TaskLoop(e, points, todo, threads, options, summary, to_journal).run();

  if (writing) {
    const auto write_start = Clock::now();
    write_results(e, points, options, journal, tasks);
    summary.write_seconds += seconds_since(write_start);
  }
  summary.wall_seconds = seconds_since(start);
  return summary;
}

struct TaskRunner::Prepared {
  std::vector<PreparedPoint> points;
};

TaskRunner::TaskRunner(const Experiment& experiment, const IntegrationModels* models,
                       unsigned threads)
    : experiment_(experiment),
      threads_(threads ? threads : std::thread::hardware_concurrency()),
      prepared_(std::make_unique<Prepared>(Prepared{prepare(experiment, models, threads_)})) {}

TaskRunner::~TaskRunner() = default;

std::vector<TaskResult> TaskRunner::run(const std::vector<TaskId>& tasks) {
  return sim::run_replications(tasks.size(), threads_, [&](std::size_t i) {
    std::uint64_t events = 0;
    const auto [point, replication] = tasks[i];
    return run_task(experiment_, prepared_->points.at(static_cast<std::size_t>(point)), point,
                    replication, events);
  });
}

}  // namespace tcsim::models

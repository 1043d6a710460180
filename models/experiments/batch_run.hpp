#pragma once
// Runs an experiment's tasks (design point x replication) on a pool of threads and keeps what
// they produce safe: completed tasks go to the journal (models/results/results_journal.hpp) at
// every flush; when all are done the results file is built from the journal (results_file.hpp).
// Each task's random numbers depend only on (master seed, replication, purpose), so the results are
// the same whatever the thread count, the order or a resume - and design points share streams
// (common random numbers).

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "tcsim/models/experiments/experiment.hpp"
#include "tcsim/models/policy/integration_model.hpp"
#include "tcsim/models/results/task_result.hpp"

namespace tcsim::models {

/// The batch would overwrite or mix results (an existing file without resume, or a journal of
/// another experiment): nothing was run or written.
struct BatchRefused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Where a run asked to stop (by a signal) left off: every task completed by then is in the
/// journal.
struct BatchStop {
  int signal = 0;
  std::int64_t tasks_safe = 0;  // in the journal, this run's and earlier runs'
  std::int64_t tasks_total = 0;
  std::string journal;  // its path ("" when not writing)
};

/// Thrown by run_batch after a stop, once the running tasks have ended.
struct BatchStopped : std::runtime_error {
  explicit BatchStopped(BatchStop where)
      : std::runtime_error("the batch was stopped by a signal"), stop(std::move(where)) {}
  BatchStop stop;
};

/// A task: (design point, replication).
using TaskId = std::pair<std::int64_t, std::int64_t>;

/// Other processes taking tasks too (MPI ranks), served by the thread that writes results:
/// run_batch polls it between flushes. `take(n)` hands out up to n tasks not yet taken (none
/// when all are); `deliver` receives the results a remote worker sends back.
class RemoteWorkers {
 public:
  virtual ~RemoteWorkers() = default;
  /// Serves what has arrived without waiting long; returns true while a remote worker is still
  /// busy or has not yet been told there is nothing left. Throws if a remote worker failed.
  virtual bool poll(const std::function<std::vector<TaskId>(std::size_t)>& take,
                    const std::function<void(std::vector<TaskResult>)>& deliver) = 0;
};

/// Runs tasks handed to this process (an MPI rank that is not the coordinator): the design
/// points are prepared once, as run_batch does.
class TaskRunner {
 public:
  TaskRunner(const Experiment& experiment, const IntegrationModels* models, unsigned threads);
  TaskRunner(const TaskRunner&) = delete;
  TaskRunner& operator=(const TaskRunner&) = delete;
  ~TaskRunner();
  [[nodiscard]] std::vector<TaskResult> run(const std::vector<TaskId>& tasks);

 private:
  struct Prepared;
  const Experiment& experiment_;
  unsigned threads_;
  std::unique_ptr<Prepared> prepared_;
};

struct BatchProgress {
  std::int64_t done = 0;  // tasks completed, the journal's earlier ones included
  std::int64_t total = 0;
  double runs_per_second = 0.0;  // of this run's tasks
  double seconds_left = 0.0;
};

struct BatchOptions {
  std::string output;    // results file; "" runs without writing anything (for benchmarks)
  unsigned threads = 0;  // 0: one per core
  bool resume = false;
  /// Run only shard `shard_index` (1-based) of `shard_count`: task k = replication x design
  /// points + design point when k % shard_count == shard_index - 1 (for job arrays).
  std::int64_t shard_index = 1;
  std::int64_t shard_count = 1;
  std::string version;         // tcsim version, recorded and checked on resume
  double flush_seconds = 2.0;  // the longest a completed task waits to reach the journal
  std::function<void(const BatchProgress&)> on_progress;  // called from the calling thread
  RemoteWorkers* remote = nullptr;  // other processes sharing the tasks (MPI), or none
  /// Polled by the thread that writes results (at least every 0.1 s): a signal's number when
  /// the run must stop (SIGTERM, SIGINT), else 0. Then what has completed is flushed and
  /// on_stopped called - it may end the process at once, without waiting for the tasks still
  /// running; if it returns (or is unset), they are waited for and BatchStopped thrown.
  const std::atomic<int>* stop_signal = nullptr;
  std::function<void(const BatchStop&)> on_stopped;
};

struct BatchSummary {
  std::int64_t tasks_total = 0;         // of this run (the shard's, for a shard)
  std::int64_t tasks_from_journal = 0;  // completed by an earlier, interrupted run
  std::int64_t tasks_run = 0;
  bool already_complete = false;  // --resume of a finished file: nothing to do
  std::uint64_t events = 0;       // over the tasks run now
  double wall_seconds = 0.0;
  double write_seconds = 0.0;  // journal appends and building the results file
};

/// Runs the missing tasks. Throws BatchRefused (exit 3), JournalError or std::runtime_error
/// (an unwritable path or failed write: every task flushed before is kept for --resume), or
/// sim::SimulationStopped.
BatchSummary run_batch(const Experiment& experiment, const IntegrationModels* models,
                       const BatchOptions& options);

}  // namespace tcsim::models

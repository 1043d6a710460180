#include "mpi_batch.hpp"

#include <mpi.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "tcsim/models/config/integration_models_file.hpp"
#include "tcsim/models/experiments/batch_run.hpp"
#include "tcsim/models/experiments/experiment.hpp"
#include "tcsim/models/results/results_journal.hpp"

namespace tcsim::cli {
namespace {

// Messages: a worker sends its last chunk's results (empty at first) to ask for work; rank 0
// answers with the next chunk as (design point, replication) pairs, or an empty chunk: stop.
constexpr int kResultsTag = 1;
constexpr int kWorkTag = 2;

/// Rank 0's view of the other ranks.
class RankWorkers : public models::RemoteWorkers {
 public:
  RankWorkers(int ranks, std::size_t chunk) : active_(ranks - 1), chunk_(chunk) {}

  bool poll(const std::function<std::vector<models::TaskId>(std::size_t)>& take,
            const std::function<void(std::vector<models::TaskResult>)>& deliver) override {
    for (;;) {
      int arrived = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, kResultsTag, MPI_COMM_WORLD, &arrived, &status);
      if (!arrived) break;
      int bytes = 0;
      MPI_Get_count(&status, MPI_BYTE, &bytes);
      std::string block(static_cast<std::size_t>(bytes), '\0');
      MPI_Recv(block.data(), bytes, MPI_BYTE, status.MPI_SOURCE, kResultsTag, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
      if (!block.empty()) deliver(models::decode_tasks(block));
      const std::vector<models::TaskId> chunk = take(chunk_);
      std::vector<std::int64_t> flat;
      for (const auto& [point, replication] : chunk) {
        flat.push_back(point);
        flat.push_back(replication);
      }
      MPI_Send(flat.data(), static_cast<int>(flat.size()), MPI_INT64_T, status.MPI_SOURCE, kWorkTag,
               MPI_COMM_WORLD);
      if (chunk.empty()) --active_;
    }
    return active_ > 0;
  }

  /// Tells every rank still waiting that there is nothing to do: needed when the batch ends
  /// without handing out work (e.g. --resume of a finished file), or the ranks would wait on.
  void stop_all() {
    while (active_ > 0) {
      MPI_Status status;
      MPI_Probe(MPI_ANY_SOURCE, kResultsTag, MPI_COMM_WORLD, &status);
      int bytes = 0;
      MPI_Get_count(&status, MPI_BYTE, &bytes);
      std::string block(static_cast<std::size_t>(bytes), '\0');
      MPI_Recv(block.data(), bytes, MPI_BYTE, status.MPI_SOURCE, kResultsTag, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
      MPI_Send(nullptr, 0, MPI_INT64_T, status.MPI_SOURCE, kWorkTag, MPI_COMM_WORLD);
      --active_;
    }
  }

 private:
  int active_;  // ranks not yet told to stop
  std::size_t chunk_;
};

/// A rank other than 0: asks for chunks and runs them until told to stop.
int work(const BatchArguments& args) {
  const models::Experiment experiment =
      models::load_experiment(args.experiment, shipped_config("integration_models.yaml"),
                              models::InputOptions{args.confine_inputs});
  std::optional<models::IntegrationModels> models;
  if (!experiment.models_file.empty())
    models = models::load_integration_models(experiment.models_file);
  models::TaskRunner runner(experiment, models ? &*models : nullptr, args.threads);
  std::string results;
  for (;;) {
    MPI_Send(results.data(), static_cast<int>(results.size()), MPI_BYTE, 0, kResultsTag,
             MPI_COMM_WORLD);
    MPI_Status status;
    MPI_Probe(0, kWorkTag, MPI_COMM_WORLD, &status);
    int count = 0;
    MPI_Get_count(&status, MPI_INT64_T, &count);
    std::vector<std::int64_t> flat(static_cast<std::size_t>(count));
    MPI_Recv(flat.data(), count, MPI_INT64_T, 0, kWorkTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (flat.empty()) return kOk;
    std::vector<models::TaskId> chunk;
    for (std::size_t i = 0; i + 1 < flat.size(); i += 2)
      chunk.emplace_back(flat[i], flat[i + 1]);
    results = models::encode_tasks(runner.run(chunk));
  }
}

}  // namespace

int mpi_batch_command(const BatchArguments& args) {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  int rank = 0;
  int ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  int code = kOk;
  if (ranks == 1) {
    code = guarded([&] { return batch_command(args); });
  } else {
    BatchArguments per_rank = args;
    if (per_rank.threads == 0) per_rank.threads = 1;  // one process per core is the MPI way
    if (rank == 0) {
      RankWorkers workers(ranks, args.chunk);
      code = guarded([&] { return batch_command(per_rank, &workers); });
      if (code == kOk) workers.stop_all();
    } else {
      code = guarded([&] { return work(per_rank); });
    }
  }
  // A failed rank stops them all with its exit code (the others may be waiting on it); the
  // journal of rank 0 keeps every task flushed, for --resume.
  if (code != kOk && ranks > 1) MPI_Abort(MPI_COMM_WORLD, code);
  MPI_Finalize();
  return code;
}

}  // namespace tcsim::cli

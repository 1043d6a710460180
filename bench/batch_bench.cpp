// Batch throughput (tasks/s) of models::run_batch: on 1 and 2 threads, and with and without
// writing results (journal + HDF5 summary file), on an experiment of the example area - the
// two performance goals of batch experiments:
//   2 threads >= 1.8 x one thread;  writing adds < 5% to a run that keeps only summaries.
// Wall time (UseRealTime): the threads' work is what is measured.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <benchmark/benchmark.h>
#include <unistd.h>

#include "tcsim/models/experiments/batch_run.hpp"
#include "tcsim/models/experiments/experiment.hpp"

namespace {

using namespace tcsim;

const std::string kSource = TCSIM_SOURCE_DIR;

/// 2 integration models x 2 productivity levels x 50 replications = 200 tasks of one year: a
/// few seconds, so fixed costs (creating and syncing files) weigh as little as in a real batch.
const models::Experiment& experiment() {
  static const models::Experiment e = [] {
    const std::filesystem::path file =
        std::filesystem::temp_directory_path() /
        ("tcsim_batch_bench_" + std::to_string(::getpid()) + ".yaml");
    std::ofstream(file) << "name: batch bench\nscenario: " << kSource
                        << "/configs/examples/area.yaml\n"
                           "models: [direct_provision, vertical_acute]\n"
                           "factors:\n  productivity_gain: {levels: [0, 0.1]}\n"
                           "  run.horizon: {levels: [365]}\n  run.warmup: {levels: [90]}\n"
                           "replications: 50\nseed: 1\noutput: unused.h5\n";
    models::Experiment loaded =
        models::load_experiment(file.string(), kSource + "/configs/integration_models.yaml");
    std::filesystem::remove(file);
    return loaded;
  }();
  return e;
}

const models::IntegrationModels& integration_models() {
  static const models::IntegrationModels m =
      models::load_integration_models(kSource + "/configs/integration_models.yaml");
  return m;
}

void run(benchmark::State& state, bool write) {
  const auto threads = static_cast<unsigned>(state.range(0));
  const std::string out = (std::filesystem::temp_directory_path() /
                           ("tcsim_batch_bench_" + std::to_string(::getpid()) + ".h5"))
                              .string();
  std::int64_t tasks = 0;
  for (auto _ : state) {
    models::BatchOptions options;
    options.threads = threads;
    options.output = write ? out : "";
    options.version = "bench";
    const models::BatchSummary s = models::run_batch(experiment(), &integration_models(), options);
    tasks += s.tasks_run;
    state.PauseTiming();
    std::filesystem::remove(out);
    state.ResumeTiming();
  }
  state.counters["tasks/s"] =
      benchmark::Counter(static_cast<double>(tasks), benchmark::Counter::kIsRate);
}

void BM_BatchNoOutput(benchmark::State& state) {
  run(state, false);
}
void BM_BatchWritingSummaries(benchmark::State& state) {
  run(state, true);
}

}  // namespace

BENCHMARK(BM_BatchNoOutput)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BatchWritingSummaries)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();

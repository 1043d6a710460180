#pragma once
// `tcsim batch` (an experiment's tasks on threads, into an HDF5 results file that survives a
// crash), `tcsim report` (tables and plots from a results file) and `tcsim run --out FILE.h5`.

#include <optional>
#include <string>
#include <vector>

#include "tcsim/models/experiments/batch_run.hpp"
#include "tcsim/models/run/scenario_run.hpp"
#include "tcsim/models/scenario/scenario.hpp"

namespace tcsim::cli {

struct BatchArguments {
  std::string experiment;
  std::optional<std::string> out;
  unsigned threads = 0;
  bool resume = false;
  bool quiet = false;
  std::optional<std::string> shard;  // "i/n"
  std::size_t chunk = 4;             // tasks per message to an MPI rank
  bool confine_inputs = false;       // --confine-inputs (models::InputOptions::confine)
};

struct MergeArguments {
  std::vector<std::string> inputs;
  std::string out;
  bool require_complete = false;
};

struct ReportArguments {
  std::string results;
  std::optional<std::string> baseline;
  std::optional<std::string> out;
  double precision = 0.05;
  bool no_plots = false;
};

/// `remote`: other MPI ranks sharing the tasks (this process coordinates), or none.
int batch_command(const BatchArguments& args, models::RemoteWorkers* remote = nullptr);
int report_command(const ReportArguments& args);
int merge_command(const MergeArguments& args);

/// True when `--out` names a results file rather than a folder.
[[nodiscard]] bool is_results_file(const std::string& out);
/// Refuses (exit 3) if `path` exists and checks its folder can be written, before a run.
void check_new_results_file(const std::string& path);
/// Writes a `tcsim run` as a results file: one design point, the run's replications.
void write_run_results(const std::string& path, const models::Scenario& scenario,
                       const models::RunReport& report);

}  // namespace tcsim::cli

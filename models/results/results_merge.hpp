#pragma once
// `tcsim merge`: results files of one experiment's shards (`tcsim batch --shard i/n`, e.g. a
// Slurm job array) into one file, the same as a single run would have written. Files must be
// of the same experiment (experiment, scenario and models texts, seed, tcsim version) and may
// not share a task; tasks missing from all of them are listed.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "tcsim/models/results/results_file.hpp"

namespace tcsim::models {

/// The files do not belong together (another experiment, or a task in two files).
struct MergeRefused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct MergedResults {
  ResultsFile file;  // every task of the inputs, as one unsharded file
  std::vector<std::pair<std::int64_t, std::int64_t>> missing;  // (design point, replication)
};

/// Reads and merges `paths`; throws MergeRefused, or ResultsFileError for a file that cannot be
/// read (missing, damaged, not a results file).
[[nodiscard]] MergedResults merge_results(const std::vector<std::string>& paths);

/// "design point 3 (name) replication 7, ..." - the first `most`, then how many more.
[[nodiscard]] std::string describe_tasks(
    const ResultsMetadata& meta, const std::vector<std::pair<std::int64_t, std::int64_t>>& tasks,
    std::size_t most = 20);

}  // namespace tcsim::models

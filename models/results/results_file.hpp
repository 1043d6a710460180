#pragma once
// The results file (HDF5; layout in docs/results-format.md): configuration texts, seed and
// version, the design, one summary row per task and, if kept, daily series. This file and its
// .cpp are the only code that touches HDF5. A file is written to "<path>.tmp", synced and renamed
// over <path>, so a reader sees no file or a complete one - never half of one. Its first 512
// bytes (HDF5's userblock) hold a CRC-32 of the rest and its length, so a damaged file is refused
// before libhdf5 reads any of it.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "tcsim/models/results/task_result.hpp"

namespace tcsim::models {

struct ResultsMetadata {
  std::string tcsim_version;
  std::string experiment_name;
  std::string design_kind;  // grid, lhs, psa or single
  std::string experiment_text;
  std::string scenario_text;
  std::string models_text;  // "" when no integration models are used
  /// Every other file the run read, one "sha256  path" line each (input_digest.hpp); "" if none.
  std::string inputs_text;
  std::uint64_t seed = 0;
  std::int64_t replications = 0;
  std::vector<std::string> point_names;  // design points, in design order
  std::vector<std::string> point_models;
  std::vector<std::string> factor_names;
  std::vector<std::vector<double>> factor_values;  // [factor][design point]
  std::vector<std::string> settings;               // time-series columns (empty: no series)
  std::vector<std::string> services;
  /// Which part of the tasks this file is for: shard `shard_index` (1-based) of `shard_count`
  /// takes task k = replication x design points + design point when k % count = index - 1.
  std::int64_t shard_index = 1;
  std::int64_t shard_count = 1;
  /// The tasks this file is meant to hold: all of them, or the shard's.
  [[nodiscard]] std::int64_t tasks_expected() const;
  [[nodiscard]] bool in_shard(std::int64_t design_point, std::int64_t replication) const {
    const auto k = replication * static_cast<std::int64_t>(point_names.size()) + design_point;
    return k % shard_count == shard_index - 1;
  }
};

struct MetricColumn {
  std::string scope;
  std::string name;
  std::string unit;
  std::vector<double> values;  // one per row
  [[nodiscard]] std::string key() const { return scope + "." + name; }
};

/// The rows of a results file: sorted by (design point, replication), one per task.
struct ResultsTable {
  std::vector<std::int64_t> design_point;
  std::vector<std::int64_t> replication;
  std::vector<MetricColumn> metrics;  // in order of first appearance along the rows
  std::size_t days = 0;               // of the series (0: none)
  std::size_t settings = 0;
  std::vector<double> occupancy;  // [row][day][setting], flattened; NaN-padded
  std::vector<double> delayed;

  [[nodiscard]] std::size_t rows() const { return design_point.size(); }
  [[nodiscard]] const MetricColumn* find(const std::string& key) const;
};

/// Sorts the tasks by (design point, replication) and lays them out as columns. A task repeated
/// (the same design point and replication) keeps its first copy.
[[nodiscard]] ResultsTable tabulate(std::vector<TaskResult> tasks, std::size_t settings);

/// Writes the file atomically (temporary file, fsync, rename); throws std::runtime_error naming
/// the path and the cause, leaving any existing file at `path` as it was.
void write_results_file(const std::string& path, const ResultsMetadata& meta,
                        const ResultsTable& table);

struct ResultsFile {
  ResultsMetadata meta;
  ResultsTable table;
  bool complete = false;
};

/// A results file that cannot be read: missing, not a regular file, too large, not a results
/// file, damaged (its checksum does not match) or inconsistent (e.g. a column of another length
/// than the rows). The message names the file and what is wrong.
struct ResultsFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The largest results file read_results_file reads (it is read into memory whole).
inline constexpr std::uint64_t kMaxResultsFileBytes = std::uint64_t{64} << 30;
/// The most tasks (design points x replications) a results file may claim.
inline constexpr std::int64_t kMaxResultsTasks = 100'000'000;

/// Reads a results file written by write_results_file (or by hand in the same layout, with the
/// checksum header: docs/results-format.md). The file is read whole and its checksum checked
/// before libhdf5 sees it (a file without the header is refused); every dataset's type and shape
/// is then checked against the others before it is read, and the rows against the design. Any
/// problem with the file is a ResultsFileError naming it.
[[nodiscard]] ResultsFile read_results_file(const std::string& path);

/// Rewrites the first 512 bytes of `image`, a whole results file whose HDF5 starts at byte 512,
/// to the checksum header of what follows (for tools and tests that write or change a file
/// by other means). std::invalid_argument if the image is shorter than the header.
void seal_results_image(std::string& image);

}  // namespace tcsim::models

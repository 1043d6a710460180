#include "tcsim/models/results/results_merge.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "tcsim/models/config/input_digest.hpp"

namespace tcsim::models {
namespace {

/// Why `b` (from `path`) is not of the same experiment as `a`, or "".
std::string mismatch(const ResultsMetadata& a, const ResultsMetadata& b) {
  if (a.experiment_text != b.experiment_text) return "its experiment text differs";
  if (a.scenario_text != b.scenario_text) return "its scenario text differs";
  if (a.models_text != b.models_text) return "its integration models text differs";
  if (const std::string changed =
          first_changed_input(parse_inputs_text(a.inputs_text), parse_inputs_text(b.inputs_text));
      !changed.empty()) {
    return fmt::format("its input file '{}' differs", changed);
  }
  if (a.seed != b.seed) return fmt::format("its master seed is {}, not {}", b.seed, a.seed);
  if (a.point_names != b.point_names || a.replications != b.replications)
    return "its design differs";
  if (a.tcsim_version != b.tcsim_version)
    return fmt::format("it was written by {}, the first by {}", b.tcsim_version, a.tcsim_version);
  return "";
}

struct Row {
  std::int64_t design_point;
  std::int64_t replication;
  std::size_t file;
  std::size_t row;
};

/// Reads every file, refusing one that is not of the first one's experiment.
std::vector<ResultsFile> read_same_experiment(const std::vector<std::string>& paths) {
  std::vector<ResultsFile> files;
  for (const std::string& path : paths) {
    files.push_back(read_results_file(path));
    const std::string why = mismatch(files.front().meta, files.back().meta);
    if (!why.empty()) {
      throw MergeRefused(
          fmt::format("'{}' is not of the same experiment as '{}': {}", path, paths.front(), why));
    }
  }
  return files;
}

/// Every row of every file, sorted by task (stable: a task's rows keep the files' order).
std::vector<Row> sorted_rows(const std::vector<ResultsFile>& files) {
  std::vector<Row> rows;
  for (std::size_t f = 0; f < files.size(); ++f) {
    const ResultsTable& t = files[f].table;
    for (std::size_t r = 0; r < t.rows(); ++r)
      rows.push_back(Row{t.design_point[r], t.replication[r], f, r});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.design_point, a.replication) < std::tie(b.design_point, b.replication);
  });
  return rows;
}

/// Refuses the merge if a task is in two files, naming the first two files that share one.
void refuse_repeated_tasks(const std::vector<std::string>& paths,
                           const std::vector<ResultsFile>& files, const std::vector<Row>& rows) {
  std::vector<std::pair<std::int64_t, std::int64_t>> repeated;
  std::string where;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (rows[i].design_point == rows[i - 1].design_point &&
        rows[i].replication == rows[i - 1].replication) {
      if (repeated.empty())
        where = fmt::format("'{}' and '{}'", paths[rows[i - 1].file], paths[rows[i].file]);
      repeated.emplace_back(rows[i].design_point, rows[i].replication);
    }
  }
  if (!repeated.empty()) {
    throw MergeRefused(fmt::format("{} task(s) are in more than one file (first in {}): {}",
                                   repeated.size(), where,
                                   describe_tasks(files.front().meta, repeated)));
  }
}

/// The tasks of the design in none of the rows. The rows are distinct tasks of the design
/// (read_results_file checks), sorted: walk them beside every task of the design.
std::vector<std::pair<std::int64_t, std::int64_t>> missing_tasks(const ResultsMetadata& meta,
                                                                 const std::vector<Row>& rows) {
  std::vector<std::pair<std::int64_t, std::int64_t>> missing;
  std::size_t next = 0;
  for (std::int64_t p = 0; p < static_cast<std::int64_t>(meta.point_names.size()); ++p) {
    for (std::int64_t r = 0; r < meta.replications; ++r) {
      if (next < rows.size() && rows[next].design_point == p && rows[next].replication == r) {
        ++next;
      } else {
        missing.emplace_back(p, r);
      }
    }
  }
  return missing;
}

/// Columns: the union of the files' metrics, in the order first met along the sorted rows,
/// added to `out` (without values); returns each metric's column by key.
std::map<std::string, std::size_t> merged_columns(const std::vector<ResultsFile>& files,
                                                  const std::vector<Row>& rows, ResultsTable& out) {
  std::map<std::string, std::size_t> column_of;
  for (const Row& r : rows) {
    for (const MetricColumn& c : files[r.file].table.metrics) {
      if (std::isnan(c.values[r.row])) continue;
      if (column_of.emplace(c.key(), out.metrics.size()).second)
        out.metrics.push_back(MetricColumn{c.scope, c.name, c.unit, {}});
    }
  }
  for (const ResultsFile& f : files) {  // metrics NaN in every row still get their column
    for (const MetricColumn& c : f.table.metrics) {
      if (column_of.emplace(c.key(), out.metrics.size()).second)
        out.metrics.push_back(MetricColumn{c.scope, c.name, c.unit, {}});
    }
  }
  return column_of;
}

/// Sizes `out`'s values and series for `rows` rows, all NaN: a value no file has stays NaN.
void size_as_missing(const std::vector<ResultsFile>& files, std::size_t rows, ResultsTable& out) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (MetricColumn& c : out.metrics)
    c.values.assign(rows, nan);
  for (const ResultsFile& f : files) {
    out.days = std::max(out.days, f.table.days);
    out.settings = std::max(out.settings, f.table.settings);
  }
  const std::size_t block = out.days * out.settings;
  if (block > 0) {
    out.occupancy.assign(rows * block, nan);
    out.delayed.assign(rows * block, nan);
  }
}

/// Copies each row's task, metrics and daily series (if it has the merged settings) into row i
/// of `out`.
void copy_rows(const std::vector<ResultsFile>& files, const std::vector<Row>& rows,
               const std::map<std::string, std::size_t>& column_of, ResultsTable& out) {
  const std::size_t block = out.days * out.settings;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ResultsTable& t = files[rows[i].file].table;
    const std::size_t r = rows[i].row;
    out.design_point.push_back(rows[i].design_point);
    out.replication.push_back(rows[i].replication);
    for (const MetricColumn& c : t.metrics)
      out.metrics[column_of.at(c.key())].values[i] = c.values[r];
    if (t.days == 0 || t.settings != out.settings) continue;
    for (std::size_t d = 0; d < t.days; ++d) {
      for (std::size_t s = 0; s < t.settings; ++s) {
        const std::size_t from = (r * t.days + d) * t.settings + s;
        out.occupancy[i * block + d * out.settings + s] = t.occupancy[from];
        if (!t.delayed.empty()) out.delayed[i * block + d * out.settings + s] = t.delayed[from];
      }
    }
  }
}

}  // namespace

std::string describe_tasks(const ResultsMetadata& meta,
                           const std::vector<std::pair<std::int64_t, std::int64_t>>& tasks,
                           std::size_t most) {
  std::string text;
  for (std::size_t i = 0; i < std::min(most, tasks.size()); ++i) {
    const auto [p, r] = tasks[i];
    const std::string name = p >= 0 && static_cast<std::size_t>(p) < meta.point_names.size()
                                 ? meta.point_names[static_cast<std::size_t>(p)]
                                 : std::string("?");
    text += fmt::format("{}design point {} ({}) replication {}", i ? ", " : "", p, name, r);
  }
  if (tasks.size() > most) text += fmt::format(" and {} more", tasks.size() - most);
  return text;
}

MergedResults merge_results(const std::vector<std::string>& paths) {
  if (paths.empty()) throw MergeRefused("no files to merge");
  const std::vector<ResultsFile> files = read_same_experiment(paths);
  const std::vector<Row> rows = sorted_rows(files);
  refuse_repeated_tasks(paths, files, rows);

  MergedResults merged;
  ResultsMetadata& meta = merged.file.meta;
  meta = files.front().meta;
  meta.shard_index = 1;
  meta.shard_count = 1;
  merged.missing = missing_tasks(meta, rows);
  ResultsTable& out = merged.file.table;
  const std::map<std::string, std::size_t> column_of = merged_columns(files, rows, out);
  size_as_missing(files, rows.size(), out);
  copy_rows(files, rows, column_of, out);
  merged.file.complete = merged.missing.empty();
  return merged;
}

}  // namespace tcsim::models

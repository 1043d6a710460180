#pragma once
// The crash-safe store of a batch run: an append-only file of completed tasks, next to the
// results file ("FILE.h5.journal"). Each flush appends whole records in one write and fsyncs,
// so a run killed at any moment keeps every task flushed before; a record cut short by the kill
// fails its length or checksum and is dropped (and cut off) when the journal is next opened.
// Layout (native byte order; the journal is a working file, not an exchange format):
//   "TCSIM-JOURNAL-1\n", then records [u32 kind][u64 length][payload][u64 FNV-1a checksum]:
//   kind 0 identity (text: version, seed, experiment) - always the first record;
//   kind 1 metric name (u32 id, scope, name, unit) - before the first task that uses it;
//   kind 2 task (i64 design point, i64 replication, u32 n, n x (u32 id, f64 value),
//               u32 days, u32 settings, days x settings f64 occupancy, then delayed).

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "models/task_result.hpp"

namespace tcsim::models {

/// A journal that cannot be read or written; the message names the file and the cause.
struct JournalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct JournalContents {
  std::string identity;
  std::vector<TaskResult> tasks;          // in the order they were flushed
  std::vector<MetricValue> metric_names;  // by id (values unused)
  std::uint64_t intact_bytes = 0;         // length of the readable prefix
  std::uint64_t dropped_bytes = 0;        // a torn tail after it, dropped
  /// The run was killed while writing the header: no task can have been flushed.
  bool header_torn = false;
};

/// Reads every intact record of the journal at `path`; JournalError if it is not a journal.
[[nodiscard]] JournalContents read_journal(const std::string& path);

/// Turns tasks into the journal's records, naming each metric (kind 1) the first time this
/// encoder meets it, so later records carry only its number.
class TaskEncoder {
 public:
  TaskEncoder() = default;
  /// Continues the numbering of a journal read back.
  explicit TaskEncoder(const std::vector<MetricValue>& names);
  /// Appends the records of `tasks` (and of metric names new to this encoder) to `out`.
  void encode(const std::vector<TaskResult>& tasks, std::string& out);

 private:
  [[nodiscard]] std::uint32_t metric_id(const MetricValue& m, std::string& out);
  std::map<std::tuple<std::string, std::string>, std::uint32_t> ids_;
};

/// Tasks as one self-contained block of records (metric names included), e.g. a message
/// between processes, and back. decode_tasks throws JournalError on a malformed block.
[[nodiscard]] std::string encode_tasks(const std::vector<TaskResult>& tasks);
[[nodiscard]] std::vector<TaskResult> decode_tasks(const std::string& block);

class JournalWriter {
 public:
  /// Starts a new journal at `path` (which must not exist) holding `identity`.
  static JournalWriter create(const std::string& path, const std::string& identity);
  /// Continues `contents`, read from `path`: a torn tail is cut off first.
  static JournalWriter resume(const std::string& path, const JournalContents& contents);

  JournalWriter(JournalWriter&& other) noexcept;
  JournalWriter& operator=(JournalWriter&&) = delete;
  JournalWriter(const JournalWriter&) = delete;
  ~JournalWriter();

  /// Appends the tasks (and any metric names not yet recorded) in one write, then fsyncs.
  /// On failure throws JournalError; the journal keeps every earlier flush (the partial
  /// records are cut off again where possible, and fail their checksum otherwise).
  void append(const std::vector<TaskResult>& tasks);
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  JournalWriter(std::string path, int fd, std::uint64_t length);

  std::string path_;
  int fd_ = -1;
  std::uint64_t length_ = 0;  // bytes known to be written and synced
  TaskEncoder encoder_;
};

}  // namespace tcsim::models

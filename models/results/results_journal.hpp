#pragma once
// The crash-safe store of a batch run: an append-only file of completed tasks, next to the
// results file ("FILE.h5.journal"). Each flush appends whole records in one write and fsyncs,
// so a run killed at any moment keeps every task flushed before; a record cut short by the kill
// is dropped (and cut off) when the journal is next opened. Any other damage (a record whose
// checksum or contents are wrong) is refused with its place, and the journal left untouched.
// The writing batch holds an exclusive lock on the journal (models/results/journal_lock.hpp).
// Layout (native byte order; the journal is a working file, not an exchange format):
//   "TCSIM-JOURNAL-1\n", then records [u32 kind][u64 length][payload][u64 FNV-1a checksum]:
//   kind 0 identity (text: version, seed, experiment) - always the first record;
//   kind 3 writer (text: "pid P on HOST since TIME") - each run that writes it, from its start;
//   kind 1 metric name (u32 id, scope, name, unit) - before the first task that uses it;
//   kind 2 task (i64 design point, i64 replication, u32 n, n x (u32 id, f64 value),
//               u32 days, u32 settings, days x settings f64 occupancy, then delayed).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "tcsim/models/results/journal_error.hpp"
#include "tcsim/models/results/journal_lock.hpp"
#include "tcsim/models/results/task_result.hpp"

namespace tcsim::models {

struct JournalContents {
  std::string identity;
  std::vector<TaskResult> tasks;          // in the order they were flushed
  std::vector<MetricValue> metric_names;  // by id (values unused)
  std::uint64_t intact_bytes = 0;         // length of the readable prefix
  std::uint64_t dropped_bytes = 0;        // a record cut short after it, dropped
  std::string last_writer;                // the latest run's writer record
  /// The journal ends inside its header (magic and identity): the run was killed while
  /// creating it, and no task can have been flushed.
  bool header_torn = false;
};

/// Reads every record of the journal at `path`, or of its bytes `data` (named `path` in
/// errors): JournalError if it is not a journal, JournalDamaged if a record other than a last
/// one cut short is wrong (the message says where, and that nothing was changed).
[[nodiscard]] JournalContents read_journal(const std::string& path);
[[nodiscard]] JournalContents parse_journal(std::string_view data, const std::string& path);

/// Who is writing the journal at `path` now (its writer record, or "another process"), or ""
/// if no process holds its lock.
[[nodiscard]] std::string journal_holder(const std::string& path);

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

/// The one writer of a journal, holding its lock from creation or opening until destroyed.
class JournalWriter {
 public:
  /// Starts a new journal at `path` holding `identity`: JournalBusy if it exists already.
  static JournalWriter create(const std::string& path, const std::string& identity);
  /// Locks the existing journal at `path`: JournalBusy if another batch holds it, nullopt if
  /// it is gone (its batch finished). Nothing is changed until resume().
  static std::optional<JournalWriter> open_existing(const std::string& path);
  /// The journal's contents, read through the locked file.
  [[nodiscard]] JournalContents read() const;
  /// Continues after `contents` (from read()): cuts a torn end off, records this writer.
  void resume(const JournalContents& contents);
  /// Empties a journal whose header was torn (it holds no task) and writes `identity` anew.
  void start_afresh(const std::string& identity);
  /// Whether the locked file is still the one at path() (no other process replaced it).
  [[nodiscard]] bool still_named() const;

  JournalWriter(JournalWriter&& other) noexcept = default;
  JournalWriter& operator=(JournalWriter&&) noexcept = default;
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;
  ~JournalWriter() = default;

  /// Appends the tasks (and any metric names not yet recorded) in one write, then fsyncs.
  /// On failure throws JournalError; the journal keeps every earlier flush (the partial
  /// records are cut off again where possible, and fail their checksum otherwise).
  void append(const std::vector<TaskResult>& tasks);
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  JournalWriter(std::string path, LockedFile file, std::uint64_t length);

  std::string path_;
  LockedFile file_;
  std::uint64_t length_ = 0;  // bytes known to be written and synced
  TaskEncoder encoder_;
};

}  // namespace tcsim::models

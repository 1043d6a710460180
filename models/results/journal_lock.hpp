#pragma once
// One writer per journal: a batch holds an exclusive lock (flock) on its journal from before
// the journal can be seen under its name until the results file is written and the journal
// removed. A second batch on the same --out finds the lock held and is refused at once. The
// lock is advisory and lives on the open file, so it is released however the holder ends
// (exit, kill -9, a node lost), and works across machines where the file system supports
// flock (NFS emulates it with byte-range locks).

#include <optional>
#include <string>

#include "tcsim/models/results/journal_error.hpp"

namespace tcsim::models {

/// An open, exclusively locked journal file; closing it releases the lock.
class LockedFile {
 public:
  LockedFile() = default;
  LockedFile(LockedFile&& other) noexcept;
  LockedFile& operator=(LockedFile&& other) noexcept;
  LockedFile(const LockedFile&) = delete;
  LockedFile& operator=(const LockedFile&) = delete;
  ~LockedFile();

  /// Creates `path` holding `header`, locked before it appears under that name (written to a
  /// temporary name, then linked without replacing). JournalBusy if `path` exists already.
  static LockedFile create(const std::string& path, const std::string& header);
  /// Opens and locks the existing `path`: JournalBusy if another process holds it; nullopt if
  /// it no longer exists (its batch finished and removed it meanwhile).
  static std::optional<LockedFile> open(const std::string& path);

  [[nodiscard]] int fd() const noexcept { return fd_; }

 private:
  explicit LockedFile(int fd) : fd_(fd) {}
  int fd_ = -1;
};

/// Writes all of `data` to `fd`, then fsyncs; JournalError naming `path` on failure.
void write_synced(int fd, const std::string& data, const std::string& path);

/// Whether the open file `fd` is the one named `path` now.
[[nodiscard]] bool is_file_at(int fd, const std::string& path);

/// Whether another process holds the lock on `path` (false if it does not exist).
[[nodiscard]] bool is_locked(const std::string& path);

/// This process, as a journal records its writers: "pid 4242 on node7 since 2026-12-07
/// 18:00:00 UTC".
[[nodiscard]] std::string this_writer();

}  // namespace tcsim::models

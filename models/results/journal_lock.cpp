#include "tcsim/models/results/journal_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <utility>

#include <fmt/format.h>

namespace tcsim::models {
namespace {

std::string system_error(const std::string& what, const std::string& path) {
  return fmt::format("{} '{}': {}", what, path, std::strerror(errno));
}

}  // namespace

void write_synced(int fd, const std::string& data, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw JournalError(system_error("cannot write the journal", path));
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) throw JournalError(system_error("cannot sync the journal", path));
}

namespace {

/// Makes a new directory entry durable, so a crash cannot lose the file just created.
void sync_directory_of(const std::string& path) {
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

/// Takes the exclusive lock without waiting: false if another open file holds it.
bool try_lock(int fd, const std::string& path) {
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) return false;
    if (errno != EINTR) throw JournalError(system_error("cannot lock the journal", path));
  }
  return true;
}

/// Gives `temporary` the name `path` unless `path` exists: false if it does.
bool link_without_replacing(const std::string& temporary, const std::string& path) {
  if (::link(temporary.c_str(), path.c_str()) == 0) return true;
  if (errno == EEXIST) return false;
  // A file system without hard links: an atomic rename that refuses to replace.
  if (::renameat2(AT_FDCWD, temporary.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) == 0)
    return true;
  if (errno == EEXIST) return false;
  throw JournalError(system_error("cannot create the journal", path));
}

}  // namespace

LockedFile::LockedFile(LockedFile&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

LockedFile& LockedFile::operator=(LockedFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

LockedFile::~LockedFile() {
  if (fd_ >= 0) ::close(fd_);
}

LockedFile LockedFile::create(const std::string& path, const std::string& header) {
  const std::string temporary = fmt::format("{}.new-{}", path, ::getpid());
  const int fd = ::open(temporary.c_str(), O_RDWR | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw JournalError(system_error("cannot create the journal", temporary));
  LockedFile file(fd);
  bool linked = false;
  try {
    if (!try_lock(fd, temporary)) throw JournalError("cannot lock the new journal " + temporary);
    write_synced(fd, header, temporary);
    linked = link_without_replacing(temporary, path);
  } catch (...) {
    ::unlink(temporary.c_str());
    throw;
  }
  ::unlink(temporary.c_str());  // after a rename it is gone already
  if (!linked) throw JournalBusy(fmt::format("'{}' was created by another batch", path));
  sync_directory_of(path);
  return file;
}

std::optional<LockedFile> LockedFile::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return std::nullopt;
  if (fd < 0) throw JournalError(system_error("cannot open the journal", path));
  LockedFile file(fd);
  if (!try_lock(fd, path)) throw JournalBusy(fmt::format("'{}' is locked", path));
  // A batch that finishes removes its journal: a lock taken just after that is on a file
  // nobody will look at again.
  if (!is_file_at(fd, path)) return std::nullopt;
  return file;
}

bool is_file_at(int fd, const std::string& path) {
  struct stat open_file {};
  struct stat named {};
  return ::fstat(fd, &open_file) == 0 && ::stat(path.c_str(), &named) == 0 &&
         open_file.st_dev == named.st_dev && open_file.st_ino == named.st_ino;
}

bool is_locked(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  int status = 0;
  while ((status = ::flock(fd, LOCK_SH | LOCK_NB)) != 0 && errno == EINTR) {
  }
  const bool held = status != 0 && errno == EWOULDBLOCK;
  ::close(fd);
  return held;
}

std::string this_writer() {
  std::array<char, 256> host{};
  if (::gethostname(host.data(), host.size() - 1) != 0) std::strcpy(host.data(), "?");
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  std::array<char, 32> when{};
  std::strftime(when.data(), when.size(), "%Y-%m-%d %H:%M:%S UTC", &utc);
  return fmt::format("pid {} on {} since {}", ::getpid(), host.data(), when.data());
}

}  // namespace tcsim::models

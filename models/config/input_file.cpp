#include "tcsim/models/config/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

namespace tcsim::models {
namespace {

/// Closes the descriptor on every way out.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const noexcept { return fd_; }

 private:
  int fd_;
};

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::string size_text(std::uintmax_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
  if (bytes >= (1u << 10) && bytes % (1u << 10) == 0) return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} bytes", bytes);
}

}  // namespace

std::string read_input_file(const std::string& path, const ConfigLocation& named_at,
                            std::string_view what, std::uintmax_t max_bytes) {
  // The path is named unless the location already is the file itself.
  const bool self = named_at.file == path;
  const std::string it = self ? "the file" : fmt::format("'{}'", path);
  const auto fail = [&](const std::string& problem) { throw ConfigError(named_at, problem); };
  // O_NONBLOCK: opening a FIFO must not wait for a writer; the type is checked right after.
  const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) {
    const int error = errno;
    fail(fmt::format("cannot open {} for reading ({}): expected {}", it, std::strerror(error),
                     what));
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) {
    fail(fmt::format("cannot read {} ({})", it, std::strerror(errno)));
  }
  if (!S_ISREG(info.st_mode)) {
    fail(fmt::format("{} is {}, not {}", self ? "this" : it, kind_of(info.st_mode), what));
  }
  const auto size = static_cast<std::uintmax_t>(info.st_size);
  if (size > max_bytes) {
    fail(fmt::format("{} has {} bytes; {} may have at most {}", it, size, what,
                     size_text(max_bytes)));
  }
  // Read the size found, growing the buffer only as a file that grows while being read needs
  // it (doubling, so never more than twice the limit); past the limit it is refused too.
  std::string text(static_cast<std::size_t>(size) + 1, '\0');
  std::size_t done = 0;
  for (;;) {
    if (done == text.size()) {
      if (text.size() > max_bytes) {
        fail(fmt::format("{} grew beyond {} while it was read", it, size_text(max_bytes)));
      }
      text.resize(std::min<std::size_t>(text.size() * 2, static_cast<std::size_t>(max_bytes) + 1));
    }
    const ssize_t got = ::read(fd.get(), text.data() + done, text.size() - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) fail(fmt::format("cannot read {} ({})", it, std::strerror(errno)));
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  text.resize(done);
  return text;
}

namespace {

/// True when `path` is `folder` or lies below it (both absolute and normal).
bool is_inside(const std::filesystem::path& path, const std::filesystem::path& folder) {
  auto p = path.begin();
  for (auto f = folder.begin(); f != folder.end(); ++f, ++p) {
    if (f->empty()) continue;  // a trailing separator
    if (p == path.end() || *p != *f) return false;
  }
  return true;
}

}  // namespace

std::string resolve_named_file(const std::string& name, const std::string& file,
                               const ConfigLocation& named_at, const InputOptions& options) {
  const std::filesystem::path folder = std::filesystem::path(file).parent_path();
  std::string resolved = (folder / name).lexically_normal().string();
  if (!options.confine) return resolved;
  // Symlinks resolved on both sides: a link inside the folder to a file outside it leaves it.
  std::error_code error;
  const std::filesystem::path root =
      std::filesystem::weakly_canonical(folder.empty() ? "." : folder, error);
  std::error_code error2;
  const std::filesystem::path target = std::filesystem::weakly_canonical(resolved, error2);
  if (error || error2 || !is_inside(target, root)) {
    throw ConfigError(named_at,
                      fmt::format("'{}' is outside the folder of {} (inputs are confined to the "
                                  "folder of the file that names them)",
                                  name, file));
  }
  return resolved;
}

}  // namespace tcsim::models

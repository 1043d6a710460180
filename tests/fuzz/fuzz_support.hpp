#pragma once
// Helpers shared by the libFuzzer targets of readers that take a path: each process gets one
// private folder under $TMPDIR (removed at exit) holding the fixtures a fuzzed input may name
// (a copy of the repository's configs/ folder, whose files name each other by relative paths)
// and the file each input is written to before the reader opens it.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace tcsim::fuzz {

class Workspace {
 public:
  /// The process's folder, made (with a copy of configs/) on first use.
  static const Workspace& get() {
    static const Workspace workspace;
    return workspace;
  }

  [[nodiscard]] const std::filesystem::path& folder() const { return folder_; }

  /// Writes the fuzzed bytes to `relative` inside the folder and returns its path.
  [[nodiscard]] std::string write(const std::filesystem::path& relative, const std::uint8_t* data,
                                  std::size_t size) const {
    const std::filesystem::path path = folder_ / relative;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.close();
    if (!out) std::abort();  // the harness itself failed, not the reader
    return path.string();
  }

  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;
  ~Workspace() {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }

 private:
  Workspace() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/tcsim-fuzz-XXXXXX";
    if (!::mkdtemp(pattern.data())) std::abort();
    folder_ = pattern;
    std::filesystem::copy(std::filesystem::path(TCSIM_SOURCE_DIR) / "configs", folder_ / "configs",
                          std::filesystem::copy_options::recursive);
  }

  std::filesystem::path folder_;
};

}  // namespace tcsim::fuzz

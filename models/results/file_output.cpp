#include "tcsim/models/results/file_output.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

namespace tcsim::models {

bool is_special_file(const std::string& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  return !error && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status) &&
         !std::filesystem::is_directory(status);
}

void close_checked(std::FILE* out, const std::string& path) {
  errno = 0;
  const bool flushed = std::fflush(out) == 0 && std::ferror(out) == 0;
  const int saved_errno = errno;
  const bool closed = std::fclose(out) == 0;
  if (!flushed || !closed) {
    throw std::runtime_error(fmt::format("cannot write '{}': {}", path,
                                         std::strerror(saved_errno ? saved_errno : errno)));
  }
}

void write_file_atomically(const std::string& path, const std::string& text) {
  if (is_special_file(path)) {
    std::FILE* out = std::fopen(path.c_str(), "wb");
    if (!out) {
      throw std::runtime_error(fmt::format("cannot write '{}': {}", path, std::strerror(errno)));
    }
    (void)std::fwrite(text.data(), 1, text.size(), out);
    close_checked(out, path);
    return;
  }
  const std::string temporary = path + ".tmp";
  std::FILE* out = std::fopen(temporary.c_str(), "wb");
  if (!out) {
    throw std::runtime_error(fmt::format("cannot write '{}': {}", temporary, std::strerror(errno)));
  }
  const bool written = std::fwrite(text.data(), 1, text.size(), out) == text.size();
  const int saved_errno = errno;
  const bool closed = std::fclose(out) == 0;
  if (!written || !closed) {
    std::remove(temporary.c_str());
    throw std::runtime_error(
        fmt::format("cannot write '{}': {}", path, std::strerror(written ? errno : saved_errno)));
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::remove(temporary.c_str());
    throw std::runtime_error(fmt::format("cannot write '{}': {}", path, error.message()));
  }
}

}  // namespace tcsim::models

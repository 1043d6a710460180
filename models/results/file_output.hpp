#pragma once
// Writing an output file so that a failure never leaves a half-written or clobbered file: the
// text goes to "<path>.tmp", is flushed and closed, then renamed over <path> in one step. A path
// that names something other than a regular file (/dev/stdout, a pipe, /dev/full) is written
// in place instead - renaming over it would replace the device - with every write checked.

#include <cstdio>
#include <string>

namespace tcsim::models {

/// Writes `text` to `path` atomically; throws std::runtime_error naming the path on failure
/// (nothing at `path` is changed then).
void write_file_atomically(const std::string& path, const std::string& text);

/// Whether `path` exists and is not a regular file (a device, a pipe, a socket), following
/// symbolic links.
[[nodiscard]] bool is_special_file(const std::string& path);

/// Closes `out`, checking that every write to it succeeded; std::runtime_error naming `path`
/// (with the system's reason) if not.
void close_checked(std::FILE* out, const std::string& path);

}  // namespace tcsim::models

#pragma once
// Writing an output file so that a failure never leaves a half-written or clobbered file: the
// text goes to "<path>.tmp", is flushed and closed, then renamed over <path> in one step.

#include <string>

namespace tcsim::models {

/// Writes `text` to `path` atomically; throws std::runtime_error naming the path on failure
/// (nothing at `path` is changed then).
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace tcsim::models

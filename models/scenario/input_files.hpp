#pragma once
// A file as a run read it: part of what a scenario is, since the same YAML with another CSV
// beside it is another scenario. The digests are computed where files are read
// (config/input_digest).

#include <string>

namespace tcsim::models {

/// A file as it was read: its path (as resolved when read) and the SHA-256 of its bytes.
struct InputDigest {
  std::string path;
  std::string sha256;  // 64 lowercase hex digits

  friend bool operator==(const InputDigest&, const InputDigest&) = default;
};

}  // namespace tcsim::models

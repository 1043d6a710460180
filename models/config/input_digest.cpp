#include "tcsim/models/config/input_digest.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <stdexcept>

#include <openssl/evp.h>

namespace tcsim::models {

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed (OpenSSL)");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0x0f];
  }
  return hex;
}

void add_input(std::vector<InputDigest>& list, InputDigest digest) {
  const auto at =
      std::lower_bound(list.begin(), list.end(), digest,
                       [](const InputDigest& a, const InputDigest& b) { return a.path < b.path; });
  if (at != list.end() && at->path == digest.path) return;
  list.insert(at, std::move(digest));
}

std::string inputs_text(const std::vector<InputDigest>& list) {
  std::string text;
  for (const InputDigest& d : list)
    text += d.sha256 + "  " + d.path + "\n";
  return text;
}

std::vector<InputDigest> parse_inputs_text(const std::string& text) {
  std::vector<InputDigest> list;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(at, end - at);
    if (line.size() > 66 && line.compare(64, 2, "  ") == 0)
      list.push_back(InputDigest{line.substr(66), line.substr(0, 64)});
    at = end + 1;
  }
  return list;
}

std::string first_changed_input(const std::vector<InputDigest>& before,
                                const std::vector<InputDigest>& now) {
  // By content: the same files read through another path (a run resumed from another folder)
  // are the same inputs.
  std::multiset<std::string> was;
  std::multiset<std::string> is;
  for (const InputDigest& d : before)
    was.insert(d.sha256);
  for (const InputDigest& d : now)
    is.insert(d.sha256);
  if (was == is) return "";
  for (const InputDigest& d : now) {
    if (!was.contains(d.sha256)) return d.path;
  }
  for (const InputDigest& d : before) {
    if (!is.contains(d.sha256)) return d.path;
  }
  return now.empty() ? before.front().path : now.front().path;  // the same files, counted apart
}

}  // namespace tcsim::models

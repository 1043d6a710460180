#include "models/input_digest.hpp"

#include <algorithm>
#include <array>
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

std::string first_changed_input(const std::vector<InputDigest>& before,
                                const std::vector<InputDigest>& now) {
  for (const InputDigest& d : now) {
    const auto same_path = [&d](const InputDigest& b) { return b.path == d.path; };
    const auto it = std::find_if(before.begin(), before.end(), same_path);
    if (it == before.end() || it->sha256 != d.sha256) return d.path;
  }
  for (const InputDigest& b : before) {
    const auto same_path = [&b](const InputDigest& d) { return d.path == b.path; };
    if (std::none_of(now.begin(), now.end(), same_path)) return b.path;
  }
  return "";
}

}  // namespace tcsim::models

#pragma once
// Random streams: one independent Boost.Random engine per (replication, purpose), its seed
// derived from the master seed by hashing. The scenario is deliberately not part of the key,
// so two scenarios that name the same purposes draw the same numbers: common random numbers.

#include <cstdint>
#include <string_view>

#include <boost/random/mersenne_twister.hpp>

namespace tcsim::sim {

using RandomEngine = boost::random::mt19937_64;

/// SplitMix64 finaliser (Steele, Lea & Flood 2014): a bijective 64-bit mixer.
[[nodiscard]] constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// FNV-1a over the bytes of a purpose name: stable across platforms and runs.
[[nodiscard]] constexpr std::uint64_t hash_name(std::string_view name) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

/// The seed of the stream for `purpose` (e.g. "arrivals/frail_elderly") in `replication`.
[[nodiscard]] constexpr std::uint64_t stream_seed(std::uint64_t master_seed,
                                                  std::uint64_t replication,
                                                  std::string_view purpose) noexcept {
  return mix64(mix64(mix64(master_seed) ^ replication) ^ hash_name(purpose));
}

/// A fresh engine for `purpose` in `replication`.
[[nodiscard]] inline RandomEngine make_stream(std::uint64_t master_seed, std::uint64_t replication,
                                              std::string_view purpose) {
  return RandomEngine(stream_seed(master_seed, replication, purpose));
}

}  // namespace tcsim::sim

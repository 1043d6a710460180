// libFuzzer target for a batch's journal (models/results/results_journal.hpp): each input is
// written to a file and read back with read_journal, as `tcsim batch --resume` reads
// FILE.h5.journal, and is also decoded with decode_tasks (after the journal's magic line, if it
// starts with one), as a process of an MPI batch decodes a block of tasks sent by another. Each
// record carries a checksum, which almost every mutation breaks; so each input is also tried with
// every record's checksum recomputed (as in a journal crafted to pass them), which lets the
// mutations reach the records' contents (counts, sizes, metric numbers). Bad input must come back
// as JournalError (or one of its kinds); anything else escaping, a crash, a sanitizer report, a
// leak, a hang or an allocation over the limit is a finding. See README.md here.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "tcsim/models/results/results_journal.hpp"

namespace {

constexpr std::string_view kMagic = "TCSIM-JOURNAL-1\n";

/// `bytes` with the checksum of each whole record from `at` on recomputed: records are
/// [u32 kind][u64 length][payload][u64 FNV-1a of kind and payload] (results_journal.hpp).
std::string with_checksums(std::string bytes, std::size_t at) {
  constexpr std::size_t kHead = sizeof(std::uint32_t) + sizeof(std::uint64_t);
  constexpr std::size_t kTail = sizeof(std::uint64_t);
  while (bytes.size() - at >= kHead + kTail) {
    std::uint32_t kind = 0;
    std::uint64_t length = 0;
    std::memcpy(&kind, bytes.data() + at, sizeof kind);
    std::memcpy(&length, bytes.data() + at + sizeof kind, sizeof length);
    if (length > bytes.size() - at - kHead - kTail) break;
    std::uint64_t h = 14695981039346656037ull ^ kind;
    for (std::size_t i = 0; i < length; ++i) {
      h ^= static_cast<unsigned char>(bytes[at + kHead + i]);
      h *= 1099511628211ull;
    }
    std::memcpy(bytes.data() + at + kHead + length, &h, sizeof h);
    at += kHead + length + kTail;
  }
  return bytes;
}

void read(const std::string& bytes) {
  const std::string path = tcsim::fuzz::Workspace::get().write(
      "fuzz.h5.journal", reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  try {
    const tcsim::models::JournalContents contents = tcsim::models::read_journal(path);
    // What was read must be consistent with what the file holds.
    if (contents.intact_bytes + contents.dropped_bytes > bytes.size()) __builtin_trap();
  } catch (const tcsim::models::JournalError&) {
  }
}

void decode(const std::string& block) {
  try {
    (void)tcsim::models::decode_tasks(block);
  } catch (const tcsim::models::JournalError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const bool journal = bytes.starts_with(kMagic);
  read(bytes);
  if (journal) read(with_checksums(bytes, kMagic.size()));
  const std::string block = journal ? bytes.substr(kMagic.size()) : bytes;
  decode(block);
  decode(with_checksums(block, 0));
  return 0;
}

// libFuzzer target for a batch's journal (models/results_journal.hpp): each input is written to
// a file and read back with read_journal, as `tcsim batch --resume` reads FILE.h5.journal, and is
// also decoded with decode_tasks (after the journal's magic line, if it starts with one), as a
// process of an MPI batch decodes a block of tasks sent by another. Bad input must come back as
// JournalError (or one of its kinds); anything else escaping, a crash, a sanitizer report, a
// leak, a hang or an allocation over the limit is a finding. See README.md here.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "models/results_journal.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& workspace = tcsim::fuzz::Workspace::get();
  const std::string path = workspace.write("fuzz.h5.journal", data, size);
  try {
    const tcsim::models::JournalContents contents = tcsim::models::read_journal(path);
    // What was read must be consistent with what the file holds.
    if (contents.intact_bytes + contents.dropped_bytes > size) __builtin_trap();
  } catch (const tcsim::models::JournalError&) {
  }

  std::string_view block(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kMagic = "TCSIM-JOURNAL-1\n";
  if (block.starts_with(kMagic)) block.remove_prefix(kMagic.size());
  try {
    (void)tcsim::models::decode_tasks(std::string(block));
  } catch (const tcsim::models::JournalError&) {
  }
  return 0;
}

#pragma once
// The identity of an input file: its SHA-256. Every file a run reads (an empirical CSV named
// by `file:`, a national config's area template, a models file, the scenario and experiment
// themselves) joins the identity that `tcsim batch --resume` and `tcsim merge` compare, and is
// recorded in the results file, so a file changed between a run and its resume is refused
// instead of mixing results of two different inputs.

#include <string>
#include <string_view>
#include <vector>

#include "tcsim/models/scenario/input_files.hpp"

namespace tcsim::models {

/// The SHA-256 of `bytes` as 64 lowercase hex digits.
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

/// Adds `digest` to `list` unless a digest of the same path is there, keeping `list` sorted by
/// path (so the order files were read in does not matter).
void add_input(std::vector<InputDigest>& list, InputDigest digest);

/// One line per file, "sha256  path" (as sha256sum prints it), sorted by path.
[[nodiscard]] std::string inputs_text(const std::vector<InputDigest>& list);

/// The list back from inputs_text (lines that are not "sha256  path" are skipped).
[[nodiscard]] std::vector<InputDigest> parse_inputs_text(const std::string& text);

/// A file whose content differs between two lists (one list has a content the other lacks),
/// or "" if they hold the same contents - compared by content, not path, so the same files
/// read through other paths (from another working folder) are the same inputs.
[[nodiscard]] std::string first_changed_input(const std::vector<InputDigest>& before,
                                              const std::vector<InputDigest>& now);

}  // namespace tcsim::models

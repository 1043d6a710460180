#pragma once
// The errors of a batch's journal (models/results/results_journal.hpp); each message names the
// file.

#include <stdexcept>

namespace tcsim::models {

/// A journal that cannot be read or written; the message names the file and the cause.
struct JournalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Damage that no interrupted write can leave (a wrong checksum, an unknown or malformed
/// record): refused, and the journal left as it is.
struct JournalDamaged : JournalError {
  using JournalError::JournalError;
};

/// Another batch holds the journal: nothing was read or changed.
struct JournalBusy : JournalError {
  using JournalError::JournalError;
};

}  // namespace tcsim::models

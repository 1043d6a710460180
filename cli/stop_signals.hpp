#pragma once
// SIGTERM (a scheduler ending a job, `kill`) and SIGINT (Ctrl-C) during a batch: the handler
// only records the signal; the batch notices it within 0.1 s, flushes what has completed to
// its journal, says how many tasks are safe and how to resume, and exits 128 + the signal
// (143, 130). A second signal ends tcsim at once (the journal is safe at any moment anyway).

#include <atomic>

namespace tcsim::cli {

/// Catches SIGTERM and SIGINT while it lives; restores the previous handlers after.
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  /// The signal received (0 while none).
  [[nodiscard]] static const std::atomic<int>& received() noexcept;
};

/// "SIGTERM", "SIGINT", or "signal N".
[[nodiscard]] const char* signal_name(int signal);

}  // namespace tcsim::cli

#include "stop_signals.hpp"

#include <csignal>

namespace tcsim::cli {
namespace {

// A signal handler has no context but globals.
std::atomic<int> g_received{0};       // NOLINT(cppcoreguidelines-avoid-non-const-global-variables)
struct sigaction g_previous_term {};  // NOLINT(cppcoreguidelines-avoid-non-const-global-variables)
struct sigaction g_previous_int {};   // NOLINT(cppcoreguidelines-avoid-non-const-global-variables)

extern "C" void record_signal(int signal) {
  // Async-signal-safe only: a lock-free atomic, signal() and raise().
  if (g_received.exchange(signal) != 0) {
    std::signal(signal, SIG_DFL);
    std::raise(signal);
  }
}

}  // namespace

static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs a lock-free flag");

StopSignals::StopSignals() {
  g_received = 0;
  struct sigaction action {};
  action.sa_handler = record_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGTERM, &action, &g_previous_term);
  sigaction(SIGINT, &action, &g_previous_int);
}

StopSignals::~StopSignals() {
  sigaction(SIGTERM, &g_previous_term, nullptr);
  sigaction(SIGINT, &g_previous_int, nullptr);
}

const std::atomic<int>& StopSignals::received() noexcept {
  return g_received;
}

const char* signal_name(int signal) {
  switch (signal) {
    case SIGTERM:
      return "SIGTERM";
    case SIGINT:
      return "SIGINT";
    default:
      return "a signal";
  }
}

}  // namespace tcsim::cli

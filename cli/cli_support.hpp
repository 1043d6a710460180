#pragma once
// What every tcsim command shares: exit codes (docs/cli.md), the errors that map to them, and
// where the files shipped with tcsim are found.

#include <functional>
#include <stdexcept>
#include <string>

namespace tcsim::cli {

enum ExitCode : int { kOk = 0, kInternal = 1, kBadInput = 2, kRefused = 3, kStopped = 4 };

/// An argument that is well-formed for CLI11 but unusable (e.g. an output folder that cannot be
/// created); reported like bad input, before anything runs.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Refused to run, e.g. an unstable scenario or a results file that exists.
struct Refused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// What was built: "commit 1a2b3c4d5e6f", "commit 1a2b3c4d5e6f-modified, sources <hash>" or,
/// outside git, "sources <hash>" (a hash of the build's sources; cli/git_commit.cmake).
[[nodiscard]] std::string build_identity();

/// "tcsim 0.1.0 (commit 1a2b3c4d5e6f)": recorded in results files and checked on --resume.
[[nodiscard]] std::string version_text();

/// Writes to standard output; throws (exit 1) if the write fails.
void print(const std::string& text);

/// Flushes standard output at exit: a failed or short write (a full disk, /dev/full, a closed
/// pipe) turns a success into exit 1 with a message; other exit codes are kept.
[[nodiscard]] int flush_standard_output(int code);

/// Runs a command, turning what it throws into its message on stderr and its exit code.
[[nodiscard]] int guarded(const std::function<int()>& command);

/// A shipped config (e.g. "integration_models.yaml"): installed with the binary
/// (<prefix>/share/tcsim/configs, as configured), else in the source tree the binary was built
/// from - never the working folder.
[[nodiscard]] std::string shipped_config(const std::string& name);

/// The report's plotting script, found the same way (share/tcsim/plot_results.py or the source
/// tree's models/report/plot_results.py).
[[nodiscard]] std::string shipped_plot_script();

}  // namespace tcsim::cli

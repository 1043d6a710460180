#include "cli_support.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "tcsim/models/network/stability.hpp"
#include "tcsim/models/scenario/config_error.hpp"
#include "tcsim/sim/network_simulation.hpp"
#include "tcsim_git_commit.hpp"  // generated at build time: TCSIM_BUILD_IDENTITY

namespace tcsim::cli {
namespace {

/// `relative` below the installed configs folder, if this binary is installed with it.
std::filesystem::path installed(const std::filesystem::path& relative) {
  std::error_code error;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return {};
  const std::filesystem::path path =
      (exe.parent_path() / TCSIM_CONFIGS_FROM_BIN / relative).lexically_normal();
  return std::filesystem::is_regular_file(path, error) ? path : std::filesystem::path{};
}

}  // namespace

std::string build_identity() {
  return TCSIM_BUILD_IDENTITY;
}

std::string version_text() {
  return fmt::format("tcsim {} ({})", TCSIM_VERSION, build_identity());
}

void print(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) {
    throw std::runtime_error(
        fmt::format("cannot write to the standard output: {}", std::strerror(errno)));
  }
}

int flush_standard_output(int code) {
  if (std::fflush(stdout) == 0 && std::ferror(stdout) == 0) return code;
  fmt::print(stderr, "tcsim: error: cannot write to the standard output: {}\n",
             std::strerror(errno));
  return code == kOk ? kInternal : code;
}

int guarded(const std::function<int()>& command) {
  try {
    return command();
  } catch (const models::ConfigError& e) {
    fmt::print(stderr, "tcsim: error: {}\n", e.what());
    return kBadInput;
  } catch (const UsageError& e) {
    fmt::print(stderr, "tcsim: error: {}\n", e.what());
    return kBadInput;
  } catch (const Refused& e) {
    fmt::print(stderr, "tcsim: refused: {}\n", e.what());
    return kRefused;
  } catch (const models::UnstableScenario& e) {
    fmt::print(stderr, "tcsim: refused: {}\n", e.what());
    return kRefused;
  } catch (const sim::SimulationStopped& e) {
    fmt::print(stderr, "tcsim: stopped: {}\n", e.what());
    return kStopped;
  } catch (const std::exception& e) {
    fmt::print(stderr, "tcsim: error: {}\n", e.what());
    return kInternal;
  }
}

std::string shipped_config(const std::string& name) {
  if (auto path = installed(name); !path.empty()) return path.string();
  return (std::filesystem::path(TCSIM_SOURCE_DIR) / "configs" / name).string();
}

std::string shipped_plot_script() {
  if (auto path = installed("../plot_results.py"); !path.empty()) return path.string();
  return (std::filesystem::path(TCSIM_SOURCE_DIR) / "models" / "report" / "plot_results.py")
      .string();
}

}  // namespace tcsim::cli

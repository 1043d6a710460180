#pragma once
// Every file tcsim reads as input (scenario, experiment, models file, national config, its
// area template, an empirical CSV) is read here: only a regular file of bounded size, so a
// device (/dev/zero), a FIFO or a folder given by mistake is bad input at once instead of a
// hang or an allocation without end. Also the sizes of user-sized inputs tcsim accepts
// (docs/cli.md, configs/README.md), checked before anything is allocated for them.

#include <cstdint>
#include <string>
#include <string_view>

#include "tcsim/models/scenario/config_error.hpp"

namespace tcsim::models {

/// A YAML input larger than this is refused. yaml-cpp holds up to ~250 bytes per value, so
/// 1 MiB of YAML may take ~250 MB while loading; the largest shipped config is ~46 KB.
inline constexpr std::uintmax_t kMaxYamlBytes = std::uintmax_t{1} << 20;
/// An empirical CSV larger than this is refused: 16 MiB holds millions of durations, and the
/// values (8 bytes each, and their weights) stay well inside the memory of a laptop.
inline constexpr std::uintmax_t kMaxCsvBytes = std::uintmax_t{16} << 20;

/// Replications of one run or design point (run.replications, --reps, an experiment's
/// replications, savings.replications): each keeps its metrics in memory until the end.
inline constexpr std::int64_t kMaxReplications = 100'000;
/// Design points of an experiment (grid combinations x models, or lhs/psa `points`), and
/// draws of `tcsim savings --psa`.
inline constexpr std::int64_t kMaxDesignPoints = 100'000;
/// Seeds are whole numbers from 0 to this (YAML reads numbers as doubles: above 2^53 they
/// would not be read exactly, so the YAML limit is the command line's too).
inline constexpr std::uint64_t kMaxSeed = 9'000'000'000'000'000;
/// Days x settings x replications (or x tasks) of the daily series a run keeps in memory
/// (`run --out`, an experiment's `time_series: true`): 2 series x 8 bytes each, so 2^25 values
/// take 512 MiB.
inline constexpr double kMaxDailyValues = 33'554'432.0;

/// Options for reading input files that name other files (an empirical `file:`, a national
/// config's `area:`, an experiment's `scenario:` and `models_file:`).
struct InputOptions {
  /// Such a named file must lie inside the folder of the YAML that names it (after symlinks
  /// are resolved). Off for the command line unless --confine-inputs is given; a service that
  /// reads scenarios from others must turn it on.
  bool confine = false;
};

/// The text of the input file at `path`, which must be a regular file of at most `max_bytes`.
/// A problem is a ConfigError at `named_at` (where the path was given: the command line's
/// {path, 0, 0, ""}, or the YAML key naming the file) saying what was found instead of
/// `what` (e.g. "a scenario file"); the path is part of the message unless `named_at` is it.
[[nodiscard]] std::string read_input_file(const std::string& path, const ConfigLocation& named_at,
                                          std::string_view what,
                                          std::uintmax_t max_bytes = kMaxYamlBytes);

/// `name`, a path written in the YAML file `file`, resolved against that file's folder (an
/// absolute `name` stays as it is). With `options.confine`, a path that leads outside that
/// folder - by '..', an absolute path or a symlink - is a ConfigError at `named_at`.
[[nodiscard]] std::string resolve_named_file(const std::string& name, const std::string& file,
                                             const ConfigLocation& named_at,
                                             const InputOptions& options);

}  // namespace tcsim::models

#pragma once
// Command-line options that size a run (--reps, --seed, --psa) checked against the same limits
// as their YAML keys (models/config/input_file.hpp), and the --confine-inputs flag. Header-only:
// the few lines each command needs.

#include <charconv>
#include <cstdint>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "tcsim/models/config/input_file.hpp"

namespace tcsim::cli {

/// A whole number written with digits only, from `low` to `high`. CLI11 alone reads "-1" as a
/// seed of 2^64 - 1 and lets 10^20 replications through to an allocation that fails; here
/// either is bad input naming the option (exit 2).
inline CLI::Validator whole_number(std::uint64_t low, std::uint64_t high) {
  return CLI::Validator(
      [low, high](std::string& text) -> std::string {
        // from_chars takes digits only: no sign, no exponent, no fraction, no overflow.
        std::uint64_t value = 0;
        const char* end = text.data() + text.size();
        const auto [stop, error] = std::from_chars(text.data(), end, value);
        if (error != std::errc() || stop != end || value < low || value > high) {
          return fmt::format("expected a whole number from {} to {}, found '{}'", low, high, text);
        }
        return "";
      },
      fmt::format("INT in [{} - {}]", low, high));
}

/// --reps: as run.replications and an experiment's replications.
inline CLI::Validator replications_range() {
  return whole_number(1, static_cast<std::uint64_t>(models::kMaxReplications));
}

/// --seed: as run.seed and an experiment's seed; out of range is an error, never wrapped.
inline CLI::Validator seed_range() {
  return whole_number(0, models::kMaxSeed);
}

/// --confine-inputs: files named inside the inputs (an empirical `file:`, `area:`,
/// `scenario:`, `models_file:`) must lie in the folder of the file naming them.
inline void add_confine_flag(CLI::App* command, bool& confine) {
  command->add_flag("--confine-inputs", confine,
                    "Refuse files named inside the inputs (file:, area:, scenario:, "
                    "models_file:) that lie outside the folder of the file naming them");
}

}  // namespace tcsim::cli

#pragma once
// The one error type for bad input: where (file, line, column, dotted key), what was found and
// what was expected. Bad input is reported before any simulation runs.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tcsim::models {

struct ConfigLocation {
  std::string file;
  int line = 0;     // 1-based; 0 when unknown
  int column = 0;   // 1-based; 0 when unknown
  std::string key;  // dotted path, e.g. "settings.acute.capacity"
};

class ConfigError : public std::runtime_error {
 public:
  ConfigError(ConfigLocation where, const std::string& problem);

  [[nodiscard]] const ConfigLocation& where() const noexcept { return where_; }
  [[nodiscard]] const std::string& problem() const noexcept { return problem_; }

 private:
  ConfigLocation where_;
  std::string problem_;
};

/// `text` made fit to quote in a message: a control character or a byte that is not UTF-8
/// becomes \xNN, and text beyond `max_chars` characters becomes "...". A message then never
/// carries raw bytes (or much) of a file to a terminal.
[[nodiscard]] std::string printable(std::string_view text, std::size_t max_chars = 60);

/// The offset of the first byte of `text` that is not part of well-formed UTF-8 (no overlong
/// forms, surrogates or code points above U+10FFFF), or std::string_view::npos.
[[nodiscard]] std::size_t invalid_utf8_at(std::string_view text);

/// Levenshtein distance, for "did you mean" suggestions.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

/// " (did you mean 'x'?)" for the candidate nearest to `name` if it is close enough to be a
/// typo, else "".
[[nodiscard]] std::string did_you_mean(std::string_view name,
                                       const std::vector<std::string>& candidates);

}  // namespace tcsim::models

#pragma once
// The one error type for bad input: where (file, line, column, dotted key), what was found and
// what was expected. Bad input is reported before any simulation runs.

#include <stdexcept>
#include <string>

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

}  // namespace tcsim::models

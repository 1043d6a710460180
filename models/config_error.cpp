#include "models/config_error.hpp"

#include <fmt/format.h>

namespace tcsim::models {
namespace {

std::string format_message(const ConfigLocation& where, const std::string& problem) {
  std::string text = where.file.empty() ? "<config>" : where.file;
  if (where.line > 0) text += fmt::format(":{}", where.line);
  if (where.column > 0) text += fmt::format(":{}", where.column);
  text += ": ";
  if (!where.key.empty()) text += fmt::format("'{}': ", where.key);
  return text + problem;
}

}  // namespace

ConfigError::ConfigError(ConfigLocation where, const std::string& problem)
    : std::runtime_error(format_message(where, problem)),
      where_(std::move(where)),
      problem_(problem) {}

}  // namespace tcsim::models

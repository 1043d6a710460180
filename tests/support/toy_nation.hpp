#pragma once
// The toy nation of tests/models/data/savings/toy_nation.yaml as text, and loading edited
// copies of it from a scratch folder: shared by the tests of the national file
// (tests/models/config/national_file_test.cpp) and of what is checked against its template
// (tests/models/policy/national_config_test.cpp).

#include <catch2/catch.hpp>

#include <string>

#include "support/temp_dir.hpp"
#include "tcsim/models/policy/national_config.hpp"
#include "tcsim/models/scenario/config_error.hpp"

namespace tcsim::test {

inline const std::string kData = TCSIM_SOURCE_DIR "/tests/models/data/savings/";

inline std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// The toy nation of tests/models/data/savings/toy_nation.yaml, its template named by absolute
// path. Line numbers (for the messages): 5 archetypes, 6 small, 7 large, 8 its count, 9 its
// population, 10 savings.
inline const std::string kNation = R"(name: toy nation
area: )" + kData + R"(toy_area.yaml
template_population: 100000
england: {population: 600000, areas: 5}
archetypes:
  small: {count: 3, population: 100000}
  large:
    count: 2
    population: 150000
savings:
  productivity_gain: 0.1
  replications: 2
  horizon: 400
  warmup: 0
)";

/// Loads `text` as a national config file named `name` in a fresh temporary folder; the path is
/// returned in `path` for the checks on messages.
inline models::NationalConfig load_text(const std::string& text, std::string& path) {
  const TempDir dir("national");
  path = dir.write("nation.yaml", text);
  return models::load_national_config(path);
}

/// The message of the ConfigError that loading `text` throws (fails the test if none).
inline std::string error_of(const std::string& text, std::string& path) {
  try {
    (void)load_text(text, path);
  } catch (const models::ConfigError& e) {
    return e.what();
  }
  FAIL("no ConfigError for:\n" << text);
  return "";
}

}  // namespace tcsim::test

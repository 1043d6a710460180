#include "models/distribution_config.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

namespace tcsim::models {
namespace {

constexpr const char* kKinds =
    "exponential, lognormal, gamma, weibull, uniform, triangular, deterministic, empirical";

// A CSV of observed durations: one value per line, or "value,weight"; blank lines and lines
// starting with '#' are skipped, as is a first line that is not a number (a header). The path
// is relative to the YAML file that names it.
sim::Distribution read_empirical_file(const ConfigNode& node) {
  const std::string name = node.text("a CSV file of durations");
  std::filesystem::path path(name);
  if (path.is_relative()) path = std::filesystem::path(node.file()).parent_path() / path;
  // Only a regular file of sane size: not a folder, a device or a pipe that never ends.
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    node.fail(fmt::format("cannot read the file '{}': no such regular file", path.string()));
  }
  constexpr std::uintmax_t kMaxBytes = 256u << 20;
  if (std::filesystem::file_size(path, error) > kMaxBytes || error) {
    node.fail(fmt::format("the file '{}' is larger than {} MiB", path.string(), kMaxBytes >> 20));
  }
  std::ifstream in(path);
  if (!in) node.fail(fmt::format("cannot read the file '{}'", path.string()));
  std::vector<double> values;
  std::vector<double> weights;
  std::string line;
  int line_number = 0;
  bool weighted = false;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    const auto comma = line.find(',');
    char* end = nullptr;
    const double value = std::strtod(line.c_str(), &end);
    if (end == line.c_str()) {
      if (values.empty() && line_number == 1) continue;  // a header
      node.fail(fmt::format("{}:{}: expected a number of days, found '{}'", path.string(),
                            line_number, line));
    }
    values.push_back(value);
    if (comma != std::string::npos) {
      weighted = true;
      weights.push_back(std::strtod(line.c_str() + comma + 1, nullptr));
    } else {
      weights.push_back(1.0);
    }
  }
  if (!weighted) weights.clear();
  try {
    return sim::Distribution::empirical(std::move(values), std::move(weights));
  } catch (const std::invalid_argument& e) {
    node.fail(fmt::format("{}: {}", path.string(), e.what()));
  }
}

sim::Distribution build(const ConfigNode& node, const std::string& kind) {
  const auto days = [&](std::string_view key) {
    return node.at(key, "a number of days").number("a number of days");
  };
  if (kind == "exponential") {
    node.expect_keys({"distribution", "mean"});
    return sim::Distribution::exponential(days("mean"));
  }
  if (kind == "lognormal") {
    if (node.has("meanlog") || node.has("sdlog")) {
      node.expect_keys({"distribution", "meanlog", "sdlog"});
      return sim::Distribution::lognormal_log(
          node.at("meanlog", "the mean of log(duration)").number("a number"),
          node.at("sdlog", "the sd of log(duration)").number("a number"));
    }
    node.expect_keys({"distribution", "mean", "sd"});
    return sim::Distribution::lognormal_mean_sd(days("mean"), days("sd"));
  }
  if (kind == "gamma") {
    if (node.has("mean") || node.has("sd")) {
      node.expect_keys({"distribution", "mean", "sd"});
      return sim::Distribution::gamma_mean_sd(days("mean"), days("sd"));
    }
    node.expect_keys({"distribution", "shape", "scale"});
    return sim::Distribution::gamma(node.at("shape", "a number > 0").number("a number"),
                                    days("scale"));
  }
  if (kind == "weibull") {
    node.expect_keys({"distribution", "shape", "scale"});
    return sim::Distribution::weibull(node.at("shape", "a number > 0").number("a number"),
                                      days("scale"));
  }
  if (kind == "uniform") {
    node.expect_keys({"distribution", "min", "max"});
    return sim::Distribution::uniform(days("min"), days("max"));
  }
  if (kind == "triangular") {
    node.expect_keys({"distribution", "min", "mode", "max"});
    return sim::Distribution::triangular(days("min"), days("mode"), days("max"));
  }
  if (kind == "deterministic") {
    node.expect_keys({"distribution", "value"});
    return sim::Distribution::deterministic(days("value"));
  }
  if (kind == "empirical") {
    node.expect_keys({"distribution", "values", "weights", "file"});
    if (auto file = node.find("file")) {
      if (node.has("values") || node.has("weights")) {
        file->fail("give either 'file' or 'values' (and 'weights'), not both");
      }
      return read_empirical_file(*file);
    }
    std::vector<double> values;
    for (const ConfigNode& v : node.at("values", "a list of days").items("a list of days")) {
      values.push_back(v.number("a number of days"));
    }
    std::vector<double> weights;
    if (auto w = node.find("weights")) {
      for (const ConfigNode& x : w->items("a list of weights")) {
        weights.push_back(x.number("a weight"));
      }
    }
    return sim::Distribution::empirical(std::move(values), std::move(weights));
  }
  node.at("distribution", "")
      .fail(fmt::format("unknown distribution '{}'; expected one of: {}", kind, kKinds));
}

}  // namespace

sim::Distribution parse_distribution(const ConfigNode& node) {
  node.expect_map(fmt::format("a distribution such as {{distribution: exponential, mean: 2}}"));
  const std::string kind =
      node.at("distribution", fmt::format("one of: {}", kKinds)).text("a distribution name");
  try {
    return build(node, kind);
  } catch (const std::invalid_argument& e) {
    node.fail(e.what());
  }
}

}  // namespace tcsim::models

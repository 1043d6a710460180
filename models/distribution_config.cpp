#include "models/distribution_config.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace tcsim::models {
namespace {

constexpr const char* kKinds =
    "exponential, lognormal, gamma, weibull, uniform, triangular, deterministic, empirical";

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
    node.expect_keys({"distribution", "values", "weights"});
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

const char* distribution_help() {
  return "  exponential:   mean\n"
         "  lognormal:     mean, sd   | meanlog, sdlog\n"
         "  gamma:         shape, scale | mean, sd\n"
         "  weibull:       shape, scale\n"
         "  uniform:       min, max\n"
         "  triangular:    min, mode, max\n"
         "  deterministic: value\n"
         "  empirical:     values: [..], weights: [..] (optional, equal if absent)\n";
}

}  // namespace tcsim::models

#include "tcsim/models/config/distribution_config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "tcsim/models/config/input_file.hpp"

namespace tcsim::models {
namespace {

constexpr const char* kKinds =
    "exponential, lognormal, gamma, weibull, uniform, triangular, deterministic, empirical";

/// The fields of a CSV line, without surrounding blanks.
std::vector<std::string_view> split_row(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    std::string_view field = line.substr(start, comma - start);
    while (!field.empty() && (field.front() == ' ' || field.front() == '\t'))
      field.remove_prefix(1);
    while (!field.empty() && (field.back() == ' ' || field.back() == '\t' || field.back() == '\r'))
      field.remove_suffix(1);
    fields.push_back(field);
    if (comma == std::string_view::npos) return fields;
    start = comma + 1;
  }
}

/// A header names its columns: one or two fields, each beginning with a letter, '_' or '"'
/// ("days", "days,weight"). A first line like "1e3x" is data (and then an error).
bool is_header(const std::vector<std::string_view>& fields) {
  return fields.size() <= 2 && std::all_of(fields.begin(), fields.end(), [](std::string_view f) {
           return !f.empty() && (std::isalpha(static_cast<unsigned char>(f.front())) ||
                                 f.front() == '_' || f.front() == '"');
         });
}

/// The field as a finite number, if the whole of it is one ("4abc", "1e3x", "nan" are not).
std::optional<double> parse_number(std::string_view field) {
  if (!field.empty() && field.front() == '+') field.remove_prefix(1);
  double value = 0.0;
  const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (error != std::errc() || end != field.data() + field.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

/// A field of a file named by a scenario, quoted only when the file has shown itself to be a
/// CSV of numbers and the field is short plain text: the file may be anything the path names
/// (a binary, a password file), and a message must not carry its content.
std::string quoted_field(std::string_view field, bool numbers_seen) {
  const bool plain = field.size() <= 24 && std::all_of(field.begin(), field.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                              c == '+' || c == '_' || c == ' ';
                     });
  if (!numbers_seen || !plain) return "";
  return fmt::format(", found '{}'", field);
}

// A CSV of observed durations (format in configs/README.md): one value per line, or
// "value,weight" on every line; blank lines and lines starting with '#' are skipped. The first
// other line is a header if it names its columns (is_header); every other line is data, and a
// field is a number only when the whole of it is one. Nothing else is accepted.
// The path is relative to the YAML file that names it.
sim::Distribution read_empirical_file(const ConfigNode& node) {
  const std::string path = node.named_file("a CSV file of durations");
  const std::string text =
      read_input_file(path, node.location(), "a CSV file of durations", kMaxCsvBytes);
  node.record_input(path, text);
  const auto fail = [&](int line, const std::string& problem) {
    node.fail(fmt::format("{}:{}: {}", path, line, problem));
  };
  std::vector<double> values;
  std::vector<double> weights;
  std::size_t columns = 0;  // of the data lines: 1, or 2 with weights
  bool first = true;
  int line_number = 0;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + at, end - at);
    at = end + 1;
    ++line_number;
    if (line.empty() || line == "\r" || line.front() == '#') continue;
    const std::vector<std::string_view> fields = split_row(line);
    std::vector<std::optional<double>> numbers;
    numbers.reserve(fields.size());
    for (std::string_view field : fields)
      numbers.push_back(parse_number(field));
    if (std::exchange(first, false) && is_header(fields)) continue;
    if (fields.size() > 2) {
      fail(line_number, fmt::format("{} fields: expected a value, or value,weight", fields.size()));
    }
    if (columns == 0) columns = fields.size();
    if (fields.size() != columns) {
      fail(line_number, fmt::format("{} fields, but the first data line has {}: give a weight on "
                                    "every line or on none",
                                    fields.size(), columns));
    }
    for (std::size_t f = 0; f < fields.size(); ++f) {
      if (!numbers[f]) {
        fail(line_number,
             fmt::format("expected {} (a number){}", f == 0 ? "a duration in days" : "a weight",
                         quoted_field(fields[f], !values.empty())));
      }
    }
    // Checked here too (the distribution checks them without knowing the line).
    if (*numbers[0] < 0.0)
      fail(line_number, fmt::format("a duration of {} days: expected >= 0", *numbers[0]));
    if (columns == 2 && *numbers[1] < 0.0) {
      fail(line_number, fmt::format("a weight of {}: expected >= 0", *numbers[1]));
    }
    values.push_back(*numbers[0]);
    if (columns == 2) weights.push_back(*numbers[1]);
  }
  try {
    return sim::Distribution::empirical(std::move(values), std::move(weights));
  } catch (const std::invalid_argument& e) {
    node.fail(fmt::format("{}: {}", path, e.what()));
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

#include "models/report_format.hpp"

#include <cmath>

#include <fmt/format.h>

namespace tcsim::models {
namespace {

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string json_number(double x) {
  // Shortest representation that reads back to the same double; JSON has no NaN.
  return std::isfinite(x) ? fmt::format("{}", x) : "null";
}

std::string cell(double x) {
  if (!std::isfinite(x)) return "n/a";
  // Counts read better whole: 1000000, not 1e+06.
  if (x == std::floor(x) && std::abs(x) < 1e15) return fmt::format("{:.0f}", x);
  return fmt::format("{:.6g}", x);
}

}  // namespace

std::string format_table(const RunReport& report) {
  std::string out =
      fmt::format("{}  ({}; seed {}, {} replication{})\n", report.scenario_name, report.config_path,
                  report.seed, report.replications, report.replications == 1 ? "" : "s");
  out += fmt::format("{:<40} {:>14} {:>14}  {}\n", "metric", "mean", "95% CI +/-", "unit");
  std::string scope;
  for (const MetricSummary& m : report.metrics) {
    if (m.scope != scope) {
      scope = m.scope;
      out += fmt::format("[{}]\n", scope);
    }
    const std::string half = m.estimate.half_width ? cell(*m.estimate.half_width) : "n/a";
    out += fmt::format("  {:<38} {:>14} {:>14}  {}\n", m.name, cell(m.estimate.mean), half, m.unit);
  }
  out += fmt::format(
      "{} events in {:.3f} s ({:.3g} events/s)\n", report.events, report.wall_seconds,
      report.wall_seconds > 0 ? static_cast<double>(report.events) / report.wall_seconds : 0.0);
  return out;
}

std::string format_json(const RunReport& report, const std::string& version) {
  std::string out = "{";
  out += fmt::format("\"tcsim_version\": {}, \"config\": {}, \"seed\": {}, \"replications\": {}, ",
                     json_string(version), json_string(report.config_path), report.seed,
                     report.replications);
  out += "\"metrics\": {";
  bool first = true;
  for (const MetricSummary& m : report.metrics) {
    if (!first) out += ", ";
    first = false;
    std::string values;
    for (double v : m.values)
      values += (values.empty() ? "" : ", ") + json_number(v);
    out +=
        fmt::format("{}: {{\"mean\": {}, \"ci_half_width\": {}, \"values\": [{}], \"unit\": {}}}",
                    json_string(m.scope + "." + m.name), json_number(m.estimate.mean),
                    m.estimate.half_width ? json_number(*m.estimate.half_width) : "null", values,
                    json_string(m.unit));
  }
  out += "}}\n";
  return out;
}

}  // namespace tcsim::models

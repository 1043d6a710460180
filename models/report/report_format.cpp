#include "tcsim/models/report/report_format.hpp"
#include "tcsim/models/report/text_format.hpp"

#include <cmath>

#include <fmt/format.h>

namespace tcsim::models {
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
    const std::string half = m.estimate.half_width ? cell_number(*m.estimate.half_width) : "n/a";
    out += fmt::format("  {:<38} {:>14} {:>14}  {}\n", m.name, cell_number(m.estimate.mean), half,
                       m.unit);
  }
  out += fmt::format(
      "{} events in {:.3f} s ({:.3g} events/s)\n", report.events, report.wall_seconds,
      report.wall_seconds > 0 ? static_cast<double>(report.events) / report.wall_seconds : 0.0);
  return out;
}

std::string format_json(const RunReport& report, const std::string& version,
                        const std::string& build) {
  std::string out = "{";
  out += fmt::format(
      "\"tcsim_version\": {}, \"tcsim_build\": {}, \"config\": {}, \"seed\": {}, "
      "\"replications\": {}, ",
      json_string(version), json_string(build), json_string(report.config_path), report.seed,
      report.replications);
  out += "\"metrics\": {";
  bool first = true;
  for (const MetricSummary& m : report.metrics) {
    if (!first) out += ", ";
    first = false;
    std::string values;
    for (double v : m.values)
      values += (values.empty() ? "" : ", ") + json_number(v);
    out += fmt::format(R"({}: {{"mean": {}, "ci_half_width": {}, "values": [{}], "unit": {}}})",
                       json_string(m.scope + "." + m.name), json_number(m.estimate.mean),
                       m.estimate.half_width ? json_number(*m.estimate.half_width) : "null", values,
                       json_string(m.unit));
  }
  out += "}}\n";
  return out;
}

std::string format_replications_csv(const RunReport& report) {
  std::string out = "replication,scope,metric,unit,value\n";
  for (std::size_t k = 0; k < report.replication_ids.size(); ++k) {
    for (const MetricSummary& m : report.metrics) {
      out += fmt::format("{},{},{},{},{}\n", report.replication_ids[k], m.scope, m.name, m.unit,
                         csv_number(m.values[k]));
    }
  }
  return out;
}

std::string format_summary_csv(const RunReport& report) {
  std::string out = "scope,metric,unit,mean,ci_half_width,replications\n";
  for (const MetricSummary& m : report.metrics) {
    out +=
        fmt::format("{},{},{},{},{},{}\n", m.scope, m.name, m.unit, csv_number(m.estimate.mean),
                    m.estimate.half_width ? csv_number(*m.estimate.half_width) : "", m.estimate.n);
  }
  return out;
}

std::string format_daily_csv(const RunReport& report) {
  std::string out = "replication,day,setting,mean_occupancy\n";
  for (std::size_t k = 0; k < report.daily.size(); ++k) {
    for (std::size_t d = 0; d < report.daily[k].size(); ++d) {
      for (std::size_t s = 0; s < report.settings.size(); ++s) {
        out += fmt::format("{},{},{},{}\n", report.replication_ids[k], d, report.settings[s],
                           report.daily[k][d][s]);
      }
    }
  }
  return out;
}

}  // namespace tcsim::models

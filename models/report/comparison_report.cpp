#include "tcsim/models/report/comparison_report.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "tcsim/models/report/text_format.hpp"
#include "tcsim/sim/output_analysis.hpp"

namespace tcsim::models {
namespace {

struct Column {
  const char* scope;
  const char* name;
  const char* heading;
  double scale;  // shown value = metric / scale
};

// The area-level questions a comparison answers, in the order a reader asks them.
constexpr Column kColumns[] = {
    {"area", "cost_per_year", "cost £m/yr", 1e6},
    {"area", "acute_bed_days_per_year", "acute bed-days/yr", 1.0},
    {"area", "acute_delayed_days_per_year", "acute delayed days/yr", 1.0},
    {"area", "delayed_days_handoff_per_year", "handoff delay days/yr", 1.0},
    {"area", "delayed_days_interface_per_year", "of which cross-org", 1.0},
    {"area", "delayed_days_capacity_per_year", "capacity wait days/yr", 1.0},
    {"area", "admissions_avoided_per_year", "admissions avoided/yr", 1.0},
    {"area", "early_discharges_per_year", "early discharges/yr", 1.0},
};

std::string level_cell(const MetricSummary* m, double scale) {
  if (!m) return "-";
  const sim::Estimate& e = m->estimate;
  return e.half_width ? fmt::format("{} ±{}", rounded(e.mean / scale, 100, 3),
                                    rounded(*e.half_width / scale, 100, 3))
                      : rounded(e.mean / scale, 100, 3);
}

/// Rounding noise (e.g. 1e-13 days from summing the same delays in another order) shows as 0.
double denoised(double x, double reference) {
  return std::abs(x) <= 1e-9 * std::max(1.0, std::abs(reference)) ? 0.0 : x;
}

std::string difference_cell(const MetricSummary* m, const MetricSummary* base, double scale) {
  if (!m || !base) return "-";
  std::optional<Difference> d = difference(*m, *base);
  if (!d) return "n/a";
  sim::Estimate& e = d->paired;
  e.mean = denoised(e.mean, base->estimate.mean);
  if (e.half_width) e.half_width = denoised(*e.half_width, base->estimate.mean);
  if (!e.half_width) return signed_rounded(e.mean / scale, 100, 3);
  return fmt::format("{} ±{}", signed_rounded(e.mean / scale, 100, 3),
                     rounded(*e.half_width / scale, 100, 3));
}

/// Each organisation with contracted (community) service lines: the share of replications in
/// which their income covered their cost.
std::string viability_cell(const RunReport& report) {
  std::string out;
  for (const MetricSummary& m : report.metrics) {
    if (m.name != "viable") continue;
    out += fmt::format("{}{} {:.0f}%", out.empty() ? "" : ", ", m.scope, 100.0 * m.estimate.mean);
  }
  return out.empty() ? "-" : out;
}

}  // namespace

std::string format_comparison(const std::vector<ModelRun>& runs) {
  if (runs.empty()) return "";
  const RunReport& base = runs.front().report;
  std::string out = fmt::format("{}  ({}; seed {}, {} replication{}, common random numbers)\n",
                                base.scenario_name, base.config_path, base.seed, base.replications,
                                base.replications == 1 ? "" : "s");
  out += fmt::format(
      "first row: {} (mean ±95% CI); other rows: difference from it (paired, ±95% CI)\n\n",
      runs.front().id);
  out += fmt::format("{:<40}", "model");
  for (const Column& c : kColumns)
    out += fmt::format(" {:>24}", c.heading);
  out += "  community services viable (share of replications)\n";
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const RunReport& r = runs[i].report;
    out += fmt::format("{:<40}", runs[i].id);
    for (const Column& c : kColumns) {
      const MetricSummary* m = r.find(c.scope, c.name);
      out +=
          fmt::format(" {:>24}", i == 0 ? level_cell(m, c.scale)
                                        : difference_cell(m, base.find(c.scope, c.name), c.scale));
    }
    out += "  " + viability_cell(r) + "\n";
  }
  return out;
}

std::string format_comparison_csv(const std::vector<ModelRun>& runs) {
  std::string out =
      "model,scope,metric,unit,mean,ci_half_width,difference,difference_ci_half_width,"
      "unpaired_ci_half_width\n";
  if (runs.empty()) return out;
  const RunReport& base = runs.front().report;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const ModelRun& run = runs[i];
    for (const MetricSummary& m : run.report.metrics) {
      std::optional<Difference> d;
      const MetricSummary* b = i == 0 ? nullptr : base.find(m.scope, m.name);
      if (b) d = difference(m, *b);
      out += fmt::format("{},{},{},{},{},{},{},{},{}\n", run.id, m.scope, m.name, m.unit,
                         csv_number(m.estimate.mean), csv_number(m.estimate.half_width),
                         d ? csv_number(d->paired.mean) : "",
                         d ? csv_number(d->paired.half_width) : "",
                         d ? csv_number(d->unpaired_half_width) : "");
    }
  }
  return out;
}

}  // namespace tcsim::models

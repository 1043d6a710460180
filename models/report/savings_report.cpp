#include "tcsim/models/report/savings_report.hpp"

#include <cmath>

#include <fmt/format.h>

#include "tcsim/models/economics/per_replication.hpp"
#include "tcsim/models/report/text_format.hpp"
#include "tcsim/sim/output_analysis.hpp"

namespace tcsim::models {
namespace {

// The figures reported at the time; printed beside the estimates, never used in them.
constexpr double kReportedRelease = 500e6;
constexpr double kReportedAbsorb = 1.5e9;

std::string estimate_text(const Values& v, double scale, int decimals) {
  const sim::Estimate e = sim::estimate_mean(v);
  const std::string mean = fmt::format("{:.{}f}", e.mean / scale, decimals);
  return e.half_width ? fmt::format("{} ±{:.{}f}", mean, *e.half_width / scale, decimals) : mean;
}

std::string savings_table(const SavingsReport& report) {
  std::string out = fmt::format(
      "{} ({}): community direct-care share raised by {:+.2f}; {} replication{} per run, "
      "common random numbers; ± is the 95% CI across replications\n\n",
      report.config_name, report.config_file, report.productivity_gain, report.replications,
      report.replications == 1 ? "" : "s");
  // National figures a year; ± is the 95% CI across replications.
  out += fmt::format("{:<40} {:<8} {:>9} {:>10} {:>19} {:>16} {:>11} {:>18} {:>15} {:>9}\n",
                     "model", "policy", "spare WTE", "spare beds", "acute bed-days avoided",
                     "admissions avoided", "beds closed", "delayed days change", "saving £m/yr",
                     "reported");
  for (const SavingsRow& r : report.rows) {
    out += fmt::format(
        "{:<40} {:<8} {:>9.0f} {:>10.0f} {:>19} {:>16} {:>11} {:>18} {:>15} {:>9}\n", r.model,
        r.policy, r.spare_wte, r.spare_beds, estimate_text(r.acute_bed_days_avoided, 1.0, 0),
        estimate_text(r.admissions_avoided, 1.0, 0), estimate_text(r.acute_beds_closed, 1.0, 0),
        estimate_text(r.delayed_days_change, 1.0, 0), estimate_text(r.saving, 1e6, 1),
        r.policy == "release" ? fmt::format("£{:.0f}m", kReportedRelease / 1e6)
                              : fmt::format("£{:.1f}bn", kReportedAbsorb / 1e9));
  }
  return out;
}

std::string savings_drivers(const SavingsReport& report) {
  std::string out = "\nWhat drives the difference:\n";
  const SavingsRow* release = report.find(kBaselineModel, "release");
  const SavingsRow* absorb = report.find(kBaselineModel, "absorb");
  if (release && absorb && release->spare_wte > 0.0) {
    const double days = mean_of(absorb->acute_bed_days_avoided);
    const double per_wte = days / release->spare_wte;
    const double value = per_wte * report.acute_cost_per_bed_day;
    out += fmt::format(
        "- Under {}, each WTE freed and redeployed avoids {:.0f} acute bed-days a year; at £{:.0f} "
        "a bed-day that is £{:.0f}, against £{:.0f} a year for the WTE (ratio {:.2f}). Absorbing "
        "beats releasing only where that ratio exceeds 1, and only for beds that close.\n",
        kBaselineModel, per_wte, report.acute_cost_per_bed_day, value,
        report.community_cost_per_wte,
        report.community_cost_per_wte > 0.0 ? value / report.community_cost_per_wte : 0.0);
    const double r = mean_of(release->saving);
    const double a = mean_of(absorb->saving);
    out += fmt::format(
        "- Absorb / release = £{}m / £{}m = {:.2f} (the reports said about 3). Only beds beyond "
        "what {:.0f}% occupancy needs close: {:.0f} acute beds nationally.\n",
        millions(a), millions(r), r != 0.0 ? a / r : 0.0, 100.0 * report.target_acute_occupancy,
        mean_of(absorb->acute_beds_closed));
  }
  out +=
      "- The release saving is the fall in the community budget (staff and places, with the "
      "model's own overheads and transaction costs) when the WTE the productivity gain frees "
      "are cut; the absorb saving is the cost of the acute beds that close less the rise in the "
      "community budget. Structure alone moves no patients: a model changes flows only through "
      "its handoffs and reform levers.\n";
  return out;
}

std::string calibration_line(const CalibrationRow& c) {
  const std::string sim =
      std::isfinite(c.simulated.mean)
          ? (c.simulated.half_width
                 ? fmt::format("{:.4g} ±{:.2g}", c.simulated.mean, *c.simulated.half_width)
                 : fmt::format("{:.4g}", c.simulated.mean))
          : std::string("-");
  std::string verdict;
  if (std::isfinite(c.simulated.mean)) {
    verdict = c.context
                  ? fmt::format("context: {:.0f}-{:.0f}% of it", 100.0 * c.simulated.mean / c.high,
                                100.0 * c.simulated.mean / c.low)
              : c.within() ? "within"
                           : "OUTSIDE";
  }
  return fmt::format("  {:<36} {:>20}   published {:.4g} to {:.4g}   {}{}\n", c.name, sim, c.low,
                     c.high, verdict, c.note.empty() ? "" : " (" + c.note + ")");
}

}  // namespace

std::string format_savings(const SavingsReport& report) {
  std::string out = savings_table(report) + savings_drivers(report);
  out +=
      "\nCalibration: the simulated national baseline (direct provision) beside published "
      "figures\n";
  for (const CalibrationRow& c : report.calibration)
    out += calibration_line(c);
  out += fmt::format("\n{} replications simulated in {:.1f} s\n", report.simulated_replications,
                     report.wall_seconds);
  return out;
}

std::string format_psa(const PsaReport& report) {
  const std::size_t n = report.draws.size();
  std::string out = fmt::format(
      "Probabilistic sensitivity analysis: {} Latin hypercube draws of {} uncertain inputs "
      "({:.1f} s)\n",
      n, report.inputs.size(), report.wall_seconds);
  out += fmt::format("{:<40} {:<8} {:>14} {:>16} {:>24}\n", "model", "policy", "mean £m/yr",
                     "95% CI of mean", "5th-95th percentile");
  for (const PsaRow& r : report.rows) {
    const sim::Estimate e = sim::estimate_mean(r.savings);
    out +=
        fmt::format("{:<40} {:<8} {:>14.1f} {:>16} {:>24}\n", r.model, r.policy, e.mean / 1e6,
                    e.half_width ? fmt::format("±{:.1f}", *e.half_width / 1e6) : std::string("n/a"),
                    fmt::format("{:.1f} to {:.1f}", percentile(r.savings, 0.05) / 1e6,
                                percentile(r.savings, 0.95) / 1e6));
  }
  return out;
}

std::string format_tornado(const TornadoReport& report) {
  std::string out = fmt::format(
      "One-way sensitivity ({}; each input at its 5th and 95th percentile, the others central): "
      "release £{:.1f}m, absorb £{:.1f}m a year at central values\n",
      kBaselineModel, report.release_central / 1e6, report.absorb_central / 1e6);
  out += fmt::format("{:<72} {:>20} {:>22} {:>22}\n", "input", "low .. high", "release £m/yr",
                     "absorb £m/yr");
  for (const TornadoBar& b : report.bars) {
    out += fmt::format(
        "{:<72} {:>20} {:>22} {:>22}\n", b.input,
        fmt::format("{} .. {}", rounded(b.low_value, 1000, 3), rounded(b.high_value, 1000, 3)),
        fmt::format("{:.1f} .. {:.1f}", b.release_at_low / 1e6, b.release_at_high / 1e6),
        fmt::format("{:.1f} .. {:.1f}", b.absorb_at_low / 1e6, b.absorb_at_high / 1e6));
  }
  return out;
}

}  // namespace tcsim::models

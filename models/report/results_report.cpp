#include "tcsim/models/report/results_report.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>
#include <Eigen/Dense>

#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/report/text_format.hpp"

namespace tcsim::models {
namespace {

/// Readable in a table: thousands without decimals, small numbers to 3 significant figures.
std::string shown(double x) {
  return rounded(x == 0.0 ? 0.0 : x, 1000, 3);  // no "-0" for a saving of nothing
}

std::string with_ci(const sim::Estimate& e) {
  return e.half_width ? fmt::format("{} ± {}", shown(e.mean), shown(*e.half_width)) : shown(e.mean);
}

std::optional<std::size_t> replications_needed(const sim::Estimate& e, double target) {
  if (!e.half_width || e.mean == 0.0 || !std::isfinite(e.mean)) return std::nullopt;
  const double ratio = *e.half_width / (target * std::abs(e.mean));
  return static_cast<std::size_t>(std::ceil(static_cast<double>(e.n) * ratio * ratio));
}

/// Values of metric `column` by replication, for design point `point` (NaNs left out).
std::map<std::int64_t, double> by_replication(const ResultsTable& t, const MetricColumn& column,
                                              std::int64_t point) {
  std::map<std::int64_t, double> values;
  for (std::size_t row = 0; row < t.rows(); ++row) {
    if (t.design_point[row] == point && !std::isnan(column.values[row]))
      values.emplace(t.replication[row], column.values[row]);
  }
  return values;
}

std::vector<double> values_of(const std::map<std::int64_t, double>& m) {
  std::vector<double> v;
  v.reserve(m.size());
  for (const auto& [k, x] : m)
    v.push_back(x);
  return v;
}

/// What the tornado's fit is made of: the design points with a saving, those savings, the
/// factors that vary among them, and the models they span (the first is the reference).
struct TornadoSample {
  std::vector<std::size_t> points;
  std::vector<double> savings;
  std::vector<std::size_t> factors;
  std::vector<std::string> models;
};

TornadoSample tornado_sample(const ResultsReport& r) {
  TornadoSample s;
  for (std::size_t p = 0; p < r.meta.point_names.size(); ++p) {
    const auto& d = r.points[p][*r.cost_metric].difference;
    if (d && std::isfinite(d->mean)) {
      s.savings.push_back(-d->mean);
      s.points.push_back(p);
    }
  }
  for (std::size_t f = 0; f < r.meta.factor_names.size(); ++f) {
    std::set<double> distinct;
    for (std::size_t p : s.points)
      distinct.insert(r.meta.factor_values[f][p]);
    if (distinct.size() >= 2) s.factors.push_back(f);
  }
  for (std::size_t p : s.points) {
    if (std::find(s.models.begin(), s.models.end(), r.meta.point_models[p]) == s.models.end())
      s.models.push_back(r.meta.point_models[p]);
  }
  return s;
}

/// One row per design point: 1, the factors' values, an indicator per model but the first.
Eigen::MatrixXd design_matrix(const ResultsReport& r, const TornadoSample& s, std::size_t columns) {
  Eigen::MatrixXd x(s.points.size(), columns);
  for (std::size_t i = 0; i < s.points.size(); ++i) {
    const std::size_t p = s.points[i];
    const auto row = static_cast<Eigen::Index>(i);
    x(row, 0) = 1.0;
    for (std::size_t j = 0; j < s.factors.size(); ++j)
      x(row, static_cast<Eigen::Index>(1 + j)) = r.meta.factor_values[s.factors[j]][p];
    for (std::size_t m = 1; m < s.models.size(); ++m) {
      x(row, static_cast<Eigen::Index>(s.factors.size() + m)) =
          r.meta.point_models[p] == s.models[m] ? 1.0 : 0.0;
    }
  }
  return x;
}

/// The coefficients' covariance, so a sample's chance effects are not read as real ones; none
/// without residual degrees of freedom, with an exact fit or a singular design.
std::optional<Eigen::MatrixXd> coefficient_covariance(const Eigen::MatrixXd& x,
                                                      const Eigen::VectorXd& beta,
                                                      const Eigen::VectorXd& target) {
  const auto residual_dof = static_cast<std::size_t>(x.rows() - x.cols());
  if (residual_dof == 0) return std::nullopt;
  const double rss = (x * beta - target).squaredNorm();
  const Eigen::MatrixXd gram = x.transpose() * x;
  if (rss > 1e-18 * std::max(1.0, target.squaredNorm()) && gram.fullPivLu().rank() == gram.rows()) {
    return (rss / static_cast<double>(residual_dof)) * gram.inverse();
  }
  return std::nullopt;
}

/// Factor j's bar: the fitted saving at its lowest and highest value, the others at their mean.
TornadoRow tornado_row(const ResultsReport& r, const TornadoSample& s, std::size_t j,
                       double central, double coefficient) {
  const std::vector<double>& v = r.meta.factor_values[s.factors[j]];
  double lo = v[s.points.front()];
  double hi = lo;
  double mean = 0.0;
  for (std::size_t p : s.points) {
    lo = std::min(lo, v[p]);
    hi = std::max(hi, v[p]);
    mean += v[p];
  }
  mean /= static_cast<double>(s.points.size());
  return TornadoRow{
      r.meta.factor_names[s.factors[j]],   lo,          hi, central + coefficient * (lo - mean),
      central + coefficient * (hi - mean), std::nullopt};
}

/// Least squares of the design points' savings on the factors (and one indicator per model
/// but the first): each factor's coefficient times its range is its bar. With a grid this is
/// the factor's main effect; with LHS or PSA samples, its linear effect.
void fit_tornado(ResultsReport& r) {
  if (!r.cost_metric) return;
  const TornadoSample s = tornado_sample(r);
  const std::size_t columns = 1 + s.factors.size() + (s.models.empty() ? 0 : s.models.size() - 1);
  if (s.factors.empty() || s.points.size() <= columns) return;
  const Eigen::MatrixXd x = design_matrix(r, s, columns);
  Eigen::VectorXd target(s.points.size());
  for (std::size_t i = 0; i < s.points.size(); ++i)
    target(static_cast<Eigen::Index>(i)) = s.savings[i];
  const Eigen::VectorXd beta = x.colPivHouseholderQr().solve(target);
  const std::optional<Eigen::MatrixXd> covariance = coefficient_covariance(x, beta, target);
  const auto residual_dof = static_cast<std::size_t>(x.rows() - x.cols());
  double central = 0.0;
  for (double v : s.savings)
    central += v;
  central /= static_cast<double>(s.savings.size());
  r.tornado_central = central;
  for (std::size_t j = 0; j < s.factors.size(); ++j) {
    const auto index = static_cast<Eigen::Index>(1 + j);
    TornadoRow row = tornado_row(r, s, j, central, beta(index));
    if (covariance) {
      row.swing_half_width = sim::t_critical(0.95, residual_dof) *
                             std::sqrt((*covariance)(index, index)) *
                             (row.high_value - row.low_value);
    }
    r.tornado.push_back(row);
  }
  std::stable_sort(r.tornado.begin(), r.tornado.end(),
                   [](const TornadoRow& a, const TornadoRow& b) { return a.swing() > b.swing(); });
}

/// MSER-5 on the baseline's key occupancy series, averaged over its replications.
void find_warmup(ResultsReport& r, const ResultsTable& t) {
  if (t.days == 0 || t.settings == 0) return;
  std::size_t key = 0;
  for (std::size_t s = 0; s < r.meta.services.size(); ++s) {
    if (r.meta.services[s].starts_with("acute")) {
      key = s;
      break;
    }
  }
  r.key_setting = key;
  std::vector<double> mean(t.days, 0.0);
  std::vector<std::size_t> count(t.days, 0);
  for (std::size_t row = 0; row < t.rows(); ++row) {
    if (t.design_point[row] != static_cast<std::int64_t>(r.baseline)) continue;
    for (std::size_t d = 0; d < t.days; ++d) {
      const double v = t.occupancy[(row * t.days + d) * t.settings + key];
      if (!std::isnan(v)) {
        mean[d] += v;
        ++count[d];
      }
    }
  }
  for (std::size_t d = 0; d < t.days; ++d)
    mean[d] = count[d] ? mean[d] / static_cast<double>(count[d]) : std::nan("");
  r.mser5_warmup_days = sim::mser5_truncation(mean);
}

}  // namespace

std::size_t ResultsReport::best_point() const {
  std::size_t best = baseline;
  double best_saving = 0.0;
  if (!cost_metric) return best;
  for (std::size_t p = 0; p < points.size(); ++p) {
    const auto& d = points[p][*cost_metric].difference;
    if (p != baseline && d && -d->mean > best_saving) {
      best_saving = -d->mean;
      best = p;
    }
  }
  return best;
}

ResultsReport analyse_results(const ResultsFile& results, const std::string& file,
                              const ReportOptions& options) {
  ResultsReport r;
  r.file = file;
  r.meta = results.meta;
  r.complete = results.complete;
  r.target_precision = options.target_precision;
  const ResultsTable& t = results.table;
  r.rows = t.rows();
  const std::size_t points = r.meta.point_names.size();
  if (points == 0)
    throw std::runtime_error(fmt::format("results file '{}' has no design points", file));
  if (options.baseline) {
    const auto it =
        std::find(r.meta.point_names.begin(), r.meta.point_names.end(), *options.baseline);
    if (it == r.meta.point_names.end()) {
      std::string names;
      for (const std::string& n : r.meta.point_names)
        names += fmt::format("{}'{}'", names.empty() ? "" : ", ", n);
      throw std::invalid_argument(fmt::format("--baseline '{}' is not a design point of '{}' ({})",
                                              *options.baseline, file, names));
    }
    r.baseline = static_cast<std::size_t>(it - r.meta.point_names.begin());
  }
  for (const MetricColumn& m : t.metrics) {
    if (m.key() == options.cost_metric) r.cost_metric = r.metric_keys.size();
    r.metric_keys.push_back(m.key());
    r.metric_units.push_back(m.unit);
  }
  r.points.assign(points, std::vector<PointMetric>(t.metrics.size()));
  for (std::size_t m = 0; m < t.metrics.size(); ++m) {
    const auto base = by_replication(t, t.metrics[m], static_cast<std::int64_t>(r.baseline));
    for (std::size_t p = 0; p < points; ++p) {
      const auto here = by_replication(t, t.metrics[m], static_cast<std::int64_t>(p));
      PointMetric& pm = r.points[p][m];
      pm.estimate = sim::estimate_mean(values_of(here));
      pm.replications_needed = replications_needed(pm.estimate, options.target_precision);
      std::vector<double> differences;
      for (const auto& [k, v] : here) {
        if (const auto b = base.find(k); b != base.end()) differences.push_back(v - b->second);
      }
      if (!differences.empty()) pm.difference = sim::estimate_mean(differences);
    }
  }
  fit_tornado(r);
  find_warmup(r, t);
  try {
    r.configured_warmup_days =
        parse_scenario(r.meta.scenario_text, "the scenario in " + file).run.warmup;
  } catch (const std::exception&) {
    r.configured_warmup_days = 0.0;  // a file written by hand need not carry a scenario
  }
  return r;
}

std::string format_results_summary_csv(const ResultsReport& r) {
  std::string out =
      "design_point,name,metric,units,n,mean,half_width,ci_low,ci_high,relative_half_width,"
      "replications_needed\n";
  for (std::size_t p = 0; p < r.points.size(); ++p) {
    for (std::size_t m = 0; m < r.metric_keys.size(); ++m) {
      const PointMetric& pm = r.points[p][m];
      const sim::Estimate& e = pm.estimate;
      const std::optional<double> hw = e.half_width;
      out += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", p, csv_field(r.meta.point_names[p]),
                         csv_field(r.metric_keys[m]), csv_field(r.metric_units[m]), e.n,
                         csv_number(e.mean, 10), csv_number(hw, 10),
                         hw ? csv_number(e.mean - *hw, 10) : "",
                         hw ? csv_number(e.mean + *hw, 10) : "",
                         hw && e.mean != 0.0 ? csv_number(*hw / std::abs(e.mean), 10) : "",
                         pm.replications_needed ? std::to_string(*pm.replications_needed) : "");
    }
  }
  return out;
}

std::string format_results_differences_csv(const ResultsReport& r) {
  std::string out = "design_point,name,metric,units,n,mean_difference,half_width,ci_low,ci_high\n";
  for (std::size_t p = 0; p < r.points.size(); ++p) {
    if (p == r.baseline) continue;
    for (std::size_t m = 0; m < r.metric_keys.size(); ++m) {
      const auto& d = r.points[p][m].difference;
      if (!d) continue;
      const std::optional<double> hw = d->half_width;
      out += fmt::format("{},{},{},{},{},{},{},{},{}\n", p, csv_field(r.meta.point_names[p]),
                         csv_field(r.metric_keys[m]), csv_field(r.metric_units[m]), d->n,
                         csv_number(d->mean, 10), csv_number(hw, 10),
                         hw ? csv_number(d->mean - *hw, 10) : "",
                         hw ? csv_number(d->mean + *hw, 10) : "");
    }
  }
  return out;
}

std::string format_savings_csv(const ResultsReport& r) {
  std::string out = "design_point,name,model,metric,saving,half_width\n";
  if (!r.cost_metric) return out;
  for (std::size_t p = 0; p < r.points.size(); ++p) {
    const auto& d = r.points[p][*r.cost_metric].difference;
    out += fmt::format("{},{},{},{},{},{}\n", p, csv_field(r.meta.point_names[p]),
                       csv_field(r.meta.point_models[p]), csv_field(r.metric_keys[*r.cost_metric]),
                       d ? csv_number(-d->mean, 10) : "", d ? csv_number(d->half_width, 10) : "");
  }
  return out;
}

std::string format_tornado_csv(const ResultsReport& r) {
  std::string out =
      "factor,low_value,high_value,output_at_low,output_at_high,central,output,"
      "swing_half_width\n";
  if (!r.cost_metric) return out;
  const std::string output = fmt::format("saving in {} ({})", r.metric_keys[*r.cost_metric],
                                         r.metric_units[*r.cost_metric]);
  for (const TornadoRow& row : r.tornado) {
    out += fmt::format("{},{},{},{},{},{},{},{}\n", csv_field(row.factor),
                       csv_number(row.low_value, 10), csv_number(row.high_value, 10),
                       csv_number(row.output_at_low, 10), csv_number(row.output_at_high, 10),
                       csv_number(r.tornado_central, 10), csv_field(output),
                       csv_number(row.swing_half_width, 10));
  }
  return out;
}

namespace {

// Title, file, design and baseline.
std::string markdown_header(const ResultsReport& r) {
  std::string md = fmt::format("# Results: {}\n\n", r.meta.experiment_name);
  md += fmt::format(
      "- File: `{}` ({}; {} of {} tasks{})\n- Design: {}, {} design points x {} replications, "
      "master seed {}\n- Baseline for differences: **{}**\n\n",
      r.file, r.meta.tcsim_version, r.rows, r.meta.tasks_expected(),
      r.complete ? "" : " - INCOMPLETE: resume the batch for the rest", r.meta.design_kind,
      r.meta.point_names.size(), r.meta.replications, r.meta.seed, r.meta.point_names[r.baseline]);
  return md;
}

/// The key metrics: the area's headline figures if the file has them, else the first few.
std::vector<std::size_t> key_metrics(const ResultsReport& r) {
  std::vector<std::size_t> key;
  for (const char* k :
       {"area.cost_per_year", "area.acute_bed_days_per_year", "area.acute_delayed_days_per_year",
        "area.admissions_avoided_per_year", "area.early_discharges_per_year"}) {
    const auto it = std::find(r.metric_keys.begin(), r.metric_keys.end(), k);
    if (it != r.metric_keys.end())
      key.push_back(static_cast<std::size_t>(it - r.metric_keys.begin()));
  }
  for (std::size_t m = 0; key.size() < 4 && m < r.metric_keys.size(); ++m) {
    if (std::find(key.begin(), key.end(), m) == key.end()) key.push_back(m);
  }
  return key;
}

// The markdown line under a table's header: one "---|" per key metric after the name column.
std::string separator_row(std::size_t columns) {
  std::string md = "\n|---|";
  for (std::size_t i = 0; i < columns; ++i)
    md += "---|";
  return md + "\n";
}

std::string key_metrics_table(const ResultsReport& r, const std::vector<std::size_t>& key) {
  std::string md = "## Key metrics by design point (mean ± 95% CI half-width)\n\n| design point |";
  for (std::size_t m : key)
    md += fmt::format(" {} ({}) |", r.metric_keys[m], r.metric_units[m]);
  md += separator_row(key.size());
  for (std::size_t p = 0; p < r.points.size(); ++p) {
    md += fmt::format("| {} |", r.meta.point_names[p]);
    for (std::size_t m : key)
      md += fmt::format(" {} |", with_ci(r.points[p][m].estimate));
    md += "\n";
  }
  return md;
}

// Each design point but the baseline, paired with the baseline replication by replication.
std::string differences_table(const ResultsReport& r, const std::vector<std::size_t>& key) {
  std::string md = fmt::format(
      "\n## Paired differences against {} (mean ± 95% CI)\n\n"
      "Replication k of each design point is paired with replication k of the "
      "baseline: they share random numbers, so the difference is measured more "
      "tightly than the two levels.\n\n| design point |",
      r.meta.point_names[r.baseline]);
  for (std::size_t m : key)
    md += fmt::format(" {} |", r.metric_keys[m]);
  md += separator_row(key.size());
  for (std::size_t p = 0; p < r.points.size(); ++p) {
    if (p == r.baseline) continue;
    md += fmt::format("| {} |", r.meta.point_names[p]);
    for (std::size_t m : key) {
      const auto& d = r.points[p][m].difference;
      md += fmt::format(" {} |", d ? with_ci(*d) : "n/a");
    }
    md += "\n";
  }
  return md;
}

// Relative precision of the cost metric (else the first key metric) against the target;
// empty if the file has no metric.
std::string replications_section(const ResultsReport& r, const std::vector<std::size_t>& key) {
  if (r.metric_keys.empty()) return {};
  const std::size_t judged = r.cost_metric ? *r.cost_metric : (key.empty() ? 0 : key.front());
  std::string md = fmt::format(
      "\n## Do the replications suffice? ({})\n\nThe CI half-width relative to the mean, and "
      "the replications that would bring it to ±{:.0f}% (n x (half-width / ({:.0f}% x "
      "|mean|))^2). The paired difference's half-width is what a comparison needs; it is "
      "shown beside.\n\n| design point | n | relative half-width | replications for ±{:.0f}% "
      "| paired difference half-width |\n|---|---|---|---|---|\n",
      r.metric_keys[judged], 100 * r.target_precision, 100 * r.target_precision,
      100 * r.target_precision);
  std::size_t short_of = 0;
  for (std::size_t p = 0; p < r.points.size(); ++p) {
    const PointMetric& pm = r.points[p][judged];
    const sim::Estimate& e = pm.estimate;
    const bool enough = pm.replications_needed && *pm.replications_needed <= e.n;
    if (!enough) ++short_of;
    md += fmt::format(
        "| {} | {} | {} | {}{} | {} |\n", r.meta.point_names[p], e.n,
        e.half_width && e.mean != 0.0
            ? fmt::format("{:.2f}%", 100.0 * *e.half_width / std::abs(e.mean))
            : "n/a",
        pm.replications_needed ? std::to_string(*pm.replications_needed) : "n/a",
        enough ? " (enough)" : "",
        pm.difference && pm.difference->half_width ? shown(*pm.difference->half_width) : "-");
  }
  md += short_of == 0 ? "\nEvery design point meets the target.\n"
                      : fmt::format("\n{} design point(s) fall short of the target.\n", short_of);
  return md;
}

// Saving of each design point against the baseline (needs the cost metric).
std::string savings_table(const ResultsReport& r) {
  std::string md = fmt::format(
      "\n## Savings against {} ({}, baseline minus design point)\n\n"
      "| design point | saving | 95% CI |\n|---|---|---|\n",
      r.meta.point_names[r.baseline], r.metric_keys[*r.cost_metric]);
  for (std::size_t p = 0; p < r.points.size(); ++p) {
    const auto& d = r.points[p][*r.cost_metric].difference;
    md += fmt::format("| {} | {} | {} |\n", r.meta.point_names[p], d ? shown(-d->mean) : "n/a",
                      d && d->half_width ? fmt::format("{} to {}", shown(-d->mean - *d->half_width),
                                                       shown(-d->mean + *d->half_width))
                                         : "-");
  }
  return md;
}

std::string tornado_section(const ResultsReport& r) {
  std::string md = "\n## Sensitivity (tornado)\n\n";
  if (r.tornado.empty()) return md + "No numeric factor varies in this experiment.\n";
  md += fmt::format(
      "Saving at each factor's lowest and highest value, the others held (linear fit over "
      "the design points' mean savings, models as indicators); central {}. The swing's 95% "
      "CI comes from the fit's residuals: a swing within it is not distinguishable from "
      "chance.\n\n| factor | low | high | saving at low | saving at high | swing ± 95% CI "
      "|\n|---|---|---|---|---|---|\n",
      shown(r.tornado_central));
  for (const TornadoRow& row : r.tornado) {
    md += fmt::format("| {} | {} | {} | {} | {} | {}{} |\n", row.factor, shown(row.low_value),
                      shown(row.high_value), shown(row.output_at_low), shown(row.output_at_high),
                      shown(row.output_at_high - row.output_at_low),
                      row.swing_half_width ? " ± " + shown(*row.swing_half_width) : "");
  }
  return md;
}

// MSER-5's warm-up against the scenario's; empty without a key setting.
std::string warmup_section(const ResultsReport& r) {
  if (!r.key_setting) return {};
  return fmt::format(
      "\n## Warm-up\n\nMSER-5 on the daily occupancy of {} (baseline, mean over its "
      "replications) suggests deleting the first **{} days**; the scenario's warm-up is {} "
      "days{}.\n",
      r.meta.settings[*r.key_setting], r.mser5_warmup_days, shown(r.configured_warmup_days),
      static_cast<double>(r.mser5_warmup_days) <= r.configured_warmup_days
          ? " - enough"
          : " - consider a longer warm-up");
}

}  // namespace

std::string format_report_markdown(const ResultsReport& r) {
  const std::vector<std::size_t> key = key_metrics(r);
  std::string md = markdown_header(r) + key_metrics_table(r, key) + differences_table(r, key) +
                   replications_section(r, key);
  if (r.cost_metric) md += savings_table(r) + tornado_section(r);
  md += warmup_section(r);
  md +=
      "\n## Files\n\n- `summary.csv`: every metric of every design point (mean, CI, "
      "replications needed)\n- `differences.csv`: paired differences against the baseline\n"
      "- `savings.csv`, `tornado.csv`: the data of the plots\n"
      "- Plots: `savings_by_model.png`, `occupancy_delays_over_time.png`, `tornado.png`, "
      "`warmup.png`\n";
  return md;
}

}  // namespace tcsim::models

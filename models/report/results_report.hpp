#pragma once
// What `tcsim report` tells about a results file: per design point each metric's mean and 95%
// CI; paired differences against a baseline design point (replication k with replication k,
// which share random numbers); whether the replications suffice; the saving in the key cost
// metric; a tornado of the factors' effects on it; and the MSER-5 warm-up of the key occupancy
// series. Tables as markdown and CSV; the plots are drawn from these by
// models/report/plot_results.py.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "tcsim/models/results/results_file.hpp"
#include "tcsim/sim/output_analysis.hpp"

namespace tcsim::models {

struct ReportOptions {
  std::optional<std::string> baseline;  // design point name; default the first
  /// Target CI half-width relative to the mean, for "replications needed".
  double target_precision = 0.05;
  std::string cost_metric = "area.cost_per_year";  // savings = baseline - design point
};

struct PointMetric {
  sim::Estimate estimate;                   // over the replications with a value
  std::optional<sim::Estimate> difference;  // paired, design point - baseline
  /// Replications for a half-width of target_precision x |mean| (nullopt: no CI or mean 0).
  std::optional<std::size_t> replications_needed;
};

struct TornadoRow {
  std::string factor;
  double low_value = 0.0, high_value = 0.0;
  double output_at_low = 0.0, output_at_high = 0.0;
  /// 95% CI half-width of (output_at_high - output_at_low), from the fit's residuals; nullopt
  /// when the design points leave no residual degrees of freedom (or fit exactly).
  std::optional<double> swing_half_width;
  [[nodiscard]] double swing() const { return std::abs(output_at_high - output_at_low); }
};

struct ResultsReport {
  std::string file;
  ResultsMetadata meta;
  bool complete = false;
  std::size_t rows = 0;
  std::size_t baseline = 0;  // design point index
  std::vector<std::string> metric_keys;
  std::vector<std::string> metric_units;
  std::vector<std::vector<PointMetric>> points;  // [design point][metric]
  std::optional<std::size_t> cost_metric;        // index into metric_keys
  double tornado_central = 0.0;
  std::vector<TornadoRow> tornado;         // largest swing first
  std::optional<std::size_t> key_setting;  // the series' acute setting
  std::size_t mser5_warmup_days = 0;
  double configured_warmup_days = 0.0;
  double target_precision = 0.05;

  /// The design point with the largest saving (or the baseline if there is none).
  [[nodiscard]] std::size_t best_point() const;
};

[[nodiscard]] ResultsReport analyse_results(const ResultsFile& results, const std::string& file,
                                            const ReportOptions& options);

[[nodiscard]] std::string format_report_markdown(const ResultsReport& report);
/// design_point,name,metric,units,n,mean,half_width,ci_low,ci_high,relative_half_width,
/// replications_needed
[[nodiscard]] std::string format_results_summary_csv(const ResultsReport& report);
/// design_point,name,metric,units,n,mean_difference,half_width,ci_low,ci_high
[[nodiscard]] std::string format_results_differences_csv(const ResultsReport& report);
/// design_point,name,model,metric,saving,half_width (what models/report/plot_results.py reads)
[[nodiscard]] std::string format_savings_csv(const ResultsReport& report);
/// factor,low_value,high_value,output_at_low,output_at_high,central,output,swing_half_width
[[nodiscard]] std::string format_tornado_csv(const ResultsReport& report);

}  // namespace tcsim::models

#include "tcsim/models/economics/sensitivity.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include <fmt/format.h>
#include <boost/random/uniform_01.hpp>

#include "tcsim/sim/output_analysis.hpp"
#include "tcsim/sim/random.hpp"

namespace tcsim::models {
namespace {

double mean_of(const std::vector<double>& v) {
  return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

/// Options with one input set to `value`: an area path becomes an override of the template,
/// savings.productivity_gain replaces the config's gain.
void set_input(SavingsOptions& options, const std::string& path, double value) {
  if (path == "savings.productivity_gain") {
    options.productivity_gain = value;
  } else {
    options.area_overrides.emplace_back(path.substr(std::string("area.").size()),
                                        fmt::format("{}", value));
  }
}

double percentile(std::vector<double> v, double share) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const double position = share * static_cast<double>(v.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, v.size() - 1);
  return v[below] + (position - static_cast<double>(below)) * (v[above] - v[below]);
}

/// 0.0846, 2.69, 32000: no exponent for the magnitudes inputs have.
std::string readable(double x) {
  return std::abs(x) >= 1000.0 ? fmt::format("{:.0f}", x) : fmt::format("{:.3g}", x);
}

const SavingsRow& baseline_row(const SavingsReport& r, const char* policy) {
  const SavingsRow* row = r.find(kBaselineModel, policy);
  if (!row) throw std::logic_error("sensitivity: the baseline model was not run");
  return *row;
}

}  // namespace

double TornadoBar::swing() const {
  return std::max(std::abs(release_at_high - release_at_low),
                  std::abs(absorb_at_high - absorb_at_low));
}

std::vector<std::vector<double>> latin_hypercube(std::size_t n, std::size_t dims,
                                                 std::uint64_t seed) {
  std::vector<std::vector<double>> points(n, std::vector<double>(dims, 0.0));
  sim::RandomEngine rng = sim::make_stream(seed, 0, "psa/latin_hypercube");
  boost::random::uniform_01<double> u;
  for (std::size_t d = 0; d < dims; ++d) {
    std::vector<std::size_t> strata(n);
    std::iota(strata.begin(), strata.end(), std::size_t{0});
    // Fisher-Yates with the project's engine (std::shuffle's algorithm is not specified, so
    // its results would differ between standard libraries).
    for (std::size_t i = n; i > 1; --i) {
      const auto j = static_cast<std::size_t>(u(rng) * static_cast<double>(i));
      std::swap(strata[i - 1], strata[std::min(j, i - 1)]);
    }
    for (std::size_t j = 0; j < n; ++j) {
      points[j][d] = (static_cast<double>(strata[j]) + u(rng)) / static_cast<double>(n);
    }
  }
  return points;
}

double distribution_quantile(const sim::Distribution& d, double share) {
  sim::RandomEngine rng = sim::make_stream(1, 0, "psa/quantile");
  std::vector<double> draws(20'000);
  for (double& x : draws)
    x = d.sample(rng);
  return percentile(std::move(draws), share);
}

PsaReport run_psa(const NationalConfig& config, const IntegrationModels& models,
                  const SavingsOptions& options, std::size_t draws, std::uint64_t seed) {
  const auto start = std::chrono::steady_clock::now();
  PsaReport report;
  for (const UncertainInput& u : config.uncertain)
    report.inputs.push_back(u.path);
  const auto points = latin_hypercube(draws, config.uncertain.size(), seed);
  for (const auto& point : points) {
    SavingsOptions o = options;
    std::vector<double> values;
    for (std::size_t i = 0; i < config.uncertain.size(); ++i) {
      const double v = distribution_quantile(config.uncertain[i].distribution, point[i]);
      values.push_back(v);
      set_input(o, config.uncertain[i].path, v);
    }
    report.draws.push_back(values);
    const SavingsReport s = run_savings(config, models, o);
    if (report.rows.empty()) {
      for (const SavingsRow& r : s.rows)
        report.rows.push_back(PsaRow{r.model, r.policy, {}});
    }
    for (std::size_t k = 0; k < s.rows.size(); ++k)
      report.rows[k].savings.push_back(mean_of(s.rows[k].saving));
  }
  report.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
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

TornadoReport run_tornado(const NationalConfig& config, const IntegrationModels& models,
                          const SavingsOptions& options) {
  SavingsOptions baseline_only = options;
  baseline_only.models = {kBaselineModel};
  TornadoReport report;
  const SavingsReport central = run_savings(config, models, baseline_only);
  report.release_central = mean_of(baseline_row(central, "release").saving);
  report.absorb_central = mean_of(baseline_row(central, "absorb").saving);
  for (const UncertainInput& u : config.uncertain) {
    TornadoBar bar;
    bar.input = u.path;
    bar.low_value = distribution_quantile(u.distribution, 0.05);
    bar.high_value = distribution_quantile(u.distribution, 0.95);
    for (const bool high : {false, true}) {
      SavingsOptions o = baseline_only;
      set_input(o, u.path, high ? bar.high_value : bar.low_value);
      const SavingsReport s = run_savings(config, models, o);
      (high ? bar.release_at_high : bar.release_at_low) =
          mean_of(baseline_row(s, "release").saving);
      (high ? bar.absorb_at_high : bar.absorb_at_low) = mean_of(baseline_row(s, "absorb").saving);
    }
    report.bars.push_back(bar);
  }
  std::stable_sort(report.bars.begin(), report.bars.end(),
                   [](const TornadoBar& a, const TornadoBar& b) { return a.swing() > b.swing(); });
  return report;
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
        fmt::format("{} .. {}", readable(b.low_value), readable(b.high_value)),
        fmt::format("{:.1f} .. {:.1f}", b.release_at_low / 1e6, b.release_at_high / 1e6),
        fmt::format("{:.1f} .. {:.1f}", b.absorb_at_low / 1e6, b.absorb_at_high / 1e6));
  }
  return out;
}

}  // namespace tcsim::models

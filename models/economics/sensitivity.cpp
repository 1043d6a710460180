#include "tcsim/models/economics/sensitivity.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tcsim/models/economics/per_replication.hpp"
#include "tcsim/models/experiments/design.hpp"
#include "tcsim/sim/output_analysis.hpp"
#include "tcsim/sim/random.hpp"

namespace tcsim::models {
namespace {

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

const SavingsRow& baseline_row(const SavingsReport& r, const char* policy) {
  const SavingsRow* row = r.find(kBaselineModel, policy);
  if (!row) throw std::logic_error("sensitivity: the baseline model was not run");
  return *row;
}

}  // namespace

double percentile(std::vector<double> v, double share) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const double position = share * static_cast<double>(v.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, v.size() - 1);
  return v[below] + (position - static_cast<double>(below)) * (v[above] - v[below]);
}

double TornadoBar::swing() const {
  return std::max(std::abs(release_at_high - release_at_low),
                  std::abs(absorb_at_high - absorb_at_low));
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

}  // namespace tcsim::models

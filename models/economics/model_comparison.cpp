#include "tcsim/models/economics/model_comparison.hpp"

#include <algorithm>
#include <cmath>

#include "tcsim/sim/output_analysis.hpp"

namespace tcsim::models {

std::vector<ModelRun> run_models(const Scenario& area, const IntegrationModels& models,
                                 const std::vector<std::string>& ids, const RunOptions& options) {
  std::vector<std::string> order{kBaselineModel};
  for (const std::string& id : ids) {
    if (id != kBaselineModel) order.push_back(id);
  }
  std::vector<ModelRun> runs;
  for (const std::string& id : order) {
    const Scenario scenario = apply_model(area, models, models.find(id));
    runs.push_back(ModelRun{id, run_scenario(scenario, options)});
  }
  return runs;
}

std::optional<Difference> difference(const MetricSummary& model, const MetricSummary& baseline) {
  if (model.values.size() != baseline.values.size() || model.values.empty()) return std::nullopt;
  std::vector<double> diffs;
  for (std::size_t k = 0; k < model.values.size(); ++k) {
    const double d = model.values[k] - baseline.values[k];
    if (!std::isfinite(d)) return std::nullopt;
    diffs.push_back(d);
  }
  Difference out;
  out.paired = sim::estimate_mean(diffs);
  const sim::Estimate& a = model.estimate;
  const sim::Estimate& b = baseline.estimate;
  if (a.sd && b.sd && a.n > 1 && b.n > 1) {
    const double va = *a.sd * *a.sd / static_cast<double>(a.n);
    const double vb = *b.sd * *b.sd / static_cast<double>(b.n);
    const double se = std::sqrt(va + vb);
    if (se > 0.0) {
      // Welch-Satterthwaite degrees of freedom, rounded down.
      const double dof =
          (va + vb) * (va + vb) /
          (va * va / static_cast<double>(a.n - 1) + vb * vb / static_cast<double>(b.n - 1));
      out.unpaired_half_width =
          sim::t_critical(0.95, static_cast<std::size_t>(std::max(1.0, std::floor(dof)))) * se;
    } else {
      out.unpaired_half_width = 0.0;
    }
  }
  return out;
}

}  // namespace tcsim::models

#include "tcsim/models/experiments/experiment.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/experiments/design.hpp"
#include "tcsim/models/network/network_builder.hpp"
#include "tcsim/models/policy/productivity.hpp"
#include "tcsim/models/run/replication.hpp"
#include "tcsim/sim/network_simulation.hpp"
#include "tcsim/sim/random.hpp"

namespace tcsim::models {
namespace {

/// "0.1", "300": the shortest text that reads back as the same double.
std::string value_text(double v) {
  return fmt::format("{}", v);
}

/// The factor settings (one row per setting, one value per factor), before crossing with models.
std::vector<std::vector<double>> factor_settings(const Experiment& e, std::int64_t points) {
  std::vector<std::vector<double>> rows;
  const std::size_t dims = e.factors.size();
  if (e.design == DesignKind::grid) {
    rows.emplace_back();
    // The first factor varies slowest, as in nested loops over the factors in file order.
    for (const ExperimentFactor& f : e.factors) {
      std::vector<std::vector<double>> next;
      for (const auto& row : rows) {
        for (double level : f.levels) {
          next.push_back(row);
          next.back().push_back(level);
        }
      }
      rows = std::move(next);
    }
    return rows;
  }
  const auto n = static_cast<std::size_t>(points);
  if (e.design == DesignKind::lhs) {
    rows = latin_hypercube(n, dims, sim::stream_seed(e.seed, 0, "design/lhs"));
    for (auto& row : rows) {
      for (std::size_t d = 0; d < dims; ++d) {
        const ExperimentFactor& f = e.factors[d];
        row[d] = f.low + row[d] * (f.high - f.low);
        if (f.integer) row[d] = std::round(row[d]);
      }
    }
    return rows;
  }
  rows.assign(n, std::vector<double>(dims, 0.0));
  for (std::size_t d = 0; d < dims; ++d) {
    // One stream per factor, so adding a factor leaves the draws of the others alone.
    sim::RandomEngine rng = sim::make_stream(e.seed, 0, "design/psa/" + e.factors[d].path);
    for (std::size_t j = 0; j < n; ++j) {
      double v = e.factors[d].distribution->sample(rng);
      rows[j][d] = e.factors[d].integer ? std::round(v) : v;
    }
  }
  return rows;
}

std::string point_name(const Experiment& e, const std::string& model,
                       const std::vector<double>& values, std::size_t setting) {
  std::string name = model;
  if (e.design == DesignKind::grid) {
    for (std::size_t d = 0; d < values.size(); ++d) {
      if (e.factors[d].levels.size() < 2) continue;  // a constant says nothing about the point
      name += fmt::format("{}{}={}", name.empty() ? "" : ", ", e.factors[d].path,
                          value_text(values[d]));
    }
  } else {
    name += fmt::format("{}#{}", name.empty() ? "" : " ", setting);
  }
  return name.empty() ? "base" : name;
}

Overrides factor_overrides(const Experiment& e, const DesignPoint& p) {
  Overrides o;
  for (std::size_t d = 0; d < e.factors.size(); ++d) {
    if (e.factors[d].path != kProductivityGainFactor)
      o.emplace_back(e.factors[d].path, value_text(p.values[d]));
  }
  return o;
}

/// Every metric a design point reports (scope.name): the names depend on the network and the
/// costs given, not on what happens, so a run of no length yields them all. Nullopt if even
/// that run stops (e.g. more patients at day 0 than run.max_patients): the real run will say.
std::optional<std::vector<std::string>> metric_keys(const Scenario& scenario) {
  Scenario dry = scenario;
  dry.run.warmup = 0.0;
  dry.run.horizon = 1e-9;
  const BuiltNetwork network = build_network(dry);
  ReplicationOutcome outcome;
  try {
    sim::validate(network.spec);
    outcome = run_replication(dry, network, 0, 0, false);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::vector<std::string> keys;
  for (const MetricValue& m : outcome.metrics)
    keys.push_back(m.scope + "." + m.name);
  return keys;
}

/// Each `metrics:` pattern must select a metric of some design point: a typo would otherwise
/// leave a results file without the metric, found out only after the run.
void check_metric_patterns(const Experiment& e, const ExperimentPlaces& places,
                           const std::set<std::string>& keys) {
  const std::vector<std::string> known(keys.begin(), keys.end());
  for (std::size_t i = 0; i < e.metrics.size(); ++i) {
    const std::string& pattern = e.metrics[i];
    const bool used = std::any_of(known.begin(), known.end(), [&](const std::string& key) {
      return fnmatch(pattern.c_str(), key.c_str(), 0) == 0;
    });
    if (!used) {
      throw ConfigError(places.metrics[i],
                        fmt::format("'{}' matches no metric of any design point{} (metrics are "
                                    "scope.name, e.g. system.throughput; docs/metrics.md)",
                                    printable(pattern), did_you_mean(pattern, known)));
    }
  }
}

/// What the design points' scenarios say about the experiment as a whole.
struct DesignSummary {
  /// The metric keys of the design points, when `metrics:` is given and they are known.
  std::optional<std::set<std::string>> metric_keys;
  /// With time_series: days x settings x replications summed over the design points (those of
  /// unlimited horizon cannot be counted up front).
  double daily_values = 0.0;
};

/// With time_series, the daily series of all tasks are gathered into the results file in
/// memory: refuse more than kMaxDailyValues at `time_series:` before anything runs.
void check_time_series_size(const Experiment& e, const ExperimentPlaces& places, double values) {
  if (!e.time_series || values <= kMaxDailyValues) return;
  throw ConfigError(
      places.time_series,
      fmt::format("the daily series of all tasks would hold {:.0f} values (days x settings x "
                  "replications over the design points), more than the limit of {:.0f}: "
                  "shorten the horizon, run fewer design points or replications, or drop "
                  "time_series",
                  values, kMaxDailyValues));
}

/// Each factor alone must load with each of its values: a bad path or value is reported at
/// the factor's entry.
void check_factors_alone(const Experiment& e, const ExperimentPlaces& places) {
  for (std::size_t f = 0; f < e.factors.size(); ++f) {
    if (e.factors[f].path == kProductivityGainFactor) continue;
    for (const DesignPoint& p : e.points) {
      try {
        (void)parse_scenario(e.scenario_text, e.scenario_file,
                             {{e.factors[f].path, value_text(p.values[f])}}, e.input_options);
      } catch (const ConfigError& error) {
        throw ConfigError(places.factor_keys[f],
                          fmt::format("at {}: {}", value_text(p.values[f]), error.what()));
      }
    }
  }
}

/// Each factor alone must load (a bad path or value is reported at its entry), then every
/// design point (a combination that does not fit is reported at factors:).
DesignSummary check_design_points(Experiment& e, const ExperimentPlaces& places,
                                  const IntegrationModels* models) {
  check_factors_alone(e, places);
  DesignSummary summary;
  std::optional<std::set<std::string>>& keys = summary.metric_keys;
  if (!e.metrics.empty()) keys.emplace();
  for (std::size_t i = 0; i < e.points.size(); ++i) {
    try {
      const Scenario s = design_point_scenario(e, i, models);
      for (const InputDigest& input : s.input_files)
        add_input(e.input_files, input);
      if (e.time_series && std::isfinite(s.run.horizon)) {
        summary.daily_values += std::ceil(s.run.horizon) * static_cast<double>(s.settings.size()) *
                                static_cast<double>(e.replications);
      }
      if (!keys) continue;
      const std::optional<std::vector<std::string>> mine = metric_keys(s);
      if (!mine) keys.reset();
      if (mine) keys->insert(mine->begin(), mine->end());
    } catch (const ConfigError& error) {
      throw ConfigError(places.factors,
                        fmt::format("design point '{}': {}", e.points[i].name, error.what()));
    }
  }
  return summary;
}

/// The design points: each model (if any) crossed with each factor setting, model slowest.
void build_design_points(ExperimentFile& file) {
  Experiment& e = file.experiment;
  if (file.model_ids.empty()) file.model_ids.emplace_back("");
  const auto settings = factor_settings(e, file.points);
  for (const std::string& model : file.model_ids) {
    for (std::size_t j = 0; j < settings.size(); ++j)
      e.points.push_back(DesignPoint{point_name(e, model, settings[j], j), model, settings[j]});
  }
}

}  // namespace

Experiment load_experiment(const std::string& path, const std::string& default_models_file,
                           const InputOptions& options) {
  ExperimentFile file = read_experiment_file(path, default_models_file, options);
  Experiment& e = file.experiment;
  build_design_points(file);
  const DesignSummary summary =
      check_design_points(e, file.places, file.models ? &*file.models : nullptr);
  if (summary.metric_keys) check_metric_patterns(e, file.places, *summary.metric_keys);
  check_time_series_size(e, file.places, summary.daily_values);
  return std::move(file.experiment);
}

Scenario design_point_scenario(const Experiment& e, std::size_t index,
                               const IntegrationModels* models) {
  const DesignPoint& p = e.points.at(index);
  Scenario s =
      parse_scenario(e.scenario_text, e.scenario_file, factor_overrides(e, p), e.input_options);
  if (!p.model.empty() && models) s = apply_model(s, *models, models->find(p.model));
  for (std::size_t d = 0; d < e.factors.size(); ++d) {
    if (e.factors[d].path == kProductivityGainFactor) raise_productivity(s, p.values[d]);
  }
  return s;
}

bool metric_selected(const Experiment& e, const std::string& key) {
  if (e.metrics.empty()) return true;
  for (const std::string& pattern : e.metrics) {
    if (fnmatch(pattern.c_str(), key.c_str(), 0) == 0) return true;
  }
  return false;
}

}  // namespace tcsim::models

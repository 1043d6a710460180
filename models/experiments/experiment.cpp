#include "tcsim/models/experiments/experiment.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <boost/random/uniform_01.hpp>

#include "tcsim/models/config/config_node.hpp"
#include "tcsim/models/config/distribution_config.hpp"
#include "tcsim/models/config/input_file.hpp"
#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/policy/productivity.hpp"
#include "tcsim/models/experiments/design.hpp"
#include "tcsim/models/network/network_builder.hpp"
#include "tcsim/models/run/replication.hpp"
#include "tcsim/sim/network_simulation.hpp"
#include "tcsim/sim/random.hpp"

namespace tcsim::models {
namespace {

bool flag(const ConfigNode& node) {
  if (node.is_word("true")) return true;
  if (node.is_word("false")) return false;
  node.fail("expected true or false");
}

/// "0.1", "300": the shortest text that reads back as the same double.
std::string value_text(double v) {
  return fmt::format("{}", v);
}

ExperimentFactor read_factor(const std::string& path, const ConfigNode& node, DesignKind design) {
  ExperimentFactor f;
  f.path = path;
  switch (design) {
    case DesignKind::grid: {
      node.expect_keys({"levels"});
      for (const ConfigNode& level : node.at("levels", "a list of values").items("values"))
        f.levels.push_back(level.number("a number"));
      if (f.levels.empty()) node.at("levels", "").fail("expected at least one level");
      break;
    }
    case DesignKind::lhs: {
      node.expect_keys({"range", "integer"});
      const ConfigNode range = node.at("range", "[low, high]");
      const std::vector<ConfigNode> ends = range.items("[low, high]");
      if (ends.size() != 2) range.fail("expected [low, high]");
      f.low = ends[0].number("a number");
      f.high = ends[1].number("a number");
      if (!(f.low < f.high)) range.fail("expected low < high");
      if (auto i = node.find("integer")) f.integer = flag(*i);
      break;
    }
    case DesignKind::psa: {
      node.expect_keys({"draw", "integer"});
      f.distribution = parse_distribution(node.at("draw", "{distribution: NAME, ...}"));
      if (auto i = node.find("integer")) f.integer = flag(*i);
      break;
    }
  }
  return f;
}

/// The factor settings (one row per setting, one value per factor), before crossing with models.
std::vector<std::vector<double>> factor_settings(const Experiment& e, std::int64_t points) {
  std::vector<std::vector<double>> rows;
  const std::size_t dims = e.factors.size();
  if (e.design == DesignKind::grid) {
    rows.push_back({});
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

}  // namespace

const char* design_kind_name(DesignKind kind) {
  switch (kind) {
    case DesignKind::grid:
      return "grid";
    case DesignKind::lhs:
      return "lhs";
    case DesignKind::psa:
      return "psa";
  }
  return "?";
}

namespace {

/// The models file (from `models_file:`, else the default) and the model IDs `models:` names.
std::vector<std::string> read_models(Experiment& e, const ConfigNode& root,
                                     const std::string& default_models_file,
                                     std::optional<IntegrationModels>& models) {
  std::vector<std::string> ids;
  const std::optional<ConfigNode> m = root.find("models");
  const std::optional<ConfigNode> mf = root.find("models_file");
  if (!m) {
    if (mf) mf->fail("models_file needs models: (all, or a list of IDs)");
    return ids;
  }
  // The default is the shipped file, outside any confinement; a named one is resolved and
  // confined like every path written in the experiment.
  e.models_file = mf ? mf->named_file("a file path") : default_models_file;
  e.models_text = read_input_file(e.models_file, (mf ? *mf : *m).location(), "a models file");
  models = parse_integration_models(e.models_text, e.models_file);
  std::vector<std::string> known;
  for (const IntegrationModel& im : models->models)
    known.push_back(im.id);
  if (m->is_word("all")) return known;
  for (const ConfigNode& id : m->items("'all' or a list of integration model IDs")) {
    const std::string text = id.text("a model ID");
    if (std::find(known.begin(), known.end(), text) == known.end()) {
      id.fail(fmt::format("unknown integration model '{}' in {}{}", text, e.models_file,
                          did_you_mean(text, known)));
    }
    ids.push_back(text);
  }
  return ids;
}

DesignKind read_design(const ConfigNode& root) {
  const std::optional<ConfigNode> d = root.find("design");
  if (!d || d->is_word("grid")) return DesignKind::grid;
  if (d->is_word("lhs")) return DesignKind::lhs;
  if (d->is_word("psa")) return DesignKind::psa;
  d->fail("expected grid, lhs or psa");
}

/// Refuses, before the design is built, more design points than kMaxDesignPoints: the grid's
/// combinations (or `points`) times the models.
void check_design_size(const Experiment& e, const ConfigNode& root, std::int64_t points,
                       std::size_t models) {
  double count = static_cast<double>(std::max<std::size_t>(models, 1));
  if (e.design == DesignKind::grid) {
    for (const ExperimentFactor& f : e.factors)
      count *= static_cast<double>(f.levels.size());
  } else {
    count *= static_cast<double>(points);
  }
  if (count <= static_cast<double>(kMaxDesignPoints)) return;
  const bool grid = e.design == DesignKind::grid;
  throw ConfigError(grid ? root.key_location("factors") : root.at("points", "").location(),
                    fmt::format("{:.0f} design points ({} x {} models): expected at most {}", count,
                                grid ? "the combinations of the levels" : "points",
                                std::max<std::size_t>(models, 1), kMaxDesignPoints));
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
void check_metric_patterns(const Experiment& e, const ConfigNode& root,
                           const std::set<std::string>& keys) {
  const std::optional<ConfigNode> m = root.find("metrics");
  if (!m || e.metrics.empty()) return;
  const std::vector<std::string> known(keys.begin(), keys.end());
  const std::vector<ConfigNode> patterns = m->items("a list of metric names or patterns");
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    const std::string& pattern = e.metrics[i];
    const bool used = std::any_of(known.begin(), known.end(), [&](const std::string& key) {
      return fnmatch(pattern.c_str(), key.c_str(), 0) == 0;
    });
    if (!used) {
      patterns[i].fail(
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
void check_time_series_size(const Experiment& e, const ConfigNode& root, double values) {
  if (!e.time_series || values <= kMaxDailyValues) return;
  root.at("time_series", "")
      .fail(fmt::format("the daily series of all tasks would hold {:.0f} values (days x settings x "
                        "replications over the design points), more than the limit of {:.0f}: "
                        "shorten the horizon, run fewer design points or replications, or drop "
                        "time_series",
                        values, kMaxDailyValues));
}

/// Each factor alone must load (a bad path or value is reported at its entry), then every
/// design point (a combination that does not fit is reported at factors:).
DesignSummary check_design_points(Experiment& e, const ConfigNode& root,
                                  const IntegrationModels* models) {
  if (auto factors = root.find("factors")) {
    for (std::size_t f = 0; f < e.factors.size(); ++f) {
      if (e.factors[f].path == kProductivityGainFactor) continue;
      for (const DesignPoint& p : e.points) {
        try {
          (void)parse_scenario(e.scenario_text, e.scenario_file,
                               {{e.factors[f].path, value_text(p.values[f])}}, e.input_options);
        } catch (const ConfigError& error) {
          factors->fail_at_key(e.factors[f].path,
                               fmt::format("at {}: {}", value_text(p.values[f]), error.what()));
        }
      }
    }
  }
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
      const ConfigNode where = root.find("factors") ? *root.find("factors") : root;
      throw ConfigError(where.location(),
                        fmt::format("design point '{}': {}", e.points[i].name, error.what()));
    }
  }
  return summary;
}

}  // namespace

Experiment load_experiment(const std::string& path, const std::string& default_models_file,
                           const InputOptions& options) {
  Experiment e;
  e.file = path;
  e.input_options = options;
  e.text = read_input_file(path, ConfigLocation{path, 0, 0, ""}, "an experiment file");
  const ConfigNode root = ConfigNode::parse(e.text, path, {}, options);
  root.expect_map("an experiment: a mapping with scenario, replications, seed, ...");
  root.expect_keys({"name", "description", "scenario", "models", "models_file", "design", "points",
                    "factors", "replications", "seed", "output", "metrics", "time_series",
                    "allow_unstable"});
  e.name = root.at("name", "a name").name("a name");
  if (auto d = root.find("description")) e.description = d->text("a description");

  const ConfigNode scenario = root.at("scenario", "the base scenario file, relative to this file");
  e.scenario_file = scenario.named_file("a file path");
  e.scenario_text = read_input_file(e.scenario_file, scenario.location(), "a scenario file");

  std::optional<IntegrationModels> models;
  std::vector<std::string> model_ids = read_models(e, root, default_models_file, models);

  e.design = read_design(root);
  std::int64_t points = 1;
  if (e.design == DesignKind::grid) {
    if (auto p = root.find("points"))
      p->fail("points: is for lhs and psa designs; a grid has one point per combination of levels");
  } else {
    const ConfigNode p = root.at("points", "the number of samples (lhs, psa)");
    points = p.positive_integer("samples");
    if (points > kMaxDesignPoints)
      p.fail(fmt::format("expected at most {} samples, found {}", kMaxDesignPoints, points));
  }
  if (auto factors = root.find("factors")) {
    factors->expect_map("a mapping of dotted paths (or productivity_gain) to their values");
    for (const auto& [key, node] : factors->entries())
      e.factors.push_back(read_factor(key, node, e.design));
  }
  if (e.design != DesignKind::grid && e.factors.empty())
    root.at("factors", "the factors to sample").fail("expected at least one factor");
  check_design_size(e, root, points, model_ids.size());

  const ConfigNode replications = root.at("replications", "replications per design point");
  e.replications = replications.positive_integer("replications");
  if (e.replications > kMaxReplications) {
    replications.fail(fmt::format("expected at most {} replications per design point, found {}",
                                  kMaxReplications, e.replications));
  }
  e.seed =
      static_cast<std::uint64_t>(root.at("seed", "the master seed").non_negative_integer("a seed"));
  e.output = root.at("output", "the results file (.h5)").text("a file path");
  if (auto m = root.find("metrics")) {
    for (const ConfigNode& p : m->items("a list of metric names or patterns (area.*)"))
      e.metrics.push_back(p.text("a metric name or pattern"));
  }
  if (auto t = root.find("time_series")) e.time_series = flag(*t);
  if (auto a = root.find("allow_unstable")) e.allow_unstable = flag(*a);

  if (model_ids.empty()) model_ids.push_back("");
  const auto settings = factor_settings(e, points);
  for (const std::string& model : model_ids) {
    for (std::size_t j = 0; j < settings.size(); ++j)
      e.points.push_back(DesignPoint{point_name(e, model, settings[j], j), model, settings[j]});
  }
  const DesignSummary summary = check_design_points(e, root, models ? &*models : nullptr);
  if (summary.metric_keys) check_metric_patterns(e, root, *summary.metric_keys);
  check_time_series_size(e, root, summary.daily_values);
  return e;
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

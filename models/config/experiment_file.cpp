#include "tcsim/models/config/experiment_file.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "tcsim/models/config/config_node.hpp"
#include "tcsim/models/config/distribution_config.hpp"
#include "tcsim/models/config/input_file.hpp"
#include "tcsim/models/config/integration_models_file.hpp"

namespace tcsim::models {
namespace {

bool flag(const ConfigNode& node) {
  if (node.is_word("true")) return true;
  if (node.is_word("false")) return false;
  node.fail("expected true or false");
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

/// `points:` (lhs, psa only) and the factors, checked for the design kind.
void read_design_inputs(ExperimentFile& file, const ConfigNode& root) {
  Experiment& e = file.experiment;
  if (e.design == DesignKind::grid) {
    if (auto p = root.find("points"))
      p->fail("points: is for lhs and psa designs; a grid has one point per combination of levels");
  } else {
    const ConfigNode p = root.at("points", "the number of samples (lhs, psa)");
    file.points = p.positive_integer("samples");
    if (file.points > kMaxDesignPoints)
      p.fail(fmt::format("expected at most {} samples, found {}", kMaxDesignPoints, file.points));
  }
  if (auto factors = root.find("factors")) {
    factors->expect_map("a mapping of dotted paths (or productivity_gain) to their values");
    for (const auto& [key, node] : factors->entries()) {
      e.factors.push_back(read_factor(key, node, e.design));
      file.places.factor_keys.push_back(factors->key_location(key));
    }
  }
  if (e.design != DesignKind::grid && e.factors.empty())
    root.at("factors", "the factors to sample").fail("expected at least one factor");
}

/// replications, seed, output, metrics, time_series and allow_unstable.
void read_run_settings(ExperimentFile& file, const ConfigNode& root) {
  Experiment& e = file.experiment;
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
    for (const ConfigNode& p : m->items("a list of metric names or patterns (area.*)")) {
      e.metrics.push_back(p.text("a metric name or pattern"));
      file.places.metrics.push_back(p.location());
    }
  }
  if (auto t = root.find("time_series")) {
    e.time_series = flag(*t);
    file.places.time_series = t->location();
  }
  if (auto a = root.find("allow_unstable")) e.allow_unstable = flag(*a);
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

ExperimentFile read_experiment_file(const std::string& path, const std::string& default_models_file,
                                    const InputOptions& options) {
  ExperimentFile file;
  Experiment& e = file.experiment;
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
  file.model_ids = read_models(e, root, default_models_file, file.models);
  e.design = read_design(root);
  read_design_inputs(file, root);
  check_design_size(e, root, file.points, file.model_ids.size());
  read_run_settings(file, root);
  const std::optional<ConfigNode> factors = root.find("factors");
  file.places.factors = factors ? factors->location() : root.location();
  return file;
}

}  // namespace tcsim::models

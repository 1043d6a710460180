#include "models/experiment.hpp"

#include <fnmatch.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <boost/random/uniform_01.hpp>

#include "models/config_node.hpp"
#include "models/distribution_config.hpp"
#include "models/savings.hpp"
#include "models/scenario_loader.hpp"
#include "models/sensitivity.hpp"
#include "sim/random.hpp"

namespace tcsim::models {
namespace {

std::string read_text(const std::string& path, const ConfigLocation& where) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(where, fmt::format("cannot read '{}'", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string relative_to(const std::string& file, const std::string& path) {
  return (std::filesystem::path(file).parent_path() / path).lexically_normal().string();
}

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

Experiment load_experiment(const std::string& path, const std::string& default_models_file) {
  Experiment e;
  e.file = path;
  e.text = read_text(path, ConfigLocation{path, 0, 0, ""});
  const ConfigNode root = ConfigNode::parse(e.text, path);
  root.expect_map("an experiment: a mapping with scenario, replications, seed, ...");
  root.expect_keys({"name", "description", "scenario", "models", "models_file", "design", "points",
                    "factors", "replications", "seed", "output", "metrics", "time_series",
                    "allow_unstable"});
  e.name = root.at("name", "a name").text("a name");
  if (auto d = root.find("description")) e.description = d->text("a description");

  const ConfigNode scenario = root.at("scenario", "the base scenario file, relative to this file");
  e.scenario_file = relative_to(path, scenario.text("a file path"));
  e.scenario_text = read_text(e.scenario_file, scenario.location());

  std::vector<std::string> model_ids;
  std::optional<IntegrationModels> models;
  if (auto m = root.find("models")) {
    std::string file = default_models_file;
    if (auto mf = root.find("models_file")) file = relative_to(path, mf->text("a file path"));
    e.models_file = file;
    e.models_text =
        read_text(file, (root.find("models_file") ? *root.find("models_file") : *m).location());
    models = load_integration_models(file);
    if (m->is_word("all")) {
      for (const IntegrationModel& im : models->models)
        model_ids.push_back(im.id);
    } else {
      for (const ConfigNode& id : m->items("'all' or a list of integration model IDs")) {
        const std::string text = id.text("a model ID");
        std::vector<std::string> known;
        for (const IntegrationModel& im : models->models)
          known.push_back(im.id);
        if (std::find(known.begin(), known.end(), text) == known.end()) {
          id.fail(fmt::format("unknown integration model '{}' in {}{}", text, file,
                              did_you_mean(text, known)));
        }
        model_ids.push_back(text);
      }
    }
  } else if (auto mf = root.find("models_file")) {
    mf->fail("models_file needs models: (all, or a list of IDs)");
  }

  if (auto d = root.find("design")) {
    if (d->is_word("grid"))
      e.design = DesignKind::grid;
    else if (d->is_word("lhs"))
      e.design = DesignKind::lhs;
    else if (d->is_word("psa"))
      e.design = DesignKind::psa;
    else
      d->fail("expected grid, lhs or psa");
  }
  std::int64_t points = 1;
  if (e.design == DesignKind::grid) {
    if (auto p = root.find("points"))
      p->fail("points: is for lhs and psa designs; a grid has one point per combination of levels");
  } else {
    points = root.at("points", "the number of samples (lhs, psa)").positive_integer("samples");
  }
  if (auto factors = root.find("factors")) {
    factors->expect_map("a mapping of dotted paths (or productivity_gain) to their values");
    for (const auto& [key, node] : factors->entries())
      e.factors.push_back(read_factor(key, node, e.design));
  }
  if (e.design != DesignKind::grid && e.factors.empty())
    root.at("factors", "the factors to sample").fail("expected at least one factor");

  e.replications =
      root.at("replications", "replications per design point").positive_integer("replications");
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

  // Each factor alone must load (a bad path or value is reported at its entry), then every
  // design point (a combination that does not fit is reported at factors:).
  if (auto factors = root.find("factors")) {
    for (std::size_t f = 0; f < e.factors.size(); ++f) {
      if (e.factors[f].path == kProductivityGainFactor) continue;
      for (const DesignPoint& p : e.points) {
        try {
          (void)parse_scenario(e.scenario_text, e.scenario_file,
                               {{e.factors[f].path, value_text(p.values[f])}});
        } catch (const ConfigError& error) {
          factors->fail_at_key(e.factors[f].path,
                               fmt::format("at {}: {}", value_text(p.values[f]), error.what()));
        }
      }
    }
  }
  for (std::size_t i = 0; i < e.points.size(); ++i) {
    try {
      (void)design_point_scenario(e, i, models ? &*models : nullptr);
    } catch (const ConfigError& error) {
      const ConfigNode where = root.find("factors") ? *root.find("factors") : root;
      throw ConfigError(where.location(),
                        fmt::format("design point '{}': {}", e.points[i].name, error.what()));
    }
  }
  return e;
}

Scenario design_point_scenario(const Experiment& e, std::size_t index,
                               const IntegrationModels* models) {
  const DesignPoint& p = e.points.at(index);
  Scenario s = parse_scenario(e.scenario_text, e.scenario_file, factor_overrides(e, p));
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

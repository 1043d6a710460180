#include "tcsim/models/policy/national_config.hpp"

#include <cmath>

#include <fmt/format.h>

#include "tcsim/models/config/config_node.hpp"
#include "tcsim/models/config/distribution_config.hpp"
#include "tcsim/models/config/economics_config.hpp"
#include "tcsim/models/config/input_file.hpp"

namespace tcsim::models {
namespace {

SavingsRun parse_savings_run(const ConfigNode& node, SavingsRun run) {
  if (auto r = node.find("replications")) {
    run.replications = r->positive_integer("replications");
    if (run.replications > kMaxReplications) {
      r->fail(fmt::format("expected at most {} replications, found {}", kMaxReplications,
                          run.replications));
    }
  }
  if (auto h = node.find("horizon")) run.horizon = h->positive("a horizon in days");
  if (auto w = node.find("warmup")) run.warmup = w->non_negative("a warm-up in days");
  if (run.warmup >= run.horizon) node.fail("the warm-up must end before the horizon");
  return run;
}

SavingsSettings parse_savings(const ConfigNode& node) {
  node.expect_keys({"productivity_gain", "service_level", "target_acute_occupancy", "replications",
                    "horizon", "warmup", "quick"});
  SavingsSettings s;
  s.productivity_gain = node.at("productivity_gain", "a rise in the direct-care share")
                            .number("a rise in the direct-care share (0.1 = 10 points)");
  if (s.productivity_gain < 0.0 || s.productivity_gain >= 1.0) {
    node.at("productivity_gain", "").fail("expected a rise in the direct-care share in [0, 1)");
  }
  if (auto level = node.find("service_level")) {
    level->expect_keys({"wait_tolerance_days", "delayed_days_tolerance"});
    if (auto w = level->find("wait_tolerance_days")) {
      s.wait_tolerance_days = w->non_negative("days");
    }
    if (auto d = level->find("delayed_days_tolerance")) {
      s.delayed_days_tolerance = d->non_negative("a relative rise (0.02 = 2%)");
    }
  }
  if (auto t = node.find("target_acute_occupancy")) {
    s.target_acute_occupancy = t->probability("an occupancy (0.85 = 85%)");
    if (s.target_acute_occupancy <= 0.0) t->fail("expected an occupancy above 0");
  }
  s.full = parse_savings_run(node, s.full);
  s.quick = s.full;
  if (auto q = node.find("quick")) {
    q->expect_keys({"replications", "horizon", "warmup"});
    s.quick = parse_savings_run(*q, s.quick);
  }
  return s;
}

/// Places: at least one where there was at least one (a team does not vanish by scaling).
std::int64_t scaled_count(std::int64_t n, double factor) {
  if (n == sim::kUnlimited || n <= 0) return n;
  return std::max<std::int64_t>(1, std::llround(static_cast<double>(n) * factor));
}

}  // namespace

void scale_scenario(Scenario& scenario, double factor) {
  for (Setting& s : scenario.settings) {
    if (s.workforce) {
      s.workforce->wte *= factor;
      s.capacity = s.workforce->capacity();
    } else {
      s.capacity = scaled_count(s.capacity, factor);
    }
    for (sim::CapacityChange& c : s.schedule)
      c.capacity = scaled_count(c.capacity, factor);
    s.queue_limit = s.queue_limit == sim::kUnlimited
                        ? s.queue_limit
                        : std::llround(static_cast<double>(s.queue_limit) * factor);
  }
  for (Cohort& c : scenario.cohorts) {
    c.rate_per_day *= factor;
    if (c.max_arrivals != sim::kUnlimited) {
      c.max_arrivals = std::llround(static_cast<double>(c.max_arrivals) * factor);
    }
    for (Step& step : c.steps) {
      step.initial_in_place = std::llround(static_cast<double>(step.initial_in_place) * factor);
      step.initial_waiting = std::llround(static_cast<double>(step.initial_waiting) * factor);
    }
  }
  if (scenario.population) *scenario.population *= factor;
  derive_capacities(scenario, {}, ConfigLocation{scenario.file, 0, 0, "settings"});
}

NationalConfig load_national_config(const std::string& path, const InputOptions& options) {
  NationalConfig config;
  config.file = path;
  config.input_options = options;
  config.text = read_input_file(path, ConfigLocation{path, 0, 0, ""}, "a national config");
  const ConfigNode root = ConfigNode::parse(config.text, path, {}, options);
  root.expect_keys({"name", "description", "area", "template_population", "england", "archetypes",
                    "savings", "uncertain", "calibration"});
  config.name = root.at("name", "a name").name("a name");
  if (auto d = root.find("description")) config.description = d->text("a description");
  const ConfigNode area = root.at("area", "the template area file, relative to this file");
  config.area_file = area.named_file("a file path");
  // Read here once so a missing or unfit template is reported at `area:`; it is loaded (and
  // checked) with each archetype's overrides below.
  const std::string area_text =
      read_input_file(config.area_file, area.location(), "a scenario file (the template area)");
  add_input(config.input_files, InputDigest{path, sha256_hex(config.text)});
  add_input(config.input_files, InputDigest{config.area_file, sha256_hex(area_text)});
  config.template_population =
      root.at("template_population", "people the template area serves").positive("people");
  const ConfigNode england = root.at("england", "{population: people, areas: count}");
  england.expect_keys({"population", "areas"});
  config.england_population = england.at("population", "people").positive("people");
  config.england_areas = england.at("areas", "a count of areas").positive_integer("areas");

  const ConfigNode archetypes = root.at("archetypes", "a mapping of archetype names");
  archetypes.expect_map("a mapping of archetype names to {count, population, set}");
  std::int64_t areas = 0;
  double people = 0.0;
  for (const auto& [name, node] : archetypes.entries()) {
    node.expect_keys({"count", "population", "set"});
    Archetype a;
    a.name = name;
    a.count = node.at("count", "a number of areas").positive_integer("areas");
    a.population = node.at("population", "people per area").positive("people");
    if (auto set = node.find("set")) {
      set->expect_map("a mapping of dotted paths of the template to values");
      for (const auto& [key, value] : set->entries()) {
        a.set.emplace_back(key, value.text("a value"));
      }
    }
    areas += a.count;
    people += static_cast<double>(a.count) * a.population;
    config.archetypes.push_back(std::move(a));
  }
  if (config.archetypes.empty()) archetypes.fail("expected at least one archetype");
  if (areas != config.england_areas) {
    archetypes.fail(fmt::format("the archetype counts sum to {}, not england.areas = {}", areas,
                                config.england_areas));
  }
  if (std::abs(people / config.england_population - 1.0) > 0.005) {
    archetypes.fail(fmt::format(
        "count x population sums to {:.0f} people, more than 0.5% from england.population = {:.0f}",
        people, config.england_population));
  }
  config.savings = parse_savings(root.at("savings", "the savings settings"));

  if (auto uncertain = root.find("uncertain")) {
    uncertain->expect_map("a mapping of input paths to distributions");
    for (const auto& [key, node] : uncertain->entries()) {
      if (!key.starts_with("area.") && key != "savings.productivity_gain") {
        uncertain->fail_at_key(key,
                               "expected 'savings.productivity_gain' or 'area.<dotted path "
                               "of the template>'");
      }
      config.uncertain.push_back(UncertainInput{key, parse_distribution(node)});
    }
  }
  if (auto calibration = root.find("calibration")) {
    calibration->expect_map("a mapping of published figures to {low, high}");
    for (const auto& [key, node] : calibration->entries()) {
      node.expect_keys({"low", "high", "context"});
      CalibrationTarget t{key, node.at("low", "the range's low end").number("a number"),
                          node.at("high", "the range's high end").number("a number"), false};
      if (auto context = node.find("context")) t.context = context->is_word("true");
      if (t.low > t.high) node.fail("low must not exceed high");
      config.calibration.push_back(t);
    }
  }
  root.collect_provenance(config.provenance);

  // Every override must name a value of the template: load it once per archetype (and once
  // with every uncertain path set to its mean), so a typo fails here, not mid-run.
  // A problem found there is reported at this file's entry that caused it, not as the `--set`
  // the loader would otherwise call it.
  const auto located = [&config](const ConfigNode& at, const ConfigError& e) {
    // A value this file set is the problem: its place is enough. Otherwise the problem is in
    // the template (or a file it names): say where there too.
    if (e.where().file == "--set") {
      return ConfigError(at.location(), fmt::format("as a value of the template {}: {}",
                                                    config.area_file, e.problem()));
    }
    return ConfigError(at.location(), fmt::format("in the template: {}", e.what()));
  };
  for (const Archetype& a : config.archetypes) {
    try {
      for (const InputDigest& input :
           build_archetype(config, a, {}, config.savings.full).input_files)
        add_input(config.input_files, input);
    } catch (const ConfigError& e) {
      const ConfigNode entry = archetypes.at(a.name, "");
      if (!entry.has("set")) throw located(entry, e);
      const ConfigNode set = entry.at("set", "");
      // The entry whose path the loader complained about, else the whole `set:`.
      for (const auto& [key, value] : set.entries()) {
        if (e.where().key == key || e.where().key.starts_with(key + ".")) throw located(value, e);
      }
      throw located(set, e);
    }
  }
  Overrides means;
  for (const UncertainInput& u : config.uncertain) {
    if (u.path.starts_with("area.")) {
      means.emplace_back(u.path.substr(5), fmt::format("{}", u.distribution.mean()));
    }
  }
  for (const auto& single : means) {
    try {
      (void)build_archetype(config, config.archetypes.front(), {single}, config.savings.full);
    } catch (const ConfigError& e) {
      throw located(root.at("uncertain", "").at("area." + single.first, ""), e);
    }
  }
  return config;
}

Scenario build_archetype(const NationalConfig& config, const Archetype& archetype,
                         const Overrides& extra, const SavingsRun& run) {
  Overrides overrides = archetype.set;
  overrides.insert(overrides.end(), extra.begin(), extra.end());
  overrides.emplace_back("run.horizon", fmt::format("{}", run.horizon));
  overrides.emplace_back("run.warmup", fmt::format("{}", run.warmup));
  overrides.emplace_back("run.replications", fmt::format("{}", run.replications));
  Scenario s = load_scenario(config.area_file, overrides, config.input_options);
  scale_scenario(s, archetype.population / config.template_population);
  s.name = fmt::format("{} ({})", config.name, archetype.name);
  return s;
}

}  // namespace tcsim::models

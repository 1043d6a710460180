#include "tcsim/models/config/national_file.hpp"

#include <cmath>

#include <fmt/format.h>

#include "tcsim/models/config/config_node.hpp"
#include "tcsim/models/config/distribution_config.hpp"
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

/// name, description, the template (`area:`, read once here so a missing or unfit template
/// is reported there), template_population and england.
void parse_nation(const ConfigNode& root, NationalConfig& config) {
  config.name = root.at("name", "a name").name("a name");
  if (auto d = root.find("description")) config.description = d->text("a description");
  const ConfigNode area = root.at("area", "the template area file, relative to this file");
  config.area_file = area.named_file("a file path");
  // It is loaded (and checked) with each archetype's overrides by load_national_config.
  const std::string area_text =
      read_input_file(config.area_file, area.location(), "a scenario file (the template area)");
  add_input(config.input_files, InputDigest{config.file, sha256_hex(config.text)});
  add_input(config.input_files, InputDigest{config.area_file, sha256_hex(area_text)});
  config.template_population =
      root.at("template_population", "people the template area serves").positive("people");
  const ConfigNode england = root.at("england", "{population: people, areas: count}");
  england.expect_keys({"population", "areas"});
  config.england_population = england.at("population", "people").positive("people");
  config.england_areas = england.at("areas", "a count of areas").positive_integer("areas");
}

Archetype parse_archetype(const std::string& name, const ConfigNode& node) {
  node.expect_keys({"count", "population", "set"});
  Archetype a;
  a.name = name;
  a.where = node.location();
  a.count = node.at("count", "a number of areas").positive_integer("areas");
  a.population = node.at("population", "people per area").positive("people");
  if (auto set = node.find("set")) {
    set->expect_map("a mapping of dotted paths of the template to values");
    a.where_set = set->location();
    for (const auto& [key, value] : set->entries()) {
      a.set.emplace_back(key, value.text("a value"));
      a.where_values.push_back(value.location());
    }
  }
  return a;
}

/// The archetypes, whose counts and people must add up to England's.
void parse_archetypes(const ConfigNode& root, NationalConfig& config) {
  const ConfigNode archetypes = root.at("archetypes", "a mapping of archetype names");
  archetypes.expect_map("a mapping of archetype names to {count, population, set}");
  std::int64_t areas = 0;
  double people = 0.0;
  for (const auto& [name, node] : archetypes.entries()) {
    Archetype a = parse_archetype(name, node);
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
}

std::vector<UncertainInput> parse_uncertain(const ConfigNode& uncertain) {
  uncertain.expect_map("a mapping of input paths to distributions");
  std::vector<UncertainInput> inputs;
  for (const auto& [key, node] : uncertain.entries()) {
    if (!key.starts_with("area.") && key != "savings.productivity_gain") {
      uncertain.fail_at_key(key,
                            "expected 'savings.productivity_gain' or 'area.<dotted path "
                            "of the template>'");
    }
    inputs.push_back(UncertainInput{key, parse_distribution(node), node.location()});
  }
  return inputs;
}

std::vector<CalibrationTarget> parse_calibration(const ConfigNode& calibration) {
  calibration.expect_map("a mapping of published figures to {low, high}");
  std::vector<CalibrationTarget> targets;
  for (const auto& [key, node] : calibration.entries()) {
    node.expect_keys({"low", "high", "context"});
    CalibrationTarget t{key, node.at("low", "the range's low end").number("a number"),
                        node.at("high", "the range's high end").number("a number"), false};
    if (auto context = node.find("context")) t.context = context->is_word("true");
    if (t.low > t.high) node.fail("low must not exceed high");
    targets.push_back(t);
  }
  return targets;
}

}  // namespace

NationalConfig read_national_file(const std::string& path, const InputOptions& options) {
  NationalConfig config;
  config.file = path;
  config.input_options = options;
  config.text = read_input_file(path, ConfigLocation{path, 0, 0, ""}, "a national config");
  const ConfigNode root = ConfigNode::parse(config.text, path, {}, options);
  root.expect_keys({"name", "description", "area", "template_population", "england", "archetypes",
                    "savings", "uncertain", "calibration"});
  parse_nation(root, config);
  parse_archetypes(root, config);
  config.savings = parse_savings(root.at("savings", "the savings settings"));
  if (auto uncertain = root.find("uncertain")) config.uncertain = parse_uncertain(*uncertain);
  if (auto calibration = root.find("calibration")) {
    config.calibration = parse_calibration(*calibration);
  }
  root.collect_provenance(config.provenance);
  return config;
}

}  // namespace tcsim::models

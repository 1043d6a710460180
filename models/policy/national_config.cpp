#include "tcsim/models/policy/national_config.hpp"

#include <cmath>

#include <fmt/format.h>

#include "tcsim/models/scenario/derived_capacity.hpp"

namespace tcsim::models {
namespace {

/// A problem loading the template, reported at the entry of the national file that caused it
/// (`at`), not as the `--set` the loader would otherwise call it.
ConfigError located(const NationalConfig& config, const ConfigLocation& at, const ConfigError& e) {
  // A value this file set is the problem: its place is enough. Otherwise the problem is in
  // the template (or a file it names): say where there too.
  if (e.where().file == "--set") {
    return ConfigError(
        at, fmt::format("as a value of the template {}: {}", config.area_file, e.problem()));
  }
  return ConfigError(at, fmt::format("in the template: {}", e.what()));
}

/// Where in the national file the archetype's problem `e` comes from: the `set:` entry whose
/// path the loader complained about, else the whole `set:`, else the archetype's entry.
ConfigLocation archetype_entry_at_fault(const Archetype& a, const ConfigError& e) {
  if (!a.where_set) return a.where;
  for (std::size_t i = 0; i < a.set.size(); ++i) {
    const std::string& key = a.set[i].first;
    if (e.where().key == key || e.where().key.starts_with(key + ".")) return a.where_values[i];
  }
  return *a.where_set;
}

/// Every override must name a value of the template: load it once per archetype, so a typo
/// fails here, not mid-run. The files the template names join the config's inputs.
void check_archetypes(NationalConfig& config) {
  for (const Archetype& a : config.archetypes) {
    try {
      for (const InputDigest& input :
           build_archetype(config, a, {}, config.savings.full).input_files)
        add_input(config.input_files, input);
    } catch (const ConfigError& e) {
      throw located(config, archetype_entry_at_fault(a, e), e);
    }
  }
}

/// Every `area.` path of an uncertain input must name a value of the template: load it once
/// with each such path set to its mean.
void check_uncertain_paths(const NationalConfig& config) {
  for (const UncertainInput& u : config.uncertain) {
    if (!u.path.starts_with("area.")) continue;
    const Overrides single{{u.path.substr(5), fmt::format("{}", u.distribution.mean())}};
    try {
      (void)build_archetype(config, config.archetypes.front(), single, config.savings.full);
    } catch (const ConfigError& e) {
      throw located(config, u.where, e);
    }
  }
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
      s.workforce->wte *= factor;  // its capacity follows (derive_capacities, below)
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
  NationalConfig config = read_national_file(path, options);
  check_archetypes(config);
  check_uncertain_paths(config);
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

#pragma once
// Reading a national configuration (configs/england_2009.yaml): England as area archetypes
// (urban, mixed, rural, ...), each the template area scaled to its population with its own
// overrides; the settings of the savings analysis; the uncertain inputs; and the published
// figures the simulated baseline is set beside (calibration). What is checked against the
// template area itself is policy/national_config.hpp's load_national_config.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tcsim/models/config/input_digest.hpp"
#include "tcsim/models/config/input_file.hpp"
#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/scenario/config_error.hpp"
#include "tcsim/sim/distribution.hpp"

namespace tcsim::models {

struct Archetype {
  std::string name;
  std::int64_t count = 0;   // areas of this kind
  double population = 0.0;  // people per area
  Overrides set;            // template values changed for this archetype (dotted paths)
  /// Where this file gives the archetype, its `set:` (if any) and each value of it (in the
  /// order of `set`): a problem the template finds with them is reported there.
  ConfigLocation where;
  std::optional<ConfigLocation> where_set;
  std::vector<ConfigLocation> where_values;
};

struct SavingsRun {
  std::int64_t replications = 8;
  double horizon = 730.0;
  double warmup = 180.0;
};

struct SavingsSettings {
  /// Absolute rise in the direct-care share of community teams that the policies assume.
  double productivity_gain = 0.0;
  double wait_tolerance_days = 0.5;      // rise allowed in a community setting's p95 wait
  double delayed_days_tolerance = 0.02;  // relative rise allowed in acute delayed days
  double target_acute_occupancy = 0.85;  // beds close only at this occupancy
  SavingsRun full;
  SavingsRun quick;
};

/// An input varied by --psa and --tornado: "savings.<key>", "area.<dotted path>".
struct UncertainInput {
  std::string path;
  sim::Distribution distribution;
  ConfigLocation where;  // its entry in this file's `uncertain:`
};

/// A published national figure, as a range.
struct CalibrationTarget {
  std::string name;  // emergency_admissions_per_year, ...
  double low = 0.0;
  double high = 0.0;
  /// Shown for context, not judged: the model covers only part of what it measures (e.g. the
  /// whole community sector's spend); the simulated value is printed as a share of it.
  bool context = false;
};

struct NationalConfig {
  std::string file;
  std::string text;
  std::string name;
  std::string description;
  std::string area_file;       // the template, resolved against the config's folder
  InputOptions input_options;  // how the template and the files it names are read
  double template_population = 0.0;
  double england_population = 0.0;
  std::int64_t england_areas = 0;
  std::vector<Archetype> archetypes;
  SavingsSettings savings;
  std::vector<UncertainInput> uncertain;
  std::vector<CalibrationTarget> calibration;
  std::vector<std::pair<std::string, std::string>> provenance;
  /// Every file read - this config, the template and the files the template names - with its
  /// SHA-256 (input_digest.hpp), for the report to record what it was computed from.
  std::vector<InputDigest> input_files;
};

/// Reads and checks the file alone: its keys and values; archetype counts must sum to the number
/// of areas and their populations to the national one (within 0.5%); the template (`area:`)
/// must be a readable file, recorded with this one in `input_files`. `options` govern the files
/// it names.
[[nodiscard]] NationalConfig read_national_file(const std::string& path,
                                                const InputOptions& options = {});

}  // namespace tcsim::models

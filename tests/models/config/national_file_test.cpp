// The national file alone (models/config/national_file.hpp), as load_national_config reads it:
//   - what a valid file becomes: the toy nation of tests/models/data/savings/ value by value, and
//     the shipped configs/england_2009.yaml (152 areas, 51.8m people, within 0.5%);
//   - what each kind of bad file says: counts that do not sum to england.areas, populations more
//     than 0.5% off, unknown uncertain inputs, bad values and keys (file, line, dotted key, what
//     was expected).
// Bad files are written to a temporary folder, naming the toy template by its absolute path.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>

#include "support/toy_nation.hpp"
#include "tcsim/models/config/national_file.hpp"
#include "tcsim/models/policy/national_config.hpp"

using Catch::Matchers::Contains;
using namespace tcsim;
using models::NationalConfig;
using test::error_of;
using test::kData;
using test::kNation;
using test::load_text;
using test::replace;

// --- Valid files --------------------------------------------------------------------------------

TEST_CASE("the toy nation as loaded, value by value", "[national]") {
  const NationalConfig n = models::load_national_config(kData + "toy_nation.yaml");
  CHECK(n.name == "toy nation");
  CHECK(n.file == kData + "toy_nation.yaml");
  // The template is resolved against the config's folder.
  CHECK(std::filesystem::path(n.area_file) ==
        std::filesystem::path(kData + "toy_area.yaml").lexically_normal());
  CHECK(n.template_population == 100000.0);
  CHECK(n.england_population == 600000.0);
  CHECK(n.england_areas == 5);
  REQUIRE(n.archetypes.size() == 2u);
  CHECK(n.archetypes[0].name == "small");
  CHECK(n.archetypes[0].count == 3);
  CHECK(n.archetypes[0].population == 100000.0);
  CHECK(n.archetypes[0].set.empty());
  CHECK(n.archetypes[1].name == "large");
  CHECK(n.archetypes[1].count == 2);
  CHECK(n.archetypes[1].population == 150000.0);
  CHECK(n.savings.productivity_gain == 0.1);
  CHECK(n.savings.wait_tolerance_days == 0.5);
  CHECK(n.savings.delayed_days_tolerance == 0.02);
  CHECK(n.savings.target_acute_occupancy == 0.85);  // the default
  CHECK(n.savings.full.replications == 2);
  CHECK(n.savings.full.horizon == 400.0);
  CHECK(n.savings.full.warmup == 0.0);
  // No quick: section: --quick runs as long as the full analysis.
  CHECK(n.savings.quick.replications == 2);
  CHECK(n.savings.quick.horizon == 400.0);
  CHECK(n.savings.quick.warmup == 0.0);
  CHECK(n.uncertain.empty());
  CHECK(n.calibration.empty());
}

TEST_CASE("the shipped England config: 152 areas whose people sum to England's within 0.5%",
          "[national][shipped]") {
  const NationalConfig n =
      models::load_national_config(TCSIM_SOURCE_DIR "/configs/england_2009.yaml");
  CHECK(n.england_areas == 152);
  std::int64_t areas = 0;
  double people = 0.0;
  for (const models::Archetype& a : n.archetypes) {
    areas += a.count;
    people += static_cast<double>(a.count) * a.population;
  }
  CHECK(areas == n.england_areas);
  CHECK(std::abs(people / n.england_population - 1.0) <= 0.005);
  CHECK(std::filesystem::is_regular_file(n.area_file));
  // The quick run is shorter than the full one, and both keep a warm-up inside the horizon.
  CHECK(n.savings.quick.replications <= n.savings.full.replications);
  CHECK(n.savings.quick.horizon <= n.savings.full.horizon);
  CHECK(n.savings.full.warmup < n.savings.full.horizon);
  CHECK(n.savings.quick.warmup < n.savings.quick.horizon);
  for (const models::UncertainInput& u : n.uncertain) {
    INFO("uncertain input " << u.path);
    CHECK((u.path == "savings.productivity_gain" || u.path.starts_with("area.")));
  }
  for (const models::CalibrationTarget& t : n.calibration) {
    INFO("calibration target " << t.name);
    CHECK(t.low <= t.high);
  }
}

// --- Counts and populations ---------------------------------------------------------------------

TEST_CASE("archetype counts must sum to england.areas", "[national][errors]") {
  std::string path;
  const std::string message = error_of(replace(kNation, "    count: 2\n", "    count: 3\n"), path);
  CHECK_THAT(message, Contains(path + ":6") && Contains("'archetypes'") &&
                          Contains("the archetype counts sum to 6, not england.areas = 5"));
}

TEST_CASE("count x population must be within 0.5% of england.population", "[national][errors]") {
  std::string path;
  // 3 x 100,000 + 2 x 151,200 = 602,400: 0.4% above 600,000, accepted.
  const NationalConfig ok =
      load_text(replace(kNation, "population: 150000", "population: 151200"), path);
  CHECK(ok.archetypes[1].population == 151200.0);
  // 603,600 (0.6% above) and 596,400 (0.6% below) are not.
  for (const char* population : {"151800", "148200"}) {
    INFO("large areas of " << population << " people");
    const std::string message = error_of(
        replace(kNation, "population: 150000", std::string("population: ") + population), path);
    CHECK_THAT(message, Contains(path + ":6") && Contains("'archetypes'") &&
                            Contains("more than 0.5% from england.population = 600000"));
  }
}

// --- Uncertain inputs ---------------------------------------------------------------------------

TEST_CASE("an uncertain input must be savings.productivity_gain or an area. path",
          "[national][errors]") {
  for (const char* key : {"run.horizon", "savings.target_acute_occupancy", "areas.x"}) {
    INFO("uncertain input " << key);
    std::string path;
    const std::string message = error_of(
        kNation + "uncertain:\n  " + key + ": {distribution: uniform, min: 1, max: 2}\n", path);
    CHECK_THAT(message, Contains(path + ":16") &&
                            Contains(std::string("'uncertain.") + key + "'") &&
                            Contains("expected 'savings.productivity_gain' or 'area.<dotted path "
                                     "of the template>'"));
  }
  // Both accepted forms load.
  std::string path;
  const NationalConfig ok =
      load_text(kNation +
                    "uncertain:\n"
                    "  savings.productivity_gain: {distribution: uniform, min: 0.05, max: 0.15}\n"
                    "  area.staff_groups.nurse.cost_per_wte_year:\n"
                    "    {distribution: triangular, min: 30000, mode: 40000, max: 50000}\n",
                path);
  REQUIRE(ok.uncertain.size() == 2u);
  CHECK(ok.uncertain[0].path == "savings.productivity_gain");
  CHECK(ok.uncertain[0].distribution.mean() == Approx(0.1));
  CHECK(ok.uncertain[1].path == "area.staff_groups.nurse.cost_per_wte_year");
  CHECK(ok.uncertain[1].distribution.mean() == Approx(40000.0));
}

// --- Other bad files ----------------------------------------------------------------------------

TEST_CASE("other bad national files name the file, the line and the key", "[national][errors]") {
  std::string path;
  std::string message;
  // The gain is a rise in a share: [0, 1).
  message = error_of(replace(kNation, "productivity_gain: 0.1", "productivity_gain: 1"), path);
  CHECK_THAT(message, Contains(path + ":11") && Contains("'savings.productivity_gain'") &&
                          Contains("expected a rise in the direct-care share in [0, 1)"));
  // Misspelt keys.
  message = error_of(replace(kNation, "archetypes:", "archetype:"), path);
  CHECK_THAT(message, Contains(path + ":5") && Contains("'archetype'") &&
                          Contains("did you mean 'archetypes'"));
  message =
      error_of(replace(kNation, "  warmup: 0\n", "  warmup: 0\n  quick: {horizn: 30}\n"), path);
  CHECK_THAT(message, Contains(path + ":15") && Contains("'savings.quick.horizn'") &&
                          Contains("did you mean 'horizon'"));
  // A warm-up that does not end before the horizon.
  message = error_of(replace(kNation, "  warmup: 0\n", "  warmup: 400\n"), path);
  CHECK_THAT(message, Contains(path + ":11") && Contains("'savings'") &&
                          Contains("the warm-up must end before the horizon"));
  // A calibration range upside down.
  message = error_of(kNation + "calibration:\n  admissions: {low: 2, high: 1}\n", path);
  CHECK_THAT(message, Contains(path + ":16") && Contains("'calibration.admissions'") &&
                          Contains("low must not exceed high"));
  // A template that is not there: the message names it.
  message = error_of(replace(kNation, "toy_area.yaml", "no_such_area.yaml"), path);
  CHECK_THAT(message, Contains(kData + "no_such_area.yaml") && Contains("cannot open"));
}

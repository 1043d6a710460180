// libFuzzer target for the empirical CSV reader (models/config/distribution_config.cpp): each input
// is written as durations.csv next to a fixed scenario whose one service time is
// `{distribution: empirical, file: durations.csv}`, and the scenario is parsed (which reads the
// CSV). A distribution that loads is sampled a few times, as a run would. Bad input must come
// back as ConfigError; anything else escaping, a crash, a sanitizer report (e.g. undefined
// behaviour on a value read), a leak, a hang or an allocation over the limit is a finding. See
// README.md here.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/scenario/config_error.hpp"
#include "tcsim/sim/random.hpp"

namespace {

constexpr const char* kScenario = R"(name: empirical CSV (fuzz)
run:
  horizon: 30
  warmup: 0
  replications: 1
  seed: 1
settings:
  beds:
    kind: beds
    service: generic
    capacity: 2
cohorts:
  patients:
    arrivals:
      rate_per_day: 1
    pathway:
      steps:
        stay:
          setting: beds
          duration:
            distribution: empirical
            file: durations.csv
          next: exit
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& workspace = tcsim::fuzz::Workspace::get();
  (void)workspace.write("durations.csv", data, size);
  const std::string scenario_path = (workspace.folder() / "scenario.yaml").string();
  tcsim::models::Scenario scenario;
  try {
    scenario = tcsim::models::parse_scenario(kScenario, scenario_path);
  } catch (const tcsim::models::ConfigError&) {
    return 0;
  }
  tcsim::sim::RandomEngine engine(1);
  for (const auto& cohort : scenario.cohorts) {
    for (const auto& step : cohort.steps) {
      for (int i = 0; i < 16; ++i)
        (void)step.duration.sample(engine);
    }
  }
  return 0;
}

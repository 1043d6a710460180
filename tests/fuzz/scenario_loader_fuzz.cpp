// libFuzzer target for the scenario loader: arbitrary bytes go through parse_scenario and, when
// they load, through build_network and sim::validate. Bad input must come back as ConfigError
// (from the loader) or std::invalid_argument (from validate); any other exception escaping,
// a crash, a hang, a leak or undefined behaviour is a finding. See tests/fuzz/README.md.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/network/network_builder.hpp"
#include "tcsim/models/scenario/config_error.hpp"
#include "tcsim/sim/network_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  tcsim::models::Scenario scenario;
  try {
    scenario = tcsim::models::parse_scenario(text, "fuzz.yaml");
  } catch (const tcsim::models::ConfigError&) {
    return 0;  // bad input, reported as it should be
  }
  const tcsim::sim::NetworkSpec spec = tcsim::models::build_network(scenario).spec;
  try {
    tcsim::sim::validate(spec);
  } catch (const std::invalid_argument&) {
    return 0;
  }
  return 0;
}

// libFuzzer target for the national-config reader (models/policy/national_config.hpp, `tcsim
// savings
// --config`): each input is written as configs/fuzz.yaml in a private copy of the repository's
// configs/ folder and loaded with load_national_config, so that `area: examples/area.yaml` names
// the shipped template as configs/england_2009.yaml does (loading reads and checks it). Bad input
// must come back as ConfigError; anything else escaping, a crash, a sanitizer report, a leak, a
// hang or an allocation over the limit is a finding. See README.md here.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "tcsim/models/policy/national_config.hpp"
#include "tcsim/models/scenario/config_error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = tcsim::fuzz::Workspace::get().write("configs/fuzz.yaml", data, size);
  try {
    (void)tcsim::models::load_national_config(path);
  } catch (const tcsim::models::ConfigError&) {
  }
  return 0;
}

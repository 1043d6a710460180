// libFuzzer target for the integration-models reader (models/policy/integration_model.hpp, the
// models file of `tcsim compare`, `tcsim savings` and experiments): each input is written to a file
// and loaded with load_integration_models. Bad input must come back as ConfigError; anything else
// escaping, a crash, a sanitizer report, a leak, a hang or an allocation over the limit is a
// finding. See README.md here.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "tcsim/models/policy/integration_model.hpp"
#include "tcsim/models/scenario/config_error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = tcsim::fuzz::Workspace::get().write("configs/fuzz.yaml", data, size);
  try {
    (void)tcsim::models::load_integration_models(path);
  } catch (const tcsim::models::ConfigError&) {
  }
  return 0;
}

// libFuzzer target for the experiment reader (models/experiments/experiment.hpp, `tcsim batch
// EXPERIMENT`): each input is written as configs/experiments/fuzz.yaml in a private copy of the
// repository's configs/ folder and loaded with load_experiment, so that it can name the shipped
// scenarios and models file by their relative paths (../examples/area.yaml, ../reference/mmc.yaml,
// ../integration_models.yaml) as the shipped experiment does. Loading builds every design
// point's scenario; nothing is simulated. Bad input must come back as ConfigError; anything else
// escaping, a crash, a sanitizer report, a leak, a hang or an allocation over the limit is a
// finding. See README.md here.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "tcsim/models/experiments/experiment.hpp"
#include "tcsim/models/scenario/config_error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& workspace = tcsim::fuzz::Workspace::get();
  const std::string path = workspace.write("configs/experiments/fuzz.yaml", data, size);
  const std::string models = (workspace.folder() / "configs" / "integration_models.yaml").string();
  try {
    (void)tcsim::models::load_experiment(path, models);
  } catch (const tcsim::models::ConfigError&) {
  }
  return 0;
}

#pragma once
// The scenario format's outline, printed by `tcsim schema`.

namespace tcsim::models {

/// The annotated YAML outline of a scenario (configs/README.md shows the same text).
[[nodiscard]] const char* scenario_schema();

}  // namespace tcsim::models

#pragma once
// Duration distributions in YAML: `{distribution: NAME, ...parameters}`.

#include "tcsim/models/config/config_node.hpp"
#include "tcsim/sim/distribution.hpp"

namespace tcsim::models {

/// Reads one distribution; a ConfigError names the key and the parameters the kind expects.
[[nodiscard]] sim::Distribution parse_distribution(const ConfigNode& node);

}  // namespace tcsim::models

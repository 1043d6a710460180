#pragma once
// Simulated time. Every duration in tcsim is in days.

#include <limits>

namespace tcsim::sim {

using Time = double;

/// A time no event reaches: an unlimited horizon.
inline constexpr Time kForever = std::numeric_limits<Time>::infinity();

}  // namespace tcsim::sim

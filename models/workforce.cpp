#include "models/workforce.hpp"

#include <cmath>

namespace tcsim::models {

std::int64_t Workforce::capacity() const {
  // A small tolerance so that an exact product (e.g. 4.0 computed as 3.9999999) is not lost.
  return static_cast<std::int64_t>(
      std::floor(direct_hours_per_week() / contact_hours_per_patient_per_week + 1e-9));
}

}  // namespace tcsim::models

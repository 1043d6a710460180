#include "tcsim/models/scenario/workforce.hpp"

#include <algorithm>
#include <cmath>

namespace tcsim::models {

std::int64_t Workforce::capacity() const {
  // A small tolerance so that an exact product (e.g. 4.0 computed as 3.9999999) is not lost.
  return static_cast<std::int64_t>(
      std::floor(direct_hours_per_week() / contact_hours_per_patient_per_week + 1e-9));
}

std::optional<Workforce> with_direct_care_change(const Workforce& written, double change) {
  Workforce w = written;
  if (change < 0.0) {
    w.admin_share -= change;  // time lost to patients goes to admin
  } else {
    const double from_admin = std::min(change, w.admin_share);
    w.admin_share -= from_admin;
    const double rest = change - from_admin;
    if (rest > w.other_share + 1e-12) return std::nullopt;
    w.other_share = std::max(0.0, w.other_share - rest);
  }
  if (!(w.direct_care_share() > 0.0)) return std::nullopt;
  return w;
}

}  // namespace tcsim::models

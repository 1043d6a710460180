#pragma once
// Caseload capacity derived from a team's workforce - where productivity lives:
//   capacity (concurrent patients) = WTE x hours per week x direct-care share
//                                    / contact hours a patient needs per week,
//   direct-care share = 1 - travel - admin - other non-patient time.
// Raising the direct-care share (e.g. from about 30%, the level reported when the Productive
// Community Services programme started) raises capacity in proportion.

#include <cstdint>
#include <optional>
#include <string>

namespace tcsim::models {

struct Workforce {
  double wte = 0.0;              // whole-time equivalents in the team
  double hours_per_week = 37.5;  // contracted hours per WTE
  double travel_share = 0.0;     // shares of working time not spent with patients
  double admin_share = 0.0;
  double other_share = 0.0;
  double contact_hours_per_patient_per_week = 1.0;
  std::string staff_group;                   // costs the team; empty: not costed
  double contacts_per_patient_per_week = 0;  // for the cost per contact; 0: not known

  [[nodiscard]] double direct_care_share() const {
    return 1.0 - travel_share - admin_share - other_share;
  }
  /// Patient-facing hours per week the team provides.
  [[nodiscard]] double direct_hours_per_week() const {
    return wte * hours_per_week * direct_care_share();
  }
  /// Concurrent patients the team can carry (whole patients: rounded down).
  [[nodiscard]] std::int64_t capacity() const;
};

/// The team as it works under a change in its direct-care share: the change is taken from
/// admin time, then from other non-patient time (travel is not changed; a fall adds to admin);
/// std::nullopt if there is not enough such time.
[[nodiscard]] std::optional<Workforce> with_direct_care_change(const Workforce& written,
                                                               double change);

}  // namespace tcsim::models

#pragma once
// The documented `service:` tags a setting may carry. Integration models act on services
// through these tags, so they need no knowledge of an area's setting names.

#include <array>
#include <string_view>

namespace tcsim::models {

inline constexpr std::array<std::string_view, 15> kServices = {
    "acute_beds",
    "district_nursing",
    "community_matrons",
    "rapid_response",
    "discharge_to_assess",
    "intermediate_care_beds",
    "community_hospital_beds",
    "specialist_therapies",
    "childrens_services",
    "sexual_health",
    "mental_health_community",
    "mental_health_beds",
    "social_care_packages",
    "care_home",
    "generic",
};

}  // namespace tcsim::models

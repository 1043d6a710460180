#pragma once
// The kinds of organisation a setting may belong to, the organisation a service belongs to
// when a scenario names none (the PCT's own arrangement before the Transforming Community
// Services reforms), and which services are the community services those reforms moved.

#include <array>
#include <string_view>

namespace tcsim::models {

inline constexpr std::array<std::string_view, 7> kOrganisationKinds = {
    "acute_trust",
    "pct_provider_arm",
    "mental_health_trust",
    "community_foundation_trust",
    "social_enterprise",
    "local_authority",
    "other",
};

inline constexpr std::array<std::string_view, 4> kSocialEnterpriseForms = {
    "company_limited_by_guarantee",
    "community_benefit_society",
    "community_interest_company",
    "charitable_incorporated_organisation",
};

/// The organisation (named after its kind) that runs `service` when the scenario says nothing.
[[nodiscard]] constexpr std::string_view default_organisation(std::string_view service) {
  if (service == "acute_beds") return "acute_trust";
  if (service == "social_care_packages" || service == "care_home") return "local_authority";
  if (service == "mental_health_community" || service == "mental_health_beds") {
    return "mental_health_trust";
  }
  return "pct_provider_arm";
}

/// Services provided by PCT provider arms in 2009/10, whose transfer the integration models
/// describe; their income under a contract is reported (viability).
[[nodiscard]] constexpr bool is_community_service(std::string_view service) {
  return service != "acute_beds" && service != "social_care_packages" && service != "care_home" &&
         service != "mental_health_community" && service != "mental_health_beds" &&
         service != "generic";
}

}  // namespace tcsim::models

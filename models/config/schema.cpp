#include "tcsim/models/config/schema.hpp"

#include <string>

#include "tcsim/models/network/lever.hpp"

namespace tcsim::models {
namespace {

// The outline up to `reforms:`; each lever adds its own lines (scenario_schema).
constexpr const char* kOutline = R"(name: text                      # required
description: text               # optional
population: 340800              # optional: people served (needed by rate_per_1000_per_year)
run:                            # optional; defaults shown
  horizon: unlimited            # days, or 'unlimited' (then every cohort needs max_arrivals)
  warmup: 0                     # days; statistics restart here
  replications: 1
  seed: 1                       # master seed; streams derive from (seed, replication, purpose)
  start_date: 2009-04-01        # the date of day 0, for weekday and monthly multipliers
  max_patients: 10000000        # more in the system at once stops the run (exit 4)
price_index:                    # optional: converts costs quoted in other years to 2009/10 prices
  index: {2009/10: 268.6, 2010/11: 276.7}   # financial year -> index; must include 2009/10
staff_groups:                   # optional: what a WTE costs (salary and on-costs)
  GROUP: {cost_per_wte_year: 38000, price_year: 2009/10}   # price_year optional
organisations:                  # optional; a setting naming none gets its service's default
  ORG:                          # (acute_trust, pct_provider_arm, mental_health_trust,
                                #  local_authority - named after their kind)
    kind: pct_provider_arm      # acute_trust, pct_provider_arm, mental_health_trust,
                                # community_foundation_trust, social_enterprise,
                                # local_authority, other
    legal_form: community_interest_company   # social enterprises only: also
                                # company_limited_by_guarantee, community_benefit_society,
                                # charitable_incorporated_organisation
    overhead_share: 0.11        # management and back office, share of direct cost
    direct_care_share_change: 0 # optional: + raises its caseload teams' direct-care share
    annual_transaction_share: 0 # optional: contracting cost a year, share of direct cost
settings:                       # at least one
  NAME:
    kind: beds | caseload       # beds: one patient per bed; caseload: concurrent patients/packages
    service: acute_beds         # optional tag (default generic): acute_beds, district_nursing,
                                # community_matrons, rapid_response, discharge_to_assess,
                                # intermediate_care_beds, community_hospital_beds,
                                # specialist_therapies, childrens_services, sexual_health,
                                # mental_health_community, mental_health_beds,
                                # social_care_packages, care_home, generic
    organisation: ORG           # optional: who runs it (default by service, see above)
    cost:                       # optional, GBP: per_occupied_day and/or per_place_day
      per_occupied_day: 255     # per occupied bed-day or package-day
      per_place_day: 0          # per available place-day (a fixed cost)
      price_year: 2010/11       # optional (default 2009/10): converted with price_index
      includes_overheads: false # true: a full cost; the overhead share is not added again
    capacity: 20                # places (> 0), 'unlimited', or a schedule:
    #   schedule:               # capacities over time; 0 allowed; first entry from day 0
    #     - {from: 0, capacity: 20}
    #     - {from: 5, capacity: 12}
    #   repeat_every: 7         # optional: the schedule repeats every 7 days
    # workforce:                # caseloads only, instead of capacity: capacity (patients) =
    #   wte: 12                 #   wte x hours_per_week x (1 - travel - admin - other shares)
    #   hours_per_week: 37.5    #   / contact_hours_per_patient_per_week, rounded down
    #   travel_share: 0.3       # shares of working time away from patients (0..1)
    #   admin_share: 0.25
    #   other_share: 0.15
    #   contact_hours_per_patient_per_week: 1.5
    #   staff_group: GROUP      # optional: costs the team at the group's cost per WTE
    #   contacts_per_patient_per_week: 2   # optional: for the cost per contact
    queue:                      # optional
      discipline: fifo          # fifo | priority (lower step priority goes first)
      limit: unlimited          # newcomers beyond this many waiting are lost (0: loss system)
cohorts:                        # at least one
  NAME:
    arrivals:
      rate_per_day: 9           # Poisson base rate, > 0; or rate_per_1000_per_year: 85
      weekday_multipliers: [1, 1, 1, 1, 1, 1, 1]   # optional, Monday..Sunday, >= 0
      monthly_multipliers: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]   # optional, Jan..Dec, >= 0
      max_arrivals: 1000000     # optional: stop after this many, then drain
    pathway:
      start: STEP               # optional; default: the first step listed
      steps:
        STEP:
          setting: NAME
          duration: {distribution: exponential, mean: 1}
          priority: 0           # optional, for priority queues (lower goes first)
          transfer_delay: {distribution: lognormal, mean: 2, sd: 1}   # optional, see below
          next: exit            # 'exit', a step name, or a list:
          # next:
          #   - {to: STEP, probability: 0.6, transfer_delay: {...}}   # delay optional
          #   - {to: exit, probability: 0.4}
          initial: {in_place: 0, waiting: 0}   # optional: patients here at day 0
    reforms:                    # optional pathway-reform levers; off unless use: true (or a
                                # --model switches them on)
)";

}  // namespace

// Kept identical to the outline in configs/README.md (a test compares them). The outline ends
// with `reforms:`, under which each lever gives its own lines, in registry order.
const char* scenario_schema() {
  static const std::string schema = [] {
    std::string text = kOutline;
    for (const Lever* lever : levers())
      text += lever->schema();
    return text;
  }();
  return schema.c_str();
}

}  // namespace tcsim::models

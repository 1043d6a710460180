#include "tcsim/models/run/line_cost.hpp"

#include "tcsim/models/scenario/organisation_vocabulary.hpp"
#include "tcsim/models/scenario/queries.hpp"

namespace tcsim::models {
namespace {

constexpr double kDaysPerYear = 365.0;

double staff_cost_per_year(const Scenario& scenario, const Setting& line) {
  const StaffGroup* group = staff_group_of(scenario, line);
  return group ? line.workforce->wte * group->cost_per_wte_year : 0.0;
}

}  // namespace

LineCost line_cost(const Scenario& scenario, const Setting& line, const LineUse& use) {
  const Organisation* org = organisation_running(scenario, line);
  const double overhead_share = org ? org->overhead_share : 0.0;
  const double transaction_share = org ? org->annual_transaction_share : 0.0;
  LineCost cost;
  cost.direct = line.cost.per_occupied_day * use.occupied_days +
                line.cost.per_place_day * use.place_days +
                staff_cost_per_year(scenario, line) * use.days / kDaysPerYear;
  cost.overhead = line.cost.includes_overheads ? 0.0 : overhead_share * cost.direct;
  // The recurring transaction cost is that of contracting for the community services the
  // organisation took on, so it falls on those lines only.
  cost.transaction = is_community_service(line.service) ? transaction_share * cost.direct : 0.0;
  // A handover costs the receiving organisation (referral triage, acceptance, records).
  if (scenario.interfaces) {
    cost.transaction +=
        scenario.interfaces->cost_per_cross_organisation_transfer * use.handovers_in;
  }
  return cost;
}

}  // namespace tcsim::models

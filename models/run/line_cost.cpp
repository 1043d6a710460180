#include "tcsim/models/run/line_cost.hpp"

#include "tcsim/models/scenario/organisation_vocabulary.hpp"

namespace tcsim::models {
namespace {

constexpr double kDaysPerYear = 365.0;

double staff_cost_per_year(const Scenario& scenario, const Setting& line) {
  if (!line.workforce || line.workforce->staff_group.empty()) return 0.0;
  for (const StaffGroup& g : scenario.staff_groups) {
    if (g.name == line.workforce->staff_group) return line.workforce->wte * g.cost_per_wte_year;
  }
  return 0.0;
}

}  // namespace

const Organisation& organisation_of(const Scenario& scenario, const Setting& line) {
  for (const Organisation& o : scenario.organisations) {
    if (o.name == line.organisation) return o;
  }
  static const Organisation none{};
  return none;  // the loader gives every setting an organisation; kept total for safety
}

LineCost line_cost(const Scenario& scenario, const Setting& line, const LineUse& use) {
  const Organisation& org = organisation_of(scenario, line);
  LineCost cost;
  cost.direct = line.cost.per_occupied_day * use.occupied_days +
                line.cost.per_place_day * use.place_days +
                staff_cost_per_year(scenario, line) * use.days / kDaysPerYear;
  cost.overhead = line.cost.includes_overheads ? 0.0 : org.overhead_share * cost.direct;
  // The recurring transaction cost is that of contracting for the community services the
  // organisation took on, so it falls on those lines only.
  cost.transaction =
      is_community_service(line.service) ? org.annual_transaction_share * cost.direct : 0.0;
  // A handover costs the receiving organisation (referral triage, acceptance, records).
  if (scenario.interfaces) {
    cost.transaction +=
        scenario.interfaces->cost_per_cross_organisation_transfer * use.handovers_in;
  }
  return cost;
}

}  // namespace tcsim::models

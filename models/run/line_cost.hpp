#pragma once
// The one cost rule of tcsim: what a service line (a setting) costs over a period, from how it
// was used. Used by the costs every run reports (run/costing) and by the savings analysis's
// budgets (economics/savings), so the two can never price a line differently.
//
//   direct      = per occupied day x occupied days + per place day x place-days
//                 + staff (WTE x the staff group's cost a year) x the period's share of a year
//   overhead    = the running organisation's overhead share x direct (none if the line's
//                 costs already include overheads)
//   transaction = for a community service, the organisation's recurring transaction share x
//                 direct; plus, under an integration model's interface rules, the charge per
//                 patient handed over from another organisation

#include "tcsim/models/scenario/scenario.hpp"

namespace tcsim::models {

/// How a line was used over a period.
struct LineUse {
  double days = 0.0;           // the period's length
  double occupied_days = 0.0;  // patient-days in the line's places
  double place_days = 0.0;     // places open x days
  double handovers_in = 0.0;   // patients received from another organisation's lines
};

/// A line's cost over the period, in £ at 2009/10 prices.
struct LineCost {
  double direct = 0.0;
  double overhead = 0.0;
  double transaction = 0.0;
  [[nodiscard]] double total() const { return direct + overhead + transaction; }
};

[[nodiscard]] LineCost line_cost(const Scenario& scenario, const Setting& line, const LineUse& use);

}  // namespace tcsim::models

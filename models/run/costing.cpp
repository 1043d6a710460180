#include "tcsim/models/run/costing.hpp"

#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "tcsim/models/network/lever.hpp"
#include "tcsim/models/network/network_builder.hpp"
#include "tcsim/models/run/line_cost.hpp"
#include "tcsim/models/scenario/organisation_vocabulary.hpp"

namespace tcsim::models {
namespace {

constexpr double kDaysPerYear = 365.0;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(double num, double den) {
  return den > 0.0 ? num / den : kNaN;
}

/// A line's cost over the measured period and what else is reported of it.
struct LineAccount {
  LineCost cost;
  double wte = 0.0;
  double spare_slot_days = 0.0;  // caseloads only
  double income = 0.0;           // community service lines under a contract
  bool contracted = false;
  double handovers_in = 0.0;  // patients received from other organisations' lines
};

using Add = std::function<void(const std::string&, const char*, const char*, double)>;

/// Patients setting `i` received from settings of other organisations.
double handovers_into(const sim::NetworkResult& r, const Scenario& scenario, std::size_t i) {
  double moves_in = 0.0;
  for (std::size_t j = 0; j < scenario.settings.size(); ++j) {
    if (j != i && scenario.settings[j].organisation != scenario.settings[i].organisation) {
      moves_in += static_cast<double>(r.stations[j].moves_to[i]);
    }
  }
  return moves_in;
}

LineAccount account_line(const sim::NetworkResult& r, const Scenario& scenario, std::size_t i,
                         double period) {
  const Setting& s = scenario.settings[i];
  const sim::StationResult& st = r.stations[i];
  LineAccount line;
  line.handovers_in = handovers_into(r, scenario, i);
  const double occupied_days = st.occupancy.mean() * period;
  line.cost = line_cost(scenario, s,
                        LineUse{.days = period,
                                .occupied_days = occupied_days,
                                .place_days = st.capacity_area,
                                .handovers_in = line.handovers_in});
  line.wte = s.workforce ? s.workforce->wte : 0.0;
  if (s.kind == SettingKind::Caseload && !st.unlimited) {
    line.spare_slot_days = st.capacity_area - occupied_days;
  }
  if (scenario.contract_overhead_allowance && is_community_service(s.service)) {
    line.contracted = true;
    line.income = line.cost.direct * (1.0 + *scenario.contract_overhead_allowance);
  }
  return line;
}

/// Each service line's cost, cost per episode and per contact, spare capacity and income.
std::vector<LineAccount> add_lines(const sim::NetworkResult& r, const Scenario& scenario,
                                   double period, const Add& add) {
  const double per_year = ratio(kDaysPerYear, period);
  std::vector<LineAccount> lines;
  for (std::size_t i = 0; i < scenario.settings.size(); ++i) {
    const Setting& s = scenario.settings[i];
    const sim::StationResult& st = r.stations[i];
    const LineAccount& line = lines.emplace_back(account_line(r, scenario, i, period));
    const double total = line.cost.total();
    const double occupied_days = st.occupancy.mean() * period;
    const double contacts = s.workforce && s.workforce->contacts_per_patient_per_week > 0.0
                                ? occupied_days / 7.0 * s.workforce->contacts_per_patient_per_week
                                : 0.0;
    add(s.name, "cost_per_year", "GBP/year", total * per_year);
    add(s.name, "cost_per_episode", "GBP", ratio(total, static_cast<double>(st.stay.count())));
    add(s.name, "cost_per_contact", "GBP", ratio(total, contacts));
    if (s.kind == SettingKind::Caseload) {
      add(s.name, "spare_slot_days_per_year", "slot-days/year", line.spare_slot_days * per_year);
    }
    if (line.contracted) {
      add(s.name, "income_per_year", "GBP/year", line.income * per_year);
      add(s.name, "surplus_per_year", "GBP/year", (line.income - total) * per_year);
    }
  }
  return lines;
}

/// Each organisation's costs, staff, spare capacity and, under a contract, its viability; the
/// area's cost (the sum over organisations) is returned.
double add_organisations(const std::vector<LineAccount>& lines, const Scenario& scenario,
                         double per_year, const Add& add) {
  double area_cost = 0.0;
  for (const Organisation& o : scenario.organisations) {
    LineAccount sum;
    double contracted_cost = 0.0;  // of its contracted (community) service lines only
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (scenario.settings[i].organisation != o.name) continue;
      sum.cost.direct += lines[i].cost.direct;
      sum.cost.overhead += lines[i].cost.overhead;
      sum.cost.transaction += lines[i].cost.transaction;
      sum.wte += lines[i].wte;
      sum.spare_slot_days += lines[i].spare_slot_days;
      if (lines[i].contracted) {
        sum.contracted = true;
        sum.income += lines[i].income;
        contracted_cost += lines[i].cost.total();
      }
    }
    area_cost += sum.cost.total();
    add(o.name, "cost_per_year", "GBP/year", sum.cost.total() * per_year);
    add(o.name, "direct_cost_per_year", "GBP/year", sum.cost.direct * per_year);
    add(o.name, "overhead_per_year", "GBP/year", sum.cost.overhead * per_year);
    add(o.name, "transaction_cost_per_year", "GBP/year", sum.cost.transaction * per_year);
    add(o.name, "wte", "WTE", sum.wte);
    add(o.name, "spare_slot_days_per_year", "slot-days/year", sum.spare_slot_days * per_year);
    if (sum.contracted) {
      add(o.name, "income_per_year", "GBP/year", sum.income * per_year);
      add(o.name, "surplus_per_year", "GBP/year", (sum.income - contracted_cost) * per_year);
      add(o.name, "viable", "fraction", sum.income >= contracted_cost ? 1.0 : 0.0);
    }
  }
  return area_cost;
}

/// The area's delayed transfer days by cause and its use of acute beds.
void add_area_flows(const sim::NetworkResult& r, const Scenario& scenario, double per_year,
                    const Add& add) {
  const double period = r.end - r.start;
  const std::size_t n = scenario.settings.size();
  double interface_days = 0.0;
  double internal_days = 0.0;
  double capacity_days = 0.0;
  double acute_bed_days = 0.0;
  double acute_admissions = 0.0;
  double acute_delayed_days = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const sim::StationResult& st = r.stations[i];
    capacity_days += st.blocked_by_capacity_days;
    for (std::size_t j = 0; j < n; ++j) {
      const bool across = scenario.settings[i].organisation != scenario.settings[j].organisation;
      (across ? interface_days : internal_days) += st.delay_days_for[j];
    }
    if (scenario.settings[i].service == "acute_beds") {
      acute_bed_days += st.occupancy.mean() * period;
      acute_admissions += static_cast<double>(st.wait.count());
      acute_delayed_days += st.blocked_by_delay_days + st.blocked_by_capacity_days;
    }
  }
  add("area", "delayed_days_handoff_per_year", "days/year",
      (interface_days + internal_days) * per_year);
  add("area", "delayed_days_interface_per_year", "days/year", interface_days * per_year);
  add("area", "delayed_days_internal_per_year", "days/year", internal_days * per_year);
  add("area", "delayed_days_capacity_per_year", "days/year", capacity_days * per_year);
  add("area", "acute_bed_days_per_year", "days/year", acute_bed_days * per_year);
  add("area", "acute_admissions_per_year", "patients/year", acute_admissions * per_year);
  add("area", "acute_delayed_days_per_year", "days/year", acute_delayed_days * per_year);
}

/// What the reform levers did (admissions avoided, early discharges, patients assessed at
/// home, ...): each lever's counters in registry order, summed over the cohorts using it.
void add_lever_counts(const sim::NetworkResult& r, const BuiltNetwork& network,
                      const Scenario& scenario, double per_year, const Add& add) {
  for (const Lever* lever : levers()) {
    const std::vector<LeverCounter> counters = lever->counters();
    std::vector<double> totals(counters.size(), 0.0);
    for (std::size_t ci = 0; ci < scenario.cohorts.size(); ++ci) {
      const LeverSettings* settings = scenario.cohorts[ci].reforms.find(lever->key());
      if (settings && settings->use) {
        lever->count(*settings, CohortCounts{r, network.steps_of_cohort.at(ci)}, totals);
      }
    }
    for (std::size_t k = 0; k < counters.size(); ++k)
      add("area", counters[k].name, counters[k].unit, totals[k] * per_year);
  }
}

}  // namespace

bool has_economics(const Scenario& scenario) {
  if (!scenario.model.empty() || !scenario.staff_groups.empty()) return true;
  for (const Setting& s : scenario.settings) {
    if (s.cost.per_occupied_day > 0.0 || s.cost.per_place_day > 0.0) return true;
  }
  for (const Cohort& c : scenario.cohorts) {
    if (!c.reforms.empty()) return true;
  }
  return false;
}

std::vector<MetricValue> collect_economics(const sim::NetworkResult& r, const BuiltNetwork& network,
                                           const Scenario& scenario) {
  std::vector<MetricValue> m;
  if (!has_economics(scenario)) return m;
  const Add add = [&m](const std::string& scope, const char* name, const char* unit, double value) {
    m.push_back(MetricValue{scope, name, unit, value});
  };
  const double period = r.end - r.start;
  const double per_year = ratio(kDaysPerYear, period);
  const std::vector<LineAccount> lines = add_lines(r, scenario, period, add);
  const double area_cost = add_organisations(lines, scenario, per_year, add);
  add("area", "cost_per_year", "GBP/year", area_cost * per_year);
  add_area_flows(r, scenario, per_year, add);
  add_lever_counts(r, network, scenario, per_year, add);
  double cross_organisation_moves = 0.0;
  for (const LineAccount& line : lines)
    cross_organisation_moves += line.handovers_in;
  add("area", "cross_organisation_transfers_per_year", "patients/year",
      cross_organisation_moves * per_year);
  return m;
}

}  // namespace tcsim::models
